"""The numbers of a person in a period, for leaderboards, target progress and commission.

Every measure is attributed to a person and counted under the caller's data scope applied
to that person (`user_scope_condition`: own / team subtree / all):

- won_amount: deals won (`status = 'won'`) whose `won_at` falls in the period, by the
  deal's owner; value = sum of `amount` per currency, count = deals.
- payments_received: payments received (`received_on`, a date in the workspace calendar)
  in the period, not voided, not deleted, on contracts that are not deleted, by the
  contract's owner; value = sum of the payment `amount` (allocated to installments or
  kept as credit) per currency, count = payments.
- new_customers: customers created in the period and not deleted, by their owner.
- follow_ups: follow-up records (activities of every kind) that occurred in the period
  and are not deleted, by their author.
- visits: follow-ups of kind `visit`, by their author.

Instants are compared with the period's bounds in the workspace time zone. Follow-ups are
read from `activity_day_counts` (kept per author, workspace calendar day and kind by
triggers, ADR 8): the days of the period hold exactly the follow-ups between its bounds.
Sums are NUMERIC in SQL; nothing is added across currencies.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, literal, null, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.activities.schemas import ActivityKind
from app.analytics.filters import MODULE, narrowed
from app.analytics.period import Period
from app.core.principal import Principal
from app.core.scope import team_subtree, user_scope_condition
from app.models.contracts import Contract
from app.models.customer import Activity, Customer
from app.models.pipeline import Opportunity
from app.models.receivables import Payment
from app.models.targets import NO_AUTHOR, ActivityDayCount
from app.models.user import Team, User

#: activity kind → its column in `activity_day_counts`
KIND_COLUMNS = {
    ActivityKind.call.value: "calls",
    ActivityKind.visit.value: "visits",
    ActivityKind.meeting.value: "meetings",
    ActivityKind.email.value: "emails",
    ActivityKind.wechat.value: "wechats",
    ActivityKind.note.value: "notes",
    ActivityKind.return_visit.value: "return_visits",
}


class Measure(StrEnum):
    won_amount = "won_amount"
    payments_received = "payments_received"
    new_customers = "new_customers"
    follow_ups = "follow_ups"
    visits = "visits"


MONEY_MEASURES = frozenset({Measure.won_amount, Measure.payments_received})

#: who a measure is attributed to, for narrowing by team or person
PERSON_COLUMN: dict[Measure, Any] = {
    Measure.won_amount: Opportunity.owner_id,
    Measure.payments_received: Contract.owner_id,
    Measure.new_customers: Customer.owner_id,
    Measure.follow_ups: ActivityDayCount.author_id,
    Measure.visits: ActivityDayCount.author_id,
}


@dataclass(frozen=True, slots=True)
class Tally:
    value: Decimal
    count: int


#: (person or None for unowned rows, currency or None for counts) → tally
Tallies = dict[tuple[uuid.UUID | None, str | None], Tally]


def payments_received(period: Period, *columns: Any) -> Select[Any]:
    """SELECT `columns` of the payments received in `period` (joined to their contract): the
    one definition of payments_received, shared by targets and commission."""
    return (
        select(*columns)
        .select_from(Payment)
        .join(
            Contract,
            and_(Contract.workspace_id == Payment.workspace_id, Contract.id == Payment.contract_id),
        )
        .where(
            Payment.received_on >= period.start,
            Payment.received_on < period.end,
            Payment.voided_at.is_(None),
            Payment.deleted_at.is_(None),
            Contract.deleted_at.is_(None),
        )
    )


def _statement(measure: Measure, period: Period, zone: ZoneInfo) -> Select[Any]:
    start, end = period.bounds(zone)
    match measure:
        case Measure.won_amount:
            return select(
                Opportunity.owner_id,
                Opportunity.currency,
                func.sum(Opportunity.amount),
                func.count(),
            ).where(
                Opportunity.status == "won",
                Opportunity.deleted_at.is_(None),
                Opportunity.won_at >= start,
                Opportunity.won_at < end,
            )
        case Measure.payments_received:
            return payments_received(
                period, Contract.owner_id, Payment.currency, func.sum(Payment.amount), func.count()
            )
        case Measure.new_customers:
            return select(Customer.owner_id, null(), literal(0), func.count()).where(
                Customer.created_at >= start,
                Customer.created_at < end,
                Customer.deleted_at.is_(None),
            )
        case Measure.follow_ups | Measure.visits:
            column = (
                ActivityDayCount.total if measure is Measure.follow_ups else ActivityDayCount.visits
            )
            return (
                select(ActivityDayCount.author_id, null(), literal(0), func.sum(column))
                .where(ActivityDayCount.day >= period.start, ActivityDayCount.day < period.end)
                .having(func.sum(column) > 0)
            )


async def tallies(
    session: AsyncSession,
    principal: Principal,
    measure: Measure,
    period: Period,
    zone: ZoneInfo,
    *,
    currency: str | None = None,
    conditions: Sequence[ColumnElement[bool]] = (),
) -> Tallies:
    """Per person (and currency, for money) within the caller's scope; `conditions` narrow
    further (a team, a person: see `app.analytics.filters.narrowed` on `PERSON_COLUMN`)."""
    person = PERSON_COLUMN[measure]
    stmt = _statement(measure, period, zone).where(
        user_scope_condition(person, principal, MODULE), *conditions
    )
    if measure in MONEY_MEASURES:
        currency_column = stmt.selected_columns[1]
        if currency is not None:
            stmt = stmt.where(currency_column == currency)
        stmt = stmt.group_by(person, currency_column)
    else:
        stmt = stmt.group_by(person)
    out: Tallies = {}
    for owner, code, total, count in (await session.execute(stmt)).tuples():
        value = Decimal(total) if measure in MONEY_MEASURES else Decimal(count)
        out[(None if owner == NO_AUTHOR else owner, code)] = Tally(value, int(count))
    return out


@dataclass(frozen=True, slots=True)
class KindCounts:
    counts: dict[str, int]
    total: int
    customers_touched: int


async def activity_counts(
    session: AsyncSession,
    principal: Principal,
    period: Period,
    zone: ZoneInfo,
    *,
    team_id: uuid.UUID | None = None,
    owner_id: uuid.UUID | None = None,
    touched: bool = True,
) -> tuple[dict[uuid.UUID, KindCounts], KindCounts]:
    """Follow-ups per author and kind with the distinct customers they touched, and the
    same over all of them (GROUPING SETS ((author), ())). The counts come from
    `activity_day_counts`; distinct customers cannot be added up from days, so they are
    counted on the follow-ups themselves — the one expensive part, skipped (0) when the
    caller has no use for it (`touched=False`)."""
    kinds = [k.value for k in ActivityKind]
    columns = [getattr(ActivityDayCount, c) for c in KIND_COLUMNS.values()]
    author = ActivityDayCount.author_id
    counted = (
        select(
            func.grouping(author),
            author,
            *(func.coalesce(func.sum(c), 0) for c in columns),
            func.coalesce(func.sum(ActivityDayCount.total), 0),
        )
        .where(
            ActivityDayCount.day >= period.start,
            ActivityDayCount.day < period.end,
            author != NO_AUTHOR,
            user_scope_condition(author, principal, MODULE),
            *narrowed(author, team_id=team_id, owner_id=owner_id),
        )
        .group_by(func.grouping_sets(tuple_(author), tuple_()))
    )
    start, end = period.bounds(zone)
    touched_query = (
        select(
            func.grouping(Activity.author_id),
            Activity.author_id,
            func.count(Activity.customer_id.distinct()),
        )
        .where(
            Activity.occurred_at >= start,
            Activity.occurred_at < end,
            Activity.deleted_at.is_(None),
            Activity.author_id.is_not(None),
            user_scope_condition(Activity.author_id, principal, MODULE),
            *narrowed(Activity.author_id, team_id=team_id, owner_id=owner_id),
        )
        .group_by(func.grouping_sets(tuple_(Activity.author_id), tuple_()))
    )
    customers = (
        {
            (None if grouped else who): int(n)
            for grouped, who, n in (await session.execute(touched_query)).tuples()
        }
        if touched
        else {}
    )
    per_author: dict[uuid.UUID, KindCounts] = {}
    overall = KindCounts(dict.fromkeys(kinds, 0), 0, customers.get(None, 0))
    for row in (await session.execute(counted)).tuples():
        grouped, who, *numbers = row
        counts = KindCounts(
            dict(zip(kinds, (int(n) for n in numbers[: len(kinds)]), strict=True)),
            int(numbers[-1]),
            customers.get(None if grouped else who, 0),
        )
        if grouped:
            overall = counts
        elif counts.total:
            per_author[who] = counts
    return per_author, overall


@dataclass(frozen=True, slots=True)
class Person:
    id: uuid.UUID
    name: str
    role: str
    #: active and not deleted: listed even without numbers when they sell
    current: bool
    team_id: uuid.UUID | None
    team_name: str | None


async def people(
    session: AsyncSession,
    principal: Principal,
    conditions: Sequence[ColumnElement[bool]] = (),
    ids: set[uuid.UUID] | None = None,
) -> dict[uuid.UUID, Person]:
    """Users in the caller's analytics scope (narrowed by `conditions` on `User.id`), with
    their team, deleted ones included (their numbers stay theirs); `ids` limits them to
    these people."""
    current = and_(User.is_active, User.deleted_at.is_(None))
    stmt = (
        select(User.id, User.name, User.role, current, User.team_id, Team.name)
        .outerjoin(Team, and_(Team.workspace_id == User.workspace_id, Team.id == User.team_id))
        .where(user_scope_condition(User.id, principal, MODULE), *conditions)
    )
    if ids is not None:
        if not ids:
            return {}
        stmt = stmt.where(User.id.in_(ids))
    return {row[0]: Person(*row) for row in (await session.execute(stmt)).tuples()}


async def team_tree(session: AsyncSession) -> dict[uuid.UUID, uuid.UUID | None]:
    """Every live team of the workspace → its parent (a few hundred rows at most)."""
    rows = await session.execute(select(Team.id, Team.parent_id).where(Team.deleted_at.is_(None)))
    return dict(rows.tuples().all())


async def team_names(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = await session.execute(select(Team.id, Team.name).where(Team.id.in_(ids)))
    return dict(rows.tuples().all())


async def user_names(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = await session.execute(select(User.id, User.name).where(User.id.in_(ids)))
    return dict(rows.tuples().all())


async def user_teams(session: AsyncSession) -> dict[uuid.UUID, uuid.UUID | None]:
    """Every user of the workspace → their team (the members a team target adds up)."""
    rows = await session.execute(select(User.id, User.team_id))
    return dict(rows.tuples().all())


def subtree_of(tree: dict[uuid.UUID, uuid.UUID | None], root: uuid.UUID) -> set[uuid.UUID]:
    """`root` and every team below it."""
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for team, parent in tree.items():
        children.setdefault(parent, []).append(team)
    out, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def in_team_subtree(column: Any, team_id: uuid.UUID) -> ColumnElement[bool]:
    """`column` (a team id) is the team or one below it."""
    condition: ColumnElement[bool] = column.in_(team_subtree(team_id, "filter_team_tree"))
    return condition
