from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Query, Response

from app.auth.dependencies import Ctx, require
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.errors import Conflict, Forbidden, NotFound, PreconditionFailed, problem_responses
from app.receivables import aging, schemas, service
from app.receivables.repository import (
    InstallmentRepository,
    InvoiceRepository,
    PaymentRepository,
)

router = APIRouter(route_class=UnitOfWorkRoute)

InstallmentSort = InstallmentRepository.sorting.enum("InstallmentSort")
PaymentSort = PaymentRepository.sorting.enum("PaymentSort")
InvoiceSort = InvoiceRepository.sorting.enum("InvoiceSort")

_WRITE = problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed)


# --- payment plans -----------------------------------------------------------------------


@router.get(
    "/contracts/{contract_id}/payment-plan",
    response_model=schemas.PaymentPlan,
    tags=["receivables"],
    responses=problem_responses(NotFound),
)
async def get_payment_plan(
    contract_id: uuid.UUID, ctx: Ctx = Depends(require("receivables"))
) -> schemas.PaymentPlan:
    """A contract's installments with their derived status, paid and outstanding amounts."""
    return await service.payment_plan(ctx, contract_id)


@router.put(
    "/contracts/{contract_id}/payment-plan",
    response_model=schemas.PaymentPlan,
    tags=["receivables"],
    responses=_WRITE,
)
async def replace_payment_plan(
    contract_id: uuid.UUID,
    data: schemas.PaymentPlanReplace,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("receivables", write=True)),
) -> schemas.PaymentPlan:
    """Replace the plan; installments must add up to the contract amount (422 says by how
    much they don't). If-Match takes the contract's ETag."""
    return await service.replace_plan(ctx, contract_id, data, version)


# --- installments (receivables) ----------------------------------------------------------


@router.get("/receivables", response_model=Page[schemas.Installment], tags=["receivables"])
async def list_receivables(
    params: ListParams = Depends(list_params),
    sort: InstallmentSort = Query("due_date", description="Sort key"),  # type: ignore[valid-type]
    status_: schemas.InstallmentStatus | None = Query(
        None, alias="status", description="Derived status"
    ),
    contract_id: uuid.UUID | None = Query(None, description="Contract"),
    customer_id: uuid.UUID | None = Query(None, description="Customer"),
    owner_id: uuid.UUID | None = Query(None, description="Contract owner"),
    due_from: date | None = Query(None, description="Due on or after"),
    due_to: date | None = Query(None, description="Due on or before"),
    ctx: Ctx = Depends(require("receivables")),
) -> Page[schemas.Installment]:
    """Installments of the contracts in your scope (e.g. `?status=overdue`)."""
    rows, cursor, more = await service.list_installments(
        ctx,
        params,
        str(sort),
        status=status_.value if status_ else None,
        contract_id=contract_id,
        customer_id=customer_id,
        owner_id=owner_id,
        due_from=due_from,
        due_to=due_to,
    )
    return Page(data=rows, next_cursor=cursor, has_more=more)


@router.get("/receivables/aging", response_model=schemas.AgingReport, tags=["receivables"])
async def receivables_aging(
    group_by: schemas.AgingGroupBy = Query(
        schemas.AgingGroupBy.customer, description="customer, owner or team"
    ),
    as_of: date | None = Query(None, description="Count days past due to this day (default today)"),
    limit: int = Query(50, ge=1, le=200, description="Groups per page"),
    cursor: str | None = Query(None, max_length=2000, description="Opaque cursor from a page"),
    ctx: Ctx = Depends(require("receivables")),
) -> schemas.AgingReport:
    """Outstanding amounts by days past due (current, 1–30, 31–60, 61–90, 90+) and DSO."""
    return await aging.aging(ctx, group_by, as_of, limit, cursor)


@router.get("/receivables/cash-in", response_model=schemas.CashInCalendar, tags=["receivables"])
async def receivables_cash_in(
    period: schemas.CashInPeriod = Query(schemas.CashInPeriod.month, description="week or month"),
    start: date | None = Query(None, description="First day (default today)"),
    end: date | None = Query(None, description="Last day (default 12 weeks / 1 year on)"),
    ctx: Ctx = Depends(require("receivables")),
) -> schemas.CashInCalendar:
    """Expected cash-in: outstanding amounts by the week or month they fall due."""
    return await aging.cash_in(ctx, period, start, end)


@router.get(
    "/receivables/{installment_id}",
    response_model=schemas.InstallmentDetail,
    tags=["receivables"],
    responses=problem_responses(NotFound),
)
async def get_receivable(
    installment_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("receivables"))
) -> schemas.InstallmentDetail:
    """One installment with the payments allocated to it."""
    detail = await service.get_installment(ctx, installment_id)
    set_etag(response, detail.version)
    return detail


@router.post(
    "/receivables/{installment_id}/void",
    response_model=schemas.InstallmentDetail,
    tags=["receivables"],
    responses=_WRITE,
)
async def void_receivable(
    installment_id: uuid.UUID,
    data: schemas.InstallmentVoid,
    ctx: Ctx = Depends(require("receivables", write=True)),
) -> schemas.InstallmentDetail:
    """Write off what is left of an installment (bad debt, waived); audited."""
    return await service.void_installment(ctx, installment_id, data)


# --- payments ----------------------------------------------------------------------------


