from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Uuid, and_, any_, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.filters import MODULE
from app.analytics.period import Period
from app.analytics.team.repository import payments_received
from app.core.pagination import ListParams, SortSpec, paginate
from app.core.principal import Principal
from app.core.repository import RepositoryBase
from app.core.scope import user_scope_condition
from app.models.commission import CommissionPlan
from app.models.contracts import Contract
from app.models.customer import Customer
from app.models.customer_value import CustomerRfm
from app.models.pipeline import OpportunityItem, Product
from app.models.receivables import Installment, Payment, PaymentAllocation


def _uuids(ids: set[uuid.UUID]) -> Any:
    """Many ids as one array parameter (`= ANY(:ids)`) rather than an IN list of
    thousands of parameters."""
    return cast(list(ids), ARRAY(Uuid()))


class PlanRepository(RepositoryBase[CommissionPlan]):
    model = CommissionPlan
    entity = "commission_plan"
    sorting: ClassVar[SortSpec] = SortSpec(
        CommissionPlan.id,
        priority=CommissionPlan.priority,
        name=CommissionPlan.name,
        created_at=CommissionPlan.created_at,
    )

    async def active(self) -> Sequence[CommissionPlan]:
        """Active plans in the order they are tried."""
        stmt = (
            self.readable()
            .where(CommissionPlan.active)
            .order_by(CommissionPlan.priority, CommissionPlan.name, CommissionPlan.id)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def name_taken(self, name: str, exclude: uuid.UUID | None) -> bool:
        stmt = select(CommissionPlan.id).where(
            CommissionPlan.name == name, CommissionPlan.deleted_at.is_(None)
        )
        if exclude is not None:
            stmt = stmt.where(CommissionPlan.id != exclude)
        return (await self.session.execute(stmt.limit(1))).first() is not None


@dataclass(frozen=True, slots=True)
class PaymentRow:
    id: uuid.UUID
    received_on: date
    amount: Decimal
    currency: str
    owner_id: uuid.UUID
    contract_id: uuid.UUID
    contract_number: str
    opportunity_id: uuid.UUID | None
    customer_id: uuid.UUID
    customer_name: str


_PAYMENT_COLUMNS = (
    Payment.id,
    Payment.received_on,
    Payment.amount,
    Payment.currency,
    Contract.owner_id,
    Contract.id,
    Contract.number,
    Contract.opportunity_id,
    Contract.customer_id,
)


def _with_customer(stmt: Any) -> Any:
    return stmt.join(
        Customer,
        and_(Customer.workspace_id == Contract.workspace_id, Customer.id == Contract.customer_id),
    )


@dataclass(frozen=True, slots=True)
class StatementPayment:
    amount: Decimal
    currency: str
    owner_id: uuid.UUID
    opportunity_id: uuid.UUID | None
    tier: str | None


async def statement_payments(
    session: AsyncSession,
    principal: Principal,
    period: Period,
    owners: set[uuid.UUID],
) -> list[StatementPayment]:
    """What a statement adds up, per payment: amount, owner, the deal whose items split it
    and the customer's current RFM tier."""
    if not owners:
        return []
    stmt = (
        payments_received(
            period,
            Payment.amount,
            Payment.currency,
            Contract.owner_id,
            Contract.opportunity_id,
            CustomerRfm.tier,
        )
        .outerjoin(
            CustomerRfm,
            and_(
                CustomerRfm.workspace_id == Contract.workspace_id,
                CustomerRfm.customer_id == Contract.customer_id,
            ),
        )
        .where(
            Contract.owner_id.in_(owners),
            user_scope_condition(Contract.owner_id, principal, MODULE),
        )
    )
    return [StatementPayment(*row) for row in (await session.execute(stmt)).tuples()]


async def payment_page(
    session: AsyncSession,
    principal: Principal,
    period: Period,
    owner: uuid.UUID,
    currency: str,
    params: ListParams,
) -> tuple[list[PaymentRow], str | None, bool]:
    """One page of a rep's payments in the period and currency, oldest first."""
    stmt = payments_received(period, Payment).where(
        Contract.owner_id == owner,
        Payment.currency == currency,
        user_scope_condition(Contract.owner_id, principal, MODULE),
    )
    sorting = SortSpec(Payment.id, received_on=Payment.received_on)
    rows, cursor, more = await paginate(session, stmt, params, sorting, "received_on")
    if not rows:
        return [], cursor, more
    ids = [p.id for p in rows]
    detail = _with_customer(
        select(*_PAYMENT_COLUMNS, Customer.name)
        .select_from(Payment)
        .join(
            Contract,
            and_(Contract.workspace_id == Payment.workspace_id, Contract.id == Payment.contract_id),
        )
        .where(Payment.id.in_(ids))
    )
    found = {row[0]: PaymentRow(*row) for row in (await session.execute(detail)).tuples()}
    return [found[i] for i in ids], cursor, more


async def category_weights(
    session: AsyncSession, opportunity_ids: set[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[str | None, int]]]:
    """Per deal: its line-item totals in cents summed per product category (None for items
    without a product or category), positive ones only."""
    if not opportunity_ids:
        return {}
    category = func.nullif(func.btrim(Product.category), "")
    stmt = (
        select(
            OpportunityItem.opportunity_id,
            category,
            func.sum(OpportunityItem.line_total),
        )
        .outerjoin(
            Product,
            and_(
                Product.workspace_id == OpportunityItem.workspace_id,
                Product.id == OpportunityItem.product_id,
            ),
        )
        .where(OpportunityItem.opportunity_id == any_(_uuids(opportunity_ids)))
        .group_by(OpportunityItem.opportunity_id, category)
    )
    out: dict[uuid.UUID, list[tuple[str | None, int]]] = defaultdict(list)
    for deal, name, total in (await session.execute(stmt)).tuples():
        cents = int(Decimal(total) * 100)
        if cents > 0:
            out[deal].append((name, cents))
    return dict(out)


async def tiers_of(session: AsyncSession, customer_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each scored customer's current RFM tier key (customers never scored are absent)."""
    if not customer_ids:
        return {}
    stmt = select(CustomerRfm.customer_id, CustomerRfm.tier).where(
        CustomerRfm.customer_id == any_(_uuids(customer_ids))
    )
    return dict((await session.execute(stmt)).tuples().all())


async def installment_numbers(
    session: AsyncSession, payment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[int]]:
    """The installments each payment was allocated to, by number."""
    if not payment_ids:
        return {}
    stmt = (
        select(PaymentAllocation.payment_id, Installment.number)
        .join(
            Installment,
            and_(
                Installment.workspace_id == PaymentAllocation.workspace_id,
                Installment.id == PaymentAllocation.installment_id,
            ),
        )
        .where(PaymentAllocation.payment_id.in_(payment_ids))
        .order_by(PaymentAllocation.payment_id, Installment.number)
    )
    out: dict[uuid.UUID, list[int]] = defaultdict(list)
    for payment, number in (await session.execute(stmt)).tuples():
        out[payment].append(number)
    return dict(out)


async def payers_in(session: AsyncSession, principal: Principal, period: Period) -> set[uuid.UUID]:
    """People in scope who own contracts paid in the period (any currency)."""
    stmt = (
        payments_received(period, Contract.owner_id)
        .where(
            Contract.owner_id.is_not(None),
            user_scope_condition(Contract.owner_id, principal, MODULE),
        )
        .distinct()
    )
    return set((await session.execute(stmt)).scalars().all())
