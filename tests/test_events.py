"""The events feed: the outbox read back in order, commit-safe, filterable by type."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from tests.auth.test_auth import assert_problem
from tests.factories import create_user, login_as, use


@pytest.fixture
async def owner_client(committed):  # type: ignore[no-untyped-def]
    """Events are read only once committed, so these tests run on committed data."""
    app, tenant, maker = committed
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        async with maker() as s:
            await login_as(s, client, tenant.owner)
        yield client


async def test_feed_returns_mutations_in_order_with_resumable_cursor(owner_client) -> None:
    t1 = (await owner_client.post("/api/v1/teams", json={"name": "one"})).json()
    await owner_client.patch(f"/api/v1/teams/{t1['id']}", json={"name": "uno"})
    await owner_client.post("/api/v1/teams", json={"name": "two"})
    page = (await owner_client.get("/api/v1/events", params={"types": "team.*"})).json()
    types = [(e["type"], e["data"]["name"]) for e in page["data"]]
    assert types == [("team.created", "one"), ("team.updated", "uno"), ("team.created", "two")]
    updated = page["data"][1]
    assert updated["changed_fields"] == ["name"]
    assert updated["previous"] == {"name": "one"}
    assert updated["sequence"] == 2
    await owner_client.delete(f"/api/v1/teams/{t1['id']}")
    more = (
        await owner_client.get(
            "/api/v1/events", params={"types": "team.*", "cursor": page["next_cursor"]}
        )
    ).json()
    assert [e["type"] for e in more["data"]] == ["team.deleted"]
    assert more["data"][0]["data"]["name"] == "uno"  # tombstone keeps the last state


async def test_exact_type_filter(owner_client) -> None:
    await owner_client.post("/api/v1/teams", json={"name": "x"})
    page = (await owner_client.get("/api/v1/events", params={"types": "user.created"})).json()
    assert all(e["type"] == "user.created" for e in page["data"])


async def test_feed_is_for_integrations_role_only(session, tenant, app) -> None:
    rep = await create_user(session, tenant.id, role="manager")
    transport = httpx.ASGITransport(app=app)
    client = await login_as(
        session, httpx.AsyncClient(transport=transport, base_url="http://t"), rep
    )
    assert_problem(await client.get("/api/v1/events"), 403, "forbidden")


async def test_events_of_open_transactions_are_held_back(committed) -> None:
    app, tenant, maker = committed
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        async with maker() as s:
            await login_as(s, client, tenant.owner)
        start = (await client.get("/api/v1/events")).json()["next_cursor"]
        async with maker() as slow:
            await slow.begin()
            await use(slow, tenant.id)
            # an event written by a transaction that has not committed yet
            await slow.execute(
                text(
                    "INSERT INTO events (workspace_id, type, entity, entity_id, sequence, data, "
                    "changed_fields) VALUES (:ws, 'team.created', 'team', gen_random_uuid(), 1, "
                    "'{}', '{}')"
                ),
                {"ws": tenant.id},
            )
            await client.post("/api/v1/teams", json={"name": "later, committed first"})
            held = (await client.get("/api/v1/events", params={"cursor": start})).json()
            assert held["data"] == []  # the later event waits for the earlier transaction
            await slow.commit()
        released = (await client.get("/api/v1/events", params={"cursor": start})).json()
        assert len(released["data"]) == 2
        ids = [e["id"] for e in released["data"]]
        assert ids == sorted(ids)


async def test_an_event_committing_late_with_a_smaller_id_is_not_skipped(committed) -> None:
    """Ids are taken at insert, commits come later: the feed must not pass an id that is
    still in flight when a larger one of an older transaction is already readable."""
    app, tenant, maker = committed
    insert = text(
        "INSERT INTO events (workspace_id, type, entity, entity_id, sequence, data, "
        "changed_fields) VALUES (:ws, :type, 'team', gen_random_uuid(), 1, '{}', '{}') "
        "RETURNING id"
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        async with maker() as s:
            await login_as(s, client, tenant.owner)
        start = (await client.get("/api/v1/events")).json()["next_cursor"]
        async with maker() as older, maker() as younger:
            # `older` takes its transaction id first but writes its event last
            for tx in (older, younger):
                await tx.begin()
                await use(tx, tenant.id)
                await tx.execute(text("SELECT pg_current_xact_id()"))
            late = (await younger.execute(insert, {"ws": tenant.id, "type": "team.late"})).scalar()
            early = (await older.execute(insert, {"ws": tenant.id, "type": "team.early"})).scalar()
            assert early > late
            await older.commit()
            first = (await client.get("/api/v1/events", params={"cursor": start})).json()
            assert [e["type"] for e in first["data"]] == ["team.early"]
            await younger.commit()
        rest = (await client.get("/api/v1/events", params={"cursor": first["next_cursor"]})).json()
        assert [e["type"] for e in rest["data"]] == ["team.late"]
        assert_problem(
            await client.get("/api/v1/events", params={"cursor": "bm90IGEgY3Vyc29y"}),
            400,
            "invalid_cursor",
        )
