from __future__ import annotations

from app.auth.dependencies import Ctx
from app.core.pagination import decode_cursor, encode_cursor
from app.events import repository, schemas


async def read_feed(
    ctx: Ctx, cursor: str | None, types: list[str], limit: int
) -> schemas.EventPage:
    after = int(decode_cursor(cursor, "id")[1]) if cursor else 0
    rows = await repository.read_stream(ctx.session, after, types, limit)
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1].id if rows else after
    return schemas.EventPage(
        data=[schemas.Event.model_validate(r) for r in rows],
        next_cursor=encode_cursor("id", last, last),
        has_more=more,
    )
