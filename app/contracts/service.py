"""Contracts: numbering, the one-step approval, termination, and the hooks that tie
contracts to their customers (transfer, handover, pool reclaim).

Life cycle: draft → (submit) pending_approval → (approve) active | (reject) draft;
active → (terminate) terminated; active → expired by the daily job once `ends_on` passed.
Only managers, admins and owners decide (approve, terminate, write off, re-plan a submitted
contract), within their data scope, and a manager never on a contract they own or submitted;
every step is audited with its comment. A contract from a deal has the deal's customer and
currency, whichever of them changes. Once approved, the money terms (customer, deal, amount,
currency, sign and start dates) are fixed: a different deal is a new contract (terminate this
one), so receivables never silently change under recorded payments. Title, notes, owner and
the end date stay editable; a contract always has an owner.

A customer with contracts is not deleted (a delete guard, and the foreign key refuses it).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import Ctx
from app.contracts import clock, schemas
from app.contracts.money import show
from app.contracts.repository import (
    ContractRepository,
    count_of_customer,
    count_open_owned,
    next_number,
)
from app.core import hooks
from app.core.audit import record_mutation, snapshot
from app.core.filtering import contains_pattern
from app.core.pagination import ListParams
from app.core.principal import Principal, Role
from app.core.scope import readable_statement
from app.customers import service as customers
from app.customers.repository import user_is_active
from app.errors import Conflict, FieldError, Forbidden, NotFound, UnprocessableEntity
from app.models.contracts import Contract
from app.models.customer import Customer, Notification
from app.models.pipeline import Opportunity
from app.models.receivables import Installment
from app.models.workspace import Workspace
from app.receivables import repository as receivables

CONTRACT_FIELDS = (
    "number",
    "title",
    "customer_id",
    "opportunity_id",
    "owner_id",
    "amount",
    "currency",
    "signed_on",
    "starts_on",
    "ends_on",
    "status",
    "decision_comment",
    "termination_reason",
)

#: fixed once a contract left the draft state
MONEY_TERMS = frozenset(
    {"customer_id", "opportunity_id", "amount", "currency", "signed_on", "starts_on"}
)

DEFAULT_SETTINGS: dict[str, Any] = {
    "number_prefix": "HT",
    "renewal_reminder_days": 30,
    "payment_reminder_days": 3,
}


class ContractStateConflict(Conflict):
    code = "contract_state"
    title = "The contract's status does not allow this"


class ApproverRequired(Forbidden):
    code = "approver_required"
    title = "A manager, admin or owner decides this"


class SelfApproval(Forbidden):
    code = "self_approval"
    title = "Someone else must decide on this contract"


def require_approver_role(principal: Principal, what: str) -> None:
    """Approving, terminating and writing money off are decisions of managers, admins and
    owners: a rep cannot approve, shorten or reschedule what they will be measured on."""
    if not principal.is_manager:
        raise ApproverRequired(f"Only managers, admins and owners {what}.")


def require_second_person(principal: Principal, contract: Contract, what: str) -> None:
    """A manager does not decide on a contract they own or submitted (owners and admins
    may: someone has to, in a small company)."""
    if principal.role is Role.manager and principal.user_id in (
        contract.owner_id,
        contract.submitted_by,
    ):
        raise SelfApproval(
            f"You own or submitted contract {contract.number}; another manager, an admin or "
            f"the workspace owner {what}.",
        )


def require_approver(principal: Principal, contract: Contract, what: str) -> None:
    require_approver_role(principal, what)
    require_second_person(principal, contract, what)


# --- settings ----------------------------------------------------------------------------


async def contract_settings(session: AsyncSession) -> schemas.ContractSettings:
    raw = (await session.execute(select(Workspace.settings))).scalar_one_or_none() or {}
    return schemas.ContractSettings(**{**DEFAULT_SETTINGS, **raw.get("contracts", {})})


async def get_settings(ctx: Ctx) -> schemas.ContractSettings:
    return await contract_settings(ctx.session)


async def update_settings(
    ctx: Ctx, data: schemas.ContractSettingsUpdate
) -> schemas.ContractSettings:
    """Number prefix and reminder lead times (owners and admins)."""
    if not ctx.principal.is_admin:
        raise Forbidden("Only owners and admins change contract settings.")
    workspace = (await ctx.session.execute(select(Workspace).with_for_update())).scalar_one()
    before = dict(workspace.settings.get("contracts", {}))
    conf = {**before, **data.model_dump(exclude_unset=True, exclude_none=True)}
    workspace.settings = {**workspace.settings, "contracts": conf}
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="workspace",
        action="updated",
        entity_id=workspace.id,
        sequence=workspace.version,
        before={"contracts": before},
        after={"contracts": conf},
    )
    return await contract_settings(ctx.session)


# --- reading -----------------------------------------------------------------------------


async def shape(ctx: Ctx, rows: Sequence[Contract]) -> list[schemas.Contract]:
    """Contracts as the API shows them: with their customer's name and money totals."""
    today = await clock.today(ctx.session)
    repo = ContractRepository(ctx.session, ctx.principal)
    names = await repo.customer_names({c.customer_id for c in rows})
    totals = await receivables.contract_totals(ctx.session, [c.id for c in rows], today)
    out = []
    for c in rows:
        fields = {
            name: getattr(c, name)
            for name in schemas.Contract.model_fields
            if name not in ("customer_name", "totals")
        }
        out.append(
            schemas.Contract.model_validate(
                {**fields, "customer_name": names.get(c.customer_id), "totals": totals[c.id]}
            )
        )
    return out


