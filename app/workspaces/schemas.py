from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import EmailStr, Field

from app.core.schemas import RequestSchema, ResponseSchema


class Workspace(ResponseSchema):
    id: uuid.UUID = Field(description="Workspace id")
    name: str = Field(description="Company or team name")
    timezone: str = Field(description="IANA time zone for 'today', reports and SLA clocks")
    default_locale: str = Field(description="Default language of the workspace (zh-CN or en)")
    created_at: datetime = Field(description="Created at")


class SignupRequest(RequestSchema):
    workspace_name: str = Field(min_length=1, max_length=200, description="Workspace name")
    name: str = Field(min_length=1, max_length=120, description="Owner's name")
    email: EmailStr = Field(description="Owner's sign-in e-mail")
    password: str = Field(min_length=8, max_length=200, description="At least 8 characters")
