"""Every query of the pipeline analytics: set-based, over the deals in the caller's
analytics scope (`scope_condition(Opportunity, principal, "analytics")`) narrowed by the
filters. Status literals are written into the SQL (not bound) so the partial indexes of
open, won and lost deals match under generic plans too."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.filters import MODULE, narrowed
from app.core.pagination import ListParams, SortSpec, paginate
from app.core.principal import Principal
from app.core.scope import scope_condition
from app.models.customer import Customer
from app.models.lead import Campaign, Lead
from app.models.pipeline import (
    LostReason,
    Opportunity,
    OpportunityStageVisit,
    Pipeline,
    PipelineStage,
)
from app.models.user import User

OPEN: ColumnElement[str] = literal_column("'open'")
WON: ColumnElement[str] = literal_column("'won'")
LOST: ColumnElement[str] = literal_column("'lost'")
SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class DealFilters:
    pipeline_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    source: str | None = None
    campaign_id: uuid.UUID | None = None


def deal_conditions(principal: Principal, f: DealFilters) -> list[ColumnElement[bool]]:
    """The caller's analytics scope on deals, the recycle bin left out, then the filters."""
    conditions = [
        scope_condition(Opportunity, principal, MODULE),
        Opportunity.deleted_at.is_(None),
        *narrowed(Opportunity.owner_id, team_id=f.team_id, owner_id=f.owner_id),
    ]
    if f.pipeline_id is not None:
        conditions.append(Opportunity.pipeline_id == f.pipeline_id)
    if f.source is not None:
        conditions.append(Opportunity.source == f.source)
    if f.campaign_id is not None:
        conditions.append(attributed_to(f.campaign_id))
    return conditions


def attributed_to(campaign_id: uuid.UUID) -> ColumnElement[bool]:
    """Deals of a campaign: its own campaign, or (without one) its lead's."""
    return or_(
        Opportunity.campaign_id == campaign_id,
        and_(
            Opportunity.campaign_id.is_(None),
            Opportunity.lead_id.in_(select(Lead.id).where(Lead.campaign_id == campaign_id)),
        ),
    )


def local_month(column: Any, zone: str) -> ColumnElement[str]:
    """`YYYY-MM` of an instant in the workspace's time zone."""
    return func.to_char(func.timezone(zone, column), "YYYY-MM")


def days_between(later: Any, earlier: Any) -> ColumnElement[Any]:
    """Exact days (fractional) between two instants, as numeric."""
    return func.extract("epoch", later - earlier) / SECONDS_PER_DAY


# --- pipelines and stages ----------------------------------------------------------------


async def pipeline_or_default(
    session: AsyncSession, pipeline_id: uuid.UUID | None
) -> Pipeline | None:
    stmt = select(Pipeline).where(Pipeline.deleted_at.is_(None))
    if pipeline_id is not None:
        stmt = stmt.where(Pipeline.id == pipeline_id)
    else:
        stmt = stmt.where(Pipeline.is_default.is_(True))
    return (await session.execute(stmt)).scalar_one_or_none()


async def stages_of(session: AsyncSession, pipeline_id: uuid.UUID) -> Sequence[PipelineStage]:
    return (
        (
            await session.execute(
                select(PipelineStage)
                .where(PipelineStage.pipeline_id == pipeline_id, PipelineStage.deleted_at.is_(None))
                .order_by(PipelineStage.position, PipelineStage.id)
            )
        )
        .scalars()
        .all()
    )


# --- funnel --------------------------------------------------------------------------------


