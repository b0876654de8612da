"""RFM recomputes on the worker: the one a request queued, and the nightly one.

The nightly task runs every hour and scores each workspace once its local time has passed
02:00 and its scores are older than its today (in its own time zone), so a workspace in
Shanghai and one in London are both scored in their own night, and an hour missed while the
worker was down is caught up at the next one.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from app.analytics.value import service
from app.analytics.value.schemas import RfmRunTrigger
from app.contracts import clock
from app.core.jobs import session_maker, tasks
from app.db import workspace_session
from app.workspaces import repository as workspaces


@tasks.task(name=service.TASK, queue=service.QUEUE)
async def rfm_recompute(workspace_id: str, run_id: str) -> str:
    """Not retried: a failed run says why on the run, and the scores stay as they were."""
    return await service.execute_run(session_maker(), uuid.UUID(workspace_id), uuid.UUID(run_id))


async def nightly_all(now: datetime | None = None) -> int:
    """Score every workspace whose night has come; returns how many were scored."""
    now = now or clock.utcnow()
    maker = session_maker()
    async with maker() as session, session.begin():
        ids = await workspaces.all_ids(session)
    scored = 0
    for workspace_id in ids:
        async with workspace_session(maker, workspace_id) as session:
            if not await service.nightly_due(session, now):
                continue
            await service.run_inline(session, workspace_id, RfmRunTrigger.nightly)
            scored += 1
    return scored


@tasks.periodic(cron="17 * * * *", periodic_id="rfm-nightly")
@tasks.task(name="rfm_nightly", queue=service.QUEUE, queueing_lock="rfm_nightly")
async def rfm_nightly(timestamp: int) -> int:
    return await nightly_all()
