"""Follow-ups keep the customer's follow-up dates true; tasks; the personal "my day"."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select, update

from app.activities import schemas
from app.activities.repository import ActivityRepository, NotificationRepository, TaskRepository
from app.auth.dependencies import Ctx
from app.core.audit import record_mutation, snapshot
from app.core.pagination import ListParams
from app.customers.repository import CustomerRepository, user_is_active
from app.errors import FieldError, NotFound, UnprocessableEntity
from app.models.customer import Activity, Contact, Notification, Task
from app.models.pipeline import Opportunity
from app.models.workspace import Workspace
from app.pipeline.repository import OpportunityRepository

ACTIVITY_FIELDS = (
    "customer_id",
    "opportunity_id",
    "contact_id",
    "kind",
    "content",
    "occurred_at",
    "author_id",
    "latitude",
    "longitude",
    "check_in_address",
    "next_follow_up_at",
    "satisfaction",
)
TASK_FIELDS = (
    "title",
    "due_at",
    "assignee_id",
    "customer_id",
    "opportunity_id",
    "kind",
    "done_at",
    "notes",
)


async def create_activity(ctx: Ctx, data: schemas.ActivityCreate) -> Activity:
    """Log a follow-up: moves the customer's last/next follow-up dates and, when a next date
    is given, plans a follow-up task for the customer's owner."""
    customer = await CustomerRepository(ctx.session, ctx.principal).get_writable(data.customer_id)
    if data.contact_id is not None:
        belongs = await ctx.session.scalar(
            select(func.count())
            .select_from(Contact)
            .where(
                Contact.id == data.contact_id,
                Contact.customer_id == customer.id,
                Contact.deleted_at.is_(None),
            )
        )
        if not belongs:
            raise UnprocessableEntity(
                "The contact is not one of this customer's.",
                code="invalid_reference",
                errors=[
                    FieldError(field="body.contact_id", message="not a contact of the customer")
                ],
            )
    if data.opportunity_id is not None:
        deal = await _opportunity(ctx, data.opportunity_id)
        if deal is None or deal.customer_id != customer.id:
            raise UnprocessableEntity(
                "The deal is not one of this customer's.",
                code="invalid_reference",
                errors=[
                    FieldError(field="body.opportunity_id", message="not a deal of the customer")
                ],
            )
    occurred = data.occurred_at or datetime.now(UTC)
    activity = Activity(
        workspace_id=ctx.principal.workspace_id,
        created_by=ctx.principal.user_id,
        author_id=ctx.principal.user_id,
        occurred_at=occurred,
        **data.model_dump(exclude={"occurred_at"}),
    )
    ctx.session.add(activity)
    await ctx.session.flush()
    before = snapshot(customer, ("last_followed_at", "next_follow_up_at"))
    if customer.last_followed_at is None or occurred > customer.last_followed_at:
        customer.last_followed_at = occurred
        customer.last_followed_sort = occurred
    if data.next_follow_up_at is not None:
        customer.next_follow_up_at = data.next_follow_up_at
        ctx.session.add(
            Task(
                workspace_id=ctx.principal.workspace_id,
                created_by=ctx.principal.user_id,
                title=f"跟进 {customer.name}",
                due_at=data.next_follow_up_at,
                assignee_id=customer.owner_id or ctx.principal.user_id,
                customer_id=customer.id,
                opportunity_id=activity.opportunity_id,
                activity_id=activity.id,
                kind="follow_up",
            )
        )
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="activity",
        action="created",
        entity_id=activity.id,
        sequence=activity.version,
        before=None,
        after=snapshot(activity, ACTIVITY_FIELDS),
    )
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="customer",
        action="updated",
        entity_id=customer.id,
        sequence=customer.version,
        before=before,
        after=snapshot(customer, ("last_followed_at", "next_follow_up_at")),
    )
    return activity


async def list_activities(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    customer_id: uuid.UUID | None,
    kind: schemas.ActivityKind | None,
    opportunity_id: uuid.UUID | None = None,
) -> tuple[Sequence[Activity], str | None, bool]:
    conds: list[ColumnElement[bool]] = []
    if customer_id:
        conds.append(Activity.customer_id == customer_id)
    if opportunity_id:
        conds.append(Activity.opportunity_id == opportunity_id)
    if kind:
        conds.append(Activity.kind == kind.value)
    return await ActivityRepository(ctx.session, ctx.principal).page(params, sort, *conds)


async def get_activity(ctx: Ctx, activity_id: uuid.UUID) -> Activity:
    return await ActivityRepository(ctx.session, ctx.principal).get(activity_id)


# --- tasks -------------------------------------------------------------------------------


async def end_of_today(ctx: Ctx) -> datetime:
    tz_name = await ctx.session.scalar(select(Workspace.timezone))
    tz = ZoneInfo(tz_name or "Asia/Shanghai")
    today = datetime.now(tz).date()
    return datetime.combine(today + timedelta(days=1), time.min, tz)


