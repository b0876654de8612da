"""Rate limits per API key or user, by bucket, counted in PostgreSQL."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from app.models.workspace import Workspace
from tests.auth.test_auth import assert_problem
from tests.factories import create_api_key, create_user, use

API = "/api/v1"


async def test_every_response_tells_the_policy_and_what_is_left(owner_client) -> None:
    first = await owner_client.get(f"{API}/customers")
    second = await owner_client.get(f"{API}/customers")
    assert first.headers["RateLimit-Policy"] == '"read";q=6000;w=60'
    remaining = [int(r.headers["RateLimit"].split(";r=")[1].split(";")[0]) for r in (first, second)]
    assert remaining[1] == remaining[0] - 1
    wrote = await owner_client.post(f"{API}/tags", json={"name": "VIP"})
    assert wrote.headers["RateLimit-Policy"].startswith('"write";q=3000;')


async def test_admins_set_the_limits_others_may_not(
    owner_client, session, tenant, client_for
) -> None:
    r = await owner_client.get(f"{API}/settings/rate-limits")
    assert r.json()["batch"] == {"limit": 600, "window_seconds": 60}
    r = await owner_client.patch(
        f"{API}/settings/rate-limits", json={"read": {"limit": 100, "window_seconds": 10}}
    )
    assert r.status_code == 200, r.text
    assert r.json()["read"] == {"limit": 100, "window_seconds": 10}
    assert r.json()["write"] == {"limit": 3000, "window_seconds": 60}
    rep = await create_user(session, tenant.id, role="sales")
    await session.commit()
    rep_client = await client_for(rep)
    assert (await rep_client.get(f"{API}/settings/rate-limits")).status_code == 200
    r = await rep_client.patch(
        f"{API}/settings/rate-limits", json={"read": {"limit": 1, "window_seconds": 1}}
    )
    assert_problem(r, 403, "forbidden")
    bad = await owner_client.patch(
        f"{API}/settings/rate-limits", json={"read": {"limit": 0, "window_seconds": 10}}
    )
    assert_problem(bad, 422, "validation_error")


async def test_over_the_limit_is_429_with_retry_after_per_key_and_bucket(committed) -> None:
    app, tenant, maker = committed
    async with maker() as s:
        await use(s, tenant.id)
        workspace = (await s.execute(select(Workspace))).scalar_one()
        workspace.settings = {
            **workspace.settings,
            "rate_limits": {"read": {"limit": 3, "window_seconds": 3600}},
        }
        await s.flush()
        first_key = await create_api_key(s, tenant.owner, ["*"])
        second_key = await create_api_key(s, tenant.owner, ["*"])
    transport = httpx.ASGITransport(app=app)

    def client(key: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=transport, base_url="http://t", headers={"Authorization": f"Bearer {key}"}
        )

    async with client(first_key) as one, client(second_key) as two:
        codes = [(await one.get(f"{API}/customers")).status_code for _ in range(3)]
        assert codes == [200, 200, 200]
        refused = await one.get(f"{API}/customers")
        body = assert_problem(refused, 429, "rate_limited")
        assert body["bucket"] == "read"
        retry = int(refused.headers["Retry-After"])
        assert 0 < retry <= 3600
        assert refused.headers["RateLimit-Policy"] == '"read";q=3;w=3600'
        assert refused.headers["RateLimit"] == f'"read";r=0;t={retry}'
        # writes have their own bucket, and another key its own budget
        assert (await one.post(f"{API}/tags", json={"name": "Busy"})).status_code == 201
        assert (await two.get(f"{API}/customers")).status_code == 200
