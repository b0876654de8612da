"""A ticket's two SLA clocks (first response, resolution) on its policy's calendar.

Stored per ticket: the targets (working minutes, copied from the policy when the ticket is
created or its priority changes), the working time the clocks stood still
(`sla_paused_seconds`; pending on the customer, or resolved until reopened), `paused_since`
while they stand still, and the due and warning instants derived from those. A due time is
`add_business_time(start, target + paused)`; it is recomputed when a clock resumes, so the
breach job can compare stored instants with "now" in plain SQL. The status history keeps
every change with its time, so all of it can be recomputed.

Breaches and warnings are marked once (flags set in the transaction that notifies), which
is what makes "one notification and one `ticket.sla_breached` event per breach" hold.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.audit import record_mutation
from app.core.principal import Principal
from app.models.customer import Notification
from app.models.ticket import BusinessCalendar, SlaPolicy, Ticket
from app.models.user import User
from app.tickets import schemas
from app.tickets.config import to_calendar
from app.tickets.repository import active_policies
from app.tickets.sla import (
    Calendar,
    NoWorkingTime,
    add_business_time,
    business_time_between,
    seconds,
)

Which = Literal["first_response", "resolution"]
DEFAULT_WARNING = timedelta(minutes=30)


@dataclass(frozen=True)
class Setup:
    calendar: Calendar
    warning: timedelta


class Setups:
    """Calendars of the policies a request touches, each loaded once."""

    def __init__(self, session: AsyncSession, workspace_id: uuid.UUID, zone: ZoneInfo) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.zone = zone
        self._cache: dict[uuid.UUID | None, Setup] = {}

    async def of(self, policy_id: uuid.UUID | None) -> Setup:
        if policy_id in self._cache:
            return self._cache[policy_id]
        setup = Setup(Calendar.always(self.zone), DEFAULT_WARNING)
        if policy_id is not None:
            policy = await self.session.get(SlaPolicy, (self.workspace_id, policy_id))
            if policy is not None:
                calendar = None
                if policy.calendar_id is not None:
                    calendar = await self.session.get(
                        BusinessCalendar, (self.workspace_id, policy.calendar_id)
                    )
                setup = Setup(
                    to_calendar(calendar, self.zone), timedelta(minutes=policy.warning_minutes)
                )
        self._cache[policy_id] = setup
        return setup


async def choose_policy(
    session: AsyncSession, level: str | None, tier: str | None = None
) -> SlaPolicy | None:
    """The first active policy for the customer's level and RFM tier (a policy naming
    levels and/or tiers applies when the customer's are among them), else the first for
    every customer."""
    for policy in await active_policies(session):
        if policy.customer_levels and level not in policy.customer_levels:
            continue
        if policy.customer_rfm_tiers and tier not in policy.customer_rfm_tiers:
            continue
        return policy
    return None


def set_targets(ticket: Ticket, policy: SlaPolicy | None) -> None:
    targets = (policy.targets if policy else {}).get(ticket.priority, {})
    ticket.sla_policy_id = policy.id if policy else None
    ticket.first_response_target_minutes = targets.get("first_response_minutes")
    ticket.resolution_target_minutes = targets.get("resolution_minutes")


def _add(cal: Calendar, start: datetime, duration: timedelta) -> datetime | None:
    """add_business_time, or None when the calendar cannot provide that much working time
    within the horizon (calendars and policies are checked when saved, so this is only a
    safety net: such a clock shows no due time rather than failing the request)."""
    try:
        return add_business_time(cal, start, duration)
    except NoWorkingTime:
        return None


def _due(setup: Setup, ticket: Ticket, minutes: int | None) -> tuple[datetime | None, ...]:
    if minutes is None:
        return None, None
    paused = timedelta(seconds=ticket.sla_paused_seconds)
    target = timedelta(minutes=minutes)
    start = ticket.sla_started_at
    due = _add(setup.calendar, start, target + paused)
    warn = _add(setup.calendar, start, max(target - setup.warning, timedelta(0)) + paused)
    return due, warn


def plan(ticket: Ticket, setup: Setup, now: datetime) -> None:
    """(Re)compute due and warning times of the clocks still running; a warning not yet
    due again may be sent again."""
    if ticket.first_responded_at is None:
        due, warn = _due(setup, ticket, ticket.first_response_target_minutes)
        ticket.first_response_due_at, ticket.first_response_warn_at = due, warn
        if warn is None or warn > now:
            ticket.first_response_warned = False
    due, warn = _due(setup, ticket, ticket.resolution_target_minutes)
    ticket.resolution_due_at, ticket.resolution_warn_at = due, warn
    if warn is None or warn > now:
        ticket.resolution_warned = False


def late(ticket: Ticket, which: Which, now: datetime) -> bool:
    """Whether a clock met now misses its target. A paused clock stood still since it was
    paused, so what counts is whether it was already late then (its stored due time is
    moved out only when it resumes)."""
    due: datetime | None = getattr(ticket, f"{which}_due_at")
    return due is not None and (ticket.paused_since or now) > due


def pause(ticket: Ticket, now: datetime) -> None:
    if ticket.paused_since is None:
        ticket.paused_since = now


def resume(ticket: Ticket, setup: Setup, now: datetime) -> None:
    if ticket.paused_since is not None:
        stood = business_time_between(setup.calendar, ticket.paused_since, now)
        ticket.sla_paused_seconds += max(seconds(stood), 0)
        ticket.paused_since = None
    plan(ticket, setup, now)


def _clock(
    ticket: Ticket,
    setup: Setup,
    now: datetime,
    *,
    minutes: int | None,
    due: datetime | None,
    met_at: datetime | None,
    breached: bool,
) -> schemas.SlaClock:
    if minutes is None:
        return schemas.SlaClock(
            target_minutes=None,
            due_at=None,
            remaining_seconds=None,
            state=schemas.ClockState.none,
            breached=False,
            met_at=met_at,
        )
    if met_at is not None:
        return schemas.SlaClock(
            target_minutes=minutes,
            due_at=due,
            remaining_seconds=None,
            state=schemas.ClockState.breached if breached else schemas.ClockState.met,
            breached=breached,
            met_at=met_at,
        )
    cal = setup.calendar
    until = ticket.paused_since or now
    if due is not None:
        # = target - (worked since the start - paused): the due time already holds the
        # target and the pauses, and walking from now to it is short
        remaining = seconds(business_time_between(cal, until, due))
    else:
        worked = business_time_between(cal, ticket.sla_started_at, until)
        paused = timedelta(seconds=ticket.sla_paused_seconds)
        remaining = seconds(timedelta(minutes=minutes) - (worked - paused))
    late = breached or remaining < 0
    shown_due: datetime | None = due
    if ticket.paused_since is not None:
        state = schemas.ClockState.paused
        shown_due = _add(cal, now, timedelta(seconds=max(remaining, 0)))
    else:
        state = schemas.ClockState.breached if late else schemas.ClockState.running
    return schemas.SlaClock(
        target_minutes=minutes,
        due_at=shown_due,
        remaining_seconds=remaining,
        state=state,
        breached=late,
        met_at=None,
    )


def view(ticket: Ticket, setup: Setup, now: datetime) -> schemas.TicketSla:
    """The clocks as of `now`, for the API (remaining working time, state)."""
    resolved = ticket.resolved_at if ticket.status in ("resolved", "closed") else None
    return schemas.TicketSla(
        policy_id=ticket.sla_policy_id,
        paused=ticket.paused_since is not None and ticket.status == "pending",
        paused_seconds=ticket.sla_paused_seconds,
        first_response=_clock(
            ticket,
            setup,
            now,
            minutes=ticket.first_response_target_minutes,
            due=ticket.first_response_due_at,
            met_at=ticket.first_responded_at,
            breached=ticket.first_response_breached,
        ),
        resolution=_clock(
            ticket,
            setup,
            now,
            minutes=ticket.resolution_target_minutes,
            due=ticket.resolution_due_at,
            met_at=resolved,
            breached=ticket.resolution_breached,
        ),
    )


# --- breaches and warnings -----------------------------------------------------------------


async def recipients(session: AsyncSession, ticket: Ticket) -> list[uuid.UUID]:
    """The assignee and the team's managers (team lead); without either, the workspace's
    owners and admins, so nobody's breach goes unheard."""
    found: list[uuid.UUID] = []
    if ticket.assignee_id is not None:
        found.append(ticket.assignee_id)
    if ticket.team_id is not None:
        leads = await session.execute(
            select(User.id).where(
                User.team_id == ticket.team_id,
                User.role == "manager",
                User.is_active.is_(True),
                User.deleted_at.is_(None),
            )
        )
        found.extend(uid for uid in leads.scalars() if uid not in found)
    if not found:
        admins = await session.execute(
            select(User.id).where(
                or_(User.role == "owner", User.role == "admin"),
                User.is_active.is_(True),
                User.deleted_at.is_(None),
            )
        )
        found.extend(admins.scalars())
    return found


