"""Data the database keeps for speed (ADR 8) always equals what it is derived from.

The board's open-column totals come from `opportunity_board_totals`; aging, DSO and the
cash-in calendar read the contract's customer, owner, currency and approval copied onto each
installment. Both are written by triggers, so every path that changes deals or contracts —
the API, bulk transfers, handovers, merges, deletion cascades — must leave them exact.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import text

from tests.contracts.helpers import make_contract
from tests.contracts.helpers import make_customer as make_contract_customer
from tests.factories import create_team, create_user, use
from tests.pipeline.test_pipeline import API, make_customer, new_deal, reason_id, stage

KEPT_TOTALS = """
    SELECT pipeline_id, stage_id, owner_id, currency, deals, amount, weighted
      FROM opportunity_board_totals
     WHERE workspace_id = :ws AND (deals <> 0 OR amount <> 0 OR weighted <> 0)
     ORDER BY 1, 2, 3, 4
"""
FRESH_TOTALS = """
    SELECT pipeline_id, stage_id, coalesce(owner_id, '00000000-0000-0000-0000-000000000000'),
           currency, count(*), sum(amount), sum(amount * probability)
      FROM opportunities
     WHERE workspace_id = :ws AND status = 'open' AND deleted_at IS NULL
     GROUP BY 1, 2, 3, 4
     ORDER BY 1, 2, 3, 4
"""
STALE_INSTALLMENTS = """
    SELECT i.id FROM installments i JOIN contracts c
        ON c.workspace_id = i.workspace_id AND c.id = i.contract_id
     WHERE i.workspace_id = :ws
       AND (i.customer_id, i.owner_id, i.currency, i.receivable) IS DISTINCT FROM
           (c.customer_id, c.owner_id, c.currency,
            c.status IN ('active', 'expired', 'terminated') AND c.deleted_at IS NULL)
