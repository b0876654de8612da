"""Queries of the periodic reports: the numbers of every person of a workspace in one
period (one grouped statement per measure, whatever the number of people), the subjects,
and the stored reports under the caller's scope.

The measures shared with leaderboards and targets (won amount, payments received, new
customers, follow-ups and visits) come from `app.analytics.team.repository`, so a report
and a leaderboard of the same period always agree."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.period import Period
from app.analytics.team import repository as team
from app.analytics.team.repository import Measure
from app.core.pagination import SortSpec
from app.core.principal import Principal, Role
from app.core.repository import RepositoryBase
from app.models.lead import Lead
from app.models.pipeline import Opportunity
from app.models.receivables import Installment
from app.models.reports import Report
from app.models.ticket import Ticket
from app.models.user import Team, User

COUNTS = (
    "new_customers",
    "new_leads",
    "follow_ups",
    "visits",
    "deals_created",
    "deals_won",
    "deals_lost",
    "tickets_created",
    "tickets_resolved",
)
AMOUNTS = ("won_amount", "lost_amount", "payments_received", "overdue_receivables")
#: people who get a report of their own (viewers only look)
REPORTED_ROLES = ("owner", "admin", "manager", "sales", "service")


@dataclass
class Numbers:
    """One subject's numbers while they are being added up."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    #: measure → currency → [amount, count]
    amounts: dict[str, dict[str, list[Any]]] = field(
        default_factory=lambda: {name: {} for name in AMOUNTS}
    )

    def add_amount(self, measure: str, currency: str, amount: Decimal, count: int) -> None:
        slot = self.amounts[measure].setdefault(currency, [Decimal(0), 0])
        slot[0] += amount
        slot[1] += count

    def merge(self, other: Numbers) -> None:
        for name in COUNTS:
            self.counts[name] += other.counts[name]
        for measure, by_currency in other.amounts.items():
            for currency, (amount, count) in by_currency.items():
                self.add_amount(measure, currency, amount, count)

    @property
    def empty(self) -> bool:
        return not any(self.counts.values()) and not any(self.amounts.values())

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.counts)
        for measure, by_currency in self.amounts.items():
            out[measure] = [
                {"currency": c, "amount": str(amount), "count": count}
                for c, (amount, count) in sorted(by_currency.items())
            ]
        return out


def reader(workspace_id: uuid.UUID) -> Principal:
    """The scheduled generator reads the whole workspace (who may see a report is decided
    when reports are listed)."""
    return Principal(
        workspace_id=workspace_id, user_id=uuid.UUID(int=0), role=Role.owner, team_id=None
    )


async def _grouped(session: AsyncSession, stmt: Any) -> Sequence[Any]:
    return (await session.execute(stmt)).all()


