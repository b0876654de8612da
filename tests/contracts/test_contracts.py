"""Contracts: numbering, approval with permissions, editing rules, termination, settings."""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
from sqlalchemy import select

from app.models.audit import AuditEntry
from app.models.contracts import Contract
from app.models.customer import Notification
from app.models.pipeline import Opportunity, Pipeline, PipelineStage
from tests.auth.test_auth import assert_problem
from tests.contracts.helpers import Clock, at, make_contract, make_customer
from tests.factories import create_team, create_user, login_as, use


async def _draft(client, customer, **extra) -> dict:  # type: ignore[no-untyped-def]
    body = {"title": "年度服务合同", "customer_id": str(customer.id), "amount": "120000.00"}
    r = await client.post("/api/v1/contracts", json=body | extra)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def _won_deal(session, tenant, customer, amount: str, currency: str) -> Opportunity:  # type: ignore[no-untyped-def]
    pipeline = Pipeline(workspace_id=tenant.id, name="默认", is_default=True)
    session.add(pipeline)
    await session.flush()
    stage = PipelineStage(
        workspace_id=tenant.id,
        pipeline_id=pipeline.id,
        name_zh="赢单",
        name_en="Won",
        probability=100,
        kind="won",
    )
    session.add(stage)
    await session.flush()
    deal = Opportunity(
        workspace_id=tenant.id,
        customer_id=customer.id,
        name="ERP 实施项目",
        amount=amount,
        currency=currency,
        pipeline_id=pipeline.id,
        stage_id=stage.id,
        status="won",
        probability=100,
        owner_id=tenant.owner.id,
    )
    session.add(deal)
    await session.flush()
    return deal


class TestNumbering:
    async def test_numbers_follow_the_sequence_of_the_year(
        self, session, tenant, owner_client, monkeypatch
    ) -> None:
        Clock(monkeypatch, at(date(2026, 3, 1)))
        customer = await make_customer(session, tenant.id, tenant.owner)
        await session.commit()
        first = await _draft(owner_client, customer)
        second = await _draft(owner_client, customer)
        assert (first["number"], second["number"]) == ("HT-2026-0001", "HT-2026-0002")
        r = await owner_client.patch("/api/v1/settings/contracts", json={"number_prefix": "SZ"})
        assert r.status_code == 200, r.text
        assert (await _draft(owner_client, customer))["number"] == "SZ-2026-0003"

    async def test_new_year_starts_at_one_in_the_workspace_time_zone(
        self, session, tenant, owner_client, monkeypatch
    ) -> None:
        clock = Clock(monkeypatch, at(date(2026, 12, 31), hour=23))
        customer = await make_customer(session, tenant.id, tenant.owner)
        await session.commit()
        assert (await _draft(owner_client, customer))["number"] == "HT-2026-0001"
        clock.set(at(date(2027, 1, 1), hour=0))  # 2026-12-31 16:00 UTC, already 2027 here
        assert (await _draft(owner_client, customer))["number"] == "HT-2027-0001"

    async def test_parallel_creates_get_distinct_numbers(self, committed) -> None:
        app, tenant, maker = committed
        async with maker() as s, s.begin():
            customer = await make_customer(s, tenant.id, tenant.owner)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            async with maker() as s:
                await login_as(s, client, tenant.owner)
            results = await asyncio.gather(
                *[
                    client.post(
                        "/api/v1/contracts",
                        json={"title": f"c{i}", "customer_id": str(customer.id), "amount": "1"},
                    )
                    for i in range(12)
                ]
            )
        assert [r.status_code for r in results] == [201] * 12
        numbers = sorted(r.json()["number"] for r in results)
        year = numbers[0].split("-")[1]
        assert numbers == [f"HT-{year}-{n:04d}" for n in range(1, 13)]


