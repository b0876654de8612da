"""Audit trail and outbox, written together by every mutation in its own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.context import current_request_id
from app.core.principal import Principal
from app.models.audit import AuditEntry
from app.models.event import Event


def jsonable(value: Any) -> Any:
    """JSON-safe copy of a snapshot value: Decimal as string, times as ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, Any]:
    """Changed fields as `{field: {"before": old, "after": new}}`."""
    before, after = before or {}, after or {}
    changes: dict[str, Any] = {}
    for name in sorted(set(before) | set(after)):
        old, new = jsonable(before.get(name)), jsonable(after.get(name))
        if old != new:
            changes[name] = {"before": old, "after": new}
    return changes


async def record_mutation(
    session: AsyncSession,
    principal: Principal | None,
    *,
    entity: str,
    action: str,
    entity_id: uuid.UUID,
    sequence: int,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    workspace_id: uuid.UUID | None = None,
) -> None:
    """Write one audit row and one outbox event for a mutation.

    `before`/`after` are snapshots of the public fields (None for create/delete sides);
    `sequence` is the entity's version after the change, so consumers can order events of
    one entity. Nothing is written when an update changed nothing.
    """
    changes = diff(before, after)
    if action == "updated" and not changes:
        return
    ws = workspace_id or (principal.workspace_id if principal else None)
    assert ws is not None
    actor = principal.user_id if principal else None
    request_id = current_request_id()
    session.add(
        AuditEntry(
            workspace_id=ws,
            actor_id=actor,
            actor_kind="api_key"
            if principal and principal.api_key_id
            else ("user" if principal else "system"),
            api_key_id=principal.api_key_id if principal else None,
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=changes,
            request_id=request_id,
        )
    )
    data = jsonable(dict(after if after is not None else (before or {})))
    data["id"] = str(entity_id)
    session.add(
        Event(
            workspace_id=ws,
            type=f"{entity}.{action}",
            entity=entity,
            entity_id=entity_id,
            sequence=sequence,
            data=data,
            changed_fields=sorted(changes) if action == "updated" else [],
            previous={k: v["before"] for k, v in changes.items()} if action == "updated" else None,
            actor_id=actor,
            request_id=request_id,
        )
    )


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The public fields of a row, as recorded in audit `changes` and event `data`."""
    return {name: jsonable(getattr(obj, name)) for name in fields}
