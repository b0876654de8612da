"""Concurrency over real HTTP: a `rapport serve` with two worker processes (tests/reliability/
server.py, production settings, no job worker) on the test database, real parallel
requests from many connections, and the invariants checked in the database afterwards.

The in-process suites (tests/pools, tests/integrations/test_upsert.py, tests/core/
test_conventions.py, tests/receivables/test_payments.py, tests/leads, tests/tickets/
test_hardening.py) race requests inside one event loop; here two server processes take
them at once, each on its own connections, as in production:

- pool claims: one customer claimed by many reps at once has one owner and one claim in
  the ledger; a holding cap holds when a rep claims many customers at once;
- upserts on one external id: one row, created once;
- idempotency keys: the same key sent at once creates one customer, one audit entry and
  one event, and every success answers with that customer;
- payment allocation: parallel payments never allocate beyond the plan, and every
  allocated amount is the sum of its allocations;
- round-robin: parallel lead creations and ticket creations take turns exactly (per
  user counts), and ticket numbers stay distinct and consecutive.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from app.models.audit import AuditEntry
from app.models.customer import Customer, OwnershipChange
from app.models.event import Event
from app.models.lead import Lead
from app.models.pool import Pool
from app.models.receivables import Installment, Payment, PaymentAllocation
from app.models.ticket import Ticket, TicketCounter
from tests.contracts.helpers import make_contract, make_customer
from tests.factories import create_api_key, create_team, create_user, login_as, use
from tests.reliability.server import Server

API = "/api/v1"


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log: Path = tmp_path_factory.mktemp("live") / "server.log"
    live = Server(
        database_url,
        log,
        env={
            "RAPPORT_WORKERS": "2",
            # the test database holds other tests' jobs: none of them is this server's
            "RAPPORT_IN_PROCESS_WORKER": "false",
            "RAPPORT_LOG_LEVEL": "warning",
        },
    )
    live.start()
    yield live
    live.stop()


@pytest.fixture
async def clients(server: Server) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Clients the test signs in; closed afterwards."""
    made: list[httpx.AsyncClient] = []
    yield made
    for client in made:
        await client.aclose()


async def _client(server, clients, maker, user) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    client = httpx.AsyncClient(
        base_url=server.base_url,
        timeout=60,
        limits=httpx.Limits(max_connections=64, max_keepalive_connections=64),
    )
    clients.append(client)
    async with maker() as s:
        await login_as(s, client, user)
    return client


async def test_pool_claims(server, clients, committed) -> None:  # type: ignore[no-untyped-def]
    _, tenant, maker = committed
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        pool = Pool(
            workspace_id=tenant.id,
            name="公海",
            is_default=True,
            rules={"holding_cap": 3, "daily_claim_limit": 100},
        )
        s.add(pool)
        await s.flush()
        contested = Customer(workspace_id=tenant.id, name="抢手客户", pool_id=pool.id)
        spread = [
            Customer(workspace_id=tenant.id, name=f"公海客户{n}", pool_id=pool.id)
            for n in range(10)
        ]
        s.add_all([contested, *spread])
        reps = [await create_user(s, tenant.id, role="sales") for _ in range(6)]
        collector = await create_user(s, tenant.id, role="sales")
    rep_clients = [await _client(server, clients, maker, r) for r in reps]
    collector_client = await _client(server, clients, maker, collector)

    results = await asyncio.gather(
        *(c.post(f"{API}/customers/{contested.id}/claim") for c in rep_clients for _ in range(5))
    )
    codes = Counter(r.status_code for r in results)
    assert codes == {200: 1, 409: 29}, [r.text for r in results if r.status_code >= 500][:2]
    refusals = {r.json()["code"] for r in results if r.status_code == 409}
    assert refusals <= {"already_claimed", "already_yours"}
    winner = next(r.json()["owner_id"] for r in results if r.status_code == 200)

    # another rep claims ten customers at once under a holding cap of three
    taken = await asyncio.gather(
        *(collector_client.post(f"{API}/customers/{c.id}/claim") for c in spread)
    )
    assert Counter(r.status_code for r in taken) == {200: 3, 409: 7}
    assert {r.json()["code"] for r in taken if r.status_code == 409} == {"holding_cap_reached"}

    async with maker() as s, s.begin():
        await use(s, tenant.id)
        owner = await s.scalar(select(Customer.owner_id).where(Customer.id == contested.id))
        assert str(owner) == winner
        claims = await s.scalar(
            select(func.count())
            .select_from(OwnershipChange)
            .where(OwnershipChange.customer_id == contested.id, OwnershipChange.kind == "claim")
        )
        assert claims == 1
        owned = await s.scalar(
            select(func.count()).select_from(Customer).where(Customer.owner_id == collector.id)
        )
        assert owned == 3
        ledger = await s.scalar(
            select(func.count())
            .select_from(OwnershipChange)
            .where(OwnershipChange.to_user_id == collector.id, OwnershipChange.kind == "claim")
        )
        assert ledger == 3


