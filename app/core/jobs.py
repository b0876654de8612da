"""Background jobs on procrastinate (PostgreSQL-backed; no other broker).

Domains declare tasks on the shared `tasks` app in their `jobs.py`. The worker runs
inside `rapport serve` by default, or as `rapport worker` processes. A request enqueues with
`enqueue()`, which inserts the job through procrastinate's SQL function *in the request's
own transaction*: a rolled-back request enqueues nothing.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import procrastinate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.db import plain_url

#: the one job app; domains decorate `@tasks.task(name=...)` / `@tasks.periodic(...)`.
#: Its connector is set by `build_job_app()` once the database URL is known.
tasks = procrastinate.App(connector=procrastinate.PsycopgConnector())

#: modules whose import registers tasks on `tasks` (each domain's jobs.py)
TASK_MODULES = [
    "app.ops.jobs",
    "app.activities.jobs",
    "app.imports.jobs",
    "app.pools.jobs",
    "app.contracts.jobs",
    "app.receivables.jobs",
    "app.tickets.jobs",
    "app.webhooks.jobs",
    "app.reports.jobs",
    "app.analytics.value.jobs",
]


@dataclass
class JobRuntime:
    """What task bodies use to reach the database; set by whoever runs the worker."""

    sessionmaker: async_sessionmaker[AsyncSession] | None = None


runtime = JobRuntime()


def build_job_app(settings: Settings, database_url: str) -> procrastinate.App:
    import importlib

    for module in TASK_MODULES:
        importlib.import_module(module)
    connector = procrastinate.PsycopgConnector(
        conninfo=plain_url(database_url),
        kwargs={"options": f"-c role={settings.app_role}", "application_name": "rapport-worker"},
        min_size=1,
        max_size=4,
    )
    tasks.connector = connector
    tasks.job_manager.connector = connector
    # finished jobs leave the table; failed ones stay there for inspection and retry
    tasks.worker_defaults = {"delete_jobs": "successful"}
    return tasks


def session_maker() -> async_sessionmaker[AsyncSession]:
    assert runtime.sessionmaker is not None, "job runtime not initialised"
    return runtime.sessionmaker


async def enqueue(
    session: AsyncSession,
    task_name: str,
    args: dict[str, Any] | None = None,
    *,
    queue: str = "default",
    scheduled_at: datetime | None = None,
    queueing_lock: str | None = None,
) -> int:
    """Defer `task_name` inside the caller's transaction; returns the job id."""
    result = await session.execute(
        text(
            "SELECT (procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, NULL, :qlock, "
            "CAST(:args AS jsonb), :at)::procrastinate_job_to_defer_v1]))[1]"
        ),
        {
            "queue": queue,
            "task": task_name,
            "qlock": queueing_lock,
            "args": json.dumps(args or {}, default=_json_default),
            "at": scheduled_at,
        },
    )
    return int(result.scalar_one())


def _json_default(value: Any) -> Any:
    if isinstance(value, uuid.UUID | datetime):
        return str(value) if isinstance(value, uuid.UUID) else value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value)!r}")
