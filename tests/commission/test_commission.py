"""Commission plans and statements on the hand-built March 2026 world
(tests/targets/world.py), every amount written out by hand.

The plan "Standard" pays 3 % of payments received in CNY; Hardware lines 1.5 %; lines of
customers in RFM tier `vip` 5 % (rules tried in that order); attainment of the rep's
payments_received target: from 0 % × 0.5, from 50 % × 1, from 100 % × 1.25.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.models.commission import CommissionPlan
from tests.auth.test_auth import assert_problem
from tests.factories import use
from tests.targets.world import World

API = "/api/v1"

STANDARD = {
    "name": "Standard",
    "currency": "CNY",
    "base_rate": "3",
    "rules": [
        {"match": "category", "value": "Hardware", "rate": "1.5"},
        {"match": "rfm_tier", "value": "vip", "rate": "5"},
    ],
    "attainment_tiers": [
        {"min_attainment": "0", "multiplier": "0.5"},
        {"min_attainment": "50", "multiplier": "1"},
        {"min_attainment": "100", "multiplier": "1.25"},
    ],
}


@pytest.fixture
async def plan(world: World, as_: Any) -> dict[str, Any]:
    admin = await as_("ada")
    r = await admin.post(f"{API}/commission/plans", json=STANDARD)
    assert r.status_code == 201, r.text
    for person, value in (("ravi", "5000"), ("sara", "8000"), ("tom", "10000")):
        target = await admin.post(
            f"{API}/targets",
            json={
                "subject_kind": "user",
                "subject_id": world.id(person),
                "period": "2026-03",
                "metric": "payments_received",
                "target_value": value,
            },
        )
        assert target.status_code == 201, target.text
    return r.json()  # type: ignore[no-any-return]


def summary(s: dict[str, Any]) -> tuple[Any, ...]:
    return (
        s["user_name"],
        s["payments"],
        s["payments_base"],
        s["gross_commission"],
        s["target"],
        s["attainment_percent"],
        s["multiplier"],
        s["commission"],
    )


MAX = ("Max Manager", 0, "0.00", "0.00", None, None, "1.0000", "0.00")
MIA = ("Mia Manager", 0, "0.00", "0.00", None, None, "1.0000", "0.00")
# P1 1,000.01 → 4.50 + 15.00 + 15.00 + 5.00 = 39.50; P2 2,499.99 × 3 % = 75.00 (74.9997);
# 3,500.00 of 5,000.00 = 70.00 % → × 1
RAVI = ("Ravi Rep", 2, "3500.00", "114.50", "5000.00", "70.00", "1.0000", "114.50")
# P5 10,000.00 → Software 6,666.67 × 3 % = 200.00, Hardware 3,333.33 × 1.5 % = 50.00;
# 10,000.00 of 8,000.00 = 125.00 % → × 1.25 = 312.50 (its 500.00 USD are not in a CNY plan)
SARA = ("Sara Rep", 1, "10000.00", "250.00", "8000.00", "125.00", "1.2500", "312.50")
# P6 1,234.56 × 3 % = 37.04 (37.0368); 12.35 % (12.3456) of the target → × 0.5 = 18.52
TOM = ("Tom Rep", 1, "1234.56", "37.04", "10000.00", "12.35", "0.5000", "18.52")


async def statements(client: Any, **params: Any) -> list[tuple[Any, ...]]:
    r = await client.get(f"{API}/commission/statements", params={"period": "2026-03", **params})
    assert r.status_code == 200, r.text
    return [summary(s) for s in r.json()["data"]]


def line_view(payment: dict[str, Any]) -> tuple[Any, ...]:
    return (
        payment["received_on"],
        payment["amount"],
        payment["customer_name"],
        payment["tier"],
        payment["installments"],
        [
            (li["category"], li["base"], li["rate"], li["rule"], li["commission"])
            for li in payment["lines"]
        ],
        payment["commission"],
    )


class TestStatements:
    async def test_every_rep_to_the_cent(self, world, as_, plan) -> None:
        admin = await as_("ada")
        r = await admin.get(f"{API}/commission/statements", params={"period": "2026-03"})
        body = r.json()
        assert [summary(s) for s in body["data"]] == [MAX, MIA, RAVI, SARA, TOM]
        assert {(s["plan_name"], s["currency"], s["period"]) for s in body["data"]} == {
            ("Standard", "CNY", "2026-03")
        }
        one = await admin.get(
            f"{API}/commission/statements/{world.id('sara')}", params={"period": "2026-03"}
        )
        assert summary(one.json()) == SARA

    async def test_lines_trace_each_payment_and_add_up(self, world, as_, plan) -> None:
        admin = await as_("ada")
        path = f"{API}/commission/statements/{world.id('ravi')}/payments"
        first = await admin.get(path, params={"period": "2026-03", "limit": 1})
        assert first.status_code == 200, first.text
        [p1] = first.json()["data"]
        assert p1["payment_id"] == str(world.payments["P1"].id)
        assert p1["contract_id"] == str(world.contracts["C1"].id)
        assert p1["contract_number"] == world.contracts["C1"].number
        # the deal's items weigh Hardware, Services, Software 3,000.00 each and 1,000.00
        # without a product: 300.003 × 3 + 100.001; the left-over cent goes to Hardware
        # (equal remainders and weights, first by name). Hardware's rule comes first; the
        # other lines take the vip rate.
        assert line_view(p1) == (
            "2026-03-05",
            "1000.01",
            "Acme Hardware",
            "vip",
            [1],
            [
                ("Hardware", "300.01", "1.5000", "category", "4.50"),
                ("Services", "300.00", "5.0000", "rfm_tier", "15.00"),
                ("Software", "300.00", "5.0000", "rfm_tier", "15.00"),
                (None, "100.00", "5.0000", "rfm_tier", "5.00"),
            ],
            "39.50",
        )
        second = await admin.get(
            path, params={"period": "2026-03", "limit": 1, "cursor": first.json()["next_cursor"]}
        )
        assert [line_view(p) for p in second.json()["data"]] == [
            (
                "2026-03-12",
                "2499.99",
                "Beta Foods",
                None,
                [1],
                [(None, "2499.99", "3.0000", "base", "75.00")],
                "75.00",
            )
        ]
        assert second.json()["has_more"] is False
        sara = await admin.get(
            f"{API}/commission/statements/{world.id('sara')}/payments",
            params={"period": "2026-03"},
        )
        # 2:1 of 10,000.00: Software 6,666.67 (the larger remainder), Hardware 3,333.33
        assert [line_view(p) for p in sara.json()["data"]] == [
            (
                "2026-03-08",
                "10000.00",
                "Gamma Retail",
                "gold",
                [1],
                [
                    ("Hardware", "3333.33", "1.5000", "category", "50.00"),
                    ("Software", "6666.67", "3.0000", "base", "200.00"),
                ],
                "250.00",
            )
        ]

    async def test_a_quarter_counts_february_too(self, world, as_, plan) -> None:
        admin = await as_("ada")
        r = await admin.get(
            f"{API}/commission/statements/{world.id('ravi')}", params={"period": "2026-Q1"}
        )
        # + P3 700.00 × 3 % = 21.00; no Q1 target → multiplier 1
        assert summary(r.json()) == (
            "Ravi Rep",
            3,
            "4200.00",
            "135.50",
            None,
            None,
            "1.0000",
            "135.50",
        )

    async def test_the_first_matching_plan_pays(self, world, as_, plan) -> None:
        admin = await as_("ada")
        south = {
            "name": "South accelerator",
            "base_rate": "4",
            "team_id": str(world.teams["south"].id),
            "priority": 10,
        }
        r = await admin.post(f"{API}/commission/plans", json=south)
        assert r.status_code == 201, r.text
        # 1,234.56 × 4 % = 49.38 (49.3824), no tiers in this plan → × 1
        body = (
            await admin.get(f"{API}/commission/statements", params={"period": "2026-03"})
        ).json()["data"]
        assert {s["user_name"]: s["plan_name"] for s in body} == {
            "Max Manager": "South accelerator",
            "Mia Manager": "Standard",
            "Ravi Rep": "Standard",
            "Sara Rep": "Standard",
            "Tom Rep": "South accelerator",
        }
        tom = next(s for s in body if s["user_name"] == "Tom Rep")
        assert summary(tom) == (
            "Tom Rep",
            1,
            "1234.56",
            "49.38",
            "10000.00",
            "12.35",
            "1.0000",
            "49.38",
        )
        # an inactive plan pays nobody
        patched = await admin.patch(
            f"{API}/commission/plans/{r.json()['id']}", json={"active": False}
        )
        assert patched.status_code == 200, patched.text
        assert TOM in await statements(admin)

    async def test_without_a_plan_there_is_no_statement(self, world, as_, plan) -> None:
        admin = await as_("ada")
        assert (await admin.delete(f"{API}/commission/plans/{plan['id']}")).status_code == 204
        assert await statements(admin) == []
        r = await admin.get(
            f"{API}/commission/statements/{world.id('ravi')}", params={"period": "2026-03"}
        )
        assert_problem(r, 404, "no_commission_plan")

    async def test_pages_by_name(self, world, as_, plan) -> None:
        admin = await as_("ada")
        first = await admin.get(
            f"{API}/commission/statements", params={"period": "2026-03", "limit": 2}
        )
        assert [summary(s) for s in first.json()["data"]] == [MAX, MIA]
        cursor = first.json()["next_cursor"]
        rest = await admin.get(
            f"{API}/commission/statements", params={"period": "2026-03", "cursor": cursor}
        )
        assert [summary(s) for s in rest.json()["data"]] == [RAVI, SARA, TOM]
        bad = await admin.get(
            f"{API}/commission/statements", params={"period": "2026-03", "cursor": "nonsense"}
        )
        assert_problem(bad, 400, "invalid_cursor")

    @pytest.mark.parametrize(
        ("person", "expected"),
        [
            ("ravi", [RAVI]),
            ("sara", [SARA]),
            ("mia", [MIA, RAVI, SARA]),
            ("max", [MAX, TOM]),
        ],
    )
    async def test_scope(self, world, as_, plan, person, expected) -> None:
        client = await as_(person)
        assert await statements(client) == expected
        outsider = "tom" if person != "max" else "ravi"
        for path in ("", "/payments"):
            r = await client.get(
                f"{API}/commission/statements/{world.id(outsider)}{path}",
                params={"period": "2026-03"},
            )
            assert_problem(r, 404, "not_found")

    async def test_team_filter(self, world, as_, plan) -> None:
        admin = await as_("ada")
        assert await statements(admin, team_id=str(world.teams["east"].id)) == [MIA, RAVI, SARA]

    @pytest.mark.parametrize("period", ["2026-13", "2026-W11", "2026-03-01"])
    async def test_statements_are_per_month_quarter_or_year(self, world, as_, plan, period) -> None:
        admin = await as_("ada")
        for path in ("", f"/{world.id('ravi')}", f"/{world.id('ravi')}/payments"):
            r = await admin.get(f"{API}/commission/statements{path}", params={"period": period})
            assert_problem(r, 422, "invalid_period")


async def plan_count(session: Any, world: World) -> int:
    await use(session, world.ws)
    return int(await session.scalar(select(func.count()).select_from(CommissionPlan)))


class TestPlans:
    async def test_admins_manage_plans_and_everyone_reads_them(
        self, world, as_, plan, session
    ) -> None:
        admin = await as_("ada")
        assert plan["base_rate"] == "3.0000"
        assert plan["rules"] == [
            {"match": "category", "value": "Hardware", "rate": "1.5000"},
            {"match": "rfm_tier", "value": "vip", "rate": "5.0000"},
        ]
        assert plan["attainment_tiers"][2] == {"min_attainment": "100.00", "multiplier": "1.2500"}
        path = f"{API}/commission/plans/{plan['id']}"
        got = await admin.get(path)
        assert got.json() == plan
        assert got.headers["etag"] == 'W/"1"'
        for person in ("ravi", "mia"):
            client = await as_(person)
            assert [
                p["name"] for p in (await client.get(f"{API}/commission/plans")).json()["data"]
            ] == ["Standard"]
            assert_problem(await client.patch(path, json={"base_rate": "50"}), 403, "forbidden")
            assert_problem(
                await client.post(f"{API}/commission/plans", json={**STANDARD, "name": "Mine"}),
                403,
                "forbidden",
            )
        changed = await admin.patch(
            path, json={"base_rate": "2.5", "rules": []}, headers={"If-Match": 'W/"1"'}
        )
        assert (
            changed.json()["base_rate"],
            changed.json()["rules"],
            changed.json()["version"],
        ) == (
            "2.5000",
            [],
            2,
        )
        assert_problem(
            await admin.patch(path, json={"notes": "x"}, headers={"If-Match": 'W/"1"'}),
            412,
            "precondition_failed",
        )
        # 3,500.00 × 2.5 % = 87.50 for Ravi now
        ravi = await admin.get(
            f"{API}/commission/statements/{world.id('ravi')}", params={"period": "2026-03"}
        )
        assert ravi.json()["gross_commission"] == "87.50"
        assert await plan_count(session, world) == 1

    @pytest.mark.parametrize(
        ("change", "status", "code", "field"),
        [
            ({"base_rate": "100.01"}, 422, "validation_error", "body.base_rate"),
            ({"base_rate": "-1"}, 422, "validation_error", "body.base_rate"),
            ({"base_rate": "1.00001"}, 422, "validation_error", "body.base_rate"),
            ({"currency": "rmb"}, 422, "validation_error", "body.currency"),
            ({"name": ""}, 422, "validation_error", "body.name"),
            (
                {"rules": [{"match": "region", "value": "x", "rate": "1"}]},
                422,
                "validation_error",
                "body.rules.0.match",
            ),
            (
                {"rules": [{"match": "category", "value": "", "rate": "1"}]},
                422,
                "validation_error",
                "body.rules.0.value",
            ),
            (
                {"rules": [{"match": "category", "value": "A", "rate": "1", "x": 1}]},
                422,
                "validation_error",
                "body.rules.0.x",
            ),
            (
                {
                    "rules": [
                        {"match": "category", "value": "A", "rate": "1"},
                        {"match": "category", "value": "A", "rate": "2"},
                    ]
                },
                422,
                "duplicate_rule",
                "body.rules.1.value",
            ),
            (
                {
                    "attainment_tiers": [
                        {"min_attainment": "50", "multiplier": "1"},
                        {"min_attainment": "50", "multiplier": "2"},
                    ]
                },
                422,
                "tiers_not_ascending",
                "body.attainment_tiers.1.min_attainment",
            ),
            (
                {
                    "attainment_tiers": [
                        {"min_attainment": "100", "multiplier": "1"},
                        {"min_attainment": "80", "multiplier": "2"},
                    ]
                },
                422,
                "tiers_not_ascending",
                "body.attainment_tiers.1.min_attainment",
            ),
            (
                {"attainment_tiers": [{"min_attainment": "0", "multiplier": "-1"}]},
                422,
                "validation_error",
                "body.attainment_tiers.0.multiplier",
            ),
            (
                {"team_id": "00000000-0000-0000-0000-000000000001"},
                422,
                "invalid_reference",
                "body.team_id",
            ),
            ({"priority": -1}, 422, "validation_error", "body.priority"),
        ],
    )
    async def test_bad_plans_write_nothing(
        self, world, as_, session, change, status, code, field
    ) -> None:
        admin = await as_("ada")
        r = await admin.post(f"{API}/commission/plans", json={**STANDARD, **change})
        body = assert_problem(r, status, code)
        assert field in {e["field"] for e in body["errors"]}, body
        assert await plan_count(session, world) == 0

    async def test_names_are_unique(self, world, as_, plan, session) -> None:
        admin = await as_("ada")
        r = await admin.post(f"{API}/commission/plans", json=STANDARD)
        assert_problem(r, 409, "plan_name_taken")
        other = await admin.post(f"{API}/commission/plans", json={**STANDARD, "name": "Other"})
        renamed = await admin.patch(
            f"{API}/commission/plans/{other.json()['id']}", json={"name": "Standard"}
        )
        assert_problem(renamed, 409, "plan_name_taken")
        bad = await admin.patch(
            f"{API}/commission/plans/{other.json()['id']}",
            json={
                "attainment_tiers": [
                    {"min_attainment": "10", "multiplier": "1"},
                    {"min_attainment": "5", "multiplier": "1"},
                ]
            },
        )
        assert_problem(bad, 422, "tiers_not_ascending")
        assert_problem(
            await admin.patch(f"{API}/commission/plans/{other.json()['id']}", json={"name": None}),
            422,
            "validation_error",
        )
        assert (await admin.get(f"{API}/commission/plans/{other.json()['id']}")).json()[
            "version"
        ] == 1
        assert await plan_count(session, world) == 2