class TestApproval:
    async def test_rep_submits_manager_approves_with_audited_comments(
        self, session, tenant, client_for
    ) -> None:
        team = await create_team(session, tenant.id)
        manager = await create_user(session, tenant.id, role="manager", team=team)
        rep = await create_user(session, tenant.id, role="sales", team=team)
        customer = await make_customer(session, tenant.id, rep)
        await session.commit()
        rep_client, manager_client = await client_for(rep), await client_for(manager)
        draft = await _draft(rep_client, customer)
        assert draft["status"] == "draft"
        assert draft["owner_id"] == str(rep.id)
        path = f"/api/v1/contracts/{draft['id']}"
        submitted = await rep_client.post(f"{path}/submit", json={"comment": "请审批"})
        assert submitted.json()["status"] == "pending_approval"
        refused = await rep_client.post(f"{path}/approve", json={})
        body = assert_problem(refused, 403, "approver_required")
        assert "managers" in body["detail"]
        approved = await manager_client.post(f"{path}/approve", json={"comment": "同意"})
        assert approved.status_code == 200, approved.text
        assert approved.json()["status"] == "active"
        assert approved.json()["decided_by"] == str(manager.id)
        assert approved.json()["decision_comment"] == "同意"
        await use(session, tenant.id)
        steps = (
            await session.execute(
                select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.changes)
                .where(AuditEntry.entity == "contract", AuditEntry.entity_id == draft["id"])
                .order_by(AuditEntry.occurred_at, AuditEntry.id)
            )
        ).all()
        assert [(s.action, s.actor_id) for s in steps] == [
            ("created", rep.id),
            ("submitted", rep.id),
            ("approved", manager.id),
        ]
        assert steps[1].changes["comment"]["after"] == "请审批"
        assert steps[2].changes["comment"]["after"] == "同意"
        assert steps[2].changes["status"] == {"before": "pending_approval", "after": "active"}
        note = await session.scalar(
            select(Notification).where(Notification.kind == "contract_approved")
        )
        assert note is not None
        assert note.user_id == rep.id

    async def test_a_manager_does_not_approve_their_own_contract(
        self, session, tenant, client_for
    ) -> None:
        team = await create_team(session, tenant.id)
        manager = await create_user(session, tenant.id, role="manager", team=team)
        colleague = await create_user(session, tenant.id, role="manager", team=team)
        customer = await make_customer(session, tenant.id, manager)
        await session.commit()
        own = await client_for(manager)
        draft = await _draft(own, customer)
        path = f"/api/v1/contracts/{draft['id']}"
        assert (await own.post(f"{path}/submit", json={})).status_code == 200
        body = assert_problem(await own.post(f"{path}/approve", json={}), 403, "self_approval")
        assert draft["number"] in body["detail"]
        assert (await own.get(path)).json()["status"] == "pending_approval"
        approved = await (await client_for(colleague)).post(f"{path}/approve", json={})
        assert approved.status_code == 200, approved.text
        assert approved.json()["decided_by"] == str(colleague.id)

    async def test_reject_needs_a_comment_and_returns_to_draft(
        self, session, tenant, owner_client
    ) -> None:
        customer = await make_customer(session, tenant.id, tenant.owner)
        contract = await make_contract(session, customer, tenant.owner, status="pending_approval")
        await session.commit()
        path = f"/api/v1/contracts/{contract.id}"
        body = assert_problem(
            await owner_client.post(f"{path}/reject", json={}), 422, "validation_error"
        )
        assert body["errors"][0]["field"] == "body.comment"
        r = await owner_client.post(f"{path}/reject", json={"comment": "金额有误"})
        assert r.json()["status"] == "draft"
        assert r.json()["decision_comment"] == "金额有误"
        again = await owner_client.post(f"{path}/approve", json={})
        body = assert_problem(again, 409, "contract_state")
        assert body["contract_status"] == "draft"

    async def test_manager_of_another_team_cannot_see_it(self, session, tenant, client_for) -> None:
        east, south = await create_team(session, tenant.id), await create_team(session, tenant.id)
        rep = await create_user(session, tenant.id, role="sales", team=east)
        other = await create_user(session, tenant.id, role="manager", team=south)
        customer = await make_customer(session, tenant.id, rep)
        contract = await make_contract(session, customer, rep, status="pending_approval")
        await session.commit()
        client = await client_for(other)
        r = await client.post(f"/api/v1/contracts/{contract.id}/approve", json={})
        assert_problem(r, 404, "not_found")

    async def test_submit_refuses_a_plan_that_does_not_add_up(
        self, session, tenant, owner_client
    ) -> None:
        customer = await make_customer(session, tenant.id, tenant.owner)
        contract = await make_contract(
            session,
            customer,
            tenant.owner,
            "1000.00",
            status="draft",
            plan=[(date(2026, 5, 1), "600.00")],
        )
        await session.commit()
        r = await owner_client.post(f"/api/v1/contracts/{contract.id}/submit", json={})
        body = assert_problem(r, 422, "plan_sum_mismatch")
        assert body["detail"] == (
            "The payment plan adds up to 600.00 CNY but the contract amount is 1,000.00; "
            "fix the plan or the amount first."
        )


