"""Housekeeping: expired sessions, idempotency keys, old events and the recycle bin."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Delete, Executable, Table, delete, exists, or_
from sqlalchemy.exc import DBAPIError

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


#: ondelete actions that make PostgreSQL refuse to delete a row still referenced
RESTRICTING = (None, "NO ACTION", "RESTRICT")


def _unreferenced(table: Table) -> list[ColumnElement[bool]]:
    """Conditions: no row points at this one through a restricting foreign key.

    Such a row stays in the bin (stage history, a deal's lost reason, a customer's
    contracts ...) and goes the first night after its last reference went.
    """
    conditions: list[ColumnElement[bool]] = []
    for child in Base.metadata.sorted_tables:
        for fk in child.foreign_key_constraints:
            if fk.referred_table is not table or (fk.ondelete or None) not in RESTRICTING:
                continue
            referencing = child.alias() if child is table else child
            conditions.append(
                ~exists().where(
                    *(
                        referencing.c[element.parent.name] == table.c[element.column.name]
                        for element in fk.elements
                    )
                )
            )
    return conditions


def bin_purge(table_name: str, cutoff: datetime) -> Delete:
    """DELETE of the rows binned before `cutoff` that nothing restricting points at."""
    table = Base.metadata.tables[table_name]
    return delete(table).where(table.c.deleted_at < cutoff, *_unreferenced(table))


async def purge(now: datetime | None = None) -> dict[str, int]:
    """Delete what has outlived its retention, workspace by workspace; returns counts.

    Each table of each workspace is purged in its own savepoint: a failure (a foreign key
    the metadata does not know, a lock timeout ...) is logged and skips that table of that
    workspace only; the next run tries it again. `failed` counts the skipped steps.
    """
    now = now or datetime.now(UTC)
    counts: dict[str, int] = {"failed": 0}
    maker = session_maker()

    def add(name: str, n: int) -> None:
        counts[name] = counts.get(name, 0) + max(n, 0)

    async with maker() as session, session.begin():
        ids = await workspaces.all_ids(session)
        result = await session.execute(
            delete(LoginFailure).where(LoginFailure.occurred_at < now - timedelta(days=1))
        )
        add("login_failures", result.rowcount or 0)  # type: ignore[attr-defined]
    steps: list[tuple[str, Executable]] = [
        (
            "sessions",
            delete(UserSession).where(
                or_(
                    UserSession.expires_at < now,
                    UserSession.revoked_at < now - timedelta(days=1),
                )
            ),
        ),
        (
            "idempotency_keys",
            delete(IdempotencyKey).where(IdempotencyKey.created_at < now - timedelta(hours=24)),
        ),
        (
            "events",
            delete(Event).where(Event.occurred_at < now - timedelta(days=EVENTS_KEPT_DAYS)),
        ),
        *(
            (table, bin_purge(table, now - timedelta(days=RECYCLE_BIN_DAYS)))
            for table in soft_delete_tables()
        ),
    ]
    for workspace_id in ids:
        try:
            async with workspace_session(maker, workspace_id) as session:
                for name, statement in steps:
                    try:
                        async with session.begin_nested():
                            result = await session.execute(statement)
                    except DBAPIError as error:
                        counts["failed"] += 1
                        logger.warning(
                            "purge of %s failed in workspace %s, tried again next run: %s",
                            name,
                            workspace_id,
                            str(error.orig).splitlines()[0],
                            extra={"workspace_id": str(workspace_id), "table": name},
                        )
                        continue
                    add(name, result.rowcount or 0)  # type: ignore[attr-defined]
        except Exception:
            counts["failed"] += 1
            logger.exception(
                "purge failed in workspace %s, tried again next run",
                workspace_id,
                extra={"workspace_id": str(workspace_id)},
            )
    logger.info("purge done", extra={"counts": counts})
    return counts


@tasks.periodic(cron="17 3 * * *", periodic_id="nightly-purge")
@tasks.task(name="purge_expired", queue="maintenance")
async def purge_expired(timestamp: int) -> dict[str, int]:
    return await purge()
