"""Daily, weekly and monthly reports: their numbers (see `dataset.py`), who may see them,
the XLSX download and the schedule's idempotency."""

from __future__ import annotations

import asyncio
import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.analytics.period import parse_period
from app.core.jobs import runtime
from app.models.event import Event
from app.models.reports import Report
from app.reports.jobs import run_all, run_workspace
from app.reports.schemas import ReportKind
from app.reports.service import generate_missing
from tests.auth.test_auth import assert_problem
from tests.contracts.helpers import Clock
from tests.factories import use
from tests.reports.dataset import Office, build, sh

API = "/api/v1"
ZERO: dict[str, Any] = {
    "new_customers": 0,
    "new_leads": 0,
    "follow_ups": 0,
    "visits": 0,
    "deals_created": 0,
    "deals_won": 0,
    "won_amount": [],
    "deals_lost": 0,
    "lost_amount": [],
    "payments_received": [],
    "overdue_receivables": [],
    "tickets_created": 0,
    "tickets_resolved": 0,
}


def money(currency: str, amount: str, count: int) -> dict[str, Any]:
    return {"currency": currency, "amount": amount, "count": count}


@pytest.fixture(autouse=True)
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    return Clock(monkeypatch, sh(12, 2))


@pytest.fixture
async def office(session, tenant) -> Office:  # type: ignore[no-untyped-def]
    built = await build(session, tenant.id)
    await session.commit()
    return built


