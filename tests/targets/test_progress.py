"""Target progress on the hand-built March 2026 world (tests/targets/world.py), to the cent.

Today is 15 March: March has 31 days, 17 still to come (today included), 14 behind us, so
the linear pace expects 14/31 of each target.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.targets.world import World

API = "/api/v1"

TARGETS: list[tuple[str, str | None, str, str, str]] = [
    # key, subject (person or team key; None: workspace), period, metric, value
    ("ravi_won", "ravi", "2026-03", "won_amount", "20000.00"),
    ("ravi_paid", "ravi", "2026-03", "payments_received", "5000.00"),
    ("sara_paid", "sara", "2026-03", "payments_received", "8000.00"),
    ("tom_paid", "tom", "2026-03", "payments_received", "10000.00"),
    ("east_won", "east", "2026-03", "won_amount", "30000.00"),
    ("east_follow_ups", "east", "2026-03", "follow_ups", "20"),
    ("ws_new", None, "2026-03", "new_customers", "10"),
    ("ws_won", None, "2026-03", "won_amount", "50000.00"),
    ("ravi_q1_paid", "ravi", "2026-Q1", "payments_received", "12000.00"),
]


def subject_of(world: World, key: str | None) -> dict[str, Any]:
    if key is None:
        return {"subject_kind": "workspace"}
    if key in world.teams:
        return {"subject_kind": "team", "subject_id": str(world.teams[key].id)}
    return {"subject_kind": "user", "subject_id": world.id(key)}


async def set_targets(client: Any, world: World) -> dict[str, str]:
    ids = {}
    for key, subject, period, metric, value in TARGETS:
        r = await client.post(
            f"{API}/targets",
            json={
                **subject_of(world, subject),
                "period": period,
                "metric": metric,
                "target_value": value,
            },
        )
        assert r.status_code == 201, r.text
        ids[key] = r.json()["id"]
    return ids


def view(item: dict[str, Any]) -> tuple[Any, ...]:
    return (
        item["subject_name"],
        item["metric"],
        item["target_value"],
        item["actual"],
        item["count"],
        item["percent"],
        item["remaining"],
        item["expected_to_date"],
        item["pace_needed_per_day"],
        item["on_track"],
    )


# subject, metric, target, actual, count, percent, remaining, expected, pace, on track
WORKSPACE_NEW = ("Targets", "new_customers", "10", "5", 5, "50.00", "5", "4.52", "0.29", True)
WORKSPACE_WON = (
    "Targets",
    "won_amount",
    "50000.00",
    "42500.50",
    5,
    "85.00",
    "7499.50",
    "22580.65",
    "441.15",
    True,
)
EAST_WON = (
    "East",
    "won_amount",
    "30000.00",
    "22500.50",
    4,
    "75.00",
    "7499.50",
    "13548.39",
    "441.15",
    True,
)
EAST_FOLLOW_UPS = ("East", "follow_ups", "20", "7", 7, "35.00", "13", "9.03", "0.76", False)
RAVI_WON = (
    "Ravi Rep",
    "won_amount",
    "20000.00",
    "16500.50",
    3,
    "82.50",
    "3499.50",
    "9032.26",
    "205.85",
    True,
)
RAVI_PAID = (
    "Ravi Rep",
    "payments_received",
    "5000.00",
    "3500.00",
    2,
    "70.00",
    "1500.00",
    "2258.06",
    "88.24",
    True,
)
SARA_PAID = (
    "Sara Rep",
    "payments_received",
    "8000.00",
    "10000.00",
    1,
    "125.00",
    "0.00",
    "3612.90",
    "0.00",
    True,
)
TOM_PAID = (
    "Tom Rep",
    "payments_received",
    "10000.00",
    "1234.56",
    1,
    "12.35",
    "8765.44",
    "4516.13",
    "515.61",
    False,
)


async def test_progress_of_every_kind_of_target_to_the_cent(world, as_) -> None:
    admin = await as_("ada")
    await set_targets(admin, world)
    r = await admin.get(f"{API}/targets/progress", params={"period": "2026-03"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["period"], body["period_start"], body["period_end"], body["today"]) == (
        "2026-03",
        "2026-03-01",
        "2026-04-01",
        "2026-03-15",
    )
    assert {(i["days_total"], i["days_left"]) for i in body["items"]} == {(31, 17)}
    workspace_name = world.tenant.workspace.name
    assert [view(i) for i in body["items"]] == [
        (workspace_name, *WORKSPACE_WON[1:]),
        (workspace_name, *WORKSPACE_NEW[1:]),
        EAST_WON,
        EAST_FOLLOW_UPS,
        RAVI_WON,
        RAVI_PAID,
        SARA_PAID,
        TOM_PAID,
    ]
    assert {i["currency"] for i in body["items"] if i["metric"] == "won_amount"} == {"CNY"}
    assert {i["currency"] for i in body["items"] if i["metric"] == "follow_ups"} == {None}


async def test_quarter_progress_counts_the_whole_quarter(world, as_) -> None:
    admin = await as_("ada")
    await set_targets(admin, world)
    body = (await admin.get(f"{API}/targets/progress", params={"period": "2026-Q1"})).json()
    # 3,500.00 in March + 700.00 on 27 February; Q1 has 90 days, 73 behind us on 15 March
    [item] = body["items"]
    assert (item["days_total"], item["days_left"]) == (90, 17)
    assert view(item) == (
        "Ravi Rep",
        "payments_received",
        "12000.00",
        "4200.00",
        3,
        "35.00",
        "7800.00",
        "9733.33",
        "458.82",
        False,
    )


async def test_after_the_period_no_pace_and_before_it_none_expected(world, as_, clock) -> None:
    admin = await as_("ada")
    await set_targets(admin, world)
    clock.set(clock.now.replace(month=4, day=2))
    [tom] = [
        i
        for i in (await admin.get(f"{API}/targets/progress", params={"period": "2026-03"})).json()[
            "items"
        ]
        if i["subject_name"] == "Tom Rep"
    ]
    assert (tom["days_left"], tom["expected_to_date"], tom["pace_needed_per_day"]) == (
        0,
        "10000.00",
        None,
    )
    clock.set(clock.now.replace(month=2, day=20))
    [tom] = [
        i
        for i in (await admin.get(f"{API}/targets/progress", params={"period": "2026-03"})).json()[
            "items"
        ]
        if i["subject_name"] == "Tom Rep"
    ]
    # 8,765.44 still to go over all 31 days: 282.7561… a day
    assert (tom["days_left"], tom["expected_to_date"], tom["pace_needed_per_day"]) == (
        31,
        "0.00",
        "282.76",
    )


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("ravi", [RAVI_WON, RAVI_PAID]),
        ("sara", [SARA_PAID]),
        ("mia", [EAST_WON, EAST_FOLLOW_UPS, RAVI_WON, RAVI_PAID, SARA_PAID]),
        ("max", [TOM_PAID]),
    ],
)
async def test_progress_follows_the_data_scope(world, as_, person, expected) -> None:
    await set_targets(await as_("ada"), world)
    client = await as_(person)
    body = (await client.get(f"{API}/targets/progress", params={"period": "2026-03"})).json()
    assert [view(i) for i in body["items"]] == expected


async def test_filters_narrow_progress(world, as_) -> None:
    admin = await as_("ada")
    await set_targets(admin, world)

    async def names(**params: str) -> list[tuple[str, str]]:
        r = await admin.get(f"{API}/targets/progress", params={"period": "2026-03", **params})
        assert r.status_code == 200, r.text
        return [(i["subject_name"], i["metric"]) for i in r.json()["items"]]

    assert await names(team_id=str(world.teams["shanghai"].id)) == [
        ("Sara Rep", "payments_received")
    ]
    assert await names(team_id=str(world.teams["east"].id), metric="won_amount") == [
        ("East", "won_amount"),
        ("Ravi Rep", "won_amount"),
    ]
    assert await names(owner_id=world.id("tom")) == [("Tom Rep", "payments_received")]
