"""Pydantic bases: requests reject unknown fields; responses read from ORM objects."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

#: the years a date or time in a request may fall in: enough for any real record, and far
#: from the limits of Python and PostgreSQL (a year-1 time east of UTC does not exist in UTC)
MIN_YEAR, MAX_YEAR = 1900, 2999


def in_years(moment: date) -> bool:
    """Whether a date or datetime lies within the years the API accepts."""
    return MIN_YEAR <= moment.year <= MAX_YEAR


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

    @field_validator("*", mode="after")
    @classmethod
    def _within_years(cls, value: Any) -> Any:
        # every date and time field: a 422 naming the field, not an overflow in the driver
        if isinstance(value, date) and not in_years(value):
            raise ValueError(f"must be between the years {MIN_YEAR} and {MAX_YEAR}")
        return value


class ResponseSchema(BaseModel):
    model_config = ConfigDict(from_attributes=True)
