"""Tickets: numbering, routing, SLA clocks on business hours, pending pauses, comments,
status life cycle, queues, scope, public intake, CSAT and return visits, reports."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.customers.normalize import normalize_phones
from app.models.customer import Activity, Contact, Customer, Notification, Task
from app.models.event import Event
from app.models.ticket import Ticket, TicketStatusChange
from tests.auth.test_auth import assert_problem
from tests.factories import create_api_key, create_user, use
from tests.tickets.conftest import MONDAY_10, SH


async def _ticket(client, **body):  # type: ignore[no-untyped-def]
    payload = {"subject": "打印机卡纸 Printer jams", "requester_name": "王先生", **body}
    r = await client.post("/api/v1/tickets", json=payload)
    assert r.status_code == 201, r.text
    return r.json()


async def _status(client, ticket, status, **extra):  # type: ignore[no-untyped-def]
    return await client.post(
        f"/api/v1/tickets/{ticket['id']}/status", json={"status": status, **extra}
    )


class TestCreateAndRoute:
    async def test_numbers_routing_and_sla_due_in_office_hours(self, desk) -> None:
        a, b = desk.agents
        tickets = [await _ticket(desk.owner, priority="high") for _ in range(4)]
        assert [t["number"] for t in tickets] == [f"GD-{n:06d}" for n in range(1, 5)]
        assert [t["assignee_id"] for t in tickets] == [
            str(a.id),
            str(b.id),
            str(desk.lead.id),
            str(a.id),
        ]
        assert {t["team_id"] for t in tickets} == {str(desk.team.id)}
        assert (
            tickets[3]["assignment_note"] == "rule 'All to service', round-robin, next after Lead L"
        )
        first = tickets[0]
        # Monday 10:00 + 60 working minutes → 11:00; + 480 → 10:00 + 2 h (to 12:00) + 4.5 h
        # (13:30–18:00) + 1.5 h Tuesday → Tuesday 10:30
        assert datetime.fromisoformat(first["first_response_due_at"]) == MONDAY_10 + timedelta(
            hours=1
        )
        assert datetime.fromisoformat(first["resolution_due_at"]) == datetime(
            2026, 11, 3, 10, 30, tzinfo=SH
        )
        sla = first["sla"]
        assert sla["policy_id"] == desk.policy_id
        assert sla["first_response"]["state"] == "running"
        assert sla["first_response"]["remaining_seconds"] == 3600
        assert first["status"] == "new"
        assert set(first["allowed_statuses"]) == {"open", "pending", "resolved", "closed"}

    async def test_least_loaded_skips_inactive_and_full_agents(self, session, tenant, desk) -> None:
        a, b = desk.agents
        inactive = await create_user(
            session, tenant.id, role="service", team=desk.team, active=False
        )
        assert inactive
        await session.commit()
        rules = (await desk.owner.get("/api/v1/ticket-routing-rules")).json()["data"]
        r = await desk.owner.patch(
            f"/api/v1/ticket-routing-rules/{rules[0]['id']}",
            json={"strategy": "least_loaded", "capacity": 1},
        )
        assert r.status_code == 200, r.text
        got = [(await _ticket(desk.owner))["assignee_id"] for _ in range(4)]
        assert sorted(got[:3]) == sorted([str(a.id), str(b.id), str(desk.lead.id)])
        assert got[3] is None  # everyone holds one open ticket: the team queue
        last = (await desk.owner.get("/api/v1/tickets?queue=unassigned")).json()["data"]
        assert len(last) == 1
        assert "at capacity" in last[0]["assignment_note"]

    async def test_rules_match_channel_type_and_level(self, session, tenant, desk) -> None:
        from tests.factories import create_team

        vip_team = await create_team(session, tenant.id, "VIP desk")
        vip_agent = await create_user(session, tenant.id, role="service", team=vip_team)
        await use(session, tenant.id)
        vip = Customer(workspace_id=tenant.id, name="腾飞集团", level="A", owner_id=tenant.owner.id)
        session.add(vip)
        await session.commit()
        r = await desk.owner.post(
            "/api/v1/ticket-routing-rules",
            json={
                "name": "VIP complaints",
                "position": 0,
                "team_id": str(vip_team.id),
                "strategy": "round_robin",
                "conditions": {"types": ["complaint"], "customer_levels": ["A"]},
            },
        )
        assert r.status_code == 201
        rules = (await desk.owner.get("/api/v1/ticket-routing-rules")).json()["data"]
        general = next(r for r in rules if r["name"] == "All to service")
        await desk.owner.patch(
            f"/api/v1/ticket-routing-rules/{general['id']}", json={"position": 5}
        )
        hit = await _ticket(desk.owner, customer_id=str(vip.id), type="complaint")
        assert (hit["team_id"], hit["assignee_id"]) == (str(vip_team.id), str(vip_agent.id))
        assert hit["customer_name"] == "腾飞集团"
        miss = await _ticket(desk.owner, customer_id=str(vip.id), type="question")
        assert miss["team_id"] == str(desk.team.id)

    async def test_bad_input_is_refused_and_writes_nothing(self, session, tenant, desk) -> None:
        assert_problem(
            await desk.owner.post("/api/v1/tickets", json={"subject": "who?"}),
            422,
            "validation_error",
        )
        assert_problem(
            await desk.owner.post(
                "/api/v1/tickets", json={"subject": "x", "requester_name": "x", "type": "nope"}
            ),
            422,
            "invalid_ticket_type",
        )
        assert_problem(
            await desk.owner.post(
                "/api/v1/tickets",
                json={"subject": "x", "customer_id": "00000000-0000-0000-0000-000000000001"},
            ),
            422,
            "invalid_reference",
        )
        assert_problem(
            await desk.owner.post(
                "/api/v1/tickets",
                json={"subject": "x", "requester_name": "x", "priority": "asap"},
            ),
            422,
            "validation_error",
        )
        await use(session, tenant.id)
        assert await session.scalar(select(func.count()).select_from(Ticket)) == 0


class TestLifeCycle:
    async def test_first_public_reply_meets_first_response(self, desk, clock) -> None:
        t = await _ticket(desk.owner)
        note = await desk.owner.post(
            f"/api/v1/tickets/{t['id']}/comments",
            json={"body": "查了日志", "visibility": "internal"},
        )
        assert note.status_code == 201
        after_note = (await desk.owner.get(f"/api/v1/tickets/{t['id']}")).json()
        assert after_note["first_responded_at"] is None
        clock.set(MONDAY_10 + timedelta(minutes=20))
        reply = await desk.owner.post(
            f"/api/v1/tickets/{t['id']}/comments", json={"body": "您好，我们已收到。"}
        )
        assert reply.status_code == 201, reply.text
        got = (await desk.owner.get(f"/api/v1/tickets/{t['id']}")).json()
        assert got["status"] == "open"
        assert got["sla"]["first_response"]["state"] == "met"
        assert got["first_response_breached"] is False
        comments = (await desk.owner.get(f"/api/v1/tickets/{t['id']}/comments")).json()["data"]
        assert [c["visibility"] for c in comments] == ["internal", "public"]
        public = (
            await desk.owner.get(f"/api/v1/tickets/{t['id']}/comments?visibility=public")
        ).json()["data"]
        assert len(public) == 1

    async def test_pending_pauses_the_clock_and_moves_due(self, desk, clock) -> None:
        t = await _ticket(desk.owner, priority="urgent")  # resolution 240 working minutes
        due = datetime.fromisoformat(t["resolution_due_at"])
        assert due == datetime(2026, 11, 2, 15, 30, tzinfo=SH)  # 10:00 +2 h, lunch, +2 h
        clock.set(MONDAY_10 + timedelta(hours=1))
        await desk.owner.post(f"/api/v1/tickets/{t['id']}/comments", json={"body": "请提供型号"})
        r = await _status(desk.owner, t, "pending", note="waiting for the model number")
        assert r.status_code == 200, r.text
        paused = r.json()
        assert paused["sla"]["paused"] is True
        assert paused["sla"]["resolution"]["state"] == "paused"
        assert paused["sla"]["resolution"]["remaining_seconds"] == 3 * 3600
        # the customer answers on Tuesday at 09:30: Monday 11:00–18:00 (5.5 h) and Tuesday
        # 09:00–09:30 (0.5 h) do not count
        clock.set(datetime(2026, 11, 3, 9, 30, tzinfo=SH))
        paused_view = (await desk.owner.get(f"/api/v1/tickets/{t['id']}")).json()
        assert paused_view["sla"]["resolution"]["remaining_seconds"] == 3 * 3600
        resumed = (await _status(desk.owner, t, "open")).json()
        assert resumed["sla"]["paused_seconds"] == 6 * 3600
        # 3 working hours from Tuesday 09:30 → 09:30–12:00 (2.5 h) + 13:30–14:00
        assert datetime.fromisoformat(resumed["resolution_due_at"]) == datetime(
            2026, 11, 3, 14, 0, tzinfo=SH
        )
        history = (await desk.owner.get(f"/api/v1/tickets/{t['id']}/history")).json()
        assert [(h["from_status"], h["to_status"]) for h in history] == [
            (None, "new"),
            ("new", "open"),
            ("open", "pending"),
            ("pending", "open"),
        ]
        assert history[2]["note"] == "waiting for the model number"

    async def test_resolve_late_marks_breach_once_and_reopen_window(self, desk, clock) -> None:
        t = await _ticket(desk.owner, priority="urgent")
        clock.set(datetime(2026, 11, 2, 16, 0, tzinfo=SH))  # past 15:30
        resolved = (await _status(desk.owner, t, "resolved")).json()
        assert resolved["resolution_breached"] is True
        assert resolved["first_response_breached"] is True  # nobody replied in 30 minutes
        assert resolved["sla"]["resolution"]["state"] == "breached"
        assert resolved["csat"]["rating"] is None
        assert resolved["reopen_until"] is not None
        assert_problem(await _status(desk.owner, t, "pending"), 409, "ticket_state")
        reopened = (await _status(desk.owner, t, "open")).json()
        assert reopened["reopened_count"] == 1
        assert reopened["resolution_breached"] is True  # a breach stays a breach
        await _status(desk.owner, t, "resolved")
        closed = (await _status(desk.owner, t, "closed")).json()
        assert closed["allowed_statuses"] == ["open"]
        clock.set(datetime(2026, 11, 20, tzinfo=SH))
        assert_problem(await _status(desk.owner, t, "open"), 409, "reopen_window_passed")
        after = (await desk.owner.get(f"/api/v1/tickets/{t['id']}")).json()
        assert after["allowed_statuses"] == []

    async def test_priority_change_takes_new_targets(self, desk) -> None:
        t = await _ticket(desk.owner)  # normal: first response 120
        assert t["sla"]["first_response"]["target_minutes"] == 120
        r = await desk.owner.patch(f"/api/v1/tickets/{t['id']}", json={"priority": "urgent"})
        assert r.status_code == 200, r.text
        assert r.json()["sla"]["first_response"]["target_minutes"] == 30
        assert datetime.fromisoformat(r.json()["first_response_due_at"]) == MONDAY_10 + timedelta(
            minutes=30
        )
        low = await desk.owner.patch(f"/api/v1/tickets/{t['id']}", json={"priority": "low"})
        assert low.json()["sla"]["first_response"]["state"] == "none"


class TestQueuesAndScope:
    async def test_queues(self, desk, client_for, clock) -> None:
        a = desk.agents[0]
        agent = await client_for(a)
        mine = await _ticket(desk.owner)  # → A
        other = await _ticket(desk.owner)  # → B
        unassigned = await _ticket(desk.owner, assignee_id=None, team_id=str(desk.team.id))
        urgent = await _ticket(desk.owner, priority="urgent")  # → Lead
        assert mine["assignee_id"] == str(a.id)

        async def ids(client, query):  # type: ignore[no-untyped-def]
            r = await client.get(f"/api/v1/tickets?{query}")
            assert r.status_code == 200, r.text
            return {t["id"] for t in r.json()["data"]}

        assert await ids(agent, "queue=mine") == {mine["id"]}
        assert await ids(agent, "queue=team") == {
            mine["id"],
            other["id"],
            unassigned["id"],
            urgent["id"],
        }
        assert await ids(agent, "queue=unassigned") == {unassigned["id"]}
        clock.set(MONDAY_10 + timedelta(minutes=20))  # urgent warns 15 min before 10:30
        assert await ids(agent, "queue=breaching") == {urgent["id"]}
        assert await ids(agent, "priority=urgent&sort=-priority") == {urgent["id"]}
        # taking an unassigned ticket from the team queue
        took = await agent.post(
            f"/api/v1/tickets/{unassigned['id']}/assign", json={"assignee_id": str(a.id)}
        )
        assert took.status_code == 200, took.text
        assert took.json()["assignment_note"] == "taken from the queue"
        assert_problem(
            await agent.post(
                f"/api/v1/tickets/{other['id']}/assign", json={"assignee_id": str(a.id)}
            ),
            403,
            "forbidden",
        )
        dash = (await agent.get("/api/v1/tickets/dashboard")).json()
        assert dash["mine_open"] == 2
        assert dash["open_by_priority"]["urgent"] == 1
        assert dash["breaching_soon"] == 1

    async def test_other_teams_and_sales_do_not_see_the_queue(
        self, session, tenant, desk, client_for
    ) -> None:
        t = await _ticket(desk.owner)
        outsider = await create_user(session, tenant.id, role="service")
        rep = await create_user(session, tenant.id, role="sales")
        await session.commit()
        for user in (outsider, rep):
            client = await client_for(user)
            assert_problem(await client.get(f"/api/v1/tickets/{t['id']}"), 404, "not_found")
            assert (await client.get("/api/v1/tickets")).json()["data"] == []


class TestPublicIntakeAndCsat:
    async def test_form_matches_customer_and_honeypot_and_limits(
        self, session, tenant, desk, anon
    ) -> None:
        await use(session, tenant.id)
        customer = Customer(
            workspace_id=tenant.id, name="Redwood Apparel LLC", owner_id=tenant.owner.id
        )
        session.add(customer)
        await session.flush()
        session.add(
            Contact(
                workspace_id=tenant.id,
                customer_id=customer.id,
                name="Chris Taylor",
                phones=["+86 138 0574 0001"],
                phones_normalized=normalize_phones(["+86 138 0574 0001"]),
            )
        )
        await session.commit()
        form = (
            await desk.owner.post(
                "/api/v1/ticket-forms", json={"name": "官网报修 Repair form", "type": "repair"}
            )
        ).json()
        url = f"/api/v1/public/forms/{form['token']}/tickets"
        r = await anon.post(
            url,
            json={"name": "Chris", "phone": "138-0574-0001", "subject": "Zipper machine broken"},
        )
        assert r.status_code == 202, r.text
        number = r.json()["number"]
        listed = (await desk.owner.get("/api/v1/tickets?channel=web_form")).json()["data"]
        assert [t["number"] for t in listed] == [number]
        assert listed[0]["customer_id"] == str(customer.id)
        assert listed[0]["contact_id"] is not None
        assert listed[0]["type"] == "repair"
        assert listed[0]["assignee_id"] is not None  # routed
        assert listed[0]["created_by"] is None
        spam = await anon.post(url, json={"name": "bot", "subject": "buy", "website": "http://x"})
        assert spam.status_code == 202
        assert spam.json()["number"] is None
        unknown = (
            await anon.post(
                url, json={"name": "新客户", "email": "new@example.com", "subject": "?"}
            )
        ).json()
        got = (await desk.owner.get(f"/api/v1/tickets?q={unknown['number']}")).json()["data"][0]
        assert (got["customer_id"], got["requester_email"]) == (None, "new@example.com")
        assert_problem(
            await anon.post(
                "/api/v1/public/forms/nope/tickets", json={"name": "x", "subject": "y"}
            ),
            404,
            "form_not_found",
        )
        for _ in range(10):
            last = await anon.post(url, json={"name": "x", "subject": "flood", "website": "x"})
        assert_problem(last, 429, "rate_limited")

    async def test_csat_link_single_use_and_expiry_and_report(self, desk, anon, clock) -> None:
        a, _ = desk.agents
        t = await _ticket(desk.owner)
        resolved = (await _status(desk.owner, t, "resolved")).json()
        token = resolved["csat"]["token"]
        page = await anon.get(f"/api/v1/public/csat/{token}")
        assert page.status_code == 200, page.text
        assert page.json()["state"] == "open"
        assert page.json()["ticket_number"] == t["number"]
        rated = await anon.post(f"/api/v1/public/csat/{token}", json={"rating": 4, "comment": "快"})
        assert rated.status_code == 200, rated.text
        assert rated.json()["state"] == "rated"
        assert_problem(
            await anon.post(f"/api/v1/public/csat/{token}", json={"rating": 1}),
            409,
            "csat_already_rated",
        )
        assert_problem(await anon.get("/api/v1/public/csat/unknown"), 404, "csat_not_found")
        second = await _ticket(desk.owner)
        token2 = (await _status(desk.owner, second, "resolved")).json()["csat"]["token"]
        clock.set(MONDAY_10 + timedelta(days=8))
        assert_problem(
            await anon.post(f"/api/v1/public/csat/{token2}", json={"rating": 5}),
            410,
            "csat_expired",
        )
        report = (await desk.owner.get("/api/v1/tickets/reports/csat?group_by=assignee")).json()
        assert report == [
            {
                "group": str(a.id),
                "period_start": None,
                "responses": 1,
                "average": 4.0,
                "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0},
            }
        ]
        ticket = (await desk.owner.get(f"/api/v1/tickets/{t['id']}")).json()
        assert ticket["csat"]["rating"] == 4

    async def test_return_visit_task_activity_and_timeline(
        self, session, tenant, desk, clock, anon
    ) -> None:
        await use(session, tenant.id)
        customer = Customer(workspace_id=tenant.id, name="宁波甬江电器", owner_id=tenant.owner.id)
        session.add(customer)
        await session.commit()
        t = await _ticket(desk.owner, customer_id=str(customer.id))
        visit_at = (MONDAY_10 + timedelta(days=3)).isoformat()
        resolved = await _status(desk.owner, t, "resolved", return_visit_at=visit_at)
        assert resolved.status_code == 200, resolved.text
        task_id = resolved.json()["return_visit_task_id"]
        assert task_id
        r = await desk.owner.post(
            f"/api/v1/tickets/{t['id']}/return-visit",
            json={"content": "客户表示满意", "satisfaction": 5},
        )
        assert r.status_code == 201, r.text
        assert (r.json()["kind"], r.json()["satisfaction"]) == ("return_visit", 5)
        await use(session, tenant.id)
        task = await session.get(Task, (tenant.id, __import__("uuid").UUID(task_id)))
        assert task is not None
        await session.refresh(task)
        assert task.done_at is not None
        timeline = (await desk.owner.get(f"/api/v1/customers/{customer.id}/timeline")).json()
        kinds = [item["kind"] for item in timeline["data"]]
        assert "ticket" in kinds
        assert any(
            i["kind"] == "activity" and i["data"]["kind"] == "return_visit"
            for i in timeline["data"]
        )
        ticket_item = next(i for i in timeline["data"] if i["kind"] == "ticket")
        assert ticket_item["data"]["number"] == t["number"]
        # a key that may read customers but not tickets sees the timeline without them
        key = await create_api_key(session, tenant.owner, ["customers:read"])
        seen = (
            await anon.get(
                f"/api/v1/customers/{customer.id}/timeline",
                headers={"Authorization": f"Bearer {key}"},
            )
        ).json()
        assert [i["kind"] for i in seen["data"]] == [k for k in kinds if k != "ticket"]
        report = (await desk.owner.get("/api/v1/tickets/reports/csat?source=return_visit")).json()
        assert report[0]["average"] == 5.0
        assert (
            await session.scalar(
                select(func.count()).select_from(Activity).where(Activity.kind == "return_visit")
            )
            == 1
        )


class TestReports:
    async def test_sla_compliance_by_priority(self, desk, clock) -> None:
        on_time = await _ticket(desk.owner, priority="high")
        late = await _ticket(desk.owner, priority="high")
        await desk.owner.post(f"/api/v1/tickets/{on_time['id']}/comments", json={"body": "ok"})
        await _status(desk.owner, on_time, "resolved")
        clock.set(datetime(2026, 11, 4, 10, tzinfo=SH))
        await _status(desk.owner, late, "resolved")
        rows = (
            await desk.owner.get("/api/v1/tickets/reports/sla?group_by=priority&period=week")
        ).json()
        assert rows == [
            {
                "group": "high",
                "period_start": "2026-11-02",
                "tickets": 2,
                "first_response_met": 1,
                "first_response_breached": 1,
                "first_response_compliance": 50.0,
                "resolution_met": 1,
                "resolution_breached": 1,
                "resolution_compliance": 50.0,
            }
        ]


class TestConfiguration:
    async def test_calendar_validation_and_preview(self, desk) -> None:
        bad = {
            "name": "x",
            "weekly_hours": [
                {
                    "weekday": 1,
                    "periods": [
                        {"start": "09:00", "end": "12:00"},
                        {"start": "11:00", "end": "13:00"},
                    ],
                }
            ],
        }
        assert_problem(
            await desk.owner.post("/api/v1/business-calendars", json=bad), 422, "validation_error"
        )
        assert_problem(
            await desk.owner.post(
                "/api/v1/business-calendars",
                json={
                    "name": "x",
                    "timezone": "Mars/Olympus",
                    "weekly_hours": [
                        {"weekday": 1, "periods": [{"start": "09:00", "end": "10:00"}]}
                    ],
                },
            ),
            422,
            "invalid_calendar",
        )
        # Wednesday 30 September 17:00 + 8 working hours: 国庆 (1 October) is off in this
        # calendar; Friday 2 October is a plain workday here
        r = await desk.owner.get(
            f"/api/v1/business-calendars/{desk.calendar_id}/preview",
            params={"start": "2026-09-30T17:00:00+08:00", "minutes": 480},
        )
        assert r.status_code == 200, r.text
        assert r.json()["due_local"] == "2026-10-02T17:30:00+08:00"
        cal = (await desk.owner.get(f"/api/v1/business-calendars/{desk.calendar_id}")).json()
        assert cal["timezone"] == "Asia/Shanghai"
        assert cal["workdays"][0]["date"] == "2026-10-10"

    async def test_only_managers_configure(self, desk, client_for) -> None:
        agent = await client_for(desk.agents[0])
        assert_problem(
            await agent.post("/api/v1/sla-policies", json={"name": "x", "targets": {}}),
            403,
            "forbidden",
        )
        assert (await agent.get("/api/v1/sla-policies")).status_code == 200
        settings = (await desk.owner.get("/api/v1/settings/tickets")).json()
        assert settings["types"] == ["question", "complaint", "repair", "return", "other"]
        r = await desk.owner.patch("/api/v1/settings/tickets", json={"number_prefix": "SV"})
        assert r.status_code == 200
        assert (await _ticket(desk.owner))["number"].startswith("SV-")


async def test_history_rows_are_kept(session, tenant, desk) -> None:
    t = await _ticket(desk.owner)
    await _status(desk.owner, t, "closed")
    await use(session, tenant.id)
    assert await session.scalar(select(func.count()).select_from(TicketStatusChange)) == 2
    assert (
        await session.scalar(
            select(func.count()).select_from(Event).where(Event.type == "ticket.closed")
        )
        == 1
    )
    assert (
        await session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.kind == "ticket_assigned")
        )
        == 1
    )


class TestMore:
    async def test_sales_read_tickets_of_their_customers_only(
        self, session, tenant, desk, client_for
    ) -> None:
        rep = await create_user(session, tenant.id, role="sales")
        await use(session, tenant.id)
        theirs = Customer(workspace_id=tenant.id, name="Harbor Foods Ltd", owner_id=rep.id)
        session.add(theirs)
        await session.commit()
        t = await _ticket(desk.owner, customer_id=str(theirs.id))
        other = await _ticket(desk.owner)
        client = await client_for(rep)
        seen = (await client.get("/api/v1/tickets")).json()["data"]
        assert [x["id"] for x in seen] == [t["id"]]
        assert_problem(await client.get(f"/api/v1/tickets/{other['id']}"), 404, "not_found")
        assert_problem(
            await client.post(f"/api/v1/tickets/{t['id']}/comments", json={"body": "hi"}),
            403,
            "forbidden",
        )
        mine = (await client.get(f"/api/v1/tickets?customer_id={theirs.id}")).json()["data"]
        assert len(mine) == 1

    async def test_reroute_and_manual_reassign(self, desk, client_for) -> None:
        a, b = desk.agents
        t = await _ticket(desk.owner)
        assert t["assignee_id"] == str(a.id)
        lead = await client_for(desk.lead)
        moved = await lead.post(
            f"/api/v1/tickets/{t['id']}/assign", json={"assignee_id": str(b.id)}
        )
        assert moved.status_code == 200, moved.text
        assert moved.json()["assignee_id"] == str(b.id)
        back = await lead.post(f"/api/v1/tickets/{t['id']}/assign", json={"reroute": True})
        assert back.json()["assignee_id"] == str(b.id)  # the rule's next turn after A
        queue = await lead.post(f"/api/v1/tickets/{t['id']}/assign", json={"assignee_id": None})
        assert queue.json()["assignee_id"] is None
        assert queue.json()["team_id"] == str(desk.team.id)

    async def test_closed_ticket_takes_no_comments_and_stale_etag_is_412(self, desk) -> None:
        t = await _ticket(desk.owner)
        got = await desk.owner.get(f"/api/v1/tickets/{t['id']}")
        etag = got.headers["etag"]
        await _status(desk.owner, t, "closed")
        assert_problem(
            await desk.owner.post(f"/api/v1/tickets/{t['id']}/comments", json={"body": "x"}),
            409,
            "ticket_state",
        )
        assert_problem(
            await desk.owner.patch(
                f"/api/v1/tickets/{t['id']}", json={"subject": "y"}, headers={"If-Match": etag}
            ),
            412,
            "precondition_failed",
        )

    async def test_berlin_calendar_across_the_autumn_clock_change(self, desk, clock) -> None:
        cal = await desk.owner.post(
            "/api/v1/business-calendars",
            json={
                "name": "Berlin office",
                "timezone": "Europe/Berlin",
                "weekly_hours": [
                    {"weekday": d, "periods": [{"start": "09:00", "end": "17:00"}]}
                    for d in range(1, 6)
                ],
            },
        )
        assert cal.status_code == 201, cal.text
        # Friday 23 October 16:00 CEST + 2 working hours → Monday 26 October 10:00 CET
        r = await desk.owner.get(
            f"/api/v1/business-calendars/{cal.json()['id']}/preview",
            params={"start": "2026-10-23T16:00:00+02:00", "minutes": 120},
        )
        assert r.json()["due_local"] == "2026-10-26T10:00:00+01:00"
        await desk.owner.patch(
            f"/api/v1/sla-policies/{desk.policy_id}", json={"calendar_id": cal.json()["id"]}
        )
        clock.set(datetime.fromisoformat("2026-10-23T16:00:00+02:00"))
        t = await _ticket(desk.owner, priority="urgent")  # 30 working minutes
        assert t["first_response_due_at"] == "2026-10-23T14:30:00Z"
        clock.set(datetime.fromisoformat("2026-10-23T16:50:00+02:00"))
        late = await _ticket(desk.owner, priority="urgent")
        # 10 minutes on Friday, 20 on Monday from 09:00 CET
        assert datetime.fromisoformat(late["first_response_due_at"]) == datetime.fromisoformat(
            "2026-10-26T09:20:00+01:00"
        )


async def test_custom_fields_and_tags_filter(desk) -> None:
    field = await desk.owner.post(
        "/api/v1/custom-fields",
        json={
            "entity": "ticket",
            "key": "serial",
            "label_zh": "设备序列号",
            "label_en": "Serial number",
            "type": "text",
        },
    )
    assert field.status_code == 201, field.text
    tag = (await desk.owner.post("/api/v1/tags", json={"name": "保修期内"})).json()
    hit = await _ticket(desk.owner, custom_fields={"serial": "SN-001"}, tag_ids=[tag["id"]])
    await _ticket(desk.owner, custom_fields={"serial": "SN-002"})
    by_field = (await desk.owner.get("/api/v1/tickets?cf.serial=SN-001")).json()["data"]
    assert [t["id"] for t in by_field] == [hit["id"]]
    by_tag = (await desk.owner.get(f"/api/v1/tickets?tag={tag['id']}")).json()["data"]
    assert [t["id"] for t in by_tag] == [hit["id"]]
    assert_problem(
        await desk.owner.post(
            "/api/v1/tickets",
            json={"subject": "x", "requester_name": "x", "custom_fields": {"nope": 1}},
        ),
        422,
        "invalid_custom_fields",
    )
    assert_problem(
        await desk.owner.get("/api/v1/tickets?cf.nope=1"), 400, "invalid_custom_field_filter"
    )