async def list_contracts(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    *,
    q: str | None,
    status: str | None,
    customer_id: uuid.UUID | None,
    owner_id: uuid.UUID | None,
    opportunity_id: uuid.UUID | None,
    ends_before: date | None,
) -> tuple[Sequence[Contract], str | None, bool]:
    conds: list[ColumnElement[bool]] = []
    if q:
        pattern = contains_pattern(q)
        conds.append(Contract.number.ilike(pattern) | Contract.title.ilike(pattern))
    if status:
        conds.append(Contract.status == status)
    if customer_id:
        conds.append(Contract.customer_id == customer_id)
    if owner_id:
        conds.append(Contract.owner_id == owner_id)
    if opportunity_id:
        conds.append(Contract.opportunity_id == opportunity_id)
    if ends_before:
        conds.append(Contract.ends_on < ends_before)
    return await ContractRepository(ctx.session, ctx.principal).page(params, sort, *conds)


async def get_contract(ctx: Ctx, contract_id: uuid.UUID) -> Contract:
    return await ContractRepository(ctx.session, ctx.principal).get(contract_id)


# --- writing -----------------------------------------------------------------------------


def _invalid(field: str, message: str, detail: str, code: str = "invalid_reference") -> Exception:
    return UnprocessableEntity(
        detail, code=code, errors=[FieldError(field=f"body.{field}", message=message)]
    )


async def _customer(ctx: Ctx, customer_id: uuid.UUID) -> Customer:
    try:
        return await customers.get_customer(ctx, customer_id)
    except NotFound:
        raise _invalid(
            "customer_id", "unknown customer", f"No customer with id {customer_id}."
        ) from None


async def _opportunity(ctx: Ctx, opportunity_id: uuid.UUID) -> Opportunity:
    deal = (
        await ctx.session.execute(
            readable_statement(Opportunity, ctx.principal).where(Opportunity.id == opportunity_id)
        )
    ).scalar_one_or_none()
    if deal is None:
        raise _invalid("opportunity_id", "unknown deal", f"No deal with id {opportunity_id}.")
    if deal.status == "lost":
        raise Conflict("This deal is lost; a contract needs an open or won deal.", code="deal_lost")
    return deal


async def _owner(ctx: Ctx, owner_id: uuid.UUID) -> uuid.UUID:
    if owner_id != ctx.principal.user_id and not ctx.principal.is_manager:
        raise Forbidden("Only managers and admins give contracts to others.")
    if not await user_is_active(ctx.session, owner_id):
        raise _invalid("owner_id", "unknown or inactive user", "Unknown or inactive owner.")
    return owner_id


