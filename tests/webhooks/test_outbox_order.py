"""The fan-out cursor against concurrent commits: an event whose transaction commits late
(with a smaller outbox id than events already fanned out) still reaches the endpoint, and
each (endpoint, event) pair becomes exactly one message."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import func, select, text

from app.core.audit import record_mutation
from app.models.webhook import WebhookDelivery
from tests.factories import use
from tests.webhooks.conftest import Live


async def _event(session, live: Live, name: str) -> int:  # type: ignore[no-untyped-def]
    await record_mutation(
        session,
        None,
        entity="customer",
        action="created",
        entity_id=uuid.uuid4(),
        sequence=1,
        before=None,
        after={"name": name},
        workspace_id=live.tenant.id,
    )
    await session.flush()
    return int((await session.execute(text("SELECT max(id) FROM events"))).scalar_one())


async def test_an_event_committing_late_with_a_smaller_id_is_not_skipped(live: Live) -> None:
    await live.endpoint(event_types=["customer.*"])
    await live.run()
    async with live.maker() as older, live.maker() as younger:
        # `older` gets its transaction id first but writes its event last
        await older.begin()
        await use(older, live.tenant.id)
        await older.execute(text("SELECT pg_current_xact_id()"))
        await younger.begin()
        await use(younger, live.tenant.id)
        await younger.execute(text("SELECT pg_current_xact_id()"))
        late_id = await _event(younger, live, "commits late")
        early_id = await _event(older, live, "commits first")
        assert early_id > late_id
        await older.commit()
        await live.run()  # sees "commits first"; "commits late" is still in flight
        await younger.commit()
    await live.run()
    names = sorted(json.loads(r.body)["data"]["object"]["name"] for r in live.receiver.received)
    assert names == ["commits first", "commits late"]
    assert all(r.verified for r in live.receiver.received)


async def test_concurrent_dispatchers_make_one_message_per_event(live: Live) -> None:
    import asyncio

    from app.webhooks import dispatch

    await live.endpoint(event_types=["customer.*"])
    for name in ("云帆科技", "Northwind Ltd", "星河贸易", "Contoso GmbH"):
        r = await live.client.post("/api/v1/customers", json={"name": name})
        assert r.status_code == 201, r.text
    runs = await asyncio.gather(
        *(dispatch.run_once(live.maker, allow_private=True) for _ in range(3))
    )
    assert sum(r.fanned_out for r in runs) == 4
    async with live.maker() as s, s.begin():
        await use(s, live.tenant.id)
        per_event = (
            await s.execute(
                select(WebhookDelivery.event_id, func.count()).group_by(WebhookDelivery.event_id)
            )
        ).all()
    assert len(per_event) == 4
    assert all(n == 1 for _, n in per_event)
    assert sorted(live.receiver.ids()) == sorted(set(live.receiver.ids()))
    assert len(live.receiver.ids()) == 4


async def test_events_while_switched_off_are_not_sent_later(live: Live) -> None:
    endpoint = await live.endpoint(event_types=["customer.*"])
    path = f"/api/v1/webhooks/{endpoint['id']}"
    for name, active in (("before", None), ("while off", False), ("after", True)):
        if active is not None:
            assert (await live.client.patch(path, json={"active": active})).status_code == 200
        r = await live.client.post("/api/v1/customers", json={"name": name})
        assert r.status_code == 201, r.text
        await live.run()
    names = [json.loads(r.body)["data"]["object"]["name"] for r in live.receiver.received]
    assert names == ["before", "after"]
