"""RFM: the worked example (84), the recompute, scores on customer payloads, tier history,
settings and their validation, the live preview."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select

from app.analytics.value import scoring, service
from app.models.customer_value import CustomerRfm, CustomerRfmChange, RfmRun
from app.models.orders import Order
from app.models.workspace import Workspace
from tests.analytics.value.conftest import TODAY, recompute
from tests.auth.test_auth import assert_problem
from tests.contracts.helpers import at
from tests.factories import use

DEFAULTS = scoring.default_settings().model_dump(mode="json")


class TestWorkedExample:
    async def test_84_end_to_end_from_orders_to_the_customer_payload(
        self, session, tenant, owner_client, maker
    ) -> None:
        """Bought within the last month, 4 times, 20,000 yuan: 5·4 + 4·8 + 4·8 = 84."""
        created = await owner_client.post("/api/v1/customers", json={"name": "示例客户 Example"})
        assert created.status_code == 201, created.text
        customer = created.json()
        assert customer["rfm"] is None
        for day, amount in (
            ("2025-08-20", "5000.00"),
            ("2025-11-03", "4000.00"),
            ("2026-02-14", "6000.00"),
            ("2026-06-01", "5000.00"),
        ):
            r = await owner_client.post(
                "/api/v1/orders",
                json={
                    "order_number": f"EX-{day}",
                    "channel": "erp",
                    "customer_id": customer["id"],
                    "ordered_at": f"{day}T10:00:00+08:00",
                    "amount": amount,
                },
            )
            assert r.status_code == 201, r.text
        queued = await owner_client.post("/api/v1/analytics/rfm/recompute")
        assert queued.status_code == 202, queued.text
        run = queued.json()
        assert (run["status"], run["trigger"]) == ("queued", "manual")
        assert await service.execute_run(maker, tenant.id, uuid.UUID(run["id"])) == "succeeded"

        polled = (await owner_client.get(f"/api/v1/analytics/rfm/runs/{run['id']}")).json()
        assert polled["status"] == "succeeded"
        assert polled["as_of"] == TODAY.isoformat()
        assert (polled["customers"], polled["changed"], polled["tier_changes"]) == (1, 1, 1)
        got = (await owner_client.get(f"/api/v1/customers/{customer['id']}")).json()["rfm"]
        assert {k: got[k] for k in ("r", "f", "m", "score", "tier")} == {
            "r": 5,
            "f": 4,
            "m": 4,
            "score": 84,
            "tier": "vip",
        }
        assert got["computed_at"] == polled["finished_at"]
        assert (got["last_purchase_on"], got["purchases"], got["amount"], got["currency"]) == (
            "2026-06-01",
            4,
            "20000.00",
            "CNY",
        )
        listed = (await owner_client.get("/api/v1/customers?rfm_tier=vip")).json()["data"]
        assert [(c["id"], c["rfm"]["score"]) for c in listed] == [(customer["id"], 84)]
        assert (await owner_client.get("/api/v1/customers?rfm_tier=key")).json()["data"] == []

    def test_the_default_settings_score_the_example_84(self) -> None:
        s = scoring.default_settings()
        got = scoring.score_of(s, recency_days=30, purchases=4, amount=scoring.Decimal("20000"))
        assert (got.r, got.f, got.m, got.score, got.tier.key) == (5, 4, 4, 84, "vip")
        # the band edges: a day more than a month, one purchase fewer, a cent less
        edge = scoring.score_of(s, 31, 3, scoring.Decimal("19999.99"))
        assert (edge.r, edge.f, edge.m, edge.score) == (4, 3, 3, 16 + 24 + 24)

    async def test_preview_scores_a_sample_under_unsaved_settings(self, owner_client) -> None:
        body = {
            "settings": DEFAULTS,
            "sample": {"recency_days": 12, "purchases": 4, "amount": "20000"},
        }
        r = await owner_client.post("/api/v1/analytics/rfm/preview", json=body)
        assert r.status_code == 200, r.text
        assert r.json() == {
            "r": 5,
            "f": 4,
            "m": 4,
            "weighted": {"r": 20, "f": 32, "m": 32},
            "score": 84,
            "tier": {
                "key": "vip",
                "name_zh": "VIP 客户",
                "name_en": "VIP",
                "min_score": 80,
                "max_score": 100,
            },
            "score_min": 20,
            "score_max": 100,
        }
        heavier = {**DEFAULTS, "weights": {"r": 10, "f": 5, "m": 5}}
        heavier["tiers"] = [
            {"key": "top", "name_zh": "顶级", "name_en": "Top", "min_score": 90, "max_score": 100},
            {"key": "rest", "name_zh": "其他", "name_en": "Rest", "min_score": 20, "max_score": 89},
        ]
        r = await owner_client.post(
            "/api/v1/analytics/rfm/preview", json={**body, "settings": heavier}
        )
        assert (r.json()["score"], r.json()["tier"]["key"]) == (5 * 10 + 4 * 5 + 4 * 5, "top")


class TestRecompute:
    async def test_scores_every_buyer_of_the_fixture_exactly(self, world, maker, session) -> None:
        run = await recompute(maker, session, world.tenant.id)
        assert (run.customers, run.changed, run.tier_changes, run.removed) == (6, 6, 6, 0)
        await use(session, world.tenant.id)
        rows = {r.customer_id: r for r in (await session.execute(select(CustomerRfm))).scalars()}
        by_name = {name: rows.get(c.id) for name, c in world.customers.items()}
        got = {
            name: (r.r, r.f, r.m, r.score, r.tier, r.purchases, str(r.amount))
            for name, r in by_name.items()
            if r is not None
        }
        assert got == {
            "A": (5, 4, 4, 84, "vip", 4, "20000.00"),
            "B": (4, 4, 3, 72, "key", 4, "6000.00"),
            "C": (5, 2, 5, 76, "key", 2, "60000.00"),
            "D": (1, 1, 1, 20, "dormant", 0, "0.00"),
            "E": (5, 2, 2, 52, "growth", 2, "2000.00"),
            "I": (3, 1, 1, 28, "dormant", 1, "300.00"),
        }
        # F never bought; G is in the recycle bin
        assert by_name["F"] is None
        assert by_name["G"] is None
        rhythm = {
            name: (r.first_purchase_on, r.last_purchase_on, r.purchase_days, r.median_gap_days)
            for name, r in by_name.items()
            if r is not None
        }
        assert rhythm["A"] == (date(2025, 9, 1), date(2026, 6, 5), 4, scoring.Decimal("91.0"))
        assert rhythm["B"] == (date(2026, 1, 1), date(2026, 4, 1), 4, scoring.Decimal("31.0"))
        assert rhythm["C"] == (date(2026, 2, 10), date(2026, 5, 20), 2, None)

    async def test_a_second_run_writes_nothing_and_a_change_moves_the_tier(
        self, world, maker, session, client_for, clock
    ) -> None:
        first = await recompute(maker, session, world.tenant.id)
        clock.set(at(TODAY, 18))
        again = await recompute(maker, session, world.tenant.id)
        assert (again.customers, again.changed, again.tier_changes) == (6, 0, 0)
        assert again.finished_at > first.finished_at
        admin = await client_for(world.admin)
        a = world.customers["A"]
        # a stricter recency band: A's last purchase (10 days ago) now scores R 3 → 76, key
        stricter = {**DEFAULTS, "recency_max_days": [5, 9, 180, 365]}
        saved = await admin.put("/api/v1/settings/rfm", json=stricter)
        assert saved.status_code == 200, saved.text
        queued = saved.json()["last_run"]
        assert (queued["status"], queued["trigger"]) == ("queued", "settings")
        assert await service.execute_run(maker, world.tenant.id, uuid.UUID(queued["id"])) == (
            "succeeded"
        )
        payload = (await admin.get(f"/api/v1/customers/{a.id}")).json()["rfm"]
        assert (payload["r"], payload["score"], payload["tier"]) == (3, 76, "key")
        history = (await admin.get(f"/api/v1/customers/{a.id}/rfm-history")).json()
        assert [(h["from_tier"], h["to_tier"], h["score"]) for h in history["data"]] == [
            ("vip", "key", 76),
            (None, "vip", 84),
        ]
        assert history["has_more"] is False

    async def test_a_customer_whose_purchases_are_gone_leaves_scoring(
        self, world, maker, session, client_for, clock
    ) -> None:
        await recompute(maker, session, world.tenant.id)
        await use(session, world.tenant.id)
        i = world.customers["I"]
        order = (await session.execute(select(Order).where(Order.customer_id == i.id))).scalar_one()
        order.status = "refunded"
        await session.commit()
        clock.set(at(TODAY, 18))
        run = await recompute(maker, session, world.tenant.id)
        assert (run.customers, run.removed, run.tier_changes) == (5, 1, 1)
        admin = await client_for(world.admin)
        assert (await admin.get(f"/api/v1/customers/{i.id}")).json()["rfm"] is None
        history = (await admin.get(f"/api/v1/customers/{i.id}/rfm-history")).json()["data"]
        assert [(h["from_tier"], h["to_tier"]) for h in history] == [
            ("dormant", None),
            (None, "dormant"),
        ]

    async def test_history_of_a_customer_outside_your_scope_is_404(
        self, world, maker, session, client_for
    ) -> None:
        await recompute(maker, session, world.tenant.id)
        rep_b = await client_for(world.rep_b)
        c = world.customers["A"]
        r = await rep_b.get(f"/api/v1/customers/{c.id}/rfm-history")
        assert_problem(r, 404, "not_found")


class TestSettings:
    async def test_defaults_until_saved_and_admins_only(self, world, client_for) -> None:
        rep = await client_for(world.rep_a)
        got = (await rep.get("/api/v1/settings/rfm")).json()
        assert {k: got[k] for k in DEFAULTS} == DEFAULTS
        assert (got["score_min"], got["score_max"], got["last_run"]) == (20, 100, None)
        assert_problem(await rep.put("/api/v1/settings/rfm", json=DEFAULTS), 403, "forbidden")
        manager = await client_for(world.manager_east)
        assert_problem(await manager.put("/api/v1/settings/rfm", json=DEFAULTS), 403, "forbidden")
        assert_problem(await rep.post("/api/v1/analytics/rfm/recompute"), 403, "forbidden")

    async def test_bad_settings_are_422_with_field_errors_and_nothing_is_written(
        self, world, client_for, session
    ) -> None:
        admin = await client_for(world.admin)
        tiers = DEFAULTS["tiers"]
        cases = [
            (
                {"recency_max_days": [30, 30, 180, 365]},
                "invalid_rfm_settings",
                "body.recency_max_days",
            ),
            ({"frequency_min": [2, 4, 3, 6]}, "invalid_rfm_settings", "body.frequency_min"),
            (
                {"monetary_min": ["1000", "5000", "50000", "20000"]},
                "invalid_rfm_settings",
                "body.monetary_min",
            ),
            ({"weights": {"r": 0, "f": 8, "m": 8}}, "validation_error", "body.weights.r"),
            ({"weights": {"r": 4, "f": -8, "m": 8}}, "validation_error", "body.weights.f"),
            (
                {"tiers": [{**tiers[0], "min_score": 75}, *tiers[1:]]},
                "invalid_rfm_settings",
                "body.tiers.0.min_score",
            ),
            (
                {"tiers": [{**tiers[0], "min_score": 85}, *tiers[1:]]},
                "invalid_rfm_settings",
                "body.tiers.0.min_score",
            ),
            (
                {"tiers": [{**tiers[0], "max_score": 99}, *tiers[1:]]},
                "invalid_rfm_settings",
                "body.tiers.0.max_score",
            ),
            (
                {"tiers": [*tiers[:4], {**tiers[4], "min_score": 21}]},
                "invalid_rfm_settings",
                "body.tiers.4.min_score",
            ),
            ({"tiers": [*tiers, tiers[0]]}, "invalid_rfm_settings", "body.tiers.5.key"),
            ({"sources": []}, "validation_error", "body.sources"),
            ({"sources": ["orders", "orders"]}, "invalid_rfm_settings", "body.sources"),
            ({"sources": ["invoices"]}, "validation_error", "body.sources.0"),
            ({"window_days": 0}, "validation_error", "body.window_days"),
            ({"currency": "rmb"}, "validation_error", "body.currency"),
            ({"churn_gap_factor": "0.5"}, "validation_error", "body.churn_gap_factor"),
            ({"unknown": 1}, "validation_error", "body.unknown"),
        ]
        for change, code, field in cases:
            r = await admin.put("/api/v1/settings/rfm", json={**DEFAULTS, **change})
            body = assert_problem(r, 422, code)
            assert field in [e["field"] for e in body["errors"]], (change, body["errors"])
            preview = await admin.post(
                "/api/v1/analytics/rfm/preview",
                json={
                    "settings": {**DEFAULTS, **change},
                    "sample": {"recency_days": 1, "purchases": 1, "amount": "1"},
                },
            )
            assert preview.status_code == 422, change
        await use(session, world.tenant.id)
        stored = (await session.execute(select(Workspace.settings))).scalar_one()
        assert "rfm" not in stored
        assert await session.scalar(select(func.count()).select_from(RfmRun)) == 0
        assert await session.scalar(select(func.count()).select_from(CustomerRfmChange)) == 0

    async def test_saving_stores_tiers_best_first_and_audits(self, world, client_for) -> None:
        admin = await client_for(world.admin)
        shuffled = {**DEFAULTS, "tiers": list(reversed(DEFAULTS["tiers"]))}
        r = await admin.put("/api/v1/settings/rfm", json=shuffled)
        assert r.status_code == 200, r.text
        assert [t["key"] for t in r.json()["tiers"]] == [
            "vip",
            "key",
            "growth",
            "regular",
            "dormant",
        ]
        audit = (await admin.get("/api/v1/audit-log?entity=workspace")).json()["data"]
        assert "rfm" in audit[0]["changes"]