def _currency_mismatch(deal_currency: str, currency: str) -> Exception:
    return _invalid(
        "currency",
        f"must be {deal_currency}, the deal's currency",
        f"The deal is in {deal_currency}; a contract from it is in {deal_currency} too, "
        f"not {currency} (one currency per contract).",
        "currency_mismatch",
    )


async def _deal_terms(session: AsyncSession, opportunity_id: uuid.UUID) -> tuple[uuid.UUID, str]:
    """Customer and currency of the deal a contract already points at (whoever can see it)."""
    row = (
        await session.execute(
            select(Opportunity.customer_id, Opportunity.currency).where(
                Opportunity.id == opportunity_id
            )
        )
    ).one()
    return row.customer_id, row.currency


def _check_period(contract: Contract) -> None:
    if contract.starts_on and contract.ends_on and contract.ends_on < contract.starts_on:
        raise _invalid(
            "ends_on", "before starts_on", "The contract ends before it starts.", "invalid_dates"
        )


async def create_contract(ctx: Ctx, data: schemas.ContractCreate) -> Contract:
    deal = await _opportunity(ctx, data.opportunity_id) if data.opportunity_id else None
    customer_id = data.customer_id or (deal.customer_id if deal else None)
    if customer_id is None:
        raise _invalid("customer_id", "required", "Name the customer (or the deal).", "required")
    if deal is not None and deal.customer_id != customer_id:
        raise _invalid(
            "opportunity_id",
            "belongs to another customer",
            "The deal belongs to another customer.",
            "deal_customer_mismatch",
        )
    if deal is not None and data.currency is not None and data.currency != deal.currency:
        raise _currency_mismatch(deal.currency, data.currency)
    await _customer(ctx, customer_id)
    amount = data.amount if data.amount is not None else (deal.amount if deal else None)
    if amount is None:
        raise _invalid("amount", "required", "Give the contract amount (or a deal).", "required")
    title = data.title or (deal.name if deal else None)
    if title is None:
        raise _invalid("title", "required", "Give the contract a title.", "required")
    owner_id = await _owner(ctx, data.owner_id or ctx.principal.user_id)
    settings = await contract_settings(ctx.session)
    year = (await clock.today(ctx.session)).year
    sequence = await next_number(ctx.session, ctx.principal.workspace_id, year)
    contract = Contract(
        workspace_id=ctx.principal.workspace_id,
        number=f"{settings.number_prefix}-{year}-{sequence:04d}",
        title=title,
        customer_id=customer_id,
        opportunity_id=data.opportunity_id,
        owner_id=owner_id,
        amount=amount,
        currency=data.currency or (deal.currency if deal else "CNY"),
        signed_on=data.signed_on,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        status="draft",
        notes=data.notes,
        created_by=ctx.principal.user_id,
    )
    _check_period(contract)
    ctx.session.add(contract)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="contract",
        action="created",
        entity_id=contract.id,
        sequence=contract.version,
        before=None,
        after=snapshot(contract, CONTRACT_FIELDS),
    )
    return contract


