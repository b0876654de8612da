"""Every query of customer value: set-based, within the caller's analytics scope on
customers by their owner (a rep: their own customers; a manager: the team subtree's;
admins: all), narrowed by team/owner filters, never counting customers in the recycle bin.

Scores, tiers and purchase rhythm come from `customer_rfm` (as of the last run); Pareto,
key accounts, cohorts and revenue read purchases per customer and day (`purchase_days`)
and per owner and day (`purchase_owner_days`), kept by triggers, so they are live.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    DateTime,
    Integer,
    Numeric,
    Uuid,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.filters import MODULE, narrowed
from app.analytics.value.schemas import PurchaseSource, RfmSettingsIn
from app.core.pagination import ListParams, PlainRow, SortSpec, paginate
from app.core.principal import Principal
from app.core.scope import scope_condition
from app.models.customer import Customer
from app.models.customer_value import (
    CustomerRfm,
    CustomerRfmChange,
    PurchaseDay,
    PurchaseOwnerDay,
    RfmRun,
)
from app.models.orders import Order

#: order statuses written into the SQL (not bound), as the order indexes are
PURCHASED: ColumnElement[bool] = Order.status.in_(
    [literal_column("'paid'"), literal_column("'shipped'"), literal_column("'completed'")]
)


@dataclass(frozen=True)
class Who:
    """The caller and the team/owner filters: whose customers an analytic covers."""

    principal: Principal
    team_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None


def purchased_of(who: Who) -> list[ColumnElement[bool]]:
    """Purchase days (`purchase_days`) of live customers in scope: by the owner copied onto
    each row (kept current by a trigger), so no join with the customers is needed."""
    return [
        PurchaseDay.live.is_(True),
        scope_condition(PurchaseDay, who.principal, MODULE),
        *narrowed(PurchaseDay.owner_id, team_id=who.team_id, owner_id=who.owner_id),
    ]


def scored_of(who: Who) -> list[ColumnElement[bool]]:
    """Scores (`customer_rfm`) of live customers in scope: by the owner copied onto each
    score (kept current by a trigger), so no join with the customers is needed."""
    binned = select(Customer.id).where(Customer.deleted_at.is_not(None)).correlate(None)
    return [
        scope_condition(CustomerRfm, who.principal, MODULE),
        *narrowed(CustomerRfm.owner_id, team_id=who.team_id, owner_id=who.owner_id),
        CustomerRfm.customer_id.not_in(binned),
    ]


def purchases(
    s: RfmSettingsIn,
    who: Who,
    *,
    since: date | None = None,
    until: date | None = None,
    currency_only: bool = False,
) -> Any:
    """Purchases of customers in scope, per the settings' sources, as a subquery of
    (customer_id, day, amount) with one row per customer, day (the workspace's calendar)
    and currency: `amount` in the settings' currency (0 for others, or left out with
    `currency_only`). Days in [since, until)."""
    amounts: list[Any] = []
    bought: list[ColumnElement[bool]] = []
    if PurchaseSource.orders in s.sources:
        amounts.append(PurchaseDay.orders_amount)
        bought.append(PurchaseDay.orders > 0)
    if PurchaseSource.payments in s.sources:
        amounts.append(PurchaseDay.payments_amount)
        bought.append(PurchaseDay.payments > 0)
    amount = amounts[0] if len(amounts) == 1 else amounts[0] + amounts[1]
    conds = [*purchased_of(who), or_(*bought)]
    if since is not None:
        conds.append(PurchaseDay.day >= since)
    if until is not None:
        conds.append(PurchaseDay.day < until)
    if currency_only:
        conds.append(PurchaseDay.currency == s.currency)
    else:
        amount = case((PurchaseDay.currency == s.currency, amount), else_=literal(0))
    return (
        select(
            PurchaseDay.customer_id.label("customer_id"),
            PurchaseDay.day.label("day"),
            amount.label("amount"),
        )
        .where(*conds)
        .subquery("purchase")
    )


# --- runs and scores ---------------------------------------------------------------------


async def latest_run(session: AsyncSession) -> RfmRun | None:
    return (
        await session.execute(
            select(RfmRun).order_by(RfmRun.requested_at.desc(), RfmRun.id.desc()).limit(1)
        )
    ).scalar_one_or_none()


async def last_success(session: AsyncSession) -> RfmRun | None:
    return (
        await session.execute(
            select(RfmRun)
            .where(RfmRun.status == literal_column("'succeeded'"))
            .order_by(RfmRun.finished_at.desc(), RfmRun.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()


async def pending_run(session: AsyncSession) -> RfmRun | None:
    """A queued run not yet picked up (a second request joins it instead of queueing)."""
    return (
        await session.execute(
            select(RfmRun)
            .where(RfmRun.status == literal_column("'queued'"))
            .order_by(RfmRun.requested_at.desc())
            .limit(1)
        )
    ).scalar_one_or_none()


#: the scores of customer payloads; one statement text whatever the number of ids
_PAYLOAD = select(
    CustomerRfm.customer_id,
    CustomerRfm.r,
    CustomerRfm.f,
    CustomerRfm.m,
    CustomerRfm.score,
    CustomerRfm.tier,
    select(func.max(RfmRun.finished_at))
    .where(RfmRun.status == literal_column("'succeeded'"))
    .scalar_subquery()
    .label("computed_at"),
    CustomerRfm.last_purchase_on,
    CustomerRfm.purchases,
    CustomerRfm.amount,
    CustomerRfm.currency,
).where(CustomerRfm.customer_id == any_(bindparam("ids", type_=ARRAY(Uuid()))))


async def scores_of(
    session: AsyncSession, customer_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    """Payload fields (`schemas.CustomerRfm`) of the scored customers among the ids."""
    if not customer_ids:
        return {}
    result = await (await session.connection()).execute(_PAYLOAD, {"ids": list(customer_ids)})
    names = list(result.keys())[1:]
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in result}


async def history_page(
    session: AsyncSession, customer_id: uuid.UUID, params: ListParams
) -> tuple[Sequence[CustomerRfmChange], str | None, bool]:
    stmt = select(CustomerRfmChange).where(CustomerRfmChange.customer_id == customer_id)
    sorting = SortSpec(CustomerRfmChange.id, changed_at=CustomerRfmChange.changed_at)
    return await paginate(session, stmt, params, sorting, "-changed_at")


# --- distribution ------------------------------------------------------------------------


@dataclass(frozen=True)
class CubeCell:
    r: int
    f: int
    m: int
    customers: int
    amount: Decimal


async def distribution(
    session: AsyncSession, who: Who
) -> tuple[list[CubeCell], dict[str, tuple[int, Decimal]]]:
    """The R×F×M cube (best cells first) and the count and amount per tier, in one pass
    over the scores (GROUPING SETS: a hundred thousand scores of a team read once)."""
    by_cell = func.grouping(CustomerRfm.tier)
    rows = await session.execute(
        select(
            by_cell.label("by_cell"),
            CustomerRfm.r,
            CustomerRfm.f,
            CustomerRfm.m,
            CustomerRfm.tier,
            func.count().label("customers"),
            func.coalesce(func.sum(CustomerRfm.amount), 0).label("amount"),
        )
        .where(*scored_of(who))
        .group_by(
            func.grouping_sets(
                tuple_(CustomerRfm.r, CustomerRfm.f, CustomerRfm.m), tuple_(CustomerRfm.tier)
            )
        )
    )
    cells: list[CubeCell] = []
    tiers: dict[str, tuple[int, Decimal]] = {}
    for row in rows.all():
        if row.by_cell:
            cells.append(CubeCell(row.r, row.f, row.m, row.customers, row.amount))
        else:
            tiers[row.tier] = (row.customers, row.amount)
    cells.sort(key=lambda c: (c.r, c.f, c.m), reverse=True)
    return cells, tiers


# --- Pareto and key accounts -------------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    """The period's buyers ranked by revenue: `ranked` (customer_id, revenue, rank,
    cumulative) and `totals` (buyers, total), one row. Amounts are in cents (bigint): a
    hundred thousand sums of numeric kept a state each and took half the time; `money()`
    turns the few values shown back into the currency."""

    ranked: Any
    totals: Any


def money(cents: Any) -> ColumnElement[Decimal]:
    return cast(cast(cents, Numeric()) / 100, Numeric(20, 2))


def revenue_by_customer(s: RfmSettingsIn, who: Who, days: tuple[date, date]) -> Ranking:
    """The period's buyers ranked by revenue (largest first, then by id). The grouped
    purchases are a CTE read twice (PostgreSQL materializes it once): by the window that
    ranks them and by the totals, which are one aggregate rather than a window over all."""
    p = purchases(s, who, since=days[0], until=days[1], currency_only=True)
    # amounts have two decimals (numeric(20, 2)), so cents are exact
    cents = func.sum(cast(p.c.amount * 100, BigInteger))
    per_customer = (
        select(p.c.customer_id, cast(cents, BigInteger).label("revenue"))
        .group_by(p.c.customer_id)
        .having(cents > 0)
        .cte("per_customer")
    )
    order = (per_customer.c.revenue.desc(), per_customer.c.customer_id)
    ranked = select(
        per_customer.c.customer_id,
        per_customer.c.revenue,
        # the same frame as the running sum, so both are one window pass over one sort
        func.row_number().over(order_by=order, rows=(None, 0)).label("rank"),
        func.sum(per_customer.c.revenue).over(order_by=order, rows=(None, 0)).label("cumulative"),
    ).subquery("ranked")
    totals = select(
        func.count().label("buyers"),
        func.coalesce(func.sum(per_customer.c.revenue), 0).label("total"),
    ).subquery("totals")
    return Ranking(ranked, totals)


async def pareto_points(
    session: AsyncSession, ranking: Ranking, top_percent: int
) -> tuple[int, Decimal, list[tuple[int, Decimal]], Decimal]:
    """(buyers, total, [(percent, cumulative revenue at that share of buyers)], head amount):
    the curve at 5 % steps and the head at ceil(buyers × top_percent / 100). The ranks
    wanted are computed from the totals first, so finding them is a hash join."""
    ranked, totals = ranking.ranked, ranking.totals
    shares = sorted({*range(5, 101, 5), top_percent})
    pct = func.unnest(literal(shares, ARRAY(Integer()))).table_valued("value").render_derived("pct")
    # ceil(buyers × pct / 100) in integers, so 25 % of 4 buyers is exactly one
    wanted = (
        select(
            pct.c.value.label("share"),
            ((totals.c.buyers * pct.c.value + 99) // 100).label("at"),
            totals.c.buyers,
            totals.c.total,
        )
        .select_from(totals)
        .join(pct, true())
        .subquery("wanted")
    )
    rows = (
        await session.execute(
            select(
                wanted.c.share,
                money(ranked.c.cumulative).label("cumulative"),
                wanted.c.buyers,
                money(wanted.c.total).label("total"),
            )
            .select_from(ranked)
            .join(wanted, ranked.c.rank == wanted.c.at)
            .order_by(wanted.c.share)
        )
    ).all()
    if not rows:
        return 0, Decimal(0), [], Decimal(0)
    at_share = {int(r.share): Decimal(r.cumulative) for r in rows}
    return (
        int(rows[0].buyers),
        Decimal(rows[0].total),
        [(share, at_share[share]) for share in range(5, 101, 5)],
        at_share[top_percent],
    )


async def key_accounts_page(
    session: AsyncSession, ranking: Ranking, top_percent: int, params: ListParams
) -> tuple[Sequence[PlainRow], str | None, bool]:
    """The head of the Pareto ranking (ceil(buyers × top_percent / 100) customers), largest
    first, with the customer's name, owner and tier."""
    ranked, totals = ranking.ranked, ranking.totals
    head_size = (totals.c.buyers * top_percent + 99) // 100
    stmt = (
        select(
            ranked.c.customer_id,
            Customer.name,
            Customer.owner_id,
            ranked.c.rank,
            money(ranked.c.revenue).label("revenue"),
            money(ranked.c.cumulative).label("cumulative"),
            money(totals.c.total).label("total"),
            CustomerRfm.tier,
        )
        .select_from(ranked)
        .join(totals, true())
        .join(Customer, Customer.id == ranked.c.customer_id)
        .outerjoin(CustomerRfm, CustomerRfm.customer_id == ranked.c.customer_id)
        .where(ranked.c.rank <= head_size)
    )
    sorting = SortSpec(ranked.c.customer_id, rank=ranked.c.rank)
    return await paginate(session, stmt, params, sorting, "rank", plain=True)


