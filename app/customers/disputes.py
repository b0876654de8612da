"""Ownership disputes (撞单): a rep claims a customer someone else owns; a manager decides.

Until decided, the first owner keeps the customer. Upholding moves it to the claimant
through the one ownership mechanism (ledger, tasks, hooks, notification).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import func, select

from app.auth.dependencies import Ctx
from app.core.audit import record_mutation, snapshot
from app.core.pagination import ListParams, SortSpec
from app.core.repository import RepositoryBase
from app.customers import schemas
from app.customers.service import move_owner
from app.errors import Conflict, FieldError, Forbidden, NotFound, UnprocessableEntity
from app.models.customer import Customer, Dispute, Notification

FIELDS = (
    "customer_id",
    "claimant_id",
    "owner_at_claim_id",
    "evidence",
    "status",
    "decided_by",
    "decision_note",
)


class DisputeRepository(RepositoryBase[Dispute]):
    model = Dispute
    entity = "dispute"
    sorting: ClassVar[SortSpec] = SortSpec(Dispute.id, created_at=Dispute.created_at)


async def raise_dispute(ctx: Ctx, data: schemas.DisputeCreate) -> Dispute:
    # the claimant usually cannot see the customer: look it up in the workspace, unscoped
    customer = (
        await ctx.session.execute(
            select(Customer).where(Customer.id == data.customer_id, Customer.deleted_at.is_(None))
        )
    ).scalar_one_or_none()
    if customer is None:
        raise UnprocessableEntity(
            "Unknown customer.",
            code="invalid_reference",
            errors=[FieldError(field="body.customer_id", message="unknown customer")],
        )
    if customer.owner_id == ctx.principal.user_id:
        raise Conflict("You already own this customer.", code="already_owner")
    open_claims = await ctx.session.scalar(
        select(func.count())
        .select_from(Dispute)
        .where(
            Dispute.customer_id == customer.id,
            Dispute.claimant_id == ctx.principal.user_id,
            Dispute.status == "open",
        )
    )
    if open_claims:
        raise Conflict("You have an open dispute on this customer.", code="dispute_open")
    dispute = Dispute(
        workspace_id=ctx.principal.workspace_id,
        customer_id=customer.id,
        claimant_id=ctx.principal.user_id,
        owner_at_claim_id=customer.owner_id,
        evidence=data.evidence,
        status="open",
    )
    ctx.session.add(dispute)
    await ctx.session.flush()
    if customer.owner_id:
        ctx.session.add(
            Notification(
                workspace_id=ctx.principal.workspace_id,
                user_id=customer.owner_id,
                kind="dispute_raised",
                title=f"{ctx.principal.name} disputes {customer.name}",
                entity="dispute",
                entity_id=dispute.id,
                data={"customer_id": str(customer.id)},
            )
        )
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="dispute",
        action="created",
        entity_id=dispute.id,
        sequence=dispute.version,
        before=None,
        after=snapshot(dispute, FIELDS),
    )
    return dispute


async def list_disputes(
    ctx: Ctx, params: ListParams, status: schemas.DisputeStatus | None
) -> tuple[Sequence[Dispute], str | None, bool]:
    conds = [Dispute.status == status.value] if status else []
    return await DisputeRepository(ctx.session, ctx.principal).page(params, "-created_at", *conds)


async def decide(ctx: Ctx, dispute_id: uuid.UUID, data: schemas.DisputeDecision) -> Dispute:
    if not ctx.principal.is_manager:
        raise Forbidden("A manager or admin decides disputes.")
    dispute = await DisputeRepository(ctx.session, ctx.principal).get(dispute_id, for_update=True)
    if data.decision is schemas.DisputeStatus.open:
        raise UnprocessableEntity(
            "Decide upheld or rejected.",
            code="invalid_decision",
            errors=[FieldError(field="body.decision", message="upheld or rejected")],
        )
    if dispute.claimant_id == ctx.principal.user_id:
        raise Forbidden("You cannot decide your own dispute.")
    if dispute.status != "open":
        raise Conflict("This dispute is already decided.", code="dispute_decided")
    before = snapshot(dispute, FIELDS)
    dispute.status = data.decision.value
    dispute.decided_by = ctx.principal.user_id
    dispute.decided_at = datetime.now(UTC)
    dispute.decision_note = data.note
    if data.decision is schemas.DisputeStatus.upheld:
        customer = (
            await ctx.session.execute(
                select(Customer).where(Customer.id == dispute.customer_id).with_for_update()
            )
        ).scalar_one_or_none()
        if customer is None:
            raise NotFound("The customer no longer exists.")
        await move_owner(
            ctx.session,
            ctx.principal,
            [customer],
            to_user_id=dispute.claimant_id,
            kind="dispute",
            reason=data.note or "dispute upheld",
        )
    ctx.session.add(
        Notification(
            workspace_id=ctx.principal.workspace_id,
            user_id=dispute.claimant_id,
            kind=f"dispute_{data.decision.value}",
            title=f"Dispute {data.decision.value}",
            entity="dispute",
            entity_id=dispute.id,
            data={"customer_id": str(dispute.customer_id)},
        )
    )
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="dispute",
        action="decided",
        entity_id=dispute.id,
        sequence=dispute.version,
        before=before,
        after=snapshot(dispute, FIELDS),
    )
    return dispute
