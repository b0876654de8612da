"""Leads: rules assign fairly (also in parallel), conversion, public capture."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
from sqlalchemy import func, select

from app.models.customer import Activity, Customer
from app.models.lead import Lead
from tests.auth.test_auth import assert_problem
from tests.factories import create_user, login_as, use


async def reps(session, tenant, n):  # type: ignore[no-untyped-def]
    return [await create_user(session, tenant.id, role="sales") for _ in range(n)]


class TestAssignment:
    async def test_round_robin_in_order_with_reason(self, session, tenant, owner_client) -> None:
        a, b, c = await reps(session, tenant, 3)
        await session.commit()
        r = await owner_client.post(
            "/api/v1/assignment-rules",
            json={
                "name": "East China web leads",
                "strategy": "round_robin",
                "user_ids": [str(a.id), str(b.id), str(c.id)],
                "conditions": {"sources": ["web"]},
            },
        )
        assert r.status_code == 201, r.text
        owners = []
        for i in range(4):
            lead = (
                await owner_client.post("/api/v1/leads", json={"name": f"L{i}", "source": "web"})
            ).json()
            owners.append(lead["owner_id"])
        assert owners == [str(a.id), str(b.id), str(c.id), str(a.id)]
        assert lead["assignment_note"] == (
            f"rule 'East China web leads', round-robin, next after {c.name}"
        )
        other = (
            await owner_client.post("/api/v1/leads", json={"name": "x", "source": "phone"})
        ).json()
        assert other["owner_id"] is None
        assert "no assignment rule matched" in other["assignment_note"]

    async def test_capacity_and_deactivated_users_are_skipped(
        self, session, tenant, owner_client
    ) -> None:
        a, b = await reps(session, tenant, 2)
        inactive = await create_user(session, tenant.id, active=False)
        await use(session, tenant.id)
        session.add(Lead(workspace_id=tenant.id, name="busy", owner_id=a.id, status="new"))
        await session.commit()
        await owner_client.post(
            "/api/v1/assignment-rules",
            json={
                "name": "cap",
                "strategy": "least_loaded",
                "capacity": 1,
                "user_ids": [str(inactive.id), str(a.id), str(b.id)],
            },
        )
        first = (await owner_client.post("/api/v1/leads", json={"name": "n1"})).json()
        assert first["owner_id"] == str(b.id)
        second = (await owner_client.post("/api/v1/leads", json={"name": "n2"})).json()
        assert second["owner_id"] is None
        assert "at capacity" in second["assignment_note"]

    async def test_weighted_round_robin_honours_weights(
        self, session, tenant, owner_client
    ) -> None:
        a, b = await reps(session, tenant, 2)
        await session.commit()
        await owner_client.post(
            "/api/v1/assignment-rules",
            json={
                "name": "w",
                "strategy": "weighted",
                "user_ids": [str(a.id), str(b.id)],
                "weights": {str(a.id): 3, str(b.id): 1},
            },
        )
        owners = Counter()
        for i in range(8):
            lead = (await owner_client.post("/api/v1/leads", json={"name": f"w{i}"})).json()
            owners[lead["owner_id"]] += 1
        assert owners == {str(a.id): 6, str(b.id): 2}

    async def test_preview_writes_nothing(self, session, tenant, owner_client) -> None:
        a, b = await reps(session, tenant, 2)
        await session.commit()
        await owner_client.post(
            "/api/v1/assignment-rules",
            json={"name": "rr", "strategy": "round_robin", "user_ids": [str(a.id), str(b.id)]},
        )
        for _ in range(2):
            p = (
                await owner_client.post("/api/v1/assignment-rules/preview", json={"name": "x"})
            ).json()
            assert p["owner_id"] == str(a.id)
        real = (await owner_client.post("/api/v1/leads", json={"name": "real"})).json()
        assert real["owner_id"] == str(a.id)

    async def test_parallel_creation_stays_fair(self, committed) -> None:
        app, tenant, maker = committed
        async with maker() as s, s.begin():
            team = [await create_user(s, tenant.id, role="sales") for _ in range(4)]
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
        async with maker() as s:
            await login_as(s, client, tenant.owner)
        try:
            await client.post(
                "/api/v1/assignment-rules",
                json={
                    "name": "fair",
                    "strategy": "round_robin",
                    "user_ids": [str(u.id) for u in team],
                },
            )
            results = await asyncio.gather(
                *[client.post("/api/v1/leads", json={"name": f"p{i}"}) for i in range(40)]
            )
        finally:
            await client.aclose()
        assert all(r.status_code == 201 for r in results), [r.text for r in results][:2]
        counts = Counter(r.json()["owner_id"] for r in results)
        assert sorted(counts.values()) == [10, 10, 10, 10]


class TestConvert:
    async def test_convert_creates_customer_contact_and_moves_history(
        self, session, tenant, owner_client
    ) -> None:
        lead = (
            await owner_client.post(
                "/api/v1/leads",
                json={
                    "name": "王经理",
                    "company": "嘉兴新材料有限公司",
                    "phones": ["13912345678"],
                    "owner_id": str(tenant.owner.id),
                },
            )
        ).json()
        await owner_client.post(
            f"/api/v1/leads/{lead['id']}/activities", json={"kind": "call", "content": "首次电话"}
        )
        r = await owner_client.post(f"/api/v1/leads/{lead['id']}/convert", json={})
        assert r.status_code == 200, r.text
        out = r.json()
        assert out["created_customer"] is True
        assert out["lead"]["status"] == "converted"
        customer = (await owner_client.get(f"/api/v1/customers/{out['customer_id']}")).json()
        assert customer["name"] == "嘉兴新材料有限公司"
        timeline = (
            await owner_client.get(f"/api/v1/customers/{out['customer_id']}/timeline")
        ).json()["data"]
        assert any(i["kind"] == "activity" and i["data"]["content"] == "首次电话" for i in timeline)
        again = await owner_client.post(f"/api/v1/leads/{lead['id']}/convert", json={})
        assert_problem(again, 409, "lead_converted")

    async def test_convert_warns_on_duplicate_then_merges(
        self, session, tenant, owner_client
    ) -> None:
        existing = (
            await owner_client.post(
                "/api/v1/customers", json={"name": "嘉兴新材料", "phones": ["13912345678"]}
            )
        ).json()
        lead = (
            await owner_client.post(
                "/api/v1/leads",
                json={
                    "name": "王经理",
                    "company": "嘉兴新材料有限公司",
                    "phones": ["139 1234 5678"],
                    "owner_id": str(tenant.owner.id),
                },
            )
        ).json()
        dup = await owner_client.post(f"/api/v1/leads/{lead['id']}/convert", json={})
        body = assert_problem(dup, 409, "duplicate_customer")
        assert body["candidates"][0]["customer_id"] == existing["id"]
        merged = await owner_client.post(
            f"/api/v1/leads/{lead['id']}/convert", json={"merge_into_customer_id": existing["id"]}
        )
        assert merged.status_code == 200, merged.text
        assert merged.json()["created_customer"] is False
        await use(session, tenant.id)
        assert await session.scalar(select(func.count()).select_from(Customer)) == 1


class TestPublicForm:
    async def test_form_lead_is_assigned_spam_and_floods_are_not(
        self, session, tenant, owner_client, anon
    ) -> None:
        (rep,) = await reps(session, tenant, 1)
        await session.commit()
        await owner_client.post(
            "/api/v1/assignment-rules",
            json={
                "name": "web",
                "strategy": "round_robin",
                "user_ids": [str(rep.id)],
                "conditions": {"sources": ["官网表单"]},
            },
        )
        form = (
            await owner_client.post(
                "/api/v1/web-forms", json={"name": "官网", "source": "官网表单"}
            )
        ).json()
        url = f"/api/v1/public/forms/{form['token']}/leads"
        ok = await anon.post(url, json={"name": "访客", "phone": "13700000001"})
        assert ok.status_code == 202, ok.text
        spam = await anon.post(url, json={"name": "bot", "website": "http://spam"})
        assert spam.status_code == 202
        assert_problem(
            await anon.post("/api/v1/public/forms/nope/leads", json={"name": "x"}),
            404,
            "form_not_found",
        )
        await use(session, tenant.id)
        leads = (await session.execute(select(Lead.name, Lead.owner_id, Lead.source))).all()
        assert [(n, o, s) for n, o, s in leads] == [("访客", rep.id, "官网表单")]
        for _ in range(10):
            await anon.post(url, json={"name": "flood"})
        assert_problem(await anon.post(url, json={"name": "flood"}), 429, "rate_limited")

    async def test_a_form_embedded_on_another_website_may_post(self, owner_client, anon) -> None:
        """The embed code runs on the company's own site: the browser's preflight and POST
        must be allowed, without credentials, and only on the public endpoints."""
        form = (await owner_client.post("/api/v1/web-forms", json={"name": "官网"})).json()
        url = f"/api/v1/public/forms/{form['token']}/leads"
        site = {"Origin": "https://www.example-shop.cn"}
        preflight = await anon.options(
            url,
            headers={
                **site,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in preflight.headers
        posted = await anon.post(url, json={"name": "访客"}, headers=site)
        assert posted.status_code == 202
        assert posted.headers["access-control-allow-origin"] == "*"
        private = await owner_client.get("/api/v1/leads", headers=site)
        assert "access-control-allow-origin" not in private.headers

    async def test_lead_follow_up_marks_contacted(self, session, tenant, owner_client) -> None:
        lead = (
            await owner_client.post(
                "/api/v1/leads", json={"name": "n", "owner_id": str(tenant.owner.id)}
            )
        ).json()
        await owner_client.post(
            f"/api/v1/leads/{lead['id']}/activities", json={"kind": "wechat", "content": "加了微信"}
        )
        got = (await owner_client.get(f"/api/v1/leads/{lead['id']}")).json()
        assert got["status"] == "contacted"
        await use(session, tenant.id)
        assert await session.scalar(select(func.count()).select_from(Activity)) == 1


class TestRuleEditing:
    async def test_reorder_changes_which_rule_assigns(
        self, session, tenant, owner_client, client_for
    ) -> None:
        a, b = await reps(session, tenant, 2)
        await session.commit()
        first = (
            await owner_client.post(
                "/api/v1/assignment-rules",
                json={
                    "name": "to A",
                    "position": 1,
                    "strategy": "fixed_user",
                    "user_ids": [str(a.id)],
                },
            )
        ).json()
        second = (
            await owner_client.post(
                "/api/v1/assignment-rules",
                json={
                    "name": "to B",
                    "position": 2,
                    "strategy": "fixed_user",
                    "user_ids": [str(b.id)],
                },
            )
        ).json()
        lead = (await owner_client.post("/api/v1/leads", json={"name": "before"})).json()
        assert lead["owner_id"] == str(a.id)

        r = await owner_client.post(
            "/api/v1/assignment-rules/reorder", json={"rule_ids": [second["id"], first["id"]]}
        )
        assert r.status_code == 200, r.text
        assert [(x["name"], x["position"]) for x in r.json()] == [("to B", 1), ("to A", 2)]
        lead = (await owner_client.post("/api/v1/leads", json={"name": "after"})).json()
        assert lead["owner_id"] == str(b.id)
        assert lead["assignment_note"] == f"rule 'to B', fixed user {b.name}"

        twice = await owner_client.post(
            "/api/v1/assignment-rules/reorder", json={"rule_ids": [first["id"], first["id"]]}
        )
        assert_problem(twice, 422, "duplicate_rule_ids")
        rep = await client_for(a)
        refused = await rep.post(
            "/api/v1/assignment-rules/reorder", json={"rule_ids": [first["id"]]}
        )
        assert_problem(refused, 403, "forbidden")

    async def test_update_rule_validates_and_honours_if_match(
        self, session, tenant, owner_client, client_for
    ) -> None:
        a, b = await reps(session, tenant, 2)
        await session.commit()
        rule = (
            await owner_client.post(
                "/api/v1/assignment-rules",
                json={
                    "name": "web",
                    "strategy": "round_robin",
                    "user_ids": [str(a.id)],
                    "conditions": {"sources": ["web"]},
                },
            )
        ).json()
        url = f"/api/v1/assignment-rules/{rule['id']}"
        r = await owner_client.patch(
            url,
            json={
                "name": "web and expo",
                "user_ids": [str(b.id), str(a.id)],
                "conditions": {"sources": ["web", "expo"], "provinces": ["浙江"]},
                "capacity": 20,
            },
            headers={"If-Match": f'W/"{rule["version"]}"'},
        )
        assert r.status_code == 200, r.text
        updated = r.json()
        assert updated["name"] == "web and expo"
        assert updated["user_ids"] == [str(b.id), str(a.id)]
        assert updated["conditions"]["sources"] == ["web", "expo"]
        assert updated["capacity"] == 20
        lead = (
            await owner_client.post(
                "/api/v1/leads", json={"name": "x", "source": "expo", "province": "浙江"}
            )
        ).json()
        assert lead["owner_id"] == str(b.id)

        stale = await owner_client.patch(
            url, json={"active": False}, headers={"If-Match": f'W/"{rule["version"]}"'}
        )
        assert_problem(stale, 412, "precondition_failed")
        no_team = await owner_client.patch(url, json={"strategy": "team"})
        assert_problem(no_team, 422, "team_required")
        no_users = await owner_client.patch(url, json={"user_ids": []})
        assert_problem(no_users, 422, "users_required")
        rep = await client_for(a)
        assert_problem(await rep.patch(url, json={"active": False}), 403, "forbidden")
        kept = (await owner_client.get("/api/v1/assignment-rules")).json()["data"]
        assert [(x["name"], x["active"]) for x in kept] == [("web and expo", True)]


class TestCampaigns:
    async def test_get_and_update_campaign(self, session, tenant, owner_client) -> None:
        created = (
            await owner_client.post(
                "/api/v1/campaigns",
                json={"name": "春季展会", "budget": "50000", "start_date": "2026-03-01"},
            )
        ).json()
        url = f"/api/v1/campaigns/{created['id']}"
        got = await owner_client.get(url)
        assert got.status_code == 200
        assert got.headers["etag"] == f'W/"{created["version"]}"'
        r = await owner_client.patch(
            url,
            json={"actual_cost": "48250.5", "status": "completed", "end_date": "2026-03-05"},
            headers={"If-Match": got.headers["etag"]},
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["budget"], body["actual_cost"], body["status"]) == (
            "50000.00",
            "48250.50",
            "completed",
        )
        bad = await owner_client.patch(url, json={"end_date": "2026-02-01"})
        body = assert_problem(bad, 422, "invalid_dates")
        assert body["errors"][0]["field"] == "body.end_date"
        assert_problem(
            await owner_client.patch(url, json={"name": "x"}, headers={"If-Match": 'W/"1"'}),
            412,
            "precondition_failed",
        )
        assert_problem(await owner_client.patch(url, json={"name": None}), 422, "validation_error")
        assert (await owner_client.get(url)).json()["name"] == "春季展会"

    async def test_leads_filter_by_source(self, session, tenant, owner_client) -> None:
        for name, source in [("a", "官网表单"), ("b", "展会"), ("c", "官网表单")]:
            await owner_client.post(
                "/api/v1/leads",
                json={"name": name, "source": source, "owner_id": str(tenant.owner.id)},
            )
        page = (
            await owner_client.get("/api/v1/leads", params={"source": "官网表单", "sort": "name"})
        ).json()
        assert [lead["name"] for lead in page["data"]] == ["a", "c"]
