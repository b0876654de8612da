"""Automatic reclaim: owned customers nobody followed up return to their pool.

Per pool, a customer's deadline is its last follow-up (or, if later, the moment its owner
took it) plus the rule's days for its level. Past the deadline it returns to the pool with
the ledger reason "reclaimed: no follow-up for 31 days (rule: 30)". Owners are warned
`warn_days_before` days ahead (notification + task, once per deadline).

One pass over the table finds a pool's due customers; batches of 1,000 of them are then locked
by id with FOR UPDATE SKIP LOCKED and re-checked, so the job is idempotent and two runs at once
never reclaim a customer twice; each batch commits alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Uuid,
    any_,
    bindparam,
    case,
    false,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.value import service as customer_value
from app.auth.dependencies import Ctx
from app.core import hooks
from app.core.jobs import session_maker, tasks
from app.core.scope import readable_statement
from app.db import workspace_session
from app.models.audit import AuditEntry
from app.models.customer import Customer, Notification, OwnershipChange, Task
from app.models.event import Event
from app.models.pool import Pool
from app.pools import schemas
from app.pools.service import rules_of
from app.workspaces import repository as workspaces

BATCH = 1000


def _level_days(per_level_days: dict[str, int]) -> ColumnElement[Any] | None:
    per_level = {k: v for k, v in per_level_days.items() if k != "default"}
    default = per_level_days.get("default")
    if not per_level and default is None:
        return None
    if not per_level:
        return literal(default)
    return case(per_level, value=Customer.level, else_=literal(default))


def _plus_days(start: ColumnElement[Any], days: ColumnElement[Any]) -> ColumnElement[Any]:
    return start + func.make_interval(0, 0, 0, days)


def _won_since(since: ColumnElement[Any]) -> ColumnElement[bool]:
    conditions = [won(since) for won in hooks.customer_won_since]
    return or_(*conditions) if conditions else false()


@dataclass(frozen=True)
class _Rule:
    """A pool's reclaim rules as SQL over `customers`: the deadline is the earlier of "last
    follow-up (or taking it) + N days" and "taking it + M days, unless a deal was won since"."""

    #: when the customer returns to the pool; NULL: it does not
    deadline: ColumnElement[Any]
    follow_days: ColumnElement[Any] | None
    win_days: ColumnElement[Any] | None
    #: the last follow-up, or when the owner took it if later
    last_touch: ColumnElement[Any]
    taken: ColumnElement[Any]
    #: NULL unless the no-won-deal rule applies (nothing won since it was taken)
    win_deadline: ColumnElement[Any]

    def reason(self, row: Any, now: datetime) -> tuple[str, int]:
        """(ledger text, the rule's days) for a due customer, naming the rule that fired."""
        follow = (
            row.last_touch + timedelta(days=row.follow_days)
            if row.follow_days is not None
            else None
        )
        if row.win_deadline is not None and (follow is None or row.win_deadline < follow):
            held = (now - row.taken).days
            return (
                f"reclaimed: no won deal for {held} days since it was taken (rule: {row.win_days})",
                row.win_days,
            )
        idle = (now - row.last_touch).days
        return f"reclaimed: no follow-up for {idle} days (rule: {row.follow_days})", row.follow_days

    def columns(self) -> list[Any]:
        return [
            self.last_touch.label("last_touch"),
            self.taken.label("taken"),
            (self.follow_days if self.follow_days is not None else null()).label("follow_days"),
            (self.win_days if self.win_days is not None else null()).label("win_days"),
            self.win_deadline.label("win_deadline"),
            self.deadline.label("deadline"),
        ]


def _rule(rules: schemas.PoolRules) -> _Rule | None:
    follow_days = _level_days(rules.reclaim_days)
    win_days = _level_days(rules.no_win_days)
    if follow_days is None and win_days is None:
        return None
    taken = func.coalesce(Customer.owned_since, Customer.created_at)
    last_touch = func.greatest(
        func.coalesce(Customer.last_followed_at, text("'-infinity'::timestamptz")), taken
    )
    win_deadline: ColumnElement[Any] = null()
    if win_days is not None:
        win_deadline = case((_won_since(taken), null()), else_=_plus_days(taken, win_days))
    if follow_days is None:
        deadline = win_deadline
    elif win_days is None:
        deadline = _plus_days(last_touch, follow_days)
    else:
        deadline = func.least(_plus_days(last_touch, follow_days), win_deadline)
    return _Rule(deadline, follow_days, win_days, last_touch, taken, win_deadline)


