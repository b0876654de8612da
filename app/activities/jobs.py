"""Reminders: a notification when a task falls due (once per task)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, exists, func, insert, literal, select

from app.core.jobs import session_maker, tasks
from app.db import workspace_session
from app.models.customer import Notification, Task
from app.workspaces import repository as workspaces

REMIND_AHEAD = timedelta(minutes=30)


async def remind_due_tasks(now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    maker = session_maker()
    async with maker() as session, session.begin():
        ids = await workspaces.all_ids(session)
    created = 0
    for workspace_id in ids:
        async with workspace_session(maker, workspace_id) as session:
            key = func.concat("task_due:", Task.id)
            already = exists().where(
                Notification.dedupe_key == key, Notification.user_id == Task.assignee_id
            )
            due = select(
                func.gen_random_uuid(),
                Task.workspace_id,
                Task.assignee_id,
                literal("task_due"),
                func.concat("到期提醒 / Due: ", Task.title),
                literal("task"),
                Task.id,
                key,
            ).where(
                and_(
                    Task.done_at.is_(None),
                    Task.deleted_at.is_(None),
                    Task.assignee_id.is_not(None),
                    Task.due_at <= now + REMIND_AHEAD,
                    ~already,
                )
            )
            result = await session.execute(
                insert(Notification).from_select(
                    [
                        "id",
                        "workspace_id",
                        "user_id",
                        "kind",
                        "title",
                        "entity",
                        "entity_id",
                        "dedupe_key",
                    ],
                    due,
                )
            )
            created += result.rowcount or 0  # type: ignore[attr-defined]
    return created


@tasks.periodic(cron="*/5 * * * *", periodic_id="task-due-reminders")
@tasks.task(name="remind_due_tasks", queue="maintenance")
async def remind_due_tasks_job(timestamp: int) -> int:
    return await remind_due_tasks()
