"""The background run of an import (queue `imports`) and the recovery of runs whose process
died; see app.imports.service for the rules."""

from __future__ import annotations

import uuid

from app.core.jobs import session_maker, tasks
from app.imports import service


@tasks.task(name=service.TASK, queue=service.QUEUE)
async def run_import(job_id: str, workspace_id: str) -> str:
    """Not retried on failure: a failed run wrote nothing and says why; the user uploads
    again. A run whose process died is started again by `recover_interrupted_imports`."""
    return await service.run_import(session_maker(), uuid.UUID(job_id), uuid.UUID(workspace_id))


@tasks.periodic(cron="* * * * * */20", periodic_id="imports-recover-interrupted")
@tasks.task(
    name="recover_interrupted_imports",
    queue=service.QUEUE,
    queueing_lock="recover_interrupted_imports",
)
async def recover_interrupted_imports(timestamp: int) -> int:
    return await service.recover_interrupted(session_maker())
