"""The SLA watch, every minute, in every workspace:

- running clocks past their due time are breached: notification to the assignee and the
  team lead, event `ticket.sla_breached` — once per breach (the flag is set in the same
  transaction);
- running clocks past their warning time get one "due soon" notification;
- resolved tickets older than `auto_close_days` close.

Paused clocks (pending, resolved) are never breached: their due times are moved out when
they resume. Rows are claimed with FOR UPDATE SKIP LOCKED, so overlapping runs never
notify twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, bindparam, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import clock
from app.core.audit import record_mutation, snapshot
from app.core.jobs import session_maker, tasks
from app.db import workspace_session
from app.models.ticket import Ticket, TicketStatusChange
from app.tickets import clocks, config
from app.tickets.service import TICKET_FIELDS
from app.workspaces import repository as workspaces

BATCH = 200


@dataclass
class SlaRound:
    breached: int = 0
    warned: int = 0
    closed: int = 0

    def add(self, other: SlaRound) -> None:
        self.breached += other.breached
        self.warned += other.warned
        self.closed += other.closed


def _running() -> ColumnElement[bool]:
    """Running clocks, written as the partial indexes' predicate (statuses as literals, so
    a generic plan can use them too)."""
    statuses: BindParameter[list[str]] = bindparam(
        None, ["new", "open"], expanding=True, literal_execute=True
    )
    return Ticket.status.in_(statuses) & Ticket.deleted_at.is_(None)


async def _claim(session: AsyncSession, order: Any, *conds: ColumnElement[bool]) -> list[Ticket]:
    """A batch of running tickets, earliest first by `order` — the column of the partial
    index that serves the scan (ordering by anything else lets the planner walk the
    primary key through every ticket of the workspace when nothing is due)."""
    return list(
        (
            await session.execute(
                select(Ticket)
                .where(_running(), *conds)
                .order_by(order, Ticket.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
        )
        .scalars()
        .all()
    )


async def _breaches(session: AsyncSession, now: datetime) -> int:
    done = 0
    first = await _claim(
        session,
        Ticket.first_response_due_at,
        Ticket.first_responded_at.is_(None),
        Ticket.first_response_due_at <= now,
        ~Ticket.first_response_breached,
    )
    for ticket in first:
        done += await clocks.mark_breach(session, None, ticket, "first_response")
    resolution = await _claim(
        session,
        Ticket.resolution_due_at,
        Ticket.resolution_due_at <= now,
        ~Ticket.resolution_breached,
    )
    for ticket in resolution:
        done += await clocks.mark_breach(session, None, ticket, "resolution")
    return done


async def _warnings(session: AsyncSession, now: datetime) -> int:
    done = 0
    for ticket in await _claim(
        session,
        Ticket.first_response_warn_at,
        Ticket.first_responded_at.is_(None),
        Ticket.first_response_warn_at <= now,
        Ticket.first_response_due_at > now,
        ~Ticket.first_response_warned,
    ):
        done += await clocks.mark_warning(session, ticket, "first_response")
    for ticket in await _claim(
        session,
        Ticket.resolution_warn_at,
        Ticket.resolution_warn_at <= now,
        Ticket.resolution_due_at > now,
        ~Ticket.resolution_warned,
    ):
        done += await clocks.mark_warning(session, ticket, "resolution")
    return done


async def _auto_close(session: AsyncSession, now: datetime, days: int) -> int:
    if days <= 0:
        return 0
    rows = (
        (
            await session.execute(
                select(Ticket)
                .where(
                    Ticket.status == literal_column("'resolved'"),
                    Ticket.resolved_at <= now - timedelta(days=days),
                    Ticket.deleted_at.is_(None),
                )
                .order_by(Ticket.resolved_at, Ticket.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
        )
        .scalars()
        .all()
    )
    for ticket in rows:
        before = snapshot(ticket, TICKET_FIELDS)
        ticket.status = "closed"
        ticket.closed_at = now
        await session.flush()
        session.add(
            TicketStatusChange(
                workspace_id=ticket.workspace_id,
                ticket_id=ticket.id,
                from_status="resolved",
                to_status="closed",
                note=f"closed automatically {days} days after resolution",
                at=now,
            )
        )
        await record_mutation(
            session,
            None,
            entity="ticket",
            action="closed",
            entity_id=ticket.id,
            sequence=ticket.version,
            before=before,
            after=snapshot(ticket, TICKET_FIELDS),
            workspace_id=ticket.workspace_id,
        )
    return len(rows)


async def run_workspace(workspace_id: uuid.UUID, now: datetime) -> SlaRound:
    maker = session_maker()
    result = SlaRound()
    for step in ("breached", "warned", "closed"):
        while True:  # one transaction per batch
            async with workspace_session(maker, workspace_id) as session:
                if step == "breached":
                    n = await _breaches(session, now)
                elif step == "warned":
                    n = await _warnings(session, now)
                else:
                    days = (await config.ticket_settings(session)).auto_close_days
                    n = await _auto_close(session, now, days)
            setattr(result, step, getattr(result, step) + n)
            if n < BATCH:
                break
    return result


async def run_all(now: datetime | None = None) -> SlaRound:
    now = now or clock.utcnow()
    async with session_maker()() as session, session.begin():
        ids = await workspaces.all_ids(session)
    total = SlaRound()
    for workspace_id in ids:
        total.add(await run_workspace(workspace_id, now))
    return total


@tasks.periodic(cron="* * * * *", periodic_id="tickets-sla-watch")
@tasks.task(name="tickets_sla_watch", queue="maintenance", queueing_lock="tickets_sla_watch")
async def tickets_sla_watch(timestamp: int) -> dict[str, int]:
    done = await run_all(datetime.fromtimestamp(timestamp, UTC) if timestamp else None)
    return {"breached": done.breached, "warned": done.warned, "closed": done.closed}
