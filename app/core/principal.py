"""Who is acting: a user, possibly through an API key narrowed by scopes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    owner = "owner"
    admin = "admin"
    manager = "manager"
    sales = "sales"
    service = "service"
    viewer = "viewer"


class Scope(StrEnum):
    none = "none"
    own = "own"
    team = "team"
    all = "all"


MODULES: tuple[str, ...] = (
    "customers",
    "leads",
    "pools",
    "opportunities",
    "contracts",
    "receivables",
    "orders",
    "tickets",
    "analytics",
    "audit",
    "settings",
    "integrations",
)

_SALES_MODULES = ("customers", "leads", "opportunities", "contracts", "receivables", "orders")


def _matrix() -> dict[Role, dict[str, tuple[Scope, bool]]]:
    everything_all = {m: (Scope.all, True) for m in MODULES}
    manager = {m: (Scope.team, True) for m in MODULES}
    manager["settings"] = (Scope.all, False)
    manager["integrations"] = (Scope.none, False)
    sales: dict[str, tuple[Scope, bool]] = {m: (Scope.own, True) for m in _SALES_MODULES}
    sales.update(
        {
            "pools": (Scope.team, True),
            "tickets": (Scope.own, True),
            "analytics": (Scope.own, False),
            "audit": (Scope.own, False),
            "settings": (Scope.all, False),
        }
    )
    service: dict[str, tuple[Scope, bool]] = {m: (Scope.none, False) for m in MODULES}
    service.update(
        {
            "customers": (Scope.team, False),
            "tickets": (Scope.team, True),
            "analytics": (Scope.own, False),
            "audit": (Scope.own, False),
            "settings": (Scope.all, False),
        }
    )
    viewer = {m: (Scope.team, False) for m in MODULES}
    viewer["settings"] = (Scope.all, False)
    viewer["integrations"] = (Scope.none, False)
    return {
        Role.owner: everything_all,
        Role.admin: dict(everything_all),
        Role.manager: manager,
        Role.sales: sales,
        Role.service: service,
        Role.viewer: viewer,
    }


#: role → module → (data scope, may write). The one place permissions are defined.
ROLE_PERMISSIONS: dict[Role, dict[str, tuple[Scope, bool]]] = _matrix()


@dataclass(frozen=True)
class Principal:
    workspace_id: uuid.UUID
    user_id: uuid.UUID
    role: Role
    team_id: uuid.UUID | None
    name: str = ""
    api_key_id: uuid.UUID | None = None
    #: API-key scopes (`customers:read`, `customers:write`, `*`); None for a browser session
    key_scopes: frozenset[str] | None = field(default=None)

    def scope(self, module: str) -> Scope:
        scope, _ = ROLE_PERMISSIONS[self.role].get(module, (Scope.none, False))
        if self.key_scopes is not None and not self._key_allows(module, write=False):
            return Scope.none
        return scope

    def can_write(self, module: str) -> bool:
        _, write = ROLE_PERMISSIONS[self.role].get(module, (Scope.none, False))
        if self.key_scopes is not None and not self._key_allows(module, write=True):
            return False
        return write and self.scope(module) is not Scope.none

    def _key_allows(self, module: str, *, write: bool) -> bool:
        assert self.key_scopes is not None
        if "*" in self.key_scopes:
            return True
        if write:
            return f"{module}:write" in self.key_scopes
        return f"{module}:read" in self.key_scopes or f"{module}:write" in self.key_scopes

    @property
    def is_admin(self) -> bool:
        return self.role in (Role.owner, Role.admin)

    @property
    def is_manager(self) -> bool:
        """Owners, admins and managers: who assign others' records, manage rules and approve."""
        return self.role in (Role.owner, Role.admin, Role.manager)
