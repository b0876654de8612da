from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, literal, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.filtering import contains_pattern
from app.models.event import Event, Xid8

#: a position in the stream: (transaction id, event id) of the last event read
Position = tuple[int, int]
START: Position = (0, 0)


async def read_stream(
    session: AsyncSession,
    after: Position,
    types: list[str],
    limit: int,
    *,
    within_days: int | None = 30,
) -> Sequence[Event]:
    """Events after `after` in `(txid, id)` order, only of transactions that have ended.

    The order is what makes a remembered position safe. `txid < xmin of the current
    snapshot` means the event's transaction and every transaction that could still write an
    event sorting before it have ended, so a position once passed never gains an event
    behind it. (Ids alone would not do: an id is taken at insert, so a transaction that
    commits late can hold a smaller id than events already read.) Up to `limit + 1` rows.
    """
    stmt = (
        select(Event)
        .where(
            tuple_(Event.txid, Event.id) > tuple_(literal(after[0], Xid8()), literal(after[1])),
            Event.txid < text("pg_snapshot_xmin(pg_current_snapshot())"),
        )
        .order_by(Event.txid, Event.id)
        .limit(limit + 1)
    )
    if within_days is not None:
        stmt = stmt.where(Event.occurred_at > func.now() - text(f"interval '{within_days} days'"))
    if types:
        conditions: list[ColumnElement[bool]] = []
        for pattern in types:
            if pattern.endswith(".*"):
                prefix = contains_pattern(pattern[:-1])[1:]  # "customer.%" anchored left
                conditions.append(Event.type.like(prefix))
            else:
                conditions.append(Event.type == pattern)
        stmt = stmt.where(or_(*conditions))
    return (await session.execute(stmt)).scalars().all()
