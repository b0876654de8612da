"""The background run of an import (queue `imports`); see app.imports.service for the rules."""

from __future__ import annotations

import uuid

from app.core.jobs import session_maker, tasks
from app.imports import service


@tasks.task(name=service.TASK, queue=service.QUEUE)
async def run_import(job_id: str, workspace_id: str) -> str:
    """Not retried: a failed run wrote nothing and says why; the user uploads again."""
    return await service.run_import(session_maker(), uuid.UUID(job_id), uuid.UUID(workspace_id))
