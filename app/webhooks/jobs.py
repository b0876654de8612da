"""Webhook tasks: the dispatcher every 5 seconds, an immediate run after a test event or a
redelivery, and a nightly purge of the delivery log (30 days).

The periodic run is the safety net and the normal path (events reach receivers within
seconds); `webhooks_deliver` is enqueued in the transaction of a request that queued a
message, so a person who pressed "send test event" sees it arrive at once. Runs may overlap:
the cursor lock and the delivery leases keep them from doing anything twice.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import get_settings
from app.core.jobs import session_maker, tasks
from app.db import workspace_session
from app.webhooks import dispatch, repository
from app.workspaces import repository as workspaces

LOG_KEPT_DAYS = 30
PURGE_BATCH = 1000


@tasks.periodic(cron="* * * * * */5", periodic_id="webhooks-dispatch")
@tasks.task(name="webhooks_dispatch", queue="webhooks", queueing_lock="webhooks_dispatch")
async def webhooks_dispatch(timestamp: int) -> dict[str, int]:
    done = await dispatch.run_once(
        session_maker(), allow_private=get_settings().webhooks_allow_private
    )
    return {"fanned_out": done.fanned_out, **done.sent}


@tasks.task(name="webhooks_deliver", queue="webhooks")
async def webhooks_deliver(workspace_id: str) -> dict[str, int]:
    return await dispatch.deliver_workspace(
        session_maker(),
        uuid.UUID(workspace_id),
        allow_private=get_settings().webhooks_allow_private,
    )


async def purge(
    maker: async_sessionmaker[AsyncSession],
    now: datetime | None = None,
    batch: int = PURGE_BATCH,
) -> int:
    """Drop deliveries (and their attempts) created more than 30 days ago.

    A batch per short transaction, so the purge never holds many row locks or one long
    transaction (which would also hold back the outbox's xmin horizon and so the fan-out).
    """
    before = (now or datetime.now(UTC)) - timedelta(days=LOG_KEPT_DAYS)
    async with maker() as session, session.begin():
        ids = await workspaces.all_ids(session)
    total = 0
    for workspace_id in ids:
        while True:
            async with workspace_session(maker, workspace_id) as session:
                n = await repository.purge_batch(session, before, batch)
            total += n
            if n < batch:
                break
    return total


@tasks.periodic(cron="37 3 * * *", periodic_id="webhooks-log-purge")
@tasks.task(name="webhooks_purge", queue="maintenance", queueing_lock="webhooks_purge")
async def webhooks_purge(timestamp: int) -> int:
    return await purge(session_maker())
