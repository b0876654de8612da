"""Edge cases found in review: clocks met while paused, calendars that cannot hold a
target, concurrent intake (numbers and round-robin turns), concurrent CSAT ratings, odd
public input."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import httpx
from sqlalchemy import func, select

from app.models.ticket import Ticket, TicketSurvey
from tests.auth.test_auth import assert_problem
from tests.factories import create_team, create_user, login_as, use
from tests.tickets.conftest import MONDAY_10, OFFICE, SH


async def _ticket(client, **body):  # type: ignore[no-untyped-def]
    payload = {"subject": "空调不制冷 AC not cooling", "requester_name": "李女士", **body}
    r = await client.post("/api/v1/tickets", json=payload)
    assert r.status_code == 201, r.text
    return r.json()


async def _status(client, ticket, status):  # type: ignore[no-untyped-def]
    r = await client.post(f"/api/v1/tickets/{ticket['id']}/status", json={"status": status})
    assert r.status_code == 200, r.text
    return r.json()


class TestMetWhilePaused:
    """A clock stands still while the ticket is pending: meeting it later is not late."""

    async def test_resolving_straight_from_pending_is_not_a_breach(self, desk, clock) -> None:
        # normal: resolution 960 working minutes from Monday 10:00 → due Wednesday 11:00
        t = await _ticket(desk.owner)
        clock.set(MONDAY_10 + timedelta(minutes=10))
        r = await desk.owner.post(f"/api/v1/tickets/{t['id']}/comments", json={"body": "收到"})
        assert r.status_code == 201, r.text
        clock.set(MONDAY_10 + timedelta(minutes=30))
        await _status(desk.owner, t, "pending")
        # the customer answers on Thursday and it is solved at once
        clock.set(datetime(2026, 11, 5, 10, tzinfo=SH))
        done = await _status(desk.owner, t, "resolved")
        assert done["resolution_breached"] is False
        assert done["sla"]["resolution"]["state"] == "met"

    async def test_first_reply_to_a_pending_ticket_is_in_time(self, desk, clock) -> None:
        # normal: first response 120 working minutes → due Monday 12:00
        t = await _ticket(desk.owner)
        clock.set(MONDAY_10 + timedelta(minutes=5))
        await _status(desk.owner, t, "pending")
        clock.set(datetime(2026, 11, 4, 15, tzinfo=SH))
        r = await desk.owner.post(f"/api/v1/tickets/{t['id']}/comments", json={"body": "您好"})
        assert r.status_code == 201, r.text
        shown = (await desk.owner.get(f"/api/v1/tickets/{t['id']}")).json()
        assert shown["first_response_breached"] is False
        assert shown["sla"]["first_response"]["state"] == "met"

    async def test_already_late_when_paused_stays_late(self, desk, clock) -> None:
        t = await _ticket(desk.owner)
        clock.set(datetime(2026, 11, 2, 14, tzinfo=SH))  # first response was due at 12:00
        await _status(desk.owner, t, "pending")
        clock.set(datetime(2026, 11, 3, 10, tzinfo=SH))
        await desk.owner.post(f"/api/v1/tickets/{t['id']}/comments", json={"body": "抱歉"})
        shown = (await desk.owner.get(f"/api/v1/tickets/{t['id']}")).json()
        assert shown["first_response_breached"] is True


class TestCalendarsThatCannotHoldATarget:
    async def test_sparse_calendar_and_long_target_is_refused(self, desk) -> None:
        minute_a_week = {
            "name": "One minute a week",
            "weekly_hours": [{"weekday": 1, "periods": [{"start": "09:00", "end": "09:01"}]}],
        }
        cal = await desk.owner.post("/api/v1/business-calendars", json=minute_a_week)
        assert cal.status_code == 201, cal.text
        policy = {
            "name": "Yearly",
            "calendar_id": cal.json()["id"],
            "targets": {"low": {"resolution_minutes": 525_600}},
        }
        r = await desk.owner.post("/api/v1/sla-policies", json=policy)
        assert_problem(r, 422, "invalid_calendar")
        assert r.json()["errors"][0]["field"] == "body.targets"
        # nothing was written
        listed = (await desk.owner.get("/api/v1/sla-policies")).json()["data"]
        assert [p["name"] for p in listed] == ["Standard"]
        # and an in-use calendar cannot be thinned out below its policies' targets
        r = await desk.owner.patch(
            f"/api/v1/business-calendars/{desk.calendar_id}",
            json={"weekly_hours": minute_a_week["weekly_hours"]},
        )
        assert_problem(r, 422, "invalid_calendar")
        kept = (await desk.owner.get(f"/api/v1/business-calendars/{desk.calendar_id}")).json()
        assert len(kept["weekly_hours"]) == 5
        # the preview answers 422, quickly, instead of walking for seconds
        r = await desk.owner.get(
            f"/api/v1/business-calendars/{cal.json()['id']}/preview?minutes=525600"
        )
        assert r.status_code == 422, r.text

    async def test_calendar_without_working_hours_is_refused(self, desk) -> None:
        r = await desk.owner.post(
            "/api/v1/business-calendars",
            json={"name": "Never", "weekly_hours": [{"weekday": 1, "periods": []}]},
        )
        assert_problem(r, 422, "invalid_calendar")


async def _desk_on_real_sessions(app, tenant, maker):  # type: ignore[no-untyped-def]
    async with maker() as s, s.begin():
        team = await create_team(s, tenant.id, "售后 After-sales")
        agents = [await create_user(s, tenant.id, role="service", team=team) for _ in range(3)]
        for n, agent in enumerate(agents):
            agent.name = f"Agent {n}"
    owner = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    async with maker() as s:
        await login_as(s, owner, tenant.owner)
    cal = await owner.post("/api/v1/business-calendars", json=OFFICE)
    assert cal.status_code == 201, cal.text
    r = await owner.post(
        "/api/v1/ticket-routing-rules",
        json={"name": "All", "team_id": str(team.id), "strategy": "round_robin"},
    )
    assert r.status_code == 201, r.text
    return owner, agents


def _anon(app, n: int) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app, client=(f"10.9.{n // 200}.{n % 200 + 1}", 1234))
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def test_concurrent_intake_numbers_and_round_robin(committed) -> None:
    """Twelve public submissions at once: twelve distinct consecutive numbers, and the
    three agents take turns exactly (four each), as if they had come one by one."""
    app, tenant, maker = committed
    owner, agents = await _desk_on_real_sessions(app, tenant, maker)
    clients = [_anon(app, n) for n in range(12)]
    try:
        form = (await owner.post("/api/v1/ticket-forms", json={"name": "Web"})).json()
        url = f"/api/v1/public/forms/{form['token']}/tickets"
        answers = await asyncio.gather(
            *(
                c.post(url, json={"name": f"客户{n}", "subject": f"#{n}"})
                for n, c in enumerate(clients)
            )
        )
        assert [a.status_code for a in answers] == [202] * 12, [a.text for a in answers]
        numbers = sorted(a.json()["number"] for a in answers)
        assert numbers == [f"GD-{n:06d}" for n in range(1, 13)]
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            per_agent = dict(
                (
                    await s.execute(
                        select(Ticket.assignee_id, func.count()).group_by(Ticket.assignee_id)
                    )
                ).all()
            )
            assert per_agent == {a.id: 4 for a in agents}
            # in number order the turns go round: 0, 1, 2, 0, 1, 2, ...
            order = (
                (await s.execute(select(Ticket.assignee_id).order_by(Ticket.number)))
                .scalars()
                .all()
            )
            assert order == [agents[n % 3].id for n in range(12)]
    finally:
        await owner.aclose()
        for c in clients:
            await c.aclose()


async def test_concurrent_ratings_use_the_link_once(committed, monkeypatch) -> None:
    from tests.contracts.helpers import Clock

    Clock(monkeypatch, MONDAY_10)
    app, tenant, maker = committed
    owner, _ = await _desk_on_real_sessions(app, tenant, maker)
    clients = [_anon(app, 100 + n) for n in range(4)]
    try:
        t = await _ticket(owner)
        token = (await _status(owner, t, "resolved"))["csat"]["token"]
        # ≥ 128 random bits, URL-safe
        assert len(token) >= 32
        answers = await asyncio.gather(
            *(
                c.post(f"/api/v1/public/csat/{token}", json={"rating": n + 1})
                for n, c in enumerate(clients)
            )
        )
        codes = sorted(a.status_code for a in answers)
        assert codes == [200, 409, 409, 409], [a.text for a in answers]
        winner = next(a.json() for a in answers if a.status_code == 200)
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            survey = (await s.execute(select(TicketSurvey))).scalar_one()
            assert survey.rating == winner["rating"]
    finally:
        await owner.aclose()
        for c in clients:
            await c.aclose()


class TestOddPublicInput:
    async def test_no_500_on_odd_tokens_and_bodies(self, desk, anon) -> None:
        form = (await desk.owner.post("/api/v1/ticket-forms", json={"name": "Web"})).json()
        url = f"/api/v1/public/forms/{form['token']}/tickets"
        for token in ("%00", "a%00b", "x" * 5000, "%FF%FE", "..%2F..%2Fetc", "' OR 1=1 --"):
            for path in (f"/api/v1/public/forms/{token}/tickets", f"/api/v1/public/csat/{token}"):
                r = await anon.post(path, json={"name": "x", "subject": "y", "rating": 5})
                # (an encoded slash splits the path: 405 from the router)
                assert r.status_code in (404, 405, 422), (path, r.status_code, r.text)
            r = await anon.get(f"/api/v1/public/csat/{token}")
            assert r.status_code in (404, 405, 422), (token, r.status_code, r.text)
        bodies = [
            [],
            "text",
            {"name": "x"},
            {"name": "x", "subject": "y", "email": "not-an-email"},
            {"name": "x", "subject": "y" * 201},
            {"name": "x", "subject": "y", "description": "z" * 5001},
            {"name": "x\u0000", "subject": "y"},
            {"name": "x", "subject": "y", "extra": 1},
            {"name": "x", "subject": "y", "website": "w" * 201},
        ]
        for body in bodies:
            r = await anon.post(url, json=body)
            assert_problem(r, 422, "validation_error")
        r = await anon.post(url, content=b"{not json", headers={"content-type": "application/json"})
        assert_problem(r, 400, "malformed_json")
        # none of it made a ticket
        assert (await desk.owner.get("/api/v1/tickets")).json()["data"] == []