class TestEditing:
    async def test_active_contract_keeps_its_money_terms(
        self, session, tenant, owner_client
    ) -> None:
        customer = await make_customer(session, tenant.id, tenant.owner)
        contract = await make_contract(session, customer, tenant.owner)
        await session.commit()
        path = f"/api/v1/contracts/{contract.id}"
        r = await owner_client.patch(path, json={"amount": "9.00"})
        body = assert_problem(r, 409, "contract_locked")
        assert body["errors"] == [{"field": "body.amount", "message": "fixed once approved"}]
        assert "terminate" in body["detail"].lower()
        ok = await owner_client.patch(path, json={"notes": "续签中", "ends_on": "2027-06-30"})
        assert ok.status_code == 200, ok.text
        assert ok.json()["ends_on"] == "2027-06-30"
        assert ok.json()["amount"] == "10000.00"

    async def test_draft_changes_freely_and_is_deleted(self, session, tenant, owner_client) -> None:
        customer = await make_customer(session, tenant.id, tenant.owner)
        await session.commit()
        draft = await _draft(owner_client, customer)
        path = f"/api/v1/contracts/{draft['id']}"
        r = await owner_client.patch(
            path, json={"amount": "99.50", "currency": "USD"}, headers={"If-Match": 'W/"1"'}
        )
        assert (r.json()["amount"], r.json()["currency"]) == ("99.50", "USD")
        stale = await owner_client.delete(path, headers={"If-Match": 'W/"1"'})
        assert_problem(stale, 412, "precondition_failed")
        assert (await owner_client.delete(path)).status_code == 204
        assert_problem(await owner_client.get(path), 404, "not_found")

    async def test_approved_contract_is_not_deleted(self, session, tenant, owner_client) -> None:
        customer = await make_customer(session, tenant.id, tenant.owner)
        contract = await make_contract(session, customer, tenant.owner)
        await session.commit()
        r = await owner_client.delete(f"/api/v1/contracts/{contract.id}")
        assert_problem(r, 409, "contract_not_draft")

    async def test_terminate_voids_what_is_unpaid(self, session, tenant, owner_client) -> None:
        customer = await make_customer(session, tenant.id, tenant.owner)
        contract = await make_contract(
            session,
            customer,
            tenant.owner,
            "300.00",
            plan=[(date(2026, 1, 1), "100.00"), (date(2026, 2, 1), "200.00")],
        )
        await session.commit()
        r = await owner_client.post(
            f"/api/v1/contracts/{contract.id}/terminate", json={"reason": "客户破产"}
        )
        assert r.json()["status"] == "terminated"
        assert r.json()["termination_reason"] == "客户破产"
        assert r.json()["totals"]["outstanding"] == "0.00"
        plan = (await owner_client.get(f"/api/v1/contracts/{contract.id}/payment-plan")).json()
        assert [i["status"] for i in plan["installments"]] == ["void", "void"]
        again = await owner_client.post(
            f"/api/v1/contracts/{contract.id}/terminate", json={"reason": "x"}
        )
        assert_problem(again, 409, "contract_state")

    async def test_termination_is_a_managers_decision(self, session, tenant, client_for) -> None:
        team = await create_team(session, tenant.id)
        rep = await create_user(session, tenant.id, role="sales", team=team)
        manager = await create_user(session, tenant.id, role="manager", team=team)
        customer = await make_customer(session, tenant.id, rep)
        contract = await make_contract(
            session, customer, rep, "300.00", plan=[(date(2026, 1, 1), "300.00")]
        )
        own_deal = await make_contract(
            session, await make_customer(session, tenant.id, manager), manager, "50.00"
        )
        await session.commit()
        path = f"/api/v1/contracts/{contract.id}/terminate"
        body = {"reason": "客户要求取消"}
        refused = await (await client_for(rep)).post(path, json=body)
        assert_problem(refused, 403, "approver_required")
        manager_client = await client_for(manager)
        assert_problem(
            await manager_client.post(f"/api/v1/contracts/{own_deal.id}/terminate", json=body),
            403,
            "self_approval",
        )
        got = (await manager_client.get(f"/api/v1/contracts/{contract.id}")).json()
        assert (got["status"], got["totals"]["outstanding"]) == ("active", "300.00")
        done = await manager_client.post(path, json=body)
        assert done.status_code == 200, done.text
        assert (done.json()["status"], done.json()["totals"]["outstanding"]) == (
            "terminated",
            "0.00",
        )


