"""Upsert by external id, one item or a batch: the shared machinery.

An item names its row by (`external_source`, `external_id`), unique among the live rows of
a workspace (partial unique index per resource). Race safety: before reading, a chunk takes
a transaction-scoped advisory lock per key, in key order (so two batches never deadlock).
Whoever holds a key's lock sees the row if any committed one exists, and creates it only if
none does; a parallel upsert of the same key waits and then updates. Fifty parallel PUTs of
one id therefore make one row, with one `created` and 49 updates.

Items are validated one by one. A bad item is reported (`{index, id, created, code,
errors}`) and the rest are written, unless the caller asked for `all_or_none`, in which case
any bad item rolls the whole batch back (422 `batch_rejected`, with the per-item results).
Resources whose rules live in a service with side effects (customers: duplicate policy;
payments: allocation) run each item through that service inside a savepoint
(`one_by_one`); orders have a bulk path of their own (`app.integrations.orders`).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import ARRAY, Text, cast, func, select, text, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import Ctx
from app.errors import AppError, Conflict, FieldError, UnprocessableEntity

T = TypeVar("T", bound=BaseModel)

MAX_ITEMS = 1000


@dataclass
class Item(Generic[T]):
    index: int
    source: str
    external_id: str
    data: T

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.external_id)


@dataclass
class Outcome:
    index: int
    id: uuid.UUID | None = None
    created: bool = False
    error: AppError | None = None
    #: the row was already as sent: nothing written, no event
    unchanged: bool = False
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


class BatchRejected(UnprocessableEntity):
    code = "batch_rejected"
    title = "Batch rejected"


def failed(index: int, error: AppError, prefix: str) -> Outcome:
    """A per-item failure, its field paths moved under the item (`body.items.3.name`)."""
    errors = [
        FieldError(
            field=(prefix + e.field.removeprefix("body").lstrip(".")).rstrip("."),
            message=e.message,
        )
        for e in error.errors
    ]
    return Outcome(index=index, error=error, errors=errors)


@functools.cache
def _adapter(schema: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[schema])  # type: ignore[valid-type]


def parse(
    raw: Sequence[Any], schema: type[T], *, prefix: str = "body.items"
) -> tuple[list[Item[T]], list[Outcome]]:
    """Validate every item on its own; items without a key or repeating one fail alone.

    One validation pass over the list; when some items are invalid, their errors are told
    apart by index and the others validated again (an invalid batch is the rare case)."""
    adapter = _adapter(schema)
    bad: list[Outcome] = []
    try:
        valid: list[tuple[int, T]] = list(enumerate(adapter.validate_python(raw)))
    except ValidationError as exc:
        errors: dict[int, list[FieldError]] = {}
        for e in exc.errors():
            index, *loc = e["loc"]
            errors.setdefault(int(index), []).append(
                FieldError(field=".".join(["body", *map(str, loc)]), message=e["msg"])
            )
        for index, fields in errors.items():
            error = UnprocessableEntity("The item has invalid fields.", errors=fields)
            bad.append(failed(index, error, f"{prefix}.{index}."))
        good = [n for n in range(len(raw)) if n not in errors]
        valid = list(zip(good, adapter.validate_python([raw[n] for n in good]), strict=True))
    items: list[Item[T]] = []
    seen: set[tuple[str, str]] = set()
    for index, data in valid:
        where = f"{prefix}.{index}."
        source = getattr(data, "external_source", None)
        external_id = getattr(data, "external_id", None)
        if not source or not external_id:
            error = UnprocessableEntity(
                "Each item needs its external_source and external_id.",
                code="external_id_required",
                errors=[
                    FieldError(field=f"body.{name}", message="required")
                    for name, value in (("external_source", source), ("external_id", external_id))
                    if not value
                ],
            )
            bad.append(failed(index, error, where))
            continue
        if (source, external_id) in seen:
            error = UnprocessableEntity(
                "This external id is listed twice in the batch.",
                code="duplicate_in_batch",
                errors=[FieldError(field="body.external_id", message="listed twice")],
            )
            bad.append(failed(index, error, where))
            continue
        seen.add((source, external_id))
        items.append(Item(index, source, external_id, data))
    return items, bad


async def lock_keys(session: AsyncSession, table: str, keys: Sequence[tuple[str, str]]) -> None:
    """Transaction-scoped advisory locks on the keys, taken in a fixed order.

    The same statement plans the rest of the transaction for its actual arrays: a prepared
    statement's generic plan (PostgreSQL's choice after five runs) assumes ten array
    elements and joined 1,000 keys to the workspace's rows by nested loop (0.5 s)."""
    if not keys:
        return
    names = sorted({f"{table}\x1f{source}\x1f{external_id}" for source, external_id in keys})
    await session.execute(
        text(
            "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
            " count(pg_advisory_xact_lock(k)) FROM ("
            " SELECT DISTINCT hashtextextended("
            "   current_setting('app.workspace_id') || chr(31) || n, 0) AS k"
            " FROM unnest(CAST(:names AS text[])) AS n ORDER BY 1) AS locked"
        ),
        {"names": names},
    )


