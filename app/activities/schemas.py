from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field, model_validator

from app.core.schemas import RequestSchema, ResponseSchema


class ActivityKind(StrEnum):
    call = "call"
    visit = "visit"
    meeting = "meeting"
    email = "email"
    wechat = "wechat"
    note = "note"
    return_visit = "return_visit"


class Activity(ResponseSchema):
    id: uuid.UUID = Field(description="Follow-up id")
    customer_id: uuid.UUID | None = Field(description="Customer (null for a lead's follow-up)")
    lead_id: uuid.UUID | None = Field(description="Lead it was logged on, if any")
    opportunity_id: uuid.UUID | None = Field(description="Deal it was about, if any")
    contact_id: uuid.UUID | None = Field(description="Contact spoken to")
    kind: ActivityKind = Field(description="call, visit, meeting, email, wechat, note, ...")
    content: str = Field(description="What happened")
    occurred_at: datetime = Field(description="When it happened")
    author_id: uuid.UUID | None = Field(description="Who logged it")
    latitude: float | None = Field(description="Visit check-in latitude")
    longitude: float | None = Field(description="Visit check-in longitude")
    check_in_address: str | None = Field(description="Visit check-in address")
    next_follow_up_at: datetime | None = Field(description="Next planned follow-up")
    satisfaction: int | None = Field(description="1–5, for return visits")
    created_at: datetime = Field(description="Logged at")
    version: int = Field(description="Version")


class ActivityCreate(RequestSchema):
    customer_id: uuid.UUID = Field(description="Customer")
    opportunity_id: uuid.UUID | None = Field(
        default=None, description="A deal of this customer it was about"
    )
    contact_id: uuid.UUID | None = Field(default=None, description="Contact")
    kind: ActivityKind = Field(description="Kind")
    content: str = Field(min_length=1, max_length=10_000, description="What happened")
    occurred_at: datetime | None = Field(default=None, description="When (default: now)")
    latitude: float | None = Field(default=None, ge=-90, le=90, description="Latitude")
    longitude: float | None = Field(default=None, ge=-180, le=180, description="Longitude")
    check_in_address: str | None = Field(default=None, max_length=300, description="Address")
    next_follow_up_at: datetime | None = Field(
        default=None, description="Next follow-up; creates a task for the owner"
    )
    satisfaction: int | None = Field(default=None, ge=1, le=5, description="1–5")

    @model_validator(mode="after")
    def _checks(self) -> ActivityCreate:
        for name in ("occurred_at", "next_follow_up_at"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{name} needs a time zone")
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude go together")
        return self


class Task(ResponseSchema):
    id: uuid.UUID = Field(description="Task id")
    title: str = Field(description="What to do")
    due_at: datetime | None = Field(description="Due")
    assignee_id: uuid.UUID | None = Field(description="Who does it")
    customer_id: uuid.UUID | None = Field(description="Linked customer")
    opportunity_id: uuid.UUID | None = Field(description="Linked deal")
    activity_id: uuid.UUID | None = Field(description="Follow-up that planned it")
    kind: str = Field(description="todo, follow_up, renewal, ...")
    done_at: datetime | None = Field(description="Completed at")
    notes: str | None = Field(description="Notes")
    created_at: datetime = Field(description="Created at")
    version: int = Field(description="Version")


class TaskCreate(RequestSchema):
    title: str = Field(min_length=1, max_length=300, description="What to do")
    due_at: datetime | None = Field(default=None, description="Due")
    assignee_id: uuid.UUID | None = Field(default=None, description="Assignee (default: you)")
    customer_id: uuid.UUID | None = Field(default=None, description="Linked customer")
    opportunity_id: uuid.UUID | None = Field(
        default=None, description="Linked deal (its customer becomes the linked customer)"
    )
    notes: str | None = Field(default=None, max_length=5000, description="Notes")


class TaskUpdate(RequestSchema):
    title: str | None = Field(default=None, min_length=1, max_length=300, description="Title")
    due_at: datetime | None = Field(default=None, description="Due")
    assignee_id: uuid.UUID | None = Field(default=None, description="Assignee")
    notes: str | None = Field(default=None, max_length=5000, description="Notes")


class TaskView(StrEnum):
    all = "all"
    my_day = "my-day"


class Notification(ResponseSchema):
    id: uuid.UUID = Field(description="Notification id")
    kind: str = Field(description="task_due, customer_transferred, duplicate_conflict, ...")
    title: str = Field(description="Text (the SPA may render its own from kind + data)")
    entity: str | None = Field(description="Entity it is about")
    entity_id: uuid.UUID | None = Field(description="Entity id")
    data: dict[str, Any] = Field(description="Details")
    read_at: datetime | None = Field(description="Read at")
    created_at: datetime = Field(description="Created at")


class UnreadCount(ResponseSchema):
    count: int = Field(description="Unread notifications")