@router.get("/payments", response_model=Page[schemas.Payment], tags=["payments"])
async def list_payments(
    params: ListParams = Depends(list_params),
    sort: PaymentSort = Query("-received_on", description="Sort key"),  # type: ignore[valid-type]
    contract_id: uuid.UUID | None = Query(None, description="Contract"),
    customer_id: uuid.UUID | None = Query(None, description="Customer"),
    method: schemas.PaymentMethod | None = Query(None, description="Method"),
    received_from: date | None = Query(None, description="Received on or after"),
    received_to: date | None = Query(None, description="Received on or before"),
    voided: bool | None = Query(None, description="Only void / only valid payments"),
    ctx: Ctx = Depends(require("receivables")),
) -> Page[schemas.Payment]:
    """Payments received on the contracts in your scope."""
    rows, cursor, more = await service.list_payments(
        ctx,
        params,
        str(sort),
        contract_id=contract_id,
        customer_id=customer_id,
        method=method.value if method else None,
        received_from=received_from,
        received_to=received_to,
        voided=voided,
    )
    return Page(data=rows, next_cursor=cursor, has_more=more)


@router.post(
    "/payments",
    response_model=schemas.Payment,
    status_code=201,
    tags=["payments"],
    responses=problem_responses(Forbidden, Conflict),
)
async def create_payment(
    data: schemas.PaymentCreate, ctx: Ctx = Depends(require("receivables", write=True))
) -> schemas.Payment:
    """Record a payment; it is allocated as given, or to the oldest installments first.
    More than is outstanding is refused (409 exceeds_outstanding) unless `overpayment`."""
    payment = await service.create_payment(ctx, data)
    return (await service.shape_payments(ctx, [payment]))[0]


@router.get(
    "/payments/{payment_id}",
    response_model=schemas.Payment,
    tags=["payments"],
    responses=problem_responses(NotFound),
)
async def get_payment(
    payment_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("receivables"))
) -> schemas.Payment:
    """One payment with its allocations."""
    payment = (await service.shape_payments(ctx, [await service.get_payment(ctx, payment_id)]))[0]
    set_etag(response, payment.version)
    return payment


@router.post(
    "/payments/{payment_id}/void",
    response_model=schemas.Payment,
    tags=["payments"],
    responses=_WRITE,
)
async def void_payment(
    payment_id: uuid.UUID,
    data: schemas.PaymentVoid,
    ctx: Ctx = Depends(require("receivables", write=True)),
) -> schemas.Payment:
    """Void a payment recorded in error; its allocations are freed (audited)."""
    payment = await service.void_payment(ctx, payment_id, data)
    return (await service.shape_payments(ctx, [payment]))[0]


# --- invoices ----------------------------------------------------------------------------


@router.get("/invoices", response_model=Page[schemas.Invoice], tags=["invoices"])
async def list_invoices(
    params: ListParams = Depends(list_params),
    sort: InvoiceSort = Query("-created_at", description="Sort key"),  # type: ignore[valid-type]
    contract_id: uuid.UUID | None = Query(None, description="Contract"),
    status_: schemas.InvoiceStatus | None = Query(None, alias="status", description="Status"),
    ctx: Ctx = Depends(require("receivables")),
) -> Page[schemas.Invoice]:
    """Invoices of the contracts in your scope."""
    rows, cursor, more = await service.list_invoices(
        ctx, params, str(sort), contract_id=contract_id, status=status_.value if status_ else None
    )
    return Page(
        data=[schemas.Invoice.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/invoices",
    response_model=schemas.Invoice,
    status_code=201,
    tags=["invoices"],
    responses=problem_responses(Forbidden, Conflict),
)
async def create_invoice(
    data: schemas.InvoiceCreate, ctx: Ctx = Depends(require("receivables", write=True))
) -> schemas.Invoice:
    """Request an invoice for a contract (or record an issued one by giving its number)."""
    return schemas.Invoice.model_validate(await service.create_invoice(ctx, data))


@router.get(
    "/invoices/{invoice_id}",
    response_model=schemas.Invoice,
    tags=["invoices"],
    responses=problem_responses(NotFound),
)
async def get_invoice(
    invoice_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("receivables"))
) -> schemas.Invoice:
    """One invoice."""
    invoice = schemas.Invoice.model_validate(await service.get_invoice(ctx, invoice_id))
    set_etag(response, invoice.version)
    return invoice


@router.post(
    "/invoices/{invoice_id}/issue",
    response_model=schemas.Invoice,
    tags=["invoices"],
    responses=_WRITE,
)
async def issue_invoice(
    invoice_id: uuid.UUID,
    data: schemas.InvoiceIssue,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("receivables", write=True)),
) -> schemas.Invoice:
    """Mark a requested invoice as issued, with its number."""
    return schemas.Invoice.model_validate(
        await service.issue_invoice(ctx, invoice_id, data, version)
    )


@router.post(
    "/invoices/{invoice_id}/void",
    response_model=schemas.Invoice,
    tags=["invoices"],
    responses=_WRITE,
)
async def void_invoice(
    invoice_id: uuid.UUID,
    data: schemas.InvoiceVoid,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("receivables", write=True)),
) -> schemas.Invoice:
    """Void an invoice (red-letter it); it no longer counts as invoiced."""
    return schemas.Invoice.model_validate(
        await service.void_invoice(ctx, invoice_id, data, version)
    )
