"""Who is calling, and may they? The dependencies every protected route uses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository
from app.auth.secrets import (
    CSRF_COOKIE,
    CSRF_HEADER,
    SESSION_COOKIE,
    same,
    token_hash,
    workspace_of,
)
from app.core import idempotency, ratelimit
from app.core.deps import get_session
from app.core.principal import Principal, Role, Scope
from app.db import set_workspace
from app.errors import CsrfFailed, Forbidden, NotAuthenticated

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Ctx:
    """What a service needs to act: the request's session and the acting principal."""

    session: AsyncSession
    principal: Principal


async def authenticate(request: Request, session: AsyncSession = Depends(get_session)) -> Ctx:
    principal = await _principal(request, session)
    request.state.principal = principal
    request.state.rate_limit = await ratelimit.hit(
        await ratelimit.counter_pool(request.app.state, request.app.state.settings.app_role),
        principal.workspace_id,
        principal.api_key_id or principal.user_id,
        ratelimit.bucket_of(request.method, request.scope["path"]),
    )
    if request.method == "POST" and (key := request.headers.get("Idempotency-Key")):
        body = await request.body()
        fingerprint = idempotency.request_fingerprint(request.method, request.url.path, body)
        request.state.idempotency = await idempotency.claim(
            session,
            principal.workspace_id,
            principal.api_key_id or principal.user_id,
            key,
            fingerprint,
        )
    return Ctx(session, principal)


async def _principal(request: Request, session: AsyncSession) -> Principal:
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        raw = auth[7:].strip()
        workspace = workspace_of(raw, api_key=True)
        if workspace is None:
            raise NotAuthenticated("The API key is malformed.")
        await set_workspace(session, workspace)
        caller = await repository.api_key_caller(session, token_hash(raw))
        if caller is None:
            raise NotAuthenticated("The API key is unknown or revoked.")
        await repository.touch_api_key(session, caller)
        return Principal(
            workspace_id=caller.workspace_id,
            user_id=caller.user_id,
            role=Role(caller.role),
            team_id=caller.team_id,
            name=caller.name,
            api_key_id=caller.key_id,
            key_scopes=frozenset(caller.key_scopes),
        )
    token = request.cookies.get(SESSION_COOKIE)
    workspace = workspace_of(token) if token else None
    if not token or workspace is None:
        raise NotAuthenticated("Sign in first.")
    await set_workspace(session, workspace)
    caller = await repository.session_caller(session, token_hash(token))
    if caller is None:
        raise NotAuthenticated("The session has expired; sign in again.")
    if request.method not in SAFE_METHODS:
        header = request.headers.get(CSRF_HEADER, "")
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if (
            not header
            or not same(header, cookie)
            or caller.csrf_hash is None
            or not same(token_hash(header), caller.csrf_hash)
        ):
            raise CsrfFailed(f"Send the {CSRF_COOKIE} cookie value in the {CSRF_HEADER} header.")
    return Principal(
        workspace_id=caller.workspace_id,
        user_id=caller.user_id,
        role=Role(caller.role),
        team_id=caller.team_id,
        name=caller.name,
    )


def require(module: str, *, write: bool = False) -> Callable[..., Awaitable[Ctx]]:
    """Dependency: an authenticated caller with read (or write) access to `module`."""

    async def dependency(ctx: Ctx = Depends(authenticate)) -> Ctx:
        if ctx.principal.scope(module) is Scope.none:
            raise Forbidden(f"Your role has no access to {module}.")
        if write and not ctx.principal.can_write(module):
            raise Forbidden(f"Your role cannot change {module}.")
        return ctx

    dependency.__name__ = f"require_{module}_{'write' if write else 'read'}"
    return dependency