async def test_upserts_on_one_external_id(server, committed) -> None:  # type: ignore[no-untyped-def]
    _, tenant, maker = committed
    async with maker() as s:
        key = await create_api_key(s, tenant.owner, ["*"])
    url = f"{API}/customers/by-external-id/erp/LIVE-RACE-1"
    async with httpx.AsyncClient(
        base_url=server.base_url,
        timeout=60,
        headers={"Authorization": f"Bearer {key}"},
        limits=httpx.Limits(max_connections=64),
    ) as client:
        results = await asyncio.gather(
            *(client.put(url, json={"name": "并发客户", "city": f"城市{n}"}) for n in range(40))
        )
    assert Counter(r.status_code for r in results) == {201: 1, 200: 39}, [
        r.text for r in results if r.status_code not in (200, 201)
    ][:2]
    ids = {r.json()["id"] for r in results}
    assert len(ids) == 1
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        rows = (
            (await s.execute(select(Customer).where(Customer.external_id == "LIVE-RACE-1")))
            .scalars()
            .all()
        )
        assert [str(c.id) for c in rows] == list(ids)
        assert rows[0].city in {f"城市{n}" for n in range(40)}
        created = await s.scalar(
            select(func.count())
            .select_from(OwnershipChange)
            .where(OwnershipChange.customer_id == rows[0].id, OwnershipChange.kind == "create")
        )
        assert created == 1


async def test_idempotency_key(server, clients, committed) -> None:  # type: ignore[no-untyped-def]
    _, tenant, maker = committed
    client = await _client(server, clients, maker, tenant.owner)
    key = f"live-{uuid.uuid4()}"
    results = await asyncio.gather(
        *(
            client.post(
                f"{API}/customers",
                json={"name": "幂等科技有限公司", "phones": ["13912345678"]},
                headers={"Idempotency-Key": key},
            )
            for _ in range(20)
        )
    )
    codes = Counter(r.status_code for r in results)
    assert set(codes) <= {201, 409}, [r.text for r in results][:2]
    assert codes[201] >= 1
    assert {r.json()["code"] for r in results if r.status_code == 409} <= {"idempotency_in_flight"}
    ids = {r.json()["id"] for r in results if r.status_code == 201}
    assert len(ids) == 1
    customer_id = uuid.UUID(ids.pop())
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        assert (
            await s.scalar(
                select(func.count())
                .select_from(Customer)
                .where(Customer.name == "幂等科技有限公司")
            )
            == 1
        )
        audits = await s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity_id == customer_id, AuditEntry.action == "created")
        )
        events = await s.scalar(
            select(func.count())
            .select_from(Event)
            .where(Event.entity_id == customer_id, Event.type == "customer.created")
        )
        assert (audits, events) == (1, 1)


