"""Import queries: the job rows, and the set-based look-ups and bulk writes of a run.

Look-ups take whole columns of the file as one array parameter (`= ANY(:values)`), so a
100k-row file costs a handful of statements, never one per row (and never a bind
parameter per value: PostgreSQL's protocol allows 32767).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection, Sequence
from typing import Any, ClassVar, cast

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    any_,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import SortSpec
from app.core.repository import RepositoryBase
from app.customers.repository import CustomerRepository
from app.imports.rows import external_key
from app.models.customer import Contact, Customer, Tag
from app.models.imports import ImportJob
from app.models.user import User

_TEXTS = ARRAY(String())
_UUIDS = ARRAY(UUID(as_uuid=True))

#: customer columns loaded for an update (what the import may overwrite)
UPDATE_COLUMNS = (
    "kind",
    "name",
    "short_name",
    "industry",
    "source",
    "level",
    "status",
    "province",
    "city",
    "district",
    "address",
    "phones",
    "phones_normalized",
    "email",
    "website",
    "credit_code",
    "tag_ids",
    "external_source",
    "external_id",
    "custom_fields",
)
CONTACT_COLUMNS = ("name", "title", "phones", "phones_normalized", "email", "wechat")


def any_of(column: Any, values: Collection[Any], array: Any = _TEXTS) -> ColumnElement[bool]:
    """`column = ANY(:values)`: one array parameter however many values."""
    condition: ColumnElement[bool] = column == any_(bindparam(None, list(values), type_=array))
    return condition


def any_id(column: Any, ids: Collection[uuid.UUID]) -> ColumnElement[bool]:
    return any_of(column, ids, _UUIDS)


class ImportJobRepository(RepositoryBase[ImportJob]):
    model = ImportJob
    entity = "import"
    sorting: ClassVar[SortSpec] = SortSpec(ImportJob.id, created_at=ImportJob.created_at)


async def users(session: AsyncSession) -> Sequence[Any]:
    return (
        await session.execute(
            select(User.id, User.email, User.name, User.is_active).where(User.deleted_at.is_(None))
        )
    ).all()


async def tags(session: AsyncSession) -> Sequence[Any]:
    return (await session.execute(select(Tag.id, Tag.name).where(Tag.deleted_at.is_(None)))).all()


async def customers_matching(
    session: AsyncSession,
    *,
    credit_codes: Collection[str],
    emails: Collection[str],
    phones: Collection[str],
    external_ids: Collection[str],
    names: Collection[str],
) -> list[tuple[str, str, uuid.UUID]]:
    """(kind, value, customer id) for live customers of the workspace matching any value.

    Duplicates matter beyond the importer's scope, as in `find_duplicates`; contacts'
    phones count as their customer's.
    """
    live = Customer.deleted_at.is_(None)
    out: list[tuple[str, str, uuid.UUID]] = []
    for kind, column, values in (
        ("credit_code", Customer.credit_code, credit_codes),
        ("email", Customer.email_normalized, emails),
        ("name", Customer.name_normalized, names),
    ):
        if values:
            rows = await session.execute(
                select(column, Customer.id).where(live, any_of(column, values))
            )
            out += [(kind, value, cid) for value, cid in rows.all()]
    if external_ids:
        rows = await session.execute(
            select(Customer.external_source, Customer.external_id, Customer.id).where(
                live, any_of(Customer.external_id, external_ids)
            )
        )
        out += [("external_id", external_key(s, e), cid) for s, e, cid in rows.all()]
    if phones:
        wanted = bindparam(None, list(phones), type_=_TEXTS)
        own = await session.execute(
            select(Customer.phones_normalized, Customer.id).where(
                live, Customer.phones_normalized.overlap(wanted)
            )
        )
        of_contacts = await session.execute(
            select(Contact.phones_normalized, Contact.customer_id)
            .join(
                Customer,
                (Customer.id == Contact.customer_id)
                & (Customer.workspace_id == Contact.workspace_id),
            )
            .where(live, Contact.deleted_at.is_(None), Contact.phones_normalized.overlap(wanted))
        )
        phone_set = set(phones)
        for numbers, cid in [*own.all(), *of_contacts.all()]:
            out += [("phone", p, cid) for p in numbers if p in phone_set]
    return out


async def customer_summaries(
    session: AsyncSession, ids: Collection[uuid.UUID], *, full: bool, lock: bool
) -> list[Any]:
    """id, name, owner (and, with `full`, the columns an update merges into)."""
    columns = [Customer.id, Customer.name, Customer.owner_id]
    if full:
        columns += [getattr(Customer, c) for c in UPDATE_COLUMNS if c != "name"]
    stmt = select(*columns).where(any_id(Customer.id, ids))
    if lock:
        stmt = stmt.order_by(Customer.id).with_for_update(of=Customer)
    return list((await session.execute(stmt)).all())


async def writable_ids(repo: CustomerRepository, ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    stmt = repo.writable().where(any_id(Customer.id, ids))
    return set((await repo.session.execute(stmt.with_only_columns(Customer.id))).scalars())


async def writable_by_reference(
    repo: CustomerRepository, external_ids: Collection[str], names: Collection[str]
) -> list[Any]:
    """Customers a contacts-only file may name: by external id or exact name, in scope."""
    conditions = []
    if external_ids:
        conditions.append(any_of(Customer.external_id, external_ids))
    if names:
        conditions.append(any_of(Customer.name, names))
    if not conditions:
        return []
    stmt = repo.writable().where(or_(*conditions))
    columns = (
        Customer.id,
        Customer.name,
        Customer.owner_id,
        Customer.external_source,
        Customer.external_id,
    )
    return list((await repo.session.execute(stmt.with_only_columns(*columns))).all())


async def contacts_of(
    session: AsyncSession, customer_ids: Collection[uuid.UUID], *, lock: bool
) -> list[Any]:
    stmt = select(
        Contact.id, Contact.customer_id, *[getattr(Contact, c) for c in CONTACT_COLUMNS]
    ).where(Contact.deleted_at.is_(None), any_id(Contact.customer_id, customer_ids))
    if lock:
        stmt = stmt.order_by(Contact.id).with_for_update(of=Contact)
    return list((await session.execute(stmt)).all())


_SEP = "\x1f"


def _unnest_insert(
    model: Any,
    rows: list[dict[str, Any]],
    computed: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Any:
    """`INSERT ... SELECT ... FROM unnest(:col1, :col2, ...)`: a batch as ONE statement with
    one array parameter per column, planned and run once (executemany costs the server a
    statement per row). unnest() cannot carry arrays of arrays, so array columns travel as
    separator-joined text and JSONB as text; `computed` adds columns derived in SQL."""
    table = cast(Table, model.__table__)
    names = list(rows[0])
    params = []
    for name in names:
        kind = table.c[name].type
        values = [r[name] for r in rows]
        if isinstance(kind, ARRAY):
            params.append(bindparam(None, [_SEP.join(map(str, v)) for v in values], _TEXTS))
        elif isinstance(kind, JSONB):
            params.append(bindparam(None, [json.dumps(v) for v in values], _TEXTS))
        else:
            params.append(bindparam(None, values, ARRAY(kind)))
    source = func.unnest(*params).table_valued(*names).render_derived()
    columns: dict[str, Any] = {}
    for name in names:
        kind = table.c[name].type
        value: Any = source.c[name]
        if isinstance(kind, ARRAY):
            value = sql_cast(func.string_to_array(value, _SEP), kind)
        elif isinstance(kind, JSONB):
            value = sql_cast(value, JSONB)
        columns[name] = value
    if computed is not None:
        columns.update(computed(columns))
    return insert(table).from_select(list(columns), select(*columns.values()))


def _search_text(c: dict[str, Any]) -> dict[str, Any]:
    """The search text `CustomerRepository.refresh_search_text` computes for a customer
    without contacts, in the same SQL (the import tests check the two agree)."""
    text = func.lower(
        func.concat_ws(
            " ",
            c["name"],
            c["short_name"],
            func.array_to_string(c["phones"], " "),
            func.array_to_string(c["phones_normalized"], " "),
            c["email"],
        )
    )
    return {"search_text": text}


async def insert_customers(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """New customers, search text included: 100k imported rows are written once, not
    inserted and then all updated again. Customers that get contacts are refreshed
    afterwards."""
    if rows:
        await session.execute(_unnest_insert(Customer, rows, _search_text))


async def insert_rows(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> None:
    """A batch of rows of `model` (Core; an ORM object per row is too slow at 100k)."""
    if rows:
        await session.execute(_unnest_insert(model, rows))


async def update_rows(
    session: AsyncSession,
    model: Any,
    workspace_id: uuid.UUID,
    columns: Sequence[str],
    rows: list[dict[str, Any]],
) -> None:
    """executemany UPDATE by id (`b_id`) of `columns`, bumping version and updated_at."""
    if not rows:
        return
    table = model.__table__
    stmt = (
        update(table)
        .where(table.c.workspace_id == workspace_id, table.c.id == bindparam("b_id"))
        .values(
            {
                **{c: bindparam(f"v_{c}", type_=table.c[c].type) for c in columns},
                "version": table.c.version + 1,
                "updated_at": func.now(),
            }
        )
    )
    params = [{"b_id": r["b_id"], **{f"v_{c}": r[c] for c in columns}} for r in rows]
    await session.execute(stmt, params)
