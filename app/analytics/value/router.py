from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query

from app.analytics.filters import MODULE
from app.analytics.period import PERIOD_DESCRIPTION, InvalidPeriod, parse_period
from app.analytics.value import schemas, service
from app.analytics.value.repository import Who
from app.analytics.value.scoring import InvalidRfmSettings
from app.auth.dependencies import Ctx, require
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.errors import Forbidden, NotFound, problem_responses

router = APIRouter(route_class=UnitOfWorkRoute)

CURRENCY = Query(
    None, pattern="^[A-Z]{3}$", description="Currency counted (default: the RFM settings')"
)
TOP_PERCENT = Query(20, ge=1, le=100, description="Size of the head in % of buyers")
#: one dependency object, so FastAPI resolves it once per request
READ = require(MODULE)


async def who(
    team_id: uuid.UUID | None = Query(None, description="Customers owned in this team's subtree"),
    owner_id: uuid.UUID | None = Query(None, description="Customers of this owner"),
    ctx: Ctx = Depends(READ),
) -> Who:
    return Who(ctx.principal, team_id, owner_id)


# --- settings and runs -------------------------------------------------------------------


@router.get("/settings/rfm", response_model=schemas.RfmSettings, tags=["settings"])
async def get_rfm_settings(ctx: Ctx = Depends(READ)) -> schemas.RfmSettings:
    """RFM scoring: purchase sources, window, thresholds, weights, tiers, churn rules."""
    return await service.get_settings(ctx)


@router.put(
    "/settings/rfm",
    response_model=schemas.RfmSettings,
    tags=["settings"],
    responses=problem_responses(Forbidden, InvalidRfmSettings),
)
async def put_rfm_settings(
    data: schemas.RfmSettingsIn, ctx: Ctx = Depends(require("settings", write=True))
) -> schemas.RfmSettings:
    """Replace the RFM settings (owners, admins) and queue a recompute under them."""
    return await service.update_settings(ctx, data)


@router.post(
    "/analytics/rfm/preview",
    response_model=schemas.RfmPreview,
    tags=["analytics"],
    responses=problem_responses(InvalidRfmSettings),
)
async def preview_rfm(
    data: schemas.RfmPreviewRequest, ctx: Ctx = Depends(READ)
) -> schemas.RfmPreview:
    """Score a sample customer under settings being edited (nothing is saved)."""
    return service.preview(data)


@router.post(
    "/analytics/rfm/recompute",
    response_model=schemas.RfmRun,
    status_code=202,
    tags=["analytics"],
    responses=problem_responses(Forbidden),
)
async def recompute_rfm(ctx: Ctx = Depends(READ)) -> schemas.RfmRun:
    """Queue a recompute of every customer's scores (owners, admins); poll the run."""
    return schemas.RfmRun.model_validate(await service.request_recompute(ctx))


@router.get(
    "/analytics/rfm/runs/{run_id}",
    response_model=schemas.RfmRun,
    tags=["analytics"],
    responses=problem_responses(NotFound),
)
async def get_rfm_run(run_id: uuid.UUID, ctx: Ctx = Depends(READ)) -> schemas.RfmRun:
    """A recompute's status and counts."""
    return schemas.RfmRun.model_validate(await service.get_run(ctx, run_id))


@router.get("/analytics/rfm", response_model=schemas.RfmDistribution, tags=["analytics"])
async def rfm_distribution(
    scope: Who = Depends(who), ctx: Ctx = Depends(READ)
) -> schemas.RfmDistribution:
    """The R × F × M cube and the customers per tier, in your scope."""
    return await service.distribution(ctx, scope)


