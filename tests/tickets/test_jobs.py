"""The SLA watch on a controlled clock: one warning and one breach (notification to the
assignee and the team lead, one `ticket.sla_breached` event) per clock, never twice —
not when the job runs again, not when two runs overlap; paused clocks never breach."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import httpx
from sqlalchemy import func, select

from app.core.jobs import runtime
from app.models.customer import Notification
from app.models.event import Event
from app.tickets.jobs import run_all
from tests.contracts.helpers import Clock
from tests.factories import create_team, create_user, login_as, use
from tests.tickets.conftest import MONDAY_10, OFFICE, SH


async def _count(s, model, *where) -> int:  # type: ignore[no-untyped-def]
    return int(await s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_breach_job_notifies_once_per_breach(committed, monkeypatch) -> None:
    app, tenant, maker = committed
    runtime.sessionmaker = maker
    clock = Clock(monkeypatch, MONDAY_10)
    async with maker() as s, s.begin():
        team = await create_team(s, tenant.id, "Service")
        lead = await create_user(s, tenant.id, role="manager", team=team)
        agent = await create_user(s, tenant.id, role="service", team=team)
        lead.name, agent.name = "Lead", "Agent"
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    async with maker() as s:
        await login_as(s, client, tenant.owner)
    try:
        cal = (await client.post("/api/v1/business-calendars", json=OFFICE)).json()
        await client.post(
            "/api/v1/sla-policies",
            json={
                "name": "Standard",
                "calendar_id": cal["id"],
                "targets": {"urgent": {"first_response_minutes": 30, "resolution_minutes": 120}},
                "warning_minutes": 10,
            },
        )
        base = {"priority": "urgent", "requester_name": "Zhou", "team_id": str(team.id)}
        ticket = (
            await client.post(
                "/api/v1/tickets",
                json={**base, "subject": "Line down", "assignee_id": str(agent.id)},
            )
        ).json()
        waiting = (
            await client.post(
                "/api/v1/tickets",
                json={**base, "subject": "Waiting on customer", "assignee_id": str(agent.id)},
            )
        ).json()
        # the second ticket got a reply and waits on the customer: its clocks stand still
        await client.post(f"/api/v1/tickets/{waiting['id']}/comments", json={"body": "型号?"})
        r = await client.post(f"/api/v1/tickets/{waiting['id']}/status", json={"status": "pending"})
        assert r.status_code == 200, r.text

        # 10:21: the first response (due 10:30) is within its 10-minute warning
        warn = await run_all(MONDAY_10 + timedelta(minutes=21))
        assert (warn.warned, warn.breached) == (1, 0)
        assert (await run_all(MONDAY_10 + timedelta(minutes=22))).warned == 0

        # 10:31: breached; two overlapping runs and a third one flag it once
        late = MONDAY_10 + timedelta(minutes=31)
        first, second = await asyncio.gather(run_all(late), run_all(late))
        assert first.breached + second.breached == 1
        assert (await run_all(late + timedelta(minutes=5))).breached == 0

        # resolution: 120 working minutes from 10:00 → 12:00, just before lunch
        noon = datetime(2026, 11, 2, 11, 59, tzinfo=SH)
        assert (await run_all(noon)).breached == 0  # (its warning goes out)
        done = await run_all(datetime(2026, 11, 2, 12, 1, tzinfo=SH))
        assert done.breached == 1
        # the paused ticket is still not breached days later
        clock.set(datetime(2026, 11, 5, 12, tzinfo=SH))
        assert (await run_all(clock.now)).breached == 0

        async with maker() as s, s.begin():
            await use(s, tenant.id)
            events = (
                (await s.execute(select(Event.data).where(Event.type == "ticket.sla_breached")))
                .scalars()
                .all()
            )
            assert sorted(e["clock"] for e in events) == ["first_response", "resolution"]
            assert {e["id"] for e in events} == {ticket["id"]}
            for user in (agent, lead):
                kinds = sorted(
                    (
                        await s.execute(
                            select(Notification.kind).where(
                                Notification.user_id == user.id,
                                Notification.kind.like("ticket_sla%"),
                            )
                        )
                    )
                    .scalars()
                    .all()
                )
                # first response and resolution: one warning and one breach each
                assert kinds == [
                    "ticket_sla_breached",
                    "ticket_sla_breached",
                    "ticket_sla_warning",
                    "ticket_sla_warning",
                ], user.name
            assert await _count(s, Notification, Notification.user_id == tenant.owner.id) == 0
        shown = (await client.get(f"/api/v1/tickets/{ticket['id']}")).json()
        assert shown["first_response_breached"] is True
        assert shown["sla"]["first_response"]["state"] == "breached"
        assert shown["sla"]["first_response"]["remaining_seconds"] < 0
        breached = (await client.get("/api/v1/tickets?breached=true")).json()["data"]
        assert [t["id"] for t in breached] == [ticket["id"]]
    finally:
        await client.aclose()
