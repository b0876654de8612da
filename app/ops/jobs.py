"""Housekeeping: expired sessions, idempotency keys, old events and the recycle bin."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, text

from app.core.jobs import session_maker, tasks
from app.core.models import Base
from app.db import workspace_session
from app.models.event import Event
from app.models.idempotency import IdempotencyKey
from app.models.user import LoginFailure, UserSession
from app.workspaces import repository as workspaces

logger = logging.getLogger("rapport.jobs.purge")

RECYCLE_BIN_DAYS = 30
EVENTS_KEPT_DAYS = 30


def soft_delete_tables() -> list[str]:
    """Every tenant table with a recycle bin, children before parents."""
    tables = [t for t in Base.metadata.sorted_tables if "deleted_at" in t.c]
    return [t.name for t in reversed(tables)]


async def purge(now: datetime | None = None) -> dict[str, int]:
    """Delete what has outlived its retention, workspace by workspace; returns counts."""
    now = now or datetime.now(UTC)
    counts: dict[str, int] = {}
    maker = session_maker()

    def add(name: str, n: int) -> None:
        counts[name] = counts.get(name, 0) + max(n, 0)

    async with maker() as session, session.begin():
        ids = await workspaces.all_ids(session)
        result = await session.execute(
            delete(LoginFailure).where(LoginFailure.occurred_at < now - timedelta(days=1))
        )
        add("login_failures", result.rowcount or 0)  # type: ignore[attr-defined]
    for workspace_id in ids:
        async with workspace_session(maker, workspace_id) as session:
            result = await session.execute(
                delete(UserSession).where(
                    or_(
                        UserSession.expires_at < now,
                        UserSession.revoked_at < now - timedelta(days=1),
                    )
                )
            )
            add("sessions", result.rowcount or 0)  # type: ignore[attr-defined]
            result = await session.execute(
                delete(IdempotencyKey).where(IdempotencyKey.created_at < now - timedelta(hours=24))
            )
            add("idempotency_keys", result.rowcount or 0)  # type: ignore[attr-defined]
            result = await session.execute(
                delete(Event).where(Event.occurred_at < now - timedelta(days=EVENTS_KEPT_DAYS))
            )
            add("events", result.rowcount or 0)  # type: ignore[attr-defined]
            for table in soft_delete_tables():
                result = await session.execute(
                    text(f"DELETE FROM {table} WHERE deleted_at < :cutoff"),
                    {"cutoff": now - timedelta(days=RECYCLE_BIN_DAYS)},
                )
                add(table, result.rowcount or 0)  # type: ignore[attr-defined]
    logger.info("purge done", extra={"counts": counts})
    return counts


@tasks.periodic(cron="17 3 * * *", periodic_id="nightly-purge")
@tasks.task(name="purge_expired", queue="maintenance")
async def purge_expired(timestamp: int) -> dict[str, int]:
    return await purge()
