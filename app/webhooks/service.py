"""Webhook endpoints and their delivery log.

Secrets are stored raw (HMAC signing needs them) and leave the server only in the answers
to create and rotate. A URL is checked against private addresses when saved (and again by
the dispatcher before each request). Test events and redeliveries are queued like any other
delivery and a job is enqueued in the request's transaction, so the worker sends them right
after the commit — and never for a request that rolled back.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.auth.dependencies import Ctx
from app.core.audit import record_mutation, snapshot
from app.core.jobs import enqueue
from app.core.pagination import ListParams
from app.errors import Conflict, FieldError, NotFound, UnprocessableEntity
from app.models.webhook import WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint
from app.webhooks import repository, schemas, signing, ssrf
from app.webhooks.dispatch import ENDPOINT_FIELDS, test_payload
from app.webhooks.repository import DeliveryRepository, EndpointRepository

DELIVER_TASK = "webhooks_deliver"
QUEUE = "webhooks"


class WebhookUrlRefused(UnprocessableEntity):
    code = "webhook_url_refused"
    title = "Webhook URL refused"


class EndpointInactive(Conflict):
    code = "webhook_endpoint_inactive"
    title = "The webhook endpoint is switched off"


class DeliveryInProgress(Conflict):
    code = "webhook_delivery_in_progress"
    title = "The delivery is being sent right now"


async def check_url(url: str, *, allow_private: bool) -> None:
    try:
        await ssrf.resolve(url, allow_private=allow_private)
    except ssrf.UrlRefused as refused:
        raise WebhookUrlRefused(
            refused.message,
            code=refused.code,
            errors=[FieldError(field="body.url", message=refused.message)],
        ) from refused


async def list_endpoints(
    ctx: Ctx, params: ListParams, sort: str
) -> tuple[Sequence[WebhookEndpoint], str | None, bool]:
    return await EndpointRepository(ctx.session, ctx.principal).page(params, sort)


async def get_endpoint(ctx: Ctx, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    return await EndpointRepository(ctx.session, ctx.principal).get(endpoint_id)


async def _others_active(ctx: Ctx, endpoint_id: uuid.UUID) -> bool:
    stmt = select(func.count()).where(
        WebhookEndpoint.active.is_(True),
        WebhookEndpoint.deleted_at.is_(None),
        WebhookEndpoint.id != endpoint_id,
    )
    return bool(await ctx.session.scalar(stmt))


async def _switched_on(ctx: Ctx, endpoint: WebhookEndpoint) -> None:
    """From now on the endpoint gets events; make sure the dispatcher covers the workspace."""
    endpoint.active_since = datetime.now(UTC)
    await repository.unpark(ctx.session, endpoint.id)
    await repository.ensure_cursor(
        ctx.session,
        endpoint.active_since,
        fast_forward=not await _others_active(ctx, endpoint.id),
    )


async def create_endpoint(
    ctx: Ctx, data: schemas.WebhookEndpointCreate, *, allow_private: bool
) -> tuple[WebhookEndpoint, str]:
    await check_url(data.url, allow_private=allow_private)
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(
        workspace_id=ctx.principal.workspace_id,
        url=data.url,
        description=data.description or None,
        event_types=data.event_types,
        active=data.active,
        secret=secret,
        consecutive_failures=0,
        created_by=ctx.principal.user_id,
        disabled_reason=None if data.active else "manual",
    )
    ctx.session.add(endpoint)
    await ctx.session.flush()
    if endpoint.active:
        await _switched_on(ctx, endpoint)
    else:
        endpoint.disabled_at = datetime.now(UTC)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="webhook_endpoint",
        action="created",
        entity_id=endpoint.id,
        sequence=endpoint.version,
        before=None,
        after=snapshot(endpoint, ENDPOINT_FIELDS),
    )
    return endpoint, secret


async def update_endpoint(
    ctx: Ctx,
    endpoint_id: uuid.UUID,
    data: schemas.WebhookEndpointUpdate,
    if_match: int | None,
    *,
    allow_private: bool,
) -> WebhookEndpoint:
    repo = EndpointRepository(ctx.session, ctx.principal)
    endpoint = await repo.get_writable(endpoint_id, if_match=if_match)
    before = snapshot(endpoint, ENDPOINT_FIELDS)
    fields = data.model_fields_set
    for name in ("url", "event_types", "active"):
        if name in fields and getattr(data, name) is None:
            raise UnprocessableEntity(
                f"{name} cannot be empty.",
                errors=[FieldError(field=f"body.{name}", message="cannot be null")],
            )
    if data.url is not None and data.url != endpoint.url:
        await check_url(data.url, allow_private=allow_private)
        endpoint.url = data.url
    if "description" in fields:
        endpoint.description = data.description or None
    if data.event_types is not None:
        endpoint.event_types = data.event_types
    if data.active is True and not endpoint.active:
        endpoint.active = True
        endpoint.disabled_reason = None
        endpoint.disabled_at = None
        endpoint.consecutive_failures = 0
        await _switched_on(ctx, endpoint)
    elif data.active is False and endpoint.active:
        endpoint.active = False
        endpoint.disabled_reason = "manual"
        endpoint.disabled_at = datetime.now(UTC)
        await repository.park(ctx.session, endpoint.id)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="webhook_endpoint",
        action="updated",
        entity_id=endpoint.id,
        sequence=endpoint.version,
        before=before,
        after=snapshot(endpoint, ENDPOINT_FIELDS),
    )
    return endpoint


async def delete_endpoint(ctx: Ctx, endpoint_id: uuid.UUID, if_match: int | None) -> None:
    """Soft delete: nothing more is sent; pending deliveries stay unsent with it."""
    repo = EndpointRepository(ctx.session, ctx.principal)
    endpoint = await repo.get_writable(endpoint_id, if_match=if_match)
    before = snapshot(endpoint, ENDPOINT_FIELDS)
    endpoint.deleted_at = datetime.now(UTC)
    endpoint.active = False
    await repository.park(ctx.session, endpoint.id)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="webhook_endpoint",
        action="deleted",
        entity_id=endpoint.id,
        sequence=endpoint.version,
        before=before,
        after=None,
    )


async def rotate_secret(
    ctx: Ctx, endpoint_id: uuid.UUID, overlap_hours: int
) -> tuple[str, datetime | None]:
    """A new secret; the current one keeps signing beside it for `overlap_hours`."""
    endpoint = await EndpointRepository(ctx.session, ctx.principal).get_writable(endpoint_id)
    now = datetime.now(UTC)
    secret = signing.new_secret()
    if overlap_hours > 0:
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = now + timedelta(hours=overlap_hours)
    else:
        endpoint.previous_secret = None
        endpoint.previous_secret_expires_at = None
    endpoint.secret = secret
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="webhook_endpoint",
        action="secret_rotated",
        entity_id=endpoint.id,
        sequence=endpoint.version,
        before=None,
        after={
            **snapshot(endpoint, ENDPOINT_FIELDS),
            "previous_secret_expires_at": endpoint.previous_secret_expires_at,
        },
    )
    return secret, endpoint.previous_secret_expires_at


async def _wake_worker(ctx: Ctx) -> None:
    await enqueue(
        ctx.session,
        DELIVER_TASK,
        {"workspace_id": str(ctx.principal.workspace_id)},
        queue=QUEUE,
    )


async def send_test(ctx: Ctx, endpoint_id: uuid.UUID) -> WebhookDelivery:
    """Queue a `webhook.test` message to the endpoint, sent by the worker at once."""
    endpoint = await EndpointRepository(ctx.session, ctx.principal).get_writable(endpoint_id)
    if not endpoint.active:
        raise EndpointInactive("Switch the endpoint on before sending to it.")
    now = datetime.now(UTC)
    delivery = WebhookDelivery(
        workspace_id=endpoint.workspace_id,
        endpoint_id=endpoint.id,
        event_id=None,
        event_type="webhook.test",
        payload=test_payload(endpoint.id, now),
        status="pending",
        attempts=0,
        manual=True,
        next_attempt_at=now,
    )
    ctx.session.add(delivery)
    await ctx.session.flush()
    await _wake_worker(ctx)
    return delivery


async def list_deliveries(
    ctx: Ctx,
    endpoint_id: uuid.UUID,
    params: ListParams,
    status: schemas.DeliveryStatus | None,
) -> tuple[Sequence[WebhookDelivery], str | None, bool]:
    await get_endpoint(ctx, endpoint_id)
    filters = [WebhookDelivery.endpoint_id == endpoint_id]
    if status is not None:
        filters.append(WebhookDelivery.status == status.value)
    return await DeliveryRepository(ctx.session, ctx.principal).page(
        params, "-created_at", *filters
    )


async def _delivery(
    ctx: Ctx, endpoint_id: uuid.UUID, delivery_id: uuid.UUID, *, for_update: bool = False
) -> WebhookDelivery:
    delivery = await DeliveryRepository(ctx.session, ctx.principal).get(
        delivery_id, for_update=for_update
    )
    if delivery.endpoint_id != endpoint_id:
        raise NotFound(f"No webhook_delivery with id {delivery_id}.")
    return delivery


async def get_delivery(
    ctx: Ctx, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
) -> tuple[WebhookDelivery, Sequence[WebhookDeliveryAttempt]]:
    await get_endpoint(ctx, endpoint_id)
    delivery = await _delivery(ctx, endpoint_id, delivery_id)
    return delivery, await repository.attempts_of(ctx.session, delivery.id)


async def redeliver(ctx: Ctx, endpoint_id: uuid.UUID, delivery_id: uuid.UUID) -> WebhookDelivery:
    """Send the message again now, with the same `webhook-id`, whatever its state."""
    endpoint = await EndpointRepository(ctx.session, ctx.principal).get_writable(endpoint_id)
    if not endpoint.active:
        raise EndpointInactive("Switch the endpoint on before redelivering to it.")
    delivery = await _delivery(ctx, endpoint_id, delivery_id, for_update=True)
    now = datetime.now(UTC)
    if delivery.locked_until is not None and delivery.locked_until > now:
        raise DeliveryInProgress("This message is being sent right now; look again shortly.")
    delivery.status = "pending"
    delivery.next_attempt_at = now
    delivery.manual = True
    await ctx.session.flush()
    await _wake_worker(ctx)
    return delivery
