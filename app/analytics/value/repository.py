"""Every query of customer value: set-based, within the caller's analytics scope on
customers (a rep: their own customers; a manager: the team subtree's; admins: all),
narrowed by team/owner filters, never counting customers in the recycle bin.

Scores, tiers and purchase rhythm come from `customer_rfm` (as of the last run); Pareto,
key accounts, cohorts and revenue read the purchases themselves, so they are live.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Integer,
    Numeric,
    Row,
    Select,
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
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.filters import MODULE, narrowed
from app.analytics.value.schemas import PurchaseSource, RfmSettingsIn
from app.core.pagination import ListParams, PlainRow, SortSpec, paginate
from app.core.principal import Principal, Scope
from app.core.scope import scope_condition
from app.models.contracts import Contract
from app.models.customer import Customer
from app.models.customer_value import CustomerRfm, CustomerRfmChange, RfmRun
from app.models.orders import Order
from app.models.receivables import Payment

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


def customers_of(who: Who, customer_id: Any) -> list[ColumnElement[bool]]:
    """`customer_id` (a column referring to customers) names a live customer in scope.

    With an all-data scope and no filter, only the recycle bin is excluded, by an anti-join
    on the few deleted customers rather than a join with all of them."""
    p = who.principal
    filters = narrowed(Customer.owner_id, team_id=who.team_id, owner_id=who.owner_id)
    # the outer statement may join customers itself: these subqueries keep their own
    if p.scope(MODULE) is Scope.all and not filters:
        binned = select(Customer.id).where(Customer.deleted_at.is_not(None)).correlate(None)
        return [customer_id.not_in(binned)]
    visible = (
        select(Customer.id)
        .where(scope_condition(Customer, p, MODULE), Customer.deleted_at.is_(None), *filters)
        .correlate(None)
    )
    return [customer_id.in_(visible)]


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
    zone: str,
    who: Who,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    since_day: date | None = None,
    until_day: date | None = None,
    currency_only: bool = False,
) -> Any:
    """Purchases of customers in scope, per the settings' sources, as a subquery of
    (customer_id, day, at_day, amount): `day` the purchase day in `zone`, `amount` in the
    settings' currency (0 for others, or left out with `currency_only`). Bounds: orders by
    time [since, until), payments by day [since_day, until_day)."""
    parts: list[Select[Any]] = []
    if PurchaseSource.orders in s.sources:
        conds: list[ColumnElement[bool]] = [
            Order.customer_id.is_not(None),
            Order.deleted_at.is_(None),
            PURCHASED,
            *customers_of(who, Order.customer_id),
        ]
        if since is not None:
            conds.append(Order.ordered_at >= since)
        if until is not None:
            conds.append(Order.ordered_at < until)
        if currency_only:
            conds.append(Order.currency == s.currency)
        parts.append(
            select(
                Order.customer_id.label("customer_id"),
                cast(func.timezone(zone, Order.ordered_at), Date).label("day"),
                case((Order.currency == s.currency, Order.amount), else_=literal(0)).label(
                    "amount"
                ),
            ).where(*conds)
        )
    if PurchaseSource.payments in s.sources:
        conds = [
            Payment.deleted_at.is_(None),
            Payment.voided_at.is_(None),
            Contract.deleted_at.is_(None),
            *customers_of(who, Contract.customer_id),
        ]
        if since_day is not None:
            conds.append(Payment.received_on >= since_day)
        if until_day is not None:
            conds.append(Payment.received_on < until_day)
        if currency_only:
            conds.append(Payment.currency == s.currency)
        parts.append(
            select(
                Contract.customer_id.label("customer_id"),
                Payment.received_on.label("day"),
                case((Payment.currency == s.currency, Payment.amount), else_=literal(0)).label(
                    "amount"
                ),
            )
            .join(
                Contract,
                and_(
                    Contract.workspace_id == Payment.workspace_id,
                    Contract.id == Payment.contract_id,
                ),
            )
            .where(*conds)
        )
    if len(parts) == 1:
        return parts[0].subquery("purchase")
    return union_all(*parts).subquery("purchase")


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


async def cube(session: AsyncSession, who: Who) -> Sequence[Row[Any]]:
    return (
        await session.execute(
            select(
                CustomerRfm.r,
                CustomerRfm.f,
                CustomerRfm.m,
                func.count().label("customers"),
                func.coalesce(func.sum(CustomerRfm.amount), 0).label("amount"),
            )
            .where(*scored_of(who))
            .group_by(CustomerRfm.r, CustomerRfm.f, CustomerRfm.m)
            .order_by(CustomerRfm.r.desc(), CustomerRfm.f.desc(), CustomerRfm.m.desc())
        )
    ).all()


async def tier_counts(session: AsyncSession, who: Who) -> dict[str, tuple[int, Decimal]]:
    rows = await session.execute(
        select(
            CustomerRfm.tier,
            func.count(),
            func.coalesce(func.sum(CustomerRfm.amount), 0),
        )
        .where(*scored_of(who))
        .group_by(CustomerRfm.tier)
    )
    return {tier: (count, amount) for tier, count, amount in rows.all()}


# --- Pareto and key accounts -------------------------------------------------------------


def revenue_by_customer(
    s: RfmSettingsIn,
    zone: str,
    who: Who,
    bounds: tuple[datetime, datetime],
    days: tuple[date, date],
) -> Any:
    """(customer_id, revenue, rank, cumulative, buyers, total) of the period's buyers, ranked
    by revenue (largest first, then by id): one window pass over the grouped purchases."""
    p = purchases(
        s,
        zone,
        who,
        since=bounds[0],
        until=bounds[1],
        since_day=days[0],
        until_day=days[1],
        currency_only=True,
    )
    per_customer = (
        select(p.c.customer_id, func.sum(p.c.amount).label("revenue"))
        .group_by(p.c.customer_id)
        .having(func.sum(p.c.amount) > 0)
        .subquery("per_customer")
    )
    order = (per_customer.c.revenue.desc(), per_customer.c.customer_id)
    return select(
        per_customer.c.customer_id,
        per_customer.c.revenue,
        func.row_number().over(order_by=order).label("rank"),
        func.sum(per_customer.c.revenue).over(order_by=order, rows=(None, 0)).label("cumulative"),
        func.count().over().label("buyers"),
        func.sum(per_customer.c.revenue).over().label("total"),
    ).subquery("ranked")


async def pareto_points(
    session: AsyncSession, ranked: Any, top_percent: int
) -> tuple[int, Decimal, list[tuple[int, Decimal]], Decimal]:
    """(buyers, total, [(percent, cumulative revenue at that share of buyers)], head amount):
    the curve at 5 % steps and the head at ceil(buyers × top_percent / 100), in one pass."""
    shares = sorted({*range(5, 101, 5), top_percent})
    pct = func.unnest(literal(shares, ARRAY(Integer()))).table_valued("value").render_derived("pct")
    # ceil(buyers × pct / 100) in integers, so 25 % of 4 buyers is exactly one
    at = (ranked.c.buyers * pct.c.value + 99) // 100
    rows = (
        await session.execute(
            select(pct.c.value, ranked.c.cumulative, ranked.c.buyers, ranked.c.total)
            .select_from(ranked)
            .join(pct, ranked.c.rank == at)
            .order_by(pct.c.value)
        )
    ).all()
    if not rows:
        return 0, Decimal(0), [], Decimal(0)
    at_share = {int(r.value): Decimal(r.cumulative) for r in rows}
    return (
        int(rows[0].buyers),
        Decimal(rows[0].total),
        [(share, at_share[share]) for share in range(5, 101, 5)],
        at_share[top_percent],
    )


async def key_accounts_page(
    session: AsyncSession, ranked: Any, top_percent: int, params: ListParams
) -> tuple[Sequence[PlainRow], str | None, bool]:
    """The head of the Pareto ranking (ceil(buyers × top_percent / 100) customers), largest
    first, with the customer's name, owner and tier."""
    head_size = (ranked.c.buyers * top_percent + 99) // 100
    stmt = (
        select(
            ranked.c.customer_id,
            Customer.name,
            Customer.owner_id,
            ranked.c.rank,
            ranked.c.revenue,
            ranked.c.cumulative,
            ranked.c.total,
            CustomerRfm.tier,
        )
        .select_from(ranked)
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
    session: AsyncSession, s: RfmSettingsIn, zone: str, who: Who, first: date, last: date
) -> tuple[dict[date, int], dict[tuple[date, int], int]]:
    """Customers per first-purchase month in [first, last] (month starts), and per (cohort,
    k = 1..12) how many of them bought in the k-th month after it.

    One statement, one pass over the purchases: the months each customer bought in, the
    first of them, then the months 0..12 after it counted per cohort (k = 0 is the cohort's
    size, since every customer bought in its first month)."""
    p = purchases(s, zone, who)
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
    zone: str,
    granularity: str,
    bounds: tuple[datetime, datetime],
    days: tuple[date, date],
) -> tuple[dict[date, Decimal], dict[date, Decimal]]:
    """Orders (paid, shipped, completed; by order time) and payments received (by day) in
    `currency`, summed per bucket start (`granularity` = day, week or month)."""
    order_day = func.timezone(zone, Order.ordered_at)
    order_bucket = cast(func.date_trunc(granularity, order_day), Date).label("bucket")
    orders = await session.execute(
        select(order_bucket, func.sum(Order.amount))
        .where(
            Order.customer_id.is_not(None),
            Order.deleted_at.is_(None),
            PURCHASED,
            Order.currency == currency,
            Order.ordered_at >= bounds[0],
            Order.ordered_at < bounds[1],
            *customers_of(who, Order.customer_id),
        )
        .group_by(order_bucket)
    )
    pay_day = cast(Payment.received_on, DateTime())
    pay_bucket = cast(func.date_trunc(granularity, pay_day), Date).label("bucket")
    payments = await session.execute(
        select(pay_bucket, func.sum(Payment.amount))
        .join(
            Contract,
            and_(Contract.workspace_id == Payment.workspace_id, Contract.id == Payment.contract_id),
        )
        .where(
            Payment.deleted_at.is_(None),
            Payment.voided_at.is_(None),
            Contract.deleted_at.is_(None),
            Payment.currency == currency,
            Payment.received_on >= days[0],
            Payment.received_on < days[1],
            *customers_of(who, Contract.customer_id),
        )
        .group_by(pay_bucket)
    )
    return (
        {bucket: amount for bucket, amount in orders.all()},
        {bucket: amount for bucket, amount in payments.all()},
    )
