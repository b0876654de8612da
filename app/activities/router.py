from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Response

from app.activities import schemas, service
from app.activities.repository import ActivityRepository, TaskRepository
from app.auth.dependencies import Ctx, authenticate, require
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.errors import Forbidden, NotFound, PreconditionFailed, problem_responses

router = APIRouter(route_class=UnitOfWorkRoute)

ActivitySort = ActivityRepository.sorting.enum("ActivitySort")
TaskSort = TaskRepository.sorting.enum("TaskSort")


@router.get("/activities", response_model=Page[schemas.Activity], tags=["activities"])
async def list_activities(
    params: ListParams = Depends(list_params),
    sort: ActivitySort = Query("-occurred_at", description="Sort key"),  # type: ignore[valid-type]
    customer_id: uuid.UUID | None = Query(None, description="Only this customer's"),
    kind: schemas.ActivityKind | None = Query(None, description="Only this kind"),
    opportunity_id: uuid.UUID | None = Query(None, description="Only this deal's"),
    ctx: Ctx = Depends(require("customers")),
) -> Page[schemas.Activity]:
    """Follow-ups on customers in your scope."""
    rows, cursor, more = await service.list_activities(
        ctx, params, str(sort), customer_id, kind, opportunity_id
    )
    return Page(
        data=[schemas.Activity.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/activities",
    response_model=schemas.Activity,
    status_code=201,
    tags=["activities"],
    responses=problem_responses(NotFound, Forbidden),
)
async def create_activity(
    data: schemas.ActivityCreate, ctx: Ctx = Depends(require("customers", write=True))
) -> schemas.Activity:
    """Log a follow-up; a next date plans a follow-up task for the customer's owner."""
    return schemas.Activity.model_validate(await service.create_activity(ctx, data))


@router.get(
    "/activities/{activity_id}",
    response_model=schemas.Activity,
    tags=["activities"],
    responses=problem_responses(NotFound),
)
async def get_activity(
    activity_id: uuid.UUID, ctx: Ctx = Depends(require("customers"))
) -> schemas.Activity:
    """One follow-up."""
    return schemas.Activity.model_validate(await service.get_activity(ctx, activity_id))


@router.get("/tasks", response_model=Page[schemas.Task], tags=["tasks"])
async def list_tasks(
    params: ListParams = Depends(list_params),
    sort: TaskSort = Query("due_at", description="Sort key"),  # type: ignore[valid-type]
    view: schemas.TaskView = Query(
        schemas.TaskView.all, description="`my-day`: your overdue and due-today tasks"
    ),
    assignee_id: uuid.UUID | None = Query(None, description="Assignee"),
    customer_id: uuid.UUID | None = Query(None, description="Linked customer"),
    opportunity_id: uuid.UUID | None = Query(None, description="Linked deal"),
    done: bool | None = Query(None, description="Only done / open tasks"),
    ctx: Ctx = Depends(require("customers")),
) -> Page[schemas.Task]:
    """Tasks in your scope."""
    rows, cursor, more = await service.list_tasks(
        ctx,
        params,
        str(sort),
        view=view,
        assignee_id=assignee_id,
        customer_id=customer_id,
        done=done,
        opportunity_id=opportunity_id,
    )
    return Page(
        data=[schemas.Task.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/tasks",
    response_model=schemas.Task,
    status_code=201,
    tags=["tasks"],
    responses=problem_responses(Forbidden),
)
async def create_task(
    data: schemas.TaskCreate, ctx: Ctx = Depends(require("customers", write=True))
) -> schemas.Task:
    """Create a task."""
    return schemas.Task.model_validate(await service.create_task(ctx, data))


@router.get(
    "/tasks/{task_id}",
    response_model=schemas.Task,
    tags=["tasks"],
    responses=problem_responses(NotFound),
)
async def get_task(
    task_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("customers"))
) -> schemas.Task:
    """One task."""
    task = schemas.Task.model_validate(await service.get_task(ctx, task_id))
    set_etag(response, task.version)
    return task


@router.patch(
    "/tasks/{task_id}",
    response_model=schemas.Task,
    tags=["tasks"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_task(
    task_id: uuid.UUID,
    data: schemas.TaskUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("customers", write=True)),
) -> schemas.Task:
    """Change a task."""
    return schemas.Task.model_validate(await service.update_task(ctx, task_id, data, version))


@router.post(
    "/tasks/{task_id}/complete",
    response_model=schemas.Task,
    tags=["tasks"],
    responses=problem_responses(NotFound, Forbidden),
)
async def complete_task(
    task_id: uuid.UUID, ctx: Ctx = Depends(require("customers", write=True))
) -> schemas.Task:
    """Mark a task done."""
    return schemas.Task.model_validate(await service.set_done(ctx, task_id, True))


@router.post(
    "/tasks/{task_id}/reopen",
    response_model=schemas.Task,
    tags=["tasks"],
    responses=problem_responses(NotFound, Forbidden),
)
async def reopen_task(
    task_id: uuid.UUID, ctx: Ctx = Depends(require("customers", write=True))
) -> schemas.Task:
    """Mark a done task open again."""
    return schemas.Task.model_validate(await service.set_done(ctx, task_id, False))


@router.get("/notifications", response_model=Page[schemas.Notification], tags=["notifications"])
async def list_notifications(
    params: ListParams = Depends(list_params),
    unread: bool | None = Query(None, description="Only unread / read"),
    ctx: Ctx = Depends(authenticate),
) -> Page[schemas.Notification]:
    """Your notifications, newest first."""
    rows, cursor, more = await service.list_notifications(ctx, params, unread)
    return Page(
        data=[schemas.Notification.model_validate(r) for r in rows],
        next_cursor=cursor,
        has_more=more,
    )


@router.get(
    "/notifications/unread-count", response_model=schemas.UnreadCount, tags=["notifications"]
)
async def unread_notifications(ctx: Ctx = Depends(authenticate)) -> schemas.UnreadCount:
    """How many of your notifications are unread."""
    return schemas.UnreadCount(count=await service.unread_count(ctx))


@router.post("/notifications/read-all", response_model=schemas.UnreadCount, tags=["notifications"])
async def read_all_notifications(ctx: Ctx = Depends(authenticate)) -> schemas.UnreadCount:
    """Mark all your notifications read; returns how many were marked."""
    return schemas.UnreadCount(count=await service.mark_read(ctx, None))


@router.post(
    "/notifications/{notification_id}/read",
    response_model=schemas.UnreadCount,
    tags=["notifications"],
    responses=problem_responses(NotFound),
)
async def read_notification(
    notification_id: uuid.UUID, ctx: Ctx = Depends(authenticate)
) -> schemas.UnreadCount:
    """Mark one notification read."""
    return schemas.UnreadCount(count=await service.mark_read(ctx, notification_id))
