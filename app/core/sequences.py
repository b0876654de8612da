"""Per-workspace number sequences (contract HT-2026-0001, ticket GD-000123), one mechanism.

A counter table has `workspace_id`, its own key columns (e.g. the year) and `value`. The next
value is one INSERT ... ON CONFLICT DO UPDATE ... RETURNING: it takes the counter row's lock
until the transaction ends, so concurrent creates queue there and never share a number, and a
rolled-back create gives its number back.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession


async def next_value(
    session: AsyncSession, counter: Any, workspace_id: uuid.UUID, **key: Any
) -> int:
    """The next value of `counter`'s sequence for the workspace (and `key`, e.g. year=2026)."""
    stmt = (
        insert(counter)
        .values(workspace_id=workspace_id, **key, value=1)
        .on_conflict_do_update(
            index_elements=[counter.workspace_id, *(getattr(counter, name) for name in key)],
            set_={"value": counter.value + 1},
        )
        .returning(counter.value)
    )
    return int((await session.execute(stmt)).scalar_one())