async def test_payment_allocation(server, clients, committed) -> None:  # type: ignore[no-untyped-def]
    _, tenant, maker = committed
    async with maker() as s, s.begin():
        customer = await make_customer(s, tenant.id, tenant.owner)
        contract = await make_contract(
            s,
            customer,
            tenant.owner,
            "1000.00",
            plan=[(date(2026, 1, 31), "300.00"), (date(2026, 2, 28), "700.00")],
        )
    client = await _client(server, clients, maker, tenant.owner)
    body = {
        "contract_id": str(contract.id),
        "amount": "75.00",
        "currency": "CNY",
        "method": "bank_transfer",
        "received_on": "2026-03-15",
    }
    results = await asyncio.gather(*(client.post(f"{API}/payments", json=body) for _ in range(20)))
    # 13 × 75.00 = 975.00 fits the plan of 1,000.00; a 14th would not
    assert Counter(r.status_code for r in results) == {201: 13, 409: 7}, [
        r.text for r in results if r.status_code >= 500
    ][:2]
    assert {r.json()["code"] for r in results if r.status_code == 409} == {"exceeds_outstanding"}
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        plan = (
            await s.execute(
                select(Installment.id, Installment.amount, Installment.allocated_amount).where(
                    Installment.contract_id == contract.id
                )
            )
        ).all()
        by_installment = dict(
            (
                await s.execute(
                    select(PaymentAllocation.installment_id, func.sum(PaymentAllocation.amount))
                    .where(PaymentAllocation.installment_id.in_([p.id for p in plan]))
                    .group_by(PaymentAllocation.installment_id)
                )
            ).all()
        )
        for installment_id, amount, allocated in plan:
            assert allocated == by_installment.get(installment_id, Decimal(0))
            assert allocated <= amount
        assert sum(p.allocated_amount for p in plan) == Decimal("975.00")
        payments = (
            await s.execute(
                select(Payment.id, Payment.amount, Payment.allocated_amount).where(
                    Payment.contract_id == contract.id
                )
            )
        ).all()
        assert len(payments) == 13
        by_payment = dict(
            (
                await s.execute(
                    select(PaymentAllocation.payment_id, func.sum(PaymentAllocation.amount))
                    .where(PaymentAllocation.payment_id.in_([p.id for p in payments]))
                    .group_by(PaymentAllocation.payment_id)
                )
            ).all()
        )
        assert all(p.allocated_amount == p.amount == by_payment[p.id] for p in payments)


async def test_round_robin(server, clients, committed) -> None:  # type: ignore[no-untyped-def]
    _, tenant, maker = committed
    async with maker() as s, s.begin():
        reps = [await create_user(s, tenant.id, role="sales") for _ in range(4)]
        team = await create_team(s, tenant.id, "售后 After-sales")
        agents = [await create_user(s, tenant.id, role="service", team=team) for _ in range(3)]
    client = await _client(server, clients, maker, tenant.owner)
    rule = await client.post(
        f"{API}/assignment-rules",
        json={"name": "fair", "strategy": "round_robin", "user_ids": [str(u.id) for u in reps]},
    )
    assert rule.status_code == 201, rule.text
    routing = await client.post(
        f"{API}/ticket-routing-rules",
        json={"name": "All", "team_id": str(team.id), "strategy": "round_robin"},
    )
    assert routing.status_code == 201, routing.text

    leads, tickets = await asyncio.gather(
        asyncio.gather(
            *(client.post(f"{API}/leads", json={"name": f"线索{n}"}) for n in range(40))
        ),
        asyncio.gather(
            *(
                client.post(
                    f"{API}/tickets", json={"subject": f"报修 #{n}", "requester_name": "李女士"}
                )
                for n in range(12)
            )
        ),
    )
    assert [r.status_code for r in leads] == [201] * 40, [r.text for r in leads][:2]
    assert [r.status_code for r in tickets] == [201] * 12, [r.text for r in tickets][:2]
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        per_rep = dict(
            (await s.execute(select(Lead.owner_id, func.count()).group_by(Lead.owner_id))).all()
        )
        assert per_rep == {r.id: 10 for r in reps}
        per_agent = dict(
            (
                await s.execute(
                    select(Ticket.assignee_id, func.count()).group_by(Ticket.assignee_id)
                )
            ).all()
        )
        assert per_agent == {a.id: 4 for a in agents}
        numbers = sorted((await s.execute(select(Ticket.number))).scalars().all())
        assert numbers == [f"GD-{n:06d}" for n in range(1, 13)]
        assert await s.scalar(select(TicketCounter.value)) == 12
