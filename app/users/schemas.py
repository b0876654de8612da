from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import EmailStr, Field

from app.core.principal import Role, Scope
from app.core.schemas import RequestSchema, ResponseSchema


class User(ResponseSchema):
    id: uuid.UUID = Field(description="User id")
    email: str = Field(description="Sign-in e-mail, unique in the workspace")
    name: str = Field(description="Display name")
    role: Role = Field(description="Role; decides data scope and write rights per module")
    team_id: uuid.UUID | None = Field(description="Team in the team tree, if any")
    is_active: bool = Field(description="Deactivated users cannot sign in")
    last_login_at: datetime | None = Field(description="Last successful sign-in")
    created_at: datetime = Field(description="Created at")
    updated_at: datetime = Field(description="Last changed at")
    version: int = Field(description="Optimistic-concurrency version (the ETag)")


class UserCreate(RequestSchema):
    email: EmailStr = Field(description="Sign-in e-mail")
    name: str = Field(min_length=1, max_length=120, description="Display name")
    password: str = Field(min_length=8, max_length=200, description="At least 8 characters")
    role: Role = Field(description="Role")
    team_id: uuid.UUID | None = Field(default=None, description="Team")


class UserUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=120, description="Name")
    role: Role | None = Field(default=None, description="Role")
    team_id: uuid.UUID | None = Field(default=None, description="Team (null: no team)")


class Team(ResponseSchema):
    id: uuid.UUID = Field(description="Team id")
    name: str = Field(description="Team name")
    parent_id: uuid.UUID | None = Field(description="Parent team; null for a root")
    created_at: datetime = Field(description="Created at")
    updated_at: datetime = Field(description="Last changed at")
    deleted_at: datetime | None = Field(description="In the recycle bin since (restorable 30 days)")
    version: int = Field(description="Optimistic-concurrency version (the ETag)")


class TeamCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=120, description="Team name")
    parent_id: uuid.UUID | None = Field(default=None, description="Parent team")


class TeamUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=120, description="Name")
    parent_id: uuid.UUID | None = Field(default=None, description="Parent team (null: root)")


class ModulePermission(ResponseSchema):
    scope: Scope = Field(description="Rows visible: none, own, team (with sub-teams), all")
    write: bool = Field(description="May create and change rows in this module")


class RoleInfo(ResponseSchema):
    name: Role = Field(description="Role name")
    modules: dict[str, ModulePermission] = Field(description="Permissions per module")


class RoleList(ResponseSchema):
    data: list[RoleInfo] = Field(description="All roles")
