"""Sign-in, sign-out and API keys."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository
from app.auth.dependencies import Ctx
from app.auth.secrets import (
    new_api_key,
    new_csrf_token,
    new_session_token,
    token_hash,
    verify_password,
)
from app.config import Settings
from app.core.audit import record_mutation, snapshot
from app.core.pagination import ListParams, SortSpec
from app.core.repository import RepositoryBase
from app.db import set_workspace
from app.errors import AppError, Forbidden, NotFound
from app.models.user import ApiKey, User, UserSession
from app.models.workspace import Workspace
from app.workspaces import repository as workspaces


class LoginRejected(AppError):
    """A failed sign-in; the failure counters it wrote are kept (the request commits them)."""

    status = 401
    code = "invalid_credentials"
    title = "Invalid e-mail or password"
    keeps_writes = True


class LoginThrottled(AppError):
    status = 429
    code = "too_many_attempts"
    title = "Too many failed sign-in attempts"


@dataclass(frozen=True)
class SignedIn:
    user: User
    workspace: Workspace
    token: str
    csrf: str
    expires_at: datetime


async def login(
    session: AsyncSession,
    settings: Settings,
    *,
    email: str,
    password: str,
    ip: str | None,
    user_agent: str | None,
) -> SignedIn:
    """Check the password; throttle by account and by address; open a session.

    Failures are counted per e-mail and per IP over `login_window_seconds`; past the limit
    even a correct password is refused until the window passes, so guessing gains nothing.
    """
    email = email.strip().lower()
    window = settings.login_window_seconds
    since = datetime.now(UTC) - timedelta(seconds=window)
    keys = [f"email:{email}"] + ([f"ip:{ip}"] if ip else [])
    limits = {keys[0]: settings.login_max_failures}
    if ip:
        limits[keys[1]] = settings.login_max_failures * 10
    for key, limit in limits.items():
        if await repository.count_failures(session, key, since) >= limit:
            raise LoginThrottled(
                f"Too many failed attempts; try again in {window // 60} minutes.",
                headers={"Retry-After": str(window)},
            )
    match = None
    for candidate in await repository.login_candidates(session, email):
        if verify_password(candidate.password_hash, password) and candidate.is_active:
            match = candidate
            break
    else:
        verify_password(None, password)  # same cost whether or not the e-mail exists
    if match is None:
        await repository.add_failures(session, keys)
        raise LoginRejected("The e-mail or password is wrong, or the account is deactivated.")
    await repository.clear_failures(session, keys[0])
    await set_workspace(session, match.workspace_id)
    user = await repository_user(session, match.user_id)
    token, csrf = new_session_token(match.workspace_id), new_csrf_token()
    expires = datetime.now(UTC) + timedelta(hours=settings.session_ttl_hours)
    session.add(
        UserSession(
            workspace_id=match.workspace_id,
            user_id=user.id,
            token_hash=token_hash(token),
            csrf_hash=token_hash(csrf),
            expires_at=expires,
            ip=ip,
            user_agent=(user_agent or "")[:300],
        )
    )
    user.last_login_at = datetime.now(UTC)
    await session.flush()
    return SignedIn(user, await workspaces.current(session), token, csrf, expires)


async def repository_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    from sqlalchemy import select

    return (await session.execute(select(User).where(User.id == user_id))).scalar_one()


async def logout(session: AsyncSession, token: str) -> None:
    await session.execute(
        update(UserSession)
        .where(UserSession.token_hash == token_hash(token))
        .values(revoked_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )


async def revoke_user_sessions(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )


async def me(ctx: Ctx) -> tuple[User, Workspace]:
    return await repository_user(ctx.session, ctx.principal.user_id), await workspaces.current(
        ctx.session
    )


# --- API keys ----------------------------------------------------------------------------

KEY_FIELDS = ("name", "prefix", "scopes", "user_id", "revoked_at")


class ApiKeyRepository(RepositoryBase[ApiKey]):
    model = ApiKey
    entity = "api_key"
    sorting = SortSpec(ApiKey.id, created_at=ApiKey.created_at, name=ApiKey.name)

    def readable(self, *, include_deleted: bool = False):  # type: ignore[no-untyped-def]
        from sqlalchemy import select

        stmt = select(ApiKey)
        if not self.principal.is_admin:
            stmt = stmt.where(ApiKey.user_id == self.principal.user_id)
        return stmt


async def list_api_keys(
    ctx: Ctx, params: ListParams, sort: str
) -> tuple[Sequence[ApiKey], str | None, bool]:
    return await ApiKeyRepository(ctx.session, ctx.principal).page(
        ListParams(params.limit, params.cursor, None, False), sort
    )


async def create_api_key(ctx: Ctx, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    if ctx.principal.api_key_id is not None:
        raise Forbidden("API keys cannot create API keys; use a signed-in session.")
    raw = new_api_key(ctx.principal.workspace_id)
    key = ApiKey(
        workspace_id=ctx.principal.workspace_id,
        user_id=ctx.principal.user_id,
        name=name,
        prefix=raw[:12] + "…" + raw[-4:],
        key_hash=token_hash(raw),
        scopes=scopes,
    )
    ctx.session.add(key)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="api_key",
        action="created",
        entity_id=key.id,
        sequence=1,
        before=None,
        after=snapshot(key, KEY_FIELDS),
    )
    return key, raw


async def revoke_api_key(ctx: Ctx, key_id: uuid.UUID) -> None:
    repo = ApiKeyRepository(ctx.session, ctx.principal)
    stmt = repo.readable().where(ApiKey.id == key_id).with_for_update()
    key = (await ctx.session.execute(stmt)).scalar_one_or_none()
    if key is None:
        raise NotFound(f"No api_key with id {key_id}.")
    if key.revoked_at is not None:
        return
    before = snapshot(key, KEY_FIELDS)
    key.revoked_at = datetime.now(UTC)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="api_key",
        action="revoked",
        entity_id=key.id,
        sequence=2,
        before=before,
        after=snapshot(key, KEY_FIELDS),
    )
