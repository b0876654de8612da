from __future__ import annotations

from sqlalchemy import select

from app.models.customer import Notification, OwnershipChange
from tests.auth.test_auth import assert_problem
from tests.factories import create_team, create_user, create_workspace, use


def customer(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {"name": "阿里巴巴（中国）有限公司", "phones": ["13800138000"]}
    body.update(overrides)
    return body


class TestCreate:
    async def test_create_defaults_owner_to_caller_and_normalises(
        self, owner_client, tenant
    ) -> None:
        r = await owner_client.post(
            "/api/v1/customers",
            json=customer(email="Sales@Alibaba.com", credit_code="91330100716105852f"),
        )
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["owner_id"] == str(tenant.owner.id)
        assert body["credit_code"] == "91330100716105852F"
        assert body["status"] == "potential"
        assert r.headers["etag"] == 'W/"1"'
        ledger = (await owner_client.get(f"/api/v1/customers/{body['id']}/ownership")).json()
        assert [(e["kind"], e["to_user_id"]) for e in ledger] == [("create", str(tenant.owner.id))]

    async def test_bad_credit_code_and_level_are_field_errors(self, owner_client) -> None:
        r = await owner_client.post(
            "/api/v1/customers", json=customer(credit_code="91330100716105852X")
        )
        body = assert_problem(r, 422, "validation_error")
        assert body["errors"][0]["field"] == "body.credit_code"
        r = await owner_client.post("/api/v1/customers", json=customer(level="Z"))
        body = assert_problem(r, 422, "invalid_reference")
        assert body["errors"][0]["field"] == "body.level"


class TestDuplicates:
    async def test_same_phone_other_format_warns_with_owner(
        self, session, tenant, client_for, owner_client
    ) -> None:
        rep = await create_user(session, tenant.id, role="sales")
        first = (
            await owner_client.post(
                "/api/v1/customers", json=customer(name="星辰贸易", phones=["+86 138-0013-8000"])
            )
        ).json()
        rep_client = await client_for(rep)
        r = await rep_client.post(
            "/api/v1/customers", json=customer(name="别的名字", phones=["13800138000"])
        )
        body = assert_problem(r, 409, "duplicate_customer")
        [cand] = body["candidates"]
        assert cand["customer_id"] == first["id"]
        assert cand["owner_name"] == tenant.owner.name
        assert cand["in_your_scope"] is False
        assert cand["reasons"][0]["field"] == "phone"
        assert cand["reasons"][0]["value"] == "+8613800138000"
        assert "phones" not in cand  # no contact details of customers outside scope
        forced = await rep_client.post(
            "/api/v1/customers", json=customer(name="别的名字", phones=["13800138000"], force=True)
        )
        assert forced.status_code == 201
        await use(session, tenant.id)
        kinds = (
            (
                await session.execute(
                    select(Notification.kind).where(Notification.user_id == tenant.owner.id)
                )
            )
            .scalars()
            .all()
        )
        assert "duplicate_conflict" in kinds

    async def test_credit_code_duplicate_is_blocked(self, owner_client) -> None:
        code = "91330100716105852F"
        await owner_client.post("/api/v1/customers", json=customer(credit_code=code))
        r = await owner_client.post(
            "/api/v1/customers", json=customer(name="x", phones=[], credit_code=code, force=True)
        )
        assert_problem(r, 409, "duplicate_blocked")

    async def test_fuzzy_name_ignores_legal_suffixes(self, owner_client) -> None:
        await owner_client.post("/api/v1/customers", json=customer(phones=[]))
        r = await owner_client.post(
            "/api/v1/customers/duplicates/check", json={"name": "阿里巴巴(中国)股份有限公司"}
        )
        result = r.json()
        assert result["warn"] is True
        assert result["candidates"][0]["reasons"][0]["field"] == "name"
        assert result["candidates"][0]["score"] >= 0.6


class TestSearchAndList:
    async def test_chinese_substring_and_phone_search(self, owner_client) -> None:
        await owner_client.post("/api/v1/customers", json=customer())
        await owner_client.post(
            "/api/v1/customers",
            json=customer(name="腾讯科技（深圳）有限公司", phones=["0755-86013388"]),
        )
        names = lambda r: [c["name"] for c in r.json()["data"]]  # noqa: E731
        assert names(await owner_client.get("/api/v1/customers?q=阿里")) == [
            "阿里巴巴（中国）有限公司"
        ]
        assert names(await owner_client.get("/api/v1/customers?q=86013388")) == [
            "腾讯科技（深圳）有限公司"
        ]

    async def test_search_terms_are_literal_and_stay_in_the_workspace(
        self, session, tenant, owner_client, client_for
    ) -> None:
        """The lookup runs outside row-level security (see the customer_search migration), so
        it must bind itself to the caller's workspace, skip deleted rows and treat LIKE's
        wildcards as text."""
        mine = (
            await owner_client.post("/api/v1/customers", json=customer(email="Sales@Alibaba.com"))
        ).json()
        gone = (
            await owner_client.post(
                "/api/v1/customers",
                json=customer(name="阿里云计算有限公司", phones=["021-55550000"], email=None),
            )
        ).json()
        await owner_client.delete(
            f"/api/v1/customers/{gone['id']}", headers={"If-Match": f'"{gone["version"]}"'}
        )
        other = await create_workspace(session, "Other")
        stranger = await create_user(session, other.id, role="admin")
        await session.commit()
        other_client = await client_for(stranger)
        await other_client.post("/api/v1/customers", json=customer(email="ali@elsewhere.cn"))
        ids = lambda r: [c["id"] for c in r.json()["data"]]  # noqa: E731

        for term in ("阿里", "阿", "巴巴（中国", "ALIBABA", "13800138000"):
            assert ids(await owner_client.get("/api/v1/customers", params={"q": term})) == [
                mine["id"]
            ], term
        for term in ("%", "_", "\\", "阿%"):
            r = await owner_client.get("/api/v1/customers", params={"q": term})
            assert r.status_code == 200, term
            assert ids(r) == [], term
        theirs = await other_client.get("/api/v1/customers", params={"q": "阿里"})
        assert len(ids(theirs)) == 1
        assert ids(theirs) != [mine["id"]]

    async def test_a_term_too_common_to_rank_filters_newest_first(
        self, owner_client, monkeypatch
    ) -> None:
        from app.customers import repository

        monkeypatch.setattr(repository, "SEARCH_CANDIDATES", 2)
        made = [
            (
                await owner_client.post(
                    "/api/v1/customers",
                    json=customer(name=f"星谷科技{n}号有限公司", phones=[f"1390000000{n}"]),
                )
            ).json()["id"]
            for n in range(3)
        ]
        await owner_client.post("/api/v1/customers", json=customer())
        first = await owner_client.get("/api/v1/customers", params={"q": "科技", "limit": 2})
        rest = await owner_client.get(
            "/api/v1/customers",
            params={"q": "科技", "limit": 2, "cursor": first.json()["next_cursor"]},
        )
        seen = [c["id"] for c in first.json()["data"] + rest.json()["data"]]
        assert seen == made[::-1]
        ranked = await owner_client.get("/api/v1/customers", params={"q": "星谷科技1"})
        assert [c["id"] for c in ranked.json()["data"]] == [made[1]]

    async def test_duplicate_check_sees_only_its_own_workspace(
        self, session, tenant, owner_client, client_for
    ) -> None:
        await owner_client.post("/api/v1/customers", json=customer())
        other = await create_workspace(session, "Other")
        stranger = await create_user(session, other.id, role="admin")
        await session.commit()
        other_client = await client_for(stranger)
        r = await other_client.post(
            "/api/v1/customers/duplicates/check",
            json={"name": "阿里巴巴（中国）有限公司", "phones": ["13800138000"]},
        )
        assert r.status_code == 200
        assert r.json()["candidates"] == []

    async def test_contact_names_are_searchable(self, owner_client) -> None:
        c = (await owner_client.post("/api/v1/customers", json=customer())).json()
        await owner_client.post(
            f"/api/v1/customers/{c['id']}/contacts",
            json={"name": "马云", "phones": ["13900000000"]},
        )
        r = await owner_client.get("/api/v1/customers?q=马云")
        assert [x["id"] for x in r.json()["data"]] == [c["id"]]

    async def test_custom_field_filter(self, owner_client) -> None:
        r = await owner_client.post(
            "/api/v1/custom-fields",
            json={
                "entity": "customer",
                "key": "scale",
                "label_zh": "规模",
                "label_en": "Scale",
                "type": "select",
                "options": ["small", "large"],
            },
        )
        assert r.status_code == 201, r.text
        big = (
            await owner_client.post(
                "/api/v1/customers", json=customer(custom_fields={"scale": "large"})
            )
        ).json()
        await owner_client.post(
            "/api/v1/customers",
            json=customer(name="小公司", phones=[], custom_fields={"scale": "small"}),
        )
        r = await owner_client.get("/api/v1/customers?cf.scale=large")
        assert [c["id"] for c in r.json()["data"]] == [big["id"]]
        bad = await owner_client.post(
            "/api/v1/customers",
            json=customer(name="y", phones=[], custom_fields={"scale": "huge", "nope": 1}),
        )
        body = assert_problem(bad, 422, "invalid_custom_fields")
        assert {e["field"] for e in body["errors"]} == {
            "body.custom_fields.scale",
            "body.custom_fields.nope",
        }
        assert_problem(
            await owner_client.get("/api/v1/customers?cf.nope=1"),
            400,
            "invalid_custom_field_filter",
        )

    async def test_sales_sees_only_own_manager_sees_team(self, session, tenant, client_for) -> None:
        east = await create_team(session, tenant.id, "East")
        manager = await create_user(session, tenant.id, role="manager", team=east)
        rep = await create_user(session, tenant.id, role="sales", team=east)
        other = await create_user(session, tenant.id, role="sales")
        rep_c, other_c, mgr_c = (
            await client_for(rep),
            await client_for(other),
            await client_for(manager),
        )
        mine = (await rep_c.post("/api/v1/customers", json=customer(name="R1", phones=[]))).json()
        theirs = (
            await other_c.post("/api/v1/customers", json=customer(name="O1", phones=[]))
        ).json()
        ids = lambda r: {c["id"] for c in r.json()["data"]}  # noqa: E731
        assert ids(await rep_c.get("/api/v1/customers")) == {mine["id"]}
        assert ids(await mgr_c.get("/api/v1/customers")) == {mine["id"]}
        assert (await rep_c.get(f"/api/v1/customers/{theirs['id']}")).status_code == 404
        exported = await rep_c.get("/api/v1/exports/customers")
        assert exported.status_code == 200
        assert "R1" in exported.text
        assert "O1" not in exported.text


class TestFollowUpsAndTransfer:
    async def test_follow_up_updates_dates_creates_task_and_timeline(
        self, owner_client, tenant
    ) -> None:
        c = (await owner_client.post("/api/v1/customers", json=customer())).json()
        r = await owner_client.post(
            "/api/v1/activities",
            json={
                "customer_id": c["id"],
                "kind": "visit",
                "content": "拜访，谈了报价",
                "latitude": 31.23,
                "longitude": 121.47,
                "check_in_address": "上海市浦东新区",
                "next_follow_up_at": "2020-01-01T09:00:00+08:00",
            },
        )
        assert r.status_code == 201, r.text
        got = (await owner_client.get(f"/api/v1/customers/{c['id']}")).json()
        assert got["last_followed_at"] is not None
        assert got["next_follow_up_at"].startswith("2020-01-01T01:00:00")
        day = (await owner_client.get("/api/v1/tasks?view=my-day")).json()["data"]
        assert [t["customer_id"] for t in day] == [c["id"]]
        assert day[0]["kind"] == "follow_up"
        kinds = [
            i["kind"]
            for i in (await owner_client.get(f"/api/v1/customers/{c['id']}/timeline")).json()[
                "data"
            ]
        ]
        assert "activity" in kinds
        assert "task" in kinds
        assert "ownership" in kinds

    async def test_transfer_moves_ownership_tasks_and_visibility(
        self, session, tenant, client_for
    ) -> None:
        a = await create_user(session, tenant.id, role="sales")
        b = await create_user(session, tenant.id, role="sales")
        a_c, b_c = await client_for(a), await client_for(b)
        c = (await a_c.post("/api/v1/customers", json=customer())).json()
        await a_c.post(
            "/api/v1/activities",
            json={
                "customer_id": c["id"],
                "kind": "call",
                "content": "电话",
                "next_follow_up_at": "2030-01-01T00:00:00Z",
            },
        )
        r = await a_c.post(
            f"/api/v1/customers/{c['id']}/transfer",
            json={"to_user_id": str(b.id), "reason": "区域调整"},
        )
        assert r.status_code == 200, r.text
        assert r.json()["transferred"] == 1
        assert r.json()["moved"]["tasks"] == 1
        assert (await a_c.get(f"/api/v1/customers/{c['id']}")).status_code == 404
        assert (await b_c.get(f"/api/v1/customers/{c['id']}")).status_code == 200
        ledger = (await b_c.get(f"/api/v1/customers/{c['id']}/ownership")).json()
        assert ledger[0]["kind"] == "transfer"
        assert ledger[0]["from_user_id"] == str(a.id)
        assert ledger[0]["reason"] == "区域调整"
        tasks = (await b_c.get("/api/v1/tasks", params={"customer_id": c["id"]})).json()
        assert tasks["data"][0]["assignee_id"] == str(b.id)
        unread = (await b_c.get("/api/v1/notifications/unread-count")).json()
        assert unread["count"] == 1

    async def test_handover_then_deactivate(self, session, tenant, owner_client) -> None:
        leaving = await create_user(session, tenant.id, role="sales")
        taker = await create_user(session, tenant.id, role="sales")
        for i in range(3):
            await owner_client.post(
                "/api/v1/customers",
                json=customer(name=f"客户{i}", phones=[], owner_id=str(leaving.id)),
            )
        refused = await owner_client.post(f"/api/v1/users/{leaving.id}/deactivate")
        body = assert_problem(refused, 409, "owns_records")
        assert body["owned"] == {"customers": 3}
        report = await owner_client.post(
            f"/api/v1/users/{leaving.id}/handover", json={"to_user_id": str(taker.id)}
        )
        assert report.status_code == 200, report.text
        assert report.json()["counts"]["customers"] == 3
        assert len(report.json()["customers"]) == 3
        await use(session, tenant.id)
        kinds = (
            (
                await session.execute(
                    select(OwnershipChange.kind).where(OwnershipChange.from_user_id == leaving.id)
                )
            )
            .scalars()
            .all()
        )
        assert kinds == ["handover"] * 3
        assert (
            await owner_client.post(f"/api/v1/users/{leaving.id}/deactivate")
        ).status_code == 200

    async def test_merge_moves_children_and_bins_duplicate(self, owner_client) -> None:
        a = (await owner_client.post("/api/v1/customers", json=customer(phones=[]))).json()
        b = (
            await owner_client.post(
                "/api/v1/customers",
                json=customer(name="阿里巴巴", phones=["13900000001"], industry="电商", force=True),
            )
        ).json()
        await owner_client.post(f"/api/v1/customers/{b['id']}/contacts", json={"name": "张三"})
        r = await owner_client.post(
            f"/api/v1/customers/{a['id']}/merge", json={"duplicate_id": b["id"]}
        )
        assert r.status_code == 200, r.text
        merged = r.json()
        assert merged["industry"] == "电商"
        assert "13900000001" in merged["phones"]
        contacts = (await owner_client.get(f"/api/v1/customers/{a['id']}/contacts")).json()
        assert [x["name"] for x in contacts["data"]] == ["张三"]
        assert (await owner_client.get(f"/api/v1/customers/{b['id']}")).status_code == 404


class TestDelete:
    async def test_a_customer_with_contracts_is_not_deleted(
        self, session, tenant, owner_client
    ) -> None:
        from app.models.audit import AuditEntry
        from tests.contracts.helpers import make_contract, make_customer

        kept = await make_customer(session, tenant.id, tenant.owner)
        await make_contract(session, kept, tenant.owner, status="terminated")
        await make_contract(session, kept, tenant.owner, status="draft")
        await session.commit()
        path = f"/api/v1/customers/{kept.id}"
        body = assert_problem(await owner_client.delete(path), 409, "customer_has_records")
        assert body["records"] == {"contracts": 2}
        assert body["detail"].startswith(f"Customer {kept.name} has 2 contracts: ")
        got = await owner_client.get(path)
        assert (got.status_code, got.json()["version"]) == (200, 1)
        await use(session, tenant.id)
        deleted = select(AuditEntry.id).where(
            AuditEntry.entity == "customer", AuditEntry.action == "deleted"
        )
        assert (await session.execute(deleted)).first() is None
        # a deleted draft does not count; once nothing is left, the delete goes through
        plain = await make_customer(session, tenant.id, tenant.owner)
        draft = await make_contract(session, plain, tenant.owner, status="draft")
        await session.commit()
        body = assert_problem(
            await owner_client.delete(f"/api/v1/customers/{plain.id}"), 409, "customer_has_records"
        )
        assert "has 1 contract: " in body["detail"]
        assert (await owner_client.delete(f"/api/v1/contracts/{draft.id}")).status_code == 204
        assert (await owner_client.delete(f"/api/v1/customers/{plain.id}")).status_code == 204


class TestDisputes:
    async def test_upheld_dispute_moves_ownership(
        self, session, tenant, client_for, owner_client
    ) -> None:
        team = await create_team(session, tenant.id)
        manager = await create_user(session, tenant.id, role="manager", team=team)
        first = await create_user(session, tenant.id, role="sales", team=team)
        claimant = await create_user(session, tenant.id, role="sales", team=team)
        first_c, claim_c, mgr_c = (
            await client_for(first),
            await client_for(claimant),
            await client_for(manager),
        )
        c = (await first_c.post("/api/v1/customers", json=customer())).json()
        r = await claim_c.post(
            "/api/v1/disputes",
            json={"customer_id": c["id"], "evidence": "我三个月前就拜访过，有记录"},
        )
        assert r.status_code == 201, r.text
        dispute = r.json()
        assert dispute["owner_at_claim_id"] == str(first.id)
        # until decided, the first owner keeps it
        assert (await claim_c.get(f"/api/v1/customers/{c['id']}")).status_code == 404
        assert_problem(
            await claim_c.post(
                f"/api/v1/disputes/{dispute['id']}/decide", json={"decision": "upheld"}
            ),
            403,
            "forbidden",
        )
        decided = await mgr_c.post(
            f"/api/v1/disputes/{dispute['id']}/decide",
            json={"decision": "upheld", "note": "证据充分"},
        )
        assert decided.status_code == 200, decided.text
        assert decided.json()["status"] == "upheld"
        got = await claim_c.get(f"/api/v1/customers/{c['id']}")
        assert got.json()["owner_id"] == str(claimant.id)
        again = await mgr_c.post(
            f"/api/v1/disputes/{dispute['id']}/decide", json={"decision": "rejected"}
        )
        assert_problem(again, 409, "dispute_decided")


class TestSettings:
    async def test_levels_and_policy_are_configurable(
        self, session, tenant, owner_client, client_for
    ) -> None:
        got = (await owner_client.get("/api/v1/settings/customers")).json()
        assert got["levels"] == ["A", "B", "C"]
        assert got["duplicate_policy"]["credit_code"] == "block"
        r = await owner_client.patch(
            "/api/v1/settings/customers",
            json={"levels": ["VIP", "普通"], "duplicate_policy": {"phone": "allow"}},
        )
        assert r.status_code == 200, r.text
        assert r.json()["levels"] == ["VIP", "普通"]
        assert (
            await owner_client.post("/api/v1/customers", json=customer(level="VIP"))
        ).status_code == 201
        # phone duplicates are now allowed: no warning
        assert (
            await owner_client.post("/api/v1/customers", json=customer(name="另一家", level="普通"))
        ).status_code == 201
        assert_problem(
            await owner_client.post(
                "/api/v1/customers", json=customer(name="x", phones=[], level="A")
            ),
            422,
            "invalid_reference",
        )
        rep = await create_user(session, tenant.id, role="sales")
        rep_c = await client_for(rep)
        assert_problem(
            await rep_c.patch("/api/v1/settings/customers", json={"levels": ["Z"]}),
            403,
            "forbidden",
        )
        bad = await owner_client.patch(
            "/api/v1/settings/customers", json={"duplicate_policy": {"fax": "block"}}
        )
        assert_problem(bad, 422, "validation_error")
