from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy import (
    ColumnElement,
    String,
    Uuid,
    any_,
    bindparam,
    cast,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.filtering import contains_pattern
from app.core.pagination import SortSpec
from app.core.repository import RepositoryBase
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

    async def exact_matches(
        self,
        phones: list[str],
        email: str | None,
        credit_code: str | None,
        exclude: uuid.UUID | None,
    ) -> Sequence[tuple[Customer, str, str]]:
        """(customer, field, value) for exact phone / e-mail / credit-code matches, across
        the whole workspace (duplicates matter even where the caller cannot look)."""
        out: list[tuple[Customer, str, str]] = []
        base = select(Customer).where(Customer.deleted_at.is_(None))
        if exclude is not None:
            base = base.where(Customer.id != exclude)
        if phones:
            # customers' and their contacts' phones, through the GIN indexes (see the migration)
            hits = func.rapport_customer_phone_matches(
                cast(phones, ARRAY(String)), exclude
            ).table_valued("id", "phone")
            rows = await self.session.execute(
                select(Customer, hits.c.phone).join(hits, hits.c.id == Customer.id)
            )
            out += [(c, "phone", phone) for c, phone in rows.all()]
        if email:
            rows = await self.session.execute(
                base.where(Customer.email_normalized == email).limit(20)
            )
            out += [(c, "email", email) for c in rows.scalars()]
        if credit_code:
            rows = await self.session.execute(
                base.where(Customer.credit_code == credit_code).limit(20)
            )
            out += [(c, "credit_code", credit_code) for c in rows.scalars()]
        return out

    async def similar_names(
        self, normalized: str, threshold: float, exclude: uuid.UUID | None
    ) -> Sequence[tuple[Customer, float]]:
        """Customers whose normalised name is trigram-similar (GIN index, `%` operator), best
        first, across the workspace."""
        if len(normalized) < 2:
            return []
        similar = func.rapport_similar_customers(normalized, threshold, exclude).table_valued(
            "id", "score"
        )
        rows = await self.session.execute(
            select(Customer, similar.c.score)
            .join(similar, similar.c.id == Customer.id)
            .order_by(similar.c.score.desc(), Customer.id)
        )
        return [(row[0], float(row[1])) for row in rows.all()]

    async def visible_ids(self, ids: Sequence[uuid.UUID], *, for_write: bool) -> set[uuid.UUID]:
        stmt = (self.writable() if for_write else self.readable()).where(Customer.id.in_(ids))
        rows = await self.session.execute(stmt.with_only_columns(Customer.id))
        return set(rows.scalars())

    async def refresh_search_text(self, customer_ids: Sequence[uuid.UUID]) -> None:
        await refresh_search_text(self.session, customer_ids)

    async def users_named(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        if not ids:
            return {}
        rows = await self.session.execute(select(User.id, User.name).where(User.id.in_(ids)))
        return {r.id: r.name for r in rows}

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