"""


async def assert_board_totals_exact(session, workspace_id) -> list:  # type: ignore[no-untyped-def,type-arg]
    await use(session, workspace_id)
    kept = (await session.execute(text(KEPT_TOTALS), {"ws": workspace_id})).all()
    fresh = (await session.execute(text(FRESH_TOTALS), {"ws": workspace_id})).all()
    assert [tuple(r) for r in kept] == [tuple(r) for r in fresh]
    return list(kept)


async def test_board_totals_follow_every_change_of_open_deals(
    session, tenant, owner_client, pipeline
) -> None:
    team = await create_team(session, tenant.id, "华南")
    a = await create_user(session, tenant.id, role="sales", team=team)
    b = await create_user(session, tenant.id, role="sales", team=team)
    heir = await create_user(session, tenant.id, role="sales")
    c1 = await make_customer(session, tenant, a, "深圳前海供应链")
    c2 = await make_customer(session, tenant, a, "Harbor Freight Ltd")
    c3 = await make_customer(session, tenant, b, "佛山顺德家电")

    d1 = await new_deal(owner_client, c1, owner_id=str(a.id), amount="1200.50")
    d2 = await new_deal(owner_client, c1, owner_id=str(a.id), amount="99.99", currency="USD")
    d3 = await new_deal(owner_client, c2, owner_id=str(a.id), amount="5000.00")
    d4 = await new_deal(owner_client, c3, owner_id=str(b.id), amount="300.00")
    d5 = await new_deal(owner_client, c3, owner_id=str(b.id), amount="0.01")
    kept = await assert_board_totals_exact(session, tenant.id)
    assert sum(r.deals for r in kept) == 5

    # stage moves, edits of amount / probability / currency, owner change, no owner
    r = await owner_client.post(
        f"{API}/opportunities/{d1['id']}/move",
        json={"stage_id": stage(pipeline, "Proposal & quote")},
    )
    assert r.status_code == 200, r.text
    for deal, change in (
        (d3, {"amount": "4321.09", "probability": 35}),
        (d2, {"currency": "EUR"}),
        (d4, {"owner_id": str(a.id)}),
    ):
        current = (await owner_client.get(f"{API}/opportunities/{deal['id']}")).json()
        r = await owner_client.patch(
            f"{API}/opportunities/{deal['id']}",
            json=change,
            headers={"If-Match": f'W/"{current["version"]}"'},
        )
        assert r.status_code == 200, r.text
    # a deal whose owner's account was deleted (the foreign key sets NULL)
    await use(session, tenant.id)
    await session.execute(
        text("UPDATE opportunities SET owner_id = NULL WHERE workspace_id = :ws AND id = :id"),
        {"ws": tenant.id, "id": d5["id"]},
    )
    await assert_board_totals_exact(session, tenant.id)

    # closing and reopening leave and re-enter the open totals
    r = await owner_client.post(f"{API}/opportunities/{d1['id']}/win", json={})
    assert r.status_code == 200, r.text
    r = await owner_client.post(
        f"{API}/opportunities/{d2['id']}/lose",
        json={"lost_reason_id": await reason_id(owner_client)},
    )
    assert r.status_code == 200, r.text
    await assert_board_totals_exact(session, tenant.id)
    r = await owner_client.post(
        f"{API}/opportunities/{d1['id']}/move",
        json={"stage_id": stage(pipeline, "Initial contact")},
    )
    assert r.status_code == 200, r.text
    await assert_board_totals_exact(session, tenant.id)

    # bulk paths: a customer transfer, a handover, a merge, the recycle bin
    r = await owner_client.post(
        f"{API}/customers/{c2.id}/transfer", json={"to_user_id": str(b.id), "reason": "调整"}
    )
    assert r.status_code == 200, r.text
    r = await owner_client.post(f"{API}/users/{a.id}/handover", json={"to_user_id": str(heir.id)})
    assert r.status_code == 200, r.text
    r = await owner_client.post(f"{API}/customers/{c1.id}/merge", json={"duplicate_id": str(c3.id)})
    assert r.status_code == 200, r.text
    r = await owner_client.delete(f"{API}/opportunities/{d3['id']}")
    assert r.status_code == 204, r.text
    kept = await assert_board_totals_exact(session, tenant.id)
    assert {r.owner_id for r in kept} >= {heir.id}

    # a statement outside the app (a deletion cascading from customers) is counted too
    await use(session, tenant.id)
    await session.execute(
        text("DELETE FROM opportunities WHERE workspace_id = :ws AND id = :id"),
        {"ws": tenant.id, "id": d5["id"]},
    )
    await assert_board_totals_exact(session, tenant.id)

    # and a rebuild from scratch finds nothing to correct
    before = await assert_board_totals_exact(session, tenant.id)
    await session.execute(text("SELECT rapport_rebuild_derived(:ws)"), {"ws": tenant.id})
    assert await assert_board_totals_exact(session, tenant.id) == before


async def test_board_totals_stay_within_the_callers_scope(
    session, tenant, owner_client, client_for, pipeline
) -> None:
    east = await create_team(session, tenant.id, "华东")
    manager = await create_user(session, tenant.id, role="manager", team=east)
    mine = await create_user(session, tenant.id, role="sales", team=east)
    outsider = await create_user(session, tenant.id, role="sales")
    customer = await make_customer(session, tenant, mine)
    await new_deal(owner_client, customer, owner_id=str(mine.id), amount="10.00")
    await new_deal(owner_client, customer, owner_id=str(manager.id), amount="20.00")
    await new_deal(owner_client, customer, owner_id=str(outsider.id), amount="40.00")
    unowned = await new_deal(owner_client, customer, owner_id=str(outsider.id), amount="80.00")
    await use(session, tenant.id)
    await session.execute(
        text("UPDATE opportunities SET owner_id = NULL WHERE workspace_id = :ws AND id = :id"),
        {"ws": tenant.id, "id": unowned["id"]},
    )
    await session.commit()

    async def first_column(client, **params):  # type: ignore[no-untyped-def]
        r = await client.get(f"{API}/pipelines/{pipeline['id']}/board", params=params)
        assert r.status_code == 200, r.text
        column = r.json()["columns"][0]
        return column["count"], [t["amount"] for t in column["totals"]], len(column["deals"])

    assert await first_column(owner_client) == (4, ["150.00"], 4)
    assert await first_column(await client_for(manager)) == (2, ["30.00"], 2)
    assert await first_column(await client_for(mine)) == (1, ["10.00"], 1)
    assert await first_column(await client_for(outsider)) == (1, ["40.00"], 1)
    assert await first_column(owner_client, team_id=str(east.id)) == (2, ["30.00"], 2)


async def test_installments_carry_their_contracts_values(session, tenant, owner_client) -> None:
    rep = await create_user(session, tenant.id, role="sales")
    heir = await create_user(session, tenant.id, role="sales")
    customer = await make_contract_customer(session, tenant.id, rep, "宁波港联物流")
    other = await make_contract_customer(session, tenant.id, rep, "Northwind Traders")
    contract = await make_contract(
        session,
        customer,
        rep,
        "900.00",
        status="draft",
        plan=[(date(2026, 1, 31), "300.00"), (date(2026, 2, 28), "600.00")],
    )
    await session.commit()

    async def copied() -> set[tuple]:  # type: ignore[type-arg]
        await use(session, tenant.id)
        stale = (await session.execute(text(STALE_INSTALLMENTS), {"ws": tenant.id})).all()
        assert stale == []
        rows = await session.execute(
            text(
                "SELECT customer_id, owner_id, currency, receivable FROM installments "
                "WHERE workspace_id = :ws AND contract_id = :c"
            ),
            {"ws": tenant.id, "c": contract.id},
        )
        return {tuple(r) for r in rows}

    assert await copied() == {(customer.id, rep.id, "CNY", False)}  # a draft is not owed yet
    for change in (
        "status = 'active'",
        "owner_id = :heir",
        "customer_id = :other",
        "currency = 'USD'",
        "deleted_at = now()",
    ):
        await session.execute(
            text(f"UPDATE contracts SET {change} WHERE workspace_id = :ws AND id = :c"),
            {"ws": tenant.id, "c": contract.id, "heir": heir.id, "other": other.id},
        )
    assert await copied() == {(other.id, heir.id, "USD", False)}
    await session.execute(
        text("UPDATE contracts SET deleted_at = NULL WHERE workspace_id = :ws AND id = :c"),
        {"ws": tenant.id, "c": contract.id},
    )
    assert await copied() == {(other.id, heir.id, "USD", True)}
    # a value written by hand onto an installment is put back from its contract
    await session.execute(
        text("UPDATE installments SET owner_id = NULL, receivable = false WHERE contract_id = :c"),
        {"c": contract.id},
    )
    assert await copied() == {(other.id, heir.id, "USD", True)}
    await session.commit()

    aging = (await owner_client.get(f"{API}/receivables/aging?group_by=owner")).json()
    assert [(row["key"], row["currency"], row["total"]) for row in aging["data"]] == [
        (str(heir.id), "USD", "900.00")
    ]
    assert Decimal(aging["totals"][0]["total"]) == Decimal("900.00")


FRESH_VISITS = """
    SELECT d.id, d.visited_stages,
           coalesce(array_agg(DISTINCT h.stage_id ORDER BY h.stage_id)
                    FILTER (WHERE h.stage_id IS NOT NULL), '{}')
      FROM opportunities d
      LEFT JOIN opportunity_stage_history h
             ON h.workspace_id = d.workspace_id AND h.opportunity_id = d.id
     WHERE d.workspace_id = :ws
     GROUP BY d.id, d.visited_stages
