"""Follow-ups per author and day (`activity_day_counts`, ADR 8) always equal the follow-ups
they are counted from: through the API, raw SQL, soft and hard deletes, cascades, a change
of the workspace's time zone and a rebuild from scratch."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from tests.contracts.helpers import make_customer
from tests.factories import create_user, use
from tests.targets.world import sh

KINDS = ("call", "visit", "meeting", "email", "wechat", "note", "return_visit")
KEPT = """
    SELECT author_id, day, calls, visits, meetings, emails, wechats, notes, return_visits, total
      FROM activity_day_counts
     WHERE workspace_id = :ws AND total <> 0
     ORDER BY 1, 2
"""
FRESH = f"""
    SELECT coalesce(a.author_id, '00000000-0000-0000-0000-000000000000'),
           (a.occurred_at AT TIME ZONE w.timezone)::date,
           {", ".join(f"count(*) FILTER (WHERE a.kind = '{k}')" for k in KINDS)}, count(*)
      FROM activities a JOIN workspaces w ON w.id = a.workspace_id
     WHERE a.workspace_id = :ws AND a.deleted_at IS NULL
     GROUP BY 1, 2
     ORDER BY 1, 2
"""


async def assert_counts_exact(session, workspace_id) -> list:  # type: ignore[no-untyped-def,type-arg]
    await use(session, workspace_id)
    kept = (await session.execute(text(KEPT), {"ws": workspace_id})).all()
    fresh = (await session.execute(text(FRESH), {"ws": workspace_id})).all()
    assert [tuple(r) for r in kept] == [tuple(r) for r in fresh]
    return [tuple(r) for r in kept]


async def _log(client, customer, kind: str, when) -> dict:  # type: ignore[no-untyped-def,type-arg]
    r = await client.post(
        "/api/v1/activities",
        json={
            "customer_id": str(customer.id),
            "kind": kind,
            "content": f"{kind} 跟进",
            "occurred_at": when.isoformat(),
        },
    )
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_counts_follow_every_change(session, tenant, client_for) -> None:
    rep = await create_user(session, tenant.id, role="sales")
    customer = await make_customer(session, tenant.id, rep, "杭州西溪电子")
    await session.commit()
    client = await client_for(rep)
    first = await _log(client, customer, "call", sh(3, 31, 23, 30))  # 31 Mar in Shanghai
    await _log(client, customer, "visit", sh(4, 1, 0, 15))
    await _log(client, customer, "visit", sh(4, 1, 9))
    kept = await assert_counts_exact(session, tenant.id)
    assert [(r[1], r[2], r[3], r[9]) for r in kept] == [
        (date(2026, 3, 31), 1, 0, 1),
        (date(2026, 4, 1), 0, 2, 2),
    ]

    await use(session, tenant.id)
    ws = {"ws": tenant.id}
    # a kind changed, a follow-up moved to another day, one without an author
    await session.execute(
        text("UPDATE activities SET kind = 'meeting' WHERE id = :id"), {"id": first["id"]}
    )
    await session.execute(
        text(
            "UPDATE activities SET occurred_at = occurred_at + interval '3 days' "
            "WHERE workspace_id = :ws AND kind = 'visit' AND occurred_at < :t"
        ),
        {**ws, "t": sh(4, 1, 1)},
    )
    await session.execute(
        text(
            "INSERT INTO activities (workspace_id, id, customer_id, kind, content, occurred_at,"
            " version, created_at, updated_at) SELECT :ws, gen_random_uuid(), :c, k, 'x', :t,"
            " 1, now(), now() FROM unnest(CAST(:kinds AS text[])) AS k"
        ),
        {**ws, "c": customer.id, "t": sh(4, 2), "kinds": list(KINDS)},
    )
    await assert_counts_exact(session, tenant.id)

    # soft delete, restore, and the rows deleted with their customer
    await session.execute(
        text("UPDATE activities SET deleted_at = now() WHERE workspace_id = :ws AND kind = 'note'"),
        ws,
    )
    await assert_counts_exact(session, tenant.id)
    await session.execute(
        text("UPDATE activities SET deleted_at = NULL WHERE workspace_id = :ws AND kind = 'note'"),
        ws,
    )
    await assert_counts_exact(session, tenant.id)
    await session.execute(text("DELETE FROM customers WHERE id = :id"), {"id": customer.id})
    assert await assert_counts_exact(session, tenant.id) == []

    # a rebuild from scratch finds nothing to correct
    other = await make_customer(session, tenant.id, rep, "宁波港口物流")
    await session.commit()
    await _log(client, other, "wechat", sh(5, 5))
    before = await assert_counts_exact(session, tenant.id)
    await session.execute(
        text("UPDATE activity_day_counts SET total = 99 WHERE workspace_id = :ws"), ws
    )
    await session.execute(text("SELECT rapport_rebuild_derived(:ws)"), ws)
    assert await assert_counts_exact(session, tenant.id) == before


async def test_days_move_with_the_workspace_time_zone(session, tenant, client_for) -> None:
    rep = await create_user(session, tenant.id, role="sales")
    customer = await make_customer(session, tenant.id, rep)
    await session.commit()
    await _log(await client_for(rep), customer, "call", sh(3, 31, 23, 30))
    assert [r[1] for r in await assert_counts_exact(session, tenant.id)] == [date(2026, 3, 31)]
    await use(session, tenant.id)
    await session.execute(
        text("UPDATE workspaces SET timezone = 'UTC' WHERE id = :ws"), {"ws": tenant.id}
    )
    # 23:30 in Shanghai is 15:30 the same day in UTC; 07:00 on 1 April in Shanghai is 31 March
    await session.execute(
        text("UPDATE activities SET occurred_at = :t WHERE workspace_id = :ws"),
        {"ws": tenant.id, "t": sh(4, 1, 7)},
    )
    assert [r[1] for r in await assert_counts_exact(session, tenant.id)] == [date(2026, 3, 31)]


async def test_a_workspace_deletes_with_its_follow_ups(committed, owner_engine) -> None:
    _, tenant, maker = committed
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        customer = await make_customer(s, tenant.id, tenant.owner)
        await s.execute(
            text(
                "INSERT INTO activities (workspace_id, id, customer_id, kind, content,"
                " occurred_at, author_id, version, created_at, updated_at)"
                " VALUES (:ws, gen_random_uuid(), :c, 'call', 'x', now(), :a, 1, now(), now())"
            ),
            {"ws": tenant.id, "c": customer.id, "a": tenant.owner.id},
        )
    async with owner_engine.begin() as conn:
        await conn.execute(text("DELETE FROM workspaces WHERE id = :id"), {"id": tenant.id})
        left = await conn.scalar(
            text("SELECT count(*) FROM activity_day_counts WHERE workspace_id = :id"),
            {"id": tenant.id},
        )
    assert left == 0
