"""Payment plans, derived installment statuses, payments and their allocation, to the cent."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

import httpx
from sqlalchemy import func, select

from app.models.event import Event
from app.models.receivables import Installment, Payment, PaymentAllocation
from tests.auth.test_auth import assert_problem
from tests.contracts.helpers import at, make_contract, make_customer
from tests.factories import create_user, login_as, use

MAR, APR, MAY = date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)
THIRDS = [(MAR, "3333.33"), (APR, "3333.33"), (MAY, "3333.34")]


async def _contract(session, tenant, amount="10000.00", plan=THIRDS, **kw):  # type: ignore[no-untyped-def]
    customer = await make_customer(session, tenant.id, tenant.owner)
    contract = await make_contract(session, customer, tenant.owner, amount, plan=plan, **kw)
    await session.commit()
    return contract


async def _pay(client, contract, amount, **extra):  # type: ignore[no-untyped-def]
    body = {
        "contract_id": str(contract.id),
        "amount": amount,
        "currency": "CNY",
        "method": "bank_transfer",
        "received_on": "2026-03-15",
    }
    return await client.post("/api/v1/payments", json=body | extra)


async def _plan(client, contract) -> dict:  # type: ignore[no-untyped-def]
    r = await client.get(f"/api/v1/contracts/{contract.id}/payment-plan")
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _view(plan: dict) -> list[tuple[str, str, str, str]]:  # type: ignore[type-arg]
    return [(i["amount"], i["paid"], i["outstanding"], i["status"]) for i in plan["installments"]]


class TestPlan:
    async def test_plan_must_add_up_and_says_by_how_much(
        self, session, tenant, owner_client
    ) -> None:
        contract = await _contract(session, tenant, plan=[])
        path = f"/api/v1/contracts/{contract.id}/payment-plan"
        short = await owner_client.put(
            path,
            json={
                "installments": [
                    {"due_date": "2026-03-31", "amount": "3000.00"},
                    {"due_date": "2026-06-30", "amount": "6000.00"},
                ]
            },
        )
        body = assert_problem(short, 422, "plan_sum_mismatch")
        assert body["detail"] == (
            "The installments add up to 9,000.00 CNY but the contract amount is "
            "10,000.00: 1,000.00 short."
        )
        assert body["errors"] == [
            {
                "field": "body.installments",
                "message": "sum 9000.00 differs from contract amount 10000.00 by -1000.00",
            }
        ]
        assert body["difference"] == "-1000.00"
        ok = await owner_client.put(
            path,
            json={
                "installments": [
                    {"due_date": "2026-06-30", "amount": "6000.00"},
                    {"due_date": "2026-03-31", "amount": "4000.00", "note": "首付"},
                ]
            },
        )
        assert ok.status_code == 200, ok.text
        plan = ok.json()
        assert [(i["number"], i["due_date"], i["amount"]) for i in plan["installments"]] == [
            (1, "2026-03-31", "4000.00"),
            (2, "2026-06-30", "6000.00"),
        ]
        assert (plan["planned"], plan["outstanding"], plan["currency"]) == (
            "10000.00",
            "10000.00",
            "CNY",
        )

    async def test_installments_with_money_stay(self, session, tenant, owner_client) -> None:
        contract = await _contract(session, tenant)
        assert (await _pay(owner_client, contract, "1000.00")).status_code == 201
        plan = await _plan(owner_client, contract)
        first, second, third = plan["installments"]
        path = f"/api/v1/contracts/{contract.id}/payment-plan"
        dropped = await owner_client.put(
            path,
            json={
                "installments": [
                    {"id": second["id"], "due_date": "2026-04-30", "amount": "5000.00"},
                    {"id": third["id"], "due_date": "2026-05-31", "amount": "5000.00"},
                ]
            },
        )
        body = assert_problem(dropped, 409, "installment_has_payments")
        assert body["installment_ids"] == [first["id"]]
        below = await owner_client.put(
            path,
            json={
                "installments": [
                    {"id": first["id"], "due_date": "2026-03-31", "amount": "999.99"},
                    {"id": third["id"], "due_date": "2026-05-31", "amount": "9000.01"},
                ]
            },
        )
        body = assert_problem(below, 422, "invalid_plan")
        assert body["errors"] == [
            {"field": "body.installments.0.amount", "message": "below the 1000.00 already paid"}
        ]
        kept = await owner_client.put(
            path,
            json={
                "installments": [
                    {"id": first["id"], "due_date": "2026-03-31", "amount": "1000.00"},
                    {"due_date": "2026-08-31", "amount": "9000.00"},
                ]
            },
        )
        assert kept.status_code == 200, kept.text
        assert _view(kept.json()) == [
            ("1000.00", "1000.00", "0.00", "paid"),
            ("9000.00", "0.00", "9000.00", "pending"),
        ]

    async def test_after_a_write_off_the_plan_covers_what_is_still_expected(
        self, session, tenant, owner_client
    ) -> None:
        hundreds = [(MAR, "100.00"), (APR, "100.00"), (MAY, "100.00")]
        contract = await _contract(session, tenant, "300.00", plan=hundreds)
        first, second, third = (await _plan(owner_client, contract))["installments"]
        paid = await _pay(
            owner_client,
            contract,
            "40.00",
            allocations=[{"installment_id": third["id"], "amount": "40.00"}],
        )
        assert paid.status_code == 201, paid.text
        voided = await owner_client.post(
            f"/api/v1/receivables/{third['id']}/void", json={"reason": "客户减免"}
        )
        assert voided.status_code == 200, voided.text
        # 300.00 - 60.00 written off - 40.00 already paid on #3 = 200.00 left for #1 and #2
        path = f"/api/v1/contracts/{contract.id}/payment-plan"
        too_much = await owner_client.put(
            path,
            json={
                "installments": [
                    {"id": first["id"], "due_date": "2026-03-31", "amount": "100.00"},
                    {"id": second["id"], "due_date": "2026-06-30", "amount": "140.00"},
                ]
            },
        )
        body = assert_problem(too_much, 422, "plan_sum_mismatch")
        assert body["detail"] == (
            "The installments add up to 240.00 CNY but the contract amount less 100.00 on "
            "void installments (60.00 written off, 40.00 paid on them) is 200.00: "
            "40.00 too much."
        )
        assert (body["expected"], body["difference"]) == ("200.00", "40.00")
        moved = await owner_client.put(
            path,
            json={
                "installments": [
                    {"id": first["id"], "due_date": "2026-03-31", "amount": "100.00"},
                    {"id": second["id"], "due_date": "2026-06-30", "amount": "100.00"},
                ]
            },
        )
        assert moved.status_code == 200, moved.text
        assert [
            (i["due_date"], *v)
            for i, v in zip(moved.json()["installments"], _view(moved.json()), strict=True)
        ] == [
            ("2026-03-31", "100.00", "0.00", "100.00", "pending"),
            ("2026-05-31", "100.00", "40.00", "0.00", "void"),
            ("2026-06-30", "100.00", "0.00", "100.00", "pending"),
        ]
        assert (moved.json()["planned"], moved.json()["paid"]) == ("200.00", "40.00")

    async def test_reps_do_not_write_off_or_reschedule_submitted_contracts(
        self, session, tenant, client_for
    ) -> None:
        rep = await create_user(session, tenant.id, role="sales")
        customer = await make_customer(session, tenant.id, rep)
        active = await make_contract(session, customer, rep, "300.00", plan=[(MAR, "300.00")])
        pending = await make_contract(
            session, customer, rep, "300.00", status="pending_approval", plan=[(MAR, "300.00")]
        )
        draft = await make_contract(
            session, customer, rep, "300.00", status="draft", plan=[(MAR, "300.00")]
        )
        await session.commit()
        rep_client = await client_for(rep)

        async def reschedule(contract):  # type: ignore[no-untyped-def]
            (inst,) = (await _plan(rep_client, contract))["installments"]
            return await rep_client.put(
                f"/api/v1/contracts/{contract.id}/payment-plan",
                json={
                    "installments": [
                        {"id": inst["id"], "due_date": "2030-01-01", "amount": "300.00"}
                    ]
                },
            )

        assert_problem(await reschedule(active), 403, "approver_required")
        assert_problem(await reschedule(pending), 403, "approver_required")
        (inst,) = (await _plan(rep_client, active))["installments"]
        void = await rep_client.post(f"/api/v1/receivables/{inst['id']}/void", json={"reason": "x"})
        assert_problem(void, 403, "approver_required")
        assert _view(await _plan(rep_client, active)) == [("300.00", "0.00", "300.00", "pending")]
        assert (await _plan(rep_client, active))["installments"][0]["due_date"] == "2026-03-31"
        assert (await reschedule(draft)).status_code == 200

    async def test_a_manager_does_not_write_off_their_own_contract(
        self, session, tenant, client_for, owner_client
    ) -> None:
        manager = await create_user(session, tenant.id, role="manager")
        customer = await make_customer(session, tenant.id, manager)
        contract = await make_contract(session, customer, manager, "300.00", plan=[(MAR, "300.00")])
        await session.commit()
        manager_client = await client_for(manager)
        (inst,) = (await _plan(manager_client, contract))["installments"]
        path = f"/api/v1/receivables/{inst['id']}/void"
        body = {"reason": "坏账"}
        assert_problem(await manager_client.post(path, json=body), 403, "self_approval")
        assert (await _plan(manager_client, contract))["installments"][0]["status"] == "pending"
        done = await owner_client.post(path, json=body)
        assert done.status_code == 200, done.text
        assert done.json()["status"] == "void"


class TestStatuses:
    async def test_status_is_derived_from_the_clock_and_the_money(
        self, session, tenant, owner_client, clock
    ) -> None:
        contract = await _contract(session, tenant)
        r = await _pay(owner_client, contract, "5000.00")
        assert r.status_code == 201, r.text
        assert _view(await _plan(owner_client, contract)) == [
            ("3333.33", "3333.33", "0.00", "paid"),
            ("3333.33", "1666.67", "1666.66", "partially_paid"),
            ("3333.34", "0.00", "3333.34", "pending"),
        ]
        clock.set(at(date(2026, 4, 30), hour=23))  # last day: still due, not overdue
        assert _view(await _plan(owner_client, contract))[1][3] == "partially_paid"
        clock.set(at(date(2026, 5, 1), hour=0))  # midnight in Shanghai
        plan = await _plan(owner_client, contract)
        assert _view(plan)[1] == ("3333.33", "1666.67", "1666.66", "overdue")
        assert plan["installments"][1]["days_overdue"] == 1
        clock.set(at(date(2026, 6, 10)))
        assert [i["status"] for i in (await _plan(owner_client, contract))["installments"]] == [
            "paid",
            "overdue",
            "overdue",
        ]
        third = (await _plan(owner_client, contract))["installments"][2]
        voided = await owner_client.post(
            f"/api/v1/receivables/{third['id']}/void", json={"reason": "客户减免"}
        )
        assert voided.json()["status"] == "void"
        assert voided.json()["outstanding"] == "0.00"
        listed = (await owner_client.get("/api/v1/receivables?status=overdue")).json()["data"]
        assert [(i["number"], i["days_overdue"]) for i in listed] == [(2, 41)]
        totals = (await owner_client.get(f"/api/v1/contracts/{contract.id}")).json()["totals"]
        assert totals == {
            "planned": "6666.66",
            "received": "5000.00",
            "allocated": "5000.00",
            "credit": "0.00",
            "outstanding": "1666.66",
            "overdue": "1666.66",
            "invoiced": "0.00",
            "invoice_requested": "0.00",
        }


class TestAllocation:
    async def test_oldest_first_to_the_cent(self, session, tenant, owner_client) -> None:
        contract = await _contract(session, tenant)
        r = await _pay(owner_client, contract, "3333.34", reference="ICBC-001")
        assert r.status_code == 201, r.text
        payment = r.json()
        assert [(a["installment_number"], a["amount"]) for a in payment["allocations"]] == [
            (1, "3333.33"),
            (2, "0.01"),
        ]
        assert (payment["allocated"], payment["credit"]) == ("3333.34", "0.00")
        r = await _pay(owner_client, contract, "6666.66")
        assert [(a["installment_number"], a["amount"]) for a in r.json()["allocations"]] == [
            (2, "3333.32"),
            (3, "3333.34"),
        ]
        assert [s for *_, s in _view(await _plan(owner_client, contract))] == ["paid"] * 3
        contract_view = (await owner_client.get(f"/api/v1/contracts/{contract.id}")).json()
        assert contract_view["totals"]["received"] == "10000.00"
        assert contract_view["totals"]["outstanding"] == "0.00"

    async def test_explicit_allocation(self, session, tenant, owner_client) -> None:
        contract = await _contract(session, tenant)
        third = (await _plan(owner_client, contract))["installments"][2]
        r = await _pay(
            owner_client,
            contract,
            "1000.00",
            allocations=[{"installment_id": third["id"], "amount": "1000.00"}],
        )
        assert r.status_code == 201, r.text
        assert _view(await _plan(owner_client, contract)) == [
            ("3333.33", "0.00", "3333.33", "pending"),
            ("3333.33", "0.00", "3333.33", "pending"),
            ("3333.34", "1000.00", "2333.34", "partially_paid"),
        ]
        detail = (await owner_client.get(f"/api/v1/receivables/{third['id']}")).json()
        assert [(p["payment_id"], p["amount"]) for p in detail["payments"]] == [
            (r.json()["id"], "1000.00")
        ]

    async def test_over_allocation_is_refused_and_writes_nothing(
        self, session, tenant, owner_client
    ) -> None:
        contract = await _contract(session, tenant)
        first = (await _plan(owner_client, contract))["installments"][0]
        too_much = await _pay(
            owner_client,
            contract,
            "3333.34",
            allocations=[{"installment_id": first["id"], "amount": "3333.34"}],
        )
        body = assert_problem(too_much, 409, "exceeds_outstanding")
        assert body["errors"] == [
            {"field": "body.allocations.0.amount", "message": "only 3333.33 outstanding"}
        ]
        short = await _pay(
            owner_client,
            contract,
            "100.00",
            allocations=[{"installment_id": first["id"], "amount": "60.00"}],
        )
        assert_problem(short, 422, "allocation_mismatch")
        over = await _pay(owner_client, contract, "10000.01")
        body = assert_problem(over, 409, "exceeds_outstanding")
        assert body["outstanding"] == "10000.00"
        assert "10,000.00 CNY is outstanding" in body["detail"]
        await use(session, tenant.id)
        assert await session.scalar(select(func.count()).select_from(Payment)) == 0

    async def test_overpayment_keeps_the_rest_as_credit(
        self, session, tenant, owner_client
    ) -> None:
        contract = await _contract(session, tenant)
        r = await _pay(owner_client, contract, "10500.00", overpayment=True, method="wechat_pay")
        assert r.status_code == 201, r.text
        assert (r.json()["allocated"], r.json()["credit"]) == ("10000.00", "500.00")
        totals = (await owner_client.get(f"/api/v1/contracts/{contract.id}")).json()["totals"]
        assert (totals["received"], totals["credit"], totals["outstanding"]) == (
            "10500.00",
            "500.00",
            "0.00",
        )

    async def test_void_frees_the_allocations(self, session, tenant, owner_client) -> None:
        contract = await _contract(session, tenant)
        paid = (await _pay(owner_client, contract, "4000.00")).json()
        r = await owner_client.post(
            f"/api/v1/payments/{paid['id']}/void", json={"reason": "重复录入"}
        )
        assert r.status_code == 200, r.text
        assert r.json()["voided_at"] is not None
        assert (r.json()["allocated"], r.json()["allocations"]) == ("0.00", [])
        assert [p for _, p, *_ in _view(await _plan(owner_client, contract))] == ["0.00"] * 3
        again = await owner_client.post(f"/api/v1/payments/{paid['id']}/void", json={"reason": "x"})
        assert_problem(again, 409, "payment_void")
        await use(session, tenant.id)
        assert await session.scalar(select(func.count()).select_from(PaymentAllocation)) == 0
        events = set((await session.execute(select(Event.type))).scalars())
        assert {"payment.created", "payment.voided", "receivable.paid"} <= events

    async def test_money_in_the_wrong_currency_or_state(
        self, session, tenant, owner_client
    ) -> None:
        contract = await _contract(session, tenant)
        draft = await _contract(session, tenant, status="draft")
        body = assert_problem(
            await _pay(owner_client, contract, "10.00", currency="USD"), 422, "currency_mismatch"
        )
        assert body["errors"][0]["field"] == "body.currency"
        for bad in ("-5.00", "0", "1.001", "abc"):
            body = assert_problem(await _pay(owner_client, contract, bad), 422, "validation_error")
            assert body["errors"][0]["field"] == "body.amount"
        body = assert_problem(
            await _pay(owner_client, contract, "1.00", method="bitcoin"), 422, "validation_error"
        )
        assert body["errors"][0]["field"] == "body.method"
        assert_problem(await _pay(owner_client, draft, "1.00"), 409, "contract_not_active")
        future = await _pay(owner_client, contract, "1.00", received_on="2999-01-01")
        assert_problem(future, 422, "in_future")

    async def test_a_rep_records_money_only_on_own_contracts(
        self, session, tenant, client_for
    ) -> None:
        rep = await create_user(session, tenant.id, role="sales")
        contract = await _contract(session, tenant)
        r = await _pay(await client_for(rep), contract, "1.00")
        body = assert_problem(r, 422, "invalid_reference")
        assert body["errors"][0]["field"] == "body.contract_id"
        viewer = await create_user(session, tenant.id, role="viewer")
        await session.commit()
        assert_problem(await _pay(await client_for(viewer), contract, "1.00"), 403, "forbidden")


class TestConcurrency:
    async def test_twenty_parallel_payments_never_over_allocate(self, committed) -> None:
        app, tenant, maker = committed
        async with maker() as s, s.begin():
            customer = await make_customer(s, tenant.id, tenant.owner)
            contract = await make_contract(
                s,
                customer,
                tenant.owner,
                "1000.00",
                plan=[(date(2026, 1, 31), "300.00"), (date(2026, 2, 28), "700.00")],
            )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            async with maker() as s:
                await login_as(s, client, tenant.owner)
            results = await asyncio.gather(*[_pay(client, contract, "75.00") for _ in range(20)])
        codes = sorted(r.status_code for r in results)
        # 13 × 75.00 = 975.00 fits; a 14th would need 1,050.00
        assert codes == [201] * 13 + [409] * 7, codes
        assert {r.json()["code"] for r in results if r.status_code == 409} == {
            "exceeds_outstanding"
        }
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            rows = await s.execute(
                select(Installment.number, Installment.allocated_amount).where(
                    Installment.contract_id == contract.id
                )
            )
            allocated = {number: amount for number, amount in rows.all()}
            assert allocated == {1: Decimal("300.00"), 2: Decimal("675.00")}
            total = await s.scalar(select(func.sum(PaymentAllocation.amount)))
            assert total == Decimal("975.00")
