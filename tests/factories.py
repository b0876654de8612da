"""Plain async factories: `await create_user(session, ws, role="sales")`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.secrets import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    hash_password,
    new_api_key,
    new_csrf_token,
    new_session_token,
    token_hash,
)
from app.db import set_workspace
from app.models.user import ApiKey, Team, User, UserSession
from app.models.workspace import Workspace

PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: argon2id is slow on purpose
_seq = count(1)


@dataclass
class Tenant:
    workspace: Workspace
    owner: User

    @property
    def id(self) -> uuid.UUID:
        return self.workspace.id


async def use(session: AsyncSession, workspace_id: uuid.UUID) -> None:
    await set_workspace(session, workspace_id)


async def create_workspace(session: AsyncSession, name: str = "Acme") -> Tenant:
    ws = Workspace(
        id=uuid.uuid4(),
        name=f"{name} {next(_seq)}",
        timezone="Asia/Shanghai",
        default_locale="zh-CN",
    )
    await use(session, ws.id)
    session.add(ws)
    await session.flush()
    owner = await create_user(session, ws.id, role="owner")
    return Tenant(ws, owner)


async def create_team(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    name: str | None = None,
    parent: Team | None = None,
) -> Team:
    await use(session, workspace_id)
    team = Team(
        workspace_id=workspace_id,
        name=name or f"Team {next(_seq)}",
        parent_id=parent.id if parent else None,
    )
    session.add(team)
    await session.flush()
    return team


async def create_user(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    *,
    role: str = "sales",
    team: Team | None = None,
    email: str | None = None,
    active: bool = True,
) -> User:
    await use(session, workspace_id)
    n = next(_seq)
    user = User(
        workspace_id=workspace_id,
        email=email or f"user{n}-{uuid.uuid4().hex[:6]}@example.com",
        name=f"User {n}",
        role=role,
        team_id=team.id if team else None,
        password_hash=PASSWORD_HASH,
        is_active=active,
    )
    session.add(user)
    await session.flush()
    return user


async def login_as(
    session: AsyncSession, client: httpx.AsyncClient, user: User
) -> httpx.AsyncClient:
    """Give `client` a valid browser session (cookies + CSRF header) for `user`."""
    await use(session, user.workspace_id)
    token, csrf = new_session_token(user.workspace_id), new_csrf_token()
    session.add(
        UserSession(
            workspace_id=user.workspace_id,
            user_id=user.id,
            token_hash=token_hash(token),
            csrf_hash=token_hash(csrf),
            expires_at=datetime.now(UTC) + timedelta(hours=1),
        )
    )
    await session.flush()
    await session.commit()
    client.cookies.set(SESSION_COOKIE, token)
    client.cookies.set(CSRF_COOKIE, csrf)
    client.headers["X-CSRF-Token"] = csrf
    return client


async def create_api_key(session: AsyncSession, user: User, scopes: list[str]) -> str:
    await use(session, user.workspace_id)
    raw = new_api_key(user.workspace_id)
    session.add(
        ApiKey(
            workspace_id=user.workspace_id,
            user_id=user.id,
            name="test",
            prefix=raw[:12],
            key_hash=token_hash(raw),
            scopes=scopes,
        )
    )
    await session.flush()
    await session.commit()
    return raw