# --- churn risk --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChurnRule:
    today: date
    now: datetime
    gap_factor: Decimal
    no_follow_up_days: int

    @property
    def since_purchase(self) -> ColumnElement[Any]:
        return literal(self.today, Date) - CustomerRfm.last_purchase_on

    @property
    def overdue(self) -> ColumnElement[bool]:
        return and_(
            CustomerRfm.median_gap_days.is_not(None),
            self.since_purchase
            > CustomerRfm.median_gap_days * literal(self.gap_factor, Numeric(4, 1)),
        )

    @property
    def last_touch(self) -> ColumnElement[Any]:
        return func.coalesce(Customer.last_followed_at, Customer.created_at)

    @property
    def silent(self) -> ColumnElement[bool]:
        return self.last_touch < self.now - timedelta(days=self.no_follow_up_days)


async def churn_page(
    session: AsyncSession, who: Who, rule: ChurnRule, params: ListParams
) -> tuple[Sequence[PlainRow], str | None, bool]:
    """Scored customers at risk (overdue against their own rhythm, or silent too long),
    the most valuable first."""
    stmt = (
        select(
            CustomerRfm.customer_id,
            Customer.name,
            Customer.owner_id,
            Customer.last_followed_at,
            rule.last_touch.label("last_touch"),
            CustomerRfm.tier,
            CustomerRfm.score,
            CustomerRfm.last_purchase_on,
            CustomerRfm.median_gap_days,
            rule.overdue.label("overdue"),
            rule.silent.label("silent"),
        )
        .join(Customer, Customer.id == CustomerRfm.customer_id)
        .where(Customer.deleted_at.is_(None), *scored_of(who), or_(rule.overdue, rule.silent))
    )
    sorting = SortSpec(CustomerRfm.customer_id, score=CustomerRfm.score)
    return await paginate(session, stmt, params, sorting, "-score", plain=True)


