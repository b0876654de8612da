from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from app.core.schemas import RequestSchema, ResponseSchema


class FieldType(StrEnum):
    text = "text"
    long_text = "long_text"
    number = "number"
    money = "money"
    date = "date"
    select = "select"
    multi_select = "multi_select"
    boolean = "boolean"
    user = "user"


class CustomFieldEntity(StrEnum):
    customer = "customer"
    contact = "contact"
    lead = "lead"
    opportunity = "opportunity"
    ticket = "ticket"


class CustomField(ResponseSchema):
    id: uuid.UUID = Field(description="Definition id")
    entity: CustomFieldEntity = Field(description="Entity the field belongs to")
    key: str = Field(description="Key used in `custom_fields` and in `cf.<key>` filters")
    label_zh: str = Field(description="Label in Chinese")
    label_en: str = Field(description="Label in English")
    type: FieldType = Field(description="Value type")
    options: list[str] = Field(description="Choices for select / multi_select")
    required: bool = Field(description="A value is required on create")
    default: Any = Field(description="Value used when none is given on create")
    position: int = Field(description="Display order")
    created_at: datetime = Field(description="Created at")
    version: int = Field(description="Optimistic-concurrency version (the ETag)")


class CustomFieldCreate(RequestSchema):
    entity: CustomFieldEntity = Field(description="Entity")
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,59}$", description="snake_case key")
    label_zh: str = Field(min_length=1, max_length=100, description="Chinese label")
    label_en: str = Field(min_length=1, max_length=100, description="English label")
    type: FieldType = Field(description="Value type")
    options: list[str] = Field(default_factory=list, max_length=200, description="Choices")
    required: bool = Field(default=False, description="Required on create")
    default: Any = Field(default=None, description="Default value")
    position: int = Field(default=0, ge=0, le=10_000, description="Display order")


class CustomFieldUpdate(RequestSchema):
    label_zh: str | None = Field(default=None, min_length=1, max_length=100, description="Label")
    label_en: str | None = Field(default=None, min_length=1, max_length=100, description="Label")
    options: list[str] | None = Field(default=None, max_length=200, description="Choices")
    required: bool | None = Field(default=None, description="Required on create")
    default: Any = Field(default=None, description="Default value")
    position: int | None = Field(default=None, ge=0, le=10_000, description="Display order")
