"""Orders from shops and ERPs (订单): matched to customers, they feed RFM analysis."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, IdMixin, TenantEntity, WorkspaceMixin, tenant_fk
from app.models.customer import Customer

ORDER_STATUSES = ("pending", "paid", "shipped", "completed", "cancelled", "refunded")


class Order(TenantEntity, Base):
    __tablename__ = "orders"
    __table_args__ = (
        tenant_fk(["customer_id"], "customers", ondelete="SET NULL"),
        # by customer and time: a customer's orders, and RFM (recency, frequency, monetary)
        Index(
            "ix_orders_workspace_id_customer_ordered", "workspace_id", "customer_id", "ordered_at"
        ),
        Index("ix_orders_workspace_id_ordered_at", "workspace_id", "ordered_at", "id"),
        Index("ix_orders_workspace_id_created_at", "workspace_id", "created_at", "id"),
        Index("ix_orders_workspace_id_updated_at", "workspace_id", "updated_at", "id"),
        Index(
            "ix_orders_workspace_id_unmatched",
            "workspace_id",
            "ordered_at",
            postgresql_where=text("customer_id IS NULL AND deleted_at IS NULL"),
        ),
        Index("ix_orders_workspace_id_order_number", "workspace_id", "order_number"),
        Index(
            "uq_orders_workspace_id_external",
            "workspace_id",
            "external_source",
            "external_id",
            unique=True,
            postgresql_where=text("external_id IS NOT NULL AND deleted_at IS NULL"),
        ),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        CheckConstraint(
            "status IN ('pending', 'paid', 'shipped', 'completed', 'cancelled', 'refunded')",
            name="status",
        ),
    )
    __scope_module__ = "orders"
    #: an order is seen by whoever sees its customer; unmatched orders by all-scope roles
    __scope_parent__ = ("customer_id", Customer)

    external_source: Mapped[str | None] = mapped_column(String(60))
    external_id: Mapped[str | None] = mapped_column(String(120))
    order_number: Mapped[str] = mapped_column(String(80), nullable=False)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    #: how the order named its buyer; kept for matching and for the review list
    customer_external_id: Mapped[str | None] = mapped_column(String(120))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    customer_phone: Mapped[str | None] = mapped_column(String(40))
    customer_phone_normalized: Mapped[str | None] = mapped_column(String(20))
    customer_email: Mapped[str | None] = mapped_column(String(254))
    #: external_id, phone, email or manual; null while unmatched
    matched_by: Mapped[str | None] = mapped_column(String(20))
    match_note: Mapped[str | None] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(40), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="paid")
    ordered_at: Mapped[datetime] = mapped_column(nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="CNY")
    notes: Mapped[str | None] = mapped_column(Text)


class OrderItem(WorkspaceMixin, IdMixin, Base):
    __tablename__ = "order_items"
    __table_args__ = (
        tenant_fk(["order_id"], "orders", ondelete="CASCADE"),
        tenant_fk(["product_id"], "products", ondelete="SET NULL"),
        Index(
            "ix_order_items_workspace_id_product",
            "workspace_id",
            "product_id",
            postgresql_where=text("product_id IS NOT NULL"),
        ),
        Index("ix_order_items_workspace_id_order", "workspace_id", "order_id", "position"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )
    __scope_module__ = "orders"

    order_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    position: Mapped[int] = mapped_column(nullable=False, default=0)
    product_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    sku: Mapped[str | None] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3), nullable=False)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
    #: quantity × unit price, HALF_UP to the cent
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
