"""Service tickets (工单): creation from any path (API, public form), routing, the status
life cycle with its SLA clocks, comments, satisfaction surveys and return visits.

Life cycle: new → open → pending (waiting on the customer; the SLA clocks stand still) →
open … → resolved → closed. A resolved or closed ticket reopens (→ open) within the
workspace's `reopen_days`; the time it spent resolved does not count against its SLA.
Any unfinished ticket may be closed directly (duplicates, spam). The first public reply by
staff — or the resolution, if nobody replied — meets the first-response target. Every
change of status is kept in the ticket's status history with its time.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.value import service as customer_value
from app.auth.dependencies import Ctx
from app.contracts import clock
from app.core import hooks
from app.core.assignment import pick, team_candidates, under_capacity
from app.core.audit import record_mutation, snapshot
from app.core.filtering import contains_pattern
from app.core.pagination import ListParams
from app.core.principal import Principal
from app.core.scope import scope_condition, team_subtree
from app.customers.normalize import normalize_email, normalize_phones
from app.customfields.service import filter_conditions, validate_values
from app.db import set_workspace
from app.errors import (
    AppError,
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    TooManyRequests,
    UnprocessableEntity,
)
from app.leads.repository import record_submission, submissions_since
from app.leads.service import PUBLIC_LIMIT, FormNotFound
from app.models.contracts import Contract
from app.models.customer import Activity, Contact, Customer, Tag, Task
from app.models.orders import Order
from app.models.pipeline import Product
from app.models.ticket import (
    OPEN_STATUSES,
    Ticket,
    TicketComment,
    TicketForm,
    TicketRoutingRule,
    TicketStatusChange,
    TicketSurvey,
)
from app.models.user import Team, User
from app.models.workspace import Workspace
from app.tickets import clocks, config, schemas
from app.tickets.repository import (
    CommentRepository,
    TicketRepository,
    customer_names,
    form_workspace,
    history,
    latest_surveys,
    lock_rule,
    next_number,
    open_counts,
    routing_rules,
    survey_workspace,
)

TICKET_FIELDS = (
    "number",
    "customer_id",
    "contact_id",
    "subject",
    "channel",
    "type",
    "priority",
    "status",
    "assignee_id",
    "team_id",
    "contract_id",
    "product_id",
    "order_id",
    "tag_ids",
    "sla_policy_id",
    "first_response_due_at",
    "resolution_due_at",
    "first_responded_at",
    "resolved_at",
    "closed_at",
)

#: status → statuses it may move to (reopening = resolved/closed → open, within the window)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("open", "pending", "resolved", "closed"),
    "open": ("pending", "resolved", "closed"),
    "pending": ("open", "resolved", "closed"),
    "resolved": ("open", "closed"),
    "closed": ("open",),
}


class TicketStateConflict(Conflict):
    code = "ticket_state"
    title = "The ticket's status does not allow this"


class ReopenWindowPassed(Conflict):
    code = "reopen_window_passed"
    title = "The ticket can no longer be reopened"


class SurveyNotFound(NotFound):
    code = "csat_not_found"
    title = "Unknown satisfaction link"


class SurveyExpired(AppError):
    status = 410
    code = "csat_expired"
    title = "The satisfaction link has expired"


class SurveyUsed(Conflict):
    code = "csat_already_rated"
    title = "This satisfaction link was already used"


def _invalid(field: str, message: str, detail: str, code: str = "invalid_reference") -> Exception:
    return UnprocessableEntity(detail, code=code, errors=[FieldError(field=field, message=message)])


# --- reading -------------------------------------------------------------------------------


def reopen_until(ticket: Ticket, reopen_days: int) -> datetime | None:
    if ticket.status not in ("resolved", "closed"):
        return None
    ended = ticket.resolved_at or ticket.closed_at
    return None if ended is None else ended + timedelta(days=reopen_days)


def allowed(ticket: Ticket, reopen_days: int, now: datetime) -> list[schemas.TicketStatus]:
    out = []
    for status in TRANSITIONS[ticket.status]:
        if status == "open" and ticket.status in ("resolved", "closed"):
            until = reopen_until(ticket, reopen_days)
            if until is None or now > until:
                continue
        out.append(schemas.TicketStatus(status))
    return out


async def shape(
    session: AsyncSession, workspace_id: uuid.UUID, rows: Sequence[Ticket]
) -> list[schemas.Ticket]:
    """Tickets as the API shows them: SLA clocks as of now, the customer's name, the latest
    satisfaction survey and the actions available."""
    now = clock.utcnow()
    settings = await config.ticket_settings(session)
    zone = await clock.workspace_zone(session)
    found = clocks.Setups(session, workspace_id, zone)
    names = await customer_names(session, {r.customer_id for r in rows})
    surveys = await latest_surveys(session, [r.id for r in rows])
    out = []
    for t in rows:
        setup = await found.of(t.sla_policy_id)
        survey = surveys.get(t.id)
        out.append(
            schemas.Ticket(
                id=t.id,
                number=t.number,
                customer_id=t.customer_id,
                customer_name=names.get(t.customer_id) if t.customer_id else None,
                contact_id=t.contact_id,
                requester_name=t.requester_name,
                requester_phone=t.requester_phone,
                requester_email=t.requester_email,
                subject=t.subject,
                description=t.description,
                channel=schemas.TicketChannel(t.channel),
                type=t.type,
                priority=schemas.TicketPriority(t.priority),
                status=schemas.TicketStatus(t.status),
                allowed_statuses=allowed(t, settings.reopen_days, now),
                reopen_until=reopen_until(t, settings.reopen_days),
                assignee_id=t.assignee_id,
                team_id=t.team_id,
                routing_rule_id=t.routing_rule_id,
                assignment_note=t.assignment_note,
                contract_id=t.contract_id,
                product_id=t.product_id,
                order_id=t.order_id,
                form_id=t.form_id,
                tag_ids=list(t.tag_ids),
                custom_fields=t.custom_fields,
                sla=clocks.view(t, setup, now),
                first_response_due_at=t.first_response_due_at,
                resolution_due_at=t.resolution_due_at,
                first_response_breached=t.first_response_breached,
                resolution_breached=t.resolution_breached,
                first_responded_at=t.first_responded_at,
                resolved_at=t.resolved_at,
                closed_at=t.closed_at,
                reopened_count=t.reopened_count,
                csat=schemas.TicketCsat(
                    token=survey.token,
                    expires_at=survey.expires_at,
                    rating=survey.rating,
                    comment=survey.comment,
                    rated_at=survey.rated_at,
                )
                if survey
                else None,
                return_visit_task_id=t.return_visit_task_id,
                return_visit_activity_id=t.return_visit_activity_id,
                return_visit_score=t.return_visit_score,
                created_by=t.created_by,
                created_at=t.created_at,
                updated_at=t.updated_at,
                version=t.version,
            )
        )
    return out


async def one(ctx: Ctx, ticket: Ticket) -> schemas.Ticket:
    return (await shape(ctx.session, ctx.principal.workspace_id, [ticket]))[0]


async def get_ticket(ctx: Ctx, ticket_id: uuid.UUID) -> Ticket:
    return await TicketRepository(ctx.session, ctx.principal).get(ticket_id)


def queue_condition(principal: Principal, queue: schemas.TicketQueue) -> ColumnElement[bool]:
    """The SPA's queues, on top of the caller's data scope."""
    now = clock.utcnow()
    running = Ticket.status.in_(("new", "open"))
    if queue is schemas.TicketQueue.mine:
        return Ticket.assignee_id == principal.user_id
    if queue is schemas.TicketQueue.team:
        if principal.team_id is None:
            return Ticket.assignee_id == principal.user_id
        return Ticket.team_id.in_(team_subtree(principal.team_id, "queue_team_tree"))
    if queue is schemas.TicketQueue.unassigned:
        return and_(Ticket.assignee_id.is_(None), Ticket.status.in_(OPEN_STATUSES))
    if queue is schemas.TicketQueue.breaching:
        return and_(
            running,
            or_(
                and_(
                    Ticket.first_responded_at.is_(None),
                    Ticket.first_response_warn_at <= now,
                ),
                Ticket.resolution_warn_at <= now,
            ),
        )
    return Ticket.id.is_not(None)


async def list_tickets(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    *,
    queue: schemas.TicketQueue,
    q: str | None,
    statuses: list[schemas.TicketStatus] | None,
    open_only: bool | None,
    priority: schemas.TicketPriority | None,
    channel: schemas.TicketChannel | None,
    type_: str | None,
    assignee_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    customer_id: uuid.UUID | None,
    tag_id: uuid.UUID | None,
    breached: bool | None,
    created_after: datetime | None,
    created_before: datetime | None,
    custom: dict[str, str],
) -> tuple[Sequence[Ticket], str | None, bool]:
    conds: list[ColumnElement[bool]] = [queue_condition(ctx.principal, queue)]
    if q:
        pattern = contains_pattern(q)
        conds.append(
            Ticket.number.ilike(pattern)
            | Ticket.subject.ilike(pattern)
            | Ticket.requester_name.ilike(pattern)
        )
    if statuses:
        conds.append(Ticket.status.in_([s.value for s in statuses]))
    if open_only is not None:
        in_open = Ticket.status.in_(OPEN_STATUSES)
        conds.append(in_open if open_only else ~in_open)
    if priority:
        conds.append(Ticket.priority == priority.value)
    if channel:
        conds.append(Ticket.channel == channel.value)
    if type_:
        conds.append(Ticket.type == type_)
    if assignee_id:
        conds.append(Ticket.assignee_id == assignee_id)
    if team_id:
        conds.append(Ticket.team_id == team_id)
    if customer_id:
        conds.append(Ticket.customer_id == customer_id)
    if tag_id:
        conds.append(Ticket.tag_ids.contains([tag_id]))
    if breached is not None:
        either = Ticket.first_response_breached | Ticket.resolution_breached
        conds.append(either if breached else ~either)
    if created_after:
        conds.append(Ticket.created_at >= created_after)
    if created_before:
        conds.append(Ticket.created_at < created_before)
    if custom:
        conds.extend(await filter_conditions(ctx.session, "ticket", Ticket.custom_fields, custom))
    return await TicketRepository(ctx.session, ctx.principal).page(params, sort, *conds)


# --- references ----------------------------------------------------------------------------


async def _exists(session: AsyncSession, model: Any, row_id: uuid.UUID) -> object | None:
    found: object | None = await session.scalar(
        select(model).where(model.id == row_id, model.deleted_at.is_(None))
    )
    return found


async def _check_links(session: AsyncSession, ticket: Ticket) -> None:
    """Links must exist in the workspace and belong to the ticket's customer."""
    if ticket.customer_id is not None:
        if await _exists(session, Customer, ticket.customer_id) is None:
            raise _invalid("body.customer_id", "unknown customer", "No such customer.")
    if ticket.contact_id is not None:
        contact = await _exists(session, Contact, ticket.contact_id)
        if not isinstance(contact, Contact) or (
            ticket.customer_id is not None and contact.customer_id != ticket.customer_id
        ):
            raise _invalid("body.contact_id", "not a contact of the customer", "Unknown contact.")
        if ticket.customer_id is None:
            ticket.customer_id = contact.customer_id
    for name, model in (("contract_id", Contract), ("order_id", Order)):
        value = getattr(ticket, name)
        if value is None:
            continue
        row = await _exists(session, model, value)
        owner = getattr(row, "customer_id", None)
        if row is None or (ticket.customer_id is not None and owner != ticket.customer_id):
            raise _invalid(f"body.{name}", "not one of the customer's", f"Unknown {name[:-3]}.")
    if ticket.product_id is not None and await _exists(session, Product, ticket.product_id) is None:
        raise _invalid("body.product_id", "unknown product", "No such product.")
    if ticket.tag_ids:
        known = set(
            (
                await session.execute(
                    select(Tag.id).where(Tag.id.in_(ticket.tag_ids), Tag.deleted_at.is_(None))
                )
            ).scalars()
        )
        if missing := [str(t) for t in ticket.tag_ids if t not in known]:
            raise _invalid("body.tag_ids", f"unknown tag(s): {', '.join(missing)}", "Unknown tag.")


