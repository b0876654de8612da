"""The receivables clock: "today" is the workspace's date in its own time zone.

Every status that depends on the date (overdue installments, expired contracts, aging)
reads the time through `utcnow()`, so tests move the clock by patching this one function.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.workspace import Workspace


def utcnow() -> datetime:
    return datetime.now(UTC)


async def workspace_zone(session: AsyncSession) -> ZoneInfo:
    name = await session.scalar(select(Workspace.timezone))
    return ZoneInfo(name or "Asia/Shanghai")


async def today(session: AsyncSession, now: datetime | None = None) -> date:
    """The current date in the workspace's time zone (the session's workspace)."""
    return (now or utcnow()).astimezone(await workspace_zone(session)).date()