async def update_contract(
    ctx: Ctx, contract_id: uuid.UUID, data: schemas.ContractUpdate, if_match: int | None
) -> Contract:
    repo = ContractRepository(ctx.session, ctx.principal)
    contract = await repo.get_writable(contract_id, if_match=if_match)
    fields = set(data.model_fields_set)
    changing = {f for f in fields if getattr(data, f) != getattr(contract, f)}
    if contract.status == "pending_approval" and changing - {"notes"}:
        raise ContractStateConflict(
            "The contract is waiting for approval; a manager rejects it back to draft "
            "before it changes.",
            code="contract_under_review",
        )
    if contract.status != "draft" and (locked := sorted(changing & MONEY_TERMS)):
        raise ContractStateConflict(
            f"The {', '.join(locked)} of an approved contract cannot change. Terminate it "
            "(POST /contracts/{id}/terminate) and create a new contract for the new terms.",
            code="contract_locked",
            errors=[FieldError(field=f"body.{f}", message="fixed once approved") for f in locked],
        )
    if contract.status in ("expired", "terminated") and "ends_on" in changing:
        raise ContractStateConflict(
            "An ended contract's end date cannot change; create a renewal contract.",
            code="contract_locked",
            errors=[FieldError(field="body.ends_on", message="contract has ended")],
        )
    # a contract always has an owner: the one who collects the money
    for name in ("title", "amount", "currency", "customer_id", "owner_id"):
        if name in fields and getattr(data, name) is None:
            raise _invalid(name, "cannot be null", f"{name} cannot be empty.", "validation_error")
    before = snapshot(contract, CONTRACT_FIELDS)
    customer_id = data.customer_id if "customer_id" in fields else contract.customer_id
    opportunity_id = data.opportunity_id if "opportunity_id" in fields else contract.opportunity_id
    currency = data.currency if "currency" in fields else contract.currency
    assert customer_id is not None  # null refused above
    assert currency is not None
    if "customer_id" in changing:
        await _customer(ctx, customer_id)
    # the deal, the customer and the currency agree whichever of them changes
    if opportunity_id is not None and changing & {"customer_id", "opportunity_id", "currency"}:
        if "opportunity_id" in changing:
            deal = await _opportunity(ctx, opportunity_id)
            deal_customer, deal_currency = deal.customer_id, deal.currency
        else:
            deal_customer, deal_currency = await _deal_terms(ctx.session, opportunity_id)
        if deal_customer != customer_id:
            field = "opportunity_id" if "opportunity_id" in changing else "customer_id"
            raise _invalid(
                field,
                "the deal belongs to another customer",
                "The deal belongs to another customer; change or clear opportunity_id "
                "together with the customer.",
                "deal_customer_mismatch",
            )
        if deal_currency != currency:
            raise _currency_mismatch(deal_currency, currency)
    if "owner_id" in changing:
        if not ctx.principal.is_manager:
            raise Forbidden("Only managers and admins reassign contracts.")
        assert data.owner_id is not None
        await _owner(ctx, data.owner_id)
    for name in changing:
        setattr(contract, name, getattr(data, name))
    if "ends_on" in changing:
        contract.renewal_notified_at = None  # a new end date gets its own reminder
    _check_period(contract)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="contract",
        action="updated",
        entity_id=contract.id,
        sequence=contract.version,
        before=before,
        after=snapshot(contract, CONTRACT_FIELDS),
    )
    return contract


async def delete_contract(ctx: Ctx, contract_id: uuid.UUID, if_match: int | None) -> None:
    contract = await ContractRepository(ctx.session, ctx.principal).get_writable(
        contract_id, if_match=if_match
    )
    if contract.status != "draft":
        raise ContractStateConflict(
            "Only drafts are deleted; terminate an approved contract instead.",
            code="contract_not_draft",
        )
    before = snapshot(contract, CONTRACT_FIELDS)
    contract.deleted_at = clock.utcnow()
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="contract",
        action="deleted",
        entity_id=contract.id,
        sequence=contract.version,
        before=before,
        after=None,
    )


# --- approval ----------------------------------------------------------------------------


async def _plan_matches(ctx: Ctx, contract: Contract) -> None:
    """The live installments cover the contract amount less what void installments held
    (written off, or paid on them before they were voided): the rule of replace_plan."""
    live = Installment.voided_at.is_(None)
    planned, voided = (
        await ctx.session.execute(
            select(
                func.coalesce(func.sum(Installment.amount).filter(live), 0),
                func.coalesce(func.sum(Installment.amount).filter(~live), 0),
            ).where(Installment.contract_id == contract.id)
        )
    ).one()
    planned, expected = Decimal(planned), contract.amount - Decimal(voided)
    if planned and planned != expected:
        less = f" less {show(Decimal(voided))} on void installments" if voided else ""
        raise UnprocessableEntity(
            f"The payment plan adds up to {show(planned)} {contract.currency} but the contract "
            f"amount{less} is {show(expected)}; fix the plan or the amount first.",
            code="plan_sum_mismatch",
            errors=[FieldError(field="payment_plan", message="sum differs from contract amount")],
        )


