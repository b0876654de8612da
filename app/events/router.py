from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from app.auth.dependencies import Ctx, require
from app.core.routing import UnitOfWorkRoute
from app.errors import Forbidden, InvalidCursor, problem_responses
from app.events import schemas, service

router = APIRouter(route_class=UnitOfWorkRoute)


@router.get(
    "/events",
    response_model=schemas.EventPage,
    tags=["events"],
    responses=problem_responses(Forbidden, InvalidCursor),
)
async def list_events(
    cursor: str | None = Query(None, max_length=500, description="From a previous page"),
    types: list[str] = Query(
        default_factory=list,
        max_length=20,
        description="Event types; `customer.*` matches a prefix",
    ),
    limit: int = Query(100, ge=1, le=500, description="Page size"),
    ctx: Ctx = Depends(require("integrations")),
) -> schemas.EventPage:
    """The workspace's change stream in commit-safe order, kept 30 days."""
    return await service.read_feed(ctx, cursor, types, limit)
