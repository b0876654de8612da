"""Every query of the webhooks domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import delete, func, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import SortSpec
from app.core.principal import Role
from app.core.repository import RepositoryBase
from app.models.event import Event
from app.models.user import User
from app.models.webhook import (
    WebhookCursor,
    WebhookDelivery,
    WebhookDeliveryAttempt,
    WebhookEndpoint,
)


class EndpointRepository(RepositoryBase[WebhookEndpoint]):
    model = WebhookEndpoint
    entity = "webhook_endpoint"
    sorting: ClassVar[SortSpec] = SortSpec(
        WebhookEndpoint.id, created_at=WebhookEndpoint.created_at, url=WebhookEndpoint.url
    )


class DeliveryRepository(RepositoryBase[WebhookDelivery]):
    model = WebhookDelivery
    entity = "webhook_delivery"
    sorting: ClassVar[SortSpec] = SortSpec(
        WebhookDelivery.id, created_at=WebhookDelivery.created_at
    )


async def attempts_of(
    session: AsyncSession, delivery_id: uuid.UUID
) -> Sequence[WebhookDeliveryAttempt]:
    stmt = (
        select(WebhookDeliveryAttempt)
        .where(WebhookDeliveryAttempt.delivery_id == delivery_id)
        .order_by(WebhookDeliveryAttempt.attempt)
    )
    return (await session.execute(stmt)).scalars().all()


# --- the dispatcher (workspace-bound job sessions) ----------------------------------------


async def workspaces_with_endpoints(session: AsyncSession) -> list[uuid.UUID]:
    """Workspaces with an active endpoint (a SECURITY DEFINER function: no workspace bound)."""
    rows = await session.execute(text("SELECT rapport_webhook_workspaces()"))
    return [row[0] for row in rows]


async def ensure_cursor(session: AsyncSession, since: datetime, *, fast_forward: bool) -> None:
    """Start the workspace's fan-out cursor just before `since` (an endpoint switched on).

    Only events that happened after an endpoint was switched on go to it, so the cursor may
    start at the newest event older than `since` minus a margin (a transaction running longer
    than the margin is the only way an older-looking event could sort after it). With
    `fast_forward` (no other endpoint is active, so the backlog interests nobody) an existing
    cursor jumps there too — never backwards.
    """
    cutoff = since - timedelta(minutes=10)
    start = (
        await session.execute(
            select(Event.txid, Event.id)
            .where(Event.occurred_at < cutoff)
            .order_by(Event.occurred_at.desc())  # no tie-break: the index gives this order
            .limit(1)
        )
    ).one_or_none()
    txid, event_id = (int(start[0]), int(start[1])) if start else (0, 0)
    stmt = insert(WebhookCursor).values(last_txid=txid, last_event_id=event_id)
    if fast_forward:
        current = tuple_(WebhookCursor.last_txid, WebhookCursor.last_event_id)
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["workspace_id"],
                set_={
                    "last_txid": stmt.excluded.last_txid,
                    "last_event_id": stmt.excluded.last_event_id,
                },
                where=current < tuple_(stmt.excluded.last_txid, stmt.excluded.last_event_id),
            )
        )
    else:
        await session.execute(stmt.on_conflict_do_nothing())


async def lock_cursor(session: AsyncSession) -> WebhookCursor | None:
    """The workspace's cursor, row-locked; None while another dispatcher holds it."""
    stmt = select(WebhookCursor).with_for_update(skip_locked=True)
    return (await session.execute(stmt)).scalar_one_or_none()


async def active_endpoints(session: AsyncSession) -> Sequence[WebhookEndpoint]:
    stmt = select(WebhookEndpoint).where(
        WebhookEndpoint.active.is_(True), WebhookEndpoint.deleted_at.is_(None)
    )
    return (await session.execute(stmt)).scalars().all()


async def add_deliveries(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert fanned-out deliveries; one per (endpoint, event) however often it runs."""
    if not rows:
        return
    stmt = insert(WebhookDelivery).values(rows)
    await session.execute(
        stmt.on_conflict_do_nothing(
            index_elements=["workspace_id", "endpoint_id", "event_id"],
            index_where=text("event_id IS NOT NULL"),
        )
    )


async def claim_due(
    session: AsyncSession, limit: int
) -> Sequence[tuple[WebhookDelivery, WebhookEndpoint]]:
    """Due deliveries of active endpoints whose lease is free or expired, row-locked with
    SKIP LOCKED so parallel workers take different rows."""
    stmt = (
        select(WebhookDelivery, WebhookEndpoint)
        .join(
            WebhookEndpoint,
            (WebhookEndpoint.workspace_id == WebhookDelivery.workspace_id)
            & (WebhookEndpoint.id == WebhookDelivery.endpoint_id),
        )
        .where(
            WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at <= func.now(),
            (WebhookDelivery.locked_until.is_(None)) | (WebhookDelivery.locked_until < func.now()),
            WebhookEndpoint.active.is_(True),
            WebhookEndpoint.deleted_at.is_(None),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(of=WebhookDelivery, skip_locked=True)
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def park(session: AsyncSession, endpoint_id: uuid.UUID) -> None:
    """Take a switched-off endpoint's pending deliveries off the schedule (no due time), so
    the claim's scan of due rows never wades through messages nobody may send."""
    await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status == "pending")
        .values(next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )


async def unpark(session: AsyncSession, endpoint_id: uuid.UUID) -> None:
    """Put the parked deliveries of an endpoint switched back on onto the schedule, due now."""
    await session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.endpoint_id == endpoint_id,
            WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at.is_(None),
        )
        .values(next_attempt_at=func.now())
        .execution_options(synchronize_session=False)
    )


async def mark_interrupted(session: AsyncSession, delivery_id: uuid.UUID) -> None:
    await session.execute(
        update(WebhookDeliveryAttempt)
        .where(
            WebhookDeliveryAttempt.delivery_id == delivery_id,
            WebhookDeliveryAttempt.finished_at.is_(None),
        )
        .values(error="interrupted: the worker stopped before an answer was recorded")
        .execution_options(synchronize_session=False)
    )


async def admin_ids(session: AsyncSession) -> list[uuid.UUID]:
    stmt = select(User.id).where(
        User.role.in_([Role.owner.value, Role.admin.value]),
        User.is_active.is_(True),
        User.deleted_at.is_(None),
    )
    return list((await session.execute(stmt)).scalars())


async def purge_batch(session: AsyncSession, before: datetime, limit: int) -> int:
    """Delete up to `limit` deliveries (their attempts cascade) created before `before`,
    oldest first, except one being sent right now. A pending one that old belongs to an
    endpoint switched off long ago (the retry schedule ends after about 3 days)."""
    oldest = (
        select(WebhookDelivery.id)
        .where(
            WebhookDelivery.created_at < before,
            WebhookDelivery.locked_until.is_(None) | (WebhookDelivery.locked_until < func.now()),
        )
        .order_by(WebhookDelivery.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    result = await session.execute(delete(WebhookDelivery).where(WebhookDelivery.id.in_(oldest)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
