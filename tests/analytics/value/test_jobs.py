"""Recomputes on the real queue: a request enqueues in its transaction, a procrastinate
worker runs it; the nightly job scores a workspace once per local day, after 02:00."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
from sqlalchemy import func, select, text

from app.analytics.value import jobs, service
from app.analytics.value.schemas import RfmRunTrigger
from app.core.jobs import build_job_app, runtime
from app.models.customer import Customer
from app.models.customer_value import CustomerRfm, RfmRun
from app.models.orders import Order
from tests.contracts.helpers import at
from tests.factories import create_user, login_as, use


async def _run_worker_until_idle(settings, database_url) -> None:  # type: ignore[no-untyped-def]
    job_app = build_job_app(settings, database_url)
    async with job_app.open_async():
        await job_app.run_worker_async(
            wait=False, install_signal_handlers=False, queues=[service.QUEUE]
        )


async def test_a_queued_recompute_runs_on_the_worker(
    committed, settings, database_url, clock
) -> None:
    app, tenant, maker = committed
    runtime.sessionmaker = maker
    async with maker() as s, s.begin():
        admin = await create_user(s, tenant.id, role="admin")
        await use(s, tenant.id)
        buyer = Customer(workspace_id=tenant.id, name="买家 Buyer", owner_id=admin.id)
        s.add(buyer)
        await s.flush()
        for days_ago in (3, 40, 100, 200):
            s.add(
                Order(
                    workspace_id=tenant.id,
                    order_number=f"Q-{days_ago}",
                    customer_id=buyer.id,
                    channel="erp",
                    status="paid",
                    ordered_at=clock.now - timedelta(days=days_ago),
                    amount=Decimal("5000.00"),
                    currency="CNY",
                )
            )
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    try:
        async with maker() as s:
            await login_as(s, client, admin)
        first = await client.post("/api/v1/analytics/rfm/recompute")
        second = await client.post("/api/v1/analytics/rfm/recompute")
        assert first.status_code == second.status_code == 202
        # a second request while the first is still queued joins it
        assert second.json()["id"] == first.json()["id"]
        await _run_worker_until_idle(settings, database_url)
        run = (await client.get(f"/api/v1/analytics/rfm/runs/{first.json()['id']}")).json()
        assert (run["status"], run["customers"], run["changed"]) == ("succeeded", 1, 1)
        assert run["started_at"] is not None
        got = (await client.get(f"/api/v1/customers/{buyer.id}")).json()["rfm"]
        assert (got["score"], got["tier"]) == (84, "vip")
    finally:
        await client.aclose()
    async with maker() as s, s.begin():
        left = await s.scalar(
            text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = :t"),
            {"t": service.TASK},
        )
        assert left == 0  # finished jobs leave the table


async def test_nightly_scores_each_workspace_once_per_local_night(
    session, tenant, maker, clock
) -> None:
    await use(session, tenant.id)
    session.add(Customer(workspace_id=tenant.id, name="夜间 Nightly", owner_id=tenant.owner.id))
    await session.commit()
    runtime.sessionmaker = maker
    # 01:30 in Shanghai: not yet night time for the day
    before = datetime(2026, 6, 14, 17, 30, tzinfo=UTC)
    await use(session, tenant.id)
    assert await service.nightly_due(session, before) is False
    night = datetime(2026, 6, 14, 18, 17, tzinfo=UTC)  # 02:17 in Shanghai on 15 June
    clock.set(night)
    assert await service.nightly_due(session, night) is True
    run = await service.run_inline(session, tenant.id, RfmRunTrigger.nightly)
    assert (run.status, run.as_of) == ("succeeded", date(2026, 6, 15))
    await session.commit()
    await use(session, tenant.id)
    later = night + timedelta(hours=5)
    assert await service.nightly_due(session, later) is False
    # the next local day, after 02:00, it is due again
    assert await service.nightly_due(session, later + timedelta(days=1)) is True
    runs = await session.scalar(select(func.count()).select_from(RfmRun))
    assert runs == 1
    assert await session.scalar(select(func.count()).select_from(CustomerRfm)) == 0
    assert jobs.rfm_nightly is not None


async def test_a_failed_run_says_why_and_keeps_the_scores(world, maker, session) -> None:
    from tests.analytics.value.conftest import recompute

    await recompute(maker, session, world.tenant.id)
    await use(session, world.tenant.id)
    # settings stored behind the API's back that the SQL cannot apply
    bad = await session.get(type(world.tenant.workspace), world.tenant.id)
    assert bad is not None
    rfm = service.scoring.default_settings().model_dump(mode="json")
    rfm["tiers"] = rfm["tiers"][:1]  # scores below 80 have no tier: the insert refuses NULL
    bad.settings = {**bad.settings, "rfm": rfm}
    run = RfmRun(workspace_id=world.tenant.id, status="queued", trigger="manual")
    session.add(run)
    await session.commit()
    assert await service.execute_run(maker, world.tenant.id, run.id) == "failed"
    await use(session, world.tenant.id)
    await session.refresh(run)
    assert run.status == "failed"
    assert "tier" in (run.error or "")
    assert await session.scalar(select(func.count()).select_from(CustomerRfm)) == 6
    assert at(date(2026, 6, 15)) == run.finished_at