async def _check_agent(session: AsyncSession, user_id: uuid.UUID | None, field: str) -> None:
    if user_id is None:
        return
    active = await session.scalar(
        select(User.is_active).where(User.id == user_id, User.deleted_at.is_(None))
    )
    if not active:
        raise _invalid(field, "unknown or inactive user", "The agent is unknown or inactive.")


async def _check_team(session: AsyncSession, team_id: uuid.UUID | None, field: str) -> None:
    if team_id is None:
        return
    if await _exists(session, Team, team_id) is None:
        raise _invalid(field, "unknown team", "No such team.")


# --- routing ------------------------------------------------------------------------------


def _matches(rule: TicketRoutingRule, ticket: Ticket, level: str | None) -> bool:
    c = rule.conditions or {}
    if c.get("channels") and ticket.channel not in c["channels"]:
        return False
    if c.get("types") and ticket.type not in c["types"]:
        return False
    return not (c.get("customer_levels") and level not in c["customer_levels"])


async def route(
    session: AsyncSession, ticket: Ticket, level: str | None, fallback_team: uuid.UUID | None
) -> None:
    """Team by the first matching rule (channel, type, customer level), then an agent of
    that team by the rule's strategy, under the rule's row lock (the shared mechanism of
    app.core.assignment). No matching rule: the fallback team's queue, or unassigned."""
    for candidate in await routing_rules(session):
        if not _matches(candidate, ticket, level):
            continue
        rule = await lock_rule(session, candidate.id)
        ticket.team_id = rule.team_id
        ticket.routing_rule_id = rule.id
        if rule.strategy == "none":
            ticket.assignment_note = f"rule '{rule.name}', team queue"
            return
        everyone = await team_candidates(session, rule.team_id)
        loads = await open_counts(session, [uid for uid, _ in everyone])
        eligible = under_capacity(everyone, loads, rule.capacity)
        if not eligible:
            ticket.assignment_note = (
                f"rule '{rule.name}': every agent is inactive or at capacity; "
                "waiting in the team queue"
            )
            return
        uid, note, state = pick(
            strategy=rule.strategy,
            rule_name=rule.name,
            eligible=eligible,
            everyone=everyone,
            loads=loads,
            state=rule.state,
            load_unit="open tickets",
        )
        rule.state = state
        ticket.assignee_id = uid
        ticket.assignment_note = note
        return
    ticket.team_id = fallback_team
    ticket.assignment_note = (
        "no routing rule matched; waiting in the team queue"
        if fallback_team
        else "no routing rule matched; waiting in the unassigned queue"
    )


