from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.dependencies import Ctx, require
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.principal import Role
from app.core.routing import UnitOfWorkRoute
from app.errors import Conflict, Forbidden, NotFound, PreconditionFailed, problem_responses
from app.users import schemas, service
from app.users.repository import TeamRepository, UserRepository

router = APIRouter(route_class=UnitOfWorkRoute)

UserSort = UserRepository.sorting.enum("UserSort")
TeamSort = TeamRepository.sorting.enum("TeamSort")


@router.get(
    "/users",
    response_model=Page[schemas.User],
    tags=["users"],
    responses=problem_responses(Forbidden),
)
async def list_users(
    params: ListParams = Depends(list_params),
    sort: UserSort = Query("name", description="Sort key; prefix `-` for descending"),  # type: ignore[valid-type]
    q: str | None = Query(None, max_length=100, description="Name or e-mail contains"),
    role: Role | None = Query(None, description="Only this role"),
    team_id: uuid.UUID | None = Query(None, description="Only members of this team"),
    is_active: bool | None = Query(None, description="Only active / deactivated users"),
    ctx: Ctx = Depends(require("settings")),
) -> Page[schemas.User]:
    """List the workspace's users."""
    rows, cursor, more = await service.list_users(
        ctx, params, str(sort), q=q, role=role, team_id=team_id, is_active=is_active
    )
    return Page(
        data=[schemas.User.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/users",
    response_model=schemas.User,
    status_code=status.HTTP_201_CREATED,
    tags=["users"],
    responses=problem_responses(Forbidden, Conflict),
)
async def create_user(
    data: schemas.UserCreate,
    response: Response,
    ctx: Ctx = Depends(require("settings", write=True)),
) -> schemas.User:
    """Create a user who can sign in with the given password."""
    user = await service.create_user(ctx, data)
    set_etag(response, user.version)
    return schemas.User.model_validate(user)


@router.get(
    "/users/{user_id}",
    response_model=schemas.User,
    tags=["users"],
    responses=problem_responses(NotFound),
)
async def get_user(
    user_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("settings"))
) -> schemas.User:
    """One user."""
    user = await service.get_user(ctx, user_id)
    set_etag(response, user.version)
    return schemas.User.model_validate(user)


@router.patch(
    "/users/{user_id}",
    response_model=schemas.User,
    tags=["users"],
    responses=problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed),
)
async def update_user(
    user_id: uuid.UUID,
    data: schemas.UserUpdate,
    response: Response,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("settings", write=True)),
) -> schemas.User:
    """Change a user's name, role or team."""
    user = await service.update_user(ctx, user_id, data, version)
    set_etag(response, user.version)
    return schemas.User.model_validate(user)


@router.post(
    "/users/{user_id}/deactivate",
    response_model=schemas.User,
    tags=["users"],
    responses=problem_responses(NotFound, Forbidden, Conflict),
)
async def deactivate_user(
    user_id: uuid.UUID, ctx: Ctx = Depends(require("settings", write=True))
) -> schemas.User:
    """Stop a user from signing in; their sessions end at once."""
    return schemas.User.model_validate(await service.set_active(ctx, user_id, False))


@router.post(
    "/users/{user_id}/activate",
    response_model=schemas.User,
    tags=["users"],
    responses=problem_responses(NotFound, Forbidden, Conflict),
)
async def activate_user(
    user_id: uuid.UUID, ctx: Ctx = Depends(require("settings", write=True))
) -> schemas.User:
    """Let a deactivated user sign in again."""
    return schemas.User.model_validate(await service.set_active(ctx, user_id, True))


@router.get("/roles", response_model=schemas.RoleList, tags=["users"])
async def list_roles(ctx: Ctx = Depends(require("settings"))) -> schemas.RoleList:
    """Roles and their data scope per module."""
    return schemas.RoleList(data=service.roles())


@router.get("/teams", response_model=Page[schemas.Team], tags=["teams"])
async def list_teams(
    params: ListParams = Depends(list_params),
    sort: TeamSort = Query("name", description="Sort key; prefix `-` for descending"),  # type: ignore[valid-type]
    parent_id: uuid.UUID | None = Query(None, description="Only direct children of this team"),
    ctx: Ctx = Depends(require("settings")),
) -> Page[schemas.Team]:
    """List teams (the tree is given by `parent_id`)."""
    rows, cursor, more = await service.list_teams(ctx, params, str(sort), parent_id)
    return Page(
        data=[schemas.Team.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/teams",
    response_model=schemas.Team,
    status_code=status.HTTP_201_CREATED,
    tags=["teams"],
    responses=problem_responses(Forbidden),
)
async def create_team(
    data: schemas.TeamCreate,
    response: Response,
    ctx: Ctx = Depends(require("settings", write=True)),
) -> schemas.Team:
    """Create a team, optionally under a parent team."""
    team = await service.create_team(ctx, data)
    set_etag(response, team.version)
    return schemas.Team.model_validate(team)


@router.get(
    "/teams/{team_id}",
    response_model=schemas.Team,
    tags=["teams"],
    responses=problem_responses(NotFound),
)
async def get_team(
    team_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("settings"))
) -> schemas.Team:
    """One team."""
    team = await service.get_team(ctx, team_id)
    set_etag(response, team.version)
    return schemas.Team.model_validate(team)


@router.patch(
    "/teams/{team_id}",
    response_model=schemas.Team,
    tags=["teams"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_team(
    team_id: uuid.UUID,
    data: schemas.TeamUpdate,
    response: Response,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("settings", write=True)),
) -> schemas.Team:
    """Rename a team or move it in the tree."""
    team = await service.update_team(ctx, team_id, data, version)
    set_etag(response, team.version)
    return schemas.Team.model_validate(team)


@router.delete(
    "/teams/{team_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["teams"],
    responses=problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed),
)
async def delete_team(
    team_id: uuid.UUID,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("settings", write=True)),
) -> Response:
    """Move an empty team to the recycle bin (restorable for 30 days)."""
    await service.delete_team(ctx, team_id, version)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/teams/{team_id}/restore",
    response_model=schemas.Team,
    tags=["teams"],
    responses=problem_responses(NotFound, Forbidden, Conflict),
)
async def restore_team(
    team_id: uuid.UUID, ctx: Ctx = Depends(require("settings", write=True))
) -> schemas.Team:
    """Bring a team back from the recycle bin."""
    return schemas.Team.model_validate(await service.restore_team(ctx, team_id))