class TestOwnerAndDeal:
    async def test_an_owner_cannot_be_removed_and_reps_do_not_reassign(
        self, session, tenant, client_for, owner_client
    ) -> None:
        rep = await create_user(session, tenant.id, role="sales")
        other = await create_user(session, tenant.id, role="sales")
        customer = await make_customer(session, tenant.id, rep)
        await session.commit()
        rep_client = await client_for(rep)
        draft = await _draft(rep_client, customer)
        path = f"/api/v1/contracts/{draft['id']}"
        body = assert_problem(
            await rep_client.patch(path, json={"owner_id": None}), 422, "validation_error"
        )
        assert body["errors"] == [{"field": "body.owner_id", "message": "cannot be null"}]
        assert_problem(
            await rep_client.patch(path, json={"owner_id": str(other.id)}), 403, "forbidden"
        )
        assert_problem(
            await owner_client.patch(path, json={"owner_id": None}), 422, "validation_error"
        )
        still = await rep_client.get(path)
        assert still.status_code == 200
        assert (still.json()["owner_id"], still.json()["version"]) == (str(rep.id), 1)
        moved = await owner_client.patch(path, json={"owner_id": str(other.id)})
        assert moved.json()["owner_id"] == str(other.id)

    async def test_deal_customer_and_currency_stay_together(
        self, session, tenant, owner_client
    ) -> None:
        customer = await make_customer(session, tenant.id, tenant.owner)
        elsewhere = await make_customer(session, tenant.id, tenant.owner)
        deal = await _won_deal(session, tenant, customer, "88000.00", "CNY")
        await session.commit()
        r = await owner_client.post(
            "/api/v1/contracts", json={"opportunity_id": str(deal.id), "currency": "USD"}
        )
        body = assert_problem(r, 422, "currency_mismatch")
        assert body["errors"] == [
            {"field": "body.currency", "message": "must be CNY, the deal's currency"}
        ]
        r = await owner_client.post(
            "/api/v1/contracts", json={"opportunity_id": str(deal.id), "currency": "CNY"}
        )
        assert r.status_code == 201, r.text
        path = f"/api/v1/contracts/{r.json()['id']}"
        moved = await owner_client.patch(path, json={"customer_id": str(elsewhere.id)})
        body = assert_problem(moved, 422, "deal_customer_mismatch")
        assert body["errors"][0]["field"] == "body.customer_id"
        body = assert_problem(
            await owner_client.patch(path, json={"currency": "USD"}), 422, "currency_mismatch"
        )
        got = (await owner_client.get(path)).json()
        assert (got["customer_id"], got["opportunity_id"], got["currency"]) == (
            str(customer.id),
            str(deal.id),
            "CNY",
        )
        apart = await owner_client.patch(
            path,
            json={"customer_id": str(elsewhere.id), "opportunity_id": None, "currency": "USD"},
        )
        assert apart.status_code == 200, apart.text
        assert (apart.json()["customer_id"], apart.json()["opportunity_id"]) == (
            str(elsewhere.id),
            None,
        )
        back = await owner_client.patch(path, json={"opportunity_id": str(deal.id)})
        assert_problem(back, 422, "deal_customer_mismatch")


