"""Queries behind authentication: they run before a principal exists."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import ApiKey, LoginFailure, User, UserSession


@dataclass(frozen=True)
class LoginCandidate:
    user_id: uuid.UUID
    workspace_id: uuid.UUID
    password_hash: str | None
    is_active: bool


async def login_candidates(session: AsyncSession, email: str) -> list[LoginCandidate]:
    """Users with this e-mail in any workspace.

    Runs through `rapport_login_candidates()`, a SECURITY DEFINER function owned by a
    role whose only extra right is reading the columns sign-in needs across workspaces;
    the application role itself cannot see other workspaces' users.
    """
    rows = await session.execute(
        text(
            "SELECT user_id, workspace_id, password_hash, is_active "
            "FROM rapport_login_candidates(:email)"
        ),
        {"email": email},
    )
    return [LoginCandidate(*row) for row in rows.all()]


@dataclass(frozen=True)
class Caller:
    """The user behind a live session or API key: the columns a principal is built from.

    Read as plain columns, not as ORM objects: this lookup runs on every request."""

    user_id: uuid.UUID
    workspace_id: uuid.UUID
    role: str
    team_id: uuid.UUID | None
    name: str
    #: the session's CSRF token hash (sessions only)
    csrf_hash: str | None = None
    #: the key's id, scopes and last use (API keys only)
    key_id: uuid.UUID | None = None
    key_scopes: tuple[str, ...] = ()
    key_last_used_at: datetime | None = None


_users = User.__table__.c
_sessions = UserSession.__table__.c
_keys = ApiKey.__table__.c
_LIVE_USER = (_users.is_active.is_(True), _users.deleted_at.is_(None))
_CALLER = (_users.id, _users.workspace_id, _users.role, _users.team_id, _users.name)

#: built once; `:hashed` is the only parameter
_SESSION_CALLER = (
    select(*_CALLER, _sessions.csrf_hash)
    .join_from(
        UserSession.__table__,
        User.__table__,
        (_users.id == _sessions.user_id) & (_users.workspace_id == _sessions.workspace_id),
    )
    .where(
        _sessions.token_hash == bindparam("hashed"),
        _sessions.revoked_at.is_(None),
        _sessions.expires_at > func.now(),
        *_LIVE_USER,
    )
)
_KEY_CALLER = (
    select(*_CALLER, _keys.id, _keys.scopes, _keys.last_used_at)
    .join_from(
        ApiKey.__table__,
        User.__table__,
        (_users.id == _keys.user_id) & (_users.workspace_id == _keys.workspace_id),
    )
    .where(_keys.key_hash == bindparam("hashed"), _keys.revoked_at.is_(None), *_LIVE_USER)
)


async def session_caller(session: AsyncSession, hashed: str) -> Caller | None:
    """The active user of an unexpired, unrevoked session (in the bound workspace)."""
    row = (await session.execute(_SESSION_CALLER, {"hashed": hashed})).first()
    return Caller(*row) if row else None


async def api_key_caller(session: AsyncSession, hashed: str) -> Caller | None:
    """The active user of an unrevoked API key (in the bound workspace)."""
    row = (await session.execute(_KEY_CALLER, {"hashed": hashed})).first()
    if row is None:
        return None
    user_id, workspace_id, role, team_id, name, key_id, scopes, last_used_at = row
    return Caller(
        user_id,
        workspace_id,
        role,
        team_id,
        name,
        key_id=key_id,
        key_scopes=tuple(scopes),
        key_last_used_at=last_used_at,
    )


async def touch_api_key(session: AsyncSession, caller: Caller) -> None:
    """Record use, at most once a minute per key (no write on every request)."""
    now = datetime.now(UTC)
    last = caller.key_last_used_at
    if last is None or now - last > timedelta(minutes=1):
        await session.execute(
            update(ApiKey)
            .where(ApiKey.id == caller.key_id)
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )


async def count_failures(session: AsyncSession, key: str, since: datetime) -> int:
    return int(
        (
            await session.execute(
                select(func.count())
                .select_from(LoginFailure)
                .where(LoginFailure.key == key, LoginFailure.occurred_at >= since)
            )
        ).scalar_one()
    )


async def add_failures(session: AsyncSession, keys: list[str]) -> None:
    await session.execute(insert(LoginFailure), [{"key": k} for k in keys])


async def clear_failures(session: AsyncSession, key: str) -> None:
    await session.execute(delete(LoginFailure).where(LoginFailure.key == key))
