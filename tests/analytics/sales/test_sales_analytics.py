"""Funnel, forecast, coverage, stale deals, lost reasons, campaign ROI and sales cycle
against the hand-built pipeline of `dataset.py`; every expected number is worked out by
hand in the comments."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.models.event import Event
from tests.analytics.sales.dataset import API, Pipe, ids
from tests.auth.test_auth import assert_problem
from tests.contracts.helpers import SHANGHAI


def funnel_rows(body: dict[str, Any]) -> list[tuple[str, str, int, int | None, str | None]]:
    return [
        (s["name_en"], s["kind"], s["entered"], s["advanced"], s["conversion_rate"])
        for s in body["stages"]
    ]


class TestFunnel:
    async def test_november_cohort_to_the_percent(self, pipe: Pipe, owner_client) -> None:
        # cohort: D1 D2 D3 D4 D5 D6 D7 D9 (D8 is October in Shanghai, D17 deleted)
        # furthest open stage: D1 D2 D7 won → S3; D6 → S3 (skipped S1, S2); D5 → S2;
        # D3 → S1; D4 D9 → S0.  S0 8, S1 6, S2 5, S3 4, won 3
        r = await owner_client.get(f"{API}/analytics/funnel", params={"period": "2026-11"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["pipeline_id"] == str(pipe.pipeline.id)
        assert funnel_rows(body) == [
            ("Initial contact", "open", 8, 6, "75.00"),
            ("Needs confirmed", "open", 6, 5, "83.33"),
            ("Proposal & quote", "open", 5, 4, "80.00"),
            ("Negotiation & approval", "open", 4, 3, "75.00"),
            ("Won", "won", 3, None, None),
        ]
        assert (body["created"], body["won"], body["lost"], body["open"]) == (8, 3, 2, 3)
        assert body["win_rate"] == "60.00"  # 3 ÷ (3 + 2)
        assert body["overall_conversion"] == "37.50"  # 3 ÷ 8
        assert body["won_amount"] == [
            {"currency": "CNY", "amount": "15000.00"},
            {"currency": "USD", "amount": "1000.00"},
        ]
        # D1 10 d, D2 20 d, D7 15.5 d → 15.1666… → 15.2
        assert body["avg_cycle_days"] == "15.2"

    async def test_filters_owner_source_campaign(self, pipe: Pipe, owner_client) -> None:
        url = f"{API}/analytics/funnel"
        # rep A: D1 D2 D7 (won) and D9 (S0)
        r = await owner_client.get(url, params={"period": "2026-11", "owner_id": str(pipe.a.id)})
        assert funnel_rows(r.json())[:4] == [
            ("Initial contact", "open", 4, 3, "75.00"),
            ("Needs confirmed", "open", 3, 3, "100.00"),
            ("Proposal & quote", "open", 3, 3, "100.00"),
            ("Negotiation & approval", "open", 3, 3, "100.00"),
        ]
        assert (r.json()["win_rate"], r.json()["overall_conversion"]) == ("100.00", "75.00")
        # 展会: D1 (won), D3 (S1, lost), D5 (S2), D7 (won), D9 (S0)
        r = await owner_client.get(url, params={"period": "2026-11", "source": "展会"})
        assert [(s[2], s[4]) for s in funnel_rows(r.json())] == [
            (5, "80.00"),
            (4, "75.00"),
            (3, "66.67"),
            (2, "100.00"),
            (2, None),
        ]
        assert r.json()["win_rate"] == "66.67"  # 2 ÷ 3
        # campaign C1: D1 (own campaign) and D2 (through its lead L1), D7 is USD but counts
        r = await owner_client.get(
            url, params={"period": "2026-11", "campaign_id": str(pipe.campaigns["C1"].id)}
        )
        assert [s[2] for s in funnel_rows(r.json())] == [3, 3, 3, 3, 3]
        # team South: rep C's D5 (S2) and D6 (S3, lost)
        r = await owner_client.get(url, params={"period": "2026-11", "team_id": str(pipe.south.id)})
        assert [s[2] for s in funnel_rows(r.json())] == [2, 2, 2, 1, 0]
        assert r.json()["win_rate"] == "0.00"

    async def test_time_zone_edges(self, pipe: Pipe, owner_client) -> None:
        # D8 was created 10-31 23:30 in Shanghai (15:30 UTC): October's cohort, alone with
        # the deals created in October
        r = await owner_client.get(f"{API}/analytics/funnel", params={"period": "2026-10-31"})
        assert r.json()["created"] == 1
        r = await owner_client.get(f"{API}/analytics/funnel", params={"period": "2026-11-30"})
        assert r.json()["created"] == 1  # D9, 23:30 on the last day of November

    async def test_scope_manager_subtree_and_rep_own(self, pipe: Pipe, client_for) -> None:
        manager = await client_for(pipe.manager)
        # team East (A, B): D1 D2 D7 won, D3 lost at S1, D4 D9 at S0
        r = await manager.get(f"{API}/analytics/funnel", params={"period": "2026-11"})
        assert r.status_code == 200, r.text
        assert [s[2] for s in funnel_rows(r.json())] == [6, 4, 3, 3, 3]
        assert r.json()["win_rate"] == "75.00"
        # a filter never widens: South is outside the manager's subtree
        r = await manager.get(
            f"{API}/analytics/funnel",
            params={"period": "2026-11", "team_id": str(pipe.south.id)},
        )
        assert r.json()["created"] == 0
        assert [s[4] for s in funnel_rows(r.json())] == [None, None, None, None, None]
        rep = await client_for(pipe.b)
        r = await rep.get(f"{API}/analytics/funnel", params={"period": "2026-11"})
        assert [s[2] for s in funnel_rows(r.json())] == [2, 1, 0, 0, 0]  # D3, D4
        assert (r.json()["win_rate"], r.json()["won_amount"]) == ("0.00", [])
        assert r.json()["avg_cycle_days"] is None

    @pytest.mark.parametrize("period", ["2026-13", "2026-W54", "yesterday", "2026-02-30"])
    async def test_bad_period_is_a_422(self, pipe: Pipe, owner_client, period: str) -> None:
        r = await owner_client.get(f"{API}/analytics/funnel", params={"period": period})
        body = assert_problem(r, 422, "invalid_period")
        assert body["errors"][0]["field"] == "query.period"

    async def test_unknown_pipeline_is_a_404(self, pipe: Pipe, owner_client) -> None:
        r = await owner_client.get(
            f"{API}/analytics/funnel",
            params={"period": "2026-11", "pipeline_id": str(pipe.tenant.owner.id)},
        )
        assert_problem(r, 404, "not_found")


class TestForecast:
    async def test_months_to_the_cent(self, pipe: Pipe, owner_client) -> None:
        # open CNY deals by expected close month (D13 is USD, D17 deleted, D14 past due):
        #   Nov D4 3000.00 @10
        #   Dec D5 20000.00 @50, D9 3333.29 @10, D11 12345.67 @80
        #       weighted (1,000,000.00 + 33,332.90 + 987,653.60) ÷ 100 = 20209.865 → .87
        #   Jan D8 2000.00 @10, D12 50000.00 @80 → weighted 40200.00
        # won CNY: Nov D10 4000 + D1 10000 + D2 5000 + D15 2500 (23:30 on 11-30) = 21500.00
        #          Dec D16 1500.00 (00:30 on 12-01)
        r = await owner_client.get(
            f"{API}/analytics/forecast", params={"from": "2026-11", "months": 3}
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["currency"], body["commit_probability"]) == ("CNY", 75)
        assert (body["target_subject_kind"], body["target_subject_id"]) == ("workspace", None)
        assert [
            (m["month"], m["won"], m["commit"], m["best_case"], m["weighted"], m["open_deals"],
             m["target"])
            for m in body["months"]
        ] == [
            ("2026-11", "21500.00", "21500.00", "24500.00", "21800.00", 1, "30000.00"),
            ("2026-12", "1500.00", "13845.67", "37178.96", "21709.87", 3, "40000.00"),
            ("2027-01", "0.00", "50000.00", "52000.00", "40200.00", 2, None),
        ]  # fmt: skip
        assert body["past_due_open"] == {"currency": "CNY", "amount": "6000.00", "deals": 1}

    async def test_defaults_to_this_month_usd_and_threshold(self, pipe: Pipe, owner_client) -> None:
        r = await owner_client.get(
            f"{API}/analytics/forecast",
            params={"months": 1, "currency": "USD", "commit_probability": 30},
        )
        # today is 2026-12-02: D13 999.99 USD @30 closes 12-05 and is commit at 30 %
        assert r.json()["months"] == [
            {
                "month": "2026-12",
                "won": "0.00",
                "commit": "999.99",
                "best_case": "999.99",
                "weighted": "300.00",  # 299.997 → 300.00
                "open_deals": 1,
                "target": None,
            }
        ]

    async def test_rep_sees_own_deals_and_own_target(self, pipe: Pipe, client_for) -> None:
        rep = await client_for(pipe.a)
        r = await rep.get(f"{API}/analytics/forecast", params={"from": "2026-12", "months": 1})
        body = r.json()
        assert (body["target_subject_kind"], body["target_subject_id"]) == ("user", str(pipe.a.id))
        # D9 3333.29 @10 and D11 12345.67 @80; won D16 1500.00
        assert body["months"][0] == {
            "month": "2026-12",
            "won": "1500.00",
            "commit": "13845.67",
            "best_case": "17178.96",
            "weighted": "11709.87",  # 1500 + (33,332.90 + 987,653.60) ÷ 100 = 1500 + 10209.865
            "open_deals": 2,
            "target": "10000.00",
        }

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"from": "2026-Q4"}, "query.from"),
            ({"from": "2026-00"}, "query.from"),
            ({"months": 0}, "query.months"),
            ({"months": 25}, "query.months"),
            ({"currency": "cny"}, "query.currency"),
            ({"commit_probability": 101}, "query.commit_probability"),
        ],
    )
    async def test_bad_input(self, pipe: Pipe, owner_client, params, field) -> None:  # type: ignore[no-untyped-def]
        r = await owner_client.get(f"{API}/analytics/forecast", params=params)
        assert r.status_code == 422, r.text
        assert field in [e["field"] for e in r.json()["errors"]]


class TestCoverage:
    async def test_workspace_december(self, pipe: Pipe, owner_client) -> None:
        # target 40000.00, won 1500.00 → 38500.00 to go; open Dec 35678.96, weighted 20209.87
        r = await owner_client.get(f"{API}/analytics/coverage", params={"period": "2026-12"})
        assert r.status_code == 200, r.text
        assert r.json() == {
            "period": "2026-12",
            "currency": "CNY",
            "as_of": "2026-12-02",
            "target": "40000.00",
            "target_subject_kind": "workspace",
            "target_subject_id": None,
            "won": "1500.00",
            "remaining": "38500.00",
            "open_amount": "35678.96",
            "weighted": "20209.87",
            "open_deals": 3,
            "coverage": "0.93",  # 0.9267…
            "weighted_coverage": "0.52",  # 0.5249…
        }

    async def test_rep_own_target(self, pipe: Pipe, client_for) -> None:
        rep = await client_for(pipe.a)
        r = await rep.get(f"{API}/analytics/coverage", params={"period": "2026-12"})
        body = r.json()
        # 10000.00 − 1500.00 = 8500.00; open 15678.96 (1.8446…), weighted 10209.87 (1.2011…)
        assert (body["target"], body["remaining"], body["open_amount"], body["weighted"]) == (
            "10000.00",
            "8500.00",
            "15678.96",
            "10209.87",
        )
        assert (body["coverage"], body["weighted_coverage"]) == ("1.84", "1.20")

    async def test_without_target(self, pipe: Pipe, client_for) -> None:
        rep = await client_for(pipe.b)
        r = await rep.get(f"{API}/analytics/coverage", params={"period": "2026-Q4"})
        body = r.json()
        # rep B, Q4: won D10 4000.00; open closing in Q4: D4 3000.00 (11-28), D14 is due 10-20
        # → 3000 + 6000 = 9000.00; weighted 300.00 + 1800.00
        assert (body["target"], body["remaining"], body["coverage"]) == (None, None, None)
        assert (body["won"], body["open_amount"], body["weighted"]) == (
            "4000.00",
            "9000.00",
            "2100.00",
        )


class TestStaleDeals:
    async def test_most_overdue_first_paged(self, pipe: Pipe, owner_client) -> None:
        # now 12-02 10:00; rotting since: D13 09-29, D11 10-11, D8 11-14 23:30, D4 11-19,
        # D5 12-01 10:00. Not yet: D9, D12, D14.
        url = f"{API}/analytics/stale-deals"
        seen: list[dict[str, Any]] = []
        cursor = None
        for _ in range(3):
            params: dict[str, Any] = {"limit": 2}
            if cursor:
                params["cursor"] = cursor
            r = await owner_client.get(url, params=params)
            assert r.status_code == 200, r.text
            seen += r.json()["data"]
            cursor = r.json()["next_cursor"]
        assert cursor is None
        d = pipe.deals
        assert [s["id"] for s in seen] == ids(d["D13"], d["D11"], d["D8"], d["D4"], d["D5"])
        assert [(s["days_in_stage"], s["days_overdue"], s["rotting_days"]) for s in seen] == [
            (78, 64, 14),
            (73, 52, 21),
            (31, 17, 14),
            (27, 13, 14),
            (22, 1, 21),
        ]
        assert seen[0]["stage_name_en"] == "Needs confirmed"
        assert seen[0]["owner_name"] == pipe.b.name

    async def test_scope_and_stage_filter(self, pipe: Pipe, client_for) -> None:
        rep = await client_for(pipe.b)
        r = await rep.get(f"{API}/analytics/stale-deals")
        d = pipe.deals
        assert [s["id"] for s in r.json()["data"]] == ids(d["D13"], d["D8"], d["D4"])
        manager = await client_for(pipe.manager)
        r = await manager.get(
            f"{API}/analytics/stale-deals", params={"stage_id": str(pipe.stages["S0"].id)}
        )
        assert [s["id"] for s in r.json()["data"]] == ids(d["D8"], d["D4"])


class TestLostReasons:
    async def test_november(self, pipe: Pipe, owner_client) -> None:
        # lost in November: D3 price 8000 CNY, D20 price 500 CNY, D6 competitor 12000 USD,
        # D19 without a reason 1200 CNY (D18 was lost in October)
        r = await owner_client.get(f"{API}/analytics/lost-reasons", params={"period": "2026-11"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["lost"] == 4
        assert [
            (row["label_en"], row["deals"], row["share"], row["amounts"]) for row in body["rows"]
        ] == [
            ("Price too high", 2, "50.00", [{"currency": "CNY", "amount": "8500.00"}]),
            ("Chose a competitor", 1, "25.00", [{"currency": "USD", "amount": "12000.00"}]),
            (None, 1, "25.00", [{"currency": "CNY", "amount": "1200.00"}]),
        ]
        assert body["rows"][0]["lost_reason_id"] == str(pipe.reasons["price"].id)

    async def test_rep_own(self, pipe: Pipe, client_for) -> None:
        rep = await client_for(pipe.b)
        r = await rep.get(f"{API}/analytics/lost-reasons", params={"period": "2026-11"})
        assert [(row["label_en"], row["deals"], row["share"]) for row in r.json()["rows"]] == [
            ("Price too high", 2, "100.00")
        ]


class TestCampaignRoi:
    async def test_all_campaigns(self, pipe: Pipe, owner_client) -> None:
        # C1: D1 10000 + D2 (its lead) 5000 won CNY, D7 won in USD (a deal, not CNY money);
        # cost 6000.00 → 2.50. C2: D5 open 20000, no cost. C3: nothing, cost 1000 → 0.00
        r = await owner_client.get(f"{API}/analytics/campaign-roi")
        assert r.status_code == 200, r.text
        rows = [
            (
                row["name"], row["leads"], row["deals"], row["won_deals"], row["won_amount"],
                row["open_amount"], row["actual_cost"], row["roi"],
            )
            for row in r.json()["rows"]
        ]  # fmt: skip
        assert rows == [
            ("展会 2026", 2, 3, 2, "15000.00", "0.00", "6000.00", "2.50"),
            ("Old mailing", 0, 0, 0, "0.00", "0.00", "1000.00", "0.00"),
            ("WeChat ads", 1, 1, 0, "0.00", "20000.00", None, None),
        ]

    async def test_period_and_scope(self, pipe: Pipe, client_for) -> None:
        manager = await client_for(pipe.manager)
        r = await manager.get(f"{API}/analytics/campaign-roi", params={"period": "2026-11"})
        # November: C1 and C2 ran (C3 in 2025); team East sees A's deals and A's, B's leads
        assert [
            (row["name"], row["leads"], row["deals"], row["won_amount"], row["roi"])
            for row in r.json()["rows"]
        ] == [("展会 2026", 2, 3, "15000.00", "2.50"), ("WeChat ads", 0, 0, "0.00", None)]


class TestSalesCycle:
    async def test_won_in_november(self, pipe: Pipe, owner_client) -> None:
        # won in November: D1 10 d, D2 20 d, D7 15.5 d, D10 35 d, D15 46 d 13.5 h = 46.5625 d
        # mean 127.0625 ÷ 5 = 25.4125, median 20, min 10, max 46.5625
        # time in stages: S0 2 + 10 + 15.5 + 20 + 46.5625 = 94.0625 over 5 → 18.8125
        #                 S1 3 + 15 over 2 → 9; S2 2 + 10 over 2 → 6; S3 3 over 1
        r = await owner_client.get(f"{API}/analytics/sales-cycle", params={"period": "2026-11"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert (
            body["won_deals"],
            body["avg_days"],
            body["median_days"],
            body["min_days"],
            body["max_days"],
        ) == (5, "25.4", "20.0", "10.0", "46.6")
        assert [(s["name_en"], s["deals"], s["avg_days"]) for s in body["stages"]] == [
            ("Initial contact", 5, "18.8"),
            ("Needs confirmed", 2, "9.0"),
            ("Proposal & quote", 2, "6.0"),
            ("Negotiation & approval", 1, "3.0"),
        ]

    async def test_rep_without_wins(self, pipe: Pipe, client_for) -> None:
        rep = await client_for(pipe.c)
        r = await rep.get(f"{API}/analytics/sales-cycle", params={"period": "2026-10"})
        body = r.json()
        assert (body["won_deals"], body["avg_days"], body["median_days"]) == (0, None, None)
        assert [s["deals"] for s in body["stages"]] == [0, 0, 0, 0]


async def test_reading_analytics_writes_nothing(pipe: Pipe, owner_client, session) -> None:
    before = await session.scalar(select(func.count()).select_from(Event))
    for path, params in [
        ("funnel", {"period": "2026-11"}),
        ("forecast", {}),
        ("coverage", {"period": "2026-12"}),
        ("stale-deals", {}),
        ("lost-reasons", {"period": "2026-11"}),
        ("campaign-roi", {}),
        ("sales-cycle", {"period": "2026-11"}),
    ]:
        r = await owner_client.get(f"{API}/analytics/{path}", params=params)
        assert r.status_code == 200, (path, r.text)
    assert await session.scalar(select(func.count()).select_from(Event)) == before


async def test_service_role_sees_no_deals(pipe: Pipe, client_for, session) -> None:
    from tests.factories import create_user

    agent = await create_user(session, pipe.tenant.id, role="service")
    client = await client_for(agent)
    r = await client.get(f"{API}/analytics/funnel", params={"period": "2026-11"})
    assert r.status_code == 200
    assert r.json()["created"] == 0


async def test_deals_made_through_the_api_enter_the_funnel(
    pipe: Pipe, owner_client, session
) -> None:
    """The funnel reads each deal's stays from the time it was created on: that holds
    because the pipeline writes a stay when it creates a deal and on every move."""
    from datetime import datetime

    from app.models.pipeline import Opportunity, OpportunityStageVisit
    from tests.factories import use

    customer = pipe.deals["D1"].customer_id
    created = await owner_client.post(
        f"{API}/opportunities",
        json={"customer_id": str(customer), "name": "API deal", "amount": "100.00"},
    )
    assert created.status_code == 201, created.text
    deal = created.json()
    for stage in ("S2", "W"):
        r = await owner_client.post(
            f"{API}/opportunities/{deal['id']}/move",
            json={"stage_id": str(pipe.stages[stage].id)},
        )
        assert r.status_code == 200, r.text
    await use(session, pipe.tenant.id)
    created_at = await session.scalar(
        select(Opportunity.created_at).where(Opportunity.id == deal["id"])
    )
    first_stay = await session.scalar(
        select(func.min(OpportunityStageVisit.entered_at)).where(
            OpportunityStageVisit.opportunity_id == deal["id"]
        )
    )
    assert created_at is not None
    assert first_stay is not None
    assert first_stay >= created_at
    day = datetime.fromisoformat(deal["created_at"]).astimezone(SHANGHAI).date()
    r = await owner_client.get(
        f"{API}/analytics/funnel", params={"period": day.isoformat(), "owner_id": deal["owner_id"]}
    )
    assert [s[2] for s in funnel_rows(r.json())] == [1, 1, 1, 1, 1]  # skipped S1, S3: passed
