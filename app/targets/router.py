from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Response, status

from app.analytics.filters import MODULE
from app.analytics.period import InvalidPeriod
from app.auth.dependencies import Ctx, require
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.errors import Forbidden, NotFound, PreconditionFailed, problem_responses
from app.targets import schemas, service
from app.targets.repository import TargetRepository

router = APIRouter(route_class=UnitOfWorkRoute)

TargetSort = TargetRepository.sorting.enum("TargetSort")
READ = require(MODULE)
WRITE = require(MODULE, write=True)


@router.get(
    "/targets",
    response_model=Page[schemas.Target],
    tags=["targets"],
    responses=problem_responses(InvalidPeriod),
)
async def list_targets(
    params: ListParams = Depends(list_params),
    sort: TargetSort = Query("-period_start", description="Sort key"),  # type: ignore[valid-type]
    period: str | None = Query(None, max_length=10, description=schemas.TARGET_PERIOD_DESCRIPTION),
    subject_kind: schemas.SubjectKind | None = Query(None, description="Only this kind"),
    user_id: uuid.UUID | None = Query(None, description="Only this person's targets"),
    team_id: uuid.UUID | None = Query(
        None, description="Targets of this team's subtree: its teams and their people"
    ),
    metric: schemas.TargetMetric | None = Query(None, description="Only this metric"),
    ctx: Ctx = Depends(READ),
) -> Page[schemas.Target]:
    """Targets in your scope: your own, your subtree's people and teams, or all."""
    rows, cursor, more = await service.list_targets(
        ctx,
        params,
        str(sort),
        period=period,
        subject_kind=subject_kind,
        user_id=user_id,
        team_id=team_id,
        metric=metric,
    )
    return Page(data=rows, next_cursor=cursor, has_more=more)


@router.post(
    "/targets",
    response_model=schemas.Target,
    status_code=201,
    tags=["targets"],
    responses=problem_responses(
        Forbidden, InvalidPeriod, service.InvalidSubject, service.TargetExists
    ),
)
async def create_target(data: schemas.TargetCreate, ctx: Ctx = Depends(WRITE)) -> schemas.Target:
    """Set a target for a person, a team or the workspace (managers: their subtree)."""
    return await service.create_target(ctx, data)


@router.get(
    "/targets/progress",
    response_model=schemas.ProgressReport,
    tags=["targets"],
    responses=problem_responses(InvalidPeriod),
)
async def target_progress(
    period: str = Query(max_length=10, description=schemas.TARGET_PERIOD_DESCRIPTION),
    team_id: uuid.UUID | None = Query(
        None, description="Targets of this team's subtree: its teams and their people"
    ),
    owner_id: uuid.UUID | None = Query(None, description="Only this person's targets"),
    metric: schemas.TargetMetric | None = Query(None, description="Only this metric"),
    ctx: Ctx = Depends(READ),
) -> schemas.ProgressReport:
    """Actual against target for the period, with the pace needed for the rest of it."""
    return await service.progress(ctx, period, team_id=team_id, owner_id=owner_id, metric=metric)


@router.get(
    "/targets/{target_id}",
    response_model=schemas.Target,
    tags=["targets"],
    responses=problem_responses(NotFound),
)
async def get_target(
    target_id: uuid.UUID, response: Response, ctx: Ctx = Depends(READ)
) -> schemas.Target:
    """One target."""
    target = await service.get_target(ctx, target_id)
    set_etag(response, target.version)
    return target


@router.patch(
    "/targets/{target_id}",
    response_model=schemas.Target,
    tags=["targets"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_target(
    target_id: uuid.UUID,
    data: schemas.TargetUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(WRITE),
) -> schemas.Target:
    """Change a target's value (or currency); to move it, delete it and set another."""
    return await service.update_target(ctx, target_id, data, version)


@router.delete(
    "/targets/{target_id}",
    status_code=204,
    tags=["targets"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def delete_target(
    target_id: uuid.UUID, version: int | None = Depends(if_match), ctx: Ctx = Depends(WRITE)
) -> Response:
    """Remove a target."""
    await service.delete_target(ctx, target_id, version)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
