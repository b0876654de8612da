"""Audit trail and outbox, written together by every mutation in its own transaction."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import orjson
from sqlalchemy import FromClause, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.context import current_request_id
from app.core.ids import uuid7
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
    rows = _rows(
        principal,
        Mutation(entity, action, entity_id, sequence, before, after),
        workspace_id,
        current_request_id(),
    )
    if rows is not None:
        session.add(AuditEntry(**rows[0]))
        session.add(Event(**rows[1]))


@dataclass(frozen=True)
class Mutation:
    entity: str
    action: str
    entity_id: uuid.UUID
    sequence: int
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


async def record_mutations(
    session: AsyncSession, principal: Principal | None, mutations: Sequence[Mutation]
) -> None:
    """`record_mutation` for many rows at once (batch upserts): the same audit rows and
    outbox events, written with two multi-row INSERTs instead of 2 × N ORM inserts. The
    snapshots are taken as `snapshot()` makes them (JSON-safe); anything else is made so."""
    if not mutations:
        return
    request_id = current_request_id()
    assert principal is not None
    ws, actor = principal.workspace_id, principal.user_id
    kind = "api_key" if principal.api_key_id else "user"
    audit: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for m in mutations:
        before = m.before or {}
        after = m.after or {}
        changes: dict[str, Any] = {}
        for name in sorted(before.keys() | after.keys()):
            old, new = _safe(before.get(name)), _safe(after.get(name))
            if old != new:
                changes[name] = {"before": old, "after": new}
        updated = m.action == "updated"
        if updated and not changes:
            continue
        audit.append(
            {
                "id": uuid7(),
                "workspace_id": ws,
                "actor_id": actor,
                "actor_kind": kind,
                "api_key_id": principal.api_key_id,
                "action": m.action,
                "entity": m.entity,
                "entity_id": m.entity_id,
                "changes": changes,
                "request_id": request_id,
            }
        )
        data = {k: _safe(v) for k, v in (m.after if m.after is not None else before).items()}
        data["id"] = str(m.entity_id)
        events.append(
            {
                "workspace_id": ws,
                "type": f"{m.entity}.{m.action}",
                "entity": m.entity,
                "entity_id": m.entity_id,
                "sequence": m.sequence,
                "data": data,
                "changed_fields": sorted(changes) if updated else [],
                "previous": {k: v["before"] for k, v in changes.items()} if updated else None,
                "actor_id": actor,
                "request_id": request_id,
            }
        )
    await insert_rows(session, AuditEntry.__table__, audit)
    await insert_rows(session, Event.__table__, events)


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def _safe(value: Any) -> Any:
    """`jsonable`, skipped for values that already are JSON (most of a snapshot)."""
    return value if type(value) in _JSON_SCALARS else jsonable(value)


def _json_default(value: Any) -> Any:
    if type(value) is uuid.UUID:  # most of them: ids
        return str(value)
    converted = jsonable(value)
    if converted is value:
        raise TypeError(f"not JSON serialisable: {type(value).__name__}")
    return converted


def _json_rows(rows: Sequence[Mapping[str, Any]]) -> str:
    """The rows as one JSON array (UUIDs, Decimals and times as `jsonable` writes them).

    orjson writes UUIDs, times and enums itself, the way `jsonable` does (ISO 8601 with the
    offset, canonical UUIDs); only Decimals and the odd other value call back into Python.
    A thousand-row batch spent more time here, in the standard library's encoder calling
    `_json_default` per UUID, than PostgreSQL spent inserting the rows."""
    try:
        return orjson.dumps(rows, default=_json_default).decode()
    except TypeError:  # e.g. mapping keys that are not strings
        return json.dumps(jsonable(list(rows)), ensure_ascii=False)


def _name(table: FromClause) -> str:
    return str(getattr(table, "name"))  # noqa: B009 (a Table; FromClause types it loosely)


@functools.cache
def _record(table: FromClause, names: tuple[str, ...]) -> str:
    """`jsonb_to_recordset(...) AS r(<column> <type>, ...)` for these columns."""
    dialect: Any = postgresql.dialect()  # type: ignore[no-untyped-call]
    columns = ", ".join(f'"{n}" {table.c[n].type.compile(dialect=dialect)}' for n in names)
    return f"jsonb_to_recordset(CAST(:rows AS jsonb)) AS r({columns})"


async def insert_rows(
    session: AsyncSession,
    table: FromClause,
    rows: Sequence[Mapping[str, Any]],
    *,
    computed: Mapping[str, str] | None = None,
) -> None:
    """INSERT many rows as one statement: the rows travel as one JSON array, read back by
    `jsonb_to_recordset` with the columns' own types (one round trip, a constant statement
    text, one serialisation in C). Every row names the same columns; Python-side column
    defaults do not apply (give ids explicitly). `computed` adds columns whose value is an
    SQL expression over the others (`r."name"`)."""
    if not rows:
        return
    names = tuple(rows[0])
    columns = [f'"{n}"' for n in names]
    values = [f'r."{n}"' for n in names]
    for column, expression in (computed or {}).items():
        columns.append(f'"{column}"')
        values.append(expression)
    await session.execute(
        text(
            f'INSERT INTO "{_name(table)}" ({", ".join(columns)}) '
            f"SELECT {', '.join(values)} FROM {_record(table, names)}"
        ),
        {"rows": _json_rows(rows)},
    )


async def update_rows(
    session: AsyncSession,
    table: FromClause,
    rows: Sequence[Mapping[str, Any]],
    *,
    also: str = "",
) -> None:
    """UPDATE many rows by `id` in one statement (`UPDATE ... FROM jsonb_to_recordset(...)`);
    `also` adds SET clauses of its own (e.g. `version = t.version + 1`)."""
    if not rows:
        return
    names = tuple(rows[0])
    sets = [f'"{n}" = r."{n}"' for n in names if n != "id"]
    if also:
        sets.append(also)
    await session.execute(
        text(
            f'UPDATE "{_name(table)}" AS t SET {", ".join(sets)} '
            f"FROM {_record(table, names)} WHERE t.id = r.id"
        ),
        {"rows": _json_rows(rows)},
    )


def _rows(
    principal: Principal | None,
    m: Mutation,
    workspace_id: uuid.UUID | None,
    request_id: str | None,
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The audit row and the outbox event of one mutation (None: an update of nothing)."""
    changes = diff(m.before, m.after)
    if m.action == "updated" and not changes:
        return None
    ws = workspace_id or (principal.workspace_id if principal else None)
    assert ws is not None
    actor = principal.user_id if principal else None
    audit = {
        "workspace_id": ws,
        "actor_id": actor,
        "actor_kind": "api_key"
        if principal and principal.api_key_id
        else ("user" if principal else "system"),
        "api_key_id": principal.api_key_id if principal else None,
        "action": m.action,
        "entity": m.entity,
        "entity_id": m.entity_id,
        "changes": changes,
        "request_id": request_id,
    }
    data = jsonable(dict(m.after if m.after is not None else (m.before or {})))
    data["id"] = str(m.entity_id)
    updated = m.action == "updated"
    event = {
        "workspace_id": ws,
        "type": f"{m.entity}.{m.action}",
        "entity": m.entity,
        "entity_id": m.entity_id,
        "sequence": m.sequence,
        "data": data,
        "changed_fields": sorted(changes) if updated else [],
        "previous": {k: v["before"] for k, v in changes.items()} if updated else None,
        "actor_id": actor,
        "request_id": request_id,
    }
    return audit, event


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The public fields of a row, as recorded in audit `changes` and event `data`."""
    return {name: jsonable(getattr(obj, name)) for name in fields}
