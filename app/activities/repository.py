from __future__ import annotations

from typing import ClassVar

from sqlalchemy import Select, func, select, text

from app.core.pagination import SortSpec
from app.core.repository import RepositoryBase
from app.models.customer import Activity, Notification, Task


class ActivityRepository(RepositoryBase[Activity]):
    model = Activity
    entity = "activity"
    sorting: ClassVar[SortSpec] = SortSpec(Activity.id, occurred_at=Activity.occurred_at)


class TaskRepository(RepositoryBase[Task]):
    model = Task
    entity = "task"
    sorting: ClassVar[SortSpec] = SortSpec(
        Task.id,
        due_at=func.coalesce(Task.due_at, text("'infinity'::timestamptz")),
        created_at=Task.created_at,
    )


class NotificationRepository(RepositoryBase[Notification]):
    """Notifications are personal: only the recipient ever sees them."""

    model = Notification
    entity = "notification"
    sorting: ClassVar[SortSpec] = SortSpec(Notification.id, created_at=Notification.created_at)

    def readable(self, *, include_deleted: bool = False) -> Select[tuple[Notification]]:
        return select(Notification).where(Notification.user_id == self.principal.user_id)
