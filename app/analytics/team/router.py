from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query

from app.analytics.filters import MODULE
from app.analytics.period import PERIOD_DESCRIPTION, InvalidPeriod
from app.analytics.team import schemas, service
from app.auth.dependencies import Ctx, require
from app.core.routing import UnitOfWorkRoute
from app.errors import problem_responses

router = APIRouter(route_class=UnitOfWorkRoute)


@router.get(
    "/analytics/leaderboard",
    response_model=schemas.Leaderboard,
    tags=["analytics"],
    responses=problem_responses(InvalidPeriod),
)
async def leaderboard(
    metric: schemas.LeaderboardMetric = Query(description="What to rank people by"),
    period: str = Query(max_length=20, description=PERIOD_DESCRIPTION),
    team_id: uuid.UUID | None = Query(None, description="Only people of this team's subtree"),
    currency: str = Query("CNY", pattern="^[A-Z]{3}$", description="Currency of the money metrics"),
    limit: int = Query(10, ge=1, le=200, description="Rows to return (1–200)"),
    ctx: Ctx = Depends(require(MODULE)),
) -> schemas.Leaderboard:
    """People ranked by won amount, payments received, new customers, follow-ups or visits."""
    return await service.leaderboard(
        ctx, metric, period, team_id=team_id, currency=currency, limit=limit
    )


@router.get(
    "/analytics/activity-stats",
    response_model=schemas.ActivityStats,
    tags=["analytics"],
    responses=problem_responses(InvalidPeriod),
)
async def activity_stats(
    period: str = Query(max_length=20, description=PERIOD_DESCRIPTION),
    team_id: uuid.UUID | None = Query(None, description="Only people of this team's subtree"),
    owner_id: uuid.UUID | None = Query(None, description="Only this person"),
    ctx: Ctx = Depends(require(MODULE)),
) -> schemas.ActivityStats:
    """Follow-ups per person and kind in a period, with the customers they touched."""
    return await service.activity_stats(ctx, period, team_id=team_id, owner_id=owner_id)
