"""Distribution, Pareto, key accounts, churn risk, cohorts and revenue on the hand-built
world of conftest.py; every expected number is written out by hand."""

from __future__ import annotations

from tests.analytics.value.conftest import recompute
from tests.auth.test_auth import assert_problem


def _cube(body):  # type: ignore[no-untyped-def]
    return [(c["r"], c["f"], c["m"], c["customers"], c["amount"]) for c in body["cube"]]


def _tiers(body):  # type: ignore[no-untyped-def]
    return {t["key"]: (t["customers"], t["amount"]) for t in body["tiers"]}


class TestDistribution:
    async def test_cube_and_tiers_for_an_admin(self, world, maker, session, client_for) -> None:
        run = await recompute(maker, session, world.tenant.id)
        admin = await client_for(world.admin)
        body = (await admin.get("/api/v1/analytics/rfm")).json()
        assert body["computed_at"] == run.finished_at.isoformat().replace("+00:00", "Z")
        assert body["as_of"] == "2026-06-15"
        assert body["customers"] == 6
        assert _cube(body) == [
            (5, 4, 4, 1, "20000.00"),
            (5, 2, 5, 1, "60000.00"),
            (5, 2, 2, 1, "2000.00"),
            (4, 4, 3, 1, "6000.00"),
            (3, 1, 1, 1, "300.00"),
            (1, 1, 1, 1, "0.00"),
        ]
        assert _tiers(body) == {
            "vip": (1, "20000.00"),
            "key": (2, "66000.00"),
            "growth": (1, "2000.00"),
            "regular": (0, "0.00"),
            "dormant": (2, "300.00"),
        }
        assert body["settings"] == {
            "sources": ["orders", "payments"],
            "window_days": 365,
            "currency": "CNY",
            "weights": {"r": 4, "f": 8, "m": 8},
            "score_min": 20,
            "score_max": 100,
        }

    async def test_scope_sales_own_manager_subtree_admin_all(
        self, world, maker, session, client_for
    ) -> None:
        await recompute(maker, session, world.tenant.id)
        expected = {
            # rep_a owns A, B, E (F never bought, G is deleted)
            "rep_a": (3, {"vip": 1, "key": 1, "growth": 1, "regular": 0, "dormant": 0}),
            # rep_b owns C and I
            "rep_b": (2, {"vip": 0, "key": 1, "growth": 0, "regular": 0, "dormant": 1}),
            # east's subtree: the manager (D) and rep_a in east_sh
            "manager_east": (4, {"vip": 1, "key": 1, "growth": 1, "regular": 0, "dormant": 1}),
            "admin": (6, {"vip": 1, "key": 2, "growth": 1, "regular": 0, "dormant": 2}),
        }
        for who, (customers, tiers) in expected.items():
            client = await client_for(getattr(world, who))
            body = (await client.get("/api/v1/analytics/rfm")).json()
            assert body["customers"] == customers, who
            assert {k: v[0] for k, v in _tiers(body).items()} == tiers, who
        admin = await client_for(world.admin)
        south = (await admin.get(f"/api/v1/analytics/rfm?team_id={world.teams['south']}")).json()
        assert south["customers"] == 2
        # a filter narrows, never widens: rep_a asking for the south team sees nothing
        rep_a = await client_for(world.rep_a)
        other = (await rep_a.get(f"/api/v1/analytics/rfm?team_id={world.teams['south']}")).json()
        assert other["customers"] == 0

    async def test_a_transfer_moves_the_scores_to_the_new_owner_at_once(
        self, world, maker, session, client_for
    ) -> None:
        await recompute(maker, session, world.tenant.id)
        admin = await client_for(world.admin)
        a = world.customers["A"]
        moved = await admin.post(
            f"/api/v1/customers/{a.id}/transfer", json={"to_user_id": str(world.rep_b.id)}
        )
        assert moved.status_code == 200, moved.text
        rep_a = await client_for(world.rep_a)
        rep_b = await client_for(world.rep_b)
        assert (await rep_a.get("/api/v1/analytics/rfm")).json()["customers"] == 2
        got = (await rep_b.get("/api/v1/analytics/rfm")).json()
        assert (got["customers"], _tiers(got)["vip"]) == (3, (1, "20000.00"))


