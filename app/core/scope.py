"""Data scope: the one place that narrows a query to what the principal may see.

Every repository starts from `readable_statement()`; row-level security is the second wall
(it already limits every statement to the principal's workspace).
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, false, literal, select, true
from sqlalchemy.orm import aliased

from app.core.models import Base
from app.core.principal import Principal, Scope

M = TypeVar("M", bound=Base)


@lru_cache(maxsize=4096)
def team_subtree(team_id: uuid.UUID, name: str = "team_tree") -> Select[tuple[uuid.UUID]]:
    """Ids of a team and all its descendants (recursive CTE over teams.parent_id). A
    statement that needs two different subtrees gives them different CTE names.

    One object per (team, name), like `scope_condition`'s clauses: a statement that names
    the same subtree in several places (a union of orders and payments, each narrowed to a
    team) renders one CTE instead of failing on two CTEs with one name."""
    from app.models.user import Team

    root = select(Team.id).where(Team.id == team_id).cte(name, recursive=True)
    child = aliased(Team)
    tree = root.union_all(select(child.id).where(child.parent_id == root.c.id))
    return select(tree.c.id)


@lru_cache(maxsize=4096)
def team_members(team_id: uuid.UUID, name: str = "team_tree") -> Select[tuple[uuid.UUID]]:
    """Ids of the users of a team's subtree (`name`: see `team_subtree`)."""
    from app.models.user import User

    return select(User.id).where(User.team_id.in_(team_subtree(team_id, name)))


@lru_cache(maxsize=4096)
def scope_condition(
    model: type[Base], principal: Principal, module: str, *, for_write: bool = False
) -> ColumnElement[bool]:
    """The WHERE clause of `principal`'s data scope on `model`.

    Rows are in scope through their owner column (own / team subtree / all), through a
    parent row in scope (`__scope_parent__`, e.g. a contact through its customer), or
    through grants the model adds (`scope_grants`, e.g. account-team collaborators; read
    grants may differ from write grants).

    Built once per principal, module and model: the clause holds no time or state of its
    own (team membership and grants are resolved by the database when the statement runs),
    and constructing it took longer than running a page of the customer list.
    """
    scope = principal.scope(module)
    if scope is Scope.all:
        return true()
    if scope is Scope.none:
        return false()
    parent = model.__scope_parent__
    if parent is not None:
        column, parent_model = parent
        visible = select(parent_model.id).where(
            scope_condition(parent_model, principal, module, for_write=for_write)
        )
        in_parent: ColumnElement[bool] = getattr(model, column).in_(visible)
        return in_parent
    condition = _owner_condition(model, principal, scope)
    grants = model.scope_grants(principal, for_write=for_write)
    return condition if grants is None else condition | grants


def _owner_condition(model: type[Base], principal: Principal, scope: Scope) -> ColumnElement[bool]:
    owner_name = model.__owner_column__
    if owner_name is None:
        # tables without an owner (reference data) are readable in any non-empty scope
        return true()
    return _owned_by(getattr(model, owner_name), principal, scope)


def user_scope_condition(
    user_column: Any, principal: Principal, module: str
) -> ColumnElement[bool]:
    """The principal's data scope of `module` on any column naming a person (the author of
    a follow-up, the owner of the contract a payment belongs to): own / team subtree / all,
    exactly as an owner column is scoped. For numbers reported per person."""
    scope = principal.scope(module)
    if scope is Scope.all:
        return true()
    if scope is Scope.none:
        return false()
    return _owned_by(user_column, principal, scope)


def _owned_by(owner: Any, principal: Principal, scope: Scope) -> ColumnElement[bool]:
    mine: ColumnElement[bool] = owner == literal(principal.user_id)
    if scope is Scope.team and principal.team_id is not None:
        in_team: ColumnElement[bool] = owner.in_(team_members(principal.team_id))
        return in_team | mine
    return mine


def readable_statement(
    model: type[M],
    principal: Principal,
    module: str | None = None,
    *,
    include_deleted: bool = False,
    for_write: bool = False,
) -> Select[tuple[M]]:
    """SELECT model rows the principal may read (or, `for_write`, change) within scope,
    without the recycle bin unless asked."""
    module = module or model.__scope_module__
    assert module, f"{model.__name__} declares no __scope_module__"
    stmt = select(model).where(scope_condition(model, principal, module, for_write=for_write))
    deleted_at = getattr(model, "deleted_at", None)
    if deleted_at is not None and not include_deleted:
        stmt = stmt.where(deleted_at.is_(None))
    return stmt
