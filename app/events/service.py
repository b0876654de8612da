from __future__ import annotations

from app.auth.dependencies import Ctx
from app.core.pagination import decode_cursor, encode_cursor
from app.errors import InvalidCursor
from app.events import repository, schemas

STREAM = "stream"


async def read_feed(
    ctx: Ctx, cursor: str | None, types: list[str], limit: int
) -> schemas.EventPage:
    after = repository.START
    if cursor:
        txid, event_id = decode_cursor(cursor, STREAM)
        if not isinstance(txid, int) or not isinstance(event_id, int):
            raise InvalidCursor("The cursor is malformed; start again without one.")
        after = (txid, event_id)
    rows = await repository.read_stream(ctx.session, after, types, limit)
    more = len(rows) > limit
    rows = rows[:limit]
    last = (rows[-1].txid, rows[-1].id) if rows else after
    return schemas.EventPage(
        data=[schemas.Event.model_validate(r) for r in rows],
        next_cursor=encode_cursor(STREAM, *last),
        has_more=more,
    )
