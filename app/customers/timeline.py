"""A customer's timeline: follow-ups, tasks, ownership changes, field changes and what other
domains register (e.g. service tickets), merged
newest first with one keyset cursor (kept intact across ownership changes: nothing here is
filtered by who owns the customer now)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import String, cast, func, literal, select, tuple_, union_all

from app.auth.dependencies import Ctx
from app.core import hooks
from app.core.pagination import decode_cursor, encode_cursor
from app.customers import schemas
from app.customers.repository import CustomerRepository
from app.models.audit import AuditEntry
from app.models.customer import Activity, OwnershipChange, Task


async def timeline(
    ctx: Ctx, customer_id: uuid.UUID, limit: int, cursor: str | None
) -> tuple[list[schemas.TimelineItem], str | None, bool]:
    await CustomerRepository(ctx.session, ctx.principal).get(customer_id, include_deleted=True)
    j = func.jsonb_build_object
    parts = union_all(
        select(
            literal("activity").label("kind"),
            cast(Activity.id, String).label("id"),
            Activity.occurred_at.label("at"),
            Activity.author_id.label("actor"),
            j(
                "kind",
                Activity.kind,
                "content",
                Activity.content,
                "contact_id",
                Activity.contact_id,
                "next_follow_up_at",
                Activity.next_follow_up_at,
                "check_in_address",
                Activity.check_in_address,
                "satisfaction",
                Activity.satisfaction,
            ).label("data"),
        ).where(Activity.customer_id == customer_id, Activity.deleted_at.is_(None)),
        select(
            literal("task"),
            cast(Task.id, String),
            Task.created_at,
            Task.created_by,
            j(
                "title",
                Task.title,
                "due_at",
                Task.due_at,
                "done_at",
                Task.done_at,
                "assignee_id",
                Task.assignee_id,
                "kind",
                Task.kind,
            ),
        ).where(Task.customer_id == customer_id, Task.deleted_at.is_(None)),
        select(
            literal("ownership"),
            cast(OwnershipChange.id, String),
            OwnershipChange.occurred_at,
            OwnershipChange.actor_id,
            j(
                "from_user_id",
                OwnershipChange.from_user_id,
                "to_user_id",
                OwnershipChange.to_user_id,
                "kind",
                OwnershipChange.kind,
                "reason",
                OwnershipChange.reason,
            ),
        ).where(OwnershipChange.customer_id == customer_id),
        select(
            literal("change"),
            cast(AuditEntry.id, String),
            AuditEntry.occurred_at,
            AuditEntry.actor_id,
            j("action", AuditEntry.action, "changes", AuditEntry.changes),
        ).where(AuditEntry.entity == "customer", AuditEntry.entity_id == customer_id),
        *(part(ctx.principal, customer_id) for part in hooks.timeline_parts),
    ).subquery("timeline")
    stmt = select(parts)
    if cursor:
        at, item_id = decode_cursor(cursor, "timeline")
        stmt = stmt.where(tuple_(parts.c.at, parts.c.id) < tuple_(literal(at), literal(item_id)))
    stmt = stmt.order_by(parts.c.at.desc(), parts.c.id.desc()).limit(limit + 1)
    rows = (await ctx.session.execute(stmt)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        schemas.TimelineItem(
            id=f"{r.kind}:{r.id}",
            kind=r.kind,
            occurred_at=r.at,
            actor_id=r.actor,
            data=_clean(r.data),
        )
        for r in rows
    ]
    next_cursor = encode_cursor("timeline", rows[-1].at, rows[-1].id) if more and rows else None
    return items, next_cursor, more


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}
