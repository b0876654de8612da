from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from app.core.schemas import ResponseSchema


class AuditEntry(ResponseSchema):
    id: uuid.UUID = Field(description="Entry id")
    occurred_at: datetime = Field(description="When the change was committed")
    actor_id: uuid.UUID | None = Field(description="Acting user; null for the system")
    actor_name: str | None = Field(description="Acting user's name")
    actor_kind: str = Field(description="user, api_key or system")
    action: str = Field(description="created, updated, deleted, ...")
    entity: str = Field(description="Entity type, e.g. user, team, customer")
    entity_id: uuid.UUID = Field(description="Entity id")
    changes: dict[str, Any] = Field(description="Changed fields: {field: {before, after}}")
    request_id: str | None = Field(description="Request that made the change")
