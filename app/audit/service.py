from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement

from app.audit import schemas
from app.audit.repository import AuditRepository
from app.auth.dependencies import Ctx
from app.core.pagination import ListParams, Page
from app.models.audit import AuditEntry
from app.users.repository import UserRepository


async def list_entries(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    *,
    entity: str | None,
    entity_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    since: datetime | None,
    until: datetime | None,
) -> Page[schemas.AuditEntry]:
    filters: list[ColumnElement[bool]] = []
    if entity:
        filters.append(AuditEntry.entity == entity)
    if entity_id:
        filters.append(AuditEntry.entity_id == entity_id)
    if actor_id:
        filters.append(AuditEntry.actor_id == actor_id)
    if since:
        filters.append(AuditEntry.occurred_at >= since)
    if until:
        filters.append(AuditEntry.occurred_at < until)
    rows, cursor, more = await AuditRepository(ctx.session, ctx.principal).page(
        params, sort, *filters
    )
    names = await UserRepository(ctx.session, ctx.principal).names(
        {r.actor_id for r in rows if r.actor_id}
    )
    data = [
        schemas.AuditEntry(
            id=r.id,
            occurred_at=r.occurred_at,
            actor_id=r.actor_id,
            actor_name=names.get(r.actor_id) if r.actor_id else None,
            actor_kind=r.actor_kind,
            action=r.action,
            entity=r.entity,
            entity_id=r.entity_id,
            changes=r.changes,
            request_id=r.request_id,
        )
        for r in rows
    ]
    return Page(data=data, next_cursor=cursor, has_more=more)


async def get_entry(ctx: Ctx, entry_id: uuid.UUID) -> AuditEntry:
    return await AuditRepository(ctx.session, ctx.principal).get(entry_id)
