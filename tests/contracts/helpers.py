"""Factories for contracts and receivables tests: rows written directly, in a workspace."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from app.models.contracts import Contract
from app.models.customer import Customer
from app.models.receivables import Installment
from app.models.user import User
from tests.factories import use

_numbers = count(1)
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def make_customer(
    session: AsyncSession, workspace_id: uuid.UUID, owner: User | None, name: str = "客户"
) -> Customer:
    await use(session, workspace_id)
    customer = Customer(
        workspace_id=workspace_id,
        name=f"{name} {next(_numbers)}",
        owner_id=owner.id if owner else None,
    )
    session.add(customer)
    await session.flush()
    return customer


async def make_contract(
    session: AsyncSession,
    customer: Customer,
    owner: User | None,
    amount: str = "10000.00",
    *,
    status: str = "active",
    currency: str = "CNY",
    ends_on: date | None = None,
    plan: list[tuple[date, str]] | None = None,
) -> Contract:
    """A contract (active by default) and, when given, its plan of (due date, amount)."""
    await use(session, customer.workspace_id)
    contract = Contract(
        workspace_id=customer.workspace_id,
        number=f"T-{next(_numbers):05d}",
        title="测试合同 Test contract",
        customer_id=customer.id,
        owner_id=owner.id if owner else None,
        amount=Decimal(amount),
        currency=currency,
        status=status,
        ends_on=ends_on,
    )
    session.add(contract)
    await session.flush()
    for n, (due, part) in enumerate(plan or [], start=1):
        session.add(
            Installment(
                workspace_id=customer.workspace_id,
                contract_id=contract.id,
                number=n,
                due_date=due,
                amount=Decimal(part),
            )
        )
    await session.flush()
    return contract


def at(day: date, hour: int = 12) -> datetime:
    """An instant on `day` in Shanghai (the test workspaces' time zone), in UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI).astimezone(UTC)


class Clock:
    """Moves `app.contracts.clock.utcnow` (everything date-dependent reads it)."""

    def __init__(self, monkeypatch, now: datetime) -> None:  # type: ignore[no-untyped-def]
        self.now = now
        monkeypatch.setattr("app.contracts.clock.utcnow", lambda: self.now)

    def set(self, now: datetime) -> None:
        self.now = now
