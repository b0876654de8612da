"""Who gets the next record: the assignment strategies leads and tickets share.

A domain owns its rules (what matches, which row to lock); this module picks a user from
the rule's candidates. Callers hold the rule's row lock (SELECT ... FOR UPDATE) while
they read its state, call `pick()` and store the new state, so parallel creates take
turns: no candidate is skipped or served twice. Inactive and deleted users are never
candidates; users at the rule's capacity are not eligible.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.scope import team_subtree

Candidate = tuple[uuid.UUID, str]


async def team_candidates(session: AsyncSession, team_id: uuid.UUID) -> list[Candidate]:
    """Active members of a team and its sub-teams, by name (a stable turn order)."""
    from app.models.user import User

    rows = await session.execute(
        select(User.id, User.name)
        .where(
            User.team_id.in_(team_subtree(team_id)),
            User.is_active.is_(True),
            User.deleted_at.is_(None),
        )
        .order_by(User.name, User.id)
    )
    return [(r.id, r.name) for r in rows]


async def user_candidates(session: AsyncSession, user_ids: Sequence[uuid.UUID]) -> list[Candidate]:
    """The active users among `user_ids`, in the given order."""
    from app.models.user import User

    rows = await session.execute(
        select(User.id, User.name).where(
            User.id.in_(user_ids), User.is_active.is_(True), User.deleted_at.is_(None)
        )
    )
    names = {r.id: r.name for r in rows}
    return [(uid, names[uid]) for uid in user_ids if uid in names]


def under_capacity(
    everyone: Sequence[Candidate], loads: Mapping[uuid.UUID, int], capacity: int | None
) -> list[Candidate]:
    return [c for c in everyone if capacity is None or loads.get(c[0], 0) < capacity]


def pick(
    *,
    strategy: str,
    rule_name: str,
    eligible: Sequence[Candidate],
    everyone: Sequence[Candidate],
    loads: Mapping[uuid.UUID, int],
    state: Mapping[str, Any],
    weights: Mapping[str, int] | None = None,
    load_unit: str = "open leads",
) -> tuple[uuid.UUID, str, dict[str, Any]]:
    """(user, why, the rule's new state) for one record. `eligible` is not empty and is a
    subsequence of `everyone` (the turn order).

    Strategies: `fixed_user` (the first eligible), `least_loaded` (fewest open records,
    ties in turn order), `weighted` (smooth weighted round-robin), `round_robin` and
    `team` (the next eligible user after the last one served).
    """
    new_state = dict(state or {})
    names = dict(everyone)
    if strategy == "fixed_user":
        uid, name = eligible[0]
        return uid, f"rule '{rule_name}', fixed user {name}", new_state
    if strategy == "least_loaded":
        order = list(everyone)
        uid, _ = min(eligible, key=lambda c: (loads.get(c[0], 0), order.index(c)))
        note = f"rule '{rule_name}', least loaded ({loads.get(uid, 0)} {load_unit})"
        return uid, note, new_state
    if strategy == "weighted":
        order = list(everyone)
        current = {k: int(v) for k, v in (new_state.get("current") or {}).items()}
        weight_of = {str(uid): max(1, int((weights or {}).get(str(uid), 1))) for uid, _ in eligible}
        total = sum(weight_of.values())
        for key, weight in weight_of.items():
            current[key] = current.get(key, 0) + weight
        chosen = max(eligible, key=lambda c: (current[str(c[0])], -order.index(c)))
        current[str(chosen[0])] -= total
        new_state["current"] = current
        note = (
            f"rule '{rule_name}', weighted round-robin "
            f"(weight {weight_of[str(chosen[0])]} of {total})"
        )
        return chosen[0], note, new_state
    # round_robin and team: the next eligible user after the last one served
    last = new_state.get("last_user_id")
    last_id = uuid.UUID(last) if last else None
    order_ids = [uid for uid, _ in everyone]
    start = order_ids.index(last_id) + 1 if last_id in order_ids else 0
    eligible_ids = {uid for uid, _ in eligible}
    uid = eligible[0][0]
    for step in range(len(order_ids)):
        candidate = order_ids[(start + step) % len(order_ids)]
        if candidate in eligible_ids:
            uid = candidate
            break
    new_state["last_user_id"] = str(uid)
    after = f", next after {names[last_id]}" if last_id is not None and last_id in names else ""
    label = "team round-robin" if strategy == "team" else "round-robin"
    return uid, f"rule '{rule_name}', {label}{after}", new_state
