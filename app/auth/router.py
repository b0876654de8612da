from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import schemas, service
from app.auth.dependencies import Ctx, authenticate, require
from app.auth.secrets import CSRF_COOKIE, SESSION_COOKIE
from app.config import Settings
from app.core.deps import get_session
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.errors import Forbidden, NotAuthenticated, NotFound, problem_responses
from app.users.schemas import ModulePermission, User
from app.workspaces import service as workspaces
from app.workspaces.schemas import SignupRequest, Workspace

router = APIRouter(route_class=UnitOfWorkRoute)

ApiKeySort = service.ApiKeyRepository.sorting.enum("ApiKeySort")


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _set_cookies(response: Response, settings: Settings, signed: service.SignedIn) -> None:
    max_age = settings.session_ttl_hours * 3600
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE,
        signed.csrf,
        max_age=max_age,
        httponly=False,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )


def _session_body(signed: service.SignedIn) -> schemas.Session:
    return schemas.Session(
        user=User.model_validate(signed.user), workspace=Workspace.model_validate(signed.workspace)
    )


@router.post(
    "/auth/login",
    response_model=schemas.Session,
    tags=["auth"],
    responses=problem_responses(service.LoginRejected, service.LoginThrottled),
)
async def login(
    data: schemas.LoginRequest,
    request: Request,
    response: Response,
    session: AsyncSession = Depends(get_session),
) -> schemas.Session:
    """Sign in with e-mail and password; sets the session and CSRF cookies."""
    settings = _settings(request)
    signed = await service.login(
        session,
        settings,
        email=data.email,
        password=data.password,
        ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )
    _set_cookies(response, settings, signed)
    return _session_body(signed)


@router.post(
    "/auth/signup",
    response_model=schemas.Session,
    status_code=status.HTTP_201_CREATED,
    tags=["auth"],
    responses=problem_responses(Forbidden),
)
async def signup(
    data: SignupRequest,
    request: Request,
    response: Response,
    session: AsyncSession = Depends(get_session),
) -> schemas.Session:
    """Create a workspace and its owner (only when RAPPORT_SIGNUP=open), and sign in."""
    settings = _settings(request)
    if settings.signup != "open":
        raise Forbidden(
            "Sign-up is closed on this server; ask its administrator.", code="signup_closed"
        )
    await workspaces.create_workspace(
        session,
        name=data.workspace_name,
        owner_name=data.name,
        owner_email=data.email,
        password=data.password,
        timezone=settings.default_timezone,
    )
    signed = await service.login(
        session,
        settings,
        email=data.email,
        password=data.password,
        ip=None,
        user_agent=request.headers.get("user-agent"),
    )
    _set_cookies(response, settings, signed)
    return _session_body(signed)


@router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["auth"],
    responses=problem_responses(NotAuthenticated),
)
async def logout(request: Request, ctx: Ctx = Depends(authenticate)) -> Response:
    """End this browser session."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await service.logout(ctx.session, token)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get(
    "/me", response_model=schemas.Me, tags=["auth"], responses=problem_responses(NotAuthenticated)
)
async def me(ctx: Ctx = Depends(authenticate)) -> schemas.Me:
    """The caller, their workspace and their permissions."""
    from app.core.principal import MODULES

    user, workspace = await service.me(ctx)
    return schemas.Me(
        user=User.model_validate(user),
        workspace=Workspace.model_validate(workspace),
        permissions={
            m: ModulePermission(scope=ctx.principal.scope(m), write=ctx.principal.can_write(m))
            for m in MODULES
        },
    )


@router.get("/api-keys", response_model=Page[schemas.ApiKey], tags=["api-keys"])
async def list_api_keys(
    params: ListParams = Depends(list_params),
    sort: ApiKeySort = Query("-created_at", description="Sort key"),  # type: ignore[valid-type]
    ctx: Ctx = Depends(require("settings")),
) -> Page[schemas.ApiKey]:
    """Your API keys (admins see everyone's)."""
    rows, cursor, more = await service.list_api_keys(ctx, params, str(sort))
    return Page(
        data=[schemas.ApiKey.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/api-keys",
    response_model=schemas.ApiKeyCreated,
    status_code=status.HTTP_201_CREATED,
    tags=["api-keys"],
    responses=problem_responses(Forbidden),
)
async def create_api_key(
    data: schemas.ApiKeyCreate, ctx: Ctx = Depends(require("settings"))
) -> schemas.ApiKeyCreated:
    """Create an API key acting as you within the given scopes; the key is shown only now."""
    key, raw = await service.create_api_key(ctx, data.name, data.scopes)
    return schemas.ApiKeyCreated(**schemas.ApiKey.model_validate(key).model_dump(), key=raw)


@router.delete(
    "/api-keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["api-keys"],
    responses=problem_responses(NotFound),
)
async def revoke_api_key(key_id: uuid.UUID, ctx: Ctx = Depends(require("settings"))) -> Response:
    """Revoke an API key; requests with it fail from now on."""
    await service.revoke_api_key(ctx, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
