from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends, Query

from app.audit import schemas, service
from app.audit.repository import AuditRepository
from app.auth.dependencies import Ctx, require
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.errors import Forbidden, NotFound, problem_responses

router = APIRouter(route_class=UnitOfWorkRoute)

AuditSort = AuditRepository.sorting.enum("AuditSort")


@router.get(
    "/audit-log",
    response_model=Page[schemas.AuditEntry],
    tags=["audit"],
    responses=problem_responses(Forbidden),
)
async def list_audit_log(
    params: ListParams = Depends(list_params),
    sort: AuditSort = Query("-occurred_at", description="Sort key"),  # type: ignore[valid-type]
    entity: str | None = Query(None, max_length=60, description="Entity type, e.g. `user`"),
    entity_id: uuid.UUID | None = Query(None, description="One entity's history"),
    actor_id: uuid.UUID | None = Query(None, description="Changes made by this user"),
    since: datetime | None = Query(None, description="At or after this instant"),
    until: datetime | None = Query(None, description="Before this instant"),
    ctx: Ctx = Depends(require("audit")),
) -> Page[schemas.AuditEntry]:
    """Who changed what, newest first, within your data scope."""
    return await service.list_entries(
        ctx,
        params,
        str(sort),
        entity=entity,
        entity_id=entity_id,
        actor_id=actor_id,
        since=since,
        until=until,
    )


@router.get(
    "/audit-log/{entry_id}",
    response_model=schemas.AuditEntry,
    tags=["audit"],
    responses=problem_responses(NotFound),
)
async def get_audit_entry(
    entry_id: uuid.UUID, ctx: Ctx = Depends(require("audit"))
) -> schemas.AuditEntry:
    """One audit entry."""
    r = await service.get_entry(ctx, entry_id)
    return schemas.AuditEntry(
        id=r.id,
        occurred_at=r.occurred_at,
        actor_id=r.actor_id,
        actor_name=None,
        actor_kind=r.actor_kind,
        action=r.action,
        entity=r.entity,
        entity_id=r.entity_id,
        changes=r.changes,
        request_id=r.request_id,
    )
