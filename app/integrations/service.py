"""Upserts of customers, contacts, products and payments through their own services, and
the workspace's rate-limit settings.

Each item is created or updated by the same service function as `POST` / `PATCH` of its
resource, so every rule holds as it does there: the Customers 360 duplicate policy (a
blocked duplicate is a per-item error), scopes, custom fields, the receivables allocation
(oldest installment first, never over-allocated). Fields an item leaves out keep their
value on update; on create they take the resource's defaults.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from app.auth.dependencies import Ctx
from app.core import ratelimit
from app.core.audit import record_mutation, snapshot
from app.customers import schemas as customer_schemas
from app.customers import service as customers
from app.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    UnprocessableEntity,
)
from app.integrations import schemas
from app.integrations.upsert import Item, Outcome, finish, one_by_one, parse
from app.models.customer import Contact, Customer
from app.models.workspace import Workspace
from app.pipeline import schemas as pipeline_schemas
from app.pipeline import service as pipeline
from app.receivables import service as receivables
from app.receivables.repository import PaymentRepository

KEY_FIELDS = frozenset({"external_source", "external_id"})


def _changes(data: Any, leave_out: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields an item sent, as an update body."""
    return {name: getattr(data, name) for name in data.model_fields_set - KEY_FIELDS - leave_out}


def _taken(entity: str) -> Conflict:
    return Conflict(
        f"A {entity} you may not change has this external id.",
        code="external_id_taken",
        errors=[FieldError(field="body.external_id", message="in use by a row outside your scope")],
    )


async def _update(entity: str, call: Any) -> Any:
    """Run an update; a row outside the caller's scope is a conflict on the key, not a 404
    naming an id the caller cannot open."""
    try:
        return await call
    except NotFound:
        raise _taken(entity) from None


async def _version(ctx: Ctx, model: Any, row_id: uuid.UUID) -> int:
    return int(await ctx.session.scalar(select(model.version).where(model.id == row_id)) or 0)


# --- customers ---------------------------------------------------------------------------


async def upsert_customer(
    ctx: Ctx, item: Item[customer_schemas.CustomerCreate], current: uuid.UUID | None
) -> tuple[uuid.UUID, bool]:
    data = item.data
    if current is None:
        return (await customers.create_customer(ctx, data)).id, True
    if "owner_id" in data.model_fields_set and data.owner_id is not None:
        owner = await ctx.session.scalar(select(Customer.owner_id).where(Customer.id == current))
        if owner != data.owner_id:
            raise UnprocessableEntity(
                "An upsert does not change a customer's owner; transfer the customer.",
                code="owner_change_not_allowed",
                errors=[FieldError(field="body.owner_id", message="differs from the owner")],
            )
    before = await _version(ctx, Customer, current)
    update = customer_schemas.CustomerUpdate.model_validate(_changes(data, frozenset({"owner_id"})))
    row = await _update("customer", customers.update_customer(ctx, current, update, None))
    return row.id, row.version != before


# --- contacts ----------------------------------------------------------------------------


async def _contact_customer(ctx: Ctx, item: Item[schemas.ContactUpsert]) -> uuid.UUID | None:
    data = item.data
    if data.customer_id is not None or not data.customer_external_id:
        return data.customer_id
    found = await ctx.session.scalar(
        select(Customer.id).where(
            Customer.external_source == item.source,
            Customer.external_id == data.customer_external_id,
            Customer.deleted_at.is_(None),
        )
    )
    if found is None:
        raise UnprocessableEntity(
            f"No customer {item.source}/{data.customer_external_id}.",
            code="invalid_reference",
            errors=[FieldError(field="body.customer_external_id", message="unknown customer")],
        )
    return found


