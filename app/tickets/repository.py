from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import case, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import SortSpec
from app.core.repository import RepositoryBase
from app.core.sequences import next_value
from app.models.customer import Customer
from app.models.ticket import (
    OPEN_STATUSES,
    BusinessCalendar,
    SlaPolicy,
    Ticket,
    TicketComment,
    TicketCounter,
    TicketForm,
    TicketRoutingRule,
    TicketStatusChange,
    TicketSurvey,
)

#: urgent first when sorting by priority
PRIORITY_RANK = case(
    {"urgent": 4, "high": 3, "normal": 2, "low": 1}, value=Ticket.priority, else_=0
)
FAR_FUTURE = text("'infinity'::timestamptz")


class TicketRepository(RepositoryBase[Ticket]):
    model = Ticket
    entity = "ticket"
    sorting: ClassVar[SortSpec] = SortSpec(
        Ticket.id,
        created_at=Ticket.created_at,
        updated_at=Ticket.updated_at,
        number=Ticket.number,
        priority=PRIORITY_RANK,
        # the next due time of a running clock first; tickets without one last
        resolution_due_at=func.coalesce(Ticket.resolution_due_at, FAR_FUTURE),
    )


async def customer_names(session: AsyncSession, ids: set[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(Customer.id, Customer.name).where(Customer.id.in_(wanted)))
    return {r.id: r.name for r in rows}


class CommentRepository(RepositoryBase[TicketComment]):
    model = TicketComment
    entity = "ticket_comment"
    sorting: ClassVar[SortSpec] = SortSpec(TicketComment.id, created_at=TicketComment.created_at)


class SlaPolicyRepository(RepositoryBase[SlaPolicy]):
    model = SlaPolicy
    entity = "sla_policy"
    sorting: ClassVar[SortSpec] = SortSpec(SlaPolicy.id, position=SlaPolicy.position)


class CalendarRepository(RepositoryBase[BusinessCalendar]):
    model = BusinessCalendar
    entity = "business_calendar"
    sorting: ClassVar[SortSpec] = SortSpec(BusinessCalendar.id, name=BusinessCalendar.name)


class RoutingRuleRepository(RepositoryBase[TicketRoutingRule]):
    model = TicketRoutingRule
    entity = "ticket_routing_rule"
    sorting: ClassVar[SortSpec] = SortSpec(
        TicketRoutingRule.id, position=TicketRoutingRule.position
    )


class TicketFormRepository(RepositoryBase[TicketForm]):
    model = TicketForm
    entity = "ticket_form"
    sorting: ClassVar[SortSpec] = SortSpec(TicketForm.id, name=TicketForm.name)


async def next_number(session: AsyncSession, workspace_id: uuid.UUID) -> int:
    """The next ticket number (see `app.core.sequences`)."""
    return await next_value(session, TicketCounter, workspace_id)


async def form_workspace(session: AsyncSession, token: str) -> uuid.UUID | None:
    """The workspace of an active intake form (SECURITY DEFINER: none is bound yet)."""
    workspace: uuid.UUID | None = await session.scalar(
        text("SELECT rapport_ticket_form_workspace(:token)"), {"token": token}
    )
    return workspace


async def survey_workspace(session: AsyncSession, token: str) -> uuid.UUID | None:
    workspace: uuid.UUID | None = await session.scalar(
        text("SELECT rapport_survey_workspace(:token)"), {"token": token}
    )
    return workspace


async def active_policies(session: AsyncSession) -> Sequence[SlaPolicy]:
    """Active policies, level- or tier-specific ones first, then by position."""
    return (
        (
            await session.execute(
                select(SlaPolicy)
                .where(SlaPolicy.active.is_(True), SlaPolicy.deleted_at.is_(None))
                .order_by(
                    (
                        (func.cardinality(SlaPolicy.customer_levels) == 0)
                        & (func.cardinality(SlaPolicy.customer_rfm_tiers) == 0)
                    ).asc(),
                    SlaPolicy.position,
                    SlaPolicy.id,
                )
            )
        )
        .scalars()
        .all()
    )


async def calendars_by_id(
    session: AsyncSession, ids: set[uuid.UUID]
) -> dict[uuid.UUID, BusinessCalendar]:
    if not ids:
        return {}
    rows = await session.execute(select(BusinessCalendar).where(BusinessCalendar.id.in_(ids)))
    return {c.id: c for c in rows.scalars()}


async def policy_calendar_ids(
    session: AsyncSession, policy_ids: set[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID | None]:
    if not policy_ids:
        return {}
    rows = await session.execute(
        select(SlaPolicy.id, SlaPolicy.calendar_id).where(SlaPolicy.id.in_(policy_ids))
    )
    return {r.id: r.calendar_id for r in rows}


async def latest_surveys(
    session: AsyncSession, ticket_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, TicketSurvey]:
    if not ticket_ids:
        return {}
    rows = await session.execute(
        select(TicketSurvey)
        .where(TicketSurvey.ticket_id.in_(ticket_ids))
        .order_by(TicketSurvey.ticket_id, TicketSurvey.created_at.desc(), TicketSurvey.id.desc())
        .distinct(TicketSurvey.ticket_id)
    )
    return {s.ticket_id: s for s in rows.scalars()}


async def open_counts(session: AsyncSession, user_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Open tickets per agent (the least-loaded strategy's load and the capacity check)."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(Ticket.assignee_id, func.count())
        .where(
            Ticket.assignee_id.in_(user_ids),
            Ticket.status.in_(OPEN_STATUSES),
            Ticket.deleted_at.is_(None),
        )
        .group_by(Ticket.assignee_id)
    )
    return {r[0]: int(r[1]) for r in rows}


async def routing_rules(session: AsyncSession) -> Sequence[TicketRoutingRule]:
    return (
        (
            await session.execute(
                select(TicketRoutingRule)
                .where(TicketRoutingRule.active.is_(True), TicketRoutingRule.deleted_at.is_(None))
                .order_by(TicketRoutingRule.position, TicketRoutingRule.id)
            )
        )
        .scalars()
        .all()
    )


async def lock_rule(session: AsyncSession, rule_id: uuid.UUID) -> TicketRoutingRule:
    return (
        await session.execute(
            select(TicketRoutingRule)
            .where(TicketRoutingRule.id == rule_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one()


async def history(session: AsyncSession, ticket_id: uuid.UUID) -> Sequence[TicketStatusChange]:
    return (
        (
            await session.execute(
                select(TicketStatusChange)
                .where(TicketStatusChange.ticket_id == ticket_id)
                .order_by(TicketStatusChange.at, TicketStatusChange.id)
                .limit(1000)
            )
        )
        .scalars()
        .all()
    )


def exists_in(model: Any, ids: Sequence[uuid.UUID]) -> Any:
    return select(model.id).where(model.id.in_(ids), model.deleted_at.is_(None))
