"""contracts, payment plans, payments, invoices, orders

Revision ID: c8f7a6b5d4e3
Revises: b5e1d2c3a4f6
Create Date: 2026-11-30 21:10:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations import helpers

revision: str = "c8f7a6b5d4e3"
down_revision: str | None = "b5e1d2c3a4f6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "contract_counters",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_contract_counters_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "year", name=op.f("pk_contract_counters")),
    )
    op.create_table(
        "orders",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("external_source", sa.String(length=60), nullable=True),
        sa.Column("external_id", sa.String(length=120), nullable=True),
        sa.Column("order_number", sa.String(length=80), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=True),
        sa.Column("customer_external_id", sa.String(length=120), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=True),
        sa.Column("customer_phone", sa.String(length=40), nullable=True),
        sa.Column("customer_phone_normalized", sa.String(length=20), nullable=True),
        sa.Column("customer_email", sa.String(length=254), nullable=True),
        sa.Column("matched_by", sa.String(length=20), nullable=True),
        sa.Column("match_note", sa.String(length=300), nullable=True),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_orders_currency_code")),
        sa.CheckConstraint(
            "status IN ('pending', 'paid', 'shipped', 'completed', 'cancelled', 'refunded')",
            name=op.f("ck_orders_status"),
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_orders_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["workspace_id", "customer_id"],
            ["customers.workspace_id", "customers.id"],
            name=op.f("fk_orders_workspace_id_customer_id_customers"),
            ondelete="SET NULL (customer_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_orders_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_orders")),
    )
    op.create_index(
        "ix_orders_workspace_id_created_at",
        "orders",
        ["workspace_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_orders_workspace_id_customer_ordered",
        "orders",
        ["workspace_id", "customer_id", "ordered_at"],
        unique=False,
    )
    op.create_index(
        "ix_orders_workspace_id_order_number",
        "orders",
        ["workspace_id", "order_number"],
        unique=False,
    )
    op.create_index(
        "ix_orders_workspace_id_ordered_at",
        "orders",
        ["workspace_id", "ordered_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_orders_workspace_id_unmatched",
        "orders",
        ["workspace_id", "ordered_at"],
        unique=False,
        postgresql_where=sa.text("customer_id IS NULL AND deleted_at IS NULL"),
    )
    op.create_index(
        "ix_orders_workspace_id_updated_at",
        "orders",
        ["workspace_id", "updated_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_orders_workspace_id_external",
        "orders",
        ["workspace_id", "external_source", "external_id"],
        unique=True,
        postgresql_where=sa.text("external_id IS NOT NULL AND deleted_at IS NULL"),
    )
    op.create_table(
        "order_items",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.UUID(), nullable=True),
        sa.Column("sku", sa.String(length=80), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_order_items_quantity_positive")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_order_items_unit_price_not_negative")),
        sa.ForeignKeyConstraint(
            ["workspace_id", "order_id"],
            ["orders.workspace_id", "orders.id"],
            name=op.f("fk_order_items_workspace_id_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "product_id"],
            ["products.workspace_id", "products.id"],
            name=op.f("fk_order_items_workspace_id_product_id_products"),
            ondelete="SET NULL (product_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_order_items_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_order_items")),
    )
    op.create_index(
        "ix_order_items_workspace_id_order",
        "order_items",
        ["workspace_id", "order_id", "position"],
        unique=False,
    )
    op.create_index(
        "ix_order_items_workspace_id_product",
        "order_items",
        ["workspace_id", "product_id"],
        unique=False,
        postgresql_where=sa.text("product_id IS NOT NULL"),
    )
    op.create_table(
        "contracts",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("opportunity_id", sa.UUID(), nullable=True),
        sa.Column("owner_id", sa.UUID(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sa.UUID(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.UUID(), nullable=True),
        sa.Column("decision_comment", sa.String(length=1000), nullable=True),
        sa.Column("terminated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("termination_reason", sa.String(length=1000), nullable=True),
        sa.Column("renewal_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("external_source", sa.String(length=60), nullable=True),
        sa.Column("external_id", sa.String(length=120), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_contracts_currency_code")),
        sa.CheckConstraint(
            "status IN ('draft', 'pending_approval', 'active', 'expired', 'terminated')",
            name=op.f("ck_contracts_status"),
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_contracts_amount_not_negative")),
        sa.CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_contracts_period"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "customer_id"],
            ["customers.workspace_id", "customers.id"],
            name=op.f("fk_contracts_workspace_id_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "opportunity_id"],
            ["opportunities.workspace_id", "opportunities.id"],
            name=op.f("fk_contracts_workspace_id_opportunity_id_opportunities"),
            ondelete="SET NULL (opportunity_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "owner_id"],
            ["users.workspace_id", "users.id"],
            name=op.f("fk_contracts_workspace_id_owner_id_users"),
            ondelete="SET NULL (owner_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_contracts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_contracts")),
    )
    op.create_index(
        "ix_contracts_workspace_id_created_at",
        "contracts",
        ["workspace_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_contracts_workspace_id_customer_id",
        "contracts",
        ["workspace_id", "customer_id"],
        unique=False,
    )
    op.create_index(
        "ix_contracts_workspace_id_opportunity",
        "contracts",
        ["workspace_id", "opportunity_id"],
        unique=False,
        postgresql_where=sa.text("opportunity_id IS NOT NULL"),
    )
    op.create_index(
        "ix_contracts_workspace_id_owner_status",
        "contracts",
        ["workspace_id", "owner_id", "status"],
        unique=False,
    )
    op.create_index(
        "ix_contracts_workspace_id_status_ends_on",
        "contracts",
        ["workspace_id", "status", "ends_on"],
        unique=False,
    )
    op.create_index(
        "ix_contracts_workspace_id_updated_at",
        "contracts",
        ["workspace_id", "updated_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_contracts_workspace_id_external",
        "contracts",
        ["workspace_id", "external_source", "external_id"],
        unique=True,
        postgresql_where=sa.text("external_id IS NOT NULL AND deleted_at IS NULL"),
    )
    op.create_index(
        "uq_contracts_workspace_id_number", "contracts", ["workspace_id", "number"], unique=True
    )
    op.create_table(
        "installments",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("contract_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column(
            "allocated_amount",
            sa.Numeric(precision=18, scale=2),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.String(length=500), nullable=True),
        sa.Column("reminder_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overdue_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "allocated_amount >= 0 AND allocated_amount <= amount",
            name=op.f("ck_installments_allocation_within_amount"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_installments_amount_positive")),
        sa.ForeignKeyConstraint(
            ["workspace_id", "contract_id"],
            ["contracts.workspace_id", "contracts.id"],
            name=op.f("fk_installments_workspace_id_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_installments_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_installments")),
    )
    op.create_index(
        "ix_installments_workspace_id_contract",
        "installments",
        ["workspace_id", "contract_id", "number"],
        unique=False,
    )
    op.create_index(
        "ix_installments_workspace_id_due_date",
        "installments",
        ["workspace_id", "due_date", "id"],
        unique=False,
    )
    op.create_index(
        "ix_installments_workspace_id_open_due",
        "installments",
        ["workspace_id", "due_date"],
        unique=False,
        postgresql_where=sa.text("voided_at IS NULL AND allocated_amount < amount"),
    )
    op.create_table(
        "invoices",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("contract_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("taxpayer_id", sa.String(length=30), nullable=True),
        sa.Column("invoice_type", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("tax_rate", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("tax_amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("void_reason", sa.String(length=500), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.CheckConstraint(
            "invoice_type IN ('normal', 'special', 'other')", name=op.f("ck_invoices_invoice_type")
        ),
        sa.CheckConstraint(
            "status <> 'issued' OR number IS NOT NULL", name=op.f("ck_invoices_issued_has_number")
        ),
        sa.CheckConstraint(
            "status IN ('requested', 'issued', 'void')", name=op.f("ck_invoices_status")
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_invoices_amount_positive")),
        sa.CheckConstraint(
            "tax_rate >= 0 AND tax_rate < 1", name=op.f("ck_invoices_tax_rate_range")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "contract_id"],
            ["contracts.workspace_id", "contracts.id"],
            name=op.f("fk_invoices_workspace_id_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_invoices_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_invoices")),
    )
    op.create_index(
        "ix_invoices_workspace_id_contract",
        "invoices",
        ["workspace_id", "contract_id"],
        unique=False,
    )
    op.create_index(
        "ix_invoices_workspace_id_created_at",
        "invoices",
        ["workspace_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_invoices_workspace_id_number",
        "invoices",
        ["workspace_id", "number"],
        unique=True,
        postgresql_where=sa.text("number IS NOT NULL AND status <> 'void'"),
    )
    op.create_table(
        "payments",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("contract_id", sa.UUID(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=True),
        sa.Column("overpayment", sa.Boolean(), nullable=False),
        sa.Column(
            "allocated_amount",
            sa.Numeric(precision=18, scale=2),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.String(length=500), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_payments_currency_code")),
        sa.CheckConstraint(
            "allocated_amount >= 0 AND allocated_amount <= amount",
            name=op.f("ck_payments_allocation_within_amount"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payments_amount_positive")),
        sa.ForeignKeyConstraint(
            ["workspace_id", "contract_id"],
            ["contracts.workspace_id", "contracts.id"],
            name=op.f("fk_payments_workspace_id_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_payments_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_payments")),
    )
    op.create_index(
        "ix_payments_workspace_id_contract",
        "payments",
        ["workspace_id", "contract_id", "received_on"],
        unique=False,
    )
    op.create_index(
        "ix_payments_workspace_id_created_at",
        "payments",
        ["workspace_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_payments_workspace_id_received_on",
        "payments",
        ["workspace_id", "received_on", "id"],
        unique=False,
    )
    op.create_table(
        "payment_allocations",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("payment_id", sa.UUID(), nullable=False),
        sa.Column("installment_id", sa.UUID(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_allocations_amount_positive")),
        sa.ForeignKeyConstraint(
            ["workspace_id", "installment_id"],
            ["installments.workspace_id", "installments.id"],
            name=op.f("fk_payment_allocations_workspace_id_installment_id_installments"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "payment_id"],
            ["payments.workspace_id", "payments.id"],
            name=op.f("fk_payment_allocations_workspace_id_payment_id_payments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_payment_allocations_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_payment_allocations")),
    )
    op.create_index(
        "ix_payment_allocations_workspace_id_installment",
        "payment_allocations",
        ["workspace_id", "installment_id"],
        unique=False,
    )
    op.create_index(
        "uq_payment_allocations_payment_installment",
        "payment_allocations",
        ["workspace_id", "payment_id", "installment_id"],
        unique=True,
    )
    helpers.enable_tenant_rls("contract_counters")
    helpers.enable_tenant_rls("orders")
    helpers.enable_tenant_rls("order_items")
    helpers.enable_tenant_rls("contracts")
    helpers.enable_tenant_rls("installments")
    helpers.enable_tenant_rls("invoices")
    helpers.enable_tenant_rls("payments")
    helpers.enable_tenant_rls("payment_allocations")
    helpers.grant_app_role()


def downgrade() -> None:
    op.drop_index("uq_payment_allocations_payment_installment", table_name="payment_allocations")
    op.drop_index(
        "ix_payment_allocations_workspace_id_installment", table_name="payment_allocations"
    )
    op.drop_table("payment_allocations")
    op.drop_index("ix_payments_workspace_id_received_on", table_name="payments")
    op.drop_index("ix_payments_workspace_id_created_at", table_name="payments")
    op.drop_index("ix_payments_workspace_id_contract", table_name="payments")
    op.drop_table("payments")
    op.drop_index(
        "uq_invoices_workspace_id_number",
        table_name="invoices",
        postgresql_where=sa.text("number IS NOT NULL AND status <> 'void'"),
    )
    op.drop_index("ix_invoices_workspace_id_created_at", table_name="invoices")
    op.drop_index("ix_invoices_workspace_id_contract", table_name="invoices")
    op.drop_table("invoices")
    op.drop_index(
        "ix_installments_workspace_id_open_due",
        table_name="installments",
        postgresql_where=sa.text("voided_at IS NULL AND allocated_amount < amount"),
    )
    op.drop_index("ix_installments_workspace_id_due_date", table_name="installments")
    op.drop_index("ix_installments_workspace_id_contract", table_name="installments")
    op.drop_table("installments")
    op.drop_index("uq_contracts_workspace_id_number", table_name="contracts")
    op.drop_index(
        "uq_contracts_workspace_id_external",
        table_name="contracts",
        postgresql_where=sa.text("external_id IS NOT NULL AND deleted_at IS NULL"),
    )
    op.drop_index("ix_contracts_workspace_id_updated_at", table_name="contracts")
    op.drop_index("ix_contracts_workspace_id_status_ends_on", table_name="contracts")
    op.drop_index("ix_contracts_workspace_id_owner_status", table_name="contracts")
    op.drop_index(
        "ix_contracts_workspace_id_opportunity",
        table_name="contracts",
        postgresql_where=sa.text("opportunity_id IS NOT NULL"),
    )
    op.drop_index("ix_contracts_workspace_id_customer_id", table_name="contracts")
    op.drop_index("ix_contracts_workspace_id_created_at", table_name="contracts")
    op.drop_table("contracts")
    op.drop_index(
        "ix_order_items_workspace_id_product",
        table_name="order_items",
        postgresql_where=sa.text("product_id IS NOT NULL"),
    )
    op.drop_index("ix_order_items_workspace_id_order", table_name="order_items")
    op.drop_table("order_items")
    op.drop_index(
        "uq_orders_workspace_id_external",
        table_name="orders",
        postgresql_where=sa.text("external_id IS NOT NULL AND deleted_at IS NULL"),
    )
    op.drop_index("ix_orders_workspace_id_updated_at", table_name="orders")
    op.drop_index(
        "ix_orders_workspace_id_unmatched",
        table_name="orders",
        postgresql_where=sa.text("customer_id IS NULL AND deleted_at IS NULL"),
    )
    op.drop_index("ix_orders_workspace_id_ordered_at", table_name="orders")
    op.drop_index("ix_orders_workspace_id_order_number", table_name="orders")
    op.drop_index("ix_orders_workspace_id_customer_ordered", table_name="orders")
    op.drop_index("ix_orders_workspace_id_created_at", table_name="orders")
    op.drop_table("orders")
    op.drop_table("contract_counters")
