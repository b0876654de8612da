"""Orders: recorded as the shop or ERP sent them, matched to a customer.

Matching on create, first hit wins: the buyer's external customer id (same source system
when the order names one), then the phone normalised to E.164, then the e-mail. A rule
that finds two customers is ambiguous and falls through to the next; an order no rule
matches is kept with `customer_id` null and listed for review (`GET /orders?matched=false`)
until someone matches it by hand (`POST /orders/{id}/match`).

An order is seen by whoever sees its customer; unmatched orders only by roles whose
orders scope is the whole workspace (owners, admins).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ARRAY, ColumnElement, Text, any_, cast, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import Ctx
from app.contracts.money import ZERO, cents
from app.core import hooks
from app.core.audit import record_mutation, snapshot
from app.core.pagination import ListParams
from app.core.principal import Principal
from app.core.schemas import in_years
from app.customers import service as customers
from app.customers.normalize import normalize_email, normalize_phone
from app.errors import BadRequest, Conflict, FieldError, NotFound, UnprocessableEntity
from app.models.customer import Customer
from app.models.orders import Order, OrderItem
from app.orders import schemas
from app.orders.repository import OrderRepository

#: NUMERIC(18,2) holds up to 16 digits before the point
MAX_AMOUNT = Decimal(10) ** 16

ORDER_FIELDS = (
    "external_source",
    "external_id",
    "order_number",
    "customer_id",
    "matched_by",
    "channel",
    "status",
    "ordered_at",
    "amount",
    "currency",
)


async def match_customer(
    repo: OrderRepository, data: schemas.OrderCreate
) -> tuple[uuid.UUID | None, str | None, str | None]:
    """(customer id, matched by, note) for an order's buyer fields, matched among the
    customers the caller may read (see `OrderRepository.customers_where`); a buyer that is
    someone else's customer leaves the order unmatched for review."""
    return (await match_customers(repo, [data]))[0]


async def match_customers(
    repo: OrderRepository,
    orders: Sequence[schemas.OrderCreate],
    phones: Sequence[str | None] | None = None,
) -> list[tuple[uuid.UUID | None, str | None, str | None]]:
    """`match_customer` for many orders (batch upserts) with one query per rule instead of
    up to three per order; the same rules in the same order, the same answers. `phones`:
    the buyers' phones already normalised, when the caller has them."""
    ids = {o.customer_external_id for o in orders if o.customer_external_id}
    if phones is None:
        phones = [normalize_phone(o.customer_phone) if o.customer_phone else None for o in orders]
    emails = [normalize_email(o.customer_email) for o in orders]
    by_id: dict[str, list[tuple[uuid.UUID, str | None]]] = {}
    if ids:
        for cid, source, ext in await repo.customers_where(
            Customer.external_id == any_(cast(list(ids), ARRAY(Text))),
            Customer.external_source,
            Customer.external_id,
        ):
            by_id.setdefault(ext, []).append((cid, source))
    by_phone: dict[str, set[uuid.UUID]] = {}
    wanted_phones = {p for p in phones if p}
    if wanted_phones:
        for cid, numbers in await repo.customers_where(
            Customer.id.in_(await repo.customer_ids_by_phone(wanted_phones)),
            Customer.phones_normalized,
        ):
            for number in numbers:
                if number in wanted_phones:
                    by_phone.setdefault(number, set()).add(cid)
    by_email: dict[str, set[uuid.UUID]] = {}
    wanted_emails = {e for e in emails if e}
    if wanted_emails:
        for cid, email in await repo.customers_where(
            Customer.email_normalized == any_(cast(list(wanted_emails), ARRAY(Text))),
            Customer.email_normalized,
        ):
            by_email.setdefault(email, set()).add(cid)
    out: list[tuple[uuid.UUID | None, str | None, str | None]] = []
    for order, phone, email in zip(orders, phones, emails, strict=True):
        rules: list[tuple[str, set[uuid.UUID]]] = []
        if order.customer_external_id:
            rules.append(
                (
                    "external_id",
                    {
                        cid
                        for cid, source in by_id.get(order.customer_external_id, [])
                        if not order.external_source or source == order.external_source
                    },
                )
            )
        if phone:
            rules.append(("phone", by_phone.get(phone, set())))
        if email:
            rules.append(("email", by_email.get(email, set())))
        out.append(_first_match(rules, repo.matches_whole_workspace()))
    return out


