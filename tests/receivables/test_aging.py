"""Aging buckets, DSO and the cash-in calendar against a hand-computed ledger.

Today (the autouse clock) is 2026-03-15 in Shanghai. Days past due = 2026-03-15 − due date.

rep A (team East), customer C1, contract K1 (CNY 10,000.00, active):
  i1 due 03-15 (0 d)    2,000.00, 500.00 paid → 1,500.00 current, due
  i2 due 03-01 (14 d)   3,000.00              → 3,000.00 in 1–30
  i3 due 01-10 (64 d)   1,000.00              → 1,000.00 in 61–90
  i4 due 04-30 (−46 d)  4,000.00              → 4,000.00 current, not yet due
  draft K4 (C1): 999.00 due 02-01             → ignored (not approved)
rep B (team South), customer C2:
  K2 (CNY 5,000.00): j1 due 02-13 (30 d) 1,200.00 → 1–30; j2 due 02-12 (31 d) 800.00 → 31–60;
                     j3 due 12-15 (90 d) 1,000.00, 400.00 paid → 600.00 in 61–90;
                     j4 due 12-14 (91 d) 2,000.00 → 90+
  K3 (USD 1,000.00): k1 due 03-10 (5 d) 1,000.00 → 1–30 (USD)
  K5 (CNY 1,000.00): m1 due 03-05 700.00 fully paid; m2 due 02-01 300.00 void → not owed

DSO window 2025-12-16 … 2026-03-15 (90 days):
  CNY billed = i1 2,000 + i2 3,000 + i3 1,000 + j1 1,200 + j2 800 + m1 700 = 8,700.00
      (j3 12-15 and j4 12-14 fall before the window; m2 is void)
  CNY due = 1,500 + 3,000 + 1,000 + 1,200 + 800 + 600 + 2,000 = 10,100.00
  DSO = 10,100 ÷ 8,700 × 90 = 104.48… → 104.5 days
  USD: 1,000 ÷ 1,000 × 90 = 90.0 days
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import update

from app.models.receivables import Installment
from app.receivables.aging import dso
from tests.auth.test_auth import assert_problem
from tests.contracts.helpers import make_contract, make_customer
from tests.factories import create_team, create_user, use


@pytest.fixture
async def ledger(session, tenant):  # type: ignore[no-untyped-def]
    east, south = (
        await create_team(session, tenant.id, "East"),
        await create_team(session, tenant.id, "South"),
    )
    rep_a = await create_user(session, tenant.id, role="sales", team=east)
    rep_b = await create_user(session, tenant.id, role="sales", team=south)
    c1 = await make_customer(session, tenant.id, rep_a, "浦江精密")
    c2 = await make_customer(session, tenant.id, rep_b, "Redwood")
    d = date
    k1 = await make_contract(
        session,
        c1,
        rep_a,
        "10000.00",
        plan=[
            (d(2026, 3, 15), "2000.00"),
            (d(2026, 3, 1), "3000.00"),
            (d(2026, 1, 10), "1000.00"),
            (d(2026, 4, 30), "4000.00"),
        ],
    )
    await make_contract(
        session, c1, rep_a, "999.00", status="draft", plan=[(d(2026, 2, 1), "999.00")]
    )
    k2 = await make_contract(
        session,
        c2,
        rep_b,
        "5000.00",
        plan=[
            (d(2026, 2, 13), "1200.00"),
            (d(2026, 2, 12), "800.00"),
            (d(2025, 12, 15), "1000.00"),
            (d(2025, 12, 14), "2000.00"),
        ],
    )
    await make_contract(
        session, c2, rep_b, "1000.00", currency="USD", plan=[(d(2026, 3, 10), "1000.00")]
    )
    k5 = await make_contract(
        session, c2, rep_b, "1000.00", plan=[(d(2026, 3, 5), "700.00"), (d(2026, 2, 1), "300.00")]
    )

    async def paid(contract, due, amount):  # type: ignore[no-untyped-def]
        await session.execute(
            update(Installment)
            .where(Installment.contract_id == contract.id, Installment.due_date == due)
            .values(allocated_amount=Decimal(amount))
        )

    await paid(k1, d(2026, 3, 15), "500.00")
    await paid(k2, d(2025, 12, 15), "400.00")
    await paid(k5, d(2026, 3, 5), "700.00")
    await session.execute(
        update(Installment)
        .where(Installment.contract_id == k5.id, Installment.due_date == d(2026, 2, 1))
        .values(voided_at=datetime.now(UTC))
    )
    await session.commit()
    return {"east": east, "south": south, "a": rep_a, "b": rep_b, "c1": c1, "c2": c2}


def _buckets(row: dict) -> tuple[str, ...]:  # type: ignore[type-arg]
    return (
        row["currency"],
        row["current"],
        row["days_1_30"],
        row["days_31_60"],
        row["days_61_90"],
        row["days_over_90"],
        row["total"],
        row["installments"],
    )


async def test_aging_by_customer_to_the_cent(ledger, owner_client) -> None:
    r = await owner_client.get("/api/v1/receivables/aging")
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["as_of"] == "2026-03-15"
    assert [(row["key"], row["label"]) for row in report["data"]] == [
        (str(ledger["c1"].id), ledger["c1"].name),
        (str(ledger["c2"].id), ledger["c2"].name),
        (str(ledger["c2"].id), ledger["c2"].name),
    ]
    assert [_buckets(row) for row in report["data"]] == [
        ("CNY", "5500.00", "3000.00", "0.00", "1000.00", "0.00", "9500.00", 4),
        ("CNY", "0.00", "1200.00", "800.00", "600.00", "2000.00", "4600.00", 4),
        ("USD", "0.00", "1000.00", "0.00", "0.00", "0.00", "1000.00", 1),
    ]
    assert [_buckets(t) for t in report["totals"]] == [
        ("CNY", "5500.00", "4200.00", "800.00", "1600.00", "2000.00", "14100.00", 8),
        ("USD", "0.00", "1000.00", "0.00", "0.00", "0.00", "1000.00", 1),
    ]
    assert report["dso"] == [
        {
            "currency": "CNY",
            "days": "104.5",
            "receivables_due": "10100.00",
            "billed": "8700.00",
            "window_days": 90,
        },
        {
            "currency": "USD",
            "days": "90.0",
            "receivables_due": "1000.00",
            "billed": "1000.00",
            "window_days": 90,
        },
    ]


async def test_aging_by_owner_and_team_and_pages(ledger, owner_client) -> None:
    by_owner = (await owner_client.get("/api/v1/receivables/aging?group_by=owner")).json()
    assert [(row["key"], row["currency"], row["total"]) for row in by_owner["data"]] == [
        (str(ledger["a"].id), "CNY", "9500.00"),
        (str(ledger["b"].id), "CNY", "4600.00"),
        (str(ledger["b"].id), "USD", "1000.00"),
    ]
    by_team = (await owner_client.get("/api/v1/receivables/aging?group_by=team")).json()
    assert [(row["label"], row["currency"], row["total"]) for row in by_team["data"]] == [
        ("East", "CNY", "9500.00"),
        ("South", "CNY", "4600.00"),
        ("South", "USD", "1000.00"),
    ]
    seen, cursor = [], None
    while True:
        params = {"limit": "1", "group_by": "owner"} | ({"cursor": cursor} if cursor else {})
        page = (await owner_client.get("/api/v1/receivables/aging", params=params)).json()
        seen += [(row["key"], row["currency"]) for row in page["data"]]
        assert page["totals"] == by_owner["totals"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert seen == [(row["key"], row["currency"]) for row in by_owner["data"]]
    bad = await owner_client.get("/api/v1/receivables/aging?group_by=owner&cursor=xyz")
    assert_problem(bad, 400, "invalid_cursor")
    assert_problem(
        await owner_client.get("/api/v1/receivables/aging?group_by=region"), 422, "validation_error"
    )
    assert_problem(
        await owner_client.get("/api/v1/receivables/aging?as_of=0001-01-01"),
        400,
        "invalid_parameter",
    )


async def test_aging_follows_the_data_scope(ledger, session, tenant, client_for) -> None:
    manager = await create_user(session, tenant.id, role="manager", team=ledger["east"])
    await session.commit()
    mine = (await (await client_for(ledger["b"])).get("/api/v1/receivables/aging")).json()
    assert [row["total"] for row in mine["data"]] == ["4600.00", "1000.00"]
    team = (await (await client_for(manager)).get("/api/v1/receivables/aging")).json()
    assert [row["key"] for row in team["data"]] == [str(ledger["c1"].id)]
    # East only: due 1,500 + 3,000 + 1,000 = 5,500 over billed 2,000 + 3,000 + 1,000 = 6,000
    assert team["dso"] == [
        {
            "currency": "CNY",
            "days": "82.5",
            "receivables_due": "5500.00",
            "billed": "6000.00",
            "window_days": 90,
        }
    ]
    service = await create_user(session, tenant.id, role="service")
    await session.commit()
    assert_problem(
        await (await client_for(service)).get("/api/v1/receivables/aging"), 403, "forbidden"
    )


async def test_as_of_moves_the_buckets(ledger, owner_client) -> None:
    later = (await owner_client.get("/api/v1/receivables/aging?as_of=2026-05-01")).json()
    c1 = later["data"][0]
    # i4 (04-30) is 1 day late, i1 (03-15) 47, i2 (03-01) 61, i3 (01-10) 111
    assert _buckets(c1) == ("CNY", "0.00", "4000.00", "1500.00", "3000.00", "1000.00", "9500.00", 4)


async def test_cash_in_calendar(ledger, owner_client) -> None:
    months = (await owner_client.get("/api/v1/receivables/cash-in?period=month")).json()
    assert months["start"] == "2026-03-15"
    assert [(b["start"], b["end"], b["currency"], b["amount"]) for b in months["data"]] == [
        ("2026-03-01", "2026-03-31", "CNY", "1500.00"),
        ("2026-04-01", "2026-04-30", "CNY", "4000.00"),
    ]
    assert months["overdue"] == [
        {"currency": "CNY", "amount": "8600.00", "installments": 6},
        {"currency": "USD", "amount": "1000.00", "installments": 1},
    ]
    weeks = (await owner_client.get("/api/v1/receivables/cash-in?period=week")).json()
    assert [(b["start"], b["end"], b["amount"]) for b in weeks["data"]] == [
        ("2026-03-09", "2026-03-15", "1500.00"),
        ("2026-04-27", "2026-05-03", "4000.00"),
    ]
    bad = await owner_client.get("/api/v1/receivables/cash-in?start=2026-05-01&end=2026-04-01")
    assert_problem(bad, 400, "invalid_parameter")


def test_dso_formula_rounds_half_up() -> None:
    assert dso(Decimal("10100.00"), Decimal("8700.00")) == Decimal("104.5")
    assert dso(Decimal("1.00"), Decimal("8.00")) == Decimal("11.3")  # 11.25 → 11.3
    assert dso(Decimal("5.00"), Decimal("0.00")) is None


async def test_no_receivables_is_an_empty_report(session, tenant, owner_client) -> None:
    await use(session, tenant.id)
    report = (await owner_client.get("/api/v1/receivables/aging")).json()
    assert (report["data"], report["totals"], report["dso"], report["has_more"]) == (
        [],
        [],
        [],
        False,
    )
