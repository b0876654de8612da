"""Assignment rules: the first active rule whose conditions match picks the owner.

Fairness under concurrency: the chosen rule's row is locked (SELECT ... FOR UPDATE) while
its strategy reads and advances its state, so parallel lead creation takes turns — no rep
is skipped or served twice. Deactivated users and users at capacity are skipped, and the
lead records which rule assigned it and why.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.scope import team_subtree
from app.models.lead import AssignmentRule, Lead
from app.models.user import User

OPEN_STATUSES = ("new", "contacted", "qualified")


def matches(rule: AssignmentRule, lead: Lead) -> bool:
    c = rule.conditions or {}
    if c.get("sources") and lead.source not in c["sources"]:
        return False
    if c.get("campaign_ids") and str(lead.campaign_id) not in {str(x) for x in c["campaign_ids"]}:
        return False
    if c.get("provinces") and lead.province not in c["provinces"]:
        return False
    if c.get("cities") and lead.city not in c["cities"]:
        return False
    return all(
        lead.custom_fields.get(key) == value for key, value in (c.get("custom") or {}).items()
    )


async def _candidates(session: AsyncSession, rule: AssignmentRule) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of active candidate users, in the rule's order."""
    if rule.strategy == "team" and rule.team_id is not None:
        rows = await session.execute(
            select(User.id, User.name)
            .where(
                User.team_id.in_(team_subtree(rule.team_id)),
                User.is_active.is_(True),
                User.deleted_at.is_(None),
            )
            .order_by(User.name, User.id)
        )
        return [(r.id, r.name) for r in rows]
    rows = await session.execute(
        select(User.id, User.name).where(
            User.id.in_(rule.user_ids), User.is_active.is_(True), User.deleted_at.is_(None)
        )
    )
    names = {r.id: r.name for r in rows}
    return [(uid, names[uid]) for uid in rule.user_ids if uid in names]


async def _open_counts(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(Lead.owner_id, func.count())
        .where(Lead.owner_id.in_(ids), Lead.status.in_(OPEN_STATUSES), Lead.deleted_at.is_(None))
        .group_by(Lead.owner_id)
    )
    return {r[0]: int(r[1]) for r in rows}


def _pick(
    rule: AssignmentRule,
    eligible: list[tuple[uuid.UUID, str]],
    loads: dict[uuid.UUID, int],
    everyone: list[tuple[uuid.UUID, str]],
    names: dict[uuid.UUID, str],
) -> tuple[uuid.UUID, str, dict[str, Any]]:
    state = dict(rule.state or {})
    strategy = rule.strategy
    if strategy == "fixed_user":
        uid, name = eligible[0]
        return uid, f"rule '{rule.name}', fixed user {name}", state
    if strategy == "least_loaded":
        uid, name = min(eligible, key=lambda c: (loads.get(c[0], 0), everyone.index(c)))
        return uid, (f"rule '{rule.name}', least loaded ({loads.get(uid, 0)} open leads)"), state
    if strategy == "weighted":
        current = {k: int(v) for k, v in (state.get("current") or {}).items()}
        weights = {str(uid): max(1, int(rule.weights.get(str(uid), 1))) for uid, _ in eligible}
        total = sum(weights.values())
        for key, weight in weights.items():
            current[key] = current.get(key, 0) + weight
        chosen = max(eligible, key=lambda c: (current[str(c[0])], -everyone.index(c)))
        current[str(chosen[0])] -= total
        state["current"] = current
        return (
            chosen[0],
            (
                f"rule '{rule.name}', weighted round-robin "
                f"(weight {weights[str(chosen[0])]} of {total})"
            ),
            state,
        )
    # round_robin and team: the next eligible user after the last one served
    last = state.get("last_user_id")
    order = [uid for uid, _ in everyone]
    start = order.index(uuid.UUID(last)) + 1 if last and uuid.UUID(last) in order else 0
    eligible_ids = {uid for uid, _ in eligible}
    for step in range(len(order)):
        uid = order[(start + step) % len(order)]
        if uid in eligible_ids:
            break
    state["last_user_id"] = str(uid)
    after = f", next after {names[uuid.UUID(last)]}" if last and uuid.UUID(last) in names else ""
    label = "team round-robin" if strategy == "team" else "round-robin"
    return uid, f"rule '{rule.name}', {label}{after}", state


async def assign(session: AsyncSession, lead: Lead) -> None:
    """Give an unowned lead an owner by the first matching rule (in the caller's transaction)."""
    rules = (
        (
            await session.execute(
                select(AssignmentRule)
                .where(AssignmentRule.active.is_(True), AssignmentRule.deleted_at.is_(None))
                .order_by(AssignmentRule.position, AssignmentRule.id)
            )
        )
        .scalars()
        .all()
    )
    notes: list[str] = []
    for candidate_rule in rules:
        if not matches(candidate_rule, lead):
            continue
        rule = (
            await session.execute(
                select(AssignmentRule)
                .where(AssignmentRule.id == candidate_rule.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).scalar_one()
        everyone = await _candidates(session, rule)
        loads = await _open_counts(session, [uid for uid, _ in everyone])
        eligible = [
            c for c in everyone if rule.capacity is None or loads.get(c[0], 0) < rule.capacity
        ]
        if not eligible:
            notes.append(f"rule '{rule.name}': every candidate is inactive or at capacity")
            continue
        names = dict(everyone)
        uid, note, state = _pick(rule, eligible, loads, everyone, names)
        rule.state = state
        lead.owner_id = uid
        lead.assigned_rule_id = rule.id
        lead.assignment_note = note
        return
    lead.assignment_note = (
        "; ".join(notes) or "no assignment rule matched; waiting in the lead pool"
    )