async def _customer_level(session: AsyncSession, customer_id: uuid.UUID | None) -> str | None:
    if customer_id is None:
        return None
    return await session.scalar(select(Customer.level).where(Customer.id == customer_id))


# --- creating ------------------------------------------------------------------------------


def _history(
    session: AsyncSession,
    ticket: Ticket,
    before: str | None,
    after: str,
    actor: uuid.UUID | None,
    at: datetime,
    note: str | None = None,
) -> None:
    session.add(
        TicketStatusChange(
            workspace_id=ticket.workspace_id,
            ticket_id=ticket.id,
            from_status=before,
            to_status=after,
            actor_id=actor,
            note=note,
            at=at,
        )
    )


async def _create(
    session: AsyncSession,
    principal: Principal | None,
    workspace_id: uuid.UUID,
    data: schemas.TicketCreate,
    *,
    form: TicketForm | None = None,
) -> Ticket:
    await config.check_type(session, data.type)
    custom = await validate_values(session, "ticket", data.custom_fields, creating=True)
    settings = await config.ticket_settings(session)
    now = clock.utcnow()
    number = await next_number(session, workspace_id)
    ticket = Ticket(
        workspace_id=workspace_id,
        number=f"{settings.number_prefix}-{number:06d}",
        customer_id=data.customer_id,
        contact_id=data.contact_id,
        requester_name=data.requester_name,
        requester_phone=data.requester_phone,
        requester_email=str(data.requester_email) if data.requester_email else None,
        subject=data.subject,
        description=data.description,
        channel=data.channel.value,
        type=data.type,
        priority=data.priority.value,
        status="new",
        assignee_id=data.assignee_id,
        team_id=data.team_id,
        contract_id=data.contract_id,
        product_id=data.product_id,
        order_id=data.order_id,
        form_id=form.id if form else None,
        tag_ids=list(dict.fromkeys(data.tag_ids)),
        custom_fields=custom,
        sla_started_at=now,
        sla_paused_seconds=0,
        created_by=principal.user_id if principal else None,
    )
    await _check_links(session, ticket)
    await _check_agent(session, ticket.assignee_id, "body.assignee_id")
    await _check_team(session, ticket.team_id, "body.team_id")
    level = await _customer_level(session, ticket.customer_id)
    if ticket.assignee_id is None and ticket.team_id is None:
        await route(session, ticket, level, form.team_id if form else None)
    elif ticket.assignee_id is None:
        ticket.assignment_note = "placed in the team queue on creation"
    else:
        if ticket.team_id is None:
            ticket.team_id = await session.scalar(
                select(User.team_id).where(User.id == ticket.assignee_id)
            )
        ticket.assignment_note = "assigned on creation"
    tier = await customer_value.tier_of(session, ticket.customer_id)
    policy = await clocks.choose_policy(session, level, tier)
    clocks.set_targets(ticket, policy)
    setup = await clocks.Setups(session, workspace_id, await clock.workspace_zone(session)).of(
        ticket.sla_policy_id
    )
    clocks.plan(ticket, setup, now)
    session.add(ticket)
    await session.flush()
    _history(session, ticket, None, "new", principal.user_id if principal else None, now)
    await record_mutation(
        session,
        principal,
        entity="ticket",
        action="created",
        entity_id=ticket.id,
        sequence=ticket.version,
        before=None,
        after=snapshot(ticket, TICKET_FIELDS),
        workspace_id=workspace_id,
    )
    if ticket.assignee_id is not None and ticket.assignee_id != (
        principal.user_id if principal else None
    ):
        _notify_assignee(session, ticket)
    return ticket