def _first_match(
    rules: list[tuple[str, set[uuid.UUID]]], whole_workspace: bool
) -> tuple[uuid.UUID | None, str | None, str | None]:
    ambiguous = []
    for name, found in rules:
        if len(found) == 1:
            return next(iter(found)), name, None
        if found:
            ambiguous.append(name)
    if ambiguous:
        return None, None, f"ambiguous: several customers share the {', '.join(ambiguous)}"
    if not rules:
        return None, None, "no buyer id, phone or e-mail to match on"
    if not whole_workspace:
        return None, None, "no customer you can see has this buyer id, phone or e-mail"
    return None, None, "no customer with this buyer id, phone or e-mail"


async def follow_merge(
    session: AsyncSession, principal: Principal, duplicate_id: uuid.UUID, survivor_id: uuid.UUID
) -> dict[str, int]:
    """A merged-away customer's orders count for the survivor (its RFM); each move is
    audited and sent as an `order.updated` event."""
    result = await session.execute(
        update(Order)
        .where(Order.customer_id == duplicate_id)
        .values(customer_id=survivor_id, version=Order.version + 1)
        .returning(Order.id, Order.version, Order.order_number)
        .execution_options(synchronize_session=False)
    )
    rows = result.all()
    for order_id, version, number in rows:
        await record_mutation(
            session,
            principal,
            entity="order",
            action="updated",
            entity_id=order_id,
            sequence=version,
            before={"customer_id": duplicate_id, "order_number": number},
            after={"customer_id": survivor_id, "order_number": number},
        )
    return {"orders": len(rows)} if rows else {}


hooks.customer_merge_hooks.append(follow_merge)


async def _customer(ctx: Ctx, customer_id: uuid.UUID) -> None:
    try:
        await customers.get_customer(ctx, customer_id)
    except NotFound:
        raise UnprocessableEntity(
            f"No customer with id {customer_id}.",
            code="invalid_reference",
            errors=[FieldError(field="body.customer_id", message="unknown customer")],
        ) from None


def priced_lines(
    data: schemas.OrderCreate, known_products: set[uuid.UUID]
) -> list[tuple[schemas.OrderLineCreate, Decimal]]:
    """The order's lines with their amounts (quantity × unit price, HALF_UP to the cent);
    422 for a product not in the catalogue or a line too large to store."""
    unknown = [
        FieldError(field=f"body.items.{n}.product_id", message="unknown product")
        for n, i in enumerate(data.items)
        if i.product_id and i.product_id not in known_products
    ]
    if unknown:
        raise UnprocessableEntity("Unknown products.", code="invalid_reference", errors=unknown)
    too_large = [
        FieldError(field=f"body.items.{n}", message="quantity × unit price is too large")
        for n, i in enumerate(data.items)
        if i.quantity * i.unit_price >= MAX_AMOUNT
    ]
    if too_large:
        raise UnprocessableEntity("A line amount is too large.", errors=too_large)
    return [(i, cents(i.quantity * i.unit_price)) for i in data.items]


def order_amount(
    amount: Decimal | None, lines: Sequence[tuple[schemas.OrderLineCreate, Decimal]]
) -> Decimal:
    """The amount given, or the sum of the lines; 422 when it is too large to store."""
    total = amount if amount is not None else sum((a for _, a in lines), ZERO)
    if total >= MAX_AMOUNT:
        raise UnprocessableEntity(
            "The order amount is too large.",
            errors=[FieldError(field="body.items", message="total is too large")],
        )
    return total