async def funnel_reach(
    session: AsyncSession,
    principal: Principal,
    f: DealFilters,
    start: datetime,
    end: datetime,
    open_positions: dict[uuid.UUID, int],
) -> Sequence[Row[Any]]:
    """The creation cohort grouped by (furthest open position reached, status, stage).

    A deal reached position p when it ever stayed in an open stage of the pipeline at
    position ≥ p (`open_positions`: open stage → position); a won deal reached them all;
    a deal never seen in an open stage (created straight into a closed one) still entered
    the first.

    Each deal carries the stages it has been in (`visited_stages`, added to by a trigger
    whenever its stage changes); they are mapped through the pipeline's current open stages
    here, so
    the cohort is grouped straight from `ix_opportunities_created_live`, which covers it.
    """
    first, last = min(open_positions.values()), max(open_positions.values())
    furthest = func.greatest(
        *[
            case((Opportunity.visited_stages.contains([stage_id]), literal(p)))
            for stage_id, p in open_positions.items()
        ]
    )
    per_deal = (
        select(
            Opportunity.status.label("status"),
            Opportunity.stage_id.label("stage_id"),
            furthest.label("furthest"),
        )
        .where(
            *deal_conditions(principal, f),
            Opportunity.created_at >= start,
            Opportunity.created_at < end,
        )
        .subquery("per_deal")
    )
    reached = case(
        (per_deal.c.status == WON, literal(last)),
        else_=func.coalesce(per_deal.c.furthest, literal(first)),
    ).label("reached")
    stmt = select(
        reached, per_deal.c.status, per_deal.c.stage_id, func.count().label("deals")
    ).group_by(reached, per_deal.c.status, per_deal.c.stage_id)
    rows: Sequence[Row[Any]] = (await session.execute(stmt)).all()
    return rows


async def cohort_won(
    session: AsyncSession, principal: Principal, f: DealFilters, start: datetime, end: datetime
) -> Sequence[Row[Any]]:
    """Won deals of the creation cohort: per currency count and amount, and the summed days
    from creation to win (numeric, exact)."""
    stmt = (
        select(
            Opportunity.currency,
            func.count().label("deals"),
            func.sum(Opportunity.amount).label("amount"),
            func.sum(days_between(Opportunity.won_at, Opportunity.created_at)).label("days"),
        )
        .where(
            *deal_conditions(principal, f),
            Opportunity.status == WON,
            Opportunity.created_at >= start,
            Opportunity.created_at < end,
        )
        .group_by(Opportunity.currency)
        .order_by(Opportunity.currency)
    )
    rows: Sequence[Row[Any]] = (await session.execute(stmt)).all()
    return rows


# --- forecast and coverage ---------------------------------------------------------------


async def open_by_month(
    session: AsyncSession,
    principal: Principal,
    f: DealFilters,
    currency: str,
    first: date,
    after: date,
    commit_probability: int,
) -> Sequence[Row[Any]]:
    """Open deals expected to close in [first, after), per month: count, full amount,
    commit amount and Σ amount × probability (not yet divided by 100)."""
    month = func.to_char(Opportunity.expected_close_date, "YYYY-MM").label("month")
    stmt = (
        select(
            month,
            func.count().label("deals"),
            func.sum(Opportunity.amount).label("amount"),
            func.coalesce(
                func.sum(Opportunity.amount).filter(Opportunity.probability >= commit_probability),
                0,
            ).label("commit"),
            func.sum(Opportunity.amount * Opportunity.probability).label("weighted"),
        )
        .where(
            *deal_conditions(principal, f),
            Opportunity.status == OPEN,
            Opportunity.currency == currency,
            Opportunity.expected_close_date >= first,
            Opportunity.expected_close_date < after,
        )
        .group_by(month)
    )
    return (await session.execute(stmt)).all()


async def open_before(
    session: AsyncSession, principal: Principal, f: DealFilters, currency: str, first: date
) -> tuple[int, Decimal]:
    row = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(Opportunity.amount), 0)).where(
                *deal_conditions(principal, f),
                Opportunity.status == OPEN,
                Opportunity.currency == currency,
                Opportunity.expected_close_date < first,
            )
        )
    ).one()
    return int(row[0]), Decimal(row[1])


async def won_by_month(
    session: AsyncSession,
    principal: Principal,
    f: DealFilters,
    currency: str,
    start: datetime,
    end: datetime,
    zone: str,
) -> dict[str, Decimal]:
    month = local_month(Opportunity.won_at, zone).label("month")
    rows = await session.execute(
        select(month, func.sum(Opportunity.amount))
        .where(
            *deal_conditions(principal, f),
            Opportunity.status == WON,
            Opportunity.currency == currency,
            Opportunity.won_at >= start,
            Opportunity.won_at < end,
        )
        .group_by(month)
    )
    return {m: Decimal(amount) for m, amount in rows.all()}


