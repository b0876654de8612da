"""Assignment rules: the first active rule whose conditions match picks the owner.

Fairness under concurrency: the chosen rule's row is locked (SELECT ... FOR UPDATE) while
its strategy (app.core.assignment, shared with tickets) reads and advances its state, so
parallel lead creation takes turns — no rep is skipped or served twice. Deactivated users
and users at capacity are skipped, and the lead records which rule assigned it and why.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.assignment import Candidate, pick, team_candidates, under_capacity, user_candidates
from app.models.lead import AssignmentRule, Lead

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


async def _candidates(session: AsyncSession, rule: AssignmentRule) -> list[Candidate]:
    """(id, name) of active candidate users, in the rule's order."""
    if rule.strategy == "team" and rule.team_id is not None:
        return await team_candidates(session, rule.team_id)
    return await user_candidates(session, rule.user_ids)


async def _open_counts(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(Lead.owner_id, func.count())
        .where(Lead.owner_id.in_(ids), Lead.status.in_(OPEN_STATUSES), Lead.deleted_at.is_(None))
        .group_by(Lead.owner_id)
    )
    return {r[0]: int(r[1]) for r in rows}


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
        eligible = under_capacity(everyone, loads, rule.capacity)
        if not eligible:
            notes.append(f"rule '{rule.name}': every candidate is inactive or at capacity")
            continue
        uid, note, state = pick(
            strategy=rule.strategy,
            rule_name=rule.name,
            eligible=eligible,
            everyone=everyone,
            loads=loads,
            state=rule.state,
            weights=rule.weights,
        )
        rule.state = state
        lead.owner_id = uid
        lead.assigned_rule_id = rule.id
        lead.assignment_note = note
        return
    lead.assignment_note = (
        "; ".join(notes) or "no assignment rule matched; waiting in the lead pool"
    )
