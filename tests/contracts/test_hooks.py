"""Contracts follow their customer (transfer, handover) and keep it out of the pool."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
from sqlalchemy import func, select, update

from app.core.jobs import runtime
from app.models.audit import AuditEntry
from app.models.contracts import Contract
from app.models.customer import Customer
from app.models.event import Event
from app.models.orders import Order
from app.models.pool import Pool
from app.models.receivables import Installment, Payment
from app.pools.jobs import reclaim_all
from tests.auth.test_auth import assert_problem
from tests.contracts.helpers import make_contract, make_customer
from tests.factories import create_user, login_as, use


async def test_active_contract_exempts_its_customer_from_reclaim(committed) -> None:
    _, tenant, maker = committed
    runtime.sessionmaker = maker
    now = datetime.now(UTC)
    old = now - timedelta(days=60)
    async with maker() as s, s.begin():
        rep = await create_user(s, tenant.id, role="sales")
        await use(s, tenant.id)
        s.add(
            Pool(
                workspace_id=tenant.id,
                name="公海",
                is_default=True,
                rules={"reclaim_days": {"default": 30}},
            )
        )
        customers = {}
        for name in ("active", "expired", "draft", "none"):
            c = Customer(
                workspace_id=tenant.id, name=name, owner_id=rep.id, created_at=old, owned_since=old
            )
            s.add(c)
            await s.flush()
            customers[name] = c
            if name != "none":
                await make_contract(s, c, rep, status=name)
    assert await reclaim_all(now) == 3
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        owners = dict((await s.execute(select(Customer.name, Customer.owner_id))).tuples().all())
    assert owners == {"active": rep.id, "expired": None, "draft": None, "none": None}


async def test_transfer_moves_the_previous_owners_contracts(session, tenant, owner_client) -> None:
    rep = await create_user(session, tenant.id, role="sales")
    heir = await create_user(session, tenant.id, role="sales")
    colleague = await create_user(session, tenant.id, role="sales")
    customer = await make_customer(session, tenant.id, rep)
    mine = await make_contract(session, customer, rep)
    theirs = await make_contract(session, customer, colleague)
    await session.commit()
    r = await owner_client.post(
        f"/api/v1/customers/{customer.id}/transfer", json={"to_user_id": str(heir.id)}
    )
    assert r.status_code == 200, r.text
    assert r.json()["moved"]["contracts"] == 1
    await use(session, tenant.id)
    owners = dict((await session.execute(select(Contract.id, Contract.owner_id))).tuples().all())
    assert owners == {mine.id: heir.id, theirs.id: colleague.id}


async def test_handover_counts_contracts_and_deactivation_waits_for_it(
    session, tenant, owner_client
) -> None:
    leaving = await create_user(session, tenant.id, role="sales")
    heir = await create_user(session, tenant.id, role="sales")
    other_owner = await create_user(session, tenant.id, role="sales")
    own_customer = await make_customer(session, tenant.id, leaving)
    foreign_customer = await make_customer(session, tenant.id, other_owner)
    await make_contract(session, own_customer, leaving)
    await make_contract(session, foreign_customer, leaving, status="draft")
    await session.commit()
    blocked = await owner_client.post(f"/api/v1/users/{leaving.id}/deactivate")
    body = assert_problem(blocked, 409, "owns_records")
    assert body["owned"] == {"customers": 1, "contracts": 2}
    r = await owner_client.post(
        f"/api/v1/users/{leaving.id}/handover", json={"to_user_id": str(heir.id)}
    )
    assert r.status_code == 200, r.text
    assert r.json()["counts"]["contracts"] == 2
    assert (await owner_client.post(f"/api/v1/users/{leaving.id}/deactivate")).status_code == 200
    await use(session, tenant.id)
    owners = set((await session.execute(select(Contract.owner_id))).scalars())
    assert owners == {heir.id}


async def test_merge_moves_contracts_and_orders_to_the_survivor_audited(
    session, tenant, owner_client
) -> None:
    survivor = await make_customer(session, tenant.id, tenant.owner)
    duplicate = await make_customer(session, tenant.id, tenant.owner)
    contract = await make_contract(session, duplicate, tenant.owner)
    order = Order(
        workspace_id=tenant.id,
        order_number="O-1",
        customer_id=duplicate.id,
        channel="shop",
        ordered_at=datetime.now(UTC),
        amount=1,
    )
    session.add(order)
    await session.commit()
    r = await owner_client.post(
        f"/api/v1/customers/{survivor.id}/merge", json={"duplicate_id": str(duplicate.id)}
    )
    assert r.status_code == 200, r.text
    await use(session, tenant.id)
    assert await session.scalar(select(Contract.customer_id).where(Contract.id == contract.id)) == (
        survivor.id
    )
    assert await session.scalar(select(Order.customer_id)) == survivor.id
    listed = (await owner_client.get(f"/api/v1/orders?customer_id={survivor.id}")).json()
    assert [o["order_number"] for o in listed["data"]] == ["O-1"]
    merged = await session.scalar(
        select(AuditEntry.changes).where(
            AuditEntry.entity == "customer", AuditEntry.action == "merged"
        )
    )
    assert merged is not None
    moved = merged["moved_by_other_domains"]["after"]
    assert (moved["contracts"], moved["orders"]) == (1, 1)
    for entity, entity_id in (("contract", contract.id), ("order", order.id)):
        audit = (
            await session.execute(
                select(AuditEntry.actor_id, AuditEntry.changes).where(
                    AuditEntry.entity == entity, AuditEntry.entity_id == entity_id
                )
            )
        ).one()
        assert audit.actor_id == tenant.owner.id
        assert audit.changes["customer_id"] == {
            "before": str(duplicate.id),
            "after": str(survivor.id),
        }
        event = (
            await session.execute(
                select(Event.type, Event.changed_fields).where(Event.entity_id == entity_id)
            )
        ).one()
        assert (event.type, event.changed_fields) == (f"{entity}.updated", ["customer_id"])


async def test_contracts_and_their_money_outlive_a_deleted_customer(committed) -> None:
    """The customer is refused deletion; were it binned anyway (bypassing the service), the
    foreign key no longer cascades: the purge leaves it in the bin with its contracts,
    installments and payments."""
    from app.ops.jobs import purge

    app, tenant, maker = committed
    runtime.sessionmaker = maker
    async with maker() as s, s.begin():
        customer = await make_customer(s, tenant.id, tenant.owner)
        contract = await make_contract(
            s, customer, tenant.owner, "100.00", plan=[(date(2026, 1, 1), "100.00")]
        )
        s.add(
            Payment(
                workspace_id=tenant.id,
                contract_id=contract.id,
                amount=Decimal("50.00"),
                currency="CNY",
                received_on=date(2026, 1, 1),
                method="cash",
            )
        )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        async with maker() as s:
            await login_as(s, client, tenant.owner)
        refused = await client.delete(f"/api/v1/customers/{customer.id}")
        body = assert_problem(refused, 409, "customer_has_records")
        assert body["records"] == {"contracts": 1}
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        await s.execute(
            update(Customer)
            .where(Customer.id == customer.id)
            .values(deleted_at=datetime.now(UTC) - timedelta(days=31))
        )
    counts = await purge()
    assert counts.get("customers", 0) == 0
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        assert await s.scalar(select(Customer.deleted_at)) is not None
        assert await s.scalar(select(func.count()).select_from(Contract)) == 1
        assert await s.scalar(select(func.count()).select_from(Installment)) == 1
        assert await s.scalar(select(Payment.amount)) == Decimal("50.00")
