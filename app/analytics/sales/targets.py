"""The won-amount targets the forecast and coverage compare with (targets are kept by the
targets module; this only reads them, within the caller's analytics scope)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.filters import MODULE
from app.analytics.period import Period
from app.core.principal import Principal, Scope
from app.core.scope import scope_condition
from app.models.targets import Target


@dataclass(frozen=True)
class Subject:
    """Whose target: a user, a team (its subtree) or the workspace (id None)."""

    kind: str
    id: uuid.UUID | None


def subject_of(
    principal: Principal, team_id: uuid.UUID | None, owner_id: uuid.UUID | None
) -> Subject:
    """The subject the figures are about: the owner filter, else the team filter, else the
    caller's own scope (a rep: themself; a manager: their team; everyone else: all)."""
    if owner_id is not None:
        return Subject("user", owner_id)
    if team_id is not None:
        return Subject("team", team_id)
    scope = principal.scope(MODULE)
    if scope is Scope.own or (scope is Scope.team and principal.team_id is None):
        return Subject("user", principal.user_id)
    if scope is Scope.team:
        return Subject("team", principal.team_id)
    return Subject("workspace", None)


def _of(subject: Subject) -> ColumnElement[bool]:
    if subject.kind == "user":
        return (Target.subject_kind == literal_column("'user'")) & (Target.user_id == subject.id)
    if subject.kind == "team":
        return (Target.subject_kind == literal_column("'team'")) & (Target.team_id == subject.id)
    return Target.subject_kind == literal_column("'workspace'")


async def won_targets(
    session: AsyncSession,
    principal: Principal,
    subject: Subject,
    periods: list[Period],
    currency: str,
) -> dict[date, Decimal]:
    """The subject's won-amount targets in `currency` for periods of one kind, by first day."""
    if not periods:
        return {}
    rows = await session.execute(
        select(Target.period_start, Target.target_value).where(
            scope_condition(Target, principal, MODULE),
            Target.deleted_at.is_(None),
            _of(subject),
            Target.metric == literal_column("'won_amount'"),
            Target.period_kind == periods[0].kind.value,
            Target.period_start.in_([p.start for p in periods]),
            Target.currency == currency,
        )
    )
    return {start: Decimal(value) for start, value in rows.all()}
