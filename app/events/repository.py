from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.filtering import contains_pattern
from app.models.event import Event


async def read_stream(
    session: AsyncSession, after_id: int, types: list[str], limit: int
) -> Sequence[Event]:
    """Events after `after_id` whose transactions are all finished.

    An event is returned only once every transaction that could still commit an event with
    a smaller id has ended (`txid < pg_snapshot_xmin(...)`): a consumer that remembers the
    last id never misses an event that commits late.
    """
    stmt = (
        select(Event)
        .where(
            Event.id > after_id,
            Event.txid < text("pg_snapshot_xmin(pg_current_snapshot())"),
            Event.occurred_at > func.now() - text("interval '30 days'"),
        )
        .order_by(Event.id)
        .limit(limit + 1)
    )
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
