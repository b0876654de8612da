"""API conventions every endpoint inherits: errors, pagination, idempotency, limits."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from sqlalchemy import func, select, text

from app.models.user import Team
from tests.auth.test_auth import assert_problem
from tests.factories import create_team, login_as, use


class TestErrors:
    async def test_unknown_route_is_404_problem(self, owner_client) -> None:
        assert_problem(await owner_client.get("/api/v1/nothing-here"), 404, "not_found")

    async def test_wrong_types_are_422_with_fields(self, owner_client) -> None:
        r = await owner_client.post("/api/v1/teams", json={"name": ["a"], "parent_id": 12})
        body = assert_problem(r, 422, "validation_error")
        assert {e["field"] for e in body["errors"]} == {"body.name", "body.parent_id"}

    async def test_malformed_json_is_400(self, owner_client) -> None:
        r = await owner_client.post(
            "/api/v1/teams", content=b'{"name": ', headers={"content-type": "application/json"}
        )
        assert_problem(r, 400, "malformed_json")

    async def test_body_over_the_limit_is_413(self, owner_client) -> None:
        big = b'{"name": "' + b"x" * (20 * 1024 * 1024) + b'"}'
        r = await owner_client.post(
            "/api/v1/teams", content=big, headers={"content-type": "application/json"}
        )
        assert_problem(r, 413, "payload_too_large")

    async def test_chunked_body_over_the_limit_is_413(self, owner_client) -> None:
        async def chunks():  # type: ignore[no-untyped-def]
            for _ in range(12):
                yield b"x" * (1024 * 1024)

        r = await owner_client.post(
            "/api/v1/teams", content=chunks(), headers={"content-type": "application/json"}
        )
        assert_problem(r, 413, "payload_too_large")

    async def test_unknown_sort_and_filter_are_400(self, owner_client) -> None:
        assert_problem(
            await owner_client.get("/api/v1/users?sort=password_hash"), 400, "invalid_sort"
        )
        body = assert_problem(
            await owner_client.get("/api/v1/users?owner=me"), 400, "unknown_parameter"
        )
        assert body["errors"] == [{"field": "query.owner", "message": "unknown parameter"}]

    async def test_limit_out_of_range_is_422(self, owner_client) -> None:
        assert_problem(await owner_client.get("/api/v1/users?limit=0"), 422, "validation_error")
        assert_problem(await owner_client.get("/api/v1/users?limit=201"), 422, "validation_error")

    async def test_no_auth_is_401_problem(self, anon) -> None:
        assert_problem(await anon.get("/api/v1/users"), 401, "not_authenticated")

    async def test_bad_if_match_is_400(self, owner_client, tenant) -> None:
        r = await owner_client.patch(
            f"/api/v1/users/{tenant.owner.id}", json={"name": "x"}, headers={"If-Match": "banana"}
        )
        assert_problem(r, 400, "invalid_if_match")


class TestPagination:
    async def test_pages_neither_repeat_nor_skip_under_inserts(
        self, owner_client, session, tenant
    ) -> None:
        names = [f"team-{c}" for c in "bdfhjlnp"]
        for name in names:
            await create_team(session, tenant.id, name)
        await session.commit()
        seen: list[str] = []
        cursor = None
        inserted = False
        while True:
            params = {"limit": "3", "sort": "name"}
            if cursor:
                params["cursor"] = cursor
            page = (await owner_client.get("/api/v1/teams", params=params)).json()
            seen += [t["name"] for t in page["data"]]
            if not inserted:
                # rows appear before and after the cursor while the client pages
                await owner_client.post("/api/v1/teams", json={"name": "team-a"})
                await owner_client.post("/api/v1/teams", json={"name": "team-z"})
                inserted = True
            cursor = page["next_cursor"]
            if not page["has_more"]:
                assert cursor is None
                break
        assert len(seen) == len(set(seen))
        assert seen == sorted(seen)
        assert [n for n in seen if n in names] == names
        assert "team-z" in seen

    async def test_descending_sort_and_page_size(self, owner_client, session, tenant) -> None:
        for i in range(5):
            await create_team(session, tenant.id, f"t{i}")
        await session.commit()
        first = (await owner_client.get("/api/v1/teams?limit=2&sort=-name")).json()
        assert [t["name"] for t in first["data"]] == ["t4", "t3"]
        assert first["has_more"] is True
        second = (
            await owner_client.get(
                f"/api/v1/teams?limit=2&sort=-name&cursor={first['next_cursor']}"
            )
        ).json()
        assert [t["name"] for t in second["data"]] == ["t2", "t1"]

    async def test_garbage_or_foreign_cursor_is_400(self, owner_client, session, tenant) -> None:
        for i in range(3):
            await create_team(session, tenant.id, f"c{i}")
        await session.commit()
        assert_problem(await owner_client.get("/api/v1/teams?cursor=%%%"), 400, "invalid_cursor")
        page = (await owner_client.get("/api/v1/teams?limit=1&sort=name")).json()
        r = await owner_client.get(f"/api/v1/teams?sort=-created_at&cursor={page['next_cursor']}")
        assert_problem(r, 400, "invalid_cursor")

    async def test_updated_since_and_include_deleted(self, owner_client, session, tenant) -> None:
        old = await create_team(session, tenant.id, "old")
        await session.commit()
        await use(session, tenant.id)
        await session.execute(
            text("UPDATE teams SET updated_at = now() - interval '2 days' WHERE id = :id"),
            {"id": old.id},
        )
        await session.commit()
        fresh = (await owner_client.post("/api/v1/teams", json={"name": "fresh"})).json()
        since = (
            await owner_client.get(
                "/api/v1/teams", params={"updated_since": "2026-01-01T00:00:00Z"}
            )
        ).json()["data"]
        recent = await owner_client.get(
            "/api/v1/teams", params={"updated_since": fresh["updated_at"]}
        )
        assert [t["name"] for t in recent.json()["data"]] == ["fresh"]
        assert {t["name"] for t in since} >= {"fresh"}
        naive = await owner_client.get(
            "/api/v1/teams", params={"updated_since": "2026-01-01T00:00:00"}
        )
        assert_problem(naive, 400, "invalid_parameter")


class TestIdempotency:
    async def test_same_key_same_body_replays_the_first_response(
        self, owner_client, session, tenant
    ) -> None:
        headers = {"Idempotency-Key": "create-team-1"}
        first = await owner_client.post("/api/v1/teams", json={"name": "华东"}, headers=headers)
        second = await owner_client.post("/api/v1/teams", json={"name": "华东"}, headers=headers)
        assert first.status_code == second.status_code == 201
        assert first.content == second.content
        assert second.headers["idempotent-replayed"] == "true"
        await use(session, tenant.id)
        n = await session.scalar(select(func.count()).select_from(Team).where(Team.name == "华东"))
        assert n == 1

    async def test_same_key_other_body_is_422(self, owner_client) -> None:
        headers = {"Idempotency-Key": "k2"}
        await owner_client.post("/api/v1/teams", json={"name": "a"}, headers=headers)
        r = await owner_client.post("/api/v1/teams", json={"name": "b"}, headers=headers)
        assert_problem(r, 422, "idempotency_key_reused")

    async def test_failed_request_releases_the_key(self, owner_client) -> None:
        headers = {"Idempotency-Key": "k3"}
        bad = {"name": "x", "parent_id": str(uuid.uuid4())}
        assert (
            await owner_client.post("/api/v1/teams", json=bad, headers=headers)
        ).status_code == 422
        ok = await owner_client.post(
            "/api/v1/teams", json=bad | {"parent_id": None}, headers={"Idempotency-Key": "k3b"}
        )
        assert ok.status_code == 201
        retry = await owner_client.post("/api/v1/teams", json=bad, headers=headers)
        assert retry.status_code == 422  # re-executed, not a stored failure

    async def test_keys_are_per_user(self, owner_client, session, tenant, client_for) -> None:
        from tests.factories import create_user

        admin = await create_user(session, tenant.id, role="admin")
        other = await client_for(admin)
        headers = {"Idempotency-Key": "shared"}
        a = await owner_client.post("/api/v1/teams", json={"name": "one"}, headers=headers)
        b = await other.post("/api/v1/teams", json={"name": "two"}, headers=headers)
        assert a.json()["id"] != b.json()["id"]

    async def test_key_in_flight_is_409(self, committed) -> None:
        app, tenant, maker = committed
        async with maker() as holder:
            await holder.begin()
            await use(holder, tenant.id)
            await holder.execute(
                text(
                    "INSERT INTO idempotency_keys (workspace_id, principal_id, key, request_hash) "
                    "VALUES (:ws, :p, 'busy', 'x')"
                ),
                {"ws": tenant.id, "p": tenant.owner.id},
            )
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                async with maker() as s:
                    await login_as(s, client, tenant.owner)
                r = await client.post(
                    "/api/v1/teams", json={"name": "x"}, headers={"Idempotency-Key": "busy"}
                )
            await holder.rollback()
        assert_problem(r, 409, "idempotency_in_flight")

    async def test_parallel_duplicates_create_one_row(self, committed) -> None:
        app, tenant, maker = committed
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            async with maker() as s:
                await login_as(s, client, tenant.owner)
            calls = [
                client.post(
                    "/api/v1/teams", json={"name": "parallel"}, headers={"Idempotency-Key": "race"}
                )
                for _ in range(5)
            ]
            responses = await asyncio.gather(*calls)
        statuses = sorted(r.status_code for r in responses)
        assert set(statuses) <= {201, 409}
        assert 201 in statuses
        created = {r.json()["id"] for r in responses if r.status_code == 201}
        assert len(created) == 1
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            n = await s.scalar(
                select(func.count()).select_from(Team).where(Team.name == "parallel")
            )
        assert n == 1


class TestDatabaseRefusals:
    async def test_unique_race_past_the_precheck_is_409_not_500(self, owner_client) -> None:
        await owner_client.post("/api/v1/tags", json={"name": "VIP"})
        other = (await owner_client.post("/api/v1/tags", json={"name": "other"})).json()
        # renaming onto an existing name hits the unique index, not a service check
        r = await owner_client.patch(f"/api/v1/tags/{other['id']}", json={"name": "VIP"})
        body = assert_problem(r, 409, "unique_violation")
        assert body["constraint"] == "uq_tags_workspace_id_name"

    async def test_null_byte_in_text_is_4xx(self, owner_client) -> None:
        r = await owner_client.post("/api/v1/teams", json={"name": "bad\u0000name"})
        assert 400 <= r.status_code < 500, r.text


async def test_updated_since_works_on_append_only_lists(owner_client) -> None:
    for path in ("/api/v1/audit-log", "/api/v1/notifications", "/api/v1/api-keys"):
        r = await owner_client.get(path, params={"updated_since": "2026-01-01T00:00:00Z"})
        assert r.status_code == 200, (path, r.text)
