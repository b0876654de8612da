from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.dependencies import Ctx, require
from app.contracts import schemas, service
from app.contracts.repository import ContractRepository
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.errors import Conflict, Forbidden, NotFound, PreconditionFailed, problem_responses
from app.models.contracts import Contract as ContractRow

router = APIRouter(route_class=UnitOfWorkRoute)

ContractSort = ContractRepository.sorting.enum("ContractSort")


async def _shaped(ctx: Ctx, response: Response, contract: ContractRow) -> schemas.Contract:
    shaped = (await service.shape(ctx, [contract]))[0]
    set_etag(response, shaped.version)
    return shaped


@router.get("/contracts", response_model=Page[schemas.Contract], tags=["contracts"])
async def list_contracts(
    params: ListParams = Depends(list_params),
    sort: ContractSort = Query("-created_at", description="Sort key"),  # type: ignore[valid-type]
    q: str | None = Query(None, max_length=100, description="Number or title contains"),
    status_: schemas.ContractStatus | None = Query(None, alias="status", description="Status"),
    customer_id: uuid.UUID | None = Query(None, description="Customer"),
    owner_id: uuid.UUID | None = Query(None, description="Owner"),
    opportunity_id: uuid.UUID | None = Query(None, description="Deal"),
    ends_before: date | None = Query(None, description="Ends before this day (renewals)"),
    ctx: Ctx = Depends(require("contracts")),
) -> Page[schemas.Contract]:
    """Contracts in your scope, with their money totals."""
    rows, cursor, more = await service.list_contracts(
        ctx,
        params,
        str(sort),
        q=q,
        status=status_.value if status_ else None,
        customer_id=customer_id,
        owner_id=owner_id,
        opportunity_id=opportunity_id,
        ends_before=ends_before,
    )
    return Page(data=await service.shape(ctx, rows), next_cursor=cursor, has_more=more)


@router.post(
    "/contracts",
    response_model=schemas.Contract,
    status_code=201,
    tags=["contracts"],
    responses=problem_responses(Forbidden, Conflict),
)
async def create_contract(
    data: schemas.ContractCreate,
    response: Response,
    ctx: Ctx = Depends(require("contracts", write=True)),
) -> schemas.Contract:
    """Create a draft contract (numbered HT-2026-0001 ...); from a won deal, pass only
    `opportunity_id`."""
    return await _shaped(ctx, response, await service.create_contract(ctx, data))


@router.get(
    "/contracts/{contract_id}",
    response_model=schemas.Contract,
    tags=["contracts"],
    responses=problem_responses(NotFound),
)
async def get_contract(
    contract_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("contracts"))
) -> schemas.Contract:
    """One contract with its totals: planned, received, invoiced, outstanding, overdue."""
    return await _shaped(ctx, response, await service.get_contract(ctx, contract_id))


@router.patch(
    "/contracts/{contract_id}",
    response_model=schemas.Contract,
    tags=["contracts"],
    responses=problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed),
)
async def update_contract(
    contract_id: uuid.UUID,
    data: schemas.ContractUpdate,
    response: Response,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("contracts", write=True)),
) -> schemas.Contract:
    """Change a contract; approved contracts keep their money terms (409 contract_locked)."""
    contract = await service.update_contract(ctx, contract_id, data, version)
    return await _shaped(ctx, response, contract)


@router.delete(
    "/contracts/{contract_id}",
    status_code=204,
    tags=["contracts"],
    responses=problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed),
)
async def delete_contract(
    contract_id: uuid.UUID,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("contracts", write=True)),
) -> Response:
    """Delete a draft (recycle bin); approved contracts are terminated instead."""
    await service.delete_contract(ctx, contract_id, version)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/contracts/{contract_id}/submit",
    response_model=schemas.Contract,
    tags=["contracts"],
    responses=problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed),
)
async def submit_contract(
    contract_id: uuid.UUID,
    data: schemas.ContractComment,
    response: Response,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("contracts", write=True)),
) -> schemas.Contract:
    """Send a draft for approval."""
    return await _shaped(ctx, response, await service.submit(ctx, contract_id, data, version))


@router.post(
    "/contracts/{contract_id}/approve",
    response_model=schemas.Contract,
    tags=["contracts"],
    responses=problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed),
)
async def approve_contract(
    contract_id: uuid.UUID,
    data: schemas.ContractComment,
    response: Response,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("contracts", write=True)),
) -> schemas.Contract:
    """Approve a pending contract: it becomes active (managers, admins, owners)."""
    return await _shaped(ctx, response, await service.approve(ctx, contract_id, data, version))


@router.post(
    "/contracts/{contract_id}/reject",
    response_model=schemas.Contract,
    tags=["contracts"],
    responses=problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed),
)
async def reject_contract(
    contract_id: uuid.UUID,
    data: schemas.ContractRejection,
    response: Response,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("contracts", write=True)),
) -> schemas.Contract:
    """Send a pending contract back to draft with a comment (managers, admins, owners)."""
    return await _shaped(ctx, response, await service.reject(ctx, contract_id, data, version))


@router.post(
    "/contracts/{contract_id}/terminate",
    response_model=schemas.Contract,
    tags=["contracts"],
    responses=problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed),
)
async def terminate_contract(
    contract_id: uuid.UUID,
    data: schemas.ContractTermination,
    response: Response,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("contracts", write=True)),
) -> schemas.Contract:
    """End an active contract early, with a reason; unpaid installments are voided."""
    return await _shaped(ctx, response, await service.terminate(ctx, contract_id, data, version))


@router.get("/settings/contracts", response_model=schemas.ContractSettings, tags=["settings"])
async def get_contract_settings(
    ctx: Ctx = Depends(require("contracts")),
) -> schemas.ContractSettings:
    """Contract number prefix and reminder lead times of the workspace."""
    return await service.get_settings(ctx)


@router.patch(
    "/settings/contracts",
    response_model=schemas.ContractSettings,
    tags=["settings"],
    responses=problem_responses(Forbidden),
)
async def update_contract_settings(
    data: schemas.ContractSettingsUpdate, ctx: Ctx = Depends(require("contracts"))
) -> schemas.ContractSettings:
    """Change the number prefix or reminder lead times (owners and admins)."""
    return await service.update_settings(ctx, data)