async def _decide(
    ctx: Ctx,
    contract_id: uuid.UUID,
    if_match: int | None,
    *,
    expected: str,
    new_status: str,
    action: str,
    comment: str | None,
    approver: bool,
) -> Contract:
    if approver:
        require_approver_role(ctx.principal, "approve or reject contracts")
    contract = await ContractRepository(ctx.session, ctx.principal).get_writable(
        contract_id, if_match=if_match
    )
    if action == "approved":
        require_second_person(ctx.principal, contract, "approves it")
    if contract.status != expected:
        raise ContractStateConflict(
            f"The contract is {contract.status}; only a {expected.replace('_', ' ')} "
            f"contract can be {action}.",
            extra={"contract_status": contract.status},
        )
    before = snapshot(contract, CONTRACT_FIELDS)
    now = clock.utcnow()
    if action == "submitted":
        await _plan_matches(ctx, contract)
        contract.submitted_at, contract.submitted_by = now, ctx.principal.user_id
    elif approver:
        if action == "approved":
            await _plan_matches(ctx, contract)
        contract.decided_at, contract.decided_by = now, ctx.principal.user_id
        contract.decision_comment = comment
    contract.status = new_status
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="contract",
        action=action,
        entity_id=contract.id,
        sequence=contract.version,
        before=before,
        after={**snapshot(contract, CONTRACT_FIELDS), "comment": comment},
    )
    if approver and contract.owner_id and contract.owner_id != ctx.principal.user_id:
        verb = {"approved": ("已通过", "approved"), "rejected": ("被退回", "rejected")}[action]
        ctx.session.add(
            Notification(
                workspace_id=contract.workspace_id,
                user_id=contract.owner_id,
                kind=f"contract_{action}",
                title=f"合同 {contract.number} {verb[0]} / Contract {contract.number} {verb[1]}",
                entity="contract",
                entity_id=contract.id,
                data={"comment": comment, "by": str(ctx.principal.user_id)},
            )
        )
    return contract


async def submit(
    ctx: Ctx, contract_id: uuid.UUID, data: schemas.ContractComment, if_match: int | None
) -> Contract:
    return await _decide(
        ctx,
        contract_id,
        if_match,
        expected="draft",
        new_status="pending_approval",
        action="submitted",
        comment=data.comment,
        approver=False,
    )


async def approve(
    ctx: Ctx, contract_id: uuid.UUID, data: schemas.ContractComment, if_match: int | None
) -> Contract:
    return await _decide(
        ctx,
        contract_id,
        if_match,
        expected="pending_approval",
        new_status="active",
        action="approved",
        comment=data.comment,
        approver=True,
    )


async def reject(
    ctx: Ctx, contract_id: uuid.UUID, data: schemas.ContractRejection, if_match: int | None
) -> Contract:
    return await _decide(
        ctx,
        contract_id,
        if_match,
        expected="pending_approval",
        new_status="draft",
        action="rejected",
        comment=data.comment,
        approver=True,
    )


async def terminate(
    ctx: Ctx, contract_id: uuid.UUID, data: schemas.ContractTermination, if_match: int | None
) -> Contract:
    require_approver_role(ctx.principal, "terminate contracts")
    contract = await ContractRepository(ctx.session, ctx.principal).get_writable(
        contract_id, if_match=if_match
    )
    require_second_person(ctx.principal, contract, "terminates it")
    if contract.status != "active":
        raise ContractStateConflict(
            f"The contract is {contract.status}; only an active contract is terminated.",
            extra={"contract_status": contract.status},
        )
    before = snapshot(contract, CONTRACT_FIELDS)
    now = clock.utcnow()
    contract.status = "terminated"
    contract.terminated_at = now
    contract.termination_reason = data.reason
    voided: list[str] = []
    if data.void_unpaid_installments:
        result = await ctx.session.execute(
            update(Installment)
            .where(
                Installment.contract_id == contract.id,
                Installment.voided_at.is_(None),
                Installment.allocated_amount < Installment.amount,
            )
            .values(
                voided_at=now,
                void_reason=f"contract terminated: {data.reason}"[:500],
                version=Installment.version + 1,
            )
            .returning(Installment.id)
            .execution_options(synchronize_session=False)
        )
        voided = [str(i) for i in result.scalars()]
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="contract",
        action="terminated",
        entity_id=contract.id,
        sequence=contract.version,
        before=before,
        after={**snapshot(contract, CONTRACT_FIELDS), "voided_installments": voided},
    )
    return contract


