from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Response, status

from app.analytics.filters import MODULE
from app.analytics.period import InvalidPeriod
from app.auth.dependencies import Ctx, require
from app.commission import schemas, service
from app.commission.repository import PlanRepository
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.errors import Forbidden, NotFound, PreconditionFailed, problem_responses
from app.targets.schemas import TARGET_PERIOD_DESCRIPTION

router = APIRouter(route_class=UnitOfWorkRoute)

PlanSort = PlanRepository.sorting.enum("CommissionPlanSort")
READ_PLANS = require("settings")
WRITE_PLANS = require("settings", write=True)
READ_STATEMENTS = require(MODULE)


@router.get("/commission/plans", response_model=Page[schemas.CommissionPlan], tags=["commission"])
async def list_plans(
    params: ListParams = Depends(list_params),
    sort: PlanSort = Query("priority", description="Sort key"),  # type: ignore[valid-type]
    ctx: Ctx = Depends(READ_PLANS),
) -> Page[schemas.CommissionPlan]:
    """Commission plans, in the order they are tried by default."""
    rows, cursor, more = await service.list_plans(ctx, params, str(sort))
    return Page(data=rows, next_cursor=cursor, has_more=more)


@router.post(
    "/commission/plans",
    response_model=schemas.CommissionPlan,
    status_code=201,
    tags=["commission"],
    responses=problem_responses(Forbidden, service.InvalidPlan, service.PlanNameTaken),
)
async def create_plan(
    data: schemas.CommissionPlanCreate, ctx: Ctx = Depends(WRITE_PLANS)
) -> schemas.CommissionPlan:
    """Add a commission plan (admins)."""
    return await service.create_plan(ctx, data)


@router.get(
    "/commission/plans/{plan_id}",
    response_model=schemas.CommissionPlan,
    tags=["commission"],
    responses=problem_responses(NotFound),
)
async def get_plan(
    plan_id: uuid.UUID, response: Response, ctx: Ctx = Depends(READ_PLANS)
) -> schemas.CommissionPlan:
    """One commission plan."""
    plan = await service.get_plan(ctx, plan_id)
    set_etag(response, plan.version)
    return plan


@router.patch(
    "/commission/plans/{plan_id}",
    response_model=schemas.CommissionPlan,
    tags=["commission"],
    responses=problem_responses(
        NotFound, Forbidden, PreconditionFailed, service.InvalidPlan, service.PlanNameTaken
    ),
)
async def update_plan(
    plan_id: uuid.UUID,
    data: schemas.CommissionPlanUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(WRITE_PLANS),
) -> schemas.CommissionPlan:
    """Change a commission plan (admins); statements are computed from the current plan."""
    return await service.update_plan(ctx, plan_id, data, version)


@router.delete(
    "/commission/plans/{plan_id}",
    status_code=204,
    tags=["commission"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def delete_plan(
    plan_id: uuid.UUID, version: int | None = Depends(if_match), ctx: Ctx = Depends(WRITE_PLANS)
) -> Response:
    """Remove a commission plan (admins)."""
    await service.delete_plan(ctx, plan_id, version)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/commission/statements",
    response_model=Page[schemas.CommissionStatement],
    tags=["commission"],
    responses=problem_responses(InvalidPeriod),
)
async def list_statements(
    period: str = Query(max_length=10, description=TARGET_PERIOD_DESCRIPTION),
    team_id: uuid.UUID | None = Query(None, description="Only people of this team's subtree"),
    limit: int = Query(50, ge=1, le=200, description="Page size (1–200)"),
    cursor: str | None = Query(None, max_length=2000, description="Opaque cursor from a page"),
    ctx: Ctx = Depends(READ_STATEMENTS),
) -> Page[schemas.CommissionStatement]:
    """Commission per rep in your scope for a month, quarter or year, by name."""
    rows, next_cursor, more = await service.list_statements(
        ctx, period, limit, cursor, team_id=team_id
    )
    return Page(data=rows, next_cursor=next_cursor, has_more=more)


@router.get(
    "/commission/statements/{user_id}",
    response_model=schemas.CommissionStatement,
    tags=["commission"],
    responses=problem_responses(InvalidPeriod, NotFound),
)
async def get_statement(
    user_id: uuid.UUID,
    period: str = Query(max_length=10, description=TARGET_PERIOD_DESCRIPTION),
    ctx: Ctx = Depends(READ_STATEMENTS),
) -> schemas.CommissionStatement:
    """One rep's commission statement for the period."""
    return await service.get_statement(ctx, user_id, period)


@router.get(
    "/commission/statements/{user_id}/payments",
    response_model=Page[schemas.CommissionPayment],
    tags=["commission"],
    responses=problem_responses(InvalidPeriod, NotFound),
)
async def list_statement_payments(
    user_id: uuid.UUID,
    period: str = Query(max_length=10, description=TARGET_PERIOD_DESCRIPTION),
    limit: int = Query(50, ge=1, le=200, description="Page size (1–200)"),
    cursor: str | None = Query(None, max_length=2000, description="Opaque cursor from a page"),
    ctx: Ctx = Depends(READ_STATEMENTS),
) -> Page[schemas.CommissionPayment]:
    """The payments behind a statement, oldest first, each split into its commission lines."""
    params = ListParams(limit=limit, cursor=cursor, updated_since=None, include_deleted=False)
    rows, next_cursor, more = await service.statement_payments(ctx, user_id, period, params)
    return Page(data=rows, next_cursor=next_cursor, has_more=more)
