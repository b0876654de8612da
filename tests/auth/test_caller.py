"""Who is calling is read from the database on every request: nothing about a session, a
key or a user is remembered between requests, so every change applies to the next one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from app.models.user import ApiKey, User, UserSession
from tests.auth.test_auth import assert_problem
from tests.factories import create_api_key, create_user, use


async def test_an_expired_session_is_refused_on_the_next_request(
    session, tenant, client_for
) -> None:
    rep = await create_user(session, tenant.id)
    await session.commit()
    client = await client_for(rep)
    assert (await client.get("/api/v1/customers")).status_code == 200
    await use(session, tenant.id)
    await session.execute(
        update(UserSession)
        .where(UserSession.user_id == rep.id)
        .values(expires_at=datetime.now(UTC) - timedelta(hours=1))
    )
    await session.commit()
    assert_problem(await client.get("/api/v1/customers"), 401, "not_authenticated")


async def test_a_role_change_applies_to_the_next_request(session, tenant, client_for) -> None:
    rep = await create_user(session, tenant.id, role="sales")
    await session.commit()
    client = await client_for(rep)
    assert (await client.get("/api/v1/customers")).status_code == 200
    await use(session, tenant.id)
    await session.execute(update(User).where(User.id == rep.id).values(role="service"))
    await session.commit()
    # the service role reads customers but may not create them
    r = await client.post("/api/v1/customers", json={"name": "星河贸易"})
    assert_problem(r, 403, "forbidden")
    await session.execute(update(User).where(User.id == rep.id).values(role="sales"))
    await session.commit()
    r = await client.post("/api/v1/customers", json={"name": "星河贸易"})
    assert r.status_code == 201, r.text


async def test_a_soft_deleted_user_is_signed_out(session, tenant, client_for) -> None:
    rep = await create_user(session, tenant.id)
    await session.commit()
    client = await client_for(rep)
    assert (await client.get("/api/v1/me")).status_code == 200
    await use(session, tenant.id)
    await session.execute(
        update(User).where(User.id == rep.id).values(deleted_at=datetime.now(UTC))
    )
    await session.commit()
    assert_problem(await client.get("/api/v1/me"), 401, "not_authenticated")


async def test_a_key_of_a_deactivated_user_stops_at_once(session, tenant, anon) -> None:
    rep = await create_user(session, tenant.id)
    key = await create_api_key(session, rep, ["*"])
    headers = {"Authorization": f"Bearer {key}"}
    assert (await anon.get("/api/v1/customers", headers=headers)).status_code == 200
    await use(session, tenant.id)
    await session.execute(update(User).where(User.id == rep.id).values(is_active=False))
    await session.commit()
    r = await anon.get("/api/v1/customers", headers=headers)
    assert_problem(r, 401, "not_authenticated")


async def test_key_use_is_recorded_at_most_once_a_minute(session, tenant, anon) -> None:
    key = await create_api_key(session, tenant.owner, ["customers:read"])
    headers = {"Authorization": f"Bearer {key}"}

    async def last_used() -> datetime | None:
        await use(session, tenant.id)
        found = await session.scalar(
            select(ApiKey.last_used_at)
            .where(ApiKey.user_id == tenant.owner.id)
            .execution_options(populate_existing=True)
        )
        await session.commit()
        return found

    assert await last_used() is None
    assert (await anon.get("/api/v1/customers", headers=headers)).status_code == 200
    first = await last_used()
    assert first is not None
    assert (await anon.get("/api/v1/customers", headers=headers)).status_code == 200
    assert await last_used() == first
    # a minute later the next request records its use again
    await use(session, tenant.id)
    await session.execute(
        update(ApiKey)
        .where(ApiKey.user_id == tenant.owner.id)
        .values(last_used_at=first - timedelta(minutes=2))
    )
    await session.commit()
    assert (await anon.get("/api/v1/customers", headers=headers)).status_code == 200
    again = await last_used()
    assert again is not None
    assert again > first
