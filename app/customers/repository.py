from __future__ import annotations

import json
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
    text,
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


@dataclass(frozen=True)
class DuplicateMatch:
    """A live customer sharing one identifying value (`field`, `value`, normalised)."""

    customer_id: uuid.UUID
    name: str
    owner_id: uuid.UUID | None
    field: str
    value: str


#: the identifying values of many new customers, matched in one statement (see
#: `CustomerRepository.duplicate_matches`); phones go through the definer function
_DUPLICATE_MATCHES = text("""
    WITH hits AS (
      SELECT c.id, 'email' AS field, CAST(c.email_normalized AS text) AS value FROM customers c
      WHERE c.email_normalized = ANY(CAST(:emails AS text[])) AND c.deleted_at IS NULL
      UNION ALL
      SELECT c.id, 'credit_code', CAST(c.credit_code AS text) FROM customers c
      WHERE c.credit_code = ANY(CAST(:credit_codes AS text[])) AND c.deleted_at IS NULL
      UNION ALL
      SELECT c.id, 'name', CAST(c.name_normalized AS text) FROM customers c
      WHERE c.name_normalized = ANY(CAST(:names AS text[])) AND c.deleted_at IS NULL
      UNION ALL
      SELECT m.id, 'phone', CAST(m.phone AS text)
      FROM jsonb_array_elements(CAST(:phone_groups AS jsonb)) AS g(phones)
      CROSS JOIN LATERAL rapport_customer_phone_matches(
        CAST(ARRAY(SELECT jsonb_array_elements_text(g.phones)) AS varchar[]), CAST(NULL AS uuid)
      ) AS m
    )
    SELECT h.id, c.name, c.owner_id, h.field, h.value
    FROM hits h JOIN customers c ON c.id = h.id
""")
#: what `rapport_customer_phone_matches` answers at most (its LIMIT)
PHONE_MATCH_LIMIT = 40
#: a call that reached the limit is asked again in this many groups
PHONE_RETRY_SPLIT = 32


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

    async def duplicate_matches(
        self,
        *,
        phones: Sequence[str],
        emails: Sequence[str],
        credit_codes: Sequence[str],
        names: Sequence[str],
    ) -> list[DuplicateMatch]:
        """`duplicate_candidates` for many new customers at once (batch upserts), across the
        whole workspace: exact on phone (customers' and their contacts'), e-mail and credit
        code, and on the normalised name exact rather than trigram-similar.

        One statement, whose phones go to the definer function in one call (its index
        lookup walks the workspace's posting list once per call). The function answers at
        most PHONE_MATCH_LIMIT rows: a call that reaches it is asked again in
        PHONE_RETRY_SPLIT smaller groups, all in one more statement, down to single numbers
        (capped as the single check is): three statements at most for 1,000 phones."""
        out: list[DuplicateMatch] = []
        groups = [list(phones)] if phones else []
        others = {"emails": list(emails), "credit_codes": list(credit_codes), "names": list(names)}
        first = True
        while first or groups:
            rows = await self.session.execute(
                _DUPLICATE_MATCHES,
                {
                    **(others if first else {"emails": [], "credit_codes": [], "names": []}),
                    "phone_groups": json.dumps(groups),
                },
            )
            first = False
            by_group: list[list[DuplicateMatch]] = [[] for _ in groups]
            group_of = {phone: n for n, group in enumerate(groups) for phone in group}
            for match in (DuplicateMatch(*row) for row in rows.all()):
                if match.field == "phone":
                    by_group[group_of[match.value]].append(match)
                else:
                    out.append(match)
            retry: list[list[str]] = []
            for group, matches in zip(groups, by_group, strict=True):
                if len(matches) < PHONE_MATCH_LIMIT or len(group) == 1:
                    out += matches
                else:  # the call may have been cut short: ask again in smaller groups
                    size = -(-len(group) // PHONE_RETRY_SPLIT)
                    retry += [group[n : n + size] for n in range(0, len(group), size)]
            groups = retry
        return out

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
