from __future__ import annotations

from sqlalchemy import func, select

from app.models.user import UserSession
from tests.factories import PASSWORD, create_api_key, create_user, create_workspace, use


def assert_problem(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert {"type", "title", "detail", "request_id", "errors"} <= set(body)
    return body  # type: ignore[no-any-return]


class TestLogin:
    async def test_login_sets_session_and_csrf_cookies(self, anon, tenant) -> None:
        r = await anon.post(
            "/api/v1/auth/login", json={"email": tenant.owner.email.upper(), "password": PASSWORD}
        )
        assert r.status_code == 200, r.text
        assert r.json()["user"]["id"] == str(tenant.owner.id)
        assert r.json()["workspace"]["id"] == str(tenant.id)
        cookies = r.headers.get_list("set-cookie")
        session_cookie = next(c for c in cookies if c.startswith("rapport_session="))
        csrf_cookie = next(c for c in cookies if c.startswith("rapport_csrf="))
        assert "HttpOnly" in session_cookie
        assert "samesite=lax" in session_cookie.lower()
        assert "HttpOnly" not in csrf_cookie
        me = await anon.get("/api/v1/me")
        assert me.status_code == 200
        assert me.json()["permissions"]["customers"] == {"scope": "all", "write": True}

    async def test_wrong_password_is_401_problem(self, anon, tenant) -> None:
        r = await anon.post(
            "/api/v1/auth/login", json={"email": tenant.owner.email, "password": "nope-nope"}
        )
        assert_problem(r, 401, "invalid_credentials")
        assert "rapport_session" not in r.headers.get("set-cookie", "")

    async def test_unknown_email_is_the_same_401(self, anon) -> None:
        r = await anon.post(
            "/api/v1/auth/login", json={"email": "nobody@example.com", "password": PASSWORD}
        )
        assert_problem(r, 401, "invalid_credentials")

    async def test_deactivated_user_cannot_sign_in(self, anon, session, tenant) -> None:
        user = await create_user(session, tenant.id, active=False)
        await session.commit()
        r = await anon.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
        assert_problem(r, 401, "invalid_credentials")

    async def test_failures_are_throttled_per_account(self, anon, tenant) -> None:
        for _ in range(5):
            r = await anon.post(
                "/api/v1/auth/login", json={"email": tenant.owner.email, "password": "wrong-pass"}
            )
            assert r.status_code == 401
        r = await anon.post(
            "/api/v1/auth/login", json={"email": tenant.owner.email, "password": PASSWORD}
        )
        body = assert_problem(r, 429, "too_many_attempts")
        assert int(r.headers["retry-after"]) > 0
        assert body["detail"]

    async def test_failures_are_throttled_per_address(self, anon, session, tenant) -> None:
        for i in range(50):
            await anon.post(
                "/api/v1/auth/login", json={"email": f"guess{i}@example.com", "password": "x"}
            )
        r = await anon.post(
            "/api/v1/auth/login", json={"email": tenant.owner.email, "password": PASSWORD}
        )
        assert_problem(r, 429, "too_many_attempts")

    async def test_logout_revokes_the_session(self, anon, session, tenant) -> None:
        r = await anon.post(
            "/api/v1/auth/login", json={"email": tenant.owner.email, "password": PASSWORD}
        )
        csrf = r.cookies["rapport_csrf"]
        out = await anon.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
        assert out.status_code == 204
        anon.cookies.set("rapport_session", r.cookies["rapport_session"])
        assert_problem(await anon.get("/api/v1/me"), 401, "not_authenticated")

    async def test_malformed_login_body_is_4xx_problem(self, anon) -> None:
        r = await anon.post(
            "/api/v1/auth/login", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert_problem(r, 400, "malformed_json")
        r = await anon.post("/api/v1/auth/login", json={"email": 5})
        body = assert_problem(r, 422, "validation_error")
        fields = {e["field"] for e in body["errors"]}
        assert {"body.email", "body.password"} <= fields


class TestCsrf:
    async def test_cookie_post_without_csrf_header_is_refused(self, owner_client) -> None:
        owner_client.headers.pop("X-CSRF-Token")
        r = await owner_client.post("/api/v1/teams", json={"name": "x"})
        assert_problem(r, 403, "csrf_failed")

    async def test_wrong_csrf_header_is_refused(self, owner_client) -> None:
        owner_client.headers["X-CSRF-Token"] = "forged"
        r = await owner_client.post("/api/v1/teams", json={"name": "x"})
        assert_problem(r, 403, "csrf_failed")

    async def test_reads_need_no_csrf(self, owner_client) -> None:
        owner_client.headers.pop("X-CSRF-Token")
        assert (await owner_client.get("/api/v1/me")).status_code == 200


class TestSignup:
    async def test_closed_by_default(self, anon) -> None:
        r = await anon.post(
            "/api/v1/auth/signup",
            json={
                "workspace_name": "X",
                "name": "X",
                "email": "x@example.com",
                "password": "12345678",
            },
        )
        assert_problem(r, 403, "signup_closed")

    async def test_open_signup_creates_workspace_and_owner(self, app, anon) -> None:
        app.state.settings = app.state.settings.model_copy(update={"signup": "open"})
        r = await anon.post(
            "/api/v1/auth/signup",
            json={
                "workspace_name": "新公司",
                "name": "Owner",
                "email": "Boss@Example.com",
                "password": "12345678",
            },
        )
        assert r.status_code == 201, r.text
        assert r.json()["user"]["role"] == "owner"
        assert r.json()["user"]["email"] == "boss@example.com"
        assert (await anon.get("/api/v1/me")).json()["workspace"]["name"] == "新公司"


class TestApiKeys:
    async def test_create_shows_key_once_and_it_authenticates(self, owner_client, anon) -> None:
        r = await owner_client.post(
            "/api/v1/api-keys", json={"name": "ERP", "scopes": ["settings:read"]}
        )
        assert r.status_code == 201, r.text
        key = r.json()["key"]
        assert key.startswith("rpk_")
        listed = (await owner_client.get("/api/v1/api-keys")).json()["data"]
        assert "key" not in listed[0]
        me = await anon.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
        assert me.status_code == 200
        # bearer requests need no CSRF header, and the key's scopes narrow the role
        assert me.json()["permissions"]["settings"] == {"scope": "all", "write": False}
        assert me.json()["permissions"]["customers"]["scope"] == "none"

    async def test_scopes_limit_what_a_key_can_do(self, session, tenant, anon) -> None:
        key = await create_api_key(session, tenant.owner, ["settings:read"])
        headers = {"Authorization": f"Bearer {key}"}
        assert (await anon.get("/api/v1/users", headers=headers)).status_code == 200
        r = await anon.post("/api/v1/teams", json={"name": "t"}, headers=headers)
        assert_problem(r, 403, "forbidden")
        assert_problem(await anon.get("/api/v1/audit-log", headers=headers), 403, "forbidden")

    async def test_revoked_key_stops_working(self, owner_client, anon) -> None:
        created = (
            await owner_client.post("/api/v1/api-keys", json={"name": "x", "scopes": ["*"]})
        ).json()
        headers = {"Authorization": f"Bearer {created['key']}"}
        assert (await anon.get("/api/v1/me", headers=headers)).status_code == 200
        assert (await owner_client.delete(f"/api/v1/api-keys/{created['id']}")).status_code == 204
        assert_problem(await anon.get("/api/v1/me", headers=headers), 401, "not_authenticated")

    async def test_unknown_scope_is_rejected(self, owner_client) -> None:
        r = await owner_client.post("/api/v1/api-keys", json={"name": "x", "scopes": ["root"]})
        body = assert_problem(r, 422, "validation_error")
        assert body["errors"][0]["field"] == "body.scopes"

    async def test_garbage_bearer_is_401(self, anon) -> None:
        r = await anon.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"})
        assert_problem(r, 401, "not_authenticated")


async def test_deactivation_ends_sessions(session, tenant, client_for, owner_client) -> None:
    rep = await create_user(session, tenant.id)
    await session.commit()
    rep_client = await client_for(rep)
    assert (await rep_client.get("/api/v1/me")).status_code == 200
    r = await owner_client.post(f"/api/v1/users/{rep.id}/deactivate")
    assert r.status_code == 200
    assert r.json()["is_active"] is False
    assert (await rep_client.get("/api/v1/me")).status_code == 401
    await use(session, tenant.id)
    live = await session.scalar(
        select(func.count())
        .select_from(UserSession)
        .where(UserSession.user_id == rep.id, UserSession.revoked_at.is_(None))
    )
    assert live == 0


async def test_other_workspace_session_token_cannot_be_replayed(session, anon) -> None:
    a = await create_workspace(session, "A")
    await session.commit()
    r = await anon.post("/api/v1/auth/login", json={"email": a.owner.email, "password": PASSWORD})
    token = r.cookies["rapport_session"]
    b = await create_workspace(session, "B")
    await session.commit()
    forged = b.id.hex + "." + token.split(".", 1)[1]
    anon.cookies.clear()
    anon.cookies.set("rapport_session", forged)
    assert (await anon.get("/api/v1/me")).status_code == 401
