"""Pipelines, stages, opportunities, the board and products."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from app.models.customer import Contact, Customer
from app.models.event import Event
from app.models.pipeline import Opportunity, OpportunityItem
from app.pipeline import service
from tests.auth.test_auth import assert_problem
from tests.factories import create_team, create_user, use

API = "/api/v1"


async def make_customer(session, tenant, owner, name: str = "上海浦江机电有限公司"):  # type: ignore[no-untyped-def]
    await use(session, tenant.id)
    customer = Customer(workspace_id=tenant.id, name=name, owner_id=owner.id)
    session.add(customer)
    await session.flush()
    await session.commit()
    return customer


async def default_pipeline(client) -> dict:  # type: ignore[no-untyped-def,type-arg]
    pipelines = (await client.get(f"{API}/pipelines")).json()["data"]
    return next(p for p in pipelines if p["is_default"])  # type: ignore[no-any-return]


def stage(pipeline: dict, name_en: str) -> str:  # type: ignore[type-arg]
    return next(s["id"] for s in pipeline["stages"] if s["name_en"] == name_en)  # type: ignore[no-any-return]


async def new_deal(client, customer, **body):  # type: ignore[no-untyped-def]
    r = await client.post(
        f"{API}/opportunities", json={"customer_id": str(customer.id), "name": "Deal", **body}
    )
    assert r.status_code == 201, r.text
    return r.json()


async def reason_id(client) -> str:  # type: ignore[no-untyped-def]
    return (await client.get(f"{API}/lost-reasons")).json()["data"][0]["id"]  # type: ignore[no-any-return]


class Clock:
    """A controlled clock for the pipeline service (entered/left times, rotting)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)
        monkeypatch.setattr(service, "now_utc", lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class TestPipelines:
    async def test_a_new_workspace_has_the_standard_pipeline(self, session, client_for) -> None:
        from app.workspaces.service import create_workspace

        created = await create_workspace(
            session,
            name="新公司 New Co",
            owner_name="Owner",
            owner_email="owner-pipe@example.com",
            password="correct horse battery",
        )
        await session.commit()
        client = await client_for(created.owner)
        pipelines = (await client.get(f"{API}/pipelines")).json()["data"]
        assert len(pipelines) == 1
        default = pipelines[0]
        assert default["is_default"] is True
        assert [s["name_zh"] for s in default["stages"]] == [
            "初步接洽",
            "需求确认",
            "方案报价",
            "谈判审核",
            "赢单",
            "输单",
        ]
        assert [s["kind"] for s in default["stages"]] == [
            "open",
            "open",
            "open",
            "open",
            "won",
            "lost",
        ]
        assert [s["probability"] for s in default["stages"]] == [10, 30, 50, 80, 100, 0]
        reasons = (await client.get(f"{API}/lost-reasons")).json()["data"]
        assert [r["label_en"] for r in reasons][:2] == ["Price too high", "Chose a competitor"]

    async def test_create_pipeline_validates_and_moves_the_default(
        self, owner_client, pipeline
    ) -> None:
        r = await owner_client.post(
            f"{API}/pipelines",
            json={
                "name": "项目制 Projects",
                "is_default": True,
                "stages": [
                    {"name_zh": "立项", "name_en": "Kick-off", "probability": 20},
                    {"name_zh": "签约", "name_en": "Signed", "kind": "won", "probability": 100},
                ],
            },
        )
        body = assert_problem(r, 422, "pipeline_stages_incomplete")
        assert body["errors"][0]["field"] == "body.stages"
        r = await owner_client.post(f"{API}/pipelines", json={"name": pipeline["name"]})
        assert_problem(r, 409, "name_taken")
        r = await owner_client.post(
            f"{API}/pipelines", json={"name": "项目制 Projects", "is_default": True}
        )
        assert r.status_code == 201, r.text
        assert len(r.json()["stages"]) == 6
        pipelines = (await owner_client.get(f"{API}/pipelines")).json()["data"]
        assert [p["is_default"] for p in pipelines] == [False, True]
        r = await owner_client.patch(
            f"{API}/pipelines/{r.json()['id']}", json={"is_default": False}
        )
        assert_problem(r, 422, "default_required")
        r = await owner_client.delete(f"{API}/pipelines/{pipelines[1]['id']}")
        assert_problem(r, 409, "default_pipeline")
        r = await owner_client.delete(f"{API}/pipelines/{pipeline['id']}")
        assert r.status_code == 204

    async def test_stage_crud_and_reorder(
        self, session, tenant, owner_client, pipeline, client_for
    ) -> None:
        pid = pipeline["id"]
        r = await owner_client.post(
            f"{API}/pipelines/{pid}/stages",
            json={"name_zh": "合同审批", "name_en": "Contract review", "probability": 90},
        )
        assert r.status_code == 201, r.text
        added = r.json()
        assert added["position"] == 4  # after the last open stage, before 赢单 / 输单
        stages = (await owner_client.get(f"{API}/pipelines/{pid}/stages")).json()
        assert [s["name_en"] for s in stages][3:] == [
            "Negotiation & approval",
            "Contract review",
            "Won",
            "Lost",
        ]
        r = await owner_client.patch(
            f"{API}/pipelines/{pid}/stages/{added['id']}",
            json={"name_en": "Legal review", "rotting_days": 5},
        )
        assert r.status_code == 200, r.text
        assert (r.json()["name_en"], r.json()["rotting_days"]) == ("Legal review", 5)
        new_order = [s["id"] for s in reversed(stages)]
        r = await owner_client.post(
            f"{API}/pipelines/{pid}/stages/reorder", json={"stage_ids": new_order}
        )
        assert r.status_code == 200, r.text
        assert [s["id"] for s in r.json()] == new_order
        assert [s["position"] for s in r.json()] == list(range(len(new_order)))
        r = await owner_client.post(
            f"{API}/pipelines/{pid}/stages/reorder", json={"stage_ids": new_order[1:]}
        )
        body = assert_problem(r, 422, "validation_error")
        assert body["errors"][0]["field"] == "body.stage_ids"
        rep = await create_user(session, tenant.id, role="sales")
        await session.commit()
        rep_client = await client_for(rep)
        r = await rep_client.post(
            f"{API}/pipelines/{pid}/stages", json={"name_zh": "x", "name_en": "x"}
        )
        assert_problem(r, 403, "forbidden")

    async def test_deleting_a_stage_with_deals_needs_a_target(
        self, session, tenant, owner_client, pipeline
    ) -> None:
        customer = await make_customer(session, tenant, tenant.owner)
        pid, first, second = (
            pipeline["id"],
            stage(pipeline, "Initial contact"),
            stage(pipeline, "Needs confirmed"),
        )
        deal = await new_deal(owner_client, customer)
        assert deal["stage_id"] == first
        r = await owner_client.delete(f"{API}/pipelines/{pid}/stages/{first}")
        assert_problem(r, 409, "stage_not_empty")
        r = await owner_client.delete(
            f"{API}/pipelines/{pid}/stages/{first}",
            params={"move_to_stage_id": stage(pipeline, "Won")},
        )
        assert_problem(r, 422, "stage_kind_mismatch")
        r = await owner_client.delete(
            f"{API}/pipelines/{pid}/stages/{first}", params={"move_to_stage_id": second}
        )
        assert r.status_code == 204, r.text
        moved = (await owner_client.get(f"{API}/opportunities/{deal['id']}")).json()
        assert (moved["stage_id"], moved["probability"]) == (second, 30)
        history = (await owner_client.get(f"{API}/opportunities/{deal['id']}/history")).json()
        assert [h["stage_id"] for h in history] == [first, second]
        assert history[0]["left_at"] is not None
        stages = (await owner_client.get(f"{API}/pipelines/{pid}/stages")).json()
        assert first not in [s["id"] for s in stages]
        assert [s["position"] for s in stages] == list(range(5))
        r = await owner_client.delete(f"{API}/pipelines/{pid}/stages/{stage(pipeline, 'Won')}")
        assert_problem(r, 422, "pipeline_stages_incomplete")
        r = await owner_client.delete(f"{API}/pipelines/{pid}")
        assert_problem(r, 409, "default_pipeline")

    async def test_closed_deals_moved_off_a_deleted_stage_stay_closed_as_they_were(
        self, session, tenant, owner_client, pipeline, monkeypatch
    ) -> None:
        clock = Clock(monkeypatch)
        customer = await make_customer(session, tenant, tenant.owner)
        pid, lost = pipeline["id"], stage(pipeline, "Lost")
        extra = {}
        for kind, name, probability in (
            ("lost", "Lost (archived)", 0),
            ("won", "Won (archived)", 100),
        ):
            r = await owner_client.post(
                f"{API}/pipelines/{pid}/stages",
                json={"name_zh": name, "name_en": name, "kind": kind, "probability": probability},
            )
            assert r.status_code == 201, r.text
            extra[kind] = r.json()["id"]
        reasons = (await owner_client.get(f"{API}/lost-reasons")).json()["data"]
        lost_deals = []
        for i, reason in enumerate(reasons[:3]):
            deal = await new_deal(owner_client, customer, name=f"Lost {i}")
            r = await owner_client.post(
                f"{API}/opportunities/{deal['id']}/lose",
                json={
                    "lost_reason_id": reason["id"],
                    "lost_note": f"备注 note {i}",
                    "stage_id": lost,
                },
            )
            assert r.status_code == 200, r.text
            lost_deals.append(r.json())
        won_deal = await new_deal(owner_client, customer, name="Won")
        won = (
            await owner_client.post(
                f"{API}/opportunities/{won_deal['id']}/win",
                json={"stage_id": stage(pipeline, "Won")},
            )
        ).json()
        assert won["stage_id"] == stage(pipeline, "Won")
        clock.advance(days=3)

        r = await owner_client.delete(
            f"{API}/pipelines/{pid}/stages/{lost}", params={"move_to_stage_id": extra["lost"]}
        )
        assert r.status_code == 204, r.text
        r = await owner_client.delete(
            f"{API}/pipelines/{pid}/stages/{stage(pipeline, 'Won')}",
            params={"move_to_stage_id": extra["won"]},
        )
        assert r.status_code == 204, r.text

        for before in [*lost_deals, won]:
            after = (await owner_client.get(f"{API}/opportunities/{before['id']}")).json()
            kept = ("status", "lost_reason_id", "lost_note", "lost_at", "won_at", "probability")
            assert {k: after[k] for k in kept} == {k: before[k] for k in kept}
            assert after["stage_id"] == extra[before["status"]]
            assert after["version"] == before["version"] + 1
            history = (await owner_client.get(f"{API}/opportunities/{before['id']}/history")).json()
            assert [h["stage_id"] for h in history][1:] == [before["stage_id"], after["stage_id"]]
            assert history[1]["seconds_in_stage"] == 3 * 86400
            assert history[2]["left_at"] is None
        await use(session, tenant.id)
        moved = (
            await session.execute(
                select(Event.entity_id, Event.sequence, Event.data, Event.changed_fields).where(
                    Event.type == "opportunity.stage_changed"
                )
            )
        ).all()
        assert {str(m.entity_id) for m in moved} == {d["id"] for d in [*lost_deals, won]}
        for m in moved:
            assert m.data["previous_stage_id"] in (lost, stage(pipeline, "Won"))
            assert m.data["lost_reason_id"] == next(
                d["lost_reason_id"] for d in [*lost_deals, won] if d["id"] == str(m.entity_id)
            )


class TestOpportunities:
    async def test_line_items_give_exact_totals(
        self, session, tenant, owner_client, pipeline
    ) -> None:
        customer = await make_customer(session, tenant, tenant.owner)
        product = (
            await owner_client.post(
                f"{API}/products",
                json={
                    "sku": "CRM-PRO",
                    "name": "CRM 专业版",
                    "list_price": "1280.00",
                    "unit": "套",
                },
            )
        ).json()
        deal = await new_deal(
            owner_client,
            customer,
            amount="5.00",
            items=[
                {"name": "实施服务", "quantity": "3", "unit_price": "33.33"},
                {
                    "name": "培训 Training",
                    "quantity": "1.5",
                    "unit_price": "19.99",
                    "discount": "10",
                },
                {"name": "Half-cent", "quantity": "1", "unit_price": "0.25", "discount": "50"},
                {"product_id": product["id"], "quantity": "2", "discount": "15"},
            ],
        )
        assert [i["line_total"] for i in deal["items"]] == ["99.99", "26.99", "0.13", "2176.00"]
        assert deal["amount"] == "2303.11"  # the sum of the lines, not the 5.00 sent
        assert deal["items"][3]["name"] == "CRM 专业版"
        assert (deal["items"][3]["unit_price"], deal["items"][3]["unit"]) == ("1280.00", "套")
        r = await owner_client.patch(
            f"{API}/opportunities/{deal['id']}",
            json={"items": [{"name": "Only", "quantity": "7", "unit_price": "0.05"}]},
        )
        assert r.status_code == 200, r.text
        assert r.json()["amount"] == "0.35"
        r = await owner_client.patch(f"{API}/opportunities/{deal['id']}", json={"amount": "9.00"})
        assert_problem(r, 422, "amount_from_items")
        r = await owner_client.patch(f"{API}/opportunities/{deal['id']}", json={"items": []})
        assert r.json()["items"] == []
        r = await owner_client.patch(f"{API}/opportunities/{deal['id']}", json={"amount": "9.00"})
        assert r.json()["amount"] == "9.00"

    async def test_currency_mismatch_and_negative_numbers_are_422(
        self, session, tenant, owner_client, pipeline
    ) -> None:
        customer = await make_customer(session, tenant, tenant.owner)
        usd = (
            await owner_client.post(
                f"{API}/products",
                json={
                    "sku": "API-USD",
                    "name": "API access",
                    "list_price": "99.00",
                    "currency": "USD",
                },
            )
        ).json()
        base = {"customer_id": str(customer.id), "name": "Mismatch"}
        r = await owner_client.post(
            f"{API}/opportunities",
            json={**base, "items": [{"product_id": usd["id"], "quantity": "1"}]},
        )
        body = assert_problem(r, 422, "currency_mismatch")
        assert body["errors"] == [
            {
                "field": "body.items.0.currency",
                "message": "USD differs from the deal's currency CNY",
            }
        ]
        r = await owner_client.post(
            f"{API}/opportunities",
            json={
                **base,
                "items": [
                    {"name": "ok", "quantity": "1", "unit_price": "1.00"},
                    {"name": "eur", "quantity": "1", "unit_price": "1.00", "currency": "EUR"},
                ],
            },
        )
        assert assert_problem(r, 422, "currency_mismatch")["errors"][0]["field"] == (
            "body.items.1.currency"
        )
        ok = await owner_client.post(
            f"{API}/opportunities",
            json={
                **base,
                "currency": "USD",
                "items": [{"product_id": usd["id"], "quantity": "3"}],
            },
        )
        assert ok.json()["amount"] == "297.00"
        for bad in (
            {"amount": "-1.00"},
            {"amount": "1.005"},
            {"currency": "usd"},
            {"items": [{"name": "x", "quantity": "-2", "unit_price": "1.00"}]},
            {"items": [{"name": "x", "quantity": "1", "unit_price": "-1.00"}]},
            {"items": [{"name": "x", "quantity": "1", "unit_price": "1.00", "discount": "101"}]},
            {"probability": 101},
        ):
            r = await owner_client.post(f"{API}/opportunities", json={**base, **bad})
            assert_problem(r, 422, "validation_error")
        r = await owner_client.post(
            f"{API}/opportunities",
            json={**base, "items": [{"quantity": "1", "unit_price": "1.00"}]},
        )
        assert assert_problem(r, 422, "invalid_line_items")["errors"][0]["field"] == (
            "body.items.0.name"
        )
        await use(session, tenant.id)
        assert await session.scalar(select(func.count()).select_from(Opportunity)) == 1
        assert await session.scalar(select(func.count()).select_from(OpportunityItem)) == 1

    async def test_move_win_lose_reopen_with_history(
        self, session, tenant, owner_client, pipeline, monkeypatch
    ) -> None:
        clock = Clock(monkeypatch)
        customer = await make_customer(session, tenant, tenant.owner)
        deal = await new_deal(owner_client, customer, amount="50000.00")
        assert (deal["status"], deal["probability"], deal["probability_manual"]) == (
            "open",
            10,
            False,
        )
        did = deal["id"]
        clock.advance(days=2)
        moved = (
            await owner_client.post(
                f"{API}/opportunities/{did}/move",
                json={"stage_id": stage(pipeline, "Proposal & quote")},
            )
        ).json()
        assert (moved["probability"], moved["status"]) == (50, "open")
        clock.advance(hours=5)
        won = (await owner_client.post(f"{API}/opportunities/{did}/win", json={})).json()
        assert won["status"] == "won"
        assert won["stage_id"] == stage(pipeline, "Won")
        assert won["probability"] == 100
        assert won["won_at"] is not None
        r = await owner_client.post(f"{API}/opportunities/{did}/win", json={})
        assert_problem(r, 409, "already_closed")
        clock.advance(days=1)
        reopened = (
            await owner_client.post(
                f"{API}/opportunities/{did}/move",
                json={"stage_id": stage(pipeline, "Needs confirmed")},
            )
        ).json()
        assert (reopened["status"], reopened["won_at"], reopened["probability"]) == (
            "open",
            None,
            30,
        )
        r = await owner_client.post(
            f"{API}/opportunities/{did}/move", json={"stage_id": stage(pipeline, "Lost")}
        )
        assert_problem(r, 422, "lost_reason_required")
        r = await owner_client.post(f"{API}/opportunities/{did}/lose", json={})
        assert_problem(r, 422, "validation_error")
        clock.advance(minutes=30)
        reason = await reason_id(owner_client)
        lost = (
            await owner_client.post(
                f"{API}/opportunities/{did}/lose",
                json={"lost_reason_id": reason, "lost_note": "选了友商 chose a rival"},
            )
        ).json()
        assert (lost["status"], lost["lost_reason_id"], lost["probability"]) == ("lost", reason, 0)
        assert lost["lost_at"] is not None
        assert lost["won_at"] is None
        history = (await owner_client.get(f"{API}/opportunities/{did}/history")).json()
        assert [h["stage_name_en"] for h in history] == [
            "Initial contact",
            "Proposal & quote",
            "Won",
            "Needs confirmed",
            "Lost",
        ]
        assert [h["seconds_in_stage"] for h in history[:4]] == [
            2 * 86400,
            5 * 3600,
            86400,
            1800,
        ]
        assert all(h["left_at"] for h in history[:4])
        assert history[4]["left_at"] is None
        await use(session, tenant.id)
        types = (
            (
                await session.execute(
                    select(Event.type).where(Event.entity_id == deal["id"]).order_by(Event.id)
                )
            )
            .scalars()
            .all()
        )
        assert list(types) == [
            "opportunity.created",
            "opportunity.stage_changed",
            "opportunity.won",
            "opportunity.reopened",
            "opportunity.lost",
        ]
        won_event = await session.scalar(
            select(Event).where(Event.entity_id == deal["id"], Event.type == "opportunity.won")
        )
        assert won_event is not None
        assert won_event.data["customer_id"] == str(customer.id)
        assert (won_event.data["amount"], won_event.data["currency"]) == ("50000.00", "CNY")
        assert won_event.data["items"] == []

    async def test_probability_override_survives_moves(
        self, session, tenant, owner_client, pipeline
    ) -> None:
        customer = await make_customer(session, tenant, tenant.owner)
        deal = await new_deal(owner_client, customer, probability=65)
        assert (deal["probability"], deal["probability_manual"]) == (65, True)
        moved = (
            await owner_client.post(
                f"{API}/opportunities/{deal['id']}/move",
                json={"stage_id": stage(pipeline, "Negotiation & approval")},
            )
        ).json()
        assert moved["probability"] == 65
        back = (
            await owner_client.patch(
                f"{API}/opportunities/{deal['id']}", json={"probability": None}
            )
        ).json()
        assert (back["probability"], back["probability_manual"]) == (80, False)

    async def test_rotting_with_a_controlled_clock(
        self, session, tenant, owner_client, pipeline, monkeypatch
    ) -> None:
        clock = Clock(monkeypatch)
        customer = await make_customer(session, tenant, tenant.owner)
        first = stage(pipeline, "Initial contact")  # rots after 14 days
        r = await owner_client.patch(
            f"{API}/pipelines/{pipeline['id']}/stages/{stage(pipeline, 'Needs confirmed')}",
            json={"rotting_days": None},
        )
        assert r.json()["rotting_days"] is None
        stale = await new_deal(owner_client, customer, name="Stale")
        never = await new_deal(
            owner_client, customer, name="Never rots", stage_id=stage(pipeline, "Needs confirmed")
        )
        clock.advance(days=13, hours=23)
        assert (await owner_client.get(f"{API}/opportunities/{stale['id']}")).json()[
            "rotting"
        ] is False
        clock.advance(hours=2)
        assert (await owner_client.get(f"{API}/opportunities/{stale['id']}")).json()[
            "rotting"
        ] is True
        assert (await owner_client.get(f"{API}/opportunities/{never['id']}")).json()[
            "rotting"
        ] is False
        rotting = (
            await owner_client.get(f"{API}/opportunities", params={"rotting": "true"})
        ).json()
        assert [d["id"] for d in rotting["data"]] == [stale["id"]]
        fresh = (await owner_client.get(f"{API}/opportunities", params={"rotting": "false"})).json()
        assert [d["id"] for d in fresh["data"]] == [never["id"]]
        board = (await owner_client.get(f"{API}/pipelines/{pipeline['id']}/board")).json()
        column = next(c for c in board["columns"] if c["stage"]["id"] == first)
        assert [(d["id"], d["rotting"]) for d in column["deals"]] == [(stale["id"], True)]
        moved = (
            await owner_client.post(
                f"{API}/opportunities/{stale['id']}/move",
                json={"stage_id": stage(pipeline, "Proposal & quote")},
            )
        ).json()
        assert moved["rotting"] is False  # the clock restarts in the new stage

    async def test_a_sales_rep_sees_only_own_deals(
        self, session, tenant, owner_client, pipeline, client_for
    ) -> None:
        a = await create_user(session, tenant.id, role="sales")
        b = await create_user(session, tenant.id, role="sales")
        customer_a = await make_customer(session, tenant, a, "A 客户")
        customer_b = await make_customer(session, tenant, b, "B 客户")
        await new_deal(owner_client, customer_a, owner_id=str(a.id), amount="100.00")
        b_deal = await new_deal(owner_client, customer_b, owner_id=str(b.id), amount="900.00")
        client_a = await client_for(a)
        listed = (await client_a.get(f"{API}/opportunities")).json()["data"]
        assert [d["owner_id"] for d in listed] == [str(a.id)]
        assert_problem(await client_a.get(f"{API}/opportunities/{b_deal['id']}"), 404, "not_found")
        r = await client_a.post(
            f"{API}/opportunities/{b_deal['id']}/move",
            json={"stage_id": stage(pipeline, "Needs confirmed")},
        )
        assert_problem(r, 404, "not_found")
        board = (await client_a.get(f"{API}/pipelines/{pipeline['id']}/board")).json()
        first = board["columns"][0]
        assert first["count"] == 1
        assert first["totals"] == [
            {"currency": "CNY", "count": 1, "amount": "100.00", "weighted_amount": "10.00"}
        ]
        r = await client_a.post(
            f"{API}/opportunities", json={"customer_id": str(customer_b.id), "name": "theirs"}
        )
        body = assert_problem(r, 422, "invalid_reference")
        assert body["errors"][0]["field"] == "body.customer_id"
        r = await client_a.post(
            f"{API}/opportunities",
            json={"customer_id": str(customer_a.id), "name": "x", "owner_id": str(b.id)},
        )
        assert_problem(r, 403, "owner_not_allowed")

    async def test_a_rep_keeps_editing_a_won_deal_after_the_customer_moved_on(
        self, session, tenant, owner_client, pipeline, client_for
    ) -> None:
        """Closed deals stay with whoever closed them when the customer changes hands (or
        goes back to the pool); the rep still edits them, only a new contact is checked."""
        rep = await create_user(session, tenant.id, role="sales")
        other = await create_user(session, tenant.id, role="sales")
        customer = await make_customer(session, tenant, rep, "转手 Moved Co")
        other_customer = await make_customer(session, tenant, other, "别家 Other Co")
        await use(session, tenant.id)
        contact = Contact(workspace_id=tenant.id, customer_id=customer.id, name="张三")
        stranger = Contact(workspace_id=tenant.id, customer_id=other_customer.id, name="李四")
        session.add_all([contact, stranger])
        await session.commit()
        rep_client = await client_for(rep)
        deal = await new_deal(rep_client, customer)
        r = await rep_client.post(f"{API}/opportunities/{deal['id']}/win", json={})
        assert r.status_code == 200, r.text
        for new_owner in (other.id, None):  # transferred to a colleague, then to the pool
            await use(session, tenant.id)
            await session.execute(
                update(Customer).where(Customer.id == customer.id).values(owner_id=new_owner)
            )
            await session.commit()
            r = await rep_client.patch(
                f"{API}/opportunities/{deal['id']}", json={"notes": f"回访 follow-up {new_owner}"}
            )
            assert r.status_code == 200, r.text
            assert r.json()["notes"] == f"回访 follow-up {new_owner}"
        r = await rep_client.patch(
            f"{API}/opportunities/{deal['id']}", json={"contact_id": str(contact.id)}
        )
        assert (r.status_code, r.json()["contact_id"]) == (200, str(contact.id))
        r = await rep_client.patch(
            f"{API}/opportunities/{deal['id']}", json={"contact_id": str(stranger.id)}
        )
        body = assert_problem(r, 422, "invalid_reference")
        assert [e["field"] for e in body["errors"]] == ["body.contact_id"]

    async def test_win_or_lose_stays_in_the_deals_pipeline(
        self, session, tenant, owner_client, pipeline
    ) -> None:
        customer = await make_customer(session, tenant, tenant.owner)
        r = await owner_client.post(f"{API}/pipelines", json={"name": "项目 Projects"})
        assert r.status_code == 201, r.text
        projects = r.json()
        deal = await new_deal(owner_client, customer)
        reason = await reason_id(owner_client)
        for verb, body in (
            ("win", {"stage_id": stage(projects, "Won")}),
            ("lose", {"stage_id": stage(projects, "Lost"), "lost_reason_id": reason}),
        ):
            r = await owner_client.post(f"{API}/opportunities/{deal['id']}/{verb}", json=body)
            problem = assert_problem(r, 422, "stage_not_in_pipeline")
            assert [e["field"] for e in problem["errors"]] == ["body.stage_id"]
        unchanged = (await owner_client.get(f"{API}/opportunities/{deal['id']}")).json()
        assert (unchanged["pipeline_id"], unchanged["status"], unchanged["version"]) == (
            pipeline["id"],
            "open",
            deal["version"],
        )
        r = await owner_client.post(
            f"{API}/opportunities/{deal['id']}/win", json={"stage_id": stage(pipeline, "Won")}
        )
        assert (r.status_code, r.json()["pipeline_id"]) == (200, pipeline["id"])
        # moving a deal to another pipeline stays an explicit move
        r = await owner_client.post(
            f"{API}/opportunities/{deal['id']}/move",
            json={"stage_id": stage(projects, "Initial contact")},
        )
        assert (r.status_code, r.json()["pipeline_id"]) == (200, projects["id"])

    async def test_a_customer_with_deals_is_not_deleted(
        self, session, tenant, owner_client, pipeline
    ) -> None:
        customer = await make_customer(session, tenant, tenant.owner)
        deals = [await new_deal(owner_client, customer, name=f"D{i}") for i in range(2)]
        r = await owner_client.post(
            f"{API}/opportunities/{deals[0]['id']}/lose",
            json={"lost_reason_id": await reason_id(owner_client)},
        )
        assert r.status_code == 200, r.text
        r = await owner_client.delete(f"{API}/customers/{customer.id}")
        body = assert_problem(r, 409, "customer_has_records")
        assert body["records"]["opportunities"] == 2  # closed deals count too
        assert (await owner_client.get(f"{API}/customers/{customer.id}")).status_code == 200
        for deal in deals:
            r = await owner_client.delete(f"{API}/opportunities/{deal['id']}")
            assert r.status_code == 204, r.text
        r = await owner_client.delete(f"{API}/customers/{customer.id}")
        assert r.status_code == 204, r.text

    async def test_transfer_moves_open_deals_with_the_customer(
        self, session, tenant, owner_client, pipeline
    ) -> None:
        a = await create_user(session, tenant.id, role="sales")
        b = await create_user(session, tenant.id, role="sales")
        customer = await make_customer(session, tenant, a)
        open_deal = await new_deal(owner_client, customer, owner_id=str(a.id))
        won_deal = await new_deal(owner_client, customer, owner_id=str(a.id), name="Won")
        await owner_client.post(f"{API}/opportunities/{won_deal['id']}/win", json={})
        r = await owner_client.post(
            f"{API}/customers/{customer.id}/transfer",
            json={"to_user_id": str(b.id), "reason": "区域调整"},
        )
        assert r.status_code == 200, r.text
        assert r.json()["moved"]["opportunities"] == 1
        got = (await owner_client.get(f"{API}/opportunities/{open_deal['id']}")).json()
        assert got["owner_id"] == str(b.id)
        assert got["version"] == open_deal["version"] + 1
        closed = (await owner_client.get(f"{API}/opportunities/{won_deal['id']}")).json()
        assert closed["owner_id"] == str(a.id)  # closed deals stay with who closed them

    async def test_merging_customers_moves_their_deals_to_the_survivor(
        self, session, tenant, owner_client, pipeline
    ) -> None:
        rep = await create_user(session, tenant.id, role="sales")
        survivor = await make_customer(session, tenant, rep, "Survivor")
        duplicate = await make_customer(session, tenant, rep, "Duplicate")
        open_deal = await new_deal(owner_client, duplicate, owner_id=str(rep.id))
        won_deal = await new_deal(owner_client, duplicate, owner_id=str(rep.id), name="Won")
        await owner_client.post(f"{API}/opportunities/{won_deal['id']}/win", json={})
        r = await owner_client.post(
            f"{API}/customers/{survivor.id}/merge", json={"duplicate_id": str(duplicate.id)}
        )
        assert r.status_code == 200, r.text
        for deal in (open_deal, won_deal):
            got = (await owner_client.get(f"{API}/opportunities/{deal['id']}")).json()
            assert got["customer_id"] == str(survivor.id)
            assert got["owner_id"] == str(rep.id)

    async def test_handover_moves_every_open_deal_and_counts_them(
        self, session, tenant, owner_client, pipeline
    ) -> None:
        leaving = await create_user(session, tenant.id, role="sales")
        heir = await create_user(session, tenant.id, role="sales")
        other = await create_user(session, tenant.id, role="sales")
        own_customer = await make_customer(session, tenant, leaving, "Own")
        others_customer = await make_customer(session, tenant, other, "Other's")
        d1 = await new_deal(owner_client, own_customer, owner_id=str(leaving.id))
        d2 = await new_deal(owner_client, others_customer, owner_id=str(leaving.id))
        r = await owner_client.post(f"{API}/users/{leaving.id}/deactivate")
        assert assert_problem(r, 409, "owns_records")["owned"] == {
            "customers": 1,
            "opportunities": 2,
        }
        r = await owner_client.post(
            f"{API}/users/{leaving.id}/handover", json={"to_user_id": str(heir.id)}
        )
        assert r.status_code == 200, r.text
        assert r.json()["counts"]["opportunities"] == 2
        for d in (d1, d2):
            got = (await owner_client.get(f"{API}/opportunities/{d['id']}")).json()
            assert got["owner_id"] == str(heir.id)
        r = await owner_client.post(f"{API}/users/{leaving.id}/deactivate")
        assert r.status_code == 200, r.text

    async def test_lead_conversion_creates_a_deal_in_the_default_pipeline(
        self, owner_client, pipeline
    ) -> None:
        lead = (
            await owner_client.post(
                f"{API}/leads",
                json={"name": "钱女士", "company": "温州瓯海眼镜厂", "source": "展会"},
            )
        ).json()
        r = await owner_client.post(f"{API}/leads/{lead['id']}/convert", json={})
        assert r.status_code == 200, r.text
        result = r.json()
        deal_id = result["extra"]["opportunity_id"]
        deal = (await owner_client.get(f"{API}/opportunities/{deal_id}")).json()
        assert deal["pipeline_id"] == pipeline["id"]
        assert deal["stage_id"] == stage(pipeline, "Initial contact")
        assert (deal["customer_id"], deal["contact_id"]) == (
            result["customer_id"],
            result["contact_id"],
        )
        assert (deal["lead_id"], deal["source"], deal["name"]) == (
            lead["id"],
            "展会",
            "温州瓯海眼镜厂",
        )

    async def test_a_campaign_reports_the_deals_its_leads_won(
        self, session, tenant, owner_client, pipeline
    ) -> None:
        campaign = (
            await owner_client.post(f"{API}/campaigns", json={"name": "秋季展会", "budget": "8000"})
        ).json()
        won = []
        for name, amount in (("温州眼镜厂", "12000.50"), ("Ningbo Moulds", "3000.25")):
            lead = (
                await owner_client.post(
                    f"{API}/leads", json={"name": name, "campaign_id": campaign["id"]}
                )
            ).json()
            result = (await owner_client.post(f"{API}/leads/{lead['id']}/convert", json={})).json()
            deal_id = result["extra"]["opportunity_id"]
            deal = (await owner_client.get(f"{API}/opportunities/{deal_id}")).json()
            await owner_client.patch(
                f"{API}/opportunities/{deal_id}",
                json={"amount": amount},
                headers={"If-Match": f'W/"{deal["version"]}"'},
            )
            won.append(deal_id)
        await owner_client.post(f"{API}/opportunities/{won[0]}/win", json={})
        await owner_client.post(f"{API}/opportunities/{won[1]}/win", json={})
        outside = await make_customer(session, tenant, tenant.owner, "Walk-in")
        other = await new_deal(owner_client, outside, amount="999.00")
        await owner_client.post(f"{API}/opportunities/{other['id']}/win", json={})

        stats = (await owner_client.get(f"{API}/campaigns/{campaign['id']}/stats")).json()
        assert (stats["leads"], stats["converted"]) == (2, 2)
        assert stats["won"] == [{"currency": "CNY", "deals": 2, "amount": "15000.75"}]

    async def test_follow_ups_and_tasks_reference_a_deal(
        self, session, tenant, owner_client, pipeline
    ) -> None:
        customer = await make_customer(session, tenant, tenant.owner)
        other = await make_customer(session, tenant, tenant.owner, "Other")
        deal = await new_deal(owner_client, customer)
        r = await owner_client.post(
            f"{API}/activities",
            json={
                "customer_id": str(customer.id),
                "opportunity_id": deal["id"],
                "kind": "visit",
                "content": "方案演示 demo",
                "next_follow_up_at": "2030-01-02T09:00:00+08:00",
            },
        )
        assert r.status_code == 201, r.text
        assert r.json()["opportunity_id"] == deal["id"]
        r = await owner_client.post(
            f"{API}/activities",
            json={
                "customer_id": str(other.id),
                "opportunity_id": deal["id"],
                "kind": "call",
                "content": "x",
            },
        )
        assert_problem(r, 422, "invalid_reference")
        r = await owner_client.post(
            f"{API}/tasks", json={"title": "发报价单", "opportunity_id": deal["id"]}
        )
        assert r.status_code == 201, r.text
        assert r.json()["customer_id"] == str(customer.id)
        listed = (
            await owner_client.get(f"{API}/activities", params={"opportunity_id": deal["id"]})
        ).json()
        assert len(listed["data"]) == 1
        tasks = (
            await owner_client.get(f"{API}/tasks", params={"opportunity_id": deal["id"]})
        ).json()
        assert sorted(t["title"] for t in tasks["data"]) == [
            "发报价单",
            "跟进 上海浦江机电有限公司",
        ]


class TestBoard:
    async def test_counts_totals_and_a_cursor_per_column(
        self, session, tenant, owner_client, pipeline
    ) -> None:
        customer = await make_customer(session, tenant, tenant.owner)
        ids = [
            (await new_deal(owner_client, customer, name=f"D{i}", amount=f"{i}000.50"))["id"]
            for i in range(1, 6)
        ]
        await new_deal(owner_client, customer, name="USD", amount="10.00", currency="USD")
        second = await new_deal(
            owner_client,
            customer,
            name="S",
            amount="7.00",
            stage_id=stage(pipeline, "Needs confirmed"),
        )
        won = await new_deal(owner_client, customer, name="W", amount="3.00")
        await owner_client.post(f"{API}/opportunities/{won['id']}/win", json={})
        r = await owner_client.get(f"{API}/pipelines/{pipeline['id']}/board", params={"limit": 2})
        assert r.status_code == 200, r.text
        board = r.json()
        columns = {c["stage"]["name_en"]: c for c in board["columns"]}
        assert list(columns) == [
            "Initial contact",
            "Needs confirmed",
            "Proposal & quote",
            "Negotiation & approval",
            "Won",
            "Lost",
        ]
        first = columns["Initial contact"]
        assert first["count"] == 6
        assert first["totals"] == [
            {"currency": "CNY", "count": 5, "amount": "15002.50", "weighted_amount": "1500.25"},
            {"currency": "USD", "count": 1, "amount": "10.00", "weighted_amount": "1.00"},
        ]
        assert first["has_more"] is True
        seen = [d["id"] for d in first["deals"]]
        cursor = first["next_cursor"]
        while cursor:
            more = (
                await owner_client.get(
                    f"{API}/pipelines/{pipeline['id']}/board",
                    params={"limit": 2, "stage_id": first["stage"]["id"], "cursor": cursor},
                )
            ).json()
            assert len(more["columns"]) == 1
            seen += [d["id"] for d in more["columns"][0]["deals"]]
            cursor = more["columns"][0]["next_cursor"]
        assert len(seen) == len(set(seen)) == 6
        assert set(ids) <= set(seen)
        assert [d["id"] for d in columns["Needs confirmed"]["deals"]] == [second["id"]]
        assert columns["Won"]["count"] == 1
        assert columns["Won"]["totals"][0]["amount"] == "3.00"
        assert columns["Lost"] == {**columns["Lost"], "count": 0, "totals": [], "deals": []}
        r = await owner_client.get(
            f"{API}/pipelines/{pipeline['id']}/board", params={"cursor": cursor or "x"}
        )
        assert_problem(r, 422, "invalid_parameter")
        r = await owner_client.get(
            f"{API}/pipelines/{pipeline['id']}/board",
            params={"stage_id": first["stage"]["id"], "cursor": "garbage"},
        )
        assert_problem(r, 400, "invalid_cursor")

    async def test_filters_by_owner_and_team(self, session, tenant, owner_client, pipeline) -> None:
        east = await create_team(session, tenant.id, "华东")
        a = await create_user(session, tenant.id, role="sales", team=east)
        b = await create_user(session, tenant.id, role="sales")
        customer = await make_customer(session, tenant, tenant.owner)
        await new_deal(owner_client, customer, owner_id=str(a.id), amount="1.00")
        await new_deal(owner_client, customer, owner_id=str(b.id), amount="2.00")
        for params, expected in (
            ({"owner_id": str(a.id)}, "1.00"),
            ({"owner_id": str(b.id)}, "2.00"),
            ({"team_id": str(east.id)}, "1.00"),
        ):
            board = (
                await owner_client.get(f"{API}/pipelines/{pipeline['id']}/board", params=params)
            ).json()
            assert board["columns"][0]["count"] == 1
            assert board["columns"][0]["totals"][0]["amount"] == expected


class TestProducts:
    async def test_crud_and_validation(self, session, tenant, owner_client, client_for) -> None:
        r = await owner_client.post(
            f"{API}/products",
            json={
                "sku": "HW-01",
                "name": "智能网关 Smart gateway",
                "category": "硬件",
                "unit": "台",
                "list_price": "2999.00",
            },
        )
        assert r.status_code == 201, r.text
        product = r.json()
        assert (product["currency"], product["active"]) == ("CNY", True)
        assert_problem(
            await owner_client.post(
                f"{API}/products", json={"sku": "HW-01", "name": "dup", "list_price": "1.00"}
            ),
            409,
            "sku_taken",
        )
        for bad in (
            {"list_price": "-1.00"},
            {"list_price": "1.001"},
            {"currency": "RMB1"},
            {"sku": ""},
        ):
            r = await owner_client.post(
                f"{API}/products", json={"sku": "X-1", "name": "x", "list_price": "1.00", **bad}
            )
            assert_problem(r, 422, "validation_error")
        r = await owner_client.patch(
            f"{API}/products/{product['id']}",
            json={"list_price": "2799.00", "active": False},
            headers={"If-Match": f'W/"{product["version"]}"'},
        )
        assert r.status_code == 200, r.text
        assert (r.json()["list_price"], r.json()["active"]) == ("2799.00", False)
        r = await owner_client.patch(
            f"{API}/products/{product['id']}",
            json={"name": "stale"},
            headers={"If-Match": f'W/"{product["version"]}"'},
        )
        assert_problem(r, 412, "precondition_failed")
        listed = (await owner_client.get(f"{API}/products", params={"q": "网关"})).json()
        assert [p["sku"] for p in listed["data"]] == ["HW-01"]
        assert (await owner_client.get(f"{API}/products", params={"active": "true"})).json()[
            "data"
        ] == []
        rep = await create_user(session, tenant.id, role="sales")
        rep_client = await client_for(rep)
        assert (await rep_client.get(f"{API}/products/{product['id']}")).status_code == 200
        r = await rep_client.post(
            f"{API}/products", json={"sku": "S-1", "name": "x", "list_price": "1.00"}
        )
        assert_problem(r, 403, "forbidden")
        assert (await owner_client.delete(f"{API}/products/{product['id']}")).status_code == 204
        assert_problem(await owner_client.get(f"{API}/products/{product['id']}"), 404, "not_found")

    async def test_unknown_filters_and_sorts_are_400(self, owner_client) -> None:
        assert_problem(
            await owner_client.get(f"{API}/products", params={"colour": "red"}),
            400,
            "unknown_parameter",
        )
        assert_problem(
            await owner_client.get(f"{API}/opportunities", params={"sort": "-owner"}),
            400,
            "invalid_sort",
        )
        assert_problem(
            await owner_client.get(f"{API}/opportunities", params={"cf.nope": "1"}),
            400,
            "invalid_custom_field_filter",
        )


def test_line_total_rounds_half_up() -> None:
    assert service.line_total(Decimal(1), Decimal("0.25"), Decimal(50)) == Decimal("0.13")
    assert service.line_total(Decimal("1.5"), Decimal("19.99"), Decimal(10)) == Decimal("26.99")
    assert service.line_total(Decimal(3), Decimal("33.33"), Decimal(0)) == Decimal("99.99")
    assert service.line_total(Decimal("0.3333"), Decimal("3.00"), Decimal(0)) == Decimal("1.00")


async def test_the_demo_has_living_pipelines(committed, owner_engine) -> None:
    from sqlalchemy import text

    from app.demo import ensure_demo
    from app.models.pipeline import Pipeline, Product
    from app.pipeline.repository import rotting_condition

    _, _, maker = committed
    demo = await ensure_demo(maker)
    try:
        assert demo.created
        async with maker() as s, s.begin():
            await use(s, demo.workspace_id)
            assert await s.scalar(select(func.count()).select_from(Pipeline)) == 2
            names = set((await s.execute(select(Product.name))).scalars())
            assert len(names) >= 12
            assert any(n.isascii() for n in names)
            assert any(not n.isascii() for n in names)
            by_status = dict(
                (
                    await s.execute(
                        select(Opportunity.status, func.count()).group_by(Opportunity.status)
                    )
                ).all()
            )
            assert sum(by_status.values()) >= 40
            assert by_status["won"] >= 3
            assert by_status["lost"] >= 3
            rotting = await s.scalar(
                select(func.count())
                .select_from(Opportunity)
                .where(rotting_condition(datetime.now(UTC)))
            )
            assert 3 <= rotting < by_status["open"]
            unbalanced = await s.scalar(
                select(func.count())
                .select_from(Opportunity)
                .where(
                    Opportunity.amount
                    != select(func.sum(OpportunityItem.line_total))
                    .where(OpportunityItem.opportunity_id == Opportunity.id)
                    .scalar_subquery()
                )
            )
            assert unbalanced == 0
    finally:
        async with owner_engine.begin() as conn:
            await conn.execute(
                text("DELETE FROM workspaces WHERE id = :id"), {"id": demo.workspace_id}
            )


async def test_moves_racing_a_stage_deletion_stay_consistent(committed) -> None:
    import asyncio

    import httpx

    from app.models.pipeline import OpportunityStageVisit
    from tests.factories import login_as

    app, tenant, maker = committed
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        await service.create_default_pipeline(s, tenant.id, None)
        customer = Customer(workspace_id=tenant.id, name="Race Co", owner_id=tenant.owner.id)
        s.add(customer)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    try:
        async with maker() as s:
            await login_as(s, client, tenant.owner)
        pipeline = await default_pipeline(client)
        first, second, third = (
            stage(pipeline, "Initial contact"),
            stage(pipeline, "Needs confirmed"),
            stage(pipeline, "Proposal & quote"),
        )
        deals = [(await new_deal(client, customer, name=f"R{i}"))["id"] for i in range(8)]
        results = await asyncio.gather(
            client.delete(
                f"{API}/pipelines/{pipeline['id']}/stages/{first}",
                params={"move_to_stage_id": second},
            ),
            *[
                client.post(f"{API}/opportunities/{d}/move", json={"stage_id": third})
                for d in deals
            ],
        )
    finally:
        await client.aclose()
    assert [r.status_code for r in results] == [204] + [200] * 8, [r.text for r in results]
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        rows = (await s.execute(select(Opportunity.id, Opportunity.stage_id))).all()
        assert {stage_id for _, stage_id in rows} == {uuid.UUID(third)}
        current = (
            await s.execute(
                select(OpportunityStageVisit.opportunity_id, OpportunityStageVisit.stage_id).where(
                    OpportunityStageVisit.left_at.is_(None)
                )
            )
        ).all()
        assert sorted(current) == sorted(rows)  # exactly one open stay per deal, the right one


async def test_huge_line_items_are_422_not_500(session, tenant, owner_client, pipeline) -> None:
    customer = await make_customer(session, tenant, tenant.owner)
    r = await owner_client.post(
        f"{API}/opportunities",
        json={
            "customer_id": str(customer.id),
            "name": "Too big",
            "items": [
                {
                    "name": "x",
                    "quantity": "99999999999999.9999",
                    "unit_price": "9999999999999999.99",
                }
            ],
        },
    )
    body = assert_problem(r, 422, "invalid_line_items")
    assert body["errors"][0]["field"] == "body.items.0.quantity"
    r = await owner_client.post(
        f"{API}/opportunities",
        json={
            "customer_id": str(customer.id),
            "name": "Adds up too big",
            "items": [{"name": "x", "quantity": "1", "unit_price": "9999999999999999.00"}] * 2,
        },
    )
    assert_problem(r, 422, "value_too_large")


async def test_a_workspace_without_pipelines_gets_the_standard_one_on_first_deal(
    session, tenant, owner_client
) -> None:
    assert (await owner_client.get(f"{API}/pipelines")).json()["data"] == []
    customer = await make_customer(session, tenant, tenant.owner)
    deal = await new_deal(owner_client, customer)
    pipeline = await default_pipeline(owner_client)
    assert deal["pipeline_id"] == pipeline["id"]
    assert deal["stage_id"] == stage(pipeline, "Initial contact")
    assert len((await owner_client.get(f"{API}/lost-reasons")).json()["data"]) == 6


async def test_deals_name_their_customer_only_within_the_callers_scope(
    session, tenant, owner_client, client_for, pipeline
) -> None:
    """Board cards and deal payloads carry the customer's name (no lookup per card), but a
    rep whose deal sits on a colleague's customer does not learn that customer's name."""
    rep = await create_user(session, tenant.id, role="sales")
    colleague = await create_user(session, tenant.id, role="sales")
    own = await make_customer(session, tenant, rep, "宁波港口机械设备有限公司")
    theirs = await make_customer(session, tenant, colleague, "苏州工业园区恒信电子股份有限公司")
    await new_deal(owner_client, own, owner_id=str(rep.id), name="Own")
    shared = await new_deal(owner_client, theirs, owner_id=str(rep.id), name="Shared")

    def names(board):  # type: ignore[no-untyped-def]
        return {d["name"]: d["customer_name"] for c in board["columns"] for d in c["deals"]}

    board_url = f"{API}/pipelines/{pipeline['id']}/board"
    assert names((await owner_client.get(board_url)).json()) == {
        "Own": "宁波港口机械设备有限公司",
        "Shared": "苏州工业园区恒信电子股份有限公司",
    }
    rep_client = await client_for(rep)
    assert names((await rep_client.get(board_url)).json()) == {
        "Own": "宁波港口机械设备有限公司",
        "Shared": None,
    }
    detail = (await rep_client.get(f"{API}/opportunities/{shared['id']}")).json()
    assert detail["customer_name"] is None
    listed = (await owner_client.get(f"{API}/opportunities")).json()["data"]
    assert {d["name"]: d["customer_name"] for d in listed}["Shared"] == (
        "苏州工业园区恒信电子股份有限公司"
    )
