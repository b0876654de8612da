from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field, field_validator

from app.core.principal import MODULES
from app.core.schemas import RequestSchema, ResponseSchema
from app.users.schemas import ModulePermission, User
from app.workspaces.schemas import Workspace


class LoginRequest(RequestSchema):
    email: str = Field(min_length=3, max_length=254, description="Sign-in e-mail")
    password: str = Field(min_length=1, max_length=200, description="Password")


class Session(ResponseSchema):
    user: User = Field(description="The signed-in user")
    workspace: Workspace = Field(description="The user's workspace")


class Me(Session):
    permissions: dict[str, ModulePermission] = Field(
        description="Data scope and write right per module, for this caller"
    )


ALLOWED_SCOPES = frozenset({"*"} | {f"{m}:{a}" for m in MODULES for a in ("read", "write")})


class ApiKey(ResponseSchema):
    id: uuid.UUID = Field(description="Key id")
    name: str = Field(description="What the key is for")
    prefix: str = Field(description="First characters of the key, to recognise it")
    scopes: list[str] = Field(description="`<module>:read`, `<module>:write` or `*`")
    user_id: uuid.UUID = Field(description="The user the key acts as")
    created_at: datetime = Field(description="Created at")
    last_used_at: datetime | None = Field(description="Last request made with it")
    revoked_at: datetime | None = Field(description="Revoked at; revoked keys stop working")


class ApiKeyCreated(ApiKey):
    key: str = Field(description="The secret key (`rpk_...`), shown only in this response")


class ApiKeyCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=120, description="What the key is for")
    scopes: list[str] = Field(
        min_length=1, max_length=40, description="`<module>:read`, `<module>:write` or `*`"
    )

    @field_validator("scopes")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - ALLOWED_SCOPES)
        if unknown:
            raise ValueError(f"unknown scope(s): {', '.join(unknown)}")
        return sorted(set(value))
