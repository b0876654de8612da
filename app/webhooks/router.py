from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Request, Response, status

from app.auth.dependencies import Ctx, require
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.errors import Forbidden, NotFound, PreconditionFailed, problem_responses
from app.webhooks import schemas, service
from app.webhooks.repository import EndpointRepository

router = APIRouter(route_class=UnitOfWorkRoute)

EndpointSort = EndpointRepository.sorting.enum("WebhookEndpointSort")


async def allow_private(request: Request) -> bool:
    """`RAPPORT_WEBHOOKS_ALLOW_PRIVATE`: accept private and loopback targets (dev, tests)."""
    return bool(request.app.state.settings.webhooks_allow_private)


def _delivery(row: object) -> schemas.WebhookDelivery:
    return schemas.WebhookDelivery.model_validate(row)


@router.get(
    "/webhooks",
    response_model=Page[schemas.WebhookEndpoint],
    tags=["webhooks"],
    responses=problem_responses(Forbidden),
)
async def list_webhooks(
    params: ListParams = Depends(list_params),
    sort: EndpointSort = Query("-created_at", description="Sort key"),  # type: ignore[valid-type]
    ctx: Ctx = Depends(require("integrations")),
) -> Page[schemas.WebhookEndpoint]:
    """Webhook endpoints of the workspace."""
    rows, cursor, more = await service.list_endpoints(ctx, params, str(sort))
    return Page(
        data=[schemas.WebhookEndpoint.model_validate(r) for r in rows],
        next_cursor=cursor,
        has_more=more,
    )


@router.post(
    "/webhooks",
    response_model=schemas.WebhookEndpointCreated,
    status_code=status.HTTP_201_CREATED,
    tags=["webhooks"],
    responses=problem_responses(Forbidden, service.WebhookUrlRefused),
)
async def create_webhook(
    data: schemas.WebhookEndpointCreate,
    private_ok: bool = Depends(allow_private),
    ctx: Ctx = Depends(require("integrations", write=True)),
) -> schemas.WebhookEndpointCreated:
    """Add an endpoint; its signing secret is shown only in this answer."""
    endpoint, secret = await service.create_endpoint(ctx, data, allow_private=private_ok)
    return schemas.WebhookEndpointCreated(
        **schemas.WebhookEndpoint.model_validate(endpoint).model_dump(), secret=secret
    )


@router.get(
    "/webhooks/{endpoint_id}",
    response_model=schemas.WebhookEndpoint,
    tags=["webhooks"],
    responses=problem_responses(Forbidden, NotFound),
)
async def get_webhook(
    endpoint_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("integrations"))
) -> schemas.WebhookEndpoint:
    """One endpoint (without its secret)."""
    endpoint = schemas.WebhookEndpoint.model_validate(await service.get_endpoint(ctx, endpoint_id))
    set_etag(response, endpoint.version)
    return endpoint


@router.patch(
    "/webhooks/{endpoint_id}",
    response_model=schemas.WebhookEndpoint,
    tags=["webhooks"],
    responses=problem_responses(Forbidden, NotFound, PreconditionFailed, service.WebhookUrlRefused),
)
async def update_webhook(
    endpoint_id: uuid.UUID,
    data: schemas.WebhookEndpointUpdate,
    version: int | None = Depends(if_match),
    private_ok: bool = Depends(allow_private),
    ctx: Ctx = Depends(require("integrations", write=True)),
) -> schemas.WebhookEndpoint:
    """Change the URL, description or event filter, or switch the endpoint on or off."""
    endpoint = await service.update_endpoint(
        ctx, endpoint_id, data, version, allow_private=private_ok
    )
    return schemas.WebhookEndpoint.model_validate(endpoint)


@router.delete(
    "/webhooks/{endpoint_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["webhooks"],
    responses=problem_responses(Forbidden, NotFound, PreconditionFailed),
)
async def delete_webhook(
    endpoint_id: uuid.UUID,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("integrations", write=True)),
) -> Response:
    """Remove an endpoint; nothing more is sent to it."""
    await service.delete_endpoint(ctx, endpoint_id, version)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/webhooks/{endpoint_id}/rotate-secret",
    response_model=schemas.WebhookSecret,
    tags=["webhooks"],
    responses=problem_responses(Forbidden, NotFound),
)
async def rotate_webhook_secret(
    endpoint_id: uuid.UUID,
    data: schemas.RotateSecret,
    ctx: Ctx = Depends(require("integrations", write=True)),
) -> schemas.WebhookSecret:
    """New signing secret; the old one also signs until the overlap ends. Shown only now."""
    secret, expires = await service.rotate_secret(ctx, endpoint_id, data.overlap_hours)
    return schemas.WebhookSecret(secret=secret, previous_secret_expires_at=expires)


@router.post(
    "/webhooks/{endpoint_id}/test",
    response_model=schemas.WebhookDelivery,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["webhooks"],
    responses=problem_responses(Forbidden, NotFound, service.EndpointInactive),
)
async def send_test_event(
    endpoint_id: uuid.UUID, ctx: Ctx = Depends(require("integrations", write=True))
) -> schemas.WebhookDelivery:
    """Queue a `webhook.test` message; follow it in the delivery log."""
    return _delivery(await service.send_test(ctx, endpoint_id))


@router.get(
    "/webhooks/{endpoint_id}/deliveries",
    response_model=Page[schemas.WebhookDelivery],
    tags=["webhooks"],
    responses=problem_responses(Forbidden, NotFound),
)
async def list_webhook_deliveries(
    endpoint_id: uuid.UUID,
    params: ListParams = Depends(list_params),
    status_: schemas.DeliveryStatus | None = Query(None, alias="status", description="Status"),
    ctx: Ctx = Depends(require("integrations")),
) -> Page[schemas.WebhookDelivery]:
    """The endpoint's delivery log, newest first."""
    rows, cursor, more = await service.list_deliveries(ctx, endpoint_id, params, status_)
    return Page(data=[_delivery(r) for r in rows], next_cursor=cursor, has_more=more)


@router.get(
    "/webhooks/{endpoint_id}/deliveries/{delivery_id}",
    response_model=schemas.WebhookDeliveryDetail,
    tags=["webhooks"],
    responses=problem_responses(Forbidden, NotFound),
)
async def get_webhook_delivery(
    endpoint_id: uuid.UUID,
    delivery_id: uuid.UUID,
    ctx: Ctx = Depends(require("integrations")),
) -> schemas.WebhookDeliveryDetail:
    """One delivery with its payload and every attempt (status, latency, answer excerpt)."""
    delivery, attempts = await service.get_delivery(ctx, endpoint_id, delivery_id)
    return schemas.WebhookDeliveryDetail(
        **_delivery(delivery).model_dump(),
        payload=delivery.payload,
        attempts_log=[schemas.WebhookAttempt.model_validate(a) for a in attempts],
    )


@router.post(
    "/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver",
    response_model=schemas.WebhookDelivery,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["webhooks"],
    responses=problem_responses(
        Forbidden, NotFound, service.EndpointInactive, service.DeliveryInProgress
    ),
)
async def redeliver_webhook(
    endpoint_id: uuid.UUID,
    delivery_id: uuid.UUID,
    ctx: Ctx = Depends(require("integrations", write=True)),
) -> schemas.WebhookDelivery:
    """Send the message again now, with the same `webhook-id`."""
    return _delivery(await service.redeliver(ctx, endpoint_id, delivery_id))
