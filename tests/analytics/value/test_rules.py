"""The RFM tier in rules: pools never reclaim exempt tiers; SLA policies chosen by tier."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.core.jobs import runtime
from app.models.customer import Customer
from app.models.pool import Pool
from app.models.ticket import Ticket
from app.pools.jobs import reclaim_workspace
from tests.analytics.value.conftest import TODAY, recompute
from tests.auth.test_auth import assert_problem
from tests.contracts.helpers import at
from tests.factories import use


async def test_pool_rule_exempts_tiers_from_reclaim(world, maker, session) -> None:
    """Nobody followed up A (VIP) or B (key) for 40 days; the pool exempts VIPs."""
    await recompute(maker, session, world.tenant.id)
    now = at(TODAY)
    await use(session, world.tenant.id)
    session.add(
        Pool(
            workspace_id=world.tenant.id,
            name="公海",
            is_default=True,
            rules={"reclaim_days": {"default": 30}, "exempt_rfm_tiers": ["vip"]},
        )
    )
    a, b = world.customers["A"], world.customers["B"]
    for c in (a, b):
        c.last_followed_at = now - timedelta(days=40)
        c.owned_since = now - timedelta(days=40)
    await session.commit()
    runtime.sessionmaker = maker
    await reclaim_workspace(world.tenant.id, now)
    await use(session, world.tenant.id)
    owners = dict(
        (
            await session.execute(
                select(Customer.id, Customer.owner_id).where(Customer.id.in_([a.id, b.id]))
            )
        ).all()
    )
    assert owners == {a.id: world.rep_a.id, b.id: None}


async def test_pool_rules_refuse_a_malformed_tier_key(world, client_for) -> None:
    admin = await client_for(world.admin)
    r = await admin.post(
        "/api/v1/pools", json={"name": "P", "rules": {"exempt_rfm_tiers": ["VIP 客户"]}}
    )
    body = assert_problem(r, 422, "validation_error")
    assert body["errors"][0]["field"] == "body.rules.exempt_rfm_tiers.0"
    ok = await admin.post(
        "/api/v1/pools", json={"name": "P", "rules": {"exempt_rfm_tiers": ["vip"]}}
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["rules"]["exempt_rfm_tiers"] == ["vip"]


async def test_sla_policy_is_chosen_by_the_customers_tier(
    world, maker, session, client_for
) -> None:
    await recompute(maker, session, world.tenant.id)
    admin = await client_for(world.admin)
    targets = {"normal": {"first_response_minutes": 60, "resolution_minutes": 480}}
    fallback = await admin.post(
        "/api/v1/sla-policies", json={"name": "Standard", "position": 0, "targets": targets}
    )
    vip = await admin.post(
        "/api/v1/sla-policies",
        json={
            "name": "VIP",
            "position": 5,
            "customer_rfm_tiers": ["vip"],
            "targets": {"normal": {"first_response_minutes": 15, "resolution_minutes": 120}},
        },
    )
    assert vip.status_code == 201, vip.text
    assert vip.json()["customer_rfm_tiers"] == ["vip"]
    chosen = {}
    for name in ("A", "B"):
        r = await admin.post(
            "/api/v1/tickets",
            json={
                "subject": "发票问题 Invoice question",
                "requester_name": "客户",
                "customer_id": str(world.customers[name].id),
            },
        )
        assert r.status_code == 201, r.text
        await use(session, world.tenant.id)
        chosen[name] = str(
            await session.scalar(select(Ticket.sla_policy_id).where(Ticket.id == r.json()["id"]))
        )
    assert chosen == {"A": vip.json()["id"], "B": fallback.json()["id"]}
    bad = await admin.post(
        "/api/v1/sla-policies",
        json={"name": "x", "customer_rfm_tiers": ["Gold!"], "targets": targets},
    )
    assert_problem(bad, 422, "validation_error")
