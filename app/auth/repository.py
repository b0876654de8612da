"""Queries behind authentication: they run before a principal exists."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, insert, select, text, update
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


async def session_with_user(session: AsyncSession, hashed: str) -> tuple[UserSession, User] | None:
    row = (
        await session.execute(
            select(UserSession, User)
            .join(
                User,
                (User.id == UserSession.user_id) & (User.workspace_id == UserSession.workspace_id),
            )
            .where(
                UserSession.token_hash == hashed,
                UserSession.revoked_at.is_(None),
                UserSession.expires_at > func.now(),
                User.is_active.is_(True),
                User.deleted_at.is_(None),
            )
        )
    ).first()
    return (row[0], row[1]) if row else None


async def api_key_with_user(session: AsyncSession, hashed: str) -> tuple[ApiKey, User] | None:
    row = (
        await session.execute(
            select(ApiKey, User)
            .join(User, (User.id == ApiKey.user_id) & (User.workspace_id == ApiKey.workspace_id))
            .where(
                ApiKey.key_hash == hashed,
                ApiKey.revoked_at.is_(None),
                User.is_active.is_(True),
                User.deleted_at.is_(None),
            )
        )
    ).first()
    return (row[0], row[1]) if row else None


async def touch_api_key(session: AsyncSession, key: ApiKey) -> None:
    """Record use, at most once a minute per key (no write on every request)."""
    now = datetime.now(UTC)
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        await session.execute(
            update(ApiKey)
            .where(ApiKey.id == key.id)
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
