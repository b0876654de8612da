from __future__ import annotations

import uuid

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.workspace import Workspace


async def current(session: AsyncSession) -> Workspace:
    return (await session.execute(select(Workspace))).scalar_one()


async def all_ids(session: AsyncSession) -> list[uuid.UUID]:
    """Every workspace id, for jobs that sweep all tenants (a SECURITY DEFINER function)."""
    rows = await session.execute(text("SELECT id FROM rapport_workspace_ids()"))
    return [row[0] for row in rows]
