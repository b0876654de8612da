"""Purchases per customer and day (`purchase_days`) and per owner and day
(`purchase_owner_days`), kept by triggers (ADR 8), always equal the orders and payments they
come from: through order and payment changes, contracts deleted and restored, owner
transfers, the recycle bin, hard deletes, a change of time zone and a rebuild from scratch."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.analytics.value.conftest import World, add_order, customer
from tests.contracts.helpers import at, make_contract
from tests.factories import use
from tests.perf.seed import FRESH_PURCHASE_DAYS

NO_OWNER = "00000000-0000-0000-0000-000000000000"
KEPT = """
    SELECT customer_id, day, currency, owner_id, live,
           orders_amount, orders, payments_amount, payments
      FROM purchase_days
     WHERE workspace_id = :ws
       AND (orders <> 0 OR payments <> 0 OR orders_amount <> 0 OR payments_amount <> 0)
     ORDER BY 1, 2, 3
"""
#: the same, computed from the orders and payments (the reference data set's check)
FRESH = FRESH_PURCHASE_DAYS.replace("%(ws)s", ":ws") + " ORDER BY 1, 2, 3"
OWNER_KEPT = """
    SELECT owner_id, day, currency, orders_amount, orders, payments_amount, payments
      FROM purchase_owner_days
     WHERE workspace_id = :ws
       AND (orders <> 0 OR payments <> 0 OR orders_amount <> 0 OR payments_amount <> 0)
     ORDER BY 1, 2, 3