async def won_total(
    session: AsyncSession,
    principal: Principal,
    f: DealFilters,
    currency: str,
    start: datetime,
    end: datetime,
) -> Decimal:
    value = await session.scalar(
        select(func.coalesce(func.sum(Opportunity.amount), 0)).where(
            *deal_conditions(principal, f),
            Opportunity.status == WON,
            Opportunity.currency == currency,
            Opportunity.won_at >= start,
            Opportunity.won_at < end,
        )
    )
    return Decimal(value or 0)


# --- stale deals -------------------------------------------------------------------------


def rot_since() -> ColumnElement[datetime]:
    """When the deal started rotting: entered its stage + the stage's rotting days."""
    return Opportunity.stage_entered_at + func.make_interval(0, 0, 0, PipelineStage.rotting_days)


STALE_SORTING = SortSpec(Opportunity.id, rot_since=rot_since())


async def stale_page(
    session: AsyncSession,
    principal: Principal,
    f: DealFilters,
    stage_id: uuid.UUID | None,
    now: datetime,
    params: ListParams,
) -> tuple[Sequence[Opportunity], str | None, bool]:
    """Open deals past their stage's rotting days, longest rotting first."""
    stmt = (
        select(Opportunity)
        .join(
            PipelineStage,
            and_(
                PipelineStage.workspace_id == Opportunity.workspace_id,
                PipelineStage.id == Opportunity.stage_id,
            ),
        )
        .where(
            *deal_conditions(principal, f),
            Opportunity.status == OPEN,
            PipelineStage.rotting_days.is_not(None),
            rot_since() < now,
        )
    )
    if stage_id is not None:
        stmt = stmt.where(Opportunity.stage_id == stage_id)
    return await paginate(session, stmt, params, STALE_SORTING, "rot_since")


async def names_for(
    session: AsyncSession, deals: Sequence[Opportunity]
) -> tuple[dict[uuid.UUID, PipelineStage], dict[uuid.UUID, str], dict[uuid.UUID, str]]:
    """Stages, customer names and owner names of a page of deals (three lookups)."""
    stage_ids = {d.stage_id for d in deals}
    customer_ids = {d.customer_id for d in deals}
    owner_ids = {d.owner_id for d in deals if d.owner_id}
    stages = {
        s.id: s
        for s in (
            await session.execute(select(PipelineStage).where(PipelineStage.id.in_(stage_ids)))
        ).scalars()
    }
    customers = {
        r.id: r.name
        for r in await session.execute(
            select(Customer.id, Customer.name).where(Customer.id.in_(customer_ids))
        )
    }
    owners = {
        r.id: r.name
        for r in await session.execute(select(User.id, User.name).where(User.id.in_(owner_ids)))
    }
    return stages, customers, owners


# --- lost reasons --------------------------------------------------------------------------


async def lost_by_reason(
    session: AsyncSession, principal: Principal, f: DealFilters, start: datetime, end: datetime
) -> Sequence[Row[Any]]:
    stmt = (
        select(
            Opportunity.lost_reason_id,
            LostReason.label_zh,
            LostReason.label_en,
            Opportunity.currency,
            func.count().label("deals"),
            func.sum(Opportunity.amount).label("amount"),
        )
        .outerjoin(
            LostReason,
            and_(
                LostReason.workspace_id == Opportunity.workspace_id,
                LostReason.id == Opportunity.lost_reason_id,
            ),
        )
        .where(
            *deal_conditions(principal, f),
            Opportunity.status == LOST,
            Opportunity.lost_at >= start,
            Opportunity.lost_at < end,
        )
        .group_by(
            Opportunity.lost_reason_id,
            LostReason.label_zh,
            LostReason.label_en,
            Opportunity.currency,
        )
    )
    return (await session.execute(stmt)).all()


# --- campaign ROI ----------------------------------------------------------------------------


def campaign_of_deal() -> ColumnElement[uuid.UUID]:
    """The campaign a deal is attributed to: its own, else its lead's."""
    lead_campaign = (
        select(Lead.campaign_id)
        .where(Lead.workspace_id == Opportunity.workspace_id, Lead.id == Opportunity.lead_id)
        .scalar_subquery()
    )
    return func.coalesce(Opportunity.campaign_id, lead_campaign)