def _in_pool(pool: Pool, default_id: uuid.UUID | None) -> list[ColumnElement[bool]]:
    home = func.coalesce(Customer.pool_id, default_id) if default_id else Customer.pool_id
    conds: list[ColumnElement[bool]] = [
        home == pool.id,
        Customer.owner_id.is_not(None),
        Customer.locked.is_(False),
        Customer.deleted_at.is_(None),
    ]
    conds += [~exemption() for exemption in hooks.reclaim_exemptions]
    exempt_tiers = rules_of(pool).exempt_rfm_tiers
    if exempt_tiers:
        conds.append(~customer_value.in_tiers(Customer.id, exempt_tiers))
    return conds


async def _pools(session: AsyncSession) -> tuple[list[Pool], uuid.UUID | None]:
    pools = list((await session.execute(select(Pool).where(Pool.deleted_at.is_(None)))).scalars())
    default = next((p.id for p in pools if p.is_default), None)
    return pools, default


async def reclaim_workspace(workspace_id: uuid.UUID, now: datetime) -> int:
    maker = session_maker()
    reclaimed = 0
    async with workspace_session(maker, workspace_id) as session:
        pools, default = await _pools(session)
    for pool in pools:
        rules = rules_of(pool)
        rule = _rule(rules)
        if rule is None:
            continue
        async with workspace_session(maker, workspace_id) as session:
            due = await _due_ids(session, pool, default, rule, now)
        for start in range(0, len(due), BATCH):
            async with workspace_session(maker, workspace_id) as session:
                reclaimed += await _reclaim_batch(
                    session, workspace_id, pool, default, rule, now, due[start : start + BATCH]
                )
        async with workspace_session(maker, workspace_id) as session:
            await _warn(session, workspace_id, pool, default, rule, rules, now)
    return reclaimed


async def _due_ids(
    session: AsyncSession,
    pool: Pool,
    default: uuid.UUID | None,
    rule: _Rule,
    now: datetime,
) -> list[uuid.UUID]:
    """The pool's customers past their deadline, found in one pass over the table (the
    batches then lock them by id instead of scanning again for each batch)."""
    rows = await session.execute(
        select(Customer.id).where(*_in_pool(pool, default), rule.deadline < now)
    )
    return sorted(rows.scalars())


async def _reclaim_batch(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    pool: Pool,
    default: uuid.UUID | None,
    rule: _Rule,
    now: datetime,
    candidates: list[uuid.UUID],
) -> int:
    """Lock the candidates still due (a concurrent run or a follow-up since the scan may have
    changed that) and return them to the pool.

    The batch commits without waiting for its WAL flush: if the server crashed right after,
    the whole batch (customers, ledger, audit, events) would be undone together and the next
    run, finding the same customers still due, would reclaim them again."""
    await session.execute(text("SET LOCAL synchronous_commit = off"))
    rows = (
        await session.execute(
            select(Customer.id, Customer.owner_id, Customer.version, Customer.name, *rule.columns())
            .where(
                Customer.id == any_(bindparam("candidates", candidates, type_=ARRAY(Uuid))),
                *_in_pool(pool, default),
                rule.deadline < now,
            )
            .with_for_update(of=Customer, skip_locked=True)
        )
    ).all()
    if not rows:
        return 0
    ids = [r.id for r in rows]
    await session.execute(
        update(Customer)
        .where(Customer.id.in_(ids), Customer.owner_id.is_not(None))
        .values(owner_id=None, pool_id=pool.id, owned_since=None, version=Customer.version + 1)
        .execution_options(synchronize_session=False)
    )
    reasons = {r.id: rule.reason(r, now)[0] for r in rows}
    await session.execute(
        insert(OwnershipChange),
        [
            {
                "workspace_id": workspace_id,
                "customer_id": r.id,
                "from_user_id": r.owner_id,
                "to_user_id": None,
                "kind": "reclaim",
                "reason": reasons[r.id],
                "actor_id": None,
                "occurred_at": now,
            }
            for r in rows
        ],
    )
    await session.execute(
        insert(AuditEntry),
        [
            {
                "workspace_id": workspace_id,
                "actor_id": None,
                "actor_kind": "system",
                "action": "reclaimed",
                "entity": "customer",
                "entity_id": r.id,
                "changes": {
                    "owner_id": {"before": str(r.owner_id), "after": None},
                    "pool_id": {"before": None, "after": str(pool.id)},
                },
                "request_id": None,
            }
            for r in rows
        ],
    )
    await session.execute(
        insert(Event),
        [
            {
                "workspace_id": workspace_id,
                "type": "customer.reclaimed",
                "entity": "customer",
                "entity_id": r.id,
                "sequence": r.version + 1,
                "data": {
                    "id": str(r.id),
                    "name": r.name,
                    "owner_id": None,
                    "pool_id": str(pool.id),
                    "reason": reasons[r.id],
                },
                "changed_fields": ["owner_id", "pool_id"],
                "previous": {"owner_id": str(r.owner_id)},
            }
            for r in rows
        ],
    )
    per_owner: dict[uuid.UUID, int] = {}
    for r in rows:
        per_owner[r.owner_id] = per_owner.get(r.owner_id, 0) + 1
    for owner, count in per_owner.items():
        session.add(
            Notification(
                workspace_id=workspace_id,
                user_id=owner,
                kind="customers_reclaimed",
                title=f"{count} 个客户因未跟进已退回公海 / {count} customers returned to the pool",
                entity="pool",
                entity_id=pool.id,
                data={"count": count},
            )
        )
    return len(rows)


