"""Creating a workspace with its owner, the one path used by signup, the CLI and the demo."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.secrets import hash_password
from app.core.audit import record_mutation, snapshot
from app.core.ids import uuid7
from app.core.principal import Principal, Role
from app.db import set_workspace
from app.models.user import Team, User
from app.models.workspace import Workspace


@dataclass(frozen=True)
class NewWorkspace:
    workspace: Workspace
    owner: User


async def create_workspace(
    session: AsyncSession,
    *,
    name: str,
    owner_name: str,
    owner_email: str,
    password: str,
    timezone: str = "Asia/Shanghai",
    locale: str = "zh-CN",
    root_team: str | None = None,
) -> NewWorkspace:
    """Create a workspace, its owner and (optionally) a root team, in the caller's transaction.

    The transaction is bound to the new workspace from here on.
    """
    workspace_id = uuid7()
    await set_workspace(session, workspace_id)
    workspace = Workspace(id=workspace_id, name=name, timezone=timezone, default_locale=locale)
    session.add(workspace)
    await session.flush()
    team_id: uuid.UUID | None = None
    if root_team:
        team = Team(workspace_id=workspace_id, name=root_team)
        session.add(team)
        await session.flush()
        team_id = team.id
    owner = User(
        workspace_id=workspace_id,
        email=owner_email.lower(),
        name=owner_name,
        role=Role.owner.value,
        password_hash=hash_password(password),
        is_active=True,
        team_id=team_id,
    )
    session.add(owner)
    await session.flush()
    actor = Principal(
        workspace_id=workspace_id,
        user_id=owner.id,
        role=Role.owner,
        team_id=team_id,
        name=owner_name,
    )
    await record_mutation(
        session,
        actor,
        entity="workspace",
        action="created",
        entity_id=workspace_id,
        sequence=workspace.version,
        before=None,
        after=snapshot(workspace, ("name", "timezone", "default_locale")),
    )
    await record_mutation(
        session,
        actor,
        entity="user",
        action="created",
        entity_id=owner.id,
        sequence=owner.version,
        before=None,
        after=snapshot(owner, ("email", "name", "role", "team_id", "is_active")),
    )
    # every workspace starts with the standard sales pipeline and lost reasons
    from app.pipeline.service import create_default_pipeline

    await create_default_pipeline(session, workspace_id, actor)
    return NewWorkspace(workspace, owner)
