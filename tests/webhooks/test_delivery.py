"""Delivery to a real receiver on 127.0.0.1 that verifies every signature with the
independent `standardwebhooks` package: fan-out and filters, commit safety, retries with
Retry-After, 410, repeated failure, test events, redelivery, rotation and lease expiry."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text, update

from app.core.audit import record_mutation
from app.models.audit import AuditEntry
from app.models.customer import Notification
from app.models.webhook import WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint
from app.webhooks import dispatch
from tests.factories import create_user, use
from tests.webhooks.conftest import Live
from tests.webhooks.receiver import Answer


def _bodies(live: Live) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(r.body) for r in live.receiver.received]


async def _deliveries(live: Live, endpoint_id: object) -> list[WebhookDelivery]:
    async with live.maker() as s, s.begin():
        await use(s, live.tenant.id)
        rows = await s.execute(
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == uuid.UUID(str(endpoint_id)))
            .order_by(WebhookDelivery.created_at)
        )
        return list(rows.scalars())


async def _attempts(live: Live, delivery_id: uuid.UUID) -> list[WebhookDeliveryAttempt]:
    async with live.maker() as s, s.begin():
        await use(s, live.tenant.id)
        rows = await s.execute(
            select(WebhookDeliveryAttempt)
            .where(WebhookDeliveryAttempt.delivery_id == delivery_id)
            .order_by(WebhookDeliveryAttempt.attempt)
        )
        return list(rows.scalars())


async def _make_due(live: Live) -> None:
    async with live.maker() as s, s.begin():
        await use(s, live.tenant.id)
        await s.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.status == "pending")
            .values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1))
        )


async def test_events_arrive_signed_and_filtered(live: Live) -> None:
    customers = await live.endpoint(event_types=["customer.*"])
    leads = await live.endpoint(event_types=["lead.created"])
    r = await live.client.post("/api/v1/customers", json={"name": "云帆科技有限公司"})
    assert r.status_code == 201, r.text
    customer = r.json()
    r = await live.client.patch(
        f"/api/v1/customers/{customer['id']}", json={"name": "云帆科技（上海）有限公司"}
    )
    assert r.status_code == 200, r.text
    assert (await live.client.delete(f"/api/v1/customers/{customer['id']}")).status_code == 204
    assert (await live.client.post("/api/v1/leads", json={"name": "Li Lei"})).status_code == 201

    done = await live.run()
    assert done.sent == {"delivered": 4}
    assert all(r.verified for r in live.receiver.received)
    # messages of a batch go out concurrently, so arrival order is not promised; receivers
    # order by the event id (or the object's sequence)
    bodies = sorted(_bodies(live), key=lambda b: b["data"]["event_id"])
    assert [b["type"] for b in bodies if b["type"].startswith("customer.")] == [
        "customer.created",
        "customer.updated",
        "customer.deleted",
    ]
    assert [b["type"] for b in bodies if b["type"].startswith("lead.")] == ["lead.created"]
    updated = next(b for b in bodies if b["type"] == "customer.updated")
    assert updated["data"]["object"]["name"] == "云帆科技（上海）有限公司"
    assert "name" in updated["data"]["changed_fields"]
    assert updated["data"]["previous"]["name"] == "云帆科技有限公司"
    tombstone = next(b for b in bodies if b["type"] == "customer.deleted")
    assert tombstone["data"]["entity_id"] == customer["id"]
    ids = live.receiver.ids()
    assert len(set(ids)) == 4
    assert all(i.startswith("msg_") for i in ids)
    assert len(await _deliveries(live, customers["id"])) == 3
    assert len(await _deliveries(live, leads["id"])) == 1
    # nothing is sent twice by a second run
    again = await live.run()
    assert again.fanned_out == 0
    assert again.sent == {}
    assert len(live.receiver.received) == 4


async def test_rolled_back_transaction_sends_nothing(live: Live) -> None:
    await live.endpoint(event_types=["customer.*"])
    await live.run()

    async def write(name: str) -> None:
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

    async with live.maker() as session:
        await session.begin()
        await use(session, live.tenant.id)
        await write("rolled back")
        await session.rollback()
    async with live.maker() as session:
        await session.begin()
        await use(session, live.tenant.id)
        await write("in flight")
        assert (await live.run()).fanned_out == 0  # not committed yet: not read
        await session.commit()
    await live.run()
    names = [b["data"]["object"]["name"] for b in _bodies(live)]
    assert names == ["in flight"]


async def test_retry_after_then_backoff_then_success(live: Live) -> None:
    await live.endpoint(event_types=["webhook.test"])
    live.receiver.script = [
        Answer(503, b"busy", {"Retry-After": "1"}),
        Answer(500, b"boom " * 400),
        Answer(204, b""),
    ]
    endpoint = (await live.client.get("/api/v1/webhooks")).json()["data"][0]
    assert (await live.client.post(f"/api/v1/webhooks/{endpoint['id']}/test")).status_code == 202
    before = datetime.now(UTC)
    await live.run()
    [delivery] = await _deliveries(live, endpoint["id"])
    assert delivery.status == "pending"
    assert delivery.attempts == 1
    assert delivery.last_status_code == 503
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at - before < timedelta(seconds=3)  # Retry-After, not 5 s
    await asyncio.sleep(1.2)
    await live.run()
    [delivery] = await _deliveries(live, endpoint["id"])
    assert delivery.attempts == 2
    assert delivery.last_status_code == 500
    wait = delivery.next_attempt_at - datetime.now(UTC)  # type: ignore[operator]
    assert timedelta(minutes=3.9) < wait < timedelta(minutes=6.1)  # 5 min ± jitter
    await _make_due(live)
    await live.run()
    [delivery] = await _deliveries(live, endpoint["id"])
    assert delivery.status == "delivered"
    assert delivery.delivered_at is not None
    attempts = await _attempts(live, delivery.id)
    assert [a.status_code for a in attempts] == [503, 500, 204]
    assert all(a.latency_ms is not None and a.finished_at for a in attempts)
    assert len(attempts[1].response_excerpt or "") == 1024
    assert len(set(live.receiver.ids())) == 1  # the same webhook-id every time
    assert all(r.verified for r in live.receiver.received)


async def test_gone_disables_the_endpoint_and_tells_admins(live: Live) -> None:
    async with live.maker() as s, s.begin():
        admin = await create_user(s, live.tenant.id, role="admin")
        sales = await create_user(s, live.tenant.id, role="sales")
    endpoint = await live.endpoint()
    live.receiver.script = [Answer(410, b"gone")]
    await live.client.post(f"/api/v1/webhooks/{endpoint['id']}/test")
    await live.run()
    shown = (await live.client.get(f"/api/v1/webhooks/{endpoint['id']}")).json()
    assert shown["active"] is False
    assert shown["disabled_reason"] == "gone"
    async with live.maker() as s, s.begin():
        await use(s, live.tenant.id)
        told = set(
            (
                await s.execute(
                    select(Notification.user_id).where(Notification.kind == "webhook_disabled")
                )
            ).scalars()
        )
        audited = (
            (
                await s.execute(
                    select(AuditEntry.action).where(
                        AuditEntry.entity_id == uuid.UUID(endpoint["id"]),  # type: ignore[arg-type]
                        AuditEntry.action == "disabled",
                    )
                )
            )
            .scalars()
            .all()
        )
    assert told == {live.tenant.owner.id, admin.id}
    assert sales.id not in told
    assert audited == ["disabled"]
    # nothing more goes to it
    r = await live.client.post("/api/v1/customers", json={"name": "Northwind Ltd"})
    assert r.status_code == 201
    await live.run()
    assert len(live.receiver.received) == 1


async def test_repeated_failure_disables_the_endpoint(live: Live) -> None:
    endpoint = await live.endpoint(event_types=["webhook.test"])
    await live.client.post(f"/api/v1/webhooks/{endpoint['id']}/test")
    async with live.maker() as s, s.begin():
        await use(s, live.tenant.id)
        await s.execute(
            update(WebhookEndpoint).values(consecutive_failures=dispatch.DISABLE_AFTER - 1)
        )
        await s.execute(update(WebhookDelivery).values(attempts=dispatch.MAX_ATTEMPTS - 1))
    live.receiver.script = [Answer(500, b"still down")]
    await live.run()
    [delivery] = await _deliveries(live, endpoint["id"])
    assert delivery.status == "failed"
    assert delivery.attempts == dispatch.MAX_ATTEMPTS
    shown = (await live.client.get(f"/api/v1/webhooks/{endpoint['id']}")).json()
    assert shown["active"] is False
    assert shown["disabled_reason"] == "failing"
    assert shown["consecutive_failures"] == dispatch.DISABLE_AFTER
    # switching it back on starts afresh
    on = await live.client.patch(f"/api/v1/webhooks/{endpoint['id']}", json={"active": True})
    assert on.json()["consecutive_failures"] == 0


async def test_test_event_and_manual_redelivery_keep_the_id(live: Live) -> None:
    endpoint = await live.endpoint()
    sent = (await live.client.post(f"/api/v1/webhooks/{endpoint['id']}/test")).json()
    await dispatch.deliver_workspace(live.maker, live.tenant.id, allow_private=True)
    assert _bodies(live)[0]["type"] == "webhook.test"
    r = await live.client.post(
        f"/api/v1/webhooks/{endpoint['id']}/deliveries/{sent['id']}/redeliver"
    )
    assert r.status_code == 202, r.text
    await dispatch.deliver_workspace(live.maker, live.tenant.id, allow_private=True)
    assert live.receiver.ids() == [sent["webhook_id"], sent["webhook_id"]]
    assert all(r.verified for r in live.receiver.received)
    detail = (
        await live.client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries/{sent['id']}")
    ).json()
    assert detail["status"] == "delivered"
    assert [(a["attempt"], a["manual"], a["status_code"]) for a in detail["attempts_log"]] == [
        (1, True, 200),
        (2, True, 200),
    ]
    assert detail["attempts_log"][0]["response_excerpt"] == "ok"


async def test_rotation_signs_with_both_secrets_during_the_overlap(live: Live) -> None:
    endpoint = await live.endpoint(event_types=["webhook.test"])
    old = live.receiver.secrets.pop()
    r = await live.client.post(
        f"/api/v1/webhooks/{endpoint['id']}/rotate-secret", json={"overlap_hours": 1}
    )
    new = r.json()["secret"]
    for secrets in ([old], [new]):
        live.receiver.secrets = secrets
        await live.client.post(f"/api/v1/webhooks/{endpoint['id']}/test")
        await live.run()
        assert live.receiver.received[-1].verified
    r = await live.client.post(
        f"/api/v1/webhooks/{endpoint['id']}/rotate-secret", json={"overlap_hours": 0}
    )
    live.receiver.secrets = [new]
    await live.client.post(f"/api/v1/webhooks/{endpoint['id']}/test")
    await live.run()
    assert not live.receiver.received[-1].verified  # the replaced secret no longer signs
    live.receiver.secrets = [r.json()["secret"]]
    assert live.receiver.verify(live.receiver.received[-1].body, live.receiver.received[-1].headers)


async def test_an_expired_lease_is_sent_again_with_the_same_id(live: Live) -> None:
    endpoint = await live.endpoint(event_types=["webhook.test"])
    await live.client.post(f"/api/v1/webhooks/{endpoint['id']}/test")
    async with live.maker() as s, s.begin():  # a worker claims it, then dies
        await use(s, live.tenant.id)
        [work] = await dispatch.claim(s)
    assert (await live.run()).sent == {}  # leased: nobody else sends it
    async with live.maker() as s, s.begin():
        await use(s, live.tenant.id)
        await s.execute(
            text("UPDATE webhook_deliveries SET locked_until = now() - interval '1 second'")
        )
    await live.run()
    assert live.receiver.ids() == [work.webhook_id]
    [delivery] = await _deliveries(live, endpoint["id"])
    attempts = await _attempts(live, delivery.id)
    assert delivery.status == "delivered"
    assert attempts[0].error
    assert attempts[0].error.startswith("interrupted")
    assert attempts[1].status_code == 200


async def test_a_binary_answer_is_logged_not_a_crash(live: Live) -> None:
    """PostgreSQL text cannot hold NUL: a receiver answering with one once made every
    recording fail, so the message was re-sent after each lease, forever."""
    endpoint = await live.endpoint(event_types=["webhook.test"])
    live.receiver.script = [Answer(500, b"\x00\x01\xff binary")]
    await live.client.post(f"/api/v1/webhooks/{endpoint['id']}/test")
    assert (await live.run()).sent == {"pending": 1}
    [delivery] = await _deliveries(live, endpoint["id"])
    [attempt] = await _attempts(live, delivery.id)
    assert attempt.status_code == 500
    assert attempt.response_excerpt is not None
    assert attempt.response_excerpt.endswith(" binary")
    assert delivery.next_attempt_at is not None


async def test_a_switched_off_endpoints_backlog_waits_for_it(live: Live) -> None:
    """Pending messages of a switched-off endpoint leave the due schedule (the claim would
    otherwise scan them on every run) and go out once it is switched on again."""
    endpoint = await live.endpoint(event_types=["customer.*"])
    path = f"/api/v1/webhooks/{endpoint['id']}"
    live.receiver.script = [Answer(503, b"down")]
    r = await live.client.post("/api/v1/customers", json={"name": "云帆科技"})
    assert r.status_code == 201, r.text
    await live.run()
    assert (await live.client.patch(path, json={"active": False})).status_code == 200
    [delivery] = await _deliveries(live, endpoint["id"])
    assert (delivery.status, delivery.next_attempt_at) == ("pending", None)
    await _make_due(live)  # only pending rows with a due time; a parked one has none
    assert (await live.run()).sent == {}
    assert (await live.client.patch(path, json={"active": True})).status_code == 200
    assert (await live.run()).sent == {"delivered": 1}
    assert live.receiver.ids() == [delivery.webhook_id, delivery.webhook_id]


async def test_gone_parks_the_rest_of_the_endpoints_messages(live: Live) -> None:
    endpoint = await live.endpoint(event_types=["webhook.test"])
    live.receiver.script = [Answer(410, b"gone")]
    for _ in range(3):
        await live.client.post(f"/api/v1/webhooks/{endpoint['id']}/test")
    async with live.maker() as s, s.begin():  # send one, leave two queued
        await use(s, live.tenant.id)
        await s.execute(
            update(WebhookDelivery).values(next_attempt_at=datetime.now(UTC) + timedelta(hours=1))
        )
        first = (
            await s.execute(select(WebhookDelivery).order_by(WebhookDelivery.id).limit(1))
        ).scalar_one()
        first.next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
    await live.run()
    rows = await _deliveries(live, endpoint["id"])
    assert sorted((d.status, d.next_attempt_at) for d in rows) == [
        ("failed", None),
        ("pending", None),
        ("pending", None),
    ]


async def test_purge_drops_month_old_deliveries_in_batches(live: Live) -> None:
    from app.webhooks import jobs

    endpoint = await live.endpoint(event_types=["webhook.test"])
    for _ in range(5):
        await live.client.post(f"/api/v1/webhooks/{endpoint['id']}/test")
    await live.run()
    rows = await _deliveries(live, endpoint["id"])
    old = [d.id for d in rows[:3]]
    async with live.maker() as s, s.begin():
        await use(s, live.tenant.id)
        await s.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(old))
            .values(created_at=datetime.now(UTC) - timedelta(days=31))
        )
    # two batches (2 + 1), each in its own transaction
    assert await jobs.purge(live.maker, batch=2) == 3
    left = await _deliveries(live, endpoint["id"])
    assert {d.id for d in left} == {d.id for d in rows[3:]}
    for delivery_id in old:
        assert await _attempts(live, delivery_id) == []
