"""Public pool: claim / release / assign, caps and limits under real concurrency, reclaim."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select

from app.core.jobs import runtime
from app.models.customer import Customer, Notification, OwnershipChange
from app.models.pool import Pool
from app.pools.jobs import reclaim_all
from tests.auth.test_auth import assert_problem
from tests.factories import create_user, login_as, use


async def make_pool(session, workspace_id, **rules) -> Pool:  # type: ignore[no-untyped-def]
    await use(session, workspace_id)
    pool = Pool(
        workspace_id=workspace_id,
        name=f"公海 {uuid.uuid4().hex[:4]}",
        is_default=True,
        rules={"mask_contacts": True, **rules},
    )
    session.add(pool)
    await session.flush()
    return pool


async def pool_customer(session, workspace_id, pool, name="待领取客户", **kw) -> Customer:  # type: ignore[no-untyped-def]
    await use(session, workspace_id)
    c = Customer(
        workspace_id=workspace_id,
        name=name,
        owner_id=None,
        pool_id=pool.id,
        phones=["13800138000"],
        email="boss@example.com",
        **kw,
    )
    session.add(c)
    await session.flush()
    return c


class TestClaimRelease:
    async def test_masked_until_claimed_then_visible(self, session, tenant, client_for) -> None:
        pool = await make_pool(session, tenant.id)
        c = await pool_customer(session, tenant.id, pool)
        rep = await create_user(session, tenant.id, role="sales")
        client = await client_for(rep)
        listed = (await client.get(f"/api/v1/pools/{pool.id}/customers")).json()["data"]
        assert listed[0]["phones"] == ["138****8000"]
        assert listed[0]["email"] == "b***@example.com"
        assert (await client.get(f"/api/v1/customers/{c.id}")).status_code == 404
        claimed = await client.post(f"/api/v1/customers/{c.id}/claim")
        assert claimed.status_code == 200, claimed.text
        assert claimed.json()["phones"] == ["13800138000"]
        assert (await client.get(f"/api/v1/customers/{c.id}")).status_code == 200
        ledger = (await client.get(f"/api/v1/customers/{c.id}/ownership")).json()
        assert ledger[0]["kind"] == "claim"

    async def test_release_needs_a_reason_and_returns_to_pool(
        self, session, tenant, client_for
    ) -> None:
        pool = await make_pool(session, tenant.id, cooldown_days=7)
        rep = await create_user(session, tenant.id, role="sales")
        client = await client_for(rep)
        c = (await client.post("/api/v1/customers", json={"name": "释放测试"})).json()
        assert_problem(
            await client.post(f"/api/v1/customers/{c['id']}/release", json={}),
            422,
            "validation_error",
        )
        r = await client.post(
            f"/api/v1/customers/{c['id']}/release", json={"reason": "客户无采购计划"}
        )
        assert r.status_code == 200, r.text
        assert r.json()["owner_id"] is None
        assert r.json()["pool_id"] == str(pool.id)
        again = await client.post(f"/api/v1/customers/{c['id']}/claim")
        body = assert_problem(again, 409, "cooldown")
        assert "available_at" in body

    async def test_manager_assigns_rep_cannot(self, session, tenant, client_for) -> None:
        pool = await make_pool(session, tenant.id)
        c = await pool_customer(session, tenant.id, pool)
        rep = await create_user(session, tenant.id, role="sales")
        manager = await create_user(session, tenant.id, role="manager")
        rep_c, mgr_c = await client_for(rep), await client_for(manager)
        assert_problem(
            await rep_c.post(f"/api/v1/customers/{c.id}/assign", json={"to_user_id": str(rep.id)}),
            403,
            "forbidden",
        )
        r = await mgr_c.post(
            f"/api/v1/customers/{c.id}/assign",
            json={"to_user_id": str(rep.id), "reason": "华东区域"},
        )
        assert r.status_code == 200, r.text
        assert r.json()["owner_id"] == str(rep.id)


async def _client(app, maker, user) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    async with maker() as s:
        await login_as(s, client, user)
    return client


class TestConcurrency:
    async def test_fifty_reps_one_customer_exactly_one_wins(self, committed) -> None:
        app, tenant, maker = committed
        async with maker() as s, s.begin():
            pool = await make_pool(s, tenant.id)
            c = await pool_customer(s, tenant.id, pool)
            reps = [await create_user(s, tenant.id, role="sales") for _ in range(50)]
        clients = [await _client(app, maker, rep) for rep in reps]
        try:
            results = await asyncio.gather(
                *[cl.post(f"/api/v1/customers/{c.id}/claim") for cl in clients]
            )
        finally:
            for cl in clients:
                await cl.aclose()
        codes = sorted(r.status_code for r in results)
        assert codes.count(200) == 1, codes
        assert codes.count(409) == 49, codes
        winner = next(r for r in results if r.status_code == 200).json()["owner_id"]
        loser = next(r for r in results if r.status_code == 409).json()
        assert loser["code"] == "already_claimed"
        assert loser["owner_id"] == winner
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            claims = await s.scalar(
                select(func.count())
                .select_from(OwnershipChange)
                .where(OwnershipChange.customer_id == c.id, OwnershipChange.kind == "claim")
            )
            assert claims == 1

    async def test_cap_and_daily_limit_hold_under_parallel_claims(self, committed) -> None:
        app, tenant, maker = committed
        async with maker() as s, s.begin():
            pool = await make_pool(s, tenant.id, holding_cap=5, daily_claim_limit=20)
            rep = await create_user(s, tenant.id, role="sales")
            for i in range(4):  # cap - 1 already owned
                await use(s, tenant.id)
                s.add(Customer(workspace_id=tenant.id, name=f"owned {i}", owner_id=rep.id))
            targets = [await pool_customer(s, tenant.id, pool, name=f"p{i}") for i in range(10)]
        client = await _client(app, maker, rep)
        try:
            results = await asyncio.gather(
                *[client.post(f"/api/v1/customers/{t.id}/claim") for t in targets]
            )
        finally:
            await client.aclose()
        assert sum(r.status_code == 200 for r in results) == 1
        refused = [r.json()["code"] for r in results if r.status_code == 409]
        assert refused == ["holding_cap_reached"] * 9
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            owned = await s.scalar(
                select(func.count()).select_from(Customer).where(Customer.owner_id == rep.id)
            )
            assert owned == 5

    async def test_daily_limit_under_parallel_claims(self, committed) -> None:
        app, tenant, maker = committed
        async with maker() as s, s.begin():
            pool = await make_pool(s, tenant.id, daily_claim_limit=3)
            rep = await create_user(s, tenant.id, role="sales")
            targets = [await pool_customer(s, tenant.id, pool, name=f"d{i}") for i in range(8)]
        client = await _client(app, maker, rep)
        try:
            results = await asyncio.gather(
                *[client.post(f"/api/v1/customers/{t.id}/claim") for t in targets]
            )
        finally:
            await client.aclose()
        assert sum(r.status_code == 200 for r in results) == 3
        assert {r.json()["code"] for r in results if r.status_code == 409} == {"daily_claim_limit"}


class TestReclaim:
    async def test_reclaim_with_controlled_clock(self, committed) -> None:
        _, tenant, maker = committed
        runtime.sessionmaker = maker
        now = datetime.now(UTC)
        async with maker() as s, s.begin():
            pool = await make_pool(
                s, tenant.id, reclaim_days={"default": 30, "A": 60}, warn_days_before=3
            )
            rep = await create_user(s, tenant.id, role="sales")
            await use(s, tenant.id)
            old = now - timedelta(days=31)

            def owned(name: str, **kw: object) -> Customer:
                c = Customer(
                    workspace_id=tenant.id,
                    name=name,
                    owner_id=rep.id,
                    created_at=old,
                    owned_since=old,
                    **kw,
                )
                s.add(c)
                return c

            stale = owned("stale")
            owned("A level", level="A")
            owned("locked", locked=True)
            owned("followed", last_followed_at=now - timedelta(days=2))
            soon = owned("soon", last_followed_at=now - timedelta(days=28))
        assert await reclaim_all(now) == 1
        assert await reclaim_all(now) == 0  # idempotent
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            owners = dict((await s.execute(select(Customer.name, Customer.owner_id))).all())
            assert owners["stale"] is None
            assert owners["A level"] == rep.id
            assert owners["locked"] == rep.id
            assert owners["followed"] == rep.id
            assert owners["soon"] == rep.id
            reason = await s.scalar(
                select(OwnershipChange.reason).where(
                    OwnershipChange.customer_id == stale.id, OwnershipChange.kind == "reclaim"
                )
            )
            assert reason == "reclaimed: no follow-up for 31 days (rule: 30)"
            pool_of = await s.scalar(select(Customer.pool_id).where(Customer.id == stale.id))
            assert pool_of == pool.id
            warned = set(
                (
                    await s.execute(
                        select(Notification.entity_id).where(Notification.kind == "reclaim_warning")
                    )
                ).scalars()
            )
            assert warned == {soon.id}

    async def test_two_reclaims_at_once_reclaim_each_customer_once(self, committed) -> None:
        _, tenant, maker = committed
        runtime.sessionmaker = maker
        now = datetime.now(UTC)
        async with maker() as s, s.begin():
            await make_pool(s, tenant.id, reclaim_days={"default": 30})
            rep = await create_user(s, tenant.id, role="sales")
            await use(s, tenant.id)
            old = now - timedelta(days=40)
            for i in range(2500):
                s.add(
                    Customer(
                        workspace_id=tenant.id,
                        name=f"c{i}",
                        owner_id=rep.id,
                        created_at=old,
                        owned_since=old,
                    )
                )
        counts = await asyncio.gather(reclaim_all(now), reclaim_all(now))
        assert sum(counts) == 2500
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            rows = await s.scalar(
                select(func.count())
                .select_from(OwnershipChange)
                .where(OwnershipChange.kind == "reclaim")
            )
            assert rows == 2500


async def test_reclaim_due_lists_soon_in_scope(session, tenant, client_for) -> None:
    await make_pool(session, tenant.id, reclaim_days={"default": 30})
    rep = await create_user(session, tenant.id, role="sales")
    await use(session, tenant.id)
    now = datetime.now(UTC)
    session.add(
        Customer(
            workspace_id=tenant.id,
            name="快到期",
            owner_id=rep.id,
            created_at=now - timedelta(days=27),
            owned_since=now - timedelta(days=27),
        )
    )
    session.add(Customer(workspace_id=tenant.id, name="还早", owner_id=rep.id))
    await session.commit()
    client = await client_for(rep)
    r = await client.get("/api/v1/pools/reclaim-due", params={"days": 7})
    assert [d["name"] for d in r.json()] == ["快到期"]
    assert r.json()[0]["rule_days"] == 30


async def _won_deal(client, customer_id):  # type: ignore[no-untyped-def]
    deal = (
        await client.post(
            "/api/v1/opportunities", json={"customer_id": str(customer_id), "name": "单"}
        )
    ).json()
    r = await client.post(f"/api/v1/opportunities/{deal['id']}/win", json={})
    assert r.status_code == 200, r.text
    return deal["id"]


class TestWonDealRules:
    async def test_no_won_deal_rule_reclaims_with_its_reason(self, committed) -> None:
        app, tenant, maker = committed
        runtime.sessionmaker = maker
        now = datetime.now(UTC)
        taken = now - timedelta(days=61)
        async with maker() as s, s.begin():
            await make_pool(s, tenant.id, reclaim_days={}, no_win_days={"default": 60})
            rep = await create_user(s, tenant.id, role="sales")
            await use(s, tenant.id)

            def owned(name: str, since: datetime) -> Customer:
                c = Customer(
                    workspace_id=tenant.id,
                    name=name,
                    owner_id=rep.id,
                    created_at=since,
                    owned_since=since,
                    last_followed_at=now - timedelta(days=1),
                )
                s.add(c)
                return c

            busy = owned("busy but never won", taken)
            winner = owned("won since taken", taken)
            earlier = owned("won before it was taken", taken)
            owned("taken recently", now - timedelta(days=10))
        owner = await _client(app, maker, tenant.owner)
        try:
            await _won_deal(owner, winner.id)
            old_deal = await _won_deal(owner, earlier.id)
        finally:
            await owner.aclose()
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            from app.models.pipeline import Opportunity

            await s.execute(
                Opportunity.__table__.update()
                .where(Opportunity.id == uuid.UUID(old_deal))
                .values(won_at=taken - timedelta(days=5))
            )
        assert await reclaim_all(now) == 2
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            owners = dict((await s.execute(select(Customer.name, Customer.owner_id))).all())
            assert owners == {
                "busy but never won": None,
                "won since taken": rep.id,
                "won before it was taken": None,
                "taken recently": rep.id,
            }
            reason = await s.scalar(
                select(OwnershipChange.reason).where(
                    OwnershipChange.customer_id == busy.id, OwnershipChange.kind == "reclaim"
                )
            )
            assert reason == "reclaimed: no won deal for 61 days since it was taken (rule: 60)"

    async def test_won_customers_may_be_left_out_of_the_cap(
        self, session, tenant, owner_client, client_for
    ) -> None:
        pool = await make_pool(session, tenant.id, holding_cap=2, cap_counts_won=False)
        rep = await create_user(session, tenant.id, role="sales")
        await use(session, tenant.id)
        held = [Customer(workspace_id=tenant.id, name=f"held {i}", owner_id=rep.id) for i in (1, 2)]
        session.add_all(held)
        targets = [await pool_customer(session, tenant.id, pool, name=f"t{i}") for i in (1, 2)]
        await session.commit()
        await _won_deal(owner_client, held[0].id)
        client = await client_for(rep)
        first = await client.post(f"/api/v1/customers/{targets[0].id}/claim")
        assert first.status_code == 200, first.text  # holds 2, one of them won: counts as 1
        second = await client.post(f"/api/v1/customers/{targets[1].id}/claim")
        assert_problem(second, 409, "holding_cap_reached")
        assert second.json()["owned"] == 2
