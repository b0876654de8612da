from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from sqlalchemy import ColumnElement, or_, select

from app.analytics.team.repository import in_team_subtree
from app.core.pagination import SortSpec
from app.core.repository import RepositoryBase
from app.core.scope import team_members
from app.models.targets import Target


class TargetRepository(RepositoryBase[Target]):
    model = Target
    entity = "target"
    sorting: ClassVar[SortSpec] = SortSpec(
        Target.id,
        period_start=Target.period_start,
        created_at=Target.created_at,
        updated_at=Target.updated_at,
    )

    async def of_period(
        self, start: date, kind: str, conditions: Sequence[ColumnElement[bool]]
    ) -> Sequence[Target]:
        stmt = self.readable().where(
            Target.period_start == start, Target.period_kind == kind, *conditions
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def taken(self, target: Target) -> uuid.UUID | None:
        """Another live target with the same subject, period and metric."""
        stmt = select(Target.id).where(
            Target.deleted_at.is_(None),
            Target.id != target.id,
            Target.subject_kind == target.subject_kind,
            Target.period_kind == target.period_kind,
            Target.period_start == target.period_start,
            Target.metric == target.metric,
            Target.user_id.is_not_distinct_from(target.user_id),
            Target.team_id.is_not_distinct_from(target.team_id),
        )
        found: uuid.UUID | None = await self.session.scalar(stmt.limit(1))
        return found

    async def is_writable(self, target_id: uuid.UUID) -> bool:
        stmt = self.writable().where(Target.id == target_id).with_only_columns(Target.id)
        return (await self.session.execute(stmt)).first() is not None


def within_team(team_id: uuid.UUID) -> ColumnElement[bool]:
    """Targets of a team's subtree: its teams and the people in them."""
    return or_(
        Target.team_id.is_not(None) & in_team_subtree(Target.team_id, team_id),
        Target.user_id.in_(team_members(team_id, "filter_member_tree")),
    )