def _notify_assignee(session: AsyncSession, ticket: Ticket) -> None:
    from app.models.customer import Notification

    assert ticket.assignee_id is not None
    session.add(
        Notification(
            workspace_id=ticket.workspace_id,
            user_id=ticket.assignee_id,
            kind="ticket_assigned",
            title=f"新工单 {ticket.number}：{ticket.subject} / New ticket {ticket.number}: "
            f"{ticket.subject}"[:300],
            entity="ticket",
            entity_id=ticket.id,
            data={"number": ticket.number, "priority": ticket.priority},
        )
    )


async def create_ticket(ctx: Ctx, data: schemas.TicketCreate) -> Ticket:
    if (
        data.assignee_id is not None
        and data.assignee_id != ctx.principal.user_id
        and not ctx.principal.is_manager
    ):
        raise Forbidden("Only managers and admins assign tickets to others.")
    return await _create(ctx.session, ctx.principal, ctx.principal.workspace_id, data)


# --- changing ------------------------------------------------------------------------------


async def _setup(session: AsyncSession, ticket: Ticket) -> clocks.Setup:
    zone = await clock.workspace_zone(session)
    return await clocks.Setups(session, ticket.workspace_id, zone).of(ticket.sla_policy_id)


async def update_ticket(
    ctx: Ctx, ticket_id: uuid.UUID, data: schemas.TicketUpdate, if_match: int | None
) -> Ticket:
    """Change a ticket's fields. A new priority takes the policy's targets for it; the due
    times of running clocks follow (a breach already flagged stays)."""
    ticket = await TicketRepository(ctx.session, ctx.principal).get_writable(
        ticket_id, if_match=if_match
    )
    before = snapshot(ticket, TICKET_FIELDS)
    fields = data.model_fields_set - {"custom_fields"}
    for name in fields:
        value = getattr(data, name)
        if value is None and name in ("subject", "type", "priority", "channel", "tag_ids"):
            raise _invalid(
                f"body.{name}",
                "cannot be null",
                f"{name} cannot be empty.",
                code="validation_error",
            )
    if data.type is not None:
        await config.check_type(ctx.session, data.type)
    for name in fields:
        value = getattr(data, name)
        if name == "requester_email" and value is not None:
            value = str(value)
        if name == "tag_ids":
            value = list(dict.fromkeys(value))
        setattr(ticket, name, value.value if hasattr(value, "value") else value)
    if "custom_fields" in data.model_fields_set:
        ticket.custom_fields = await validate_values(
            ctx.session, "ticket", data.custom_fields, current=ticket.custom_fields, creating=False
        )
    await _check_links(ctx.session, ticket)
    if "priority" in fields and before["priority"] != ticket.priority:
        level = await _customer_level(ctx.session, ticket.customer_id)
        tier = await customer_value.tier_of(ctx.session, ticket.customer_id)
        policy = await clocks.choose_policy(ctx.session, level, tier)
        clocks.set_targets(ticket, policy)
        if ticket.status in ("new", "open"):
            clocks.plan(ticket, await _setup(ctx.session, ticket), clock.utcnow())
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="ticket",
        action="updated",
        entity_id=ticket.id,
        sequence=ticket.version,
        before=before,
        after=snapshot(ticket, TICKET_FIELDS),
    )
    return ticket