class TestBadInput:
    async def test_money_and_references_are_validated(self, session, tenant, owner_client) -> None:
        customer = await make_customer(session, tenant.id, tenant.owner)
        await session.commit()
        base = {"title": "x", "customer_id": str(customer.id)}
        cases = [
            ({"amount": "-1.00"}, "body.amount"),
            ({"amount": "1.005"}, "body.amount"),
            ({"amount": "NaN"}, "body.amount"),
            ({"amount": "10", "currency": "cny"}, "body.currency"),
            ({"amount": "10", "currency": "RMB1"}, "body.currency"),
            ({"amount": "10", "unknown": 1}, "body.unknown"),
        ]
        for extra, field in cases:
            r = await owner_client.post("/api/v1/contracts", json=base | extra)
            body = assert_problem(r, 422, "validation_error")
            assert field in {e["field"] for e in body["errors"]}, (extra, body)
        r = await owner_client.post(
            "/api/v1/contracts",
            json=base | {"amount": "10", "customer_id": "0190c7a0-0000-7000-8000-000000000000"},
        )
        body = assert_problem(r, 422, "invalid_reference")
        assert body["errors"][0]["field"] == "body.customer_id"
        r = await owner_client.post(
            "/api/v1/contracts",
            json=base | {"amount": "10", "starts_on": "2026-05-01", "ends_on": "2026-04-01"},
        )
        assert_problem(r, 422, "invalid_dates")
        await use(session, tenant.id)
        assert (await session.scalar(select(Contract.id).limit(1))) is None


class TestFromDeal:
    async def test_a_deal_prefills_the_contract(self, session, tenant, owner_client) -> None:
        customer = await make_customer(session, tenant.id, tenant.owner)
        deal = await _won_deal(session, tenant, customer, "88000.00", "CNY")
        await session.commit()
        r = await owner_client.post("/api/v1/contracts", json={"opportunity_id": str(deal.id)})
        assert r.status_code == 201, r.text
        got = r.json()
        assert (got["title"], got["amount"], got["currency"]) == ("ERP 实施项目", "88000.00", "CNY")
        assert got["customer_id"] == str(customer.id)
        assert got["opportunity_id"] == str(deal.id)
        listed = (await owner_client.get(f"/api/v1/contracts?opportunity_id={deal.id}")).json()
        assert [c["id"] for c in listed["data"]] == [got["id"]]


class TestSettings:
    async def test_defaults_and_who_changes_them(
        self, session, tenant, owner_client, client_for
    ) -> None:
        manager = await create_user(session, tenant.id, role="manager")
        await session.commit()
        got = (await owner_client.get("/api/v1/settings/contracts")).json()
        assert got == {
            "number_prefix": "HT",
            "renewal_reminder_days": 30,
            "payment_reminder_days": 3,
        }
        r = await (await client_for(manager)).patch(
            "/api/v1/settings/contracts", json={"renewal_reminder_days": 10}
        )
        assert_problem(r, 403, "forbidden")
        r = await owner_client.patch("/api/v1/settings/contracts", json={"number_prefix": "合同"})
        assert_problem(r, 422, "validation_error")
        r = await owner_client.patch(
            "/api/v1/settings/contracts", json={"payment_reminder_days": 5}
        )
        assert r.json()["payment_reminder_days"] == 5
        assert r.json()["renewal_reminder_days"] == 30
