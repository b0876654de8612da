"""Customers upserted in bulk: an ERP's customer master at thousands of items a second.

Existing keys are updated one by one through `update_customer` (the Customers 360 update
path, a savepoint each). New customers are created together, by the rules of
`create_customer` in its order: who may own them, level / tags / owner, custom fields,
then the duplicate policy (`customers.screen_new_customers`: one statement finds the
existing matches of the whole batch; a customer also matches the earlier customers of
the same batch, as if they had been created one by one). A refused customer fails alone.
The survivors are written with a fixed number of statements whatever their number: the
customers (search text computed as `refresh_search_text` does for a customer without
contacts), the ownership ledger, the duplicate owners' notifications, the audit rows and
outbox events.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select

from app.auth.dependencies import Ctx
from app.core.audit import Mutation, insert_rows, record_mutations
from app.core.ids import uuid7
from app.customers import service as customers
from app.customers.normalize import normalize_company_name
from app.customers.repository import CustomerRepository
from app.customers.schemas import CustomerCreate
from app.customfields.repository import CustomFieldRepository
from app.customfields.service import check_values
from app.errors import AppError, FieldError, Forbidden, UnprocessableEntity
from app.integrations.upsert import (
    Apply,
    Item,
    Outcome,
    existing_ids,
    failed,
    lock_keys,
    one_by_one,
)
from app.models.customer import Customer, Notification, OwnershipChange
from app.models.user import User

_CUSTOMERS: Table = Customer.__table__  # type: ignore[assignment]
_LEDGER: Table = OwnershipChange.__table__  # type: ignore[assignment]
_NOTIFICATIONS: Table = Notification.__table__  # type: ignore[assignment]

#: `refresh_search_text` of a customer without contacts
SEARCH_TEXT = {
    "search_text": 'lower(concat_ws(\' \', r."name", r."short_name", '
    "array_to_string(r.\"phones\", ' '), array_to_string(r.\"phones_normalized\", ' '), "
    'r."email"))'
}
#: copied from the item as sent
PLAIN_FIELDS = (
    "name",
    "short_name",
    "industry",
    "source",
    "level",
    "province",
    "city",
    "district",
    "address",
    "phones",
    "email",
    "website",
    "credit_code",
    "external_source",
    "external_id",
)


async def upsert_customers(
    ctx: Ctx,
    items: Sequence[Item[CustomerCreate]],
    update: Apply[CustomerCreate],
    *,
    prefix: str = "body.items",
) -> list[Outcome]:
    keys = [i.key for i in items]
    await lock_keys(ctx.session, "customers", keys)
    found = await existing_ids(ctx.session, Customer, keys)
    known = [i for i in items if i.key in found]
    outcomes = await one_by_one(ctx, Customer, known, update, prefix=prefix, found=found)
    new = [i for i in items if i.key not in found]
    if new:
        outcomes += await _create(ctx, new, prefix)
    return outcomes


async def _create(ctx: Ctx, items: Sequence[Item[CustomerCreate]], prefix: str) -> list[Outcome]:
    session, principal = ctx.session, ctx.principal
    conf = await customers.customer_settings(session)
    definitions = {d.key: d for d in await CustomFieldRepository.definitions(session, "customer")}
    tags = await CustomerRepository(session, principal).tags_exist(
        list({t for i in items for t in i.data.tag_ids or []})
    )
    owners = {i.data.owner_id or principal.user_id for i in items}
    active = set(
        (
            await session.execute(
                select(User.id).where(
                    User.id.in_(owners), User.is_active.is_(True), User.deleted_at.is_(None)
                )
            )
        ).scalars()
    )
    outcomes: list[Outcome] = []
    checked = []
    for item in items:
        try:
            owner_id = _check(item.data, principal, conf, tags, active)
        except AppError as exc:
            outcomes.append(failed(item.index, exc, f"{prefix}.{item.index}."))
            continue
        custom, problems, refs = check_values(
            definitions, item.data.custom_fields or {}, creating=True
        )
        checked.append((item, owner_id, custom, problems, refs))
    referenced = {u for *_, refs in checked for u in refs.values()}
    users: set[uuid.UUID] = set()
    if referenced:
        users = set(
            (await session.execute(select(User.id).where(User.id.in_(referenced)))).scalars()
        )
    screened: list[customers.NewCustomer] = []
    passed = []
    for item, owner_id, custom, problems, refs in checked:
        problems += [
            FieldError(field=f"body.custom_fields.{k}", message="unknown user")
            for k, u in refs.items()
            if u not in users
        ]
        if problems:
            error = UnprocessableEntity(
                "Some custom fields are invalid.", errors=problems, code="invalid_custom_fields"
            )
            outcomes.append(failed(item.index, error, f"{prefix}.{item.index}."))
            continue
        data = item.data
        identity = customers.Identity.of(
            name=data.name, phones=data.phones, email=data.email, credit_code=data.credit_code
        )
        screened.append(customers.NewCustomer(uuid7(), data.name, owner_id, identity, data.force))
        passed.append((item, owner_id, custom))
    verdicts = await customers.screen_new_customers(ctx, screened)

    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    ledger: list[dict[str, Any]] = []
    notices: list[dict[str, Any]] = []
    mutations: list[Mutation] = []
    for (item, owner_id, custom), new, verdict in zip(passed, screened, verdicts, strict=True):
        if isinstance(verdict, AppError):
            outcomes.append(failed(item.index, verdict, f"{prefix}.{item.index}."))
            continue
        data = item.data
        values: dict[str, Any] = {name: getattr(data, name) for name in PLAIN_FIELDS}
        values.update(
            kind=data.kind.value,
            status=data.status.value,
            tag_ids=data.tag_ids or [],
            owner_id=owner_id,
            custom_fields=custom,
        )
        rows.append(
            {
                **values,
                "id": new.id,
                "workspace_id": principal.workspace_id,
                "created_by": principal.user_id,
                "owned_since": now,
                "version": 1,
                "phones_normalized": new.identity.phones,
                "email_normalized": new.identity.email,
                "name_normalized": normalize_company_name(data.name),
            }
        )
        ledger.append(
            {
                "id": uuid7(),
                "workspace_id": principal.workspace_id,
                "customer_id": new.id,
                "from_user_id": None,
                "to_user_id": owner_id,
                "kind": "create",
                "actor_id": principal.user_id,
            }
        )
        notices += customers.duplicate_notifications(ctx, new.id, data.name, verdict)
        after = {name: values.get(name) for name in customers.CUSTOMER_FIELDS}
        mutations.append(Mutation("customer", "created", new.id, 1, None, after))
        outcomes.append(Outcome(item.index, new.id, created=True))
    await insert_rows(session, _CUSTOMERS, rows, computed=SEARCH_TEXT)
    await insert_rows(session, _LEDGER, ledger)
    await insert_rows(session, _NOTIFICATIONS, notices)
    await record_mutations(session, principal, mutations)
    return outcomes


def _check(
    data: CustomerCreate,
    principal: Any,
    conf: customers.CustomerSettings,
    tags: set[uuid.UUID],
    active: set[uuid.UUID],
) -> uuid.UUID:
    """`create_customer`'s first checks, in its order: who may own it, then level, tags and
    owner (`_check_refs`). The owner."""
    owner_id: uuid.UUID = data.owner_id or principal.user_id
    if owner_id != principal.user_id and not principal.is_manager:
        raise Forbidden("You can only create customers you own.", code="owner_not_allowed")
    errors: list[FieldError] = []
    if data.level is not None and conf.levels and data.level not in conf.levels:
        errors.append(
            FieldError(field="body.level", message=f"must be one of: {', '.join(conf.levels)}")
        )
    if missing := [str(t) for t in data.tag_ids or [] if t not in tags]:
        errors.append(
            FieldError(field="body.tag_ids", message=f"unknown tag(s): {', '.join(missing)}")
        )
    if owner_id not in active:
        errors.append(FieldError(field="body.owner_id", message="unknown or inactive user"))
    if errors:
        raise UnprocessableEntity(
            "Some fields are invalid.", errors=errors, code="invalid_reference"
        )
    return owner_id
