"""Customer value: RFM settings and runs, the scores on customer payloads, and the
analytics built on them (distribution, Pareto, key accounts, churn risk, cohorts, revenue).

Definitions (also in the response field descriptions and docs/analytics.md):
- a purchase is an order that is paid, shipped or completed (its day in the workspace time
  zone) and/or a payment received on a contract (not voided), per the settings' sources;
- R scores the days since the last purchase, F the purchases of the last `window_days`
  days (today included), M their amount in the settings' currency; total = weighted sum;
- scores are a snapshot: `computed_at` is the end of the last successful run;
- Pareto: the period's revenue per buyer, largest first; the head is the top
  ceil(buyers × top_percent / 100) buyers;
- churn risk: days since the last purchase > factor × the customer's median gap between
  purchase days (three purchase days at least), or no follow-up for N days (never
  followed: since the customer was created);
- cohorts: customers by the month of their first purchase; retention k = % of them with a
  purchase in the k-th calendar month after it.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.analytics.period import (
    InvalidPeriod,
    Period,
    PeriodKind,
    months_of,
    parse_period,
    period_containing,
)
from app.analytics.value import recompute, schemas, scoring
from app.analytics.value import repository as repo
from app.analytics.value.repository import ChurnRule, Who
from app.auth.dependencies import Ctx
from app.contracts import clock
from app.contracts.money import CENT, ZERO
from app.core.audit import record_mutation
from app.core.jobs import enqueue
from app.core.pagination import ListParams, PlainRow
from app.core.principal import Principal
from app.core.scope import readable_statement
from app.db import workspace_session
from app.errors import FieldError, Forbidden, NotFound
from app.models.customer import Customer
from app.models.customer_value import CustomerRfm, CustomerRfmChange, RfmRun
from app.models.workspace import Workspace

logger = logging.getLogger("rapport.rfm")

TASK = "rfm_recompute"
QUEUE = "analytics"
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
#: local hour from which the nightly run scores a workspace's new day
NIGHTLY_HOUR = 2
MAX_COHORTS = 24


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part ÷ whole × 100, half-up to two places; None when whole is zero."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


# --- settings ----------------------------------------------------------------------------


async def load_settings(session: AsyncSession) -> schemas.RfmSettingsIn:
    """The workspace's RFM settings (the defaults until an admin saves some)."""
    raw = (await session.execute(select(Workspace.settings))).scalar_one_or_none() or {}
    stored = raw.get("rfm")
    if not stored:
        return scoring.default_settings()
    return schemas.RfmSettingsIn.model_validate(stored)


def run_out(run: RfmRun | None) -> schemas.RfmRun | None:
    return schemas.RfmRun.model_validate(run) if run is not None else None


def settings_out(s: schemas.RfmSettingsIn, last_run: RfmRun | None) -> schemas.RfmSettings:
    low, high = scoring.score_range(s)
    return schemas.RfmSettings.model_validate(
        {**s.model_dump(), "score_min": low, "score_max": high, "last_run": run_out(last_run)}
    )


async def get_settings(ctx: Ctx) -> schemas.RfmSettings:
    return settings_out(await load_settings(ctx.session), await repo.latest_run(ctx.session))


async def update_settings(ctx: Ctx, data: schemas.RfmSettingsIn) -> schemas.RfmSettings:
    """Replace the settings (owners and admins) and queue a recompute under them; invalid
    settings are refused with field errors before anything is written."""
    if not ctx.principal.is_admin:
        raise Forbidden("Only owners and admins change the RFM settings.")
    checked = scoring.check(data)
    workspace = (await ctx.session.execute(select(Workspace).with_for_update())).scalar_one()
    before = workspace.settings.get("rfm")
    after = checked.model_dump(mode="json")
    workspace.settings = {**workspace.settings, "rfm": after}
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="workspace",
        action="updated",
        entity_id=workspace.id,
        sequence=workspace.version,
        before={"rfm": before},
        after={"rfm": after},
    )
    run = await queue_run(ctx.session, ctx.principal, schemas.RfmRunTrigger.settings)
    return settings_out(checked, run)


def preview(data: schemas.RfmPreviewRequest) -> schemas.RfmPreview:
    s = scoring.check(data.settings)
    got = scoring.score_of(s, data.sample.recency_days, data.sample.purchases, data.sample.amount)
    low, high = scoring.score_range(s)
    return schemas.RfmPreview(
        r=got.r,
        f=got.f,
        m=got.m,
        weighted=schemas.RfmWeights(
            r=got.r * s.weights.r, f=got.f * s.weights.f, m=got.m * s.weights.m
        ),
        score=got.score,
        tier=schemas.RfmTier.model_validate(got.tier.model_dump()),
        score_min=low,
        score_max=high,
    )