async def upsert_contact(
    ctx: Ctx, item: Item[schemas.ContactUpsert], current: uuid.UUID | None
) -> tuple[uuid.UUID, bool]:
    data = item.data
    customer_id = await _contact_customer(ctx, item)
    link = frozenset({"customer_id", "customer_external_id"})
    if current is None:
        if customer_id is None:
            raise UnprocessableEntity(
                "A new contact needs its customer.",
                code="validation_error",
                errors=[FieldError(field="body.customer_id", message="required")],
            )
        create = customer_schemas.ContactCreate.model_validate(
            {name: getattr(data, name) for name in data.model_fields_set - link}
        )
        try:
            return (await customers.create_contact(ctx, customer_id, create)).id, True
        except NotFound:
            raise UnprocessableEntity(
                f"No customer with id {customer_id}.",
                code="invalid_reference",
                errors=[FieldError(field="body.customer_id", message="unknown customer")],
            ) from None
    if customer_id is not None:
        linked = await ctx.session.scalar(select(Contact.customer_id).where(Contact.id == current))
        if linked != customer_id:
            raise UnprocessableEntity(
                "A contact stays with its customer; create a new contact for another one.",
                code="contact_customer_fixed",
                errors=[FieldError(field="body.customer_id", message="differs from the contact's")],
            )
    before = await _version(ctx, Contact, current)
    update = customer_schemas.ContactUpdate.model_validate(_changes(data, link))
    row = await _update("contact", customers.update_contact(ctx, current, update, None))
    return row.id, row.version != before


# --- products ----------------------------------------------------------------------------


async def upsert_product(
    ctx: Ctx, item: Item[pipeline_schemas.ProductCreate], current: uuid.UUID | None
) -> tuple[uuid.UUID, bool]:
    from app.models.pipeline import Product

    if current is None:
        return (await pipeline.create_product(ctx, item.data)).id, True
    before = await _version(ctx, Product, current)
    update = pipeline_schemas.ProductUpdate.model_validate(_changes(item.data))
    row = await _update("product", pipeline.update_product(ctx, current, update, None))
    return row.id, row.version != before


# --- payments ----------------------------------------------------------------------------

#: what a recorded payment's money is: a resend may not change it
MONEY_FIELDS = ("contract_id", "amount", "currency", "received_on", "method", "overpayment")


async def upsert_payment(
    ctx: Ctx, item: Item[schemas.PaymentUpsert], current: uuid.UUID | None
) -> tuple[uuid.UUID, bool]:
    data = item.data
    if current is None:
        return (await receivables.create_payment(ctx, data)).id, True
    repo = PaymentRepository(ctx.session, ctx.principal)
    payment = await _update("payment", repo.get_writable(current))
    if payment.voided_at is not None:
        raise Conflict(
            "This payment was voided; send the correction under a new external id.",
            code="payment_void",
        )
    sent = data.model_fields_set
    differs = [
        name
        for name in MONEY_FIELDS
        if name in sent
        and getattr(data, name) is not None
        and _plain(getattr(data, name)) != _plain(getattr(payment, name))
    ]
    if data.allocations is not None:
        have = {(a.installment_id, a.amount) for a in await repo.allocations([payment.id])}
        if have != {(a.installment_id, a.amount) for a in data.allocations}:
            differs.append("allocations")
    if differs:
        raise Conflict(
            "A recorded payment's money cannot change; void it and record the correct one.",
            code="payment_immutable",
            errors=[FieldError(field=f"body.{name}", message="differs") for name in differs],
        )
    before = snapshot(payment, receivables.PAYMENT_FIELDS)
    for name in ("reference", "notes"):
        if name in sent:
            setattr(payment, name, getattr(data, name))
    await ctx.session.flush()
    after = snapshot(payment, receivables.PAYMENT_FIELDS)
    if before == after:
        return payment.id, False
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="payment",
        action="updated",
        entity_id=payment.id,
        sequence=payment.version,
        before=before,
        after=after,
    )
    return payment.id, True


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


# --- rate limits -------------------------------------------------------------------------


async def rate_limits(ctx: Ctx) -> schemas.RateLimits:
    raw = (await ctx.session.execute(select(Workspace.settings))).scalar_one_or_none() or {}
    conf = raw.get("rate_limits", {})

    def bucket(name: str) -> schemas.BucketLimit:
        default = ratelimit.DEFAULT_LIMITS[name]
        mine = conf.get(name, {})
        return schemas.BucketLimit(
            limit=int(mine.get("limit", default.limit)),
            window_seconds=int(mine.get("window_seconds", default.window_seconds)),
        )

    return schemas.RateLimits(read=bucket("read"), write=bucket("write"), batch=bucket("batch"))


