"""Demo webhooks: an ERP endpoint (paused) with a delivery log of real demo events, and a
chat bridge the dispatcher switched off after repeated failures.

Both are off, so a demo never sends anything off the machine; switching one on (after
pointing it at a real receiver) starts deliveries from that moment.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.demo import DEMO_BUILDERS, DemoContext
from app.models.customer import Customer
from app.models.webhook import WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint
from app.webhooks import signing
from app.webhooks.dispatch import MAX_ATTEMPTS, RETRY_DELAYS


def _payload(customer: Customer, action: str, at: datetime) -> dict[str, Any]:
    """What the dispatcher would have sent for the customer's event (see dispatch.event_payload)."""
    updated = action == "updated"
    return {
        "type": f"customer.{action}",
        "timestamp": at.isoformat().replace("+00:00", "Z"),
        "data": {
            "event_id": None,
            "entity": "customer",
            "entity_id": str(customer.id),
            "sequence": customer.version,
            "object": {"id": str(customer.id), "name": customer.name, "status": customer.status},
            "changed_fields": ["status"] if updated else [],
            "previous": {"status": "potential"} if updated else None,
        },
    }


async def build_webhooks(ctx: DemoContext) -> None:
    s = ctx.session
    now = datetime.now(UTC)
    erp = WebhookEndpoint(
        workspace_id=ctx.workspace_id,
        url="https://erp.yunfan-tech.example/api/rapport/webhooks",
        description="用友 ERP 订单与客户同步 / ERP order and customer sync",
        event_types=["customer.*", "order.*", "contract.*"],
        active=False,
        active_since=now - timedelta(days=7),
        disabled_reason="manual",
        disabled_at=now - timedelta(hours=2),
        secret=signing.new_secret(),
        consecutive_failures=0,
        last_success_at=now - timedelta(hours=3),
        created_by=ctx.owner_id,
    )
    chat = WebhookEndpoint(
        workspace_id=ctx.workspace_id,
        url="https://hooks.northwind-chat.example/rapport",
        description="Sales wins to the team chat",
        event_types=["opportunity.*"],
        active=False,
        active_since=now - timedelta(days=10),
        disabled_reason="failing",
        disabled_at=now - timedelta(days=1),
        secret=signing.new_secret(),
        consecutive_failures=5,
        last_failure_at=now - timedelta(days=1),
        created_by=ctx.owner_id,
    )
    s.add_all([erp, chat])
    await s.flush()
    customers = (
        (await s.execute(select(Customer).order_by(Customer.created_at.desc()).limit(5)))
        .scalars()
        .all()
    )
    for i, customer in enumerate(customers):
        sent = now - timedelta(hours=3 + i * 5)
        action = "updated" if i % 2 else "created"
        failed_first = i == 1
        delivery = WebhookDelivery(
            workspace_id=ctx.workspace_id,
            endpoint_id=erp.id,
            event_id=None,
            event_type=f"customer.{action}",
            payload=_payload(customer, action, sent),
            status="delivered",
            attempts=2 if failed_first else 1,
            last_status_code=200,
            delivered_at=sent + (timedelta(minutes=5) if failed_first else timedelta()),
            created_at=sent,
        )
        s.add(delivery)
        await s.flush()
        tries = [(503, 10_012, "Service Unavailable: 系统维护中")] if failed_first else []
        tries.append((200, 84 + 13 * i, '{"received":true}'))
        for n, (code, ms, body) in enumerate(tries, start=1):
            start = sent + timedelta(minutes=5 * (n - 1))
            s.add(
                WebhookDeliveryAttempt(
                    workspace_id=ctx.workspace_id,
                    delivery_id=delivery.id,
                    attempt=n,
                    started_at=start,
                    finished_at=start + timedelta(milliseconds=ms),
                    status_code=code,
                    latency_ms=ms,
                    response_excerpt=body,
                )
            )
    if customers:
        failing = WebhookDelivery(
            workspace_id=ctx.workspace_id,
            endpoint_id=chat.id,
            event_id=None,
            event_type="webhook.test",
            payload={"type": "webhook.test", "timestamp": now.isoformat(), "data": {}},
            status="failed",
            attempts=MAX_ATTEMPTS,
            last_error="ConnectError: connection refused",
            created_at=now - timedelta(days=4),
            updated_at=now - timedelta(days=1),
        )
        s.add(failing)
        await s.flush()
        start = failing.created_at
        for n in range(1, MAX_ATTEMPTS + 1):
            s.add(
                WebhookDeliveryAttempt(
                    workspace_id=ctx.workspace_id,
                    delivery_id=failing.id,
                    attempt=n,
                    manual=n == 1,
                    started_at=start,
                    finished_at=start + timedelta(milliseconds=12),
                    latency_ms=12,
                    error="ConnectError: connection refused",
                )
            )
            if n <= len(RETRY_DELAYS):
                start += RETRY_DELAYS[n - 1]
    await s.flush()


DEMO_BUILDERS.append(build_webhooks)