async def delete_ticket(ctx: Ctx, ticket_id: uuid.UUID) -> None:
    if not ctx.principal.is_manager:
        raise Forbidden("Only managers, admins and owners delete tickets.")
    ticket = await TicketRepository(ctx.session, ctx.principal).get_writable(ticket_id)
    ticket.deleted_at = clock.utcnow()
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="ticket",
        action="deleted",
        entity_id=ticket.id,
        sequence=ticket.version,
        before=snapshot(ticket, TICKET_FIELDS),
        after=None,
    )


async def _first_response(
    session: AsyncSession, principal: Principal | None, ticket: Ticket, now: datetime
) -> None:
    if ticket.first_responded_at is not None:
        return
    ticket.first_responded_at = now
    if clocks.late(ticket, "first_response", now):
        await clocks.mark_breach(session, principal, ticket, "first_response")


async def change_status(
    ctx: Ctx, ticket_id: uuid.UUID, data: schemas.StatusChange, if_match: int | None
) -> Ticket:
    """Move a ticket along its life cycle (see the module docstring); pending and resolved
    stop the SLA clocks, open restarts them with the due times moved out by the pause."""
    ticket = await TicketRepository(ctx.session, ctx.principal).get_writable(
        ticket_id, if_match=if_match
    )
    return await _transition(ctx.session, ctx.principal, ticket, data)


async def _transition(
    session: AsyncSession, principal: Principal | None, ticket: Ticket, data: schemas.StatusChange
) -> Ticket:
    now = clock.utcnow()
    target = data.status.value
    current = ticket.status
    if target == current or target not in TRANSITIONS[current]:
        raise TicketStateConflict(
            f"A {current} ticket cannot become {target}.",
            errors=[FieldError(field="body.status", message=f"not allowed from {current}")],
        )
    settings = await config.ticket_settings(session)
    if current in ("resolved", "closed"):
        until = reopen_until(ticket, settings.reopen_days)
        if until is None or now > until:
            raise ReopenWindowPassed(
                f"Ticket {ticket.number} can be reopened only within "
                f"{settings.reopen_days} days; open a new ticket instead."
            )
    if data.return_visit_at is not None and target != "resolved":
        raise _invalid(
            "body.return_visit_at",
            "only when resolving",
            "A return visit follows a resolution.",
            code="validation_error",
        )
    await _check_agent(session, data.return_visit_assignee_id, "body.return_visit_assignee_id")
    before = snapshot(ticket, TICKET_FIELDS)
    setup = await _setup(session, ticket)
    if target == "open":
        if current in ("resolved", "closed"):
            ticket.reopened_count += 1
            ticket.resolved_at = None
            ticket.closed_at = None
        clocks.resume(ticket, setup, now)
    elif target == "pending":
        clocks.pause(ticket, now)
    elif target == "resolved":
        await _first_response(session, principal, ticket, now)
        ticket.resolved_at = now
        if clocks.late(ticket, "resolution", now):
            await clocks.mark_breach(session, principal, ticket, "resolution")
        clocks.pause(ticket, now)
        await _new_survey(session, ticket, settings.csat_days, now)
        if data.return_visit_at is not None:
            await _schedule_return_visit(
                session, principal, ticket, data.return_visit_at, data.return_visit_assignee_id
            )
    elif target == "closed":
        ticket.closed_at = now
        clocks.pause(ticket, now)
    ticket.status = target
    await session.flush()
    _history(
        session, ticket, current, target, principal.user_id if principal else None, now, data.note
    )
    action = "reopened" if current in ("resolved", "closed") else target
    await record_mutation(
        session,
        principal,
        entity="ticket",
        action="updated" if action in ("open", "pending") else action,
        entity_id=ticket.id,
        sequence=ticket.version,
        before=before,
        after=snapshot(ticket, TICKET_FIELDS),
        workspace_id=ticket.workspace_id,
    )
    return ticket


async def _new_survey(
    session: AsyncSession, ticket: Ticket, days: int, now: datetime
) -> TicketSurvey:
    """A fresh single-use link per resolution (a reopened and re-resolved ticket asks
    again); it credits whoever resolved it."""
    survey = TicketSurvey(
        workspace_id=ticket.workspace_id,
        ticket_id=ticket.id,
        token=secrets.token_urlsafe(24),
        assignee_id=ticket.assignee_id,
        team_id=ticket.team_id,
        expires_at=now + timedelta(days=days),
    )
    session.add(survey)
    return survey


async def _schedule_return_visit(
    session: AsyncSession,
    principal: Principal | None,
    ticket: Ticket,
    at: datetime,
    assignee_id: uuid.UUID | None,
) -> None:
    if ticket.customer_id is None:
        raise _invalid(
            "body.return_visit_at",
            "the ticket has no customer",
            "A return visit needs the ticket's customer.",
            code="customer_required",
        )
    task = Task(
        workspace_id=ticket.workspace_id,
        created_by=principal.user_id if principal else None,
        title=f"回访 {ticket.number}：{ticket.subject} / Return visit {ticket.number}"[:300],
        due_at=at,
        assignee_id=assignee_id or ticket.assignee_id or (principal.user_id if principal else None),
        customer_id=ticket.customer_id,
        kind="return_visit",
        notes=f"ticket:{ticket.id}",
    )
    session.add(task)
    await session.flush()
    ticket.return_visit_task_id = task.id


