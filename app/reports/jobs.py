"""The report schedule, run hourly so that it happens just after midnight in every
workspace's own time zone: yesterday's daily reports, last week's weekly reports (the
first run on a Monday) and last month's monthly reports (the first run on the 1st).

Only missing reports are written (one per kind, subject and period; a unique index makes
a concurrent second run a no-op too), so an hour, a day or a run missed while the worker
was down is caught up by the next run, and running twice writes nothing twice.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from app.analytics.period import period_containing
from app.contracts import clock
from app.core.jobs import session_maker, tasks
from app.db import workspace_session
from app.reports.schemas import ReportKind
from app.reports.service import PERIOD_OF_KIND, generate_missing
from app.workspaces import repository as workspaces


async def run_workspace(workspace_id: uuid.UUID, now: datetime) -> int:
    """The reports of the periods that ended last in this workspace; one transaction per
    kind. Returns how many were written."""
    written = 0
    for kind in ReportKind:
        async with workspace_session(session_maker(), workspace_id) as session:
            today = await clock.today(session, now)
            period = period_containing(PERIOD_OF_KIND[kind], today).previous()
            written += await generate_missing(session, workspace_id, kind, period, now)
    return written


async def run_all(now: datetime | None = None) -> int:
    now = now or clock.utcnow()
    async with session_maker()() as session, session.begin():
        ids = await workspaces.all_ids(session)
    return sum([await run_workspace(workspace_id, now) for workspace_id in ids])


@tasks.periodic(cron="7 * * * *", periodic_id="reports-schedule")
@tasks.task(name="reports_schedule", queue="maintenance", queueing_lock="reports_schedule")
async def reports_schedule(timestamp: int) -> dict[str, int]:
    written = await run_all(datetime.fromtimestamp(timestamp, UTC) if timestamp else None)
    return {"reports": written}
