from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Response

from app.auth.dependencies import Ctx, require
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.customers import service as customers
from app.customers.schemas import Customer
from app.errors import Conflict, Forbidden, NotFound, PreconditionFailed, problem_responses
from app.pools import jobs, schemas, service
from app.pools.repository import PoolRepository

router = APIRouter(route_class=UnitOfWorkRoute)

PoolSort = PoolRepository.sorting.enum("PoolSort")


def _pool(pool: object) -> schemas.Pool:
    return schemas.Pool.model_validate(pool)


@router.get("/pools", response_model=Page[schemas.Pool], tags=["pools"])
async def list_pools(
    params: ListParams = Depends(list_params),
    sort: PoolSort = Query("name", description="Sort key"),  # type: ignore[valid-type]
    ctx: Ctx = Depends(require("pools")),
) -> Page[schemas.Pool]:
    """Pools you may see and claim from."""
    rows, cursor, more = await service.list_pools(ctx, params, str(sort))
    return Page(data=[_pool(r) for r in rows], next_cursor=cursor, has_more=more)


@router.post(
    "/pools",
    response_model=schemas.Pool,
    status_code=201,
    tags=["pools"],
    responses=problem_responses(Forbidden),
)
async def create_pool(
    data: schemas.PoolCreate, ctx: Ctx = Depends(require("pools", write=True))
) -> schemas.Pool:
    """Create a pool with its member teams and rules (owners and admins)."""
    return _pool(await service.create_pool(ctx, data))


@router.get("/pools/reclaim-due", response_model=list[schemas.ReclaimDue], tags=["pools"])
async def reclaim_due(
    days: int = Query(7, ge=1, le=90, description="Look this many days ahead"),
    ctx: Ctx = Depends(require("customers")),
) -> list[schemas.ReclaimDue]:
    """Customers in your scope that return to their pool soon without a follow-up."""
    return await jobs.due_soon(ctx, days)


@router.get(
    "/pools/{pool_id}",
    response_model=schemas.Pool,
    tags=["pools"],
    responses=problem_responses(NotFound),
)
async def get_pool(
    pool_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("pools"))
) -> schemas.Pool:
    """One pool."""
    pool = _pool(await service.get_pool(ctx, pool_id))
    set_etag(response, pool.version)
    return pool


@router.patch(
    "/pools/{pool_id}",
    response_model=schemas.Pool,
    tags=["pools"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_pool(
    pool_id: uuid.UUID,
    data: schemas.PoolUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("pools", write=True)),
) -> schemas.Pool:
    """Change a pool's name, member teams, default flag or rules."""
    return _pool(await service.update_pool(ctx, pool_id, data, version))


@router.get(
    "/pools/{pool_id}/customers",
    response_model=Page[schemas.PoolCustomer],
    tags=["pools"],
    responses=problem_responses(NotFound),
)
async def list_pool_customers(
    pool_id: uuid.UUID,
    params: ListParams = Depends(list_params),
    q: str | None = Query(None, max_length=100, description="Name or phone contains"),
    ctx: Ctx = Depends(require("pools")),
) -> Page[schemas.PoolCustomer]:
    """Customers waiting in the pool (contacts masked when the pool says so)."""
    rows, cursor, more = await service.pool_customers(ctx, pool_id, params, q)
    return Page(data=rows, next_cursor=cursor, has_more=more)


@router.post(
    "/customers/{customer_id}/claim",
    response_model=Customer,
    tags=["pools"],
    responses=problem_responses(NotFound, Forbidden, service.ClaimRefused),
)
async def claim_customer(
    customer_id: uuid.UUID, ctx: Ctx = Depends(require("pools", write=True))
) -> Customer:
    """Claim (领取) a pool customer; 409 names whoever was first."""
    return await customers.present_one(ctx, await service.claim(ctx, customer_id))


@router.post(
    "/customers/{customer_id}/release",
    response_model=Customer,
    tags=["pools"],
    responses=problem_responses(NotFound, Forbidden, Conflict),
)
async def release_customer(
    customer_id: uuid.UUID,
    data: schemas.Release,
    ctx: Ctx = Depends(require("customers", write=True)),
) -> Customer:
    """Return (退回) a customer to a pool, with a reason."""
    return await customers.present_one(ctx, await service.release(ctx, customer_id, data))


@router.post(
    "/customers/{customer_id}/assign",
    response_model=Customer,
    tags=["pools"],
    responses=problem_responses(NotFound, Forbidden),
)
async def assign_customer(
    customer_id: uuid.UUID,
    data: schemas.Assign,
    ctx: Ctx = Depends(require("pools", write=True)),
) -> Customer:
    """Assign (分配) a pool customer to a rep (managers and admins)."""
    return await customers.present_one(ctx, await service.assign(ctx, customer_id, data))