async def assign(
    ctx: Ctx, ticket_id: uuid.UUID, data: schemas.TicketAssign, if_match: int | None
) -> Ticket:
    """Reassign (managers), take an unassigned ticket of your queue (anyone who may work on
    it), or apply the routing rules again."""
    ticket = await TicketRepository(ctx.session, ctx.principal).get_writable(
        ticket_id, if_match=if_match
    )
    before = snapshot(ticket, TICKET_FIELDS)
    me = ctx.principal.user_id
    taking = data.assignee_id == me and ticket.assignee_id in (None, me) and not data.reroute
    if not ctx.principal.is_manager and not taking:
        raise Forbidden("Only managers and admins reassign tickets; you may take unassigned ones.")
    if data.reroute:
        ticket.assignee_id = None
        ticket.team_id = None
        ticket.routing_rule_id = None
        level = await _customer_level(ctx.session, ticket.customer_id)
        form_team = None
        if ticket.form_id is not None:
            form_team = await ctx.session.scalar(
                select(TicketForm.team_id).where(TicketForm.id == ticket.form_id)
            )
        await route(ctx.session, ticket, level, form_team)
    else:
        await _check_agent(ctx.session, data.assignee_id, "body.assignee_id")
        fields = data.model_fields_set
        if "team_id" in fields:
            await _check_team(ctx.session, data.team_id, "body.team_id")
            ticket.team_id = data.team_id
        ticket.assignee_id = data.assignee_id
        if data.assignee_id is not None and "team_id" not in fields and ticket.team_id is None:
            ticket.team_id = await ctx.session.scalar(
                select(User.team_id).where(User.id == data.assignee_id)
            )
        ticket.routing_rule_id = None
        ticket.assignment_note = (
            "taken from the queue" if taking else f"assigned by {ctx.principal.name or 'a manager'}"
        )
    await ctx.session.flush()
    if ticket.assignee_id is not None and ticket.assignee_id != me:
        _notify_assignee(ctx.session, ticket)
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="ticket",
        action="assigned",
        entity_id=ticket.id,
        sequence=ticket.version,
        before=before,
        after=snapshot(ticket, TICKET_FIELDS),
    )
    return ticket


# --- comments, history, return visits --------------------------------------------------------


async def list_comments(
    ctx: Ctx, ticket_id: uuid.UUID, params: ListParams, visibility: schemas.CommentVisibility | None
) -> tuple[Sequence[TicketComment], str | None, bool]:
    await TicketRepository(ctx.session, ctx.principal).get(ticket_id)
    conds = [TicketComment.ticket_id == ticket_id]
    if visibility is not None:
        conds.append(TicketComment.visibility == visibility.value)
    return await CommentRepository(ctx.session, ctx.principal).page(params, "created_at", *conds)


async def add_comment(ctx: Ctx, ticket_id: uuid.UUID, data: schemas.CommentCreate) -> TicketComment:
    """A public reply or an internal note. The first public reply meets the first-response
    target and opens a new ticket."""
    ticket = await TicketRepository(ctx.session, ctx.principal).get_writable(ticket_id)
    if ticket.status == "closed":
        raise TicketStateConflict("A closed ticket takes no more comments; reopen it first.")
    now = clock.utcnow()
    comment = TicketComment(
        workspace_id=ticket.workspace_id,
        ticket_id=ticket.id,
        visibility=data.visibility.value,
        body=data.body,
        author_id=ctx.principal.user_id,
        author_name=ctx.principal.name or None,
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(comment)
    if data.visibility is schemas.CommentVisibility.public:
        before = snapshot(ticket, TICKET_FIELDS)
        first = ticket.first_responded_at is None
        await _first_response(ctx.session, ctx.principal, ticket, now)
        if ticket.status == "new":
            ticket.status = "open"
            _history(ctx.session, ticket, "new", "open", ctx.principal.user_id, now, "first reply")
        if first or ticket.status != before["status"]:
            await ctx.session.flush()
            await record_mutation(
                ctx.session,
                ctx.principal,
                entity="ticket",
                action="updated",
                entity_id=ticket.id,
                sequence=ticket.version,
                before=before,
                after=snapshot(ticket, TICKET_FIELDS),
            )
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="ticket_comment",
        action="created",
        entity_id=comment.id,
        sequence=comment.version,
        before=None,
        after={"ticket_id": ticket.id, "visibility": comment.visibility, "body": comment.body},
    )
    return comment


async def status_history(ctx: Ctx, ticket_id: uuid.UUID) -> Sequence[TicketStatusChange]:
    await TicketRepository(ctx.session, ctx.principal).get(ticket_id)
    return await history(ctx.session, ticket_id)


