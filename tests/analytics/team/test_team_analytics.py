"""Leaderboards and follow-up statistics on the hand-built March 2026 world
(tests/targets/world.py), with every number written out."""

from __future__ import annotations

from typing import Any

import pytest

from tests.auth.test_auth import assert_problem

API = "/api/v1"


def rows(body: dict[str, Any]) -> list[tuple[int, str, str | None, str, int]]:
    return [
        (r["rank"], r["user_name"], r["team_name"], r["value"], r["count"]) for r in body["rows"]
    ]


async def board(client: Any, metric: str, period: str = "2026-03", **params: Any) -> dict[str, Any]:
    r = await client.get(
        f"{API}/analytics/leaderboard", params={"metric": metric, "period": period, **params}
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


class TestLeaderboard:
    async def test_won_amount(self, world, as_) -> None:
        body = await board(await as_("ada"), "won_amount")
        assert (body["metric"], body["period"], body["currency"]) == (
            "won_amount",
            "2026-03",
            "CNY",
        )
        # Mia and Max sell nothing but are listed; Ada (admin) and the owner are not
        assert rows(body) == [
            (1, "Tom Rep", "South", "20000.00", 1),
            (2, "Ravi Rep", "East", "16500.50", 3),
            (3, "Sara Rep", "Shanghai", "6000.00", 1),
            (4, "Max Manager", "South", "0.00", 0),
            (4, "Mia Manager", "East", "0.00", 0),
        ]

    async def test_another_currency_is_ranked_on_its_own(self, world, as_) -> None:
        body = await board(await as_("ada"), "won_amount", currency="USD", limit=2)
        assert body["currency"] == "USD"
        assert rows(body) == [
            (1, "Sara Rep", "Shanghai", "1000.00", 1),
            (2, "Max Manager", "South", "0.00", 0),
        ]

    async def test_payments(self, world, as_) -> None:
        assert rows(await board(await as_("ada"), "payments")) == [
            (1, "Sara Rep", "Shanghai", "10000.00", 1),
            (2, "Ravi Rep", "East", "3500.00", 2),
            (3, "Tom Rep", "South", "1234.56", 1),
            (4, "Max Manager", "South", "0.00", 0),
            (4, "Mia Manager", "East", "0.00", 0),
        ]

    async def test_new_customers(self, world, as_) -> None:
        body = await board(await as_("ada"), "new_customers")
        assert body["currency"] is None
        assert rows(body) == [
            (1, "Ravi Rep", "East", "3", 3),
            (2, "Sara Rep", "Shanghai", "1", 1),
            (3, "Max Manager", "South", "0", 0),
            (3, "Mia Manager", "East", "0", 0),
            (3, "Tom Rep", "South", "0", 0),
        ]

    async def test_follow_ups_and_visits(self, world, as_) -> None:
        admin = await as_("ada")
        assert rows(await board(admin, "follow_ups")) == [
            (1, "Ravi Rep", "East", "4", 4),
            (2, "Sara Rep", "Shanghai", "2", 2),
            (3, "Mia Manager", "East", "1", 1),
            (3, "Tom Rep", "South", "1", 1),
            (5, "Max Manager", "South", "0", 0),
        ]
        assert rows(await board(admin, "visits")) == [
            (1, "Sara Rep", "Shanghai", "2", 2),
            (2, "Ravi Rep", "East", "1", 1),
            (3, "Max Manager", "South", "0", 0),
            (3, "Mia Manager", "East", "0", 0),
            (3, "Tom Rep", "South", "0", 0),
        ]

    async def test_other_periods(self, world, as_) -> None:
        admin = await as_("ada")
        # the week of 2–8 March: Ravi's 10,000.00 (3 Mar); Sara's 6,000.00 (8 Mar)
        assert rows(await board(admin, "won_amount", "2026-W10", limit=2)) == [
            (1, "Ravi Rep", "East", "10000.00", 1),
            (2, "Sara Rep", "Shanghai", "6000.00", 1),
        ]
        # 28 February: Ravi's 9,999.00 deal won at 23:30 Shanghai time
        assert rows(await board(admin, "won_amount", "2026-02-28", limit=1)) == [
            (1, "Ravi Rep", "East", "9999.00", 1),
        ]
        # the first quarter adds February's 700.00 to Ravi's payments
        assert rows(await board(admin, "payments", "2026-Q1", limit=3)) == [
            (1, "Sara Rep", "Shanghai", "10000.00", 1),
            (2, "Ravi Rep", "East", "4200.00", 3),
            (3, "Tom Rep", "South", "1234.56", 1),
        ]

    @pytest.mark.parametrize(
        ("person", "expected"),
        [
            ("ravi", [(1, "Ravi Rep", "East", "16500.50", 3)]),
            ("sara", [(1, "Sara Rep", "Shanghai", "6000.00", 1)]),
            (
                "mia",
                [
                    (1, "Ravi Rep", "East", "16500.50", 3),
                    (2, "Sara Rep", "Shanghai", "6000.00", 1),
                    (3, "Mia Manager", "East", "0.00", 0),
                ],
            ),
            (
                "max",
                [(1, "Tom Rep", "South", "20000.00", 1), (2, "Max Manager", "South", "0.00", 0)],
            ),
        ],
    )
    async def test_scope(self, world, as_, person, expected) -> None:
        assert rows(await board(await as_(person), "won_amount")) == expected

    async def test_team_filter_narrows_never_widens(self, world, as_) -> None:
        admin = await as_("ada")
        shanghai = str(world.teams["shanghai"].id)
        assert rows(await board(admin, "won_amount", team_id=shanghai)) == [
            (1, "Sara Rep", "Shanghai", "6000.00", 1)
        ]
        # Max asking for East sees nobody: the filter cannot open another subtree
        body = await board(await as_("max"), "won_amount", team_id=str(world.teams["east"].id))
        assert body["rows"] == []
        # a manager filtering inside their own subtree (two team subtrees in one statement)
        body = await board(await as_("mia"), "follow_ups", team_id=shanghai)
        assert rows(body) == [(1, "Sara Rep", "Shanghai", "2", 2)]

    @pytest.mark.parametrize(
        ("params", "status", "code"),
        [
            ({"metric": "revenue", "period": "2026-03"}, 422, "validation_error"),
            ({"metric": "won_amount", "period": "2026-13"}, 422, "invalid_period"),
            ({"metric": "won_amount"}, 422, "validation_error"),
            ({"metric": "won_amount", "period": "2026-03", "limit": "0"}, 422, "validation_error"),
            (
                {"metric": "won_amount", "period": "2026-03", "currency": "yuan"},
                422,
                "validation_error",
            ),
            (
                {"metric": "won_amount", "period": "2026-03", "team_id": "x"},
                422,
                "validation_error",
            ),
            ({"metric": "won_amount", "period": "2026-03", "owner": "x"}, 400, "unknown_parameter"),
        ],
    )
    async def test_bad_input(self, world, as_, params, status, code) -> None:
        r = await (await as_("ada")).get(f"{API}/analytics/leaderboard", params=params)
        assert_problem(r, status, code)

    async def test_roles_without_analytics_are_refused(self, world, as_, anon) -> None:
        r = await anon.get(
            f"{API}/analytics/leaderboard", params={"metric": "visits", "period": "2026-03"}
        )
        assert_problem(r, 401, "not_authenticated")


def stats(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    keys = ("calls", "visits", "meetings", "emails", "wechats", "notes", "return_visits")
    return [
        (r["user_name"], *(r[k] for k in keys), r["total"], r["customers_touched"])
        for r in body["rows"]
    ]


class TestActivityStats:
    async def test_per_person_and_kind(self, world, as_) -> None:
        r = await (await as_("ada")).get(
            f"{API}/analytics/activity-stats", params={"period": "2026-03"}
        )
        assert r.status_code == 200, r.text
        body = r.json()
        # name, calls, visits, meetings, emails, wechats, notes, return visits, total, customers
        assert stats(body) == [
            ("Ravi Rep", 2, 1, 0, 0, 0, 1, 0, 4, 3),
            ("Sara Rep", 0, 2, 0, 0, 0, 0, 0, 2, 1),
            ("Mia Manager", 1, 0, 0, 0, 0, 0, 0, 1, 1),
            ("Tom Rep", 0, 0, 1, 0, 0, 0, 0, 1, 1),
            ("Max Manager", 0, 0, 0, 0, 0, 0, 0, 0, 0),
        ]
        # Mia and Ravi both touched Acme: it counts once in the totals
        assert body["totals"] == {
            "calls": 3,
            "visits": 3,
            "meetings": 1,
            "emails": 0,
            "wechats": 0,
            "notes": 1,
            "return_visits": 0,
            "total": 8,
            "customers_touched": 5,
        }

    @pytest.mark.parametrize(
        ("person", "params", "names", "total"),
        [
            ("ravi", {}, ["Ravi Rep"], 4),
            ("mia", {}, ["Ravi Rep", "Sara Rep", "Mia Manager"], 7),
            ("max", {}, ["Tom Rep", "Max Manager"], 1),
            ("ada", {"team": "east"}, ["Ravi Rep", "Sara Rep", "Mia Manager"], 7),
            ("ada", {"owner": "sara"}, ["Sara Rep"], 2),
            ("mia", {"owner": "tom"}, [], 0),
        ],
    )
    async def test_scope_and_filters(self, world, as_, person, params, names, total) -> None:
        query: dict[str, str] = {"period": "2026-03"}
        if "team" in params:
            query["team_id"] = str(world.teams[params["team"]].id)
        if "owner" in params:
            query["owner_id"] = world.id(params["owner"])
        body = (
            await (await as_(person)).get(f"{API}/analytics/activity-stats", params=query)
        ).json()
        assert [r["user_name"] for r in body["rows"]] == names
        assert body["totals"]["total"] == total

    async def test_bad_period(self, world, as_) -> None:
        r = await (await as_("ada")).get(
            f"{API}/analytics/activity-stats", params={"period": "2026-02-30"}
        )
        assert_problem(r, 422, "invalid_period")
