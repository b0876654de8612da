"""Pydantic bases: requests reject unknown fields; responses read from ORM objects."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class RequestSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        # PostgreSQL text cannot hold NUL; refuse it here with a field-level 422
        if _has_nul(data):
            raise ValueError("text must not contain NUL (\\u0000) characters")
        return data


class ResponseSchema(BaseModel):
    model_config = ConfigDict(from_attributes=True)