# --- runs --------------------------------------------------------------------------------


async def queue_run(
    session: AsyncSession, principal: Principal | None, trigger: schemas.RfmRunTrigger
) -> RfmRun:
    """A recompute for the worker, enqueued in the caller's transaction; while one is still
    queued, that one is returned instead (it will see everything committed before it runs)."""
    pending = await repo.pending_run(session)
    if pending is not None:
        return pending
    run = RfmRun(
        status="queued",
        trigger=trigger.value,
        requested_by=principal.user_id if principal else None,
        requested_at=clock.utcnow(),
    )
    session.add(run)
    await session.flush()
    workspace_id = principal.workspace_id if principal else run.workspace_id
    await enqueue(session, TASK, {"workspace_id": workspace_id, "run_id": run.id}, queue=QUEUE)
    return run


async def request_recompute(ctx: Ctx) -> RfmRun:
    if not ctx.principal.is_admin:
        raise Forbidden("Only owners and admins start an RFM recompute.")
    return await queue_run(ctx.session, ctx.principal, schemas.RfmRunTrigger.manual)


async def get_run(ctx: Ctx, run_id: uuid.UUID) -> RfmRun:
    run = await ctx.session.scalar(select(RfmRun).where(RfmRun.id == run_id))
    if run is None:
        raise NotFound(f"No RFM run with id {run_id}.")
    return run


async def score_now(session: AsyncSession, workspace_id: uuid.UUID, run: RfmRun) -> RfmRun:
    """Run `run` in the session's transaction: score everyone, then mark it succeeded."""
    s = await load_settings(session)
    zone = await clock.workspace_zone(session)
    now = clock.utcnow()
    today = now.astimezone(zone).date()
    run.status = "running"
    run.started_at = now
    run.as_of = today
    run.settings = s.model_dump(mode="json")
    outcome = await recompute.recompute(
        session, workspace_id, run.id, s, zone=zone.key, today=today, now=now
    )
    run.status = "succeeded"
    run.finished_at = clock.utcnow()
    run.customers = outcome.customers
    run.changed = outcome.changed
    run.tier_changes = outcome.tier_changes
    run.removed = outcome.removed
    run.duration_ms = outcome.duration_ms
    await session.flush()
    return run


async def run_inline(
    session: AsyncSession, workspace_id: uuid.UUID, trigger: schemas.RfmRunTrigger
) -> RfmRun:
    """Create and run a recompute right here (demo creation, nightly job)."""
    run = RfmRun(status="queued", trigger=trigger.value, requested_at=clock.utcnow())
    session.add(run)
    await session.flush()
    return await score_now(session, workspace_id, run)


async def execute_run(
    maker: async_sessionmaker[AsyncSession], workspace_id: uuid.UUID, run_id: uuid.UUID
) -> str:
    """The worker's side of `POST /analytics/rfm/recompute`: shows the run as running, scores
    in one transaction, and records a failure in another (the scores stay as they were)."""
    async with workspace_session(maker, workspace_id) as session:
        await session.execute(
            update(RfmRun)
            .where(RfmRun.id == run_id, RfmRun.status == "queued")
            .values(status="running", started_at=clock.utcnow())
        )
    try:
        async with workspace_session(maker, workspace_id) as session:
            run = await session.scalar(select(RfmRun).where(RfmRun.id == run_id))
            if run is None:
                return "missing"
            await score_now(session, workspace_id, run)
            return run.status
    except Exception as exc:
        logger.exception("RFM run %s failed", run_id)
        async with workspace_session(maker, workspace_id) as session:
            await session.execute(
                update(RfmRun)
                .where(RfmRun.id == run_id)
                .values(status="failed", finished_at=clock.utcnow(), error=str(exc)[:2000])
            )
        return "failed"


async def nightly_due(session: AsyncSession, now: datetime) -> bool:
    """Whether the workspace's scores are older than its today and its night has come."""
    zone = await clock.workspace_zone(session)
    local = now.astimezone(zone)
    if local.hour < NIGHTLY_HOUR:
        return False
    last = await repo.last_success(session)
    if last is not None and last.as_of is not None and last.as_of >= local.date():
        return False
    busy = await session.scalar(
        select(RfmRun.id).where(RfmRun.status.in_(("queued", "running"))).limit(1)
    )
    return busy is None


# --- customer payloads -------------------------------------------------------------------