async def campaigns_in(
    session: AsyncSession, start: date | None, after: date | None
) -> Sequence[Campaign]:
    """Live campaigns that ran (start/end dates overlap) in [start, after); all without."""
    stmt = select(Campaign).where(Campaign.deleted_at.is_(None))
    if start is not None and after is not None:
        stmt = stmt.where(
            or_(Campaign.start_date.is_(None), Campaign.start_date < after),
            or_(Campaign.end_date.is_(None), Campaign.end_date >= start),
        )
    return (await session.execute(stmt.order_by(Campaign.name, Campaign.id))).scalars().all()


async def campaign_deals(
    session: AsyncSession,
    principal: Principal,
    f: DealFilters,
    campaign_ids: list[uuid.UUID],
) -> Sequence[Row[Any]]:
    """Deals attributed to the campaigns, per (campaign, status, currency): count, amount."""
    attributed = campaign_of_deal().label("campaign_id")
    stmt = (
        select(
            attributed,
            Opportunity.status,
            Opportunity.currency,
            func.count().label("deals"),
            func.sum(Opportunity.amount).label("amount"),
        )
        .where(
            *deal_conditions(principal, f),
            or_(Opportunity.campaign_id.is_not(None), Opportunity.lead_id.is_not(None)),
            campaign_of_deal().in_(campaign_ids),
        )
        .group_by(attributed, Opportunity.status, Opportunity.currency)
    )
    return (await session.execute(stmt)).all()


async def campaign_leads(
    session: AsyncSession,
    principal: Principal,
    team_id: uuid.UUID | None,
    owner_id: uuid.UUID | None,
    campaign_ids: list[uuid.UUID],
) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(Lead.campaign_id, func.count())
        .where(
            scope_condition(Lead, principal, MODULE),
            Lead.deleted_at.is_(None),
            Lead.campaign_id.in_(campaign_ids),
            *narrowed(Lead.owner_id, team_id=team_id, owner_id=owner_id),
        )
        .group_by(Lead.campaign_id)
    )
    return {campaign_id: int(n) for campaign_id, n in rows.all()}


# --- sales cycle ---------------------------------------------------------------------------


async def won_cycle_days(
    session: AsyncSession, principal: Principal, f: DealFilters, start: datetime, end: datetime
) -> Row[Any]:
    """Count, mean, median, min and max days from creation to win of deals won in
    [start, end), computed exactly in SQL (numeric)."""
    days = days_between(Opportunity.won_at, Opportunity.created_at)
    return (
        await session.execute(
            select(
                func.count(),
                func.avg(days),
                func.percentile_cont(0.5).within_group(days),
                func.min(days),
                func.max(days),
            ).where(
                *deal_conditions(principal, f),
                Opportunity.status == WON,
                Opportunity.won_at >= start,
                Opportunity.won_at < end,
            )
        )
    ).one()


async def stage_dwell(
    session: AsyncSession, principal: Principal, f: DealFilters, start: datetime, end: datetime
) -> Sequence[Row[Any]]:
    """Per stage: how many of the deals won in [start, end) stayed in it, and their total
    days in it (every stay summed; a stay still open ends at the win)."""
    left = func.coalesce(OpportunityStageVisit.left_at, Opportunity.won_at)
    stmt = (
        select(
            OpportunityStageVisit.stage_id,
            func.count(func.distinct(Opportunity.id)).label("deals"),
            func.sum(days_between(left, OpportunityStageVisit.entered_at)).label("days"),
        )
        .select_from(Opportunity)
        .join(
            OpportunityStageVisit,
            and_(
                OpportunityStageVisit.workspace_id == Opportunity.workspace_id,
                OpportunityStageVisit.opportunity_id == Opportunity.id,
            ),
        )
        .where(
            *deal_conditions(principal, f),
            Opportunity.status == WON,
            Opportunity.won_at >= start,
            Opportunity.won_at < end,
        )
        .group_by(OpportunityStageVisit.stage_id)
    )
    rows: Sequence[Row[Any]] = (await session.execute(stmt)).all()
    return rows
