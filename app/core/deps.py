"""The request session dependency (the route class commits it)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    maker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    session = maker()
    request.state.db_session = session
    try:
        yield session
    finally:
        # normally committed/closed by UnitOfWorkRoute already; this covers early failures
        if getattr(request.state, "db_session", None) is session:
            request.state.db_session = None
            await session.rollback()
            await session.close()