"""


async def assert_visits_exact(session, workspace_id) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """Every deal's kept stages equal the ones its stage history names."""
    await use(session, workspace_id)
    rows = (await session.execute(text(FRESH_VISITS), {"ws": workspace_id})).all()
    assert [(r[0], r[1]) for r in rows] == [(r[0], r[2]) for r in rows]
    return {str(r[0]): {str(s) for s in r[1]} for r in rows}


async def test_each_deal_keeps_the_stages_it_has_been_in(
    session, tenant, owner_client, pipeline
) -> None:
    rep = await create_user(session, tenant.id, role="sales")
    buyer = await make_customer(session, tenant, rep, "苏州工业园精密")
    first = stage(pipeline, "Initial contact")
    quote = stage(pipeline, "Proposal & quote")
    d1 = await new_deal(owner_client, buyer, owner_id=str(rep.id))
    d2 = await new_deal(owner_client, buyer, owner_id=str(rep.id))
    assert (await assert_visits_exact(session, tenant.id))[d1["id"]] == {first}

    # moves forward and back, a win: every stage stayed in is kept, once
    for target in (quote, first):
        r = await owner_client.post(
            f"{API}/opportunities/{d1['id']}/move", json={"stage_id": target}
        )
        assert r.status_code == 200, r.text
    r = await owner_client.post(f"{API}/opportunities/{d2['id']}/win", json={})
    assert r.status_code == 200, r.text
    visits = await assert_visits_exact(session, tenant.id)
    assert visits[d1["id"]] == {first, quote}
    assert first in visits[d2["id"]]
    assert len(visits[d2["id"]]) == 2  # and the won stage

    # a stage deletion moving its deals, and a deal created straight into another stage
    needs = stage(pipeline, "Needs confirmed")
    r = await owner_client.delete(
        f"{API}/pipelines/{pipeline['id']}/stages/{quote}", params={"move_to_stage_id": needs}
    )
    assert r.status_code == 204, r.text
    d3 = await new_deal(owner_client, buyer, owner_id=str(rep.id), stage_id=needs)
    visits = await assert_visits_exact(session, tenant.id)
    assert len(visits[d1["id"]]) == 2  # d1 had left the deleted stage
    assert visits[d3["id"]] == {needs}

    # history written apart from a stage change (a backdated stay), then deleted
    await use(session, tenant.id)
    await session.execute(
        text(
            "INSERT INTO opportunity_stage_history (workspace_id, id, opportunity_id, stage_id,"
            " entered_at, left_at) VALUES (:ws, gen_random_uuid(), :d, :s,"
            " now() - interval '2 days', now() - interval '1 day')"
        ),
        {"ws": tenant.id, "d": d3["id"], "s": first},
    )
    assert (await assert_visits_exact(session, tenant.id))[d3["id"]] == {needs, first}
    await session.execute(
        text("DELETE FROM opportunity_stage_history WHERE opportunity_id = :d AND stage_id = :s"),
        {"d": d3["id"], "s": first},
    )
    assert (await assert_visits_exact(session, tenant.id))[d3["id"]] == {needs}

    # and a rebuild from scratch finds nothing to correct
    before = await assert_visits_exact(session, tenant.id)
    await session.execute(
        text("UPDATE opportunities SET visited_stages = '{}' WHERE workspace_id = :ws"),
        {"ws": tenant.id},
    )
    await session.execute(text("SELECT rapport_rebuild_derived(:ws)"), {"ws": tenant.id})
    assert await assert_visits_exact(session, tenant.id) == before