async def _warn(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    pool: Pool,
    default: uuid.UUID | None,
    rule: _Rule,
    rules: schemas.PoolRules,
    now: datetime,
) -> None:
    if rules.warn_days_before <= 0:
        return
    deadline = rule.deadline
    key = func.concat("reclaim_warn:", Customer.id, ":", func.to_char(deadline, "YYYY-MM-DD"))
    already = select(Notification.id).where(Notification.dedupe_key == key).exists()
    rows = (
        await session.execute(
            select(
                Customer.id,
                Customer.owner_id,
                Customer.name,
                deadline.label("deadline"),
                key.label("key"),
            )
            .where(
                *_in_pool(pool, default),
                deadline >= now,
                deadline < now + timedelta(days=rules.warn_days_before),
                ~already,
            )
            .limit(5000)
        )
    ).all()
    for r in rows:
        session.add(
            Notification(
                workspace_id=workspace_id,
                user_id=r.owner_id,
                kind="reclaim_warning",
                title=f"{r.name} 将于 {r.deadline:%Y-%m-%d} 退回公海 / returns to the pool on "
                f"{r.deadline:%Y-%m-%d}",
                entity="customer",
                entity_id=r.id,
                dedupe_key=r.key,
                data={"reclaim_at": r.deadline.isoformat()},
            )
        )
        session.add(
            Task(
                workspace_id=workspace_id,
                title=f"跟进 {r.name}（避免退回公海）",
                due_at=r.deadline,
                assignee_id=r.owner_id,
                customer_id=r.id,
                kind="reclaim_warning",
            )
        )


async def reclaim_all(now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    async with session_maker()() as session, session.begin():
        ids = await workspaces.all_ids(session)
    total = 0
    for workspace_id in ids:
        total += await reclaim_workspace(workspace_id, now)
    return total


@tasks.periodic(cron="*/30 * * * *", periodic_id="pool-reclaim")
@tasks.task(name="reclaim_customers", queue="maintenance", queueing_lock="reclaim_customers")
async def reclaim_customers(timestamp: int) -> int:
    return await reclaim_all()


async def due_soon(ctx: Ctx, ahead_days: int) -> list[schemas.ReclaimDue]:
    """Customers in the caller's scope whose reclaim deadline falls within `ahead_days`."""
    now = datetime.now(UTC)
    pools, default = await _pools(ctx.session)
    out: list[schemas.ReclaimDue] = []
    for pool in pools:
        rule = _rule(rules_of(pool))
        if rule is None:
            continue
        scoped = readable_statement(Customer, ctx.principal).with_only_columns(Customer.id)
        rows = (
            await ctx.session.execute(
                select(Customer.id, Customer.name, Customer.owner_id, *rule.columns())
                .where(
                    *_in_pool(pool, default),
                    Customer.id.in_(scoped),
                    rule.deadline < now + timedelta(days=ahead_days),
                )
                .order_by(rule.deadline)
                .limit(500)
            )
        ).all()
        for r in rows:
            reason, days = rule.reason(r, r.deadline)
            out.append(
                schemas.ReclaimDue(
                    customer_id=r.id,
                    name=r.name,
                    owner_id=r.owner_id,
                    pool_id=pool.id,
                    reclaim_at=r.deadline,
                    rule_days=days,
                    rule="no_won_deal" if "no won deal" in reason else "no_follow_up",
                )
            )
    out.sort(key=lambda r: r.reclaim_at)
    return out