class TestPareto:
    async def test_top_20_percent_share_and_curve(self, world, client_for) -> None:
        admin = await client_for(world.admin)
        body = (await admin.get("/api/v1/analytics/pareto?period=2026-Q2")).json()
        # Q2 revenue in CNY: C 30,000 (payment), A 5,000, E 2,000 (its USD order is not
        # added), B 1,500 (1 April 00:30 in Shanghai); B's cancelled order does not count
        assert body["total"] == "38500.00"
        assert body["customers"] == 4
        assert (body["top_percent"], body["top_customers"]) == (20, 1)
        assert body["top_amount"] == "30000.00"
        assert body["top_share"] == "77.92"  # 30,000 / 38,500 = 77.922…
        curve = {p["customer_share"]: p["revenue_share"] for p in body["curve"]}
        assert curve == {
            "0.00": "0.00",
            "5.00": "77.92",
            "10.00": "77.92",
            "15.00": "77.92",
            "20.00": "77.92",
            "25.00": "77.92",
            "30.00": "90.91",  # two buyers: 35,000 / 38,500
            "35.00": "90.91",
            "40.00": "90.91",
            "45.00": "90.91",
            "50.00": "90.91",
            "55.00": "96.10",  # three: 37,000 / 38,500 = 96.103…
            "60.00": "96.10",
            "65.00": "96.10",
            "70.00": "96.10",
            "75.00": "96.10",
            "80.00": "100.00",
            "85.00": "100.00",
            "90.00": "100.00",
            "95.00": "100.00",
            "100.00": "100.00",
        }

    async def test_scoped_and_empty(self, world, client_for) -> None:
        rep_a = await client_for(world.rep_a)
        body = (await rep_a.get("/api/v1/analytics/pareto?period=2026-Q2")).json()
        # A 5,000, E 2,000, B 1,500: the head is A, 5,000 / 8,500 = 58.823…
        assert (body["total"], body["customers"], body["top_share"]) == ("8500.00", 3, "58.82")
        empty = (await rep_a.get("/api/v1/analytics/pareto?period=2024")).json()
        assert (empty["total"], empty["customers"], empty["top_share"], empty["curve"]) == (
            "0.00",
            0,
            None,
            [],
        )
        usd = (await rep_a.get("/api/v1/analytics/pareto?period=2026-06&currency=USD")).json()
        assert (usd["currency"], usd["total"], usd["customers"]) == ("USD", "1000.00", 1)

    async def test_bad_period_is_422(self, world, client_for) -> None:
        admin = await client_for(world.admin)
        assert_problem(
            await admin.get("/api/v1/analytics/pareto?period=2026-13"), 422, "invalid_period"
        )

    async def test_key_accounts_are_the_head_largest_first(
        self, world, maker, session, client_for
    ) -> None:
        await recompute(maker, session, world.tenant.id)
        admin = await client_for(world.admin)
        page = (
            await admin.get("/api/v1/analytics/key-accounts?period=2026-Q2&top_percent=50&limit=1")
        ).json()
        c, a = world.customers["C"], world.customers["A"]
        assert [
            (
                r["customer_id"],
                r["rank"],
                r["revenue"],
                r["share"],
                r["cumulative_share"],
                r["tier"],
            )
            for r in page["data"]
        ] == [(str(c.id), 1, "30000.00", "77.92", "77.92", "key")]
        assert page["has_more"] is True
        rest = (
            await admin.get(
                "/api/v1/analytics/key-accounts?period=2026-Q2&top_percent=50&limit=1"
                f"&cursor={page['next_cursor']}"
            )
        ).json()
        assert [
            (
                r["customer_id"],
                r["rank"],
                r["revenue"],
                r["share"],
                r["cumulative_share"],
                r["tier"],
            )
            for r in rest["data"]
        ] == [(str(a.id), 2, "5000.00", "12.99", "90.91", "vip")]
        assert rest["has_more"] is False
        default = (await admin.get("/api/v1/analytics/key-accounts?period=2026-Q2")).json()
        assert [r["name"] for r in default["data"]] == ["C 华南机械"]