async def update_rate_limits(ctx: Ctx, data: schemas.RateLimitsUpdate) -> schemas.RateLimits:
    """Per-bucket limits of the workspace (owners and admins); in force for every API
    process from the next request on."""
    if not ctx.principal.is_admin:
        raise Forbidden("Only owners and admins change rate limits.")
    workspace = (await ctx.session.execute(select(Workspace).with_for_update())).scalar_one()
    before = dict(workspace.settings.get("rate_limits", {}))
    conf = dict(before)
    for name in ratelimit.BUCKETS:
        value = getattr(data, name)
        if value is not None:
            conf[name] = value.model_dump()
    workspace.settings = {**workspace.settings, "rate_limits": conf}
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="workspace",
        action="updated",
        entity_id=workspace.id,
        sequence=workspace.version,
        before={"rate_limits": before},
        after={"rate_limits": conf},
    )
    return await rate_limits(ctx)


# --- the resources -----------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """One upsertable resource: its model, its item schema and how a chunk is written."""

    name: str
    model: Any
    schema: type[BaseModel]
    run: Callable[[Ctx, list[Item[Any]], str], Awaitable[list[Outcome]]]
    #: how a single PUT is written, when not as a batch of one (its refusals name more)
    single: Callable[[Ctx, list[Item[Any]], str], Awaitable[list[Outcome]]] | None = None


def _sequential(model: Any, apply: Any) -> Callable[..., Awaitable[list[Outcome]]]:
    async def run(ctx: Ctx, items: list[Item[Any]], prefix: str) -> list[Outcome]:
        return await one_by_one(ctx, model, items, apply, prefix=prefix)

    return run


async def _customers(ctx: Ctx, items: list[Item[Any]], prefix: str) -> list[Outcome]:
    from app.integrations.customers import upsert_customers

    return await upsert_customers(ctx, items, upsert_customer, prefix=prefix)


async def _orders(ctx: Ctx, items: list[Item[Any]], prefix: str) -> list[Outcome]:
    from app.integrations.orders import upsert_orders

    return await upsert_orders(ctx, items, prefix=prefix)


def _resources() -> dict[str, Resource]:
    from app.models.orders import Order
    from app.models.pipeline import Product
    from app.models.receivables import Payment

    return {
        "customers": Resource(
            "customers",
            Customer,
            schemas.CustomerUpsert,
            _customers,
            # one customer through `create_customer`: a refusal lists its candidates
            single=_sequential(Customer, upsert_customer),
        ),
        "contacts": Resource(
            "contacts", Contact, schemas.ContactUpsert, _sequential(Contact, upsert_contact)
        ),
        "products": Resource(
            "products",
            Product,
            pipeline_schemas.ProductCreate,
            _sequential(Product, upsert_product),
        ),
        "orders": Resource("orders", Order, schemas.OrderUpsert, _orders),
        "payments": Resource(
            "payments", Payment, schemas.PaymentUpsert, _sequential(Payment, upsert_payment)
        ),
    }


RESOURCES = _resources()


async def upsert_one(
    ctx: Ctx, resource: str, source: str, external_id: str, data: BaseModel
) -> tuple[uuid.UUID, bool]:
    """PUT by external id: (id, created). The key is the URL's; a body naming another is
    refused. A refused item answers as its resource's own endpoint would."""
    for name, value in (("external_source", source), ("external_id", external_id)):
        sent = getattr(data, name, None)
        if sent is not None and sent != value:
            raise UnprocessableEntity(
                f"The body's {name} differs from the URL's.",
                code="external_id_mismatch",
                errors=[FieldError(field=f"body.{name}", message=f"must be {value!r} or absent")],
            )
    keyed = data.model_copy(update={"external_source": source, "external_id": external_id})
    spec = RESOURCES[resource]
    [outcome] = await (spec.single or spec.run)(ctx, [Item(0, source, external_id, keyed)], "body")
    if outcome.error is not None:
        raise outcome.error
    assert outcome.id is not None
    return outcome.id, outcome.created


async def upsert_batch(ctx: Ctx, resource: str, body: schemas.BatchUpsert) -> schemas.BatchResult:
    spec = RESOURCES[resource]
    items, outcomes = parse(body.items, spec.schema)
    if items:
        outcomes += await spec.run(ctx, items, "body.items")
    return schemas.BatchResult.of(finish(outcomes, all_or_none=body.all_or_none))
