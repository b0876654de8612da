from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from app.core.schemas import ResponseSchema


class Event(ResponseSchema):
    id: int = Field(
        description="Event id, unique; the feed is in commit-safe order, which is not always "
        "the order of ids"
    )
    type: str = Field(description="`<entity>.<action>`, e.g. `customer.updated`")
    entity: str = Field(description="Entity type")
    entity_id: uuid.UUID = Field(description="Entity id")
    sequence: int = Field(description="Per-entity sequence (the entity's version)")
    occurred_at: datetime = Field(description="When the change happened")
    data: dict[str, Any] = Field(description="The entity after the change (before, for deletes)")
    changed_fields: list[str] = Field(description="Fields changed by an update")
    previous: dict[str, Any] | None = Field(description="Previous values of changed fields")


class EventPage(ResponseSchema):
    data: list[Event] = Field(description="Events in stream order")
    next_cursor: str | None = Field(description="Resume from here (also when has_more=false)")
    has_more: bool = Field(description="Whether more events are ready now")