"""


async def assert_exact(session: AsyncSession, workspace_id) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    """Both tables equal a fresh aggregate of the orders and payments; returns the days."""
    await use(session, workspace_id)
    ws = {"ws": workspace_id}
    kept = [tuple(r) for r in (await session.execute(text(KEPT), ws)).all()]
    fresh = [tuple(r) for r in (await session.execute(text(FRESH), ws)).all()]
    assert kept == fresh
    per_owner: dict[tuple, list] = {}  # type: ignore[type-arg]
    for _, day, currency, owner, live, oa, oc, pa, pc in fresh:
        if live:
            sums = per_owner.setdefault((str(owner or NO_OWNER), day, currency), [0, 0, 0, 0])
            for i, v in enumerate((oa, oc, pa, pc)):
                sums[i] += v
    owners = [
        (str(r[0]), r[1], r[2], r[3], r[4], r[5], r[6])
        for r in (await session.execute(text(OWNER_KEPT), ws)).all()
    ]
    assert owners == sorted((*k, *v) for k, v in per_owner.items())
    return kept


async def run(session: AsyncSession, sql: str, **params) -> None:  # type: ignore[no-untyped-def]
    await session.execute(text(sql), params)


async def test_purchases_follow_every_change(session: AsyncSession, world: World) -> None:
    ws = world.tenant.id
    c = world.customers
    kept = await assert_exact(session, ws)
    # A's four orders, B's four (the 00:30 one on 1 April in Shanghai), C's two payments
    # (not the voided one), E in two currencies; G is in the bin: kept but not live
    a_days = [r[1] for r in kept if r[0] == c["A"].id]
    assert a_days == [date(2025, 9, 1), date(2025, 12, 1), date(2026, 3, 1), date(2026, 6, 5)]
    assert [r[1] for r in kept if r[0] == c["B"].id][-1] == date(2026, 4, 1)
    assert [(r[1], r[8]) for r in kept if r[0] == c["C"].id] == [
        (date(2026, 2, 10), 1),
        (date(2026, 5, 20), 1),
    ]
    assert sorted(r[2] for r in kept if r[0] == c["E"].id) == ["CNY", "USD"]
    assert [r[4] for r in kept if r[0] == c["G"].id] == [False]

    # orders: cancelled and back, moved to another day, a new amount, another currency,
    # soft-deleted, and one added on a day that already has one
    await use(session, ws)
    b = {"c": c["B"].id}
    await run(session, "UPDATE orders SET status = 'cancelled' WHERE customer_id = :c", **b)
    await assert_exact(session, ws)
    await run(session, "UPDATE orders SET status = 'paid' WHERE customer_id = :c", **b)
    await assert_exact(session, ws)
    await run(
        session,
        "UPDATE orders SET ordered_at = ordered_at + interval '20 hours',"
        " amount = amount + 1 WHERE customer_id = :c",
        **b,
    )
    await assert_exact(session, ws)
    await run(session, "UPDATE orders SET currency = 'EUR' WHERE customer_id = :c", **b)
    await run(session, "UPDATE orders SET deleted_at = now() WHERE customer_id = :c", **b)
    await assert_exact(session, ws)
    await add_order(session, c["A"], at(date(2026, 6, 5), hour=18), "250.00")
    assert [r[6] for r in await assert_exact(session, ws) if r[0] == c["A"].id][-1] == 2

    # payments: voided and back, another day; the contract deleted and restored
    cc = {"c": c["C"].id}
    pay = (
        "UPDATE payments SET {} WHERE contract_id IN (SELECT id FROM contracts"
        " WHERE customer_id = :c)"
    )
    await run(session, pay.format("voided_at = now()"), **cc)
    await assert_exact(session, ws)
    await run(session, pay.format("voided_at = NULL, received_on = received_on + 1"), **cc)
    await assert_exact(session, ws)
    await run(session, "UPDATE contracts SET deleted_at = now() WHERE customer_id = :c", **cc)
    assert not [r for r in await assert_exact(session, ws) if r[0] == c["C"].id]
    await run(session, "UPDATE contracts SET deleted_at = NULL WHERE customer_id = :c", **cc)
    assert [r for r in await assert_exact(session, ws) if r[0] == c["C"].id]

    # a transfer moves the customer's whole history to the new owner; the bin and back
    a = {"c": c["A"].id}
    await run(session, "UPDATE customers SET owner_id = :o WHERE id = :c", o=world.rep_b.id, **a)
    assert {r[3] for r in await assert_exact(session, ws) if r[0] == c["A"].id} == {world.rep_b.id}
    await run(session, "UPDATE customers SET owner_id = NULL WHERE id = :c", **a)
    await assert_exact(session, ws)
    await run(session, "UPDATE customers SET deleted_at = now() WHERE id = :c", **a)
    await assert_exact(session, ws)
    await run(
        session,
        "UPDATE customers SET deleted_at = NULL, owner_id = :o WHERE id = :c",
        o=world.rep_a.id,
        **a,
    )
    await assert_exact(session, ws)

    # deleted for good: its orders lose their buyer (SET NULL), its days go with it
    await run(session, "DELETE FROM customers WHERE id = :c", c=c["E"].id)
    assert not [r for r in await assert_exact(session, ws) if r[0] == c["E"].id]

    # a rebuild from scratch finds nothing to correct
    before = await assert_exact(session, ws)
    await run(session, "UPDATE purchase_days SET orders = 99 WHERE workspace_id = :ws", ws=ws)
    await run(session, "DELETE FROM purchase_owner_days WHERE workspace_id = :ws", ws=ws)
    await run(session, "SELECT rapport_rebuild_derived(:ws)", ws=ws)
    assert await assert_exact(session, ws) == before


async def test_days_move_with_the_workspace_time_zone(session: AsyncSession, world: World) -> None:
    ws = world.tenant.id
    b = world.customers["B"].id
    before = [r[1] for r in await assert_exact(session, ws) if r[0] == b]
    assert before[-1] == date(2026, 4, 1)
    await use(session, ws)
    await run(session, "UPDATE workspaces SET timezone = 'UTC' WHERE id = :ws", ws=ws)
    # 00:30 on 1 April in Shanghai is 16:30 on 31 March in UTC
    after = [r[1] for r in await assert_exact(session, ws) if r[0] == b]
    assert after[-1] == date(2026, 3, 31)


async def test_a_workspace_deletes_with_its_purchases(committed, owner_engine) -> None:  # type: ignore[no-untyped-def]
    _, tenant, maker = committed
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        buyer = await customer(s, tenant, "整单删除测试", tenant.owner)
        await add_order(s, buyer, at(date(2026, 6, 1)), "100.00")
        contract = await make_contract(s, buyer, tenant.owner, "500.00")
        await s.execute(
            text(
                "INSERT INTO payments (workspace_id, id, contract_id, amount, currency,"
                " received_on, method, overpayment, allocated_amount, version, created_at,"
                " updated_at) VALUES (:ws, gen_random_uuid(), :k, 100, 'CNY', '2026-06-02',"
                " 'bank_transfer', true, 0, 1, now(), now())"
            ),
            {"ws": tenant.id, "k": contract.id},
        )
        kept = await s.scalar(text("SELECT sum(orders + payments) FROM purchase_owner_days"))
        assert kept == 2
    async with owner_engine.begin() as conn:
        await conn.execute(text("DELETE FROM workspaces WHERE id = :id"), {"id": tenant.id})
        for table in ("purchase_days", "purchase_owner_days"):
            left = await conn.scalar(
                text(f"SELECT count(*) FROM {table} WHERE workspace_id = :id"), {"id": tenant.id}
            )
            assert left == 0, table
