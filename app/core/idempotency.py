"""`Idempotency-Key` on POST: the claim, the replay, the stored response.

The key is claimed by an INSERT ... ON CONFLICT DO NOTHING inside the request's own
transaction. A concurrent request with the same key blocks on that uncommitted row; a short
lock_timeout turns the wait into 409 "in flight". When the first request commits, its
response is stored in the same transaction as its writes, so a replay returns exactly
what the first caller saw; when it fails, the claim rolls back with it and a retry runs.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from app.errors import Conflict, UnprocessableEntity
from app.models.idempotency import IdempotencyKey

KEEP_FOR = timedelta(hours=24)
STORED_HEADERS = ("content-type", "etag", "location")


@dataclass
class Claim:
    principal_id: uuid.UUID
    key: str


class Replay(Exception):
    """Raised to answer with the stored response of an earlier identical request."""

    def __init__(self, response: Response) -> None:
        self.response = response


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


async def claim(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    principal_id: uuid.UUID,
    key: str,
    fingerprint: str,
) -> Claim:
    if not 1 <= len(key) <= 255:
        raise UnprocessableEntity(
            "Idempotency-Key must be 1–255 characters.", code="invalid_idempotency_key"
        )
    stmt = (
        insert(IdempotencyKey)
        .values(
            workspace_id=workspace_id, principal_id=principal_id, key=key, request_hash=fingerprint
        )
        .on_conflict_do_nothing()
        .returning(IdempotencyKey.key)
    )
    async with session.begin_nested():
        await session.execute(text("SET LOCAL lock_timeout = '300ms'"))
        try:
            inserted = (await session.execute(stmt)).scalar_one_or_none()
        except DBAPIError as exc:
            if "lock timeout" in str(exc.orig).lower() or "LockNotAvailable" in repr(exc.orig):
                raise Conflict(
                    "A request with this Idempotency-Key is still in progress.",
                    code="idempotency_in_flight",
                ) from None
            raise
    await session.execute(text("SET LOCAL lock_timeout = 0"))
    if inserted is not None:
        return Claim(principal_id, key)
    row = (
        await session.execute(
            select(IdempotencyKey).where(
                IdempotencyKey.principal_id == principal_id, IdempotencyKey.key == key
            )
        )
    ).scalar_one()
    if row.request_hash != fingerprint:
        raise UnprocessableEntity(
            "This Idempotency-Key was used with a different request body.",
            code="idempotency_key_reused",
        )
    if row.created_at < datetime.now(UTC) - KEEP_FOR or row.status_code is None:
        # expired (awaiting purge) or left by a crashed request: take it over
        row.request_hash = fingerprint
        row.created_at = datetime.now(UTC)
        row.status_code = row.body = row.headers = None
        return Claim(principal_id, key)
    headers = {k: v for k, v in (row.headers or {}).items()}
    headers["Idempotent-Replayed"] = "true"
    raise Replay(Response(content=row.body, status_code=row.status_code, headers=headers))


async def store(session: AsyncSession, done: Claim, response: Response) -> None:
    """Keep the response with the claim; runs in the request transaction before commit."""
    body = bytes(response.body) if hasattr(response, "body") else b""
    row = (
        await session.execute(
            select(IdempotencyKey).where(
                IdempotencyKey.principal_id == done.principal_id, IdempotencyKey.key == done.key
            )
        )
    ).scalar_one()
    row.status_code = response.status_code
    row.body = body
    row.headers = {k: v for k, v in response.headers.items() if k.lower() in STORED_HEADERS}
    await session.flush()
