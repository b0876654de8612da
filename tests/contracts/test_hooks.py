"""Contracts follow their customer (transfer, handover) and keep it out of the pool."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.core.jobs import runtime
from app.models.contracts import Contract
from app.models.customer import Customer
from app.models.pool import Pool
from app.pools.jobs import reclaim_all
from tests.auth.test_auth import assert_problem
from tests.contracts.helpers import make_contract, make_customer
from tests.factories import create_user, use


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


async def test_merge_hooks_move_contracts_and_orders_to_the_survivor(session, tenant) -> None:
    from app.contracts import service as contracts
    from app.core import hooks
    from app.core.principal import Principal, Role
    from app.models.orders import Order
    from app.orders import service as orders

    assert contracts.follow_merge in hooks.customer_merge_hooks
    assert orders.follow_merge in hooks.customer_merge_hooks

    survivor = await make_customer(session, tenant.id, tenant.owner)
    duplicate = await make_customer(session, tenant.id, tenant.owner)
    contract = await make_contract(session, duplicate, tenant.owner)
    session.add(
        Order(
            workspace_id=tenant.id,
            order_number="O-1",
            customer_id=duplicate.id,
            channel="shop",
            ordered_at=datetime.now(UTC),
            amount=1,
        )
    )
    await session.flush()
    principal = Principal(
        workspace_id=tenant.id, user_id=tenant.owner.id, role=Role.owner, team_id=None
    )
    moved: dict[str, int] = {}
    for hook in hooks.customer_merge_hooks:
        moved.update(await hook(session, principal, duplicate.id, survivor.id))
    assert moved == {"contracts": 1, "orders": 1}
    assert (
        await session.scalar(select(Contract.customer_id).where(Contract.id == contract.id))
        == survivor.id
    )
    assert await session.scalar(select(Order.customer_id)) == survivor.id