LABELS = {
    "first_response": ("首次响应", "first response"),
    "resolution": ("解决", "resolution"),
}


async def notify(
    session: AsyncSession, ticket: Ticket, which: Which, *, kind: str, due: datetime | None
) -> int:
    zh, en = LABELS[which]
    if kind == "ticket_sla_breached":
        title = f"工单 {ticket.number} {zh}已超时 / Ticket {ticket.number}: {en} SLA breached"
    else:
        title = f"工单 {ticket.number} {zh}即将超时 / Ticket {ticket.number}: {en} due soon"
    users = await recipients(session, ticket)
    for user_id in users:
        session.add(
            Notification(
                workspace_id=ticket.workspace_id,
                user_id=user_id,
                kind=kind,
                title=title[:300],
                entity="ticket",
                entity_id=ticket.id,
                dedupe_key=f"{kind}:{which}:{ticket.id}",
                data={
                    "number": ticket.number,
                    "subject": ticket.subject,
                    "clock": which,
                    "due_at": due.isoformat() if due else None,
                    "priority": ticket.priority,
                },
            )
        )
    return len(users)


async def mark_breach(
    session: AsyncSession, principal: Principal | None, ticket: Ticket, which: Which
) -> bool:
    """Flag a missed target once: notification to the assignee and team lead, and the
    event `ticket.sla_breached`. False when it was already flagged."""
    flag = f"{which}_breached"
    if getattr(ticket, flag):
        return False
    setattr(ticket, flag, True)
    # a missed target needs no "due soon" any more (and leaves the warning scan's index)
    setattr(ticket, f"{which}_warned", True)
    due = getattr(ticket, f"{which}_due_at")
    await session.flush()
    await notify(session, ticket, which, kind="ticket_sla_breached", due=due)
    await record_mutation(
        session,
        principal,
        entity="ticket",
        action="sla_breached",
        entity_id=ticket.id,
        sequence=ticket.version,
        before=None,
        after={
            "number": ticket.number,
            "clock": which,
            "due_at": due,
            "priority": ticket.priority,
            "assignee_id": ticket.assignee_id,
            "team_id": ticket.team_id,
            "status": ticket.status,
        },
        workspace_id=ticket.workspace_id,
    )
    return True


async def mark_warning(session: AsyncSession, ticket: Ticket, which: Which) -> bool:
    flag = f"{which}_warned"
    if getattr(ticket, flag):
        return False
    setattr(ticket, flag, True)
    await notify(
        session, ticket, which, kind="ticket_sla_warning", due=getattr(ticket, f"{which}_due_at")
    )
    return True