async def create_order(ctx: Ctx, data: schemas.OrderCreate) -> Order:
    repo = OrderRepository(ctx.session, ctx.principal)
    if data.external_source and data.external_id:
        existing = await repo.by_external_id(data.external_source, data.external_id)
        if existing is not None:
            # the id only to whoever may read that order
            raise Conflict(
                f"Order {data.external_source}/{data.external_id} is already recorded.",
                code="order_exists",
                extra={"id": str(existing)} if await repo.readable_id(existing) else None,
            )
    products = await repo.known_products({i.product_id for i in data.items if i.product_id})
    lines = priced_lines(data, products)
    customer_id: uuid.UUID | None
    matched_by: str | None
    note: str | None
    if data.customer_id is not None:
        await _customer(ctx, data.customer_id)
        customer_id, matched_by, note = data.customer_id, "manual", None
    else:
        customer_id, matched_by, note = await match_customer(repo, data)
    amount = order_amount(data.amount, lines)
    order = Order(
        workspace_id=ctx.principal.workspace_id,
        external_source=data.external_source,
        external_id=data.external_id,
        order_number=data.order_number,
        customer_id=customer_id,
        customer_external_id=data.customer_external_id,
        customer_name=data.customer_name,
        customer_phone=data.customer_phone,
        customer_phone_normalized=normalize_phone(data.customer_phone)
        if data.customer_phone
        else None,
        customer_email=normalize_email(data.customer_email),
        matched_by=matched_by,
        match_note=note,
        channel=data.channel,
        status=data.status.value,
        ordered_at=data.ordered_at,
        amount=amount,
        currency=data.currency,
        notes=data.notes,
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(order)
    await ctx.session.flush()
    ctx.session.add_all(
        OrderItem(
            workspace_id=order.workspace_id,
            order_id=order.id,
            position=n,
            product_id=item.product_id,
            sku=item.sku,
            name=item.name,
            quantity=item.quantity,
            unit_price=item.unit_price,
            amount=line_amount,
        )
        for n, (item, line_amount) in enumerate(lines)
    )
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="order",
        action="created",
        entity_id=order.id,
        sequence=order.version,
        before=None,
        after=snapshot(order, ORDER_FIELDS),
    )
    return order


async def shape(ctx: Ctx, rows: Sequence[Order]) -> list[schemas.Order]:
    items = await OrderRepository(ctx.session, ctx.principal).items_of([o.id for o in rows])
    out = []
    for order in rows:
        fields = {
            name: getattr(order, name) for name in schemas.Order.model_fields if name != "items"
        }
        out.append(
            schemas.Order.model_validate(
                {
                    **fields,
                    "items": [schemas.OrderLine.model_validate(i) for i in items[order.id]],
                }
            )
        )
    return out


async def list_orders(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    *,
    matched: bool | None,
    customer_id: uuid.UUID | None,
    channel: str | None,
    status: str | None,
    ordered_from: datetime | None,
    ordered_to: datetime | None,
) -> tuple[Sequence[Order], str | None, bool]:
    _in_range(ordered_from, "ordered_from")
    _in_range(ordered_to, "ordered_to")
    conds: list[ColumnElement[bool]] = []
    if matched is not None:
        conds.append(Order.customer_id.is_not(None) if matched else Order.customer_id.is_(None))
    if customer_id:
        conds.append(Order.customer_id == customer_id)
    if channel:
        conds.append(Order.channel == channel)
    if status:
        conds.append(Order.status == status)
    if ordered_from:
        conds.append(Order.ordered_at >= ordered_from)
    if ordered_to:
        conds.append(Order.ordered_at < ordered_to)
    return await OrderRepository(ctx.session, ctx.principal).page(params, sort, *conds)


def _in_range(moment: datetime | None, name: str) -> None:
    """Query times within the years the API accepts (1900–2999), so `0001-01-01T00:00+14:00`
    is a 400, not an overflow converting to UTC."""
    if moment is not None and not in_years(moment):
        raise BadRequest(
            f"`{name}` must be a time between the years 1900 and 2999, with a time zone.",
            code="invalid_parameter",
            errors=[FieldError(field=f"query.{name}", message="out of range")],
        )


async def get_order(ctx: Ctx, order_id: uuid.UUID) -> Order:
    return await OrderRepository(ctx.session, ctx.principal).get(order_id)


async def match_order(
    ctx: Ctx, order_id: uuid.UUID, data: schemas.OrderMatchRequest, if_match: int | None
) -> Order:
    """Attach an order to its customer by hand (the review list's action)."""
    order = await OrderRepository(ctx.session, ctx.principal).get_writable(
        order_id, if_match=if_match
    )
    await _customer(ctx, data.customer_id)
    before = snapshot(order, ORDER_FIELDS)
    order.customer_id = data.customer_id
    order.matched_by = "manual"
    order.match_note = None
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="order",
        action="matched",
        entity_id=order.id,
        sequence=order.version,
        before=before,
        after=snapshot(order, ORDER_FIELDS),
    )
    return order