async def log_return_visit(
    ctx: Ctx, ticket_id: uuid.UUID, data: schemas.ReturnVisitCreate
) -> Activity:
    """The return visit (回访) after a resolution: a follow-up of kind `return_visit` on the
    customer's timeline with the satisfaction score; the scheduled task is done."""
    ticket = await TicketRepository(ctx.session, ctx.principal).get_writable(ticket_id)
    if ticket.status not in ("resolved", "closed"):
        raise TicketStateConflict("A return visit follows a resolution.")
    if ticket.customer_id is None:
        raise _invalid(
            "body",
            "the ticket has no customer",
            "A return visit needs the ticket's customer.",
            code="customer_required",
        )
    if data.contact_id is not None:
        belongs = await ctx.session.scalar(
            select(Contact.id).where(
                Contact.id == data.contact_id, Contact.customer_id == ticket.customer_id
            )
        )
        if belongs is None:
            raise _invalid("body.contact_id", "not a contact of the customer", "Unknown contact.")
    now = clock.utcnow()
    activity = Activity(
        workspace_id=ticket.workspace_id,
        customer_id=ticket.customer_id,
        contact_id=data.contact_id,
        kind="return_visit",
        content=f"[{ticket.number}] {data.content}",
        occurred_at=data.occurred_at or now,
        author_id=ctx.principal.user_id,
        satisfaction=data.satisfaction,
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(activity)
    await ctx.session.flush()
    before = snapshot(ticket, ("return_visit_activity_id", "return_visit_score"))
    ticket.return_visit_activity_id = activity.id
    ticket.return_visit_score = data.satisfaction
    if ticket.return_visit_task_id is not None:
        await ctx.session.execute(
            update(Task)
            .where(Task.id == ticket.return_visit_task_id, Task.done_at.is_(None))
            .values(done_at=now, activity_id=activity.id, version=Task.version + 1)
            .execution_options(synchronize_session=False)
        )
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="activity",
        action="created",
        entity_id=activity.id,
        sequence=activity.version,
        before=None,
        after={
            "customer_id": ticket.customer_id,
            "kind": "return_visit",
            "satisfaction": data.satisfaction,
            "ticket_id": ticket.id,
        },
    )
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="ticket",
        action="updated",
        entity_id=ticket.id,
        sequence=ticket.version,
        before=before,
        after=snapshot(ticket, ("return_visit_activity_id", "return_visit_score")),
    )
    return activity


# --- public intake and satisfaction ---------------------------------------------------------


async def _throttle(session: AsyncSession, key: str) -> None:
    """The public endpoints' per-address limit (the same ledger as the lead forms)."""
    if await submissions_since(session, key, clock.utcnow() - timedelta(minutes=1)) >= (
        PUBLIC_LIMIT
    ):
        raise TooManyRequests(
            "Too many submissions; try again in a minute.",
            headers={"Retry-After": "60"},
            code="rate_limited",
        )
    record_submission(session, key)


