"""A deadlock between two writers is answered "try again" (503), not "internal error" (500).

PostgreSQL breaks a deadlock by rolling one transaction back whole, so the client can safely
send the same request again; the problem says so and carries Retry-After.
"""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.errors import _database_error


async def test_a_deadlock_becomes_a_retryable_problem(owner_engine) -> None:
    async with owner_engine.begin() as conn:
        await conn.execute(text("CREATE TABLE IF NOT EXISTS deadlock_probe (id int PRIMARY KEY)"))
        await conn.execute(text("TRUNCATE deadlock_probe"))
        await conn.execute(text("INSERT INTO deadlock_probe VALUES (1), (2)"))
    first_locked, second_locked = asyncio.Event(), asyncio.Event()

    async def writer(mine: int, theirs: int, locked: asyncio.Event, other: asyncio.Event) -> None:
        async with owner_engine.begin() as conn:
            await conn.execute(text("SET LOCAL deadlock_timeout = '50ms'"))
            await conn.execute(text(f"UPDATE deadlock_probe SET id = id WHERE id = {mine}"))
            locked.set()
            await other.wait()
            await conn.execute(text(f"UPDATE deadlock_probe SET id = id WHERE id = {theirs}"))

    results = await asyncio.gather(
        writer(1, 2, first_locked, second_locked),
        writer(2, 1, second_locked, first_locked),
        return_exceptions=True,
    )
    async with owner_engine.begin() as conn:
        await conn.execute(text("DROP TABLE deadlock_probe"))
    failures = [r for r in results if isinstance(r, BaseException)]
    assert len(failures) == 1, results  # PostgreSQL rolled exactly one of them back
    assert isinstance(failures[0], DBAPIError)

    response = await _database_error(None, failures[0])  # type: ignore[arg-type]
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.headers["content-type"] == "application/problem+json"
    body = json.loads(bytes(response.body))
    assert body["code"] == "write_conflict"
    assert "nothing was saved" in body["detail"]
