"""Every receivables query: installment status in SQL, per-contract totals, the set-based
aging, DSO and cash-in queries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    ColumnElement,
    Date,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    text,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts.money import ZERO
from app.core.pagination import SortSpec
from app.core.principal import Principal
from app.core.repository import RepositoryBase
from app.core.scope import scope_condition
from app.models.contracts import Contract
from app.models.customer import Customer
from app.models.receivables import Installment, Invoice, Payment, PaymentAllocation
from app.models.user import Team, User

#: contracts whose installments are money owed (drafts and pending ones are not yet)
RECEIVABLE_STATUSES = ("active", "expired", "terminated")

OUTSTANDING = Installment.amount - Installment.allocated_amount


def is_open() -> ColumnElement[bool]:
    """Not void and not fully paid (matches the partial index of open installments)."""
    return and_(Installment.voided_at.is_(None), Installment.allocated_amount < Installment.amount)


def status_expr(today: date) -> ColumnElement[str]:
    """The derived status in SQL; `service.installment_status` is the same rule in Python."""
    return case(
        (Installment.voided_at.is_not(None), literal("void")),
        (Installment.allocated_amount >= Installment.amount, literal("paid")),
        (Installment.due_date < today, literal("overdue")),
        (Installment.allocated_amount > 0, literal("partially_paid")),
        else_=literal("pending"),
    )


def status_condition(status: str, today: date) -> ColumnElement[bool]:
    """A WHERE clause per status that the open-installment index can serve."""
    void = Installment.voided_at.is_not(None)
    live = Installment.voided_at.is_(None)
    paid = Installment.allocated_amount >= Installment.amount
    conditions: dict[str, ColumnElement[bool]] = {
        "void": void,
        "paid": and_(live, paid),
        "overdue": and_(is_open(), Installment.due_date < today),
        "partially_paid": and_(
            is_open(), Installment.due_date >= today, Installment.allocated_amount > 0
        ),
        "pending": and_(
            is_open(), Installment.due_date >= today, Installment.allocated_amount == 0
        ),
    }
    return conditions[status]


class InstallmentRepository(RepositoryBase[Installment]):
    model = Installment
    entity = "installment"
    sorting: ClassVar[SortSpec] = SortSpec(
        Installment.id, due_date=Installment.due_date, created_at=Installment.created_at
    )

    async def plan(self, contract_id: uuid.UUID, *, lock: bool = False) -> list[Installment]:
        stmt = (
            select(Installment)
            .where(Installment.contract_id == contract_id)
            .order_by(Installment.due_date, Installment.number, Installment.id)
        )
        if lock:
            stmt = stmt.with_for_update()
        return list((await self.session.execute(stmt)).scalars())

    async def allocations_of(
        self, installment_ids: Sequence[uuid.UUID]
    ) -> list[tuple[PaymentAllocation, Payment]]:
        if not installment_ids:
            return []
        rows = await self.session.execute(
            select(PaymentAllocation, Payment)
            .join(
                Payment,
                (Payment.id == PaymentAllocation.payment_id)
                & (Payment.workspace_id == PaymentAllocation.workspace_id),
            )
            .where(PaymentAllocation.installment_id.in_(installment_ids))
            .order_by(Payment.received_on, PaymentAllocation.created_at)
        )
        return [(a, p) for a, p in rows.tuples()]


class PaymentRepository(RepositoryBase[Payment]):
    model = Payment
    entity = "payment"
    sorting: ClassVar[SortSpec] = SortSpec(
        Payment.id,
        received_on=Payment.received_on,
        created_at=Payment.created_at,
        amount=Payment.amount,
    )

    async def allocations(self, payment_ids: Sequence[uuid.UUID]) -> list[PaymentAllocation]:
        if not payment_ids:
            return []
        rows = await self.session.execute(
            select(PaymentAllocation)
            .where(PaymentAllocation.payment_id.in_(payment_ids))
            .order_by(PaymentAllocation.created_at, PaymentAllocation.id)
        )
        return list(rows.scalars())


class InvoiceRepository(RepositoryBase[Invoice]):
    model = Invoice
    entity = "invoice"
    sorting: ClassVar[SortSpec] = SortSpec(
        Invoice.id, created_at=Invoice.created_at, amount=Invoice.amount
    )

    async def number_taken(self, number: str, exclude: uuid.UUID | None = None) -> bool:
        stmt = select(Invoice.id).where(Invoice.number == number, Invoice.status != "void")
        if exclude is not None:
            stmt = stmt.where(Invoice.id != exclude)
        return (await self.session.execute(stmt.limit(1))).first() is not None

    async def open_total(self, contract_id: uuid.UUID) -> Decimal:
        """Requested and issued invoices of a contract (what void ones don't count in)."""
        total = await self.session.scalar(
            select(func.coalesce(func.sum(Invoice.amount), 0)).where(
                Invoice.contract_id == contract_id,
                Invoice.status != "void",
                Invoice.deleted_at.is_(None),
            )
        )
        return Decimal(total or 0)


async def contracts_by_id(
    session: AsyncSession, ids: set[uuid.UUID]
) -> dict[uuid.UUID, tuple[Contract, str | None]]:
    """Contracts with their customer's name, for shaping rows that point at them."""
    if not ids:
        return {}
    rows = await session.execute(
        select(Contract, Customer.name)
        .outerjoin(
            Customer,
            (Customer.id == Contract.customer_id)
            & (Customer.workspace_id == Contract.workspace_id),
        )
        .where(Contract.id.in_(ids))
    )
    return {c.id: (c, name) for c, name in rows.tuples()}


async def contract_totals(
    session: AsyncSession, ids: Sequence[uuid.UUID], today: date
) -> dict[uuid.UUID, dict[str, Decimal]]:
    """Planned, received, allocated, credit, outstanding, overdue and invoiced per contract:
    three grouped queries for any number of contracts."""
    out = {
        i: dict.fromkeys(
            (
                "planned",
                "received",
                "allocated",
                "credit",
                "outstanding",
                "overdue",
                "invoiced",
                "invoice_requested",
            ),
            ZERO,
        )
        for i in ids
    }
    if not ids:
        return out
    live = Installment.voided_at.is_(None)
    installments = await session.execute(
        select(
            Installment.contract_id,
            func.coalesce(func.sum(Installment.amount).filter(live), 0),
            func.coalesce(func.sum(OUTSTANDING).filter(live), 0),
            func.coalesce(func.sum(OUTSTANDING).filter(live, Installment.due_date < today), 0),
        )
        .where(Installment.contract_id.in_(ids))
        .group_by(Installment.contract_id)
    )
    for contract_id, planned, outstanding, overdue in installments.tuples():
        out[contract_id].update(planned=planned, outstanding=outstanding, overdue=overdue)
    payments = await session.execute(
        select(Payment.contract_id, func.sum(Payment.amount), func.sum(Payment.allocated_amount))
        .where(
            Payment.contract_id.in_(ids),
            Payment.voided_at.is_(None),
            Payment.deleted_at.is_(None),
        )
        .group_by(Payment.contract_id)
    )
    for contract_id, received, allocated in payments.tuples():
        out[contract_id].update(received=received, allocated=allocated, credit=received - allocated)
    invoices = await session.execute(
        select(
            Invoice.contract_id,
            func.coalesce(func.sum(Invoice.amount).filter(Invoice.status == "issued"), 0),
            func.coalesce(func.sum(Invoice.amount).filter(Invoice.status == "requested"), 0),
        )
        .where(Invoice.contract_id.in_(ids), Invoice.deleted_at.is_(None))
        .group_by(Invoice.contract_id)
    )
    for contract_id, invoiced, requested in invoices.tuples():
        out[contract_id].update(invoiced=invoiced, invoice_requested=requested)
    return out


# --- aging, DSO, cash-in ---------------------------------------------------------------


def _receivable_scope(principal: Principal) -> list[ColumnElement[bool]]:
    """Installments of approved, live contracts in the caller's scope. The installment
    carries its contract's approval and owner (kept by triggers, ADR 8), so these reports
    read one covering index of installments and never join contracts."""
    return [
        # the bare column, as in the partial indexes ("IS TRUE" would not match them)
        Installment.receivable.expression,
        scope_condition(Installment, principal, "receivables"),
    ]


AGING_BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_over_90")


@dataclass(frozen=True)
class AgingAfter:
    """Keyset position in the aging groups: total (descending), then key, then currency."""

    total: Decimal
    key: str
    currency: str


@dataclass(frozen=True)
class AgingGroup:
    """Outstanding amounts of one (group, currency), or of one currency over all groups."""

    key: uuid.UUID | None
    currency: str
    current: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    days_over_90: Decimal
    total: Decimal
    #: due on or before as_of (DSO's receivables)
    due: Decimal
    installments: int
    tiebreak: str = ""


def _bucket_columns(as_of: date) -> list[Any]:
    days = literal(as_of, Date) - Installment.due_date

    def bucket(condition: ColumnElement[bool]) -> ColumnElement[Decimal]:
        return func.coalesce(func.sum(OUTSTANDING).filter(condition), 0)

    return [
        bucket(days <= 0).label("current"),
        bucket(days.between(1, 30)).label("days_1_30"),
        bucket(days.between(31, 60)).label("days_31_60"),
        bucket(days.between(61, 90)).label("days_61_90"),
        bucket(days > 90).label("days_over_90"),
        func.sum(OUTSTANDING).label("total"),
        bucket(days >= 0).label("due"),
        func.count().label("installments"),
    ]


async def aging_page(
    session: AsyncSession,
    principal: Principal,
    group_by: str,
    as_of: date,
    limit: int,
    after: AgingAfter | None,
) -> tuple[list[AgingGroup], list[AgingGroup]]:
    """The open installments of approved contracts in scope, grouped by customer, owner or
    team and currency: one page of groups, largest total first (limit + 1 rows, to tell
    whether more follow), with their amounts in buckets of days past due, and the same
    buckets per currency over all groups, plus what is due on or before `as_of` (DSO).

    Three statements over the covering open-receivable index: the page ranks groups by
    one sum (ranking 50k customers with eight sums each cost three times as much), the
    buckets are then summed for the page's groups only, and the totals per currency."""
    key: Any = {
        "customer": Installment.customer_id,
        "owner": Installment.owner_id,
        "team": User.team_id,
    }[group_by]

    def in_scope(*columns: Any) -> Any:
        stmt = select(*columns)
        if group_by == "team":
            stmt = stmt.outerjoin(
                User,
                (User.id == Installment.owner_id) & (User.workspace_id == Installment.workspace_id),
            )
        return stmt.where(is_open(), *_receivable_scope(principal))

    grouped = (
        in_scope(key.label("key"), Installment.currency.label("currency"), func.sum(OUTSTANDING))
        .group_by(key, Installment.currency)
        .subquery("aging_groups")
    )
    total = grouped.c[2]
    tiebreak = func.coalesce(cast(grouped.c.key, String), "").collate("C")
    page = select(grouped.c.key, grouped.c.currency, tiebreak.label("tiebreak"))
    if after is not None:
        page = page.where(
            (total < after.total)
            | (
                (total == after.total)
                & (
                    tuple_(tiebreak, grouped.c.currency)
                    > tuple_(literal(after.key), literal(after.currency))
                )
            )
        )
    # a report over every open installment in scope: let the grouping hash in memory
    await session.execute(text("SET LOCAL work_mem = '64MB'"))
    ranked = (
        await session.execute(
            page.order_by(total.desc(), tiebreak, grouped.c.currency).limit(limit + 1)
        )
    ).all()
    rows: list[AgingGroup] = []
    if ranked:
        keys = {r.key for r in ranked if r.key is not None}
        of_page = key.in_(keys) if keys else literal(False)
        if any(r.key is None for r in ranked):
            of_page = of_page | key.is_(None)
        detail = await session.execute(
            in_scope(
                key.label("key"), Installment.currency.label("currency"), *_bucket_columns(as_of)
            )
            .where(of_page)
            .group_by(key, Installment.currency)
        )
        amounts = {(r.key, r.currency): r for r in detail}
        rows = [
            AgingGroup(**_group(amounts[r.key, r.currency]), tiebreak=r.tiebreak)
            for r in ranked
            if (r.key, r.currency) in amounts
        ]
    totals = await session.execute(
        in_scope(
            literal(None).label("key"),
            Installment.currency.label("currency"),
            *_bucket_columns(as_of),
        )
        .group_by(Installment.currency)
        .order_by(Installment.currency)
    )
    return rows, [AgingGroup(**_group(t)) for t in totals]


def _group(row: Any) -> dict[str, Any]:
    return {
        "key": row.key,
        "currency": row.currency,
        **{name: Decimal(getattr(row, name)) for name in (*AGING_BUCKETS, "total", "due")},
        "installments": int(row.installments),
    }


async def group_labels(
    session: AsyncSession, group_by: str, keys: set[uuid.UUID]
) -> dict[uuid.UUID, str]:
    if not keys:
        return {}
    model: Any = {"customer": Customer, "owner": User, "team": Team}[group_by]
    rows = await session.execute(select(model.id, model.name).where(model.id.in_(keys)))
    return {r.id: r.name for r in rows}


async def billed_between(
    session: AsyncSession, principal: Principal, first: date, last: date
) -> dict[str, Decimal]:
    """Installment amounts falling due in [first, last] per currency (DSO's sales)."""
    rows = await session.execute(
        select(Installment.currency, func.sum(Installment.amount))
        .where(
            Installment.voided_at.is_(None),
            Installment.due_date.between(first, last),
            *_receivable_scope(principal),
        )
        .group_by(Installment.currency)
    )
    return {currency: Decimal(total) for currency, total in rows.tuples()}


async def cash_in(
    session: AsyncSession, principal: Principal, period: str, first: date, last: date
) -> list[Any]:
    """Open amounts per due period (week starts Monday) and currency."""
    start = cast(func.date_trunc(period, Installment.due_date), Date)
    rows = await session.execute(
        select(
            start.label("start"),
            Installment.currency.label("currency"),
            func.sum(OUTSTANDING).label("amount"),
            func.count().label("installments"),
        )
        .where(is_open(), Installment.due_date.between(first, last), *_receivable_scope(principal))
        .group_by(start, Installment.currency)
        .order_by(start, Installment.currency)
    )
    return list(rows.all())


async def overdue_before(
    session: AsyncSession, principal: Principal, day: date
) -> dict[str, tuple[Decimal, int]]:
    rows = await session.execute(
        select(Installment.currency, func.sum(OUTSTANDING), func.count())
        .where(is_open(), Installment.due_date < day, *_receivable_scope(principal))
        .group_by(Installment.currency)
    )
    return {c: (Decimal(total), int(n)) for c, total, n in rows.tuples()}
