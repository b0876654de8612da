"""Registered cross-domain reactions, so domains never import each other's internals.

A domain that owns records tied to a customer or a user (deals, contracts, ...) registers
here; customers/ and users/ call whatever is registered.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.principal import Principal


@dataclass(frozen=True)
class OwnershipMove:
    """Customers changing owner in one operation (transfer, handover, dispute, claim)."""

    customer_ids: Sequence[uuid.UUID]
    from_user_id: uuid.UUID | None
    to_user_id: uuid.UUID | None
    kind: str


#: called in the transfer's transaction; returns {entity: rows moved}
CustomerMoveHook = Callable[[AsyncSession, Principal, OwnershipMove], Awaitable[dict[str, int]]]
#: counts what a user still owns, {entity: count}, so deactivation can point to handover
OwnedCounter = Callable[[AsyncSession, uuid.UUID], Awaitable[dict[str, int]]]
#: moves everything of one kind a departing user owns to another user; {entity: count}
HandoverHook = Callable[[AsyncSession, Principal, uuid.UUID, uuid.UUID], Awaitable[dict[str, int]]]

customer_move_hooks: list[CustomerMoveHook] = []
owned_counters: list[OwnedCounter] = []
handover_hooks: list[HandoverHook] = []

#: a duplicate customer merged into a survivor (duplicate id, survivor id): records that
#: point at the duplicate (contracts, orders, deals) move to the survivor; called in the
#: merge's transaction; returns {entity: rows moved}
CustomerMergeHook = Callable[
    [AsyncSession, Principal, uuid.UUID, uuid.UUID], Awaitable[dict[str, int]]
]
customer_merge_hooks: list[CustomerMergeHook] = []

#: live records that stop a customer from being deleted (the recycle-bin purge would
#: otherwise destroy or orphan them): returns {entity: count}, empty or zeros when none;
#: called before the delete writes anything
CustomerDeleteGuard = Callable[[AsyncSession, uuid.UUID], Awaitable[dict[str, int]]]
customer_delete_guards: list[CustomerDeleteGuard] = []

#: SQL conditions on `customers` that exempt a customer from automatic reclaim
#: (e.g. "has an active contract"); each returns a boolean column expression
ReclaimExemption = Callable[[], Any]
reclaim_exemptions: list[ReclaimExemption] = []

#: "the customer has a deal won at or after <since>" as a SQL condition correlated to
#: `customers` (registered by the pipeline domain): pools' no-won-deal reclaim rule and
#: whether won customers count toward the holding cap
CustomerWonSince = Callable[[Any], Any]
customer_won_since: list[CustomerWonSince] = []

#: more items on a customer's timeline (e.g. its service tickets): each returns a SELECT of
#: (kind, id as text, occurred_at, actor id, jsonb data) for one customer, limited to what
#: the principal (first argument) may read of its own module, unioned into the timeline
TimelinePart = Callable[[Any, uuid.UUID], Any]
timeline_parts: list[TimelinePart] = []
