from __future__ import annotations

from sqlalchemy import func, select

from app.models.audit import AuditEntry
from app.models.event import Event
from tests.auth.test_auth import assert_problem
from tests.factories import PASSWORD, create_team, create_user, use


def new_user(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "email": "li.lei@example.com",
        "name": "李雷",
        "password": "s3cret-pass",
        "role": "sales",
    }
    body.update(overrides)
    return body


async def counts(session, tenant, entity_id) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    await use(session, tenant.id)
    audits = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.entity_id == entity_id)
    )
    events = await session.scalar(
        select(func.count()).select_from(Event).where(Event.entity_id == entity_id)
    )
    return audits, events


class TestCreateUser:
    async def test_creates_and_can_sign_in(self, owner_client, anon, session, tenant) -> None:
        team = await create_team(session, tenant.id)
        await session.commit()
        r = await owner_client.post("/api/v1/users", json=new_user(team_id=str(team.id)))
        assert r.status_code == 201, r.text
        user = r.json()
        assert user["team_id"] == str(team.id)
        assert user["version"] == 1
        assert r.headers["etag"] == 'W/"1"'
        assert "password" not in user
        assert "password_hash" not in user
        login = await anon.post(
            "/api/v1/auth/login", json={"email": "li.lei@example.com", "password": "s3cret-pass"}
        )
        assert login.status_code == 200

    async def test_writes_exactly_one_audit_row_and_one_event(
        self, owner_client, session, tenant
    ) -> None:
        r = await owner_client.post("/api/v1/users", json=new_user())
        uid = r.json()["id"]
        assert await counts(session, tenant, uid) == (1, 1)
        await use(session, tenant.id)
        event = (await session.execute(select(Event).where(Event.entity_id == uid))).scalar_one()
        assert event.type == "user.created"
        assert event.data["email"] == "li.lei@example.com"
        audit = (
            await session.execute(select(AuditEntry).where(AuditEntry.entity_id == uid))
        ).scalar_one()
        assert audit.actor_id == tenant.owner.id
        assert audit.changes["role"] == {"before": None, "after": "sales"}
        assert audit.request_id == r.headers["x-request-id"]

    async def test_rejected_request_writes_neither_audit_nor_event(
        self, owner_client, session, tenant
    ) -> None:
        await use(session, tenant.id)
        before = await session.scalar(select(func.count()).select_from(AuditEntry))
        events_before = await session.scalar(select(func.count()).select_from(Event))
        # a team id that does not exist fails after validation, inside the service
        r = await owner_client.post(
            "/api/v1/users", json=new_user(team_id="018f0000-0000-7000-8000-000000000000")
        )
        assert_problem(r, 422, "unknown_team")
        await use(session, tenant.id)
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == before
        assert await session.scalar(select(func.count()).select_from(Event)) == events_before

    async def test_duplicate_email_is_409_with_field_error(self, owner_client) -> None:
        assert (await owner_client.post("/api/v1/users", json=new_user())).status_code == 201
        r = await owner_client.post("/api/v1/users", json=new_user(email="LI.LEI@example.com"))
        body = assert_problem(r, 409, "email_taken")
        assert body["errors"] == [{"field": "body.email", "message": "already in use"}]

    async def test_validation_errors_name_the_fields(self, owner_client) -> None:
        r = await owner_client.post(
            "/api/v1/users",
            json=new_user(email="not-an-email", password="short", role="king", extra="x"),
        )
        body = assert_problem(r, 422, "validation_error")
        fields = {e["field"] for e in body["errors"]}
        assert {"body.email", "body.password", "body.role", "body.extra"} <= fields

    async def test_sales_cannot_create_users(self, session, tenant, client_for) -> None:
        rep = await create_user(session, tenant.id, role="sales")
        client = await client_for(rep)
        assert_problem(await client.post("/api/v1/users", json=new_user()), 403, "forbidden")

    async def test_admin_cannot_create_an_owner(self, session, tenant, client_for) -> None:
        admin = await create_user(session, tenant.id, role="admin")
        client = await client_for(admin)
        r = await client.post("/api/v1/users", json=new_user(role="owner"))
        assert_problem(r, 403, "owner_required")


