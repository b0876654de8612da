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

The pool is a plain asyncpg pool rather than an SQLAlchemy engine: the call is one fixed
statement, and the driver does it in a third of the CPU time (it runs on every request).

Limits are workspace settings (`settings.rate_limits.<bucket>.{limit, window_seconds}`,
editable by admins at `/api/v1/settings/rate-limits`), read by the same call. Responses
carry the `RateLimit-Policy` / `RateLimit` fields of draft-ietf-httpapi-ratelimit-headers;
a refused request is a 429 problem with `Retry-After`.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

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

_HIT = "SELECT quota, window_seconds, used, reset_seconds FROM rapport_rate_hit($1, $2, $3, $4, $5)"


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


_derived: weakref.WeakKeyDictionary[Any, asyncpg.Pool] = weakref.WeakKeyDictionary()
_creating = asyncio.Lock()


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Pool release without asyncpg's default `RESET ALL` round trip: the counter statement
    runs in autocommit and changes no session state (an open transaction would still be
    rolled back by the pool)."""


async def counter_pool(state: Any, role: str) -> asyncpg.Pool:
    """The counters' own small autocommit pool, made once per application engine."""
    pool: asyncpg.Pool | None = getattr(state, "counter_pool", None)
    if pool is not None:
        return pool
    async with _creating:
        bind = state.sessionmaker.kw["bind"]
        base: AsyncEngine = bind.engine if isinstance(bind, AsyncConnection) else bind
        pool = _derived.get(base.sync_engine)
        if pool is None:
            url = base.url.set(drivername="postgresql")
            pool = await asyncpg.create_pool(
                url.render_as_string(hide_password=False),
                min_size=2,
                max_size=10,
                reset=_keep_session,
                server_settings={"role": role, "application_name": "rapport-ratelimit"},
            )
            _derived[base.sync_engine] = pool
    state.counter_pool = pool
    return pool


async def hit(
    pool: asyncpg.Pool, workspace_id: uuid.UUID, subject: uuid.UUID, bucket: str
) -> Quota:
    """Count one request of `subject`; raise `RateLimited` (429) past the limit."""
    default = DEFAULT_LIMITS[bucket]
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            _HIT, workspace_id, subject, bucket, default.limit, default.window_seconds
        )
    assert row is not None
    quota = Quota(bucket, row["quota"], row["window_seconds"], row["used"], row["reset_seconds"])
    if quota.exceeded:
        raise RateLimited(
            f"More than {quota.limit} {bucket} requests in {quota.window_seconds} s; "
            f"retry in {quota.reset_seconds} s.",
            headers={"Retry-After": str(quota.reset_seconds), **quota.headers()},
            extra={"bucket": bucket, "limit": quota.limit, "retry_after": quota.reset_seconds},
        )
    return quota


async def close(state: Any) -> None:
    """Close the counters' pool at shutdown (applications with a lifespan)."""
    pool: asyncpg.Pool | None = getattr(state, "counter_pool", None)
    if pool is not None:
        state.counter_pool = None
        for engine, derived in list(_derived.items()):
            if derived is pool:
                del _derived[engine]
        await pool.close()
