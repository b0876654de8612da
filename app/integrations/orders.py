"""Orders upserted in bulk: a shop's order feed at thousands of items a second.

One chunk is a fixed number of statements whatever its size: the key locks, the existing
rows, the caller's writable ones, known products, readable customers named by id, the
customer matching (one query per rule, `orders.service.match_customers`), one multi-row
INSERT of new orders, one executemany UPDATE of changed ones, their lines, and the audit
rows and outbox events (`record_mutations`). The rules are the orders service's own:
`priced_lines`, `order_amount` and the matching rules.

On update, fields the item leaves out keep their value; sending `items` replaces the lines
(and, without `amount`, the amount); the buyer is matched again only when the item sends
buyer fields. An order equal to what is stored is left alone (no write, no event).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, delete, select

from app.auth.dependencies import Ctx
from app.core.audit import Mutation, insert_rows, record_mutations, update_rows
from app.core.ids import uuid7
from app.customers.normalize import normalize_email, normalize_phone
from app.customers.repository import CustomerRepository
from app.errors import AppError, Conflict, FieldError, UnprocessableEntity
from app.integrations.upsert import Item, Outcome, existing_ids, failed, lock_keys
from app.models.customer import Customer
from app.models.orders import Order, OrderItem
from app.orders import service as orders
from app.orders.repository import OrderRepository
from app.orders.schemas import OrderCreate

#: the columns an upsert writes (besides id, workspace, version and times)
COLUMNS = (
    "external_source",
    "external_id",
    "order_number",
    "customer_id",
    "customer_external_id",
    "customer_name",
    "customer_phone",
    "customer_phone_normalized",
    "customer_email",
    "matched_by",
    "match_note",
    "channel",
    "status",
    "ordered_at",
    "amount",
    "currency",
    "notes",
)
BUYER_FIELDS = frozenset(
    {"customer_id", "customer_external_id", "customer_phone", "customer_email"}
)
LINE_FIELDS = ("product_id", "sku", "name", "quantity", "unit_price", "amount")

_ORDERS: Table = Order.__table__  # type: ignore[assignment]
_LINES: Table = OrderItem.__table__  # type: ignore[assignment]


class _Plan:
    """What one item will write."""

    def __init__(self, item: Item[OrderCreate], values: dict[str, Any]) -> None:
        self.item = item
        self.values = values
        self.lines: list[dict[str, Any]] | None = None


async def upsert_orders(
    ctx: Ctx, items: Sequence[Item[OrderCreate]], *, prefix: str = "body.items"
) -> list[Outcome]:
    session, principal = ctx.session, ctx.principal
    repo = OrderRepository(session, principal)
    keys = [i.key for i in items]
    await lock_keys(session, "orders", keys)
    found = await existing_ids(session, Order, keys)
    stored: dict[uuid.UUID, Any] = {}
    writable: set[uuid.UUID] = set()
    if found:
        rows = await session.execute(select(_ORDERS).where(_ORDERS.c.id.in_(found.values())))
        stored = {r.id: r for r in rows.all()}
        if principal.can_write("orders"):
            writable = set(
                (
                    await session.execute(
                        repo.writable()
                        .where(Order.id.in_(found.values()))
                        .with_only_columns(Order.id)
                    )
                ).scalars()
            )
    products = await repo.known_products(
        {line.product_id for i in items for line in i.data.items if line.product_id}
    )
    named = {i.data.customer_id for i in items if i.data.customer_id}
    readable_customers: set[uuid.UUID] = set()
    if named:
        readable_customers = set(
            (
                await session.execute(
                    CustomerRepository(session, principal)
                    .readable()
                    .where(Customer.id.in_(named))
                    .with_only_columns(Customer.id)
                )
            ).scalars()
        )
    phones = {
        i.index: normalize_phone(i.data.customer_phone) if i.data.customer_phone else None
        for i in items
    }
    to_match = [
        i
        for i in items
        if i.data.customer_id is None
        and (i.key not in found or BUYER_FIELDS & i.data.model_fields_set)
    ]
    matches = dict(
        zip(
            (i.index for i in to_match),
            await orders.match_customers(
                repo, [i.data for i in to_match], [phones[i.index] for i in to_match]
            ),
            strict=True,
        )
    )

    outcomes: list[Outcome] = []
    plans: list[_Plan] = []
    for item in items:
        current = found.get(item.key)
        try:
            if current is not None and current not in writable:
                raise Conflict(
                    "An order you may not change has this external id.",
                    code="external_id_taken",
                    errors=[FieldError(field="body.external_id", message="outside your scope")],
                )
            plan = _plan(
                item,
                phones[item.index],
                stored.get(current) if current else None,
                products,
                readable_customers,
                matches.get(item.index),
            )
        except AppError as exc:
            outcomes.append(failed(item.index, exc, f"{prefix}.{item.index}."))
            continue
        plans.append(plan)

    replaced = [p for p in plans if p.values.get("id") in stored and p.lines is not None]
    if replaced:
        have = await repo.items_of([p.values["id"] for p in replaced])
        for p in replaced:
            old = [{k: getattr(line, k) for k in LINE_FIELDS} for line in have[p.values["id"]]]
            if old == [{k: line[k] for k in LINE_FIELDS} for line in p.lines or []]:
                p.lines = None
    await _write(ctx, plans, stored, outcomes)
    return outcomes


def _plan(
    item: Item[OrderCreate],
    phone: str | None,
    row: Any | None,
    products: set[uuid.UUID],
    readable_customers: set[uuid.UUID],
    match: tuple[uuid.UUID | None, str | None, str | None] | None,
) -> _Plan:
    data = item.data
    sent = data.model_fields_set if row is not None else set(OrderCreate.model_fields)
    lines = orders.priced_lines(data, products) if "items" in sent else None
    values: dict[str, Any] = {c: getattr(row, c) for c in COLUMNS} if row is not None else {}
    if row is not None:
        values["id"] = row.id
    for name in ("order_number", "customer_name", "channel", "ordered_at", "currency", "notes"):
        if name in sent:
            values[name] = getattr(data, name)
    values["external_source"], values["external_id"] = item.key
    if "status" in sent:
        values["status"] = data.status.value
    if "customer_external_id" in sent:
        values["customer_external_id"] = data.customer_external_id
    if "customer_phone" in sent:
        values["customer_phone"] = data.customer_phone
        values["customer_phone_normalized"] = phone
    if "customer_email" in sent:
        values["customer_email"] = normalize_email(data.customer_email)
    if data.customer_id is not None:
        if data.customer_id not in readable_customers:
            raise UnprocessableEntity(
                f"No customer with id {data.customer_id}.",
                code="invalid_reference",
                errors=[FieldError(field="body.customer_id", message="unknown customer")],
            )
        values.update(customer_id=data.customer_id, matched_by="manual", match_note=None)
    elif match is not None:
        customer_id, matched_by, note = match
        values.update(customer_id=customer_id, matched_by=matched_by, match_note=note)
    if "amount" in sent or lines is not None:
        amount = data.amount if "amount" in sent else None
        values["amount"] = orders.order_amount(amount, lines or [])
    plan = _Plan(item, values)
    if lines is not None:
        plan.lines = [
            {
                "product_id": line.product_id,
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": amount,
            }
            for line, amount in lines
        ]
    return plan


async def _write(
    ctx: Ctx, plans: list[_Plan], stored: dict[uuid.UUID, Any], outcomes: list[Outcome]
) -> None:
    session, principal = ctx.session, ctx.principal
    ws = principal.workspace_id
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    mutations: list[Mutation] = []
    line_rows: list[dict[str, Any]] = []
    relined: list[uuid.UUID] = []
    for plan in plans:
        row = stored.get(plan.values.get("id"))  # type: ignore[arg-type]
        if row is None:
            order_id = uuid7()
            new.append(
                {
                    **plan.values,
                    "id": order_id,
                    "workspace_id": ws,
                    "created_by": principal.user_id,
                    "version": 1,
                }
            )
            mutations.append(
                Mutation("order", "created", order_id, 1, None, _snapshot(plan.values))
            )
            outcomes.append(Outcome(plan.item.index, order_id, created=True))
        else:
            order_id = row.id
            before = {c: getattr(row, c) for c in COLUMNS}
            after = {c: plan.values[c] for c in COLUMNS}
            if _same(before, after) and plan.lines is None:
                outcomes.append(Outcome(plan.item.index, order_id, unchanged=True))
                continue
            changed.append({"id": order_id, **after})
            mutations.append(
                Mutation(
                    "order",
                    "updated",
                    order_id,
                    row.version + 1,
                    _snapshot(before),
                    _snapshot(after),
                )
            )
            if plan.lines is not None:
                relined.append(order_id)
            outcomes.append(Outcome(plan.item.index, order_id))
        for position, line in enumerate(plan.lines or []):
            line_rows.append(
                {
                    **line,
                    "id": uuid7(),
                    "workspace_id": ws,
                    "order_id": order_id,
                    "position": position,
                }
            )
    await insert_rows(session, _ORDERS, new)
    await update_rows(
        session, _ORDERS, changed, also='"version" = t.version + 1, "updated_at" = now()'
    )
    if relined:
        await session.execute(delete(_LINES).where(_LINES.c.order_id.in_(relined)))
    await insert_rows(session, _LINES, line_rows)
    await record_mutations(session, principal, mutations)


def _same(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return all(_comparable(before[k]) == _comparable(after[k]) for k in before)


def _comparable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _snapshot(values: dict[str, Any]) -> dict[str, Any]:
    # record_mutations makes the values JSON-safe
    return {name: values.get(name) for name in orders.ORDER_FIELDS}
