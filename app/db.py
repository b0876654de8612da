"""Engines, sessions and the tenant context.

Runtime connections always act as the application role (`RAPPORT_APP_ROLE`): it owns no
table and has no BYPASSRLS, so row-level security holds whatever URL the operator gives.
The workspace of a transaction is set with `set_config('app.workspace_id', ..., true)`
(transaction-local), so it can never leak to the next user of a pooled connection.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.config import Settings


def async_url(url: str) -> str:
    """postgresql://... → postgresql+asyncpg://... (the app picks its own driver)."""
    scheme, rest = url.split("://", 1)
    return f"postgresql+asyncpg://{rest}" if scheme != "postgresql+asyncpg" else url


def sync_url(url: str) -> str:
    """The psycopg URL used by migrations and the job queue."""
    return f"postgresql+psycopg://{url.split('://', 1)[1]}"


def plain_url(url: str) -> str:
    return f"postgresql://{url.split('://', 1)[1]}"


def create_app_engine(url: str, settings: Settings, *, pool_size: int | None = None) -> AsyncEngine:
    return create_async_engine(
        async_url(url),
        pool_size=pool_size or settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=False,
        connect_args={
            "server_settings": {
                "role": settings.app_role,
                "application_name": "rapport",
                "work_mem": settings.db_work_mem,
            }
        },
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


_SET_WORKSPACE = text("SELECT set_config('app.workspace_id', :ws, true)")


async def set_workspace(session: AsyncSession, workspace_id: uuid.UUID) -> None:
    """Bind the current transaction to one workspace (row-level security reads this)."""
    await session.execute(_SET_WORKSPACE, {"ws": str(workspace_id)})


@asynccontextmanager
async def workspace_session(
    maker: async_sessionmaker[AsyncSession], workspace_id: uuid.UUID
) -> AsyncIterator[AsyncSession]:
    """A session for jobs and the CLI: one transaction in one workspace, committed on success."""
    async with maker() as session, session.begin():
        await set_workspace(session, workspace_id)
        yield session
