"""Users and teams: who may manage whom, and the invariants of the team tree."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement

from app.auth.dependencies import Ctx
from app.auth.secrets import hash_password
from app.core import hooks
from app.core.audit import record_mutation, snapshot
from app.core.filtering import contains_pattern
from app.core.pagination import ListParams
from app.core.principal import ROLE_PERMISSIONS, Role
from app.errors import Conflict, FieldError, Forbidden, UnprocessableEntity
from app.models.user import Team, User
from app.users import schemas
from app.users.repository import TeamRepository, UserRepository

USER_FIELDS = ("email", "name", "role", "team_id", "is_active")
TEAM_FIELDS = ("name", "parent_id", "deleted_at")


def roles() -> list[schemas.RoleInfo]:
    return [
        schemas.RoleInfo(
            name=role,
            modules={
                module: schemas.ModulePermission(scope=scope, write=write)
                for module, (scope, write) in perms.items()
            },
        )
        for role, perms in ROLE_PERMISSIONS.items()
    ]


async def list_users(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    *,
    q: str | None,
    role: Role | None,
    team_id: uuid.UUID | None,
    is_active: bool | None,
) -> tuple[Sequence[User], str | None, bool]:
    filters: list[ColumnElement[bool]] = []
    if q:
        pattern = contains_pattern(q)
        filters.append(User.name.ilike(pattern) | User.email.ilike(pattern))
    if role is not None:
        filters.append(User.role == role.value)
    if team_id is not None:
        filters.append(User.team_id == team_id)
    if is_active is not None:
        filters.append(User.is_active.is_(is_active))
    return await UserRepository(ctx.session, ctx.principal).page(params, sort, *filters)


async def get_user(ctx: Ctx, user_id: uuid.UUID) -> User:
    return await UserRepository(ctx.session, ctx.principal).get(user_id)


def _guard_role_change(ctx: Ctx, target_role: Role, current: Role | None = None) -> None:
    privileged = (Role.owner, Role.admin)
    if ctx.principal.role is not Role.owner and (
        target_role in privileged or current in privileged
    ):
        raise Forbidden(
            "Only an owner can grant, change or remove the owner and admin roles.",
            code="owner_required",
        )


async def _check_team(ctx: Ctx, team_id: uuid.UUID | None) -> None:
    if team_id is not None and not await TeamRepository(ctx.session, ctx.principal).exists(team_id):
        raise UnprocessableEntity(
            "The team does not exist.",
            code="unknown_team",
            errors=[FieldError(field="body.team_id", message="unknown team")],
        )


async def create_user(ctx: Ctx, data: schemas.UserCreate) -> User:
    repo = UserRepository(ctx.session, ctx.principal)
    _guard_role_change(ctx, data.role)
    await _check_team(ctx, data.team_id)
    if await repo.email_taken(data.email):
        raise Conflict(
            "A user with this e-mail already exists in the workspace.",
            code="email_taken",
            errors=[FieldError(field="body.email", message="already in use")],
        )
    user = User(
        workspace_id=ctx.principal.workspace_id,
        email=data.email.lower(),
        name=data.name,
        role=data.role.value,
        team_id=data.team_id,
        password_hash=hash_password(data.password),
        is_active=True,
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(user)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="user",
        action="created",
        entity_id=user.id,
        sequence=user.version,
        before=None,
        after=snapshot(user, USER_FIELDS),
    )
    return user


async def update_user(
    ctx: Ctx, user_id: uuid.UUID, data: schemas.UserUpdate, if_match: int | None
) -> User:
    repo = UserRepository(ctx.session, ctx.principal)
    user = await repo.get_writable(user_id, if_match=if_match)
    before = snapshot(user, USER_FIELDS)
    fields = data.model_fields_set
    if "role" in fields and data.role is not None and data.role.value != user.role:
        _guard_role_change(ctx, data.role, Role(user.role))
        if user.role == Role.owner and await repo.active_owner_count() <= 1:
            raise Conflict("The workspace needs at least one active owner.", code="last_owner")
        user.role = data.role.value
    elif user.role in (Role.owner, Role.admin) and ctx.principal.role is not Role.owner:
        raise Forbidden("Only an owner can change an owner or admin.", code="owner_required")
    if "name" in fields and data.name is not None:
        user.name = data.name
    if "team_id" in fields:
        await _check_team(ctx, data.team_id)
        user.team_id = data.team_id
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="user",
        action="updated",
        entity_id=user.id,
        sequence=user.version,
        before=before,
        after=snapshot(user, USER_FIELDS),
    )
    return user


async def set_active(ctx: Ctx, user_id: uuid.UUID, active: bool) -> User:
    repo = UserRepository(ctx.session, ctx.principal)
    user = await repo.get_writable(user_id)
    if user.is_active == active:
        return user
    if not active:
        if user.id == ctx.principal.user_id:
            raise Conflict("You cannot deactivate yourself.", code="cannot_deactivate_self")
        owned = {}
        for counter in hooks.owned_counters:
            owned.update({k: v for k, v in (await counter(ctx.session, user.id)).items() if v})
        if owned:
            listing = ", ".join(f"{n} {entity}" for entity, n in owned.items())
            raise Conflict(
                f"{user.name} still owns {listing}. Hand them over first "
                f"(POST /api/v1/users/{user.id}/handover), then deactivate.",
                code="owns_records",
                extra={"owned": owned, "handover": f"/api/v1/users/{user.id}/handover"},
            )
        if user.role == Role.owner and await repo.active_owner_count() <= 1:
            raise Conflict("The workspace needs at least one active owner.", code="last_owner")
    if user.role in (Role.owner, Role.admin) and ctx.principal.role is not Role.owner:
        raise Forbidden("Only an owner can change an owner or admin.", code="owner_required")
    before = snapshot(user, USER_FIELDS)
    user.is_active = active
    await ctx.session.flush()
    if not active:
        from app.auth.service import revoke_user_sessions

        await revoke_user_sessions(ctx.session, user.id)
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="user",
        action="activated" if active else "deactivated",
        entity_id=user.id,
        sequence=user.version,
        before=before,
        after=snapshot(user, USER_FIELDS),
    )
    return user


# --- teams -------------------------------------------------------------------------------


async def list_teams(
    ctx: Ctx, params: ListParams, sort: str, parent_id: uuid.UUID | None
) -> tuple[Sequence[Team], str | None, bool]:
    filters = [Team.parent_id == parent_id] if parent_id else []
    return await TeamRepository(ctx.session, ctx.principal).page(params, sort, *filters)


async def get_team(ctx: Ctx, team_id: uuid.UUID) -> Team:
    return await TeamRepository(ctx.session, ctx.principal).get(team_id)


async def create_team(ctx: Ctx, data: schemas.TeamCreate) -> Team:
    if data.parent_id is not None and not await TeamRepository(ctx.session, ctx.principal).exists(
        data.parent_id
    ):
        raise UnprocessableEntity(
            "The parent team does not exist.",
            code="unknown_team",
            errors=[FieldError(field="body.parent_id", message="unknown team")],
        )
    team = Team(
        workspace_id=ctx.principal.workspace_id,
        name=data.name,
        parent_id=data.parent_id,
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(team)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="team",
        action="created",
        entity_id=team.id,
        sequence=team.version,
        before=None,
        after=snapshot(team, TEAM_FIELDS),
    )
    return team


async def update_team(
    ctx: Ctx, team_id: uuid.UUID, data: schemas.TeamUpdate, if_match: int | None
) -> Team:
    repo = TeamRepository(ctx.session, ctx.principal)
    team = await repo.get_writable(team_id, if_match=if_match)
    before = snapshot(team, TEAM_FIELDS)
    if data.name is not None:
        team.name = data.name
    if "parent_id" in data.model_fields_set:
        parent = data.parent_id
        if parent is not None:
            if not await repo.exists(parent):
                raise UnprocessableEntity(
                    "The parent team does not exist.",
                    code="unknown_team",
                    errors=[FieldError(field="body.parent_id", message="unknown team")],
                )
            if await repo.in_subtree(team.id, parent):
                raise UnprocessableEntity(
                    "A team cannot move under itself or one of its sub-teams.",
                    code="team_cycle",
                    errors=[FieldError(field="body.parent_id", message="would form a cycle")],
                )
        team.parent_id = parent
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="team",
        action="updated",
        entity_id=team.id,
        sequence=team.version,
        before=before,
        after=snapshot(team, TEAM_FIELDS),
    )
    return team


async def delete_team(ctx: Ctx, team_id: uuid.UUID, if_match: int | None) -> None:
    """Moves the team to the recycle bin; refused while it has members or sub-teams."""
    repo = TeamRepository(ctx.session, ctx.principal)
    team = await repo.get_writable(team_id, if_match=if_match)
    if await repo.has_members_or_children(team.id):
        raise Conflict(
            "Move the team's members and sub-teams elsewhere first.", code="team_not_empty"
        )
    before = snapshot(team, TEAM_FIELDS)
    team.deleted_at = datetime.now(UTC)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="team",
        action="deleted",
        entity_id=team.id,
        sequence=team.version,
        before=before,
        after=None,
    )


async def restore_team(ctx: Ctx, team_id: uuid.UUID) -> Team:
    repo = TeamRepository(ctx.session, ctx.principal)
    team = await repo.get_writable(team_id, include_deleted=True)
    if team.deleted_at is None:
        return team
    if team.parent_id is not None and not await repo.exists(team.parent_id):
        raise Conflict("Restore the parent team first.", code="parent_deleted")
    before = snapshot(team, TEAM_FIELDS)
    team.deleted_at = None
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="team",
        action="restored",
        entity_id=team.id,
        sequence=team.version,
        before=before,
        after=snapshot(team, TEAM_FIELDS),
    )
    return team
