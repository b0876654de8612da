from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query

from app.analytics.filters import MODULE
from app.analytics.period import PERIOD_DESCRIPTION, parse_period
from app.analytics.sales import schemas, service
from app.analytics.sales.repository import DealFilters
from app.auth.dependencies import Ctx, require
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.errors import NotFound, problem_responses

router = APIRouter(route_class=UnitOfWorkRoute)

CURRENCY = Query("CNY", pattern="^[A-Z]{3}$", description="Currency counted (ISO 4217)")


async def deal_filters(
    pipeline_id: uuid.UUID | None = Query(None, description="Pipeline (default: the default)"),
    team_id: uuid.UUID | None = Query(None, description="Deals owned in this team's subtree"),
    owner_id: uuid.UUID | None = Query(None, description="Deals of this owner"),
    source: str | None = Query(None, max_length=100, description="Deal source equals"),
    campaign_id: uuid.UUID | None = Query(
        None, description="Deals of this campaign (its own, or its lead's)"
    ),
) -> DealFilters:
    return DealFilters(pipeline_id, team_id, owner_id, source, campaign_id)


async def owner_filters(
    pipeline_id: uuid.UUID | None = Query(None, description="Only this pipeline"),
    team_id: uuid.UUID | None = Query(None, description="Deals owned in this team's subtree"),
    owner_id: uuid.UUID | None = Query(None, description="Deals of this owner"),
) -> DealFilters:
    return DealFilters(pipeline_id, team_id, owner_id)


@router.get(
    "/analytics/funnel",
    response_model=schemas.Funnel,
    tags=["analytics"],
    responses=problem_responses(NotFound),
)
async def sales_funnel(
    period: str = Query(..., max_length=10, description=PERIOD_DESCRIPTION),
    filters: DealFilters = Depends(deal_filters),
    ctx: Ctx = Depends(require(MODULE)),
) -> schemas.Funnel:
    """Stage-to-stage conversion and win rate of the deals created in the period."""
    return await service.funnel(ctx, parse_period(period), filters)


@router.get("/analytics/forecast", response_model=schemas.Forecast, tags=["analytics"])
async def sales_forecast(
    from_: str | None = Query(
        None, alias="from", max_length=7, description="First month, YYYY-MM (default: this one)"
    ),
    months: int = Query(6, ge=1, le=24, description="How many months (1–24)"),
    currency: str = CURRENCY,
    commit_probability: int = Query(
        service.COMMIT_PROBABILITY, ge=1, le=100, description="Probability (%) counted as commit"
    ),
    filters: DealFilters = Depends(owner_filters),
    ctx: Ctx = Depends(require(MODULE)),
) -> schemas.Forecast:
    """Won, commit, best case and weighted pipeline by expected close month, with targets."""
    first = service.parse_month(from_, "query.from") if from_ is not None else None
    return await service.forecast(ctx, first, months, currency, commit_probability, filters)


@router.get("/analytics/coverage", response_model=schemas.Coverage, tags=["analytics"])
async def pipeline_coverage(
    period: str = Query(..., max_length=10, description=PERIOD_DESCRIPTION),
    currency: str = CURRENCY,
    filters: DealFilters = Depends(owner_filters),
    ctx: Ctx = Depends(require(MODULE)),
) -> schemas.Coverage:
    """Open pipeline expected to close in the period against what is left of the target."""
    return await service.coverage(ctx, parse_period(period), currency, filters)


@router.get("/analytics/stale-deals", response_model=Page[schemas.StaleDeal], tags=["analytics"])
async def stale_deals(
    params: ListParams = Depends(list_params),
    stage_id: uuid.UUID | None = Query(None, description="Only this stage"),
    filters: DealFilters = Depends(owner_filters),
    ctx: Ctx = Depends(require(MODULE)),
) -> Page[schemas.StaleDeal]:
    """Open deals sitting in their stage longer than its rotting days, most overdue first."""
    rows, cursor, more = await service.stale_deals(ctx, filters, stage_id, params)
    return Page(data=rows, next_cursor=cursor, has_more=more)


@router.get("/analytics/lost-reasons", response_model=schemas.LostReasons, tags=["analytics"])
async def lost_reasons(
    period: str = Query(..., max_length=10, description=PERIOD_DESCRIPTION),
    filters: DealFilters = Depends(owner_filters),
    ctx: Ctx = Depends(require(MODULE)),
) -> schemas.LostReasons:
    """Deals lost in the period by reason, with counts, shares and amounts."""
    return await service.lost_reasons(ctx, parse_period(period), filters)


@router.get("/analytics/campaign-roi", response_model=schemas.CampaignRoi, tags=["analytics"])
async def campaign_roi(
    period: str | None = Query(
        None,
        max_length=10,
        description="Only campaigns that ran in this period (start/end dates overlap). "
        + PERIOD_DESCRIPTION,
    ),
    filters: DealFilters = Depends(owner_filters),
    ctx: Ctx = Depends(require(MODULE)),
) -> schemas.CampaignRoi:
    """Won amount of each campaign's deals (its own or its leads') per yuan it cost."""
    return await service.campaign_roi(
        ctx, parse_period(period) if period is not None else None, filters
    )


@router.get(
    "/analytics/sales-cycle",
    response_model=schemas.SalesCycle,
    tags=["analytics"],
    responses=problem_responses(NotFound),
)
async def sales_cycle(
    period: str = Query(..., max_length=10, description=PERIOD_DESCRIPTION),
    filters: DealFilters = Depends(owner_filters),
    ctx: Ctx = Depends(require(MODULE)),
) -> schemas.SalesCycle:
    """Days from creation to win of the deals won in the period, and time spent per stage."""
    return await service.sales_cycle(ctx, parse_period(period), filters)
