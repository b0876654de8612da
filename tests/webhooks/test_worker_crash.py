"""At least once across a crash: the real `rapport worker` is killed (SIGKILL) while the
receiver holds a delivery open; a new worker sends it again with the same `webhook-id`, and
every message arrives.

Waits are generous (a loaded 2-core CI starts a worker slowly) but end as soon as the
condition holds; the lease's 20 s are not waited out — the test expires the dead worker's
leases in the database, which is what the passing of time does (`test_delivery` checks that
a live lease keeps others off).
"""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from app.core.jobs import enqueue
from app.models.webhook import WebhookDelivery, WebhookDeliveryAttempt
from app.webhooks.service import DELIVER_TASK, QUEUE
from tests.factories import use
from tests.webhooks.conftest import Live
from tests.webhooks.receiver import Answer
from tests.webhooks.worker import webhook_worker


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else ""


async def _wait(condition, seconds: float, what: str, log: Path) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; worker log:\n{_tail(log)}")
        await asyncio.sleep(0.1)


async def test_killed_worker_redelivers_with_the_same_id(
    live: Live, database_url, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    endpoint = await live.endpoint(event_types=["customer.created", "webhook.test"])
    for name in ("云帆科技", "Northwind Ltd", "星河贸易"):
        assert (await live.client.post("/api/v1/customers", json={"name": name})).status_code == 201
    stall = threading.Event()
    live.receiver.script = [Answer(200, b"late", stall=stall)]
    assert (await live.client.post(f"/api/v1/webhooks/{endpoint['id']}/test")).status_code == 202
    log = tmp_path / "worker.log"
    try:
        with webhook_worker(database_url, log) as first:
            await _wait(live.receiver.arrived.is_set, 60, "the first request", log)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        stalled = live.receiver.received[0].headers["webhook-id"]
        stall.set()  # the killed worker is gone; let the handler thread finish
        async with live.maker() as s, s.begin():  # its leases run out
            await use(s, live.tenant.id)
            await s.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.locked_until.is_not(None))
                .values(locked_until=func.now() - timedelta(seconds=1))
            )
            # what a redelivery request queues: the next worker starts on it rather than on
            # its first periodic tick
            await enqueue(s, DELIVER_TASK, {"workspace_id": str(live.tenant.id)}, queue=QUEUE)
        with webhook_worker(database_url, log):
            await _wait(
                lambda: Counter(live.receiver.ids())[stalled] >= 2, 60, "the redelivery", log
            )

            async def all_delivered() -> bool:
                async with live.maker() as s, s.begin():
                    await use(s, live.tenant.id)
                    statuses = (await s.execute(select(WebhookDelivery.status))).scalars().all()
                return len(statuses) == 4 and set(statuses) == {"delivered"}

            deadline = time.monotonic() + 60
            while not await all_delivered():
                assert time.monotonic() < deadline, _tail(log)
                await asyncio.sleep(0.2)
    finally:
        stall.set()

    async with live.maker() as s, s.begin():
        await use(s, live.tenant.id)
        deliveries = (await s.execute(select(WebhookDelivery))).scalars().all()
        attempts = (
            (
                await s.execute(
                    select(WebhookDeliveryAttempt).where(
                        WebhookDeliveryAttempt.delivery_id
                        == next(d.id for d in deliveries if d.webhook_id == stalled)
                    )
                )
            )
            .scalars()
            .all()
        )
    expected = {d.webhook_id for d in deliveries}
    seen = live.receiver.ids()
    assert set(seen) == expected  # nothing lost
    assert Counter(seen)[stalled] >= 2  # the interrupted one came again, same id
    assert all(r.verified for r in live.receiver.received)
    ordered = sorted(attempts, key=lambda a: a.attempt)
    assert ordered[0].error is not None
    assert ordered[0].error.startswith("interrupted")
    assert ordered[-1].status_code == 200