# --- hooks: contracts follow their customer; active ones keep it out of the pool ----------


def has_active_contract() -> ColumnElement[bool]:
    """Reclaim exemption: the customer has an active contract."""
    return exists().where(
        Contract.workspace_id == Customer.workspace_id,
        Contract.customer_id == Customer.id,
        Contract.status == "active",
        Contract.deleted_at.is_(None),
    )


async def _move(
    session: AsyncSession,
    principal: Principal,
    conditions: list[ColumnElement[bool]],
    from_user_id: uuid.UUID,
    to_user_id: uuid.UUID,
) -> int:
    result = await session.execute(
        update(Contract)
        .where(*conditions, Contract.deleted_at.is_(None))
        .values(owner_id=to_user_id, version=Contract.version + 1)
        .returning(Contract.id, Contract.version, Contract.number)
        .execution_options(synchronize_session=False)
    )
    rows = result.all()
    for contract_id, version, number in rows:
        await record_mutation(
            session,
            principal,
            entity="contract",
            action="updated",
            entity_id=contract_id,
            sequence=version,
            before={"owner_id": from_user_id, "number": number},
            after={"owner_id": to_user_id, "number": number},
        )
    return len(rows)


async def move_with_customers(
    session: AsyncSession, principal: Principal, move: hooks.OwnershipMove
) -> dict[str, int]:
    """A transfer, handover or upheld dispute: the customers' contracts held by the
    previous owner go to the new one (the new owner collects what is still owed)."""
    if move.from_user_id is None or move.to_user_id is None or not move.customer_ids:
        return {}
    moved = await _move(
        session,
        principal,
        [Contract.customer_id.in_(move.customer_ids), Contract.owner_id == move.from_user_id],
        move.from_user_id,
        move.to_user_id,
    )
    return {"contracts": moved} if moved else {}


async def hand_over(
    session: AsyncSession, principal: Principal, from_user_id: uuid.UUID, to_user_id: uuid.UUID
) -> dict[str, int]:
    """Contracts a departing user still owns on other people's customers."""
    moved = await _move(
        session, principal, [Contract.owner_id == from_user_id], from_user_id, to_user_id
    )
    return {"contracts": moved} if moved else {}


async def follow_merge(
    session: AsyncSession, principal: Principal, duplicate_id: uuid.UUID, survivor_id: uuid.UUID
) -> dict[str, int]:
    """A merged-away customer's contracts belong to the survivor (and so does the money)."""
    result = await session.execute(
        update(Contract)
        .where(Contract.customer_id == duplicate_id)
        .values(customer_id=survivor_id, version=Contract.version + 1)
        .returning(Contract.id, Contract.version, Contract.number)
        .execution_options(synchronize_session=False)
    )
    rows = result.all()
    for contract_id, version, number in rows:
        await record_mutation(
            session,
            principal,
            entity="contract",
            action="updated",
            entity_id=contract_id,
            sequence=version,
            before={"customer_id": duplicate_id, "number": number},
            after={"customer_id": survivor_id, "number": number},
        )
    return {"contracts": len(rows)} if rows else {}


async def owned_open(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    return {"contracts": await count_open_owned(session, user_id)}


async def block_customer_delete(session: AsyncSession, customer_id: uuid.UUID) -> dict[str, int]:
    """Delete guard: a customer with contracts (any status but deleted drafts) stays; the
    recycle-bin purge would otherwise take the contracts and their money with it."""
    return {"contracts": await count_of_customer(session, customer_id)}


hooks.reclaim_exemptions.append(has_active_contract)
hooks.customer_move_hooks.append(move_with_customers)
hooks.handover_hooks.append(hand_over)
hooks.owned_counters.append(owned_open)
hooks.customer_merge_hooks.append(follow_merge)
hooks.customer_delete_guards.append(block_customer_delete)