class TestUpdateUser:
    async def test_patch_with_current_etag_succeeds(self, owner_client, session, tenant) -> None:
        rep = await create_user(session, tenant.id)
        await session.commit()
        got = await owner_client.get(f"/api/v1/users/{rep.id}")
        etag = got.headers["etag"]
        r = await owner_client.patch(
            f"/api/v1/users/{rep.id}", json={"name": "韩梅梅"}, headers={"If-Match": etag}
        )
        assert r.status_code == 200, r.text
        assert r.json()["name"] == "韩梅梅"
        assert r.json()["version"] == 2
        assert r.headers["etag"] == 'W/"2"'

    async def test_stale_if_match_is_412_and_changes_nothing(
        self, owner_client, session, tenant
    ) -> None:
        rep = await create_user(session, tenant.id)
        await session.commit()
        await owner_client.patch(f"/api/v1/users/{rep.id}", json={"name": "first"})
        r = await owner_client.patch(
            f"/api/v1/users/{rep.id}", json={"name": "second"}, headers={"If-Match": 'W/"1"'}
        )
        assert_problem(r, 412, "precondition_failed")
        assert (await owner_client.get(f"/api/v1/users/{rep.id}")).json()["name"] == "first"

    async def test_update_audits_only_changed_fields(self, owner_client, session, tenant) -> None:
        rep = await create_user(session, tenant.id)
        await session.commit()
        await owner_client.patch(f"/api/v1/users/{rep.id}", json={"name": "New", "role": "sales"})
        await use(session, tenant.id)
        audit = (
            await session.execute(
                select(AuditEntry).where(
                    AuditEntry.entity_id == rep.id, AuditEntry.action == "updated"
                )
            )
        ).scalar_one()
        assert set(audit.changes) == {"name"}
        event = (
            await session.execute(
                select(Event).where(Event.entity_id == rep.id, Event.type == "user.updated")
            )
        ).scalar_one()
        assert event.changed_fields == ["name"]
        assert event.previous == {"name": rep.name}
        assert event.sequence == 2

    async def test_last_owner_cannot_be_demoted_or_deactivated(self, owner_client, tenant) -> None:
        r = await owner_client.patch(f"/api/v1/users/{tenant.owner.id}", json={"role": "admin"})
        assert_problem(r, 409, "last_owner")
        r = await owner_client.post(f"/api/v1/users/{tenant.owner.id}/deactivate")
        assert_problem(r, 409, "cannot_deactivate_self")

    async def test_unknown_user_is_404(self, owner_client) -> None:
        r = await owner_client.get("/api/v1/users/018f0000-0000-7000-8000-000000000000")
        assert_problem(r, 404, "not_found")
        assert_problem(await owner_client.get("/api/v1/users/not-a-uuid"), 422, "validation_error")


class TestListUsers:
    async def test_filters_and_search(self, owner_client, session, tenant) -> None:
        team = await create_team(session, tenant.id)
        a = await create_user(session, tenant.id, role="manager", team=team)
        await create_user(session, tenant.id, role="sales")
        await session.commit()
        r = await owner_client.get("/api/v1/users", params={"role": "manager"})
        assert [u["id"] for u in r.json()["data"]] == [str(a.id)]
        r = await owner_client.get("/api/v1/users", params={"team_id": str(team.id)})
        assert [u["id"] for u in r.json()["data"]] == [str(a.id)]
        r = await owner_client.get("/api/v1/users", params={"q": a.email[:8]})
        assert str(a.id) in [u["id"] for u in r.json()["data"]]

    async def test_search_treats_wildcards_literally(self, owner_client) -> None:
        r = await owner_client.get("/api/v1/users", params={"q": "%"})
        assert r.json()["data"] == []


class TestTeams:
    async def test_tree_cycle_is_refused(self, owner_client) -> None:
        root = (await owner_client.post("/api/v1/teams", json={"name": "总部"})).json()
        child = (
            await owner_client.post("/api/v1/teams", json={"name": "华东", "parent_id": root["id"]})
        ).json()
        r = await owner_client.patch(f"/api/v1/teams/{root['id']}", json={"parent_id": child["id"]})
        assert_problem(r, 422, "team_cycle")

    async def test_delete_refused_while_not_empty_then_restore(
        self, owner_client, session, tenant
    ) -> None:
        team = await create_team(session, tenant.id)
        member = await create_user(session, tenant.id, team=team)
        await session.commit()
        assert_problem(await owner_client.delete(f"/api/v1/teams/{team.id}"), 409, "team_not_empty")
        await owner_client.patch(f"/api/v1/users/{member.id}", json={"team_id": None})
        assert (await owner_client.delete(f"/api/v1/teams/{team.id}")).status_code == 204
        assert (await owner_client.get(f"/api/v1/teams/{team.id}")).status_code == 404
        listed = await owner_client.get("/api/v1/teams", params={"include_deleted": "true"})
        assert str(team.id) in [t["id"] for t in listed.json()["data"]]
        restored = await owner_client.post(f"/api/v1/teams/{team.id}/restore")
        assert restored.status_code == 200
        assert restored.json()["deleted_at"] is None


async def test_login_with_password_set_by_admin(owner_client, anon) -> None:
    await owner_client.post(
        "/api/v1/users", json=new_user(email="x@example.com", password=PASSWORD)
    )
    r = await anon.post("/api/v1/auth/login", json={"email": "x@example.com", "password": PASSWORD})
    assert r.status_code == 200
