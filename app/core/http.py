"""ETag / If-Match helpers shared by every router."""

from __future__ import annotations

from fastapi import Header, Response

from app.errors import BadRequest, FieldError


def etag_for(version: int) -> str:
    return f'W/"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)


async def if_match(
    value: str | None = Header(
        None, alias="If-Match", description='ETag from a previous read, e.g. W/"3"'
    ),
) -> int | None:
    """The version a client last saw, from `If-Match`; None when the header is absent."""
    if value is None or value.strip() == "*":
        return None
    raw = value.strip().removeprefix("W/").strip('"')
    # versions are int32: bigger numbers (or non-ASCII digits) are no ETag of ours
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10 and int(raw) < 2**31):
        raise BadRequest(
            'If-Match must be an ETag returned by this API, e.g. W/"3".',
            errors=[FieldError(field="header.If-Match", message="not an ETag")],
            code="invalid_if_match",
        )
    return int(raw)
