"""The daily contracts round, run hourly so that it happens just after midnight in every
workspace's own time zone:

- active contracts whose end date has passed become expired (audited, event
  `contract.expired`);
- owners of contracts ending within `renewal_reminder_days` get a reminder (task +
  notification), once per end date (`renewal_notified_at`; a new end date resets it).

Rows are claimed with FOR UPDATE SKIP LOCKED and marked in the same transaction, so two
runs at once never expire or remind twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import clock
from app.contracts.service import CONTRACT_FIELDS, contract_settings
from app.core.audit import record_mutation, snapshot
from app.core.jobs import session_maker, tasks
from app.db import workspace_session
from app.models.contracts import Contract
from app.models.customer import Notification, Task
from app.workspaces import repository as workspaces

BATCH = 500


def remind(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    user_id: uuid.UUID | None,
    *,
    kind: str,
    title: str,
    entity: str,
    entity_id: uuid.UUID,
    customer_id: uuid.UUID,
    due: datetime,
    data: dict[str, Any],
) -> None:
    if user_id is None:
        return
    session.add(
        Notification(
            workspace_id=workspace_id,
            user_id=user_id,
            kind=kind,
            title=title[:300],
            entity=entity,
            entity_id=entity_id,
            dedupe_key=f"{kind}:{entity_id}",
            data=data,
        )
    )
    session.add(
        Task(
            workspace_id=workspace_id,
            title=title[:300],
            due_at=due,
            assignee_id=user_id,
            customer_id=customer_id,
            kind=kind[:20],
        )
    )


def end_of(day: date, tz: Any) -> datetime:
    return datetime.combine(day, datetime.max.time(), tz).replace(microsecond=0)


async def _expire(session: AsyncSession, workspace_id: uuid.UUID, today: date) -> int:
    rows = (
        (
            await session.execute(
                select(Contract)
                .where(
                    Contract.status == "active",
                    Contract.ends_on < today,
                    Contract.deleted_at.is_(None),
                )
                .order_by(Contract.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
        )
        .scalars()
        .all()
    )
    for contract in rows:
        before = snapshot(contract, CONTRACT_FIELDS)
        contract.status = "expired"
        await session.flush()
        await record_mutation(
            session,
            None,
            entity="contract",
            action="expired",
            entity_id=contract.id,
            sequence=contract.version,
            before=before,
            after=snapshot(contract, CONTRACT_FIELDS),
            workspace_id=workspace_id,
        )
    return len(rows)


async def _renewals(
    session: AsyncSession, workspace_id: uuid.UUID, today: date, days: int, now: datetime, tz: Any
) -> int:
    if days <= 0:
        return 0
    rows = (
        await session.execute(
            select(Contract.id, Contract.number, Contract.title, Contract.owner_id)
            .add_columns(Contract.customer_id, Contract.ends_on)
            .where(
                Contract.status == "active",
                Contract.ends_on >= today,
                Contract.ends_on <= today + timedelta(days=days),
                Contract.renewal_notified_at.is_(None),
                Contract.deleted_at.is_(None),
            )
            .order_by(Contract.ends_on, Contract.id)
            .limit(BATCH)
            .with_for_update(skip_locked=True)
        )
    ).all()
    for r in rows:
        remind(
            session,
            workspace_id,
            r.owner_id,
            kind="contract_renewal",
            title=f"合同 {r.number} 将于 {r.ends_on} 到期，请跟进续约 / Contract {r.number} "
            f"({r.title}) ends on {r.ends_on}: time to renew",
            entity="contract",
            entity_id=r.id,
            customer_id=r.customer_id,
            due=end_of(r.ends_on, tz),
            data={"ends_on": r.ends_on.isoformat(), "number": r.number},
        )
    if rows:
        # markers only: the contract's version (its ETag) does not change
        await session.execute(
            update(Contract)
            .where(Contract.id.in_([r.id for r in rows]))
            .values(renewal_notified_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(rows)


@dataclass
class ContractRound:
    expired: int = 0
    renewal_reminders: int = 0


async def run_workspace(workspace_id: uuid.UUID, now: datetime) -> ContractRound:
    maker = session_maker()
    result = ContractRound()
    async with workspace_session(maker, workspace_id) as session:
        tz = await clock.workspace_zone(session)
        days = (await contract_settings(session)).renewal_reminder_days
    today = now.astimezone(tz).date()
    while True:  # one transaction per batch
        async with workspace_session(maker, workspace_id) as session:
            n = await _expire(session, workspace_id, today)
        result.expired += n
        if n < BATCH:
            break
    while True:
        async with workspace_session(maker, workspace_id) as session:
            n = await _renewals(session, workspace_id, today, days, now, tz)
        result.renewal_reminders += n
        if n < BATCH:
            break
    return result


async def run_all(now: datetime | None = None) -> ContractRound:
    now = now or clock.utcnow()
    async with session_maker()() as session, session.begin():
        ids = await workspaces.all_ids(session)
    total = ContractRound()
    for workspace_id in ids:
        done = await run_workspace(workspace_id, now)
        total.expired += done.expired
        total.renewal_reminders += done.renewal_reminders
    return total


@tasks.periodic(cron="1 * * * *", periodic_id="contracts-daily-round")
@tasks.task(name="contracts_round", queue="maintenance", queueing_lock="contracts_round")
async def contracts_round(timestamp: int) -> dict[str, int]:
    done = await run_all(datetime.fromtimestamp(timestamp, UTC) if timestamp else None)
    return {"expired": done.expired, "renewal_reminders": done.renewal_reminders}
