"""Integration endpoints under each resource's path: `PUT /{resource}/by-external-id/{source}/
{external_id}` and `POST /{resource}/batch/upsert`; and the workspace's rate limits."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Path, Response
from sqlalchemy import select

from app.auth.dependencies import Ctx, require
from app.core.http import set_etag
from app.core.ratelimit import RateLimited
from app.core.routing import UnitOfWorkRoute
from app.customers import schemas as customer_schemas
from app.customers import service as customers
from app.customers.service import DuplicateBlocked, DuplicateConflict
from app.errors import Conflict, Forbidden, UnprocessableEntity, problem_responses
from app.integrations import schemas, service
from app.integrations.upsert import BatchRejected
from app.models.orders import Order
from app.orders import schemas as order_schemas
from app.orders import service as orders
from app.pipeline import schemas as pipeline_schemas
from app.pipeline import service as pipeline
from app.receivables import schemas as receivable_schemas
from app.receivables import service as receivables

router = APIRouter(route_class=UnitOfWorkRoute)

Source = Path(min_length=1, max_length=60, description="The source system (e.g. shopify, erp)")
ExternalId = Path(min_length=1, max_length=120, description="The record's id in that system")

_PUT = problem_responses(Forbidden, Conflict, UnprocessableEntity, RateLimited)
_BATCH = problem_responses(Forbidden, BatchRejected, RateLimited)


def _put_responses(model: type[Any]) -> dict[int | str, dict[str, Any]]:
    return {201: {"model": model, "description": "Created"}, **_PUT}


async def _put(
    ctx: Ctx, response: Response, resource: str, source: str, external_id: str, data: Any
) -> uuid.UUID:
    row_id, created = await service.upsert_one(ctx, resource, source, external_id, data)
    response.status_code = 201 if created else 200
    return row_id


# --- customers ---------------------------------------------------------------------------


@router.put(
    "/customers/by-external-id/{source}/{external_id}",
    response_model=customer_schemas.Customer,
    tags=["customers"],
    responses={
        **_put_responses(customer_schemas.Customer),
        **problem_responses(DuplicateConflict, DuplicateBlocked),
    },
)
async def upsert_customer(
    data: customer_schemas.CustomerCreate,
    response: Response,
    source: str = Source,
    external_id: str = ExternalId,
    ctx: Ctx = Depends(require("customers", write=True)),
) -> customer_schemas.Customer:
    """Create (201) or update (200) the customer with this external id; duplicate policy applies."""
    row_id = await _put(ctx, response, "customers", source, external_id, data)
    out = await customers.present_one(ctx, await customers.get_customer(ctx, row_id))
    set_etag(response, out.version)
    return out


@router.post(
    "/customers/batch/upsert",
    response_model=schemas.BatchResult,
    tags=["customers"],
    responses=_BATCH,
)
async def upsert_customers(
    body: schemas.CustomerBatch, ctx: Ctx = Depends(require("customers", write=True))
) -> schemas.BatchResult:
    """Up to 1,000 customers by external id; a blocked duplicate fails its item only."""
    return await service.upsert_batch(ctx, "customers", body)


# --- contacts ----------------------------------------------------------------------------


@router.put(
    "/contacts/by-external-id/{source}/{external_id}",
    response_model=customer_schemas.Contact,
    tags=["contacts"],
    responses=_put_responses(customer_schemas.Contact),
)
async def upsert_contact(
    data: schemas.ContactUpsert,
    response: Response,
    source: str = Source,
    external_id: str = ExternalId,
    ctx: Ctx = Depends(require("customers", write=True)),
) -> customer_schemas.Contact:
    """Create (201) or update (200) the contact with this external id."""
    row_id = await _put(ctx, response, "contacts", source, external_id, data)
    out = customer_schemas.Contact.model_validate(await customers.get_contact(ctx, row_id))
    set_etag(response, out.version)
    return out


@router.post(
    "/contacts/batch/upsert",
    response_model=schemas.BatchResult,
    tags=["contacts"],
    responses=_BATCH,
)
async def upsert_contacts(
    body: schemas.ContactBatch, ctx: Ctx = Depends(require("customers", write=True))
) -> schemas.BatchResult:
    """Up to 1,000 contacts by external id."""
    return await service.upsert_batch(ctx, "contacts", body)


# --- products ----------------------------------------------------------------------------


@router.put(
    "/products/by-external-id/{source}/{external_id}",
    response_model=pipeline_schemas.Product,
    tags=["products"],
    responses=_put_responses(pipeline_schemas.Product),
)
async def upsert_product(
    data: pipeline_schemas.ProductCreate,
    response: Response,
    source: str = Source,
    external_id: str = ExternalId,
    ctx: Ctx = Depends(require("opportunities", write=True)),
) -> pipeline_schemas.Product:
    """Create (201) or update (200) the product with this external id (managers, admins)."""
    row_id = await _put(ctx, response, "products", source, external_id, data)
    out = pipeline_schemas.Product.model_validate(await pipeline.get_product(ctx, row_id))
    set_etag(response, out.version)
    return out


@router.post(
    "/products/batch/upsert",
    response_model=schemas.BatchResult,
    tags=["products"],
    responses=_BATCH,
)
async def upsert_products(
    body: schemas.ProductBatch, ctx: Ctx = Depends(require("opportunities", write=True))
) -> schemas.BatchResult:
    """Up to 1,000 products by external id (managers, admins)."""
    return await service.upsert_batch(ctx, "products", body)


# --- orders ------------------------------------------------------------------------------


@router.put(
    "/orders/by-external-id/{source}/{external_id}",
    response_model=order_schemas.Order,
    tags=["orders"],
    responses=_put_responses(order_schemas.Order),
)
async def upsert_order(
    data: order_schemas.OrderCreate,
    response: Response,
    source: str = Source,
    external_id: str = ExternalId,
    ctx: Ctx = Depends(require("orders", write=True)),
) -> order_schemas.Order:
    """Create (201) or update (200) the order with this external id; its customer is
    matched by buyer id, phone, then e-mail."""
    row_id = await _put(ctx, response, "orders", source, external_id, data)
    # as POST /orders: the writer sees the order it sent, matched or not
    order = (await ctx.session.execute(select(Order).where(Order.id == row_id))).scalar_one()
    out = (await orders.shape(ctx, [order]))[0]
    set_etag(response, out.version)
    return out


@router.post(
    "/orders/batch/upsert",
    response_model=schemas.BatchResult,
    tags=["orders"],
    responses=_BATCH,
)
async def upsert_orders(
    body: schemas.OrderBatch, ctx: Ctx = Depends(require("orders", write=True))
) -> schemas.BatchResult:
    """Up to 1,000 orders by external id, written in bulk; buyers matched as on create."""
    return await service.upsert_batch(ctx, "orders", body)


# --- payments ----------------------------------------------------------------------------


@router.put(
    "/payments/by-external-id/{source}/{external_id}",
    response_model=receivable_schemas.Payment,
    tags=["receivables"],
    responses=_put_responses(receivable_schemas.Payment),
)
async def upsert_payment(
    data: schemas.PaymentUpsert,
    response: Response,
    source: str = Source,
    external_id: str = ExternalId,
    ctx: Ctx = Depends(require("receivables", write=True)),
) -> receivable_schemas.Payment:
    """Record (201) a payment once, allocated as POST /payments does; a resend with the
    same money answers 200, with other money 409 `payment_immutable`."""
    row_id = await _put(ctx, response, "payments", source, external_id, data)
    payment = await receivables.get_payment(ctx, row_id)
    out = (await receivables.shape_payments(ctx, [payment]))[0]
    set_etag(response, out.version)
    return out


@router.post(
    "/payments/batch/upsert",
    response_model=schemas.BatchResult,
    tags=["receivables"],
    responses=_BATCH,
)
async def upsert_payments(
    body: schemas.PaymentBatch, ctx: Ctx = Depends(require("receivables", write=True))
) -> schemas.BatchResult:
    """Up to 1,000 payments by external id, each allocated by the receivables rules."""
    return await service.upsert_batch(ctx, "payments", body)


# --- rate limits -------------------------------------------------------------------------


@router.get("/settings/rate-limits", response_model=schemas.RateLimits, tags=["settings"])
async def get_rate_limits(ctx: Ctx = Depends(require("settings"))) -> schemas.RateLimits:
    """Requests allowed per API key (or user) and window, by bucket."""
    return await service.rate_limits(ctx)


@router.patch(
    "/settings/rate-limits",
    response_model=schemas.RateLimits,
    tags=["settings"],
    responses=problem_responses(Forbidden),
)
async def update_rate_limits(
    data: schemas.RateLimitsUpdate, ctx: Ctx = Depends(require("settings"))
) -> schemas.RateLimits:
    """Change the rate limits of the workspace (owners and admins)."""
    return await service.update_rate_limits(ctx, data)