# --- cohorts -----------------------------------------------------------------------------


async def cohort_counts(
    session: AsyncSession, s: RfmSettingsIn, who: Who, first: date, last: date
) -> tuple[dict[date, int], dict[tuple[date, int], int]]:
    """Customers per first-purchase month in [first, last] (month starts), and per (cohort,
    k = 1..12) how many of them bought in the k-th month after it.

    One statement, one pass over the purchases: the months each customer bought in, the
    first of them, then the months 0..12 after it counted per cohort (k = 0 is the cohort's
    size, since every customer bought in its first month)."""
    p = purchases(s, who)
    month = cast(func.date_trunc("month", cast(p.c.day, DateTime())), Date)
    months = select(p.c.customer_id, month.label("month")).distinct().cte("months")
    firsts = (
        select(months.c.customer_id, func.min(months.c.month).label("cohort"))
        .group_by(months.c.customer_id)
        .having(func.min(months.c.month).between(first, last))
        .subquery("firsts")
    )
    offset = (
        (func.extract("year", months.c.month) - func.extract("year", firsts.c.cohort)) * 12
        + func.extract("month", months.c.month)
        - func.extract("month", firsts.c.cohort)
    )
    k = cast(offset, Integer).label("k")
    rows = await session.execute(
        select(firsts.c.cohort, k, func.count())
        .select_from(firsts)
        .join(months, months.c.customer_id == firsts.c.customer_id)
        .where(offset.between(0, 12))
        .group_by(firsts.c.cohort, k)
    )
    sizes: dict[date, int] = {}
    kept: dict[tuple[date, int], int] = {}
    for cohort, kk, n in rows.all():
        if int(kk) == 0:
            sizes[cohort] = n
        else:
            kept[(cohort, int(kk))] = n
    return sizes, kept


