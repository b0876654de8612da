"""Rate limits per API key (or per user, for browser sessions), in three buckets.

Every authenticated request counts once in its bucket — `batch` for `/batch/upsert`, `read`
for GET/HEAD/OPTIONS, `write` for the rest — in a fixed window of PostgreSQL's clock, so
every API process shares one count. The increment is one call of `rapport_rate_hit()` on
a small autocommit pool of its own:

- outside the request's transaction, so a counter row is locked for microseconds, not for
  the length of a request (parallel requests of one key do not queue behind each other),
  and a request that fails still counts;
- on its own pool, so a request holding its session connection never waits for a counter
  connection held by another request waiting for a session connection.

Limits are workspace settings (`settings.rate_limits.<bucket>.{limit, window_seconds}`,
editable by admins at `/api/v1/settings/rate-limits`), read by the same call. Responses
carry the `RateLimit-Policy` / `RateLimit` fields of draft-ietf-httpapi-ratelimit-headers;
a refused request is a 429 problem with `Retry-After`.
"""

from __future__ import annotations

import uuid
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from app.errors import AppError

BUCKETS = ("read", "write", "batch")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Limit:
    limit: int
    window_seconds: int


#: what a workspace gets until an admin changes it: generous for people and scripts, a
#: ceiling for a runaway integration (600 batches of 1,000 items a minute is far above
#: what one server writes)
DEFAULT_LIMITS: dict[str, Limit] = {
    "read": Limit(6000, 60),
    "write": Limit(3000, 60),
    "batch": Limit(600, 60),
}

_HIT = text(
    "SELECT quota, window_seconds, used, reset_seconds "
    "FROM rapport_rate_hit(:ws, :subject, :bucket, :limit, :window)"
)


class RateLimited(AppError):
    status = 429
    code = "rate_limited"
    title = "Too many requests"


@dataclass(frozen=True)
class Quota:
    bucket: str
    limit: int
    window_seconds: int
    used: int
    reset_seconds: int

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Policy": f'"{self.bucket}";q={self.limit};w={self.window_seconds}',
            "RateLimit": f'"{self.bucket}";r={self.remaining};t={self.reset_seconds}',
        }


def bucket_of(method: str, path: str) -> str:
    if path.endswith("/batch/upsert"):
        return "batch"
    return "read" if method in READ_METHODS else "write"


_derived: weakref.WeakKeyDictionary[Any, AsyncEngine] = weakref.WeakKeyDictionary()


def counter_engine(state: Any, role: str) -> AsyncEngine:
    """The counters' own small autocommit pool, made once per application engine."""
    engine: AsyncEngine | None = getattr(state, "counter_engine", None)
    if engine is not None:
        return engine
    bind = state.sessionmaker.kw["bind"]
    base: AsyncEngine = bind.engine if isinstance(bind, AsyncConnection) else bind
    engine = _derived.get(base.sync_engine)
    if engine is None:
        engine = create_async_engine(
            base.url,
            pool_size=2,
            max_overflow=8,
            isolation_level="AUTOCOMMIT",
            connect_args={
                "server_settings": {"role": role, "application_name": "rapport-ratelimit"}
            },
        )
        _derived[base.sync_engine] = engine
    state.counter_engine = engine
    return engine


async def hit(
    engine: AsyncEngine, workspace_id: uuid.UUID, subject: uuid.UUID, bucket: str
) -> Quota:
    """Count one request of `subject`; raise `RateLimited` (429) past the limit."""
    default = DEFAULT_LIMITS[bucket]
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                _HIT,
                {
                    "ws": workspace_id,
                    "subject": subject,
                    "bucket": bucket,
                    "limit": default.limit,
                    "window": default.window_seconds,
                },
            )
        ).one()
    quota = Quota(bucket, row.quota, row.window_seconds, row.used, row.reset_seconds)
    if quota.exceeded:
        raise RateLimited(
            f"More than {quota.limit} {bucket} requests in {quota.window_seconds} s; "
            f"retry in {quota.reset_seconds} s.",
            headers={"Retry-After": str(quota.reset_seconds), **quota.headers()},
            extra={"bucket": bucket, "limit": quota.limit, "retry_after": quota.reset_seconds},
        )
    return quota


async def close(state: Any) -> None:
    """Dispose of the counters' pool at shutdown (applications with a lifespan)."""
    engine: AsyncEngine | None = getattr(state, "counter_engine", None)
    if engine is not None:
        state.counter_engine = None
        await engine.dispose()