async def match_customer(
    session: AsyncSession, phone: str | None, email: str | None
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """(customer, contact) a public requester is, by phone then e-mail: a contact's match
    gives both, a customer's gives the customer; the most recently changed wins."""
    phones = normalize_phones([phone] if phone else [])
    mail = normalize_email(email)
    if phones:
        contact = (
            await session.execute(
                select(Contact.id, Contact.customer_id)
                .where(Contact.phones_normalized.overlap(phones), Contact.deleted_at.is_(None))
                .order_by(Contact.updated_at.desc())
                .limit(1)
            )
        ).first()
        if contact:
            return contact.customer_id, contact.id
        customer = await session.scalar(
            select(Customer.id)
            .where(Customer.phones_normalized.overlap(phones), Customer.deleted_at.is_(None))
            .order_by(Customer.updated_at.desc())
            .limit(1)
        )
        if customer:
            return customer, None
    if mail:
        contact = (
            await session.execute(
                select(Contact.id, Contact.customer_id)
                .where(func.lower(Contact.email) == mail, Contact.deleted_at.is_(None))
                .order_by(Contact.updated_at.desc())
                .limit(1)
            )
        ).first()
        if contact:
            return contact.customer_id, contact.id
        customer = await session.scalar(
            select(Customer.id)
            .where(Customer.email_normalized == mail, Customer.deleted_at.is_(None))
            .order_by(Customer.updated_at.desc())
            .limit(1)
        )
        if customer:
            return customer, None
    return None, None


async def submit_public(
    session: AsyncSession, token: str, data: schemas.PublicTicket, client: str | None
) -> schemas.PublicTicketAccepted:
    """A ticket from a public form: rate-limited per address, honeypot-checked, matched to
    a customer by phone or e-mail, routed by the rules. Spam gets the same answer without a
    number and writes nothing."""
    await _throttle(session, f"ticket-form:{client or 'unknown'}")
    workspace_id = await form_workspace(session, token)
    if workspace_id is None:
        raise FormNotFound("This form does not exist or is closed.")
    if data.website:
        return schemas.PublicTicketAccepted(accepted=True, number=None)
    await set_workspace(session, workspace_id)
    form = (await session.execute(select(TicketForm).where(TicketForm.token == token))).scalar_one()
    customer_id, contact_id = await match_customer(session, data.phone, data.email)
    description = data.description
    if data.company:
        description = f"{data.company}\n\n{description or ''}".strip()
    ticket = await _create(
        session,
        None,
        workspace_id,
        schemas.TicketCreate(
            customer_id=customer_id,
            contact_id=contact_id,
            requester_name=data.name,
            requester_phone=data.phone,
            requester_email=data.email,
            subject=data.subject,
            description=description,
            channel=schemas.TicketChannel.web_form,
            type=form.type,
            priority=schemas.TicketPriority(form.priority),
        ),
        form=form,
    )
    return schemas.PublicTicketAccepted(accepted=True, number=ticket.number)


async def _survey(session: AsyncSession, token: str) -> tuple[TicketSurvey, Ticket, str]:
    workspace_id = await survey_workspace(session, token)
    if workspace_id is None:
        raise SurveyNotFound("This satisfaction link is unknown.")
    await set_workspace(session, workspace_id)
    survey = (
        await session.execute(
            select(TicketSurvey).where(TicketSurvey.token == token).with_for_update()
        )
    ).scalar_one()
    ticket = (
        await session.execute(select(Ticket).where(Ticket.id == survey.ticket_id))
    ).scalar_one()
    name = (await session.execute(select(Workspace.name))).scalar_one()
    return survey, ticket, name


def _survey_out(survey: TicketSurvey, ticket: Ticket, name: str) -> schemas.PublicSurvey:
    if survey.rating is not None:
        state = schemas.CsatState.rated
    elif clock.utcnow() > survey.expires_at:
        state = schemas.CsatState.expired
    else:
        state = schemas.CsatState.open
    return schemas.PublicSurvey(
        workspace_name=name,
        ticket_number=ticket.number,
        subject=ticket.subject,
        state=state,
        expires_at=survey.expires_at,
        rating=survey.rating,
        comment=survey.comment,
    )


async def read_survey(session: AsyncSession, token: str) -> schemas.PublicSurvey:
    return _survey_out(*await _survey(session, token))


async def rate(
    session: AsyncSession, token: str, data: schemas.CsatRating, client: str | None
) -> schemas.PublicSurvey:
    """Record a rating once; the link works until it expires."""
    await _throttle(session, f"csat:{client or 'unknown'}")
    survey, ticket, name = await _survey(session, token)
    if survey.rating is not None:
        raise SurveyUsed("This link was already used to rate the ticket.")
    if clock.utcnow() > survey.expires_at:
        raise SurveyExpired("This satisfaction link has expired.")
    survey.rating = data.rating
    survey.comment = data.comment
    survey.rated_at = clock.utcnow()
    await session.flush()
    await record_mutation(
        session,
        None,
        entity="ticket",
        action="rated",
        entity_id=ticket.id,
        sequence=ticket.version,
        before=None,
        after={
            "number": ticket.number,
            "rating": data.rating,
            "comment": data.comment,
            "assignee_id": survey.assignee_id,
            "team_id": survey.team_id,
        },
        workspace_id=ticket.workspace_id,
    )
    return _survey_out(survey, ticket, name)


# --- cross-domain hooks ---------------------------------------------------------------------


async def follow_merge(
    session: AsyncSession, principal: Principal, duplicate_id: uuid.UUID, survivor_id: uuid.UUID
) -> dict[str, int]:
    """A merged-away customer's tickets move to the survivor."""
    rows = (
        await session.execute(
            update(Ticket)
            .where(Ticket.customer_id == duplicate_id)
            .values(customer_id=survivor_id, version=Ticket.version + 1)
            .returning(Ticket.id, Ticket.version, Ticket.number)
            .execution_options(synchronize_session=False)
        )
    ).all()
    for ticket_id, version, number in rows:
        await record_mutation(
            session,
            principal,
            entity="ticket",
            action="updated",
            entity_id=ticket_id,
            sequence=version,
            before={"customer_id": duplicate_id, "number": number},
            after={"customer_id": survivor_id, "number": number},
        )
    return {"tickets": len(rows)} if rows else {}


async def hand_over(
    session: AsyncSession, principal: Principal, from_user_id: uuid.UUID, to_user_id: uuid.UUID
) -> dict[str, int]:
    """A departing agent's open tickets go to the successor."""
    rows = (
        await session.execute(
            update(Ticket)
            .where(
                Ticket.assignee_id == from_user_id,
                Ticket.status.in_(OPEN_STATUSES),
                Ticket.deleted_at.is_(None),
            )
            .values(assignee_id=to_user_id, version=Ticket.version + 1)
            .returning(Ticket.id, Ticket.version, Ticket.number)
            .execution_options(synchronize_session=False)
        )
    ).all()
    for ticket_id, version, number in rows:
        await record_mutation(
            session,
            principal,
            entity="ticket",
            action="assigned",
            entity_id=ticket_id,
            sequence=version,
            before={"assignee_id": from_user_id, "number": number},
            after={"assignee_id": to_user_id, "number": number},
        )
    return {"tickets": len(rows)}


async def owned_open_tickets(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    return {"tickets": (await open_counts(session, [user_id])).get(user_id, 0)}


def timeline_part(principal: Principal, customer_id: uuid.UUID) -> object:
    """The customer's tickets on its timeline, those the principal may read as tickets
    (none without the tickets module): one item per ticket, at its creation."""
    from sqlalchemy import String, cast, literal

    j = func.jsonb_build_object
    return select(
        literal("ticket"),
        cast(Ticket.id, String),
        Ticket.created_at,
        Ticket.created_by,
        j(
            "number",
            Ticket.number,
            "subject",
            Ticket.subject,
            "status",
            Ticket.status,
            "priority",
            Ticket.priority,
            "type",
            Ticket.type,
            "channel",
            Ticket.channel,
            "resolved_at",
            Ticket.resolved_at,
        ),
    ).where(
        Ticket.customer_id == customer_id,
        Ticket.deleted_at.is_(None),
        scope_condition(Ticket, principal, "tickets"),
    )


def _register() -> None:
    if follow_merge not in hooks.customer_merge_hooks:
        hooks.customer_merge_hooks.append(follow_merge)
    if hand_over not in hooks.handover_hooks:
        hooks.handover_hooks.append(hand_over)
    if owned_open_tickets not in hooks.owned_counters:
        hooks.owned_counters.append(owned_open_tickets)
    if timeline_part not in hooks.timeline_parts:
        hooks.timeline_parts.append(timeline_part)


_register()