async def list_tasks(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    *,
    view: schemas.TaskView,
    assignee_id: uuid.UUID | None,
    customer_id: uuid.UUID | None,
    done: bool | None,
    opportunity_id: uuid.UUID | None = None,
) -> tuple[Sequence[Task], str | None, bool]:
    conds: list[ColumnElement[bool]] = []
    if view is schemas.TaskView.my_day:
        # overdue + due today (workspace time zone), follow-ups included, for the caller
        conds += [
            Task.assignee_id == ctx.principal.user_id,
            Task.done_at.is_(None),
            Task.due_at < await end_of_today(ctx),
        ]
    if assignee_id:
        conds.append(Task.assignee_id == assignee_id)
    if customer_id:
        conds.append(Task.customer_id == customer_id)
    if opportunity_id:
        conds.append(Task.opportunity_id == opportunity_id)
    if done is not None:
        conds.append(Task.done_at.is_not(None) if done else Task.done_at.is_(None))
    return await TaskRepository(ctx.session, ctx.principal).page(params, sort, *conds)


async def get_task(ctx: Ctx, task_id: uuid.UUID) -> Task:
    return await TaskRepository(ctx.session, ctx.principal).get(task_id)


async def _check_task_refs(
    ctx: Ctx, assignee_id: uuid.UUID | None, customer_id: uuid.UUID | None
) -> None:
    errors: list[FieldError] = []
    if assignee_id is not None and not await user_is_active(ctx.session, assignee_id):
        errors.append(FieldError(field="body.assignee_id", message="unknown or inactive user"))
    if customer_id is not None:
        try:
            await CustomerRepository(ctx.session, ctx.principal).get(customer_id)
        except NotFound:
            errors.append(FieldError(field="body.customer_id", message="unknown customer"))
    if errors:
        raise UnprocessableEntity(
            "Some fields are invalid.", errors=errors, code="invalid_reference"
        )


async def _opportunity(ctx: Ctx, opportunity_id: uuid.UUID) -> Opportunity | None:
    """The deal when the caller may see it (opportunities scope), else None."""
    try:
        return await OpportunityRepository(ctx.session, ctx.principal).get(opportunity_id)
    except NotFound:
        return None


async def create_task(ctx: Ctx, data: schemas.TaskCreate) -> Task:
    assignee = data.assignee_id or ctx.principal.user_id
    await _check_task_refs(ctx, assignee, data.customer_id)
    customer_id = data.customer_id
    if data.opportunity_id is not None:
        deal = await _opportunity(ctx, data.opportunity_id)
        if deal is None or (customer_id is not None and deal.customer_id != customer_id):
            raise UnprocessableEntity(
                "Unknown deal, or not one of the linked customer's.",
                code="invalid_reference",
                errors=[FieldError(field="body.opportunity_id", message="unknown deal")],
            )
        customer_id = deal.customer_id
    task = Task(
        workspace_id=ctx.principal.workspace_id,
        created_by=ctx.principal.user_id,
        title=data.title,
        due_at=data.due_at,
        assignee_id=assignee,
        customer_id=customer_id,
        opportunity_id=data.opportunity_id,
        notes=data.notes,
        kind="todo",
    )
    ctx.session.add(task)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="task",
        action="created",
        entity_id=task.id,
        sequence=task.version,
        before=None,
        after=snapshot(task, TASK_FIELDS),
    )
    return task


async def update_task(
    ctx: Ctx, task_id: uuid.UUID, data: schemas.TaskUpdate, if_match: int | None
) -> Task:
    task = await TaskRepository(ctx.session, ctx.principal).get_writable(task_id, if_match=if_match)
    before = snapshot(task, TASK_FIELDS)
    if "assignee_id" in data.model_fields_set:
        await _check_task_refs(ctx, data.assignee_id, None)
    for name in data.model_fields_set:
        if name == "title" and data.title is None:
            continue
        setattr(task, name, getattr(data, name))
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="task",
        action="updated",
        entity_id=task.id,
        sequence=task.version,
        before=before,
        after=snapshot(task, TASK_FIELDS),
    )
    return task


async def set_done(ctx: Ctx, task_id: uuid.UUID, done: bool) -> Task:
    task = await TaskRepository(ctx.session, ctx.principal).get_writable(task_id)
    if (task.done_at is not None) == done:
        return task
    before = snapshot(task, TASK_FIELDS)
    task.done_at = datetime.now(UTC) if done else None
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="task",
        action="completed" if done else "reopened",
        entity_id=task.id,
        sequence=task.version,
        before=before,
        after=snapshot(task, TASK_FIELDS),
    )
    return task


# --- notifications -----------------------------------------------------------------------


async def list_notifications(
    ctx: Ctx, params: ListParams, unread: bool | None
) -> tuple[Sequence[Notification], str | None, bool]:
    conds = []
    if unread is not None:
        conds.append(
            Notification.read_at.is_(None) if unread else Notification.read_at.is_not(None)
        )
    return await NotificationRepository(ctx.session, ctx.principal).page(
        params, "-created_at", *conds
    )


async def unread_count(ctx: Ctx) -> int:
    return int(
        await ctx.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == ctx.principal.user_id, Notification.read_at.is_(None))
        )
        or 0
    )


async def mark_read(ctx: Ctx, notification_id: uuid.UUID | None) -> int:
    """Mark one (or, with None, all) of the caller's notifications read; returns how many."""
    stmt = update(Notification).where(
        Notification.user_id == ctx.principal.user_id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        exists = await ctx.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(
                Notification.id == notification_id, Notification.user_id == ctx.principal.user_id
            )
        )
        if not exists:
            raise NotFound(f"No notification with id {notification_id}.")
        stmt = stmt.where(Notification.id == notification_id)
    result = await ctx.session.execute(
        stmt.values(read_at=datetime.now(UTC)).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
