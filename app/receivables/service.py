"""Payment plans, payments and their allocation, invoices.

Money is Decimal throughout and every amount of a contract is in the contract's currency.

Concurrency: every change to a contract's money (plan replacement, a payment, a void)
first locks the contract row (SELECT ... FOR UPDATE), then its installments, and only then
reads what is outstanding. Twenty payments racing on one contract therefore queue and each
sees the allocations of the ones before it: nothing is allocated twice. The check
constraint `allocated_amount <= amount` on installments is the last wall.

Installment status is derived on every read (`installment_status`), never stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, delete, select

from app.auth.dependencies import Ctx
from app.contracts import clock
from app.contracts import service as contracts
from app.contracts.money import ZERO, cents, show
from app.contracts.repository import ContractRepository
from app.core.audit import record_mutation, snapshot
from app.core.pagination import ListParams
from app.core.repository import check_version
from app.errors import Conflict, FieldError, NotFound, UnprocessableEntity
from app.models.contracts import Contract
from app.models.receivables import Installment, Invoice, Payment, PaymentAllocation
from app.receivables import schemas
from app.receivables.repository import (
    RECEIVABLE_STATUSES,
    InstallmentRepository,
    InvoiceRepository,
    PaymentRepository,
    contracts_by_id,
    status_condition,
)

PAYMENT_FIELDS = (
    "contract_id",
    "amount",
    "currency",
    "received_on",
    "method",
    "reference",
    "overpayment",
    "allocated_amount",
    "void_reason",
    "external_source",
    "external_id",
)
INVOICE_FIELDS = (
    "contract_id",
    "number",
    "title",
    "taxpayer_id",
    "invoice_type",
    "amount",
    "tax_rate",
    "tax_amount",
    "currency",
    "issued_on",
    "status",
    "void_reason",
)


class ExceedsOutstanding(Conflict):
    code = "exceeds_outstanding"
    title = "More than is outstanding"


class ContractNotReceivable(Conflict):
    code = "contract_not_active"
    title = "The contract is not approved"


def installment_status(inst: Installment, today: date) -> str:
    """void, paid, overdue (past due and not fully paid), partially_paid or pending."""
    if inst.voided_at is not None:
        return "void"
    if inst.allocated_amount >= inst.amount:
        return "paid"
    if inst.due_date < today:
        return "overdue"
    if inst.allocated_amount > 0:
        return "partially_paid"
    return "pending"


def _field_error(field: str, message: str, detail: str, code: str) -> UnprocessableEntity:
    return UnprocessableEntity(detail, code=code, errors=[FieldError(field=field, message=message)])


async def _contract_for_money(ctx: Ctx, contract_id: uuid.UUID, field: str) -> Contract:
    """The contract row-locked for a money change, within the receivables scope; an
    unknown id named in a body is a field error."""
    try:
        return await ContractRepository(ctx.session, ctx.principal).get_in(
            contract_id, "receivables", lock=True
        )
    except NotFound:
        raise _field_error(
            field, "unknown contract", f"No contract with id {contract_id}.", "invalid_reference"
        ) from None


def _receivable(contract: Contract) -> None:
    if contract.status not in RECEIVABLE_STATUSES:
        raise ContractNotReceivable(
            f"Contract {contract.number} is {contract.status.replace('_', ' ')}; money is "
            "recorded once it is approved.",
            extra={"contract_status": contract.status},
        )


def _currency(contract: Contract, currency: str | None) -> str:
    if currency is not None and currency != contract.currency:
        raise _field_error(
            "body.currency",
            f"must be {contract.currency}, the contract's currency",
            f"Contract {contract.number} is in {contract.currency}; amounts in {currency} "
            "belong to another contract.",
            "currency_mismatch",
        )
    return contract.currency


# --- installments ------------------------------------------------------------------------


async def _shape_installments(
    ctx: Ctx, rows: Sequence[Installment], today: date
) -> list[schemas.Installment]:
    contracts = await contracts_by_id(ctx.session, {i.contract_id for i in rows})
    out = []
    for inst in rows:
        contract, customer_name = contracts[inst.contract_id]
        status = installment_status(inst, today)
        outstanding = ZERO if status == "void" else inst.amount - inst.allocated_amount
        out.append(
            schemas.Installment(
                id=inst.id,
                contract_id=inst.contract_id,
                contract_number=contract.number,
                customer_id=contract.customer_id,
                customer_name=customer_name,
                owner_id=contract.owner_id,
                currency=contract.currency,
                number=inst.number,
                due_date=inst.due_date,
                amount=inst.amount,
                paid=inst.allocated_amount,
                outstanding=outstanding,
                status=schemas.InstallmentStatus(status),
                days_overdue=(today - inst.due_date).days if status == "overdue" else 0,
                note=inst.note,
                voided_at=inst.voided_at,
                void_reason=inst.void_reason,
                updated_at=inst.updated_at,
                version=inst.version,
            )
        )
    return out


async def list_installments(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    *,
    status: str | None,
    contract_id: uuid.UUID | None,
    customer_id: uuid.UUID | None,
    owner_id: uuid.UUID | None,
    due_from: date | None,
    due_to: date | None,
) -> tuple[list[schemas.Installment], str | None, bool]:
    today = await clock.today(ctx.session)
    contracts = select(Contract.id).where(Contract.deleted_at.is_(None))
    if customer_id:
        contracts = contracts.where(Contract.customer_id == customer_id)
    if owner_id:
        contracts = contracts.where(Contract.owner_id == owner_id)
    conds: list[ColumnElement[bool]] = [Installment.contract_id.in_(contracts)]
    if contract_id:
        conds.append(Installment.contract_id == contract_id)
    if status:
        conds.append(status_condition(status, today))
    if due_from:
        conds.append(Installment.due_date >= due_from)
    if due_to:
        conds.append(Installment.due_date <= due_to)
    rows, cursor, more = await InstallmentRepository(ctx.session, ctx.principal).page(
        params, sort, *conds
    )
    return await _shape_installments(ctx, rows, today), cursor, more


async def get_installment(ctx: Ctx, installment_id: uuid.UUID) -> schemas.InstallmentDetail:
    repo = InstallmentRepository(ctx.session, ctx.principal)
    inst = await repo.get(installment_id)
    today = await clock.today(ctx.session)
    shaped = (await _shape_installments(ctx, [inst], today))[0]
    payments = [
        schemas.InstallmentPayment(
            payment_id=p.id,
            amount=a.amount,
            received_on=p.received_on,
            method=schemas.PaymentMethod(p.method),
            reference=p.reference,
        )
        for a, p in await repo.allocations_of([inst.id])
    ]
    return schemas.InstallmentDetail(**shaped.model_dump(), payments=payments)


async def payment_plan(ctx: Ctx, contract_id: uuid.UUID) -> schemas.PaymentPlan:
    contract = await ContractRepository(ctx.session, ctx.principal).get_in(
        contract_id, "receivables"
    )
    return await _plan(ctx, contract)


async def _plan(ctx: Ctx, contract: Contract) -> schemas.PaymentPlan:
    today = await clock.today(ctx.session)
    rows = await InstallmentRepository(ctx.session, ctx.principal).plan(contract.id)
    installments = await _shape_installments(ctx, rows, today)
    live = [i for i in installments if i.status != "void"]
    return schemas.PaymentPlan(
        contract_id=contract.id,
        currency=contract.currency,
        contract_amount=contract.amount,
        planned=sum((i.amount for i in live), ZERO),
        paid=sum((i.paid for i in installments), ZERO),
        outstanding=sum((i.outstanding for i in live), ZERO),
        installments=installments,
    )


def _plan_snapshot(rows: Sequence[Installment]) -> list[dict[str, Any]]:
    return [
        {"id": str(i.id), "due_date": i.due_date.isoformat(), "amount": str(i.amount)}
        for i in rows
        if i.voided_at is None
    ]


async def replace_plan(
    ctx: Ctx, contract_id: uuid.UUID, data: schemas.PaymentPlanReplace, if_match: int | None
) -> schemas.PaymentPlan:
    """Replace the live installments of a contract in one step.

    Listed installments with an `id` are kept and changed, the others are created; live
    installments left out are deleted — refused (409) while payments are allocated to
    them. Void installments are history and stay as they are: the new plan must add up
    exactly (422 naming the difference) to the contract amount less the void installments'
    amounts, i.e. less what was written off and what was paid on them before they were
    voided. Once the contract left the draft, the plan is a manager's decision (a later due
    date or a smaller plan is a concession to the customer).
    """
    contract = await ContractRepository(ctx.session, ctx.principal).get_in(
        contract_id, "receivables", lock=True
    )
    check_version(contract, if_match)
    if contract.status != "draft":
        contracts.require_approver(
            ctx.principal, contract, "change the payment plan of a submitted contract"
        )
    if contract.status == "terminated":
        raise Conflict(
            f"Contract {contract.number} is terminated; its plan is closed.",
            code="contract_state",
            extra={"contract_status": contract.status},
        )
    repo = InstallmentRepository(ctx.session, ctx.principal)
    existing = await repo.plan(contract.id, lock=True)
    by_id = {i.id: i for i in existing}
    before = _plan_snapshot(existing)
    errors: list[FieldError] = []
    listed: set[uuid.UUID] = set()
    for n, item in enumerate(data.installments):
        if item.id is None:
            continue
        inst = by_id.get(item.id)
        if inst is None or inst.voided_at is not None:
            what = "void" if inst is not None else "not an installment of this contract"
            errors.append(FieldError(field=f"body.installments.{n}.id", message=what))
        elif item.id in listed:
            errors.append(FieldError(field=f"body.installments.{n}.id", message="listed twice"))
        elif item.amount < inst.allocated_amount:
            errors.append(
                FieldError(
                    field=f"body.installments.{n}.amount",
                    message=f"below the {inst.allocated_amount} already paid",
                )
            )
        listed.add(item.id)
    if errors:
        raise UnprocessableEntity(
            "Some installments cannot take these values.", code="invalid_plan", errors=errors
        )
    total = sum((item.amount for item in data.installments), ZERO)
    void = [i for i in existing if i.voided_at is not None]
    on_void = sum((i.amount for i in void), ZERO)
    expected = contract.amount - on_void
    if total != expected:
        difference = total - expected
        side = "short" if difference < 0 else "too much"
        written_off = sum((i.amount - i.allocated_amount for i in void), ZERO)
        less = (
            f" less {show(on_void)} on void installments ({show(written_off)} written off, "
            f"{show(on_void - written_off)} paid on them)"
            if void
            else ""
        )
        raise UnprocessableEntity(
            f"The installments add up to {show(total)} {contract.currency} but the contract "
            f"amount{less} is {show(expected)}: {show(abs(difference))} {side}.",
            code="plan_sum_mismatch",
            errors=[
                FieldError(
                    field="body.installments",
                    message=f"sum {cents(total)} differs from "
                    + (
                        "the contract amount less void installments "
                        if void
                        else "contract amount "
                    )
                    + f"{cents(expected)} by {cents(difference)}",
                )
            ],
            extra={
                "planned": str(cents(total)),
                "contract_amount": str(contract.amount),
                "on_void_installments": str(cents(on_void)),
                "expected": str(cents(expected)),
                "difference": str(cents(difference)),
            },
        )
    removed = [i for i in existing if i.voided_at is None and i.id not in listed]
    if paid := [i for i in removed if i.allocated_amount > 0]:
        raise Conflict(
            f"Installment {', '.join(str(i.number) for i in paid)} has payments allocated; "
            "keep it in the plan (its amount can shrink to what was paid) or void the "
            "payments first.",
            code="installment_has_payments",
            extra={"installment_ids": [str(i.id) for i in paid]},
        )
    for inst in removed:
        await ctx.session.delete(inst)
    for item in data.installments:
        if item.id is not None:
            inst = by_id[item.id]
            if inst.due_date != item.due_date:
                # a new due date gets its own reminders
                inst.reminder_notified_at = inst.overdue_notified_at = None
            inst.due_date, inst.amount, inst.note = item.due_date, item.amount, item.note
        else:
            ctx.session.add(
                Installment(
                    workspace_id=contract.workspace_id,
                    contract_id=contract.id,
                    number=0,
                    due_date=item.due_date,
                    amount=item.amount,
                    allocated_amount=ZERO,
                    note=item.note,
                )
            )
    await ctx.session.flush()
    current = await repo.plan(contract.id)
    for n, inst in enumerate(sorted(current, key=lambda i: (i.due_date, i.id)), start=1):
        if inst.number != n:
            inst.number = n
    contract.updated_at = clock.utcnow()  # the plan is part of the contract's version
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="contract",
        action="plan_changed",
        entity_id=contract.id,
        sequence=contract.version,
        before={"installments": before},
        after={"installments": _plan_snapshot(current), "number": contract.number},
    )
    return await _plan(ctx, contract)


async def void_installment(
    ctx: Ctx, installment_id: uuid.UUID, data: schemas.InstallmentVoid
) -> schemas.InstallmentDetail:
    """Write an installment off: nothing more is expected on it (payments stay). A
    manager's decision, never the contract owner's own."""
    contracts.require_approver_role(ctx.principal, "write installments off")
    inst = await InstallmentRepository(ctx.session, ctx.principal).get(installment_id)
    contract = await ContractRepository(ctx.session, ctx.principal).get_in(
        inst.contract_id, "receivables", lock=True
    )
    contracts.require_second_person(ctx.principal, contract, "writes its installments off")
    await ctx.session.refresh(inst, with_for_update=True)
    if inst.voided_at is not None:
        raise Conflict("This installment is already void.", code="installment_void")
    if inst.allocated_amount >= inst.amount:
        raise Conflict("A paid installment is not written off.", code="installment_paid")
    inst.voided_at = clock.utcnow()
    inst.void_reason = data.reason
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="receivable",
        action="voided",
        entity_id=inst.id,
        sequence=inst.version,
        before={"status": "open"},
        after={
            "status": "void",
            "reason": data.reason,
            "contract_id": inst.contract_id,
            "written_off": inst.amount - inst.allocated_amount,
        },
    )
    return await get_installment(ctx, inst.id)


# --- payments ----------------------------------------------------------------------------


def _allocate_oldest_first(
    open_items: Sequence[Installment], amount: Decimal
) -> list[tuple[Installment, Decimal]]:
    """Spread `amount` over the open installments in due-date order."""
    out: list[tuple[Installment, Decimal]] = []
    remaining = amount
    for inst in open_items:
        if remaining <= 0:
            break
        take = min(remaining, inst.amount - inst.allocated_amount)
        if take > 0:
            out.append((inst, take))
            remaining -= take
    return out


def _explicit(
    data: schemas.PaymentCreate, contract: Contract, plan: Sequence[Installment]
) -> list[tuple[Installment, Decimal]]:
    assert data.allocations is not None
    by_id = {i.id: i for i in plan}
    errors: list[FieldError] = []
    over: list[FieldError] = []
    seen: set[uuid.UUID] = set()
    out: list[tuple[Installment, Decimal]] = []
    for n, line in enumerate(data.allocations):
        field = f"body.allocations.{n}"
        inst = by_id.get(line.installment_id)
        if inst is None:
            errors.append(
                FieldError(field=f"{field}.installment_id", message="not of this contract")
            )
        elif line.installment_id in seen:
            errors.append(FieldError(field=f"{field}.installment_id", message="listed twice"))
        elif inst.voided_at is not None:
            errors.append(FieldError(field=f"{field}.installment_id", message="void"))
        elif line.amount > inst.amount - inst.allocated_amount:
            over.append(
                FieldError(
                    field=f"{field}.amount",
                    message=f"only {inst.amount - inst.allocated_amount} outstanding",
                )
            )
        else:
            out.append((inst, line.amount))
        seen.add(line.installment_id)
    if errors:
        raise UnprocessableEntity(
            "Some allocations name installments that cannot take money.",
            code="invalid_allocation",
            errors=errors,
        )
    if over:
        raise ExceedsOutstanding(
            "An allocation is larger than what is outstanding on its installment.", errors=over
        )
    allocated = sum((a for _, a in out), ZERO)
    if allocated > data.amount or (allocated < data.amount and not data.overpayment):
        raise UnprocessableEntity(
            f"The allocations add up to {show(allocated)} but the payment is "
            f"{show(data.amount)} {contract.currency}"
            + (
                "." if allocated > data.amount else "; allocate the rest or mark it as overpayment."
            ),
            code="allocation_mismatch",
            errors=[FieldError(field="body.allocations", message="sum differs from amount")],
        )
    return out


async def create_payment(ctx: Ctx, data: schemas.PaymentCreate) -> Payment:
    """Record money received and allocate it (explicitly, or oldest installment first)."""
    contract = await _contract_for_money(ctx, data.contract_id, "body.contract_id")
    _receivable(contract)
    currency = _currency(contract, data.currency)
    today = await clock.today(ctx.session)
    received_on = data.received_on or today
    if received_on > today:
        raise _field_error(
            "body.received_on", "in the future", "Money cannot be received tomorrow.", "in_future"
        )
    await PaymentRepository(ctx.session, ctx.principal).ensure_external_id_free(
        data.external_source, data.external_id, None
    )
    plan = await InstallmentRepository(ctx.session, ctx.principal).plan(contract.id, lock=True)
    open_items = [i for i in plan if i.voided_at is None and i.allocated_amount < i.amount]
    outstanding = sum((i.amount - i.allocated_amount for i in open_items), ZERO)
    if data.allocations is not None:
        lines = _explicit(data, contract, plan)
    else:
        if data.amount > outstanding and not data.overpayment:
            raise ExceedsOutstanding(
                f"Only {show(outstanding)} {currency} is outstanding on contract "
                f"{contract.number}; a payment of {show(data.amount)} would exceed it. Mark "
                "it as an overpayment to keep the rest as credit.",
                errors=[FieldError(field="body.amount", message=f"outstanding is {outstanding}")],
                extra={"outstanding": str(outstanding)},
            )
        lines = _allocate_oldest_first(open_items, data.amount)
    payment = Payment(
        workspace_id=contract.workspace_id,
        contract_id=contract.id,
        amount=data.amount,
        currency=currency,
        received_on=received_on,
        method=data.method.value,
        reference=data.reference,
        overpayment=data.overpayment,
        allocated_amount=sum((a for _, a in lines), ZERO),
        notes=data.notes,
        external_source=data.external_source,
        external_id=data.external_id,
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(payment)
    await ctx.session.flush()
    for inst, amount in lines:
        inst.allocated_amount += amount
        ctx.session.add(
            PaymentAllocation(
                workspace_id=contract.workspace_id,
                payment_id=payment.id,
                installment_id=inst.id,
                amount=amount,
            )
        )
    await ctx.session.flush()
    allocations = [{"installment_id": str(i.id), "amount": str(a)} for i, a in lines]
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="payment",
        action="created",
        entity_id=payment.id,
        sequence=payment.version,
        before=None,
        after={**snapshot(payment, PAYMENT_FIELDS), "allocations": allocations},
    )
    for inst, _ in lines:
        if inst.allocated_amount >= inst.amount:
            await record_mutation(
                ctx.session,
                ctx.principal,
                entity="receivable",
                action="paid",
                entity_id=inst.id,
                sequence=inst.version,
                before=None,
                after={
                    "contract_id": contract.id,
                    "number": inst.number,
                    "amount": inst.amount,
                    "payment_id": payment.id,
                },
            )
    return payment


async def shape_payments(ctx: Ctx, rows: Sequence[Payment]) -> list[schemas.Payment]:
    repo = PaymentRepository(ctx.session, ctx.principal)
    contracts = await contracts_by_id(ctx.session, {p.contract_id for p in rows})
    allocations = await repo.allocations([p.id for p in rows])
    installments = {
        i.id: i
        for i in (
            await ctx.session.execute(
                select(Installment).where(
                    Installment.id.in_({a.installment_id for a in allocations})
                )
            )
        ).scalars()
    }
    lines: dict[uuid.UUID, list[schemas.PaymentAllocationLine]] = {}
    for a in allocations:
        inst = installments[a.installment_id]
        lines.setdefault(a.payment_id, []).append(
            schemas.PaymentAllocationLine(
                installment_id=inst.id,
                installment_number=inst.number,
                due_date=inst.due_date,
                amount=a.amount,
            )
        )
    out = []
    for p in rows:
        contract, customer_name = contracts[p.contract_id]
        out.append(
            schemas.Payment(
                id=p.id,
                contract_id=p.contract_id,
                contract_number=contract.number,
                customer_id=contract.customer_id,
                customer_name=customer_name,
                amount=p.amount,
                currency=p.currency,
                received_on=p.received_on,
                method=schemas.PaymentMethod(p.method),
                reference=p.reference,
                overpayment=p.overpayment,
                allocated=p.allocated_amount,
                credit=ZERO if p.voided_at else p.amount - p.allocated_amount,
                allocations=sorted(lines.get(p.id, []), key=lambda line: line.installment_number),
                external_source=p.external_source,
                external_id=p.external_id,
                voided_at=p.voided_at,
                void_reason=p.void_reason,
                notes=p.notes,
                created_by=p.created_by,
                created_at=p.created_at,
                version=p.version,
            )
        )
    return out


async def list_payments(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    *,
    contract_id: uuid.UUID | None,
    customer_id: uuid.UUID | None,
    method: str | None,
    received_from: date | None,
    received_to: date | None,
    voided: bool | None,
) -> tuple[list[schemas.Payment], str | None, bool]:
    conds: list[ColumnElement[bool]] = []
    if contract_id:
        conds.append(Payment.contract_id == contract_id)
    if customer_id:
        conds.append(
            Payment.contract_id.in_(select(Contract.id).where(Contract.customer_id == customer_id))
        )
    if method:
        conds.append(Payment.method == method)
    if received_from:
        conds.append(Payment.received_on >= received_from)
    if received_to:
        conds.append(Payment.received_on <= received_to)
    if voided is not None:
        conds.append(Payment.voided_at.is_not(None) if voided else Payment.voided_at.is_(None))
    rows, cursor, more = await PaymentRepository(ctx.session, ctx.principal).page(
        params, sort, *conds
    )
    return await shape_payments(ctx, rows), cursor, more


async def get_payment(ctx: Ctx, payment_id: uuid.UUID) -> Payment:
    return await PaymentRepository(ctx.session, ctx.principal).get(payment_id)


async def void_payment(ctx: Ctx, payment_id: uuid.UUID, data: schemas.PaymentVoid) -> Payment:
    """Void a payment recorded in error: its allocations are freed, the installments owe
    that money again; the payment stays visible as void."""
    payment = await PaymentRepository(ctx.session, ctx.principal).get(payment_id)
    await ContractRepository(ctx.session, ctx.principal).get_in(
        payment.contract_id, "receivables", lock=True
    )
    await ctx.session.refresh(payment, with_for_update=True)
    if payment.voided_at is not None:
        raise Conflict("This payment is already void.", code="payment_void")
    before = snapshot(payment, PAYMENT_FIELDS)
    allocations = await PaymentRepository(ctx.session, ctx.principal).allocations([payment.id])
    installments = {
        i.id: i
        for i in await InstallmentRepository(ctx.session, ctx.principal).plan(
            payment.contract_id, lock=True
        )
    }
    freed = []
    for a in allocations:
        inst = installments[a.installment_id]
        inst.allocated_amount -= a.amount
        freed.append({"installment_id": str(inst.id), "amount": str(a.amount)})
    await ctx.session.execute(
        delete(PaymentAllocation).where(PaymentAllocation.payment_id == payment.id)
    )
    payment.allocated_amount = ZERO
    payment.voided_at = clock.utcnow()
    payment.void_reason = data.reason
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="payment",
        action="voided",
        entity_id=payment.id,
        sequence=payment.version,
        before=before,
        after={**snapshot(payment, PAYMENT_FIELDS), "freed": freed},
    )
    return payment


# --- invoices ----------------------------------------------------------------------------

TAX_CENT = Decimal("0.01")


def tax_included(amount: Decimal, rate: Decimal) -> Decimal:
    """The tax inside a tax-inclusive amount: amount × rate / (1 + rate), HALF_UP."""
    return (amount * rate / (1 + rate)).quantize(TAX_CENT, rounding=ROUND_HALF_UP)


async def create_invoice(ctx: Ctx, data: schemas.InvoiceCreate) -> Invoice:
    """Request an invoice (or record an issued one when `number` is given). The invoices
    of a contract that are not void never add up to more than the contract amount."""
    contract = await _contract_for_money(ctx, data.contract_id, "body.contract_id")
    _receivable(contract)
    currency = _currency(contract, data.currency)
    if data.invoice_type is schemas.InvoiceType.special and not data.taxpayer_id:
        raise _field_error(
            "body.taxpayer_id",
            "required for a special VAT invoice",
            "A 专票 (special VAT invoice) needs the buyer's taxpayer id.",
            "taxpayer_id_required",
        )
    repo = InvoiceRepository(ctx.session, ctx.principal)
    invoiced = await repo.open_total(contract.id)
    if invoiced + data.amount > contract.amount:
        left = contract.amount - invoiced
        raise Conflict(
            f"Contract {contract.number} is {show(contract.amount)} {currency} and "
            f"{show(invoiced)} is already invoiced; at most {show(left)} can still be invoiced.",
            code="invoice_exceeds_contract",
            errors=[FieldError(field="body.amount", message=f"at most {left}")],
        )
    if data.number is not None:
        await _number_free(repo, data.number)
    invoice = Invoice(
        workspace_id=contract.workspace_id,
        contract_id=contract.id,
        number=data.number,
        title=data.title,
        taxpayer_id=data.taxpayer_id,
        invoice_type=data.invoice_type.value,
        amount=data.amount,
        tax_rate=data.tax_rate,
        tax_amount=tax_included(data.amount, data.tax_rate),
        currency=currency,
        issued_on=(data.issued_on or await clock.today(ctx.session)) if data.number else None,
        status="issued" if data.number else "requested",
        notes=data.notes,
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(invoice)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="invoice",
        action="created",
        entity_id=invoice.id,
        sequence=invoice.version,
        before=None,
        after=snapshot(invoice, INVOICE_FIELDS),
    )
    return invoice


async def _number_free(
    repo: InvoiceRepository, number: str, exclude: uuid.UUID | None = None
) -> None:
    if await repo.number_taken(number, exclude):
        raise Conflict(
            f"Invoice number {number} is already used.",
            code="invoice_number_taken",
            errors=[FieldError(field="body.number", message="already used")],
        )


async def list_invoices(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    *,
    contract_id: uuid.UUID | None,
    status: str | None,
) -> tuple[Sequence[Invoice], str | None, bool]:
    conds: list[ColumnElement[bool]] = []
    if contract_id:
        conds.append(Invoice.contract_id == contract_id)
    if status:
        conds.append(Invoice.status == status)
    return await InvoiceRepository(ctx.session, ctx.principal).page(params, sort, *conds)


async def get_invoice(ctx: Ctx, invoice_id: uuid.UUID) -> Invoice:
    return await InvoiceRepository(ctx.session, ctx.principal).get(invoice_id)


async def _invoice_for_change(ctx: Ctx, invoice_id: uuid.UUID, if_match: int | None) -> Invoice:
    invoice = await InvoiceRepository(ctx.session, ctx.principal).get(invoice_id)
    await ContractRepository(ctx.session, ctx.principal).get_in(
        invoice.contract_id, "receivables", lock=True
    )
    await ctx.session.refresh(invoice, with_for_update=True)
    check_version(invoice, if_match)
    return invoice


async def issue_invoice(
    ctx: Ctx, invoice_id: uuid.UUID, data: schemas.InvoiceIssue, if_match: int | None
) -> Invoice:
    invoice = await _invoice_for_change(ctx, invoice_id, if_match)
    if invoice.status != "requested":
        raise Conflict(
            f"The invoice is {invoice.status}; only a requested invoice is issued.",
            code="invoice_state",
        )
    await _number_free(InvoiceRepository(ctx.session, ctx.principal), data.number, invoice.id)
    before = snapshot(invoice, INVOICE_FIELDS)
    invoice.number = data.number
    invoice.issued_on = data.issued_on or await clock.today(ctx.session)
    invoice.status = "issued"
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="invoice",
        action="issued",
        entity_id=invoice.id,
        sequence=invoice.version,
        before=before,
        after=snapshot(invoice, INVOICE_FIELDS),
    )
    return invoice


async def void_invoice(
    ctx: Ctx, invoice_id: uuid.UUID, data: schemas.InvoiceVoid, if_match: int | None
) -> Invoice:
    invoice = await _invoice_for_change(ctx, invoice_id, if_match)
    if invoice.status == "void":
        raise Conflict("The invoice is already void.", code="invoice_state")
    before = snapshot(invoice, INVOICE_FIELDS)
    invoice.status = "void"
    invoice.void_reason = data.reason
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="invoice",
        action="voided",
        entity_id=invoice.id,
        sequence=invoice.version,
        before=before,
        after=snapshot(invoice, INVOICE_FIELDS),
    )
    return invoice