class TestChurnRisk:
    async def test_flags_and_numbers(self, world, maker, session, client_for) -> None:
        await recompute(maker, session, world.tenant.id)
        admin = await client_for(world.admin)
        body = (await admin.get("/api/v1/analytics/churn-risk")).json()
        rows = [
            (
                r["name"],
                r["score"],
                r["reasons"],
                r["days_since_purchase"],
                r["median_gap_days"],
                r["overdue_after_days"],
                r["days_since_follow_up"],
            )
            for r in body["data"]
        ]
        assert rows == [
            # never followed up, created 1 January: 165 days without follow-up
            ("C 华南机械", 76, ["no_follow_up"], 26, None, None, 165),
            # buys every 31 days (median of 31, 28, 31); 75 days since 1 April > 2 × 31
            ("B Redwood Ltd", 72, ["overdue_vs_own_gap"], 75, "31.0", "62.0", 14),
            # last follow-up 1 April: 75 days
            ("E Maple Foods", 52, ["no_follow_up"], 14, None, None, 75),
        ]

    async def test_both_reasons_paging_and_scope(
        self, world, maker, session, client_for, clock
    ) -> None:
        from tests.analytics.value.conftest import TODAY
        from tests.contracts.helpers import at

        await recompute(maker, session, world.tenant.id)
        # 70 days later: A (median gap 91, factor 2) is still within its rhythm, but nobody
        # has been followed up for 60 days any more
        clock.set(at(TODAY.replace(month=8, day=24)))
        rep_a = await client_for(world.rep_a)
        first = (await rep_a.get("/api/v1/analytics/churn-risk?limit=2")).json()
        more = (
            await rep_a.get(f"/api/v1/analytics/churn-risk?limit=2&cursor={first['next_cursor']}")
        ).json()
        got = [(r["name"], r["reasons"]) for r in first["data"] + more["data"]]
        assert got == [
            ("A 星河贸易", ["no_follow_up"]),
            ("B Redwood Ltd", ["overdue_vs_own_gap", "no_follow_up"]),
            ("E Maple Foods", ["no_follow_up"]),
        ]
        assert more["has_more"] is False
        rep_b = await client_for(world.rep_b)
        names = [
            r["name"] for r in (await rep_b.get("/api/v1/analytics/churn-risk")).json()["data"]
        ]
        assert names == ["C 华南机械", "I 单次客户"]


class TestCohorts:
    async def test_retention_by_first_purchase_month(self, world, client_for) -> None:
        admin = await client_for(world.admin)
        body = (await admin.get("/api/v1/analytics/cohorts?from=2025-09&to=2026-05")).json()
        got = {c["month"]: (c["customers"], c["retention"]) for c in body["cohorts"]}
        none12 = [None] * 12
        assert got == {
            # A: first purchase September, then December, March and June (k = 3, 6, 9);
            # July 2026 on has not begun on 15 June
            "2025-09": (
                1,
                ["0.00", "0.00", "100.00", "0.00", "0.00", "100.00", "0.00", "0.00", "100.00"]
                + [None] * 3,
            ),
            "2025-10": (0, none12),
            "2025-11": (0, none12),
            "2025-12": (0, none12),
            # B and I first bought in January; B again in February, March and April
            "2026-01": (2, ["50.00", "50.00", "50.00", "0.00", "0.00"] + [None] * 7),
            # C: payments in February and May
            "2026-02": (1, ["0.00", "0.00", "100.00", "0.00"] + [None] * 8),
            "2026-03": (0, none12),
            "2026-04": (0, none12),
            # E: May (CNY) and June (USD): every purchase counts, whatever its currency
            "2026-05": (1, ["100.00"] + [None] * 11),
        }
        assert (body["from_month"], body["to_month"]) == ("2025-09", "2026-05")

    async def test_scope_and_bad_input(self, world, client_for) -> None:
        rep_b = await client_for(world.rep_b)
        body = (await rep_b.get("/api/v1/analytics/cohorts?from=2026-01&to=2026-02")).json()
        assert [(c["month"], c["customers"], c["retention"][:3]) for c in body["cohorts"]] == [
            ("2026-01", 1, ["0.00", "0.00", "0.00"]),
            ("2026-02", 1, ["0.00", "0.00", "100.00"]),
        ]
        for query, field in (
            ("from=2026-02&to=2026-01", "query.to"),
            ("from=2026-Q1&to=2026-03", "query.from"),
            ("from=2026-13&to=2027-01", "query.from"),
            ("from=2024-01&to=2026-01", "query.to"),
        ):
            body = assert_problem(
                await rep_b.get(f"/api/v1/analytics/cohorts?{query}"), 422, "invalid_period"
            )
            assert [e["field"] for e in body["errors"]] == [field], query