async def rfm_payloads(
    session: AsyncSession, customer_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    """The `rfm` of each customer among `customer_ids` that has scores, as the fields of
    `schemas.CustomerRfm`; customers without purchases are absent. One statement (an index
    lookup per customer and the last run's time): it runs on every customer list page."""
    return await repo.scores_of(session, customer_ids)


def tier_condition(customer_id: Any, tier: str) -> ColumnElement[bool]:
    """`customer_id` (a customers id column) has RFM tier `tier` (the list's filter)."""
    return in_tiers(customer_id, [tier])


def in_tiers(customer_id: Any, tiers: Sequence[str]) -> ColumnElement[bool]:
    """`customer_id` has one of the RFM `tiers`: for filters and rules (pool reclaim
    exemption)."""
    tier = CustomerRfm.tier == tiers[0] if len(tiers) == 1 else CustomerRfm.tier.in_(tiers)
    condition: ColumnElement[bool] = customer_id.in_(select(CustomerRfm.customer_id).where(tier))
    return condition


async def tier_of(session: AsyncSession, customer_id: uuid.UUID | None) -> str | None:
    if customer_id is None:
        return None
    tier: str | None = await session.scalar(
        select(CustomerRfm.tier).where(CustomerRfm.customer_id == customer_id)
    )
    return tier


async def history(
    ctx: Ctx, customer_id: uuid.UUID, params: ListParams
) -> tuple[Sequence[CustomerRfmChange], str | None, bool]:
    visible = await ctx.session.scalar(
        readable_statement(Customer, ctx.principal)
        .where(Customer.id == customer_id)
        .with_only_columns(Customer.id)
    )
    if visible is None:
        raise NotFound(f"No customer with id {customer_id}.")
    return await repo.history_page(ctx.session, customer_id, params)


# --- distribution ------------------------------------------------------------------------


async def distribution(ctx: Ctx, who: Who) -> schemas.RfmDistribution:
    s = await load_settings(ctx.session)
    last = await repo.last_success(ctx.session)
    cells, counts = await repo.distribution(ctx.session, who)
    low, high = scoring.score_range(s)
    return schemas.RfmDistribution(
        computed_at=last.finished_at if last else None,
        as_of=last.as_of if last else None,
        settings=schemas.RfmSummary(
            sources=s.sources,
            window_days=s.window_days,
            currency=s.currency,
            weights=schemas.RfmWeights(r=s.weights.r, f=s.weights.f, m=s.weights.m),
            score_min=low,
            score_max=high,
        ),
        customers=sum(c.customers for c in cells),
        cube=[
            schemas.RfmCubeCell(r=c.r, f=c.f, m=c.m, customers=c.customers, amount=c.amount)
            for c in cells
        ],
        tiers=[
            schemas.RfmTierCount(
                **t.model_dump(),
                customers=counts.get(t.key, (0, ZERO))[0],
                amount=counts.get(t.key, (0, ZERO))[1],
            )
            for t in s.tiers
        ],
    )


# --- Pareto and key accounts -------------------------------------------------------------


async def _ranked(
    ctx: Ctx, period: Period, currency: str | None, who: Who
) -> tuple[repo.Ranking, str]:
    s = await load_settings(ctx.session)
    if currency is not None:
        s = s.model_copy(update={"currency": currency})
    ranked = repo.revenue_by_customer(s, who, (period.start, period.end))
    return ranked, s.currency


async def pareto(
    ctx: Ctx, period: Period, currency: str | None, top_percent: int, who: Who
) -> schemas.Pareto:
    ranked, cur = await _ranked(ctx, period, currency, who)
    buyers, total, points, head = await repo.pareto_points(ctx.session, ranked, top_percent)
    curve = [schemas.CurvePoint(customer_share=ZERO, revenue_share=ZERO)]
    curve += [
        schemas.CurvePoint(customer_share=Decimal(pct).quantize(CENT), revenue_share=share)
        for pct, cum in points
        if (share := percent(cum, total)) is not None
    ]
    return schemas.Pareto(
        period=period.label,
        currency=cur,
        total=total,
        customers=buyers,
        top_percent=top_percent,
        top_customers=math.ceil(buyers * top_percent / 100),
        top_amount=head,
        top_share=percent(head, total),
        curve=curve if buyers else [],
    )


async def key_accounts(
    ctx: Ctx,
    period: Period,
    currency: str | None,
    top_percent: int,
    who: Who,
    params: ListParams,
) -> tuple[list[schemas.KeyAccount], str | None, bool]:
    ranked, _ = await _ranked(ctx, period, currency, who)
    rows, cursor, more = await repo.key_accounts_page(ctx.session, ranked, top_percent, params)
    return (
        [
            schemas.KeyAccount(
                customer_id=r["customer_id"],
                name=r["name"],
                owner_id=r["owner_id"],
                rank=r["rank"],
                revenue=r["revenue"],
                share=percent(r["revenue"], r["total"]) or ZERO,
                cumulative_share=percent(r["cumulative"], r["total"]) or ZERO,
                tier=r["tier"],
            )
            for r in rows
        ],
        cursor,
        more,
    )


# --- churn risk --------------------------------------------------------------------------


def _churn_row(row: PlainRow, rule: ChurnRule) -> schemas.ChurnRisk:
    reasons = []
    if row["overdue"]:
        reasons.append(schemas.ChurnReason.overdue_vs_own_gap)
    if row["silent"]:
        reasons.append(schemas.ChurnReason.no_follow_up)
    gap: Decimal | None = row["median_gap_days"]
    return schemas.ChurnRisk(
        customer_id=row["customer_id"],
        name=row["name"],
        owner_id=row["owner_id"],
        tier=row["tier"],
        score=row["score"],
        reasons=reasons,
        last_purchase_on=row["last_purchase_on"],
        days_since_purchase=(rule.today - row["last_purchase_on"]).days,
        median_gap_days=gap,
        overdue_after_days=(gap * rule.gap_factor).quantize(Decimal("0.1"))
        if gap is not None
        else None,
        last_followed_at=row["last_followed_at"],
        days_since_follow_up=(rule.now - row["last_touch"]).days,
    )


async def churn_risk(
    ctx: Ctx, who: Who, params: ListParams
) -> tuple[list[schemas.ChurnRisk], str | None, bool]:
    s = await load_settings(ctx.session)
    now = clock.utcnow()
    zone = await clock.workspace_zone(ctx.session)
    rule = ChurnRule(
        today=now.astimezone(zone).date(),
        now=now,
        gap_factor=s.churn_gap_factor,
        no_follow_up_days=s.churn_no_follow_up_days,
    )
    rows, cursor, more = await repo.churn_page(ctx.session, who, rule, params)
    return [_churn_row(r, rule) for r in rows], cursor, more


# --- cohorts -----------------------------------------------------------------------------


def parse_month(text: str, field: str) -> Period:
    period = parse_period(text, field)
    if period.kind is not PeriodKind.month:
        raise InvalidPeriod(
            f"{text!r} is not a month.",
            errors=[FieldError(field=field, message="expected YYYY-MM")],
        )
    return period


async def cohorts(ctx: Ctx, first: Period, last: Period, who: Who) -> schemas.Cohorts:
    if last.start < first.start:
        raise InvalidPeriod(
            "`to` is before `from`.",
            errors=[FieldError(field="query.to", message="must not be before `from`")],
        )
    months = months_of(Period(PeriodKind.month, first.start, last.end))
    if len(months) > MAX_COHORTS:
        raise InvalidPeriod(
            f"At most {MAX_COHORTS} cohorts at once.",
            errors=[FieldError(field="query.to", message=f"at most {MAX_COHORTS} months")],
        )
    s = await load_settings(ctx.session)
    zone = await clock.workspace_zone(ctx.session)
    today = clock.utcnow().astimezone(zone).date()
    sizes, kept = await repo.cohort_counts(ctx.session, s, who, first.start, last.start)
    out = []
    for month in months:
        size = sizes.get(month.start, 0)
        retention: list[Decimal | None] = []
        later = month
        for k in range(1, 13):
            later = later.next()
            if later.start > today:
                retention.append(None)
            else:
                retention.append(percent(kept.get((month.start, k), 0), size) if size else None)
        out.append(schemas.Cohort(month=month.label, customers=size, retention=retention))
    return schemas.Cohorts(from_month=first.label, to_month=last.label, cohorts=out)


# --- revenue -----------------------------------------------------------------------------

_BUCKET_KIND = {
    schemas.Granularity.day: PeriodKind.day,
    schemas.Granularity.week: PeriodKind.week,
    schemas.Granularity.month: PeriodKind.month,
}


async def revenue(
    ctx: Ctx,
    period: Period,
    granularity: schemas.Granularity,
    currency: str | None,
    who: Who,
) -> schemas.Revenue:
    cur = currency or (await load_settings(ctx.session)).currency
    orders, payments = await repo.revenue_buckets(
        ctx.session, who, cur, granularity.value, (period.start, period.end)
    )
    buckets = []
    bucket = period_containing(_BUCKET_KIND[granularity], period.start)
    while bucket.start < period.end:
        buckets.append(
            schemas.RevenueBucket(
                start=bucket.start,
                label=bucket.label,
                orders_amount=orders.get(bucket.start, ZERO),
                payments_amount=payments.get(bucket.start, ZERO),
            )
        )
        bucket = bucket.next()
    return schemas.Revenue(
        period=period.label,
        granularity=granularity,
        currency=cur,
        orders_total=sum(orders.values(), ZERO),
        payments_total=sum(payments.values(), ZERO),
        buckets=buckets,
    )
