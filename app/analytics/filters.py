"""The filters every analytic shares: who (team subtree, owner) on top of the data scope.

The data scope itself always comes from `scope_condition(model, principal, "analytics")`;
these narrow further and never widen it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement

from app.core.scope import team_members

MODULE = "analytics"


def narrowed(
    owner_column: Any, *, team_id: uuid.UUID | None, owner_id: uuid.UUID | None
) -> list[ColumnElement[bool]]:
    """Conditions restricting `owner_column` to a team subtree and/or one owner."""
    conditions: list[ColumnElement[bool]] = []
    if team_id is not None:
        # its own CTE name: the caller's team scope may already use the default one
        conditions.append(owner_column.in_(team_members(team_id, "filter_team_tree")))
    if owner_id is not None:
        conditions.append(owner_column == owner_id)
    return conditions
