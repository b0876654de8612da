"""The webhooks API: endpoints with a secret shown once, filters, rotation, SSRF refusals,
permissions, the delivery log, test events and redelivery (queued for the worker)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text

from app.models.audit import AuditEntry
from app.models.webhook import WebhookDelivery
from tests.auth.test_auth import assert_problem
from tests.factories import create_api_key, create_user, use

URL = "http://127.0.0.1:9/hooks"


@pytest.fixture
def private_ok(app, settings):  # type: ignore[no-untyped-def]
    app.state.settings = settings.model_copy(update={"webhooks_allow_private": True})


async def _create(client, **body):  # type: ignore[no-untyped-def]
    r = await client.post("/api/v1/webhooks", json={"url": URL, **body})
    assert r.status_code == 201, r.text
    return r.json()


@pytest.mark.usefixtures("private_ok")
class TestEndpoints:
    async def test_secret_is_shown_once(self, owner_client) -> None:
        created = await _create(
            owner_client, description="ERP 同步", event_types=["customer.*", "lead.converted"]
        )
        assert created["secret"].startswith("whsec_")
        assert created["secret_prefix"] == created["secret"][:10] + "…"
        assert created["event_types"] == ["customer.*", "lead.converted"]
        assert created["active"] is True
        shown = (await owner_client.get(f"/api/v1/webhooks/{created['id']}")).json()
        assert "secret" not in shown
        listed = (await owner_client.get("/api/v1/webhooks")).json()
        assert [e["id"] for e in listed["data"]] == [created["id"]]
        assert "secret" not in listed["data"][0]

    async def test_default_filter_is_everything(self, owner_client) -> None:
        assert (await _create(owner_client))["event_types"] == ["*"]

    @pytest.mark.parametrize("bad", [["customer*"], ["Customer.created"], [""], [], ["a.*.b"]])
    async def test_bad_event_types_are_refused(self, owner_client, bad) -> None:  # type: ignore[no-untyped-def]
        r = await owner_client.post("/api/v1/webhooks", json={"url": URL, "event_types": bad})
        body = assert_problem(r, 422, "validation_error")
        assert body["errors"][0]["field"].startswith("body.event_types")

    async def test_update_switch_off_and_on(self, owner_client) -> None:
        created = await _create(owner_client)
        path = f"/api/v1/webhooks/{created['id']}"
        off = await owner_client.patch(path, json={"active": False, "description": "暂停"})
        assert off.status_code == 200, off.text
        assert off.json()["disabled_reason"] == "manual"
        stale = await owner_client.patch(
            path, json={"active": True}, headers={"If-Match": f'W/"{created["version"]}"'}
        )
        assert_problem(stale, 412, "precondition_failed")
        on = await owner_client.patch(path, json={"active": True})
        assert on.json()["active"] is True
        assert on.json()["disabled_reason"] is None
        assert on.json()["description"] == "暂停"

    async def test_rotation_returns_a_new_secret_with_overlap(self, owner_client, session) -> None:
        created = await _create(owner_client)
        r = await owner_client.post(
            f"/api/v1/webhooks/{created['id']}/rotate-secret", json={"overlap_hours": 12}
        )
        assert r.status_code == 200, r.text
        assert r.json()["secret"] != created["secret"]
        assert r.json()["previous_secret_expires_at"] is not None
        audit = (
            await session.execute(
                select(AuditEntry.action).where(AuditEntry.entity_id == uuid.UUID(created["id"]))
            )
        ).scalars()
        assert set(audit) == {"created", "secret_rotated"}
        no_overlap = await owner_client.post(
            f"/api/v1/webhooks/{created['id']}/rotate-secret", json={"overlap_hours": 0}
        )
        assert no_overlap.json()["previous_secret_expires_at"] is None

    async def test_delete_hides_the_endpoint(self, owner_client) -> None:
        created = await _create(owner_client)
        r = await owner_client.delete(f"/api/v1/webhooks/{created['id']}")
        assert r.status_code == 204
        assert_problem(
            await owner_client.get(f"/api/v1/webhooks/{created['id']}"), 404, "not_found"
        )


class TestSsrf:
    @pytest.mark.parametrize(
        "url",
        [
            "http://10.0.0.1/hook",
            "http://127.0.0.1/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]:8080/hook",
            "http://localhost/hook",
        ],
    )
    async def test_private_targets_are_refused_by_default(self, owner_client, url) -> None:  # type: ignore[no-untyped-def]
        r = await owner_client.post("/api/v1/webhooks", json={"url": url})
        body = assert_problem(r, 422, "webhook_url_private")
        assert body["errors"][0]["field"] == "body.url"
        assert (await owner_client.get("/api/v1/webhooks")).json()["data"] == []

    async def test_update_to_a_private_target_is_refused(self, owner_client) -> None:
        created = await _create(owner_client, url="https://93.184.215.14/hooks")
        r = await owner_client.patch(
            f"/api/v1/webhooks/{created['id']}", json={"url": "http://192.168.0.10/x"}
        )
        assert_problem(r, 422, "webhook_url_private")

    async def test_non_http_url_is_refused(self, owner_client) -> None:
        r = await owner_client.post("/api/v1/webhooks", json={"url": "file:///etc/passwd"})
        assert_problem(r, 422, "webhook_url_invalid")


class TestPermissions:
    async def test_sales_and_managers_cannot_see_webhooks(
        self, session, tenant, client_for
    ) -> None:
        for role in ("sales", "manager"):
            user = await create_user(session, tenant.id, role=role)
            client = await client_for(user)
            assert_problem(await client.get("/api/v1/webhooks"), 403, "forbidden")

    @pytest.mark.usefixtures("private_ok")
    async def test_api_key_needs_integrations_write(self, session, tenant, app) -> None:
        import httpx

        read_key = await create_api_key(session, tenant.owner, ["integrations:read"])
        write_key = await create_api_key(session, tenant.owner, ["integrations:write"])
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            r = await c.post(
                "/api/v1/webhooks",
                json={"url": URL},
                headers={"Authorization": f"Bearer {read_key}"},
            )
            assert_problem(r, 403, "forbidden")
            r = await c.post(
                "/api/v1/webhooks",
                json={"url": URL},
                headers={"Authorization": f"Bearer {write_key}"},
            )
            assert r.status_code == 201, r.text
            r = await c.get("/api/v1/webhooks", headers={"Authorization": f"Bearer {read_key}"})
            assert len(r.json()["data"]) == 1


@pytest.mark.usefixtures("private_ok")
class TestDeliveryLog:
    async def test_test_event_is_queued_with_a_job(self, owner_client, session, tenant) -> None:
        created = await _create(owner_client)
        r = await owner_client.post(f"/api/v1/webhooks/{created['id']}/test")
        assert r.status_code == 202, r.text
        delivery = r.json()
        assert delivery["event_type"] == "webhook.test"
        assert delivery["status"] == "pending"
        assert delivery["webhook_id"] == "msg_" + uuid.UUID(delivery["id"]).hex
        jobs = (
            await session.execute(
                text(
                    "SELECT args->>'workspace_id' FROM procrastinate_jobs "
                    "WHERE task_name = 'webhooks_deliver' AND queue_name = 'webhooks'"
                )
            )
        ).scalars()
        assert str(tenant.id) in set(jobs)
        log = (await owner_client.get(f"/api/v1/webhooks/{created['id']}/deliveries")).json()
        assert [d["id"] for d in log["data"]] == [delivery["id"]]
        detail = (
            await owner_client.get(f"/api/v1/webhooks/{created['id']}/deliveries/{delivery['id']}")
        ).json()
        assert detail["payload"]["type"] == "webhook.test"
        assert detail["attempts_log"] == []

    async def test_test_event_needs_an_active_endpoint(self, owner_client) -> None:
        created = await _create(owner_client, active=False)
        r = await owner_client.post(f"/api/v1/webhooks/{created['id']}/test")
        assert_problem(r, 409, "webhook_endpoint_inactive")

    async def test_redeliver_requeues_a_failed_delivery(
        self, owner_client, session, tenant
    ) -> None:
        created = await _create(owner_client)
        delivery = (await owner_client.post(f"/api/v1/webhooks/{created['id']}/test")).json()
        await use(session, tenant.id)
        row = await session.get(
            WebhookDelivery, {"workspace_id": tenant.id, "id": uuid.UUID(delivery["id"])}
        )
        assert row is not None
        row.status, row.next_attempt_at, row.attempts = "failed", None, 9
        await session.commit()
        r = await owner_client.post(
            f"/api/v1/webhooks/{created['id']}/deliveries/{delivery['id']}/redeliver"
        )
        assert r.status_code == 202, r.text
        assert r.json()["status"] == "pending"
        assert r.json()["webhook_id"] == delivery["webhook_id"]
        assert r.json()["next_attempt_at"] is not None

    async def test_delivery_of_another_endpoint_is_not_found(self, owner_client) -> None:
        a = await _create(owner_client)
        b = await _create(owner_client)
        delivery = (await owner_client.post(f"/api/v1/webhooks/{a['id']}/test")).json()
        r = await owner_client.get(f"/api/v1/webhooks/{b['id']}/deliveries/{delivery['id']}")
        assert_problem(r, 404, "not_found")
        r = await owner_client.get(f"/api/v1/webhooks/{b['id']}/deliveries?status=bogus")
        assert r.status_code == 422


@pytest.mark.usefixtures("private_ok")
class TestBadInputWritesNothing:
    async def test_overlap_out_of_range_keeps_the_secret(self, owner_client, session) -> None:  # type: ignore[no-untyped-def]
        created = await _create(owner_client)
        for bad in (-1, 169, "soon"):
            r = await owner_client.post(
                f"/api/v1/webhooks/{created['id']}/rotate-secret", json={"overlap_hours": bad}
            )
            body = assert_problem(r, 422, "validation_error")
            assert body["errors"][0]["field"] == "body.overlap_hours"
        shown = (await owner_client.get(f"/api/v1/webhooks/{created['id']}")).json()
        assert shown["secret_prefix"] == created["secret_prefix"]
        assert shown["version"] == created["version"]

    @pytest.mark.parametrize(
        ("patch", "code", "field"),
        [
            (
                {"url": "http://exa mple.org/x", "description": "新"},
                "webhook_url_invalid",
                "body.url",
            ),
            (
                {"url": "gopher://example.org", "description": "新"},
                "webhook_url_invalid",
                "body.url",
            ),
            ({"url": None}, "validation_error", "body.url"),
            ({"event_types": ["customer*"]}, "validation_error", "body.event_types"),
            ({"event_types": []}, "validation_error", "body.event_types"),
            ({"secret": "whsec_x"}, "validation_error", "body.secret"),
        ],
    )
    async def test_bad_update_changes_nothing(self, owner_client, patch, code, field) -> None:  # type: ignore[no-untyped-def]
        created = await _create(owner_client, description="旧")
        r = await owner_client.patch(f"/api/v1/webhooks/{created['id']}", json=patch)
        body = assert_problem(r, 422, code)
        assert body["errors"][0]["field"].startswith(field)
        shown = (await owner_client.get(f"/api/v1/webhooks/{created['id']}")).json()
        assert (shown["url"], shown["description"], shown["version"]) == (
            URL,
            "旧",
            created["version"],
        )

    async def test_bad_create_writes_nothing(self, owner_client) -> None:  # type: ignore[no-untyped-def]
        for body in (
            {"url": "http://exa mple.org/x"},
            {"url": URL, "event_types": ["a.*.b"]},
            {"url": URL, "unknown": 1},
        ):
            assert (await owner_client.post("/api/v1/webhooks", json=body)).status_code == 422
        assert (await owner_client.get("/api/v1/webhooks")).json()["data"] == []


@pytest.mark.usefixtures("private_ok")
class TestPaging:
    async def test_endpoints_and_deliveries_page_with_a_cursor(self, owner_client) -> None:  # type: ignore[no-untyped-def]
        made = [await _create(owner_client, description=f"#{i}") for i in range(3)]
        seen: list[str] = []
        cursor = None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await owner_client.get("/api/v1/webhooks", params=params)).json()
            seen += [e["id"] for e in page["data"]]
            if not page["has_more"]:
                break
            cursor = page["next_cursor"]
        assert sorted(seen) == sorted(e["id"] for e in made)
        assert len(seen) == 3
        path = f"/api/v1/webhooks/{made[0]['id']}"
        sent = [(await owner_client.post(f"{path}/test")).json()["id"] for _ in range(3)]
        first = (await owner_client.get(f"{path}/deliveries", params={"limit": 2})).json()
        assert first["has_more"] is True
        rest = (
            await owner_client.get(
                f"{path}/deliveries", params={"limit": 2, "cursor": first["next_cursor"]}
            )
        ).json()
        assert [d["id"] for d in first["data"] + rest["data"]] == sent[::-1]  # newest first
