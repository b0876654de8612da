"""The daily receivables round, run hourly so that it happens just after midnight in every
workspace's own time zone: owners get a reminder `payment_reminder_days` before an
installment is due, and again when it becomes overdue (task + notification + event
`receivable.overdue`), once per installment.

Installment status is derived, never stored: the markers (`reminder_notified_at`,
`overdue_notified_at`) only record that a reminder went out; a new due date resets them.
Rows are claimed with FOR UPDATE SKIP LOCKED and marked in the same transaction, so two
runs at once never remind twice, and the markers are written without touching the
installment's version, so a payment allocating to it at the same moment is not disturbed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import clock
from app.contracts.jobs import end_of, remind
from app.contracts.money import show
from app.contracts.service import contract_settings
from app.core.audit import record_mutation
from app.core.jobs import session_maker, tasks
from app.db import workspace_session
from app.models.contracts import Contract
from app.models.receivables import Installment
from app.receivables.repository import RECEIVABLE_STATUSES, is_open
from app.workspaces import repository as workspaces

BATCH = 500


def _open_installments(*conditions: Any) -> Any:
    return (
        select(
            Installment.id,
            Installment.number,
            Installment.due_date,
            Installment.amount,
            Installment.allocated_amount,
            Installment.version,
            Installment.contract_id,
            Contract.number.label("contract_number"),
            Contract.owner_id,
            Contract.customer_id,
            Contract.currency,
        )
        .join(
            Contract,
            (Contract.id == Installment.contract_id)
            & (Contract.workspace_id == Installment.workspace_id),
        )
        .where(
            is_open(),
            Contract.status.in_(RECEIVABLE_STATUSES),
            Contract.deleted_at.is_(None),
            *conditions,
        )
        .order_by(Installment.due_date, Installment.id)
        .limit(BATCH)
        .with_for_update(of=Installment, skip_locked=True)
    )


async def _due_soon(
    session: AsyncSession, workspace_id: uuid.UUID, today: date, days: int, now: datetime, tz: Any
) -> int:
    if days <= 0:
        return 0
    rows = (
        await session.execute(
            _open_installments(
                Installment.due_date >= today,
                Installment.due_date <= today + timedelta(days=days),
                Installment.reminder_notified_at.is_(None),
            )
        )
    ).all()
    for r in rows:
        owed = show(r.amount - r.allocated_amount)
        remind(
            session,
            workspace_id,
            r.owner_id,
            kind="payment_due",
            title=f"合同 {r.contract_number} 第 {r.number} 期 {owed} {r.currency} 将于 "
            f"{r.due_date} 到期 / Installment {r.number} of {r.contract_number} "
            f"({owed} {r.currency}) is due on {r.due_date}",
            entity="receivable",
            entity_id=r.id,
            customer_id=r.customer_id,
            due=end_of(r.due_date, tz),
            data={"contract_id": str(r.contract_id), "due_date": r.due_date.isoformat()},
        )
    if rows:
        await session.execute(
            update(Installment)
            .where(Installment.id.in_([r.id for r in rows]))
            .values(reminder_notified_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(rows)


async def _overdue(
    session: AsyncSession, workspace_id: uuid.UUID, today: date, now: datetime, tz: Any
) -> int:
    rows = (
        await session.execute(
            _open_installments(
                Installment.due_date < today, Installment.overdue_notified_at.is_(None)
            )
        )
    ).all()
    for r in rows:
        owed = r.amount - r.allocated_amount
        days = (today - r.due_date).days
        remind(
            session,
            workspace_id,
            r.owner_id,
            kind="payment_overdue",
            title=f"合同 {r.contract_number} 第 {r.number} 期已逾期 {days} 天，欠款 {show(owed)} "
            f"{r.currency} / Installment {r.number} of {r.contract_number} is overdue: "
            f"{show(owed)} {r.currency}",
            entity="receivable",
            entity_id=r.id,
            customer_id=r.customer_id,
            due=end_of(today, tz),
            data={"contract_id": str(r.contract_id), "due_date": r.due_date.isoformat()},
        )
        await record_mutation(
            session,
            None,
            entity="receivable",
            action="overdue",
            entity_id=r.id,
            sequence=r.version,
            before=None,
            after={
                "contract_id": r.contract_id,
                "contract_number": r.contract_number,
                "customer_id": r.customer_id,
                "owner_id": r.owner_id,
                "number": r.number,
                "due_date": r.due_date,
                "amount": r.amount,
                "outstanding": owed,
                "currency": r.currency,
                "days_overdue": days,
            },
            workspace_id=workspace_id,
        )
    if rows:
        await session.execute(
            update(Installment)
            .where(Installment.id.in_([r.id for r in rows]))
            .values(overdue_notified_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(rows)


@dataclass
class ReceivablesRound:
    due_reminders: int = 0
    overdue: int = 0


async def run_workspace(workspace_id: uuid.UUID, now: datetime) -> ReceivablesRound:
    maker = session_maker()
    result = ReceivablesRound()
    async with workspace_session(maker, workspace_id) as session:
        tz = await clock.workspace_zone(session)
        days = (await contract_settings(session)).payment_reminder_days
    today = now.astimezone(tz).date()
    while True:  # one transaction per batch
        async with workspace_session(maker, workspace_id) as session:
            n = await _due_soon(session, workspace_id, today, days, now, tz)
        result.due_reminders += n
        if n < BATCH:
            break
    while True:
        async with workspace_session(maker, workspace_id) as session:
            n = await _overdue(session, workspace_id, today, now, tz)
        result.overdue += n
        if n < BATCH:
            break
    return result


async def run_all(now: datetime | None = None) -> ReceivablesRound:
    now = now or clock.utcnow()
    async with session_maker()() as session, session.begin():
        ids = await workspaces.all_ids(session)
    total = ReceivablesRound()
    for workspace_id in ids:
        done = await run_workspace(workspace_id, now)
        total.due_reminders += done.due_reminders
        total.overdue += done.overdue
    return total


@tasks.periodic(cron="3 * * * *", periodic_id="receivables-daily-round")
@tasks.task(name="receivables_round", queue="maintenance", queueing_lock="receivables_round")
async def receivables_round(timestamp: int) -> dict[str, int]:
    done = await run_all(datetime.fromtimestamp(timestamp, UTC) if timestamp else None)
    return {"due_reminders": done.due_reminders, "overdue": done.overdue}