class TestRevenue:
    async def test_orders_and_payments_per_month(self, world, client_for) -> None:
        admin = await client_for(world.admin)
        body = (await admin.get("/api/v1/analytics/revenue?period=2026-Q2")).json()
        assert [
            (b["label"], b["orders_amount"], b["payments_amount"]) for b in body["buckets"]
        ] == [
            ("2026-04", "1500.00", "0.00"),
            ("2026-05", "2000.00", "30000.00"),
            ("2026-06", "5000.00", "0.00"),
        ]
        assert (body["orders_total"], body["payments_total"], body["currency"]) == (
            "8500.00",
            "30000.00",
            "CNY",
        )

    async def test_days_weeks_and_scope(self, world, client_for) -> None:
        rep_a = await client_for(world.rep_a)
        days = (await rep_a.get("/api/v1/analytics/revenue?period=2026-04&granularity=day")).json()
        assert len(days["buckets"]) == 30
        assert [(b["start"], b["orders_amount"]) for b in days["buckets"][:2]] == [
            ("2026-04-01", "1500.00"),
            ("2026-04-02", "0.00"),
        ]
        weeks = (
            await rep_a.get("/api/v1/analytics/revenue?period=2026-06&granularity=week")
        ).json()
        assert [(b["label"], b["orders_amount"]) for b in weeks["buckets"]] == [
            ("2026-W23", "5000.00"),  # 1–7 June: A's order of the 5th
            ("2026-W24", "0.00"),
            ("2026-W25", "0.00"),
            ("2026-W26", "0.00"),
            ("2026-W27", "0.00"),
        ]
        rep_b = await client_for(world.rep_b)
        theirs = (await rep_b.get("/api/v1/analytics/revenue?period=2026-Q2")).json()
        assert (theirs["orders_total"], theirs["payments_total"]) == ("0.00", "30000.00")
        usd = (await rep_a.get("/api/v1/analytics/revenue?period=2026-06&currency=USD")).json()
        assert usd["orders_total"] == "1000.00"
        assert_problem(
            await rep_a.get("/api/v1/analytics/revenue?period=2026-06&granularity=hour"),
            422,
            "validation_error",
        )


class TestTeamFilter:
    """The admin filtering by a team sees what that team's manager sees unfiltered — also
    where one statement narrows orders and payments to the team (one subtree, two uses)."""

    async def test_team_filter_equals_the_managers_own_view(
        self, world, maker, session, client_for
    ) -> None:
        await recompute(maker, session, world.tenant.id)
        admin = await client_for(world.admin)
        manager = await client_for(world.manager_east)
        east = world.teams["east"]
        for query in (
            "rfm?",
            "pareto?period=2026-Q2&",
            "key-accounts?period=2026-Q2&top_percent=100&",
            "cohorts?from=2025-09&to=2026-05&",
            "revenue?period=2026-Q2&",
            "churn-risk?",
        ):
            filtered = await admin.get(f"/api/v1/analytics/{query}team_id={east}")
            own = await manager.get(f"/api/v1/analytics/{query.rstrip('?&')}")
            assert filtered.status_code == 200, (query, filtered.text)
            assert filtered.json() == own.json(), query