@router.get(
    "/customers/{customer_id}/rfm-history",
    response_model=Page[schemas.RfmHistoryEntry],
    tags=["customers"],
    responses=problem_responses(NotFound),
)
async def customer_rfm_history(
    customer_id: uuid.UUID,
    params: ListParams = Depends(list_params),
    ctx: Ctx = Depends(require("customers")),
) -> Page[schemas.RfmHistoryEntry]:
    """A customer's RFM tier changes, newest first."""
    rows, cursor, more = await service.history(ctx, customer_id, params)
    return Page(
        data=[schemas.RfmHistoryEntry.model_validate(r) for r in rows],
        next_cursor=cursor,
        has_more=more,
    )


# --- Pareto, key accounts, churn, cohorts, revenue ---------------------------------------


@router.get(
    "/analytics/pareto",
    response_model=schemas.Pareto,
    tags=["analytics"],
    responses=problem_responses(InvalidPeriod),
)
async def pareto(
    period: str = Query(..., max_length=10, description=PERIOD_DESCRIPTION),
    currency: str | None = CURRENCY,
    top_percent: int = TOP_PERCENT,
    scope: Who = Depends(who),
    ctx: Ctx = Depends(READ),
) -> schemas.Pareto:
    """Share of the period's revenue from the top 20 % of buyers, and the whole curve."""
    return await service.pareto(ctx, parse_period(period), currency, top_percent, scope)


@router.get(
    "/analytics/key-accounts",
    response_model=Page[schemas.KeyAccount],
    tags=["analytics"],
    responses=problem_responses(InvalidPeriod),
)
async def key_accounts(
    period: str = Query(..., max_length=10, description=PERIOD_DESCRIPTION),
    currency: str | None = CURRENCY,
    top_percent: int = TOP_PERCENT,
    params: ListParams = Depends(list_params),
    scope: Who = Depends(who),
    ctx: Ctx = Depends(READ),
) -> Page[schemas.KeyAccount]:
    """The buyers of the Pareto head (大客户), largest revenue first."""
    rows, cursor, more = await service.key_accounts(
        ctx, parse_period(period), currency, top_percent, scope, params
    )
    return Page(data=rows, next_cursor=cursor, has_more=more)


@router.get("/analytics/churn-risk", response_model=Page[schemas.ChurnRisk], tags=["analytics"])
async def churn_risk(
    params: ListParams = Depends(list_params),
    scope: Who = Depends(who),
    ctx: Ctx = Depends(READ),
) -> Page[schemas.ChurnRisk]:
    """Buyers overdue against their own purchase rhythm or without follow-up, most valuable
    first."""
    rows, cursor, more = await service.churn_risk(ctx, scope, params)
    return Page(data=rows, next_cursor=cursor, has_more=more)


@router.get(
    "/analytics/cohorts",
    response_model=schemas.Cohorts,
    tags=["analytics"],
    responses=problem_responses(InvalidPeriod),
)
async def cohorts(
    from_: str = Query(..., alias="from", max_length=7, description="First cohort, YYYY-MM"),
    to: str = Query(..., max_length=7, description="Last cohort, YYYY-MM (24 at most)"),
    scope: Who = Depends(who),
    ctx: Ctx = Depends(READ),
) -> schemas.Cohorts:
    """Retention by first-purchase month: % still buying in each of the next 12 months."""
    first = service.parse_month(from_, "query.from")
    last = service.parse_month(to, "query.to")
    return await service.cohorts(ctx, first, last, scope)


@router.get(
    "/analytics/revenue",
    response_model=schemas.Revenue,
    tags=["analytics"],
    responses=problem_responses(InvalidPeriod),
)
async def revenue(
    period: str = Query(..., max_length=10, description=PERIOD_DESCRIPTION),
    granularity: schemas.Granularity = Query(
        schemas.Granularity.month, description="Bucket size: day, week or month"
    ),
    currency: str | None = CURRENCY,
    scope: Who = Depends(who),
    ctx: Ctx = Depends(READ),
) -> schemas.Revenue:
    """Orders and payments received per day, week or month of the period."""
    return await service.revenue(ctx, parse_period(period), granularity, currency, scope)
