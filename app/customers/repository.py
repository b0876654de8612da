from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    String,
    Uuid,
    any_,
    bindparam,
    cast,
    func,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.filtering import contains_pattern
from app.core.pagination import SortSpec
from app.core.repository import RepositoryBase
from app.core.scope import scope_condition
from app.models.customer import Contact, Customer, OwnershipChange, Tag
from app.models.user import User

#: above this many matches in the workspace a search term is a filter, not a lookup
SEARCH_CANDIDATES = 2000


async def search_condition(session: AsyncSession, term: str) -> tuple[ColumnElement[bool], bool]:
    """`q`: customers whose search text (name, short name, phones, e-mail, contact names)
    contains the term, and whether there are few enough of them to rank by relevance.

    The matching ids come from a definer function, because row-level security keeps LIKE
    away from the indexes (see the customer_search migration). A term that matches more
    than SEARCH_CANDIDATES customers (科技, 有限) says little about relevance, and fetching
    every match would cost more than the page: it becomes a plain filter that the list
    applies while it walks its sort order.
    """
    ids = (
        (
            await session.execute(
                select(func.rapport_customer_matches(term, SEARCH_CANDIDATES + 1).column_valued())
            )
        )
        .scalars()
        .all()
    )
    if len(ids) <= SEARCH_CANDIDATES:
        return Customer.id == any_(bindparam("match_ids", list(ids), type_=ARRAY(Uuid))), True
    return Customer.search_text.like(contains_pattern(term.lower())), False


@dataclass(frozen=True)
class DuplicateHit:
    customer: Customer
    field: str
    value: str
    score: float
    owner_name: str | None
    in_scope: bool


class CustomerRepository(RepositoryBase[Customer]):
    model = Customer
    entity = "customer"
    sorting: ClassVar[SortSpec] = SortSpec(
        Customer.id,
        updated_at=Customer.updated_at,
        created_at=Customer.created_at,
        name=Customer.name,
        last_followed_at=Customer.last_followed_sort,
    )

    async def duplicate_candidates(
        self,
        *,
        phones: list[str],
        email: str | None,
        credit_code: str | None,
        name: str | None,
        threshold: float,
        exclude: uuid.UUID | None,
    ) -> Sequence[DuplicateHit]:
        """Every match in one statement, across the whole workspace (duplicates matter even
        where the caller cannot look): exact on phone (customers' and their contacts'),
        e-mail and credit code, trigram-similar on the normalised name. Each hit carries the
        owner's name and whether the caller's data scope covers the customer."""
        live: list[ColumnElement[bool]] = [Customer.deleted_at.is_(None)]
        if exclude is not None:
            live.append(Customer.id != exclude)
        parts: list[Select[Any]] = []
        if phones:
            by_phone = func.rapport_customer_phone_matches(
                cast(phones, ARRAY(String)), exclude
            ).table_valued("id", "phone")
            parts.append(
                select(
                    by_phone.c.id,
                    literal("phone").label("field"),
                    by_phone.c.phone.label("value"),
                    literal(1.0, Float).label("score"),
                )
            )
        for field, column, value in (
            ("email", Customer.email_normalized, email),
            ("credit_code", Customer.credit_code, credit_code),
        ):
            if value:
                parts.append(
                    select(
                        Customer.id,
                        literal(field).label("field"),
                        literal(value, String).label("value"),
                        literal(1.0, Float).label("score"),
                    ).where(column == value, *live)
                )
        if name and len(name) >= 2:
            similar = func.rapport_similar_customers(name, threshold, exclude).table_valued(
                "id", "score"
            )
            parts.append(
                select(
                    similar.c.id,
                    literal("name").label("field"),
                    literal(None, String).label("value"),
                    cast(similar.c.score, Float).label("score"),
                )
            )
        if not parts:
            return []
        hits = union_all(*parts).subquery("hits")
        visible = scope_condition(Customer, self.principal, "customers")
        rows = await self.session.execute(
            select(Customer, hits.c.field, hits.c.value, hits.c.score, User.name, visible)
            .join(hits, hits.c.id == Customer.id)
            .outerjoin(User, User.id == Customer.owner_id)
            .order_by(hits.c.score.desc(), Customer.id)
        )
        return [
            DuplicateHit(c, field, value or c.name, float(score), owner_name, bool(in_scope))
            for c, field, value, score, owner_name, in_scope in rows.all()
        ]

    async def names_in_scope(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Names of the customers among `ids` the principal may read (records of other
        domains name their customer; outside the caller's scope the name stays hidden)."""
        if not ids:
            return {}
        rows = await self.session.execute(
            self.readable()
            .where(Customer.id.in_(ids))
            .with_only_columns(Customer.id, Customer.name)
        )
        return {r.id: r.name for r in rows}

    async def visible_ids(self, ids: Sequence[uuid.UUID], *, for_write: bool) -> set[uuid.UUID]:
        stmt = (self.writable() if for_write else self.readable()).where(Customer.id.in_(ids))
        rows = await self.session.execute(stmt.with_only_columns(Customer.id))
        return set(rows.scalars())

    async def refresh_search_text(self, customer_ids: Sequence[uuid.UUID]) -> None:
        await refresh_search_text(self.session, customer_ids)

    async def tags_exist(self, tag_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        if not tag_ids:
            return set()
        rows = await self.session.execute(
            select(Tag.id).where(Tag.id.in_(tag_ids), Tag.deleted_at.is_(None))
        )
        return set(rows.scalars())


class ContactRepository(RepositoryBase[Contact]):
    model = Contact
    entity = "contact"
    sorting: ClassVar[SortSpec] = SortSpec(
        Contact.id, name=Contact.name, created_at=Contact.created_at, updated_at=Contact.updated_at
    )


class TagRepository(RepositoryBase[Tag]):
    model = Tag
    entity = "tag"
    sorting: ClassVar[SortSpec] = SortSpec(Tag.id, name=Tag.name)


class LedgerRepository(RepositoryBase[OwnershipChange]):
    model = OwnershipChange
    entity = "ownership_change"
    sorting: ClassVar[SortSpec] = SortSpec(
        OwnershipChange.id, occurred_at=OwnershipChange.occurred_at
    )


async def user_is_active(session: AsyncSession, user_id: uuid.UUID) -> bool:
    return bool(
        await session.scalar(
            select(User.is_active).where(User.id == user_id, User.deleted_at.is_(None))
        )
    )


async def refresh_search_text(session: AsyncSession, customer_ids: Sequence[uuid.UUID]) -> None:
    """search_text = name, short name, phones, e-mail and contact names (what `q` searches)."""
    contact_names = (
        select(func.string_agg(Contact.name, literal(" ")))
        .where(
            Contact.customer_id == Customer.id,
            Contact.workspace_id == Customer.workspace_id,
            Contact.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    await session.execute(
        update(Customer)
        .where(Customer.id.in_(list(customer_ids)))
        .values(
            search_text=func.lower(
                func.concat_ws(
                    " ",
                    Customer.name,
                    Customer.short_name,
                    func.array_to_string(Customer.phones, " "),
                    func.array_to_string(Customer.phones_normalized, " "),
                    Customer.email,
                    contact_names,
                )
            )
        )
        .execution_options(synchronize_session=False)
    )