# --- revenue -----------------------------------------------------------------------------


async def revenue_buckets(
    session: AsyncSession,
    who: Who,
    currency: str,
    granularity: str,
    days: tuple[date, date],
) -> tuple[dict[date, Decimal], dict[date, Decimal]]:
    """Orders (paid, shipped, completed; by order day) and payments received (by day) in
    `currency`, summed per bucket start (`granularity` = day, week or month), from the
    per-owner day totals of live customers (`purchase_owner_days`)."""
    t = PurchaseOwnerDay
    bucket = cast(func.date_trunc(granularity, cast(t.day, DateTime())), Date).label("bucket")
    rows = await session.execute(
        select(
            bucket,
            func.sum(t.orders_amount),
            func.sum(t.orders),
            func.sum(t.payments_amount),
            func.sum(t.payments),
        )
        .where(
            t.currency == currency,
            t.day >= days[0],
            t.day < days[1],
            scope_condition(t, who.principal, MODULE),
            *narrowed(t.owner_id, team_id=who.team_id, owner_id=who.owner_id),
        )
        .group_by(bucket)
    )
    orders: dict[date, Decimal] = {}
    payments: dict[date, Decimal] = {}
    for start, orders_amount, order_count, payments_amount, payment_count in rows.all():
        if order_count:
            orders[start] = orders_amount
        if payment_count:
            payments[start] = payments_amount
    return orders, payments