async def generate(client, kind: str, period: str, subject_kind: str, subject) -> dict:  # type: ignore[no-untyped-def,type-arg]
    r = await client.post(
        f"{API}/reports/generate",
        json={
            "kind": kind,
            "period": period,
            "subject_kind": subject_kind,
            "subject_id": str(subject.id),
        },
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


# rep A in November: the 23:30 customer and the 23:30 visit count, the 00:30 visit does not
A_NOVEMBER = {
    **ZERO,
    "new_customers": 1,
    "new_leads": 1,
    "follow_ups": 2,
    "visits": 1,
    "deals_created": 1,
    "deals_won": 1,
    "won_amount": [money("CNY", "5000.00", 1)],
    "payments_received": [money("CNY", "300.00", 1)],
    "overdue_receivables": [money("CNY", "1500.00", 2)],  # due 11-20 and 11-30
}
B_NOVEMBER = {
    **ZERO,
    "new_leads": 1,
    "follow_ups": 1,
    "deals_created": 1,
    "deals_lost": 1,
    "lost_amount": [money("CNY", "800.00", 1)],
}
C_NOVEMBER = {
    **ZERO,
    "new_customers": 1,
    "deals_created": 1,
    "deals_won": 1,
    "won_amount": [money("USD", "1000.00", 1)],
    "tickets_created": 1,
    "tickets_resolved": 1,
}


class TestContents:
    async def test_monthly_rep_report(self, office: Office, owner_client) -> None:
        report = await generate(owner_client, "monthly", "2026-11", "user", office.a)
        assert (report["kind"], report["period"], report["subject_id"]) == (
            "monthly",
            "2026-11",
            str(office.a.id),
        )
        assert (report["period_start"], report["period_end"], report["time_zone"]) == (
            "2026-11-01",
            "2026-12-01",
            "Asia/Shanghai",
        )
        assert report["partial"] is False
        assert report["content"] == {"totals": A_NOVEMBER, "members": []}

    async def test_team_report_adds_up_its_subtree(self, office: Office, owner_client) -> None:
        east = await generate(owner_client, "monthly", "2026-11", "team", office.east)
        assert east["content"]["totals"] == {
            **ZERO,
            "new_customers": 1,
            "new_leads": 2,
            "follow_ups": 3,
            "visits": 1,
            "deals_created": 2,
            "deals_won": 1,
            "won_amount": [money("CNY", "5000.00", 1)],
            "deals_lost": 1,
            "lost_amount": [money("CNY", "800.00", 1)],
            "payments_received": [money("CNY", "300.00", 1)],
            "overdue_receivables": [money("CNY", "1500.00", 2)],
        }
        members = {m["user_id"]: m for m in east["content"]["members"]}
        assert set(members) == {str(office.a.id), str(office.b.id), str(office.manager.id)}
        assert {k: v for k, v in members[str(office.b.id)].items() if k in ZERO} == B_NOVEMBER
        head = await generate(owner_client, "monthly", "2026-11", "team", office.head)
        totals = head["content"]["totals"]
        assert totals["won_amount"] == [money("CNY", "5000.00", 1), money("USD", "1000.00", 1)]
        assert (totals["new_customers"], totals["deals_won"], totals["tickets_resolved"]) == (
            2,
            2,
            1,
        )
        assert len(head["content"]["members"]) == 4

    async def test_daily_reports_follow_the_workspace_clock(
        self, office: Office, owner_client
    ) -> None:
        nov30 = await generate(owner_client, "daily", "2026-11-30", "user", office.a)
        assert nov30["content"]["totals"] == {**A_NOVEMBER, "deals_created": 0}
        dec1 = await generate(owner_client, "daily", "2026-12-01", "user", office.a)
        assert dec1["content"]["totals"] == {
            **ZERO,
            "follow_ups": 1,  # the 00:30 visit
            "visits": 1,
            "overdue_receivables": [money("CNY", "1500.00", 2)],
        }
        b_dec1 = await generate(owner_client, "daily", "2026-12-01", "user", office.b)
        assert b_dec1["content"]["totals"]["new_customers"] == 1  # 00:10 on 12-01

    async def test_weekly_and_partial(self, office: Office, owner_client, clock) -> None:
        w48 = await generate(owner_client, "weekly", "2026-W48", "user", office.b)
        assert (w48["period_start"], w48["period_end"]) == ("2026-11-23", "2026-11-30")
        assert w48["content"]["totals"] == {
            **ZERO,
            "new_leads": 1,
            "follow_ups": 1,
            "deals_lost": 1,
            "lost_amount": [money("CNY", "800.00", 1)],
        }
        week = await generate(owner_client, "weekly", "2026-W49", "user", office.c)
        assert week["partial"] is True  # asked for on Wednesday of that week
        assert week["content"]["totals"]["tickets_resolved"] == 1  # resolved Mon 11-30

    async def test_regenerating_replaces_and_announces(
        self, office: Office, owner_client, session
    ) -> None:
        first = await generate(owner_client, "monthly", "2026-11", "user", office.c)
        again = await generate(owner_client, "monthly", "2026-11", "user", office.c)
        assert again["id"] == first["id"]
        assert again["version"] == first["version"] + 1
        await use(session, office.workspace_id)
        events = (
            await session.execute(
                select(Event.data, Event.sequence)
                .where(Event.type == "report.generated", Event.entity_id == first["id"])
                .order_by(Event.sequence)
            )
        ).all()
        assert [seq for _, seq in events] == [1, 2]
        data = events[0][0]
        assert (data["kind"], data["period"], data["subject_id"]) == (
            "monthly",
            "2026-11",
            str(office.c.id),
        )
        assert data["totals"]["won_amount"] == [money("USD", "1000.00", 1)]


class TestScope:
    @pytest.fixture
    async def stored(self, office: Office, session) -> Office:
        await use(session, office.workspace_id)
        now = sh(12, 2)
        await generate_missing(
            session, office.workspace_id, ReportKind.monthly, parse_period("2026-11"), now
        )
        await session.commit()
        return office

    async def _listed(self, client) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
        r = await client.get(f"{API}/reports", params={"kind": "monthly"})
        assert r.status_code == 200, r.text
        return {(row["subject_kind"], row["subject_id"]) for row in r.json()["data"]}

    async def test_rep_sees_own(self, stored: Office, client_for) -> None:
        rep = await client_for(stored.a)
        assert await self._listed(rep) == {("user", str(stored.a.id))}

    async def test_manager_sees_subtree(self, stored: Office, client_for) -> None:
        manager = await client_for(stored.manager)
        assert await self._listed(manager) == {
            ("user", str(stored.a.id)),
            ("user", str(stored.b.id)),
            ("user", str(stored.manager.id)),
            ("team", str(stored.east.id)),
        }

    async def test_owner_sees_all(self, stored: Office, owner_client, tenant) -> None:
        assert await self._listed(owner_client) == {
            ("user", str(u.id))
            for u in (stored.a, stored.b, stored.c, stored.manager, tenant.owner)
        } | {("team", str(t.id)) for t in (stored.head, stored.east, stored.south)}

    async def test_reading_someone_elses_is_a_404(
        self, stored: Office, client_for, session
    ) -> None:
        await use(session, stored.workspace_id)
        theirs = await session.scalar(select(Report.id).where(Report.user_id == stored.c.id))
        rep = await client_for(stored.a)
        assert_problem(await rep.get(f"{API}/reports/{theirs}"), 404, "not_found")
        assert_problem(await rep.get(f"{API}/reports/{theirs}/xlsx"), 404, "not_found")
        manager = await client_for(stored.manager)
        assert_problem(await manager.get(f"{API}/reports/{theirs}"), 404, "not_found")

    async def test_filters_and_pages(self, stored: Office, owner_client) -> None:
        r = await owner_client.get(f"{API}/reports", params={"subject_kind": "team", "limit": 2})
        page = r.json()
        assert len(page["data"]) == 2
        assert page["has_more"] is True
        r = await owner_client.get(
            f"{API}/reports",
            params={"subject_kind": "team", "limit": 2, "cursor": page["next_cursor"]},
        )
        assert len(r.json()["data"]) == 1
        assert r.json()["has_more"] is False
        r = await owner_client.get(f"{API}/reports", params={"user_id": str(stored.b.id)})
        assert [row["subject_name"] for row in r.json()["data"]] == [stored.b.name]
        r = await owner_client.get(f"{API}/reports", params={"period_from": "2026-12"})
        assert r.json()["data"] == []

    async def test_rep_cannot_generate_for_a_colleague(
        self, office: Office, client_for, session
    ) -> None:
        rep = await client_for(office.a)
        r = await rep.post(
            f"{API}/reports/generate",
            json={"kind": "daily", "period": "2026-11-30", "subject_kind": "user",
                  "subject_id": str(office.b.id)},
        )  # fmt: skip
        assert_problem(r, 404, "not_found")
        r = await rep.post(
            f"{API}/reports/generate",
            json={"kind": "daily", "period": "2026-11-30", "subject_kind": "team",
                  "subject_id": str(office.east.id)},
        )  # fmt: skip
        assert_problem(r, 404, "not_found")
        await use(session, office.workspace_id)
        assert await session.scalar(select(func.count()).select_from(Report)) == 0


class TestBadInput:
    @pytest.mark.parametrize(
        ("body", "status", "code", "field"),
        [
            ({"kind": "daily", "period": "2026-11"}, 422, "invalid_period", "body.period"),
            ({"kind": "weekly", "period": "2026-11-30"}, 422, "invalid_period", "body.period"),
            ({"kind": "monthly", "period": "2026-13"}, 422, "invalid_period", "body.period"),
            ({"kind": "monthly", "period": "2027-01"}, 422, "invalid_period", "body.period"),
            ({"kind": "yearly", "period": "2026"}, 422, "validation_error", "body.kind"),
            ({"kind": "daily", "period": "2026-11-30", "extra": 1}, 422, "validation_error",
             "body.extra"),
        ],
    )  # fmt: skip
    async def test_rejected_and_nothing_written(
        self, office: Office, owner_client, session, body, status, code, field
    ) -> None:  # type: ignore[no-untyped-def]
        await use(session, office.workspace_id)
        events = await session.scalar(select(func.count()).select_from(Event))
        r = await owner_client.post(
            f"{API}/reports/generate",
            json={"subject_kind": "user", "subject_id": str(office.a.id), **body},
        )
        problem = assert_problem(r, status, code)
        assert field in [e["field"] for e in problem["errors"]]
        await use(session, office.workspace_id)
        assert await session.scalar(select(func.count()).select_from(Report)) == 0
        assert await session.scalar(select(func.count()).select_from(Event)) == events

    async def test_bad_list_filters(self, office: Office, owner_client) -> None:
        r = await owner_client.get(f"{API}/reports", params={"period_from": "2026-14"})
        assert_problem(r, 422, "invalid_period")
        r = await owner_client.get(f"{API}/reports", params={"kind": "hourly"})
        assert r.status_code in (400, 422)


async def test_xlsx_download(office: Office, owner_client) -> None:
    east = await generate(owner_client, "monthly", "2026-11", "team", office.head)
    r = await owner_client.get(f"{API}/reports/{east['id']}/xlsx", params={"lang": "en"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in r.headers["content-disposition"]
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["Summary", "Members"]
    summary = book["Summary"]
    assert summary["A1"].value == "Monthly report"
    assert summary["B1"].value == "Head"
    assert summary["B2"].value == "2026-11"
    rows = {
        (row[0], row[1]): (row[2], row[3])
        for row in summary.iter_rows(min_row=8, values_only=True)
        if row[0]
    }
    assert rows[("New customers", None)] == (2, None)
    assert rows[("Won amount", "CNY")] == (5000, 1)
    assert rows[("Won amount", "USD")] == (1000, 1)
    assert rows[("Overdue receivables", "CNY")] == (1500, 2)
    assert rows[("Lost amount", "CNY")] == (800, 1)
    assert rows[("Tickets resolved", None)] == (1, None)
    members = book["Members"]
    header = [c.value for c in members[1]]
    assert header[:3] == ["Member", "New customers", "New leads"]
    assert "Won amount (USD)" in header
    assert "Won amount (CNY)" in header
    by_name = {
        row[0]: dict(zip(header, row, strict=True))
        for row in members.iter_rows(min_row=2, values_only=True)
    }
    assert by_name[office.a.name]["Won amount (CNY)"] == 5000
    assert by_name[office.c.name]["Won amount (USD)"] == 1000
    assert by_name[office.b.name]["Won amount (CNY)"] == 0
    zh = await owner_client.get(f"{API}/reports/{east['id']}/xlsx")
    assert load_workbook(io.BytesIO(zh.content)).sheetnames == ["汇总", "成员"]


async def test_schedule_is_idempotent(committed) -> None:
    _, tenant, maker = committed
    runtime.sessionmaker = maker
    async with maker() as s, s.begin():
        office = await build(s, tenant.id)
    # 00:07 on Tuesday 12-01 in Shanghai: yesterday (11-30), last week (W48), last month
    now = sh(12, 1, 0, 7)
    first, second = await asyncio.gather(
        run_workspace(tenant.id, now), run_workspace(tenant.id, now)
    )
    # five people get reports (owner, manager, A, B, C) and three teams, per kind
    assert first + second == 24
    assert await run_workspace(tenant.id, now) == 0
    assert await run_all(now) >= 0
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        rows = (
            await s.execute(
                select(Report.kind, Report.period, func.count()).group_by(
                    Report.kind, Report.period
                )
            )
        ).all()
        assert sorted(rows) == [
            ("daily", "2026-11-30", 8),
            ("monthly", "2026-11", 8),
            ("weekly", "2026-W48", 8),
        ]
        events = await s.scalar(
            select(func.count()).select_from(Event).where(Event.type == "report.generated")
        )
        assert events == 24
        mine = (
            await s.execute(
                select(Report.content).where(
                    Report.user_id == office.a.id, Report.kind == "monthly"
                )
            )
        ).scalar_one()
        assert mine["totals"] == A_NOVEMBER
        assert (
            await s.scalar(
                select(Report.period_start).where(
                    Report.kind == "weekly", Report.user_id == office.b.id
                )
            )
        ) == date(2026, 11, 23)


async def test_schedule_replaces_a_partial_report(committed) -> None:
    _, tenant, maker = committed
    runtime.sessionmaker = maker
    async with maker() as s, s.begin():
        office = await build(s, tenant.id)
        s.add(  # asked for on 11-30 at noon, before the day was over
            Report(
                workspace_id=tenant.id,
                kind="daily",
                subject_kind="user",
                user_id=office.a.id,
                subject_name="stale name",
                period="2026-11-30",
                period_start=date(2026, 11, 30),
                period_end=date(2026, 12, 1),
                time_zone="Asia/Shanghai",
                content={"totals": ZERO, "members": []},
                generated_at=sh(11, 30, 12),
            )
        )
    now = sh(12, 1, 0, 7)
    assert await run_workspace(tenant.id, now) == 24
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        report = (
            await s.execute(
                select(Report).where(Report.user_id == office.a.id, Report.kind == "daily")
            )
        ).scalar_one()
        assert (report.version, report.generated_at, report.subject_name) == (
            2,
            now,
            office.a.name,
        )
        assert report.content["totals"]["follow_ups"] == 2
