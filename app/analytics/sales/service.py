"""Pipeline analytics: funnel, forecast, coverage, stale deals, lost reasons, campaign ROI
and sales-cycle length, each within the caller's analytics scope.

Definitions (also in the response field descriptions):
- funnel: the cohort of deals of one pipeline created in the period (workspace time zone).
  A deal entered stage k when it ever stayed in an open stage at k's position or later (a
  deal that skipped stages passed them); every cohort deal entered the first stage; a won
  deal passed every open stage. Conversion of stage k = entered(k+1) ÷ entered(k); of the
  last open stage = won ÷ entered. Win rate = won ÷ (won + lost) of the cohort.
- forecast: per month, deals won in it (won_at) plus open deals by expected close date;
  commit = won + open deals with probability ≥ the commit threshold; best case = won +
  every open deal; weighted = won + Σ amount × probability ÷ 100.
- coverage: open deals expected to close in the period ÷ what is left of the target.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from app.analytics.period import (
    InvalidPeriod,
    Period,
    PeriodKind,
    parse_period,
    period_containing,
)
from app.analytics.sales import repository as repo
from app.analytics.sales import schemas, targets
from app.analytics.sales.repository import DealFilters
from app.auth.dependencies import Ctx
from app.contracts import clock
from app.contracts.money import ZERO, cents
from app.core.pagination import ListParams
from app.errors import FieldError, NotFound
from app.models.pipeline import Pipeline

HUNDRED = Decimal(100)
COMMIT_PROBABILITY = 75
FUNNEL_DEFINITION = (
    "Deals of the pipeline created in the period; a deal entered a stage when it reached it "
    "or a later one (skipped stages count as passed; won deals passed all)."
)


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part ÷ whole × 100, half-up to two places; None when whole is zero."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def ratio(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return (part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def one_place(value: Decimal | float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def weighted_of(amount_times_probability: Decimal | None) -> Decimal:
    """Σ amount × probability (percent) → money, rounded once, half-up to the cent."""
    return cents(Decimal(amount_times_probability or 0) / HUNDRED)


async def _pipeline(ctx: Ctx, pipeline_id: uuid.UUID | None) -> Pipeline:
    pipeline = await repo.pipeline_or_default(ctx.session, pipeline_id)
    if pipeline is None:
        raise NotFound(
            f"No pipeline with id {pipeline_id}." if pipeline_id else "No default pipeline."
        )
    return pipeline


# --- funnel --------------------------------------------------------------------------------


async def funnel(ctx: Ctx, period: Period, f: DealFilters) -> schemas.Funnel:
    pipeline = await _pipeline(ctx, f.pipeline_id)
    f = DealFilters(pipeline.id, f.team_id, f.owner_id, f.source, f.campaign_id)
    stages = await repo.stages_of(ctx.session, pipeline.id)
    open_stages = [s for s in stages if s.kind == "open"]
    won_stages = [s for s in stages if s.kind == "won"]
    start, end = period.bounds(await clock.workspace_zone(ctx.session))
    rows = await repo.funnel_reach(
        ctx.session, ctx.principal, f, start, end, {s.id: s.position for s in open_stages}
    )
    created = sum(r.deals for r in rows)
    won = sum(r.deals for r in rows if r.status == "won")
    lost = sum(r.deals for r in rows if r.status == "lost")
    entered = [sum(r.deals for r in rows if r.reached >= s.position) for s in open_stages]
    out: list[schemas.FunnelStage] = []
    for index, stage in enumerate(open_stages):
        advanced = entered[index + 1] if index + 1 < len(open_stages) else won
        out.append(
            schemas.FunnelStage(
                stage_id=stage.id,
                name_zh=stage.name_zh,
                name_en=stage.name_en,
                position=stage.position,
                kind=schemas.FunnelStageKind.open,
                entered=entered[index],
                advanced=advanced,
                conversion_rate=percent(advanced, entered[index]),
            )
        )
    for stage in won_stages:
        out.append(
            schemas.FunnelStage(
                stage_id=stage.id,
                name_zh=stage.name_zh,
                name_en=stage.name_en,
                position=stage.position,
                kind=schemas.FunnelStageKind.won,
                entered=sum(r.deals for r in rows if r.status == "won" and r.stage_id == stage.id),
                advanced=None,
                conversion_rate=None,
            )
        )
    won_rows = await repo.cohort_won(ctx.session, ctx.principal, f, start, end)
    won_days = sum((Decimal(r.days) for r in won_rows), Decimal(0))
    won_deals = sum(r.deals for r in won_rows)
    return schemas.Funnel(
        pipeline_id=pipeline.id,
        period=period.label,
        definition=FUNNEL_DEFINITION,
        stages=out,
        created=created,
        won=won,
        lost=lost,
        open=created - won - lost,
        win_rate=percent(won, won + lost),
        overall_conversion=percent(won, created),
        won_amount=[
            schemas.CurrencyAmount(currency=r.currency, amount=Decimal(r.amount)) for r in won_rows
        ],
        avg_cycle_days=one_place(won_days / won_deals) if won_deals else None,
    )


# --- forecast and coverage -------------------------------------------------------------------


def parse_month(text: str, field: str) -> Period:
    period = parse_period(text, field)
    if period.kind is not PeriodKind.month:
        raise InvalidPeriod(
            f"{text!r} is not a month.",
            errors=[FieldError(field=field, message="expected a month, YYYY-MM")],
        )
    return period


async def forecast(
    ctx: Ctx,
    first: Period | None,
    months: int,
    currency: str,
    commit_probability: int,
    f: DealFilters,
) -> schemas.Forecast:
    zone = await clock.workspace_zone(ctx.session)
    if first is None:
        first = period_containing(PeriodKind.month, await clock.today(ctx.session))
    periods = [first]
    while len(periods) < months:
        periods.append(periods[-1].next())
    start, end = periods[0].bounds(zone)[0], periods[-1].bounds(zone)[1]
    open_rows = {
        r.month: r
        for r in await repo.open_by_month(
            ctx.session,
            ctx.principal,
            f,
            currency,
            periods[0].start,
            periods[-1].end,
            commit_probability,
        )
    }
    won = await repo.won_by_month(ctx.session, ctx.principal, f, currency, start, end, zone.key)
    subject = targets.subject_of(ctx.principal, f.team_id, f.owner_id)
    goals = await targets.won_targets(ctx.session, ctx.principal, subject, periods, currency)
    rows = []
    for p in periods:
        won_amount = won.get(p.label, ZERO)
        row = open_rows.get(p.label)
        rows.append(
            schemas.ForecastMonth(
                month=p.label,
                won=won_amount,
                commit=won_amount + (Decimal(row.commit) if row else ZERO),
                best_case=won_amount + (Decimal(row.amount) if row else ZERO),
                weighted=won_amount + (weighted_of(row.weighted) if row else ZERO),
                open_deals=int(row.deals) if row else 0,
                target=goals.get(p.start),
            )
        )
    past_due, past_due_amount = await repo.open_before(
        ctx.session, ctx.principal, f, currency, periods[0].start
    )
    return schemas.Forecast(
        currency=currency,
        commit_probability=commit_probability,
        target_subject_kind=schemas.TargetSubjectKind(subject.kind),
        target_subject_id=subject.id,
        months=rows,
        past_due_open=schemas.CurrencyCount(
            currency=currency, amount=past_due_amount, deals=past_due
        ),
    )


async def coverage(ctx: Ctx, period: Period, currency: str, f: DealFilters) -> schemas.Coverage:
    zone = await clock.workspace_zone(ctx.session)
    today = await clock.today(ctx.session)
    start, end = period.bounds(zone)
    won = await repo.won_total(ctx.session, ctx.principal, f, currency, start, end)
    open_rows = await repo.open_by_month(
        ctx.session, ctx.principal, f, currency, period.start, period.end, COMMIT_PROBABILITY
    )
    open_amount = sum((Decimal(r.amount) for r in open_rows), ZERO)
    weighted = weighted_of(sum((Decimal(r.weighted) for r in open_rows), Decimal(0)))
    subject = targets.subject_of(ctx.principal, f.team_id, f.owner_id)
    goals = await targets.won_targets(ctx.session, ctx.principal, subject, [period], currency)
    target = goals.get(period.start)
    remaining = max(target - won, ZERO) if target is not None else None
    return schemas.Coverage(
        period=period.label,
        currency=currency,
        as_of=today,
        target=target,
        target_subject_kind=schemas.TargetSubjectKind(subject.kind),
        target_subject_id=subject.id,
        won=won,
        remaining=remaining,
        open_amount=open_amount,
        weighted=weighted,
        open_deals=sum(int(r.deals) for r in open_rows),
        coverage=ratio(open_amount, remaining),
        weighted_coverage=ratio(weighted, remaining),
    )


# --- stale deals, lost reasons ---------------------------------------------------------------


async def stale_deals(
    ctx: Ctx, f: DealFilters, stage_id: uuid.UUID | None, params: ListParams
) -> tuple[list[schemas.StaleDeal], str | None, bool]:
    now = clock.utcnow()
    deals, cursor, more = await repo.stale_page(
        ctx.session, ctx.principal, f, stage_id, now, params
    )
    stages, customers, owners = await repo.names_for(ctx.session, deals)
    out = []
    for d in deals:
        stage = stages[d.stage_id]
        rotting = stage.rotting_days or 0
        in_stage = (now - d.stage_entered_at).days
        out.append(
            schemas.StaleDeal(
                id=d.id,
                name=d.name,
                customer_id=d.customer_id,
                customer_name=customers.get(d.customer_id),
                owner_id=d.owner_id,
                owner_name=owners.get(d.owner_id) if d.owner_id else None,
                pipeline_id=d.pipeline_id,
                stage_id=d.stage_id,
                stage_name_zh=stage.name_zh,
                stage_name_en=stage.name_en,
                amount=d.amount,
                currency=d.currency,
                probability=d.probability,
                expected_close_date=d.expected_close_date,
                stage_entered_at=d.stage_entered_at,
                rotting_days=rotting,
                days_in_stage=in_stage,
                days_overdue=(now - d.stage_entered_at - timedelta(days=rotting)).days,
            )
        )
    return out, cursor, more


async def lost_reasons(ctx: Ctx, period: Period, f: DealFilters) -> schemas.LostReasons:
    start, end = period.bounds(await clock.workspace_zone(ctx.session))
    rows = await repo.lost_by_reason(ctx.session, ctx.principal, f, start, end)
    total = sum(r.deals for r in rows)
    grouped: dict[uuid.UUID | None, schemas.LostReasonRow] = {}
    for r in sorted(rows, key=lambda r: r.currency):
        row = grouped.get(r.lost_reason_id)
        if row is None:
            row = grouped[r.lost_reason_id] = schemas.LostReasonRow(
                lost_reason_id=r.lost_reason_id,
                label_zh=r.label_zh,
                label_en=r.label_en,
                deals=0,
                share=Decimal(0),
                amounts=[],
            )
        row.deals += r.deals
        row.amounts.append(schemas.CurrencyAmount(currency=r.currency, amount=Decimal(r.amount)))
    for row in grouped.values():
        row.share = percent(row.deals, total) or Decimal(0)
    ordered = sorted(grouped.values(), key=lambda r: (-r.deals, r.label_en or "\uffff"))
    return schemas.LostReasons(period=period.label, lost=total, rows=ordered)


# --- campaign ROI, sales cycle -------------------------------------------------------------


async def campaign_roi(ctx: Ctx, period: Period | None, f: DealFilters) -> schemas.CampaignRoi:
    campaigns = await repo.campaigns_in(
        ctx.session, period.start if period else None, period.end if period else None
    )
    ids = [c.id for c in campaigns]
    deal_rows = await repo.campaign_deals(ctx.session, ctx.principal, f, ids) if ids else []
    leads = (
        await repo.campaign_leads(ctx.session, ctx.principal, f.team_id, f.owner_id, ids)
        if ids
        else {}
    )
    out = []
    for c in campaigns:
        mine = [r for r in deal_rows if r.campaign_id == c.id]
        won = [r for r in mine if r.status == "won" and r.currency == c.currency]
        won_amount = sum((Decimal(r.amount) for r in won), ZERO)
        out.append(
            schemas.CampaignRoiRow(
                campaign_id=c.id,
                name=c.name,
                channel=c.channel,
                status=c.status,
                currency=c.currency,
                actual_cost=c.actual_cost,
                leads=leads.get(c.id, 0),
                deals=sum(r.deals for r in mine),
                won_deals=sum(r.deals for r in won),
                won_amount=won_amount,
                open_amount=sum(
                    (
                        Decimal(r.amount)
                        for r in mine
                        if r.status == "open" and r.currency == c.currency
                    ),
                    ZERO,
                ),
                roi=ratio(won_amount, c.actual_cost),
            )
        )
    out.sort(key=lambda r: (-r.won_amount, r.name))
    return schemas.CampaignRoi(period=period.label if period else None, rows=out)


async def sales_cycle(ctx: Ctx, period: Period, f: DealFilters) -> schemas.SalesCycle:
    pipeline = await _pipeline(ctx, f.pipeline_id)
    f = DealFilters(pipeline.id, f.team_id, f.owner_id, f.source, f.campaign_id)
    start, end = period.bounds(await clock.workspace_zone(ctx.session))
    count, avg, median, shortest, longest = await repo.won_cycle_days(
        ctx.session, ctx.principal, f, start, end
    )
    dwell = {
        r.stage_id: r for r in await repo.stage_dwell(ctx.session, ctx.principal, f, start, end)
    }
    stages = []
    for stage in await repo.stages_of(ctx.session, pipeline.id):
        if stage.kind != "open":
            continue
        row = dwell.get(stage.id)
        stages.append(
            schemas.CycleStage(
                stage_id=stage.id,
                name_zh=stage.name_zh,
                name_en=stage.name_en,
                position=stage.position,
                deals=int(row.deals) if row else 0,
                avg_days=one_place(Decimal(row.days) / row.deals) if row else None,
            )
        )
    return schemas.SalesCycle(
        period=period.label,
        pipeline_id=pipeline.id,
        won_deals=int(count),
        avg_days=one_place(avg),
        median_days=one_place(median),
        min_days=one_place(shortest),
        max_days=one_place(longest),
        stages=stages,
    )