async def numbers_by_person(
    session: AsyncSession, workspace_id: uuid.UUID, period: Period, zone: ZoneInfo
) -> dict[uuid.UUID, Numbers]:
    """Every person's numbers in `period` (rows without a person are left out)."""
    principal = reader(workspace_id)
    start, end = period.bounds(zone)
    people: defaultdict[uuid.UUID, Numbers] = defaultdict(Numbers)

    for measure, name in (
        (Measure.won_amount, "won_amount"),
        (Measure.payments_received, "payments_received"),
    ):
        for (person, currency), tally in (
            await team.tallies(session, principal, measure, period, zone)
        ).items():
            if person is not None and currency is not None:
                people[person].add_amount(name, currency, tally.value, tally.count)
                if measure is Measure.won_amount:
                    people[person].counts["deals_won"] += tally.count
    for (person, _), tally in (
        await team.tallies(session, principal, Measure.new_customers, period, zone)
    ).items():
        if person is not None:
            people[person].counts["new_customers"] += tally.count
    per_author, _ = await team.activity_counts(session, principal, period, zone, touched=False)
    for person, kinds in per_author.items():
        people[person].counts["follow_ups"] += kinds.total
        people[person].counts["visits"] += kinds.counts.get("visit", 0)

    def counted(column: Any, *where: ColumnElement[bool]) -> Any:
        return select(column, func.count()).where(column.is_not(None), *where).group_by(column)

    for person, n in await _grouped(
        session,
        counted(
            Lead.owner_id,
            Lead.created_at >= start,
            Lead.created_at < end,
            Lead.deleted_at.is_(None),
        ),
    ):
        people[person].counts["new_leads"] += n
    for person, n in await _grouped(
        session,
        counted(
            Opportunity.owner_id,
            Opportunity.created_at >= start,
            Opportunity.created_at < end,
            Opportunity.deleted_at.is_(None),
        ),
    ):
        people[person].counts["deals_created"] += n
    for person, n in await _grouped(
        session,
        counted(
            Ticket.assignee_id,
            Ticket.created_at >= start,
            Ticket.created_at < end,
            Ticket.deleted_at.is_(None),
        ),
    ):
        people[person].counts["tickets_created"] += n
    for person, n in await _grouped(
        session,
        counted(
            Ticket.assignee_id,
            Ticket.resolved_at >= start,
            Ticket.resolved_at < end,
            Ticket.deleted_at.is_(None),
        ),
    ):
        people[person].counts["tickets_resolved"] += n
    for person, currency, n, amount in await _grouped(
        session,
        select(
            Opportunity.owner_id, Opportunity.currency, func.count(), func.sum(Opportunity.amount)
        )
        .where(
            Opportunity.owner_id.is_not(None),
            Opportunity.status == literal_column("'lost'"),
            Opportunity.deleted_at.is_(None),
            Opportunity.lost_at >= start,
            Opportunity.lost_at < end,
        )
        .group_by(Opportunity.owner_id, Opportunity.currency),
    ):
        people[person].counts["deals_lost"] += n
        people[person].add_amount("lost_amount", currency, Decimal(amount), n)
    for person, currency, n, amount in await _grouped(
        session,
        select(
            Installment.owner_id,
            Installment.currency,
            func.count(),
            func.sum(Installment.amount - Installment.allocated_amount),
        )
        .where(
            # the open-receivable partial index's predicate, literally
            Installment.receivable,
            Installment.voided_at.is_(None),
            Installment.allocated_amount < Installment.amount,
            Installment.due_date < period.end,
            Installment.owner_id.is_not(None),
        )
        .group_by(Installment.owner_id, Installment.currency),
    ):
        people[person].add_amount("overdue_receivables", currency, Decimal(amount), n)
    return dict(people)


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    name: str
    team_id: uuid.UUID | None
    reported: bool


async def persons(session: AsyncSession) -> dict[uuid.UUID, Person]:
    """Every live user; `reported` = active with a role that gets reports."""
    rows = await session.execute(
        select(User.id, User.name, User.team_id, User.is_active, User.role).where(
            User.deleted_at.is_(None)
        )
    )
    return {
        r.id: Person(r.id, r.name, r.team_id, r.is_active and r.role in REPORTED_ROLES)
        for r in rows.all()
    }


async def teams(session: AsyncSession) -> dict[uuid.UUID, tuple[str, uuid.UUID | None]]:
    """Every live team → (name, parent)."""
    rows = await session.execute(
        select(Team.id, Team.name, Team.parent_id).where(Team.deleted_at.is_(None))
    )
    return {r.id: (r.name, r.parent_id) for r in rows.all()}


def subtree(root: uuid.UUID, parents: dict[uuid.UUID, uuid.UUID | None]) -> set[uuid.UUID]:
    children: defaultdict[uuid.UUID | None, list[uuid.UUID]] = defaultdict(list)
    for team_id, parent in parents.items():
        children[parent].append(team_id)
    out, todo = set(), [root]
    while todo:
        current = todo.pop()
        if current in out:
            continue
        out.add(current)
        todo.extend(children[current])
    return out


async def complete_subjects(
    session: AsyncSession, kind: str, period_start: date, period_end: datetime
) -> set[uuid.UUID]:
    """Users and teams with a report of this kind and period computed after it ended."""
    rows = await session.execute(
        select(func.coalesce(Report.user_id, Report.team_id)).where(
            Report.kind == kind,
            Report.period_start == period_start,
            Report.generated_at >= period_end,
        )
    )
    return {r[0] for r in rows.all()}


class ReportRepository(RepositoryBase[Report]):
    model = Report
    entity = "report"
    sorting: ClassVar[SortSpec] = SortSpec(
        Report.id, period_start=Report.period_start, generated_at=Report.generated_at
    )

    def changed_at(self) -> Any:
        return Report.generated_at
