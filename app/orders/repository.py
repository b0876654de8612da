from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import String, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from app.core.pagination import SortSpec
from app.core.principal import Scope
from app.core.repository import RepositoryBase
from app.core.scope import scope_condition
from app.models.customer import Customer
from app.models.orders import Order, OrderItem
from app.models.pipeline import Product


class OrderRepository(RepositoryBase[Order]):
    model = Order
    entity = "order"
    sorting: ClassVar[SortSpec] = SortSpec(
        Order.id,
        ordered_at=Order.ordered_at,
        created_at=Order.created_at,
        updated_at=Order.updated_at,
        amount=Order.amount,
    )

    async def items_of(self, order_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[OrderItem]]:
        out: dict[uuid.UUID, list[OrderItem]] = {i: [] for i in order_ids}
        if not order_ids:
            return out
        rows = await self.session.execute(
            select(OrderItem)
            .where(OrderItem.order_id.in_(order_ids))
            .order_by(OrderItem.order_id, OrderItem.position)
        )
        for item in rows.scalars():
            out[item.order_id].append(item)
        return out

    async def by_external_id(self, source: str, external_id: str) -> uuid.UUID | None:
        """Across the workspace (not only the caller's scope): one order per external id."""
        found: uuid.UUID | None = await self.session.scalar(
            select(Order.id).where(
                Order.external_source == source,
                Order.external_id == external_id,
                Order.deleted_at.is_(None),
            )
        )
        return found

    def matches_whole_workspace(self) -> bool:
        return self.principal.scope("customers") is Scope.all and (
            self.principal.scope("orders") is Scope.all
        )

    async def customers_where(self, condition: Any, *columns: Any) -> list[tuple[Any, ...]]:
        """(customer id, *columns) of the live customers matching `condition`, among those
        the principal may read as customers and see orders of (the whole workspace for
        owners, admins and their integrations): an order never hands a rep the id of a
        colleague's customer."""
        rows = await self.session.execute(
            select(Customer.id, *columns).where(
                Customer.deleted_at.is_(None),
                scope_condition(Customer, self.principal, "customers"),
                scope_condition(Customer, self.principal, "orders"),
                condition,
            )
        )
        return [tuple(r) for r in rows.all()]

    async def customer_ids_by_phone(self, phones: set[str]) -> set[uuid.UUID]:
        """Ids of the workspace's live customers having one of `phones` (normalised), found
        through the phone index by a definer function: `&&` under RLS reads the whole table.
        Not yet narrowed to the principal's scope: read them through `customers_where`."""
        rows = await self.session.execute(
            select(
                func.rapport_customers_by_phone(cast(sorted(phones), ARRAY(String)))
                .table_valued("id", "phone")
                .c.id
            )
        )
        return set(rows.scalars())

    async def readable_id(self, order_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            self.readable().where(Order.id == order_id).with_only_columns(Order.id)
        )
        return found is not None

    async def known_products(self, ids: set[uuid.UUID]) -> set[uuid.UUID]:
        if not ids:
            return set()
        rows = await self.session.execute(
            select(Product.id).where(Product.id.in_(ids), Product.deleted_at.is_(None))
        )
        return set(rows.scalars())
