"""A small hand-built world for customer value: a team tree, buyers with literal orders and
payments, and "today" = 15 June 2026, noon in Shanghai.

    hq (admin) ─ east (manager_east) ─ east_sh (rep_a)
               └ south (rep_b)

| customer | owner        | purchases (day in Shanghai, amount)                        |
|----------|--------------|------------------------------------------------------------|
| A        | rep_a        | orders 2025-09-01, 2025-12-01, 2026-03-01, 2026-06-05 × 5,000 |
| B        | rep_a        | orders 2026-01-01, 02-01, 03-01, 04-01 (00:30) × 1,500; a    |
|          |              | cancelled 99,999 and a pending 777 order                    |
| C        | rep_b        | payments 2026-02-10, 2026-05-20 × 30,000; a voided 50,000    |
| D        | manager_east | order 2025-01-10 800                                        |
| E        | rep_a        | order 2026-05-01 2,000 CNY, order 2026-06-01 1,000 USD       |
| F        | rep_a        | nothing                                                     |
| G        | rep_a        | order 2026-06-10 9,000, but G is in the recycle bin         |
| I        | rep_b        | order 2026-01-15 300                                        |
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.analytics.value import service
from app.models.customer import Customer
from app.models.customer_value import RfmRun
from app.models.orders import Order
from app.models.receivables import Payment
from app.models.user import User
from tests.contracts.helpers import Clock, at, make_contract
from tests.factories import Tenant, create_team, create_user, use

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    return Clock(monkeypatch, at(TODAY))


@dataclass
class World:
    tenant: Tenant
    admin: User
    manager_east: User
    rep_a: User
    rep_b: User
    teams: dict[str, uuid.UUID] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)


async def add_order(
    session: AsyncSession,
    customer: Customer,
    when: datetime,
    amount: str,
    *,
    currency: str = "CNY",
    status: str = "completed",
) -> Order:
    order = Order(
        workspace_id=customer.workspace_id,
        order_number=f"O-{uuid.uuid4().hex[:8]}",
        customer_id=customer.id,
        channel="erp",
        status=status,
        ordered_at=when,
        amount=Decimal(amount),
        currency=currency,
    )
    session.add(order)
    await session.flush()
    return order


async def customer(
    session: AsyncSession,
    tenant: Tenant,
    name: str,
    owner: User,
    *,
    created: date = date(2025, 1, 1),
    followed: date | None = None,
) -> Customer:
    row = Customer(
        workspace_id=tenant.id,
        name=name,
        owner_id=owner.id,
        status="active",
        created_at=at(created),
        last_followed_at=at(followed) if followed else None,
    )
    session.add(row)
    await session.flush()
    return row


@pytest.fixture
async def world(session: AsyncSession, tenant: Tenant) -> World:
    await use(session, tenant.id)
    hq = await create_team(session, tenant.id, "hq")
    east = await create_team(session, tenant.id, "east", parent=hq)
    east_sh = await create_team(session, tenant.id, "east_sh", parent=east)
    south = await create_team(session, tenant.id, "south", parent=hq)
    w = World(
        tenant=tenant,
        admin=await create_user(session, tenant.id, role="admin", team=hq),
        manager_east=await create_user(session, tenant.id, role="manager", team=east),
        rep_a=await create_user(session, tenant.id, role="sales", team=east_sh),
        rep_b=await create_user(session, tenant.id, role="sales", team=south),
        teams={"hq": hq.id, "east": east.id, "east_sh": east_sh.id, "south": south.id},
    )
    c = w.customers
    c["A"] = await customer(session, tenant, "A 星河贸易", w.rep_a, followed=date(2026, 6, 10))
    for day in (date(2025, 9, 1), date(2025, 12, 1), date(2026, 3, 1), date(2026, 6, 5)):
        await add_order(session, c["A"], at(day), "5000.00")
    c["B"] = await customer(session, tenant, "B Redwood Ltd", w.rep_a, followed=date(2026, 6, 1))
    for day in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)):
        await add_order(session, c["B"], at(day), "1500.00")
    # half past midnight in Shanghai is still 31 March in UTC: it is an April purchase
    await add_order(session, c["B"], at(date(2026, 4, 1), hour=0).replace(minute=30), "1500.00")
    await add_order(session, c["B"], at(date(2026, 6, 1)), "99999.00", status="cancelled")
    await add_order(session, c["B"], at(date(2026, 6, 2)), "777.00", status="pending")
    c["C"] = await customer(session, tenant, "C 华南机械", w.rep_b, created=date(2026, 1, 1))
    contract = await make_contract(session, c["C"], w.rep_b, "200000.00")
    for day, amount, voided in (
        (date(2026, 2, 10), "30000.00", False),
        (date(2026, 5, 20), "30000.00", False),
        (date(2026, 6, 1), "50000.00", True),
    ):
        session.add(
            Payment(
                workspace_id=tenant.id,
                contract_id=contract.id,
                amount=Decimal(amount),
                currency="CNY",
                received_on=day,
                method="bank_transfer",
                overpayment=True,
                voided_at=at(day) if voided else None,
            )
        )
    c["D"] = await customer(session, tenant, "D 老客户", w.manager_east, followed=date(2026, 6, 1))
    await add_order(session, c["D"], at(date(2025, 1, 10)), "800.00")
    c["E"] = await customer(session, tenant, "E Maple Foods", w.rep_a, followed=date(2026, 4, 1))
    await add_order(session, c["E"], at(date(2026, 5, 1)), "2000.00")
    await add_order(session, c["E"], at(date(2026, 6, 1)), "1000.00", currency="USD")
    c["F"] = await customer(session, tenant, "F 潜在客户", w.rep_a, followed=date(2026, 6, 1))
    c["G"] = await customer(session, tenant, "G 已删除", w.rep_a, followed=date(2026, 6, 1))
    await add_order(session, c["G"], at(date(2026, 6, 10)), "9000.00")
    c["G"].deleted_at = at(date(2026, 6, 12))
    c["I"] = await customer(session, tenant, "I 单次客户", w.rep_b, followed=date(2026, 6, 1))
    await add_order(session, c["I"], at(date(2026, 1, 15)), "300.00")
    await session.flush()
    await session.commit()
    return w


async def recompute(
    maker: async_sessionmaker[AsyncSession], session: AsyncSession, workspace_id: uuid.UUID
) -> RfmRun:
    """Run a recompute the way the worker does, and return the finished run."""
    await use(session, workspace_id)
    run = RfmRun(workspace_id=workspace_id, status="queued", trigger="manual")
    session.add(run)
    await session.commit()
    assert await service.execute_run(maker, workspace_id, run.id) == "succeeded"
    await use(session, workspace_id)
    await session.refresh(run)
    return run