async def existing_ids(
    session: AsyncSession, model: Any, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], uuid.UUID]:
    """Live rows of the whole workspace by key (an integration's ids are unique whoever may
    see the row; whether the caller may change it is the update's question)."""
    if not keys:
        return {}
    # the keys as two bound arrays: one statement text whatever the batch size
    wanted = select(
        func.unnest(cast([s for s, _ in keys], ARRAY(Text))).label("source"),
        func.unnest(cast([e for _, e in keys], ARRAY(Text))).label("external_id"),
    ).subquery()
    rows = await session.execute(
        select(model.external_source, model.external_id, model.id).where(
            tuple_(model.external_source, model.external_id).in_(
                select(wanted.c.source, wanted.c.external_id)
            ),
            model.deleted_at.is_(None),
        )
    )
    return {(s, e): i for s, e, i in rows.all()}


Apply = Callable[[Ctx, Item[T], uuid.UUID | None], Awaitable[tuple[uuid.UUID, bool]]]


async def one_by_one(
    ctx: Ctx,
    model: Any,
    items: Sequence[Item[T]],
    apply: Apply[T],
    *,
    prefix: str = "body.items",
    found: dict[tuple[str, str], uuid.UUID] | None = None,
) -> list[Outcome]:
    """Each item through its domain service in a savepoint: a refused item (duplicate policy,
    allocation rules, scope ...) rolls back alone. `apply` gets the existing row's id (None:
    create) and answers (id, changed). `found`: the existing rows, when the caller has
    locked the keys and looked them up."""
    if not items:
        return []
    if found is None:
        await lock_keys(ctx.session, model.__tablename__, [i.key for i in items])
        found = await existing_ids(ctx.session, model, [i.key for i in items])
    out: list[Outcome] = []
    for item in items:
        current = found.get(item.key)
        try:
            async with ctx.session.begin_nested():
                row_id, changed = await apply(ctx, item, current)
        except AppError as exc:
            out.append(failed(item.index, exc, f"{prefix}.{item.index}."))
            continue
        except IntegrityError as exc:
            # a writer outside the upsert path took a unique value past its check
            error = Conflict(
                "Another record already has a unique value of this item.",
                code="unique_violation",
                extra={"constraint": getattr(exc.orig, "constraint_name", None)},
            )
            out.append(failed(item.index, error, f"{prefix}.{item.index}."))
            continue
        out.append(
            Outcome(index=item.index, id=row_id, created=current is None, unchanged=not changed)
        )
    return out


def finish(outcomes: list[Outcome], *, all_or_none: bool) -> list[Outcome]:
    """Results in item order; with `all_or_none`, any failure rejects the whole batch."""
    outcomes.sort(key=lambda o: o.index)
    if all_or_none and any(not o.ok for o in outcomes):
        from app.integrations.schemas import ItemResult

        raise BatchRejected(
            "Some items are invalid; with all_or_none nothing was written.",
            extra={"items": [ItemResult.of(o).model_dump(mode="json") for o in outcomes]},
        )
    return outcomes
