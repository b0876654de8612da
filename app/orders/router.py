from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends, Query, Response

from app.auth.dependencies import Ctx, require
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.errors import Conflict, Forbidden, NotFound, PreconditionFailed, problem_responses
from app.orders import schemas, service
from app.orders.repository import OrderRepository

router = APIRouter(route_class=UnitOfWorkRoute)

OrderSort = OrderRepository.sorting.enum("OrderSort")


@router.get("/orders", response_model=Page[schemas.Order], tags=["orders"])
async def list_orders(
    params: ListParams = Depends(list_params),
    sort: OrderSort = Query("-ordered_at", description="Sort key"),  # type: ignore[valid-type]
    matched: bool | None = Query(
        None, description="false: the review list of orders without a customer"
    ),
    customer_id: uuid.UUID | None = Query(None, description="Customer"),
    channel: str | None = Query(None, max_length=40, description="Channel"),
    status_: schemas.OrderStatus | None = Query(None, alias="status", description="Status"),
    ordered_from: datetime | None = Query(None, description="Ordered at or after"),
    ordered_to: datetime | None = Query(None, description="Ordered before"),
    ctx: Ctx = Depends(require("orders")),
) -> Page[schemas.Order]:
    """Orders of the customers in your scope (unmatched ones: owners and admins)."""
    rows, cursor, more = await service.list_orders(
        ctx,
        params,
        str(sort),
        matched=matched,
        customer_id=customer_id,
        channel=channel,
        status=status_.value if status_ else None,
        ordered_from=ordered_from,
        ordered_to=ordered_to,
    )
    return Page(data=await service.shape(ctx, rows), next_cursor=cursor, has_more=more)


@router.post(
    "/orders",
    response_model=schemas.Order,
    status_code=201,
    tags=["orders"],
    responses=problem_responses(Forbidden, Conflict),
)
async def create_order(
    data: schemas.OrderCreate, ctx: Ctx = Depends(require("orders", write=True))
) -> schemas.Order:
    """Record an order; its customer is matched by buyer id, phone, then e-mail."""
    return (await service.shape(ctx, [await service.create_order(ctx, data)]))[0]


@router.get(
    "/orders/{order_id}",
    response_model=schemas.Order,
    tags=["orders"],
    responses=problem_responses(NotFound),
)
async def get_order(
    order_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("orders"))
) -> schemas.Order:
    """One order with its items."""
    order = (await service.shape(ctx, [await service.get_order(ctx, order_id)]))[0]
    set_etag(response, order.version)
    return order


@router.post(
    "/orders/{order_id}/match",
    response_model=schemas.Order,
    tags=["orders"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def match_order(
    order_id: uuid.UUID,
    data: schemas.OrderMatchRequest,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("orders", write=True)),
) -> schemas.Order:
    """Attach an unmatched (or wrongly matched) order to its customer."""
    order = await service.match_order(ctx, order_id, data, version)
    return (await service.shape(ctx, [order]))[0]
