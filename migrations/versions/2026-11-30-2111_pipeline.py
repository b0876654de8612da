"""pipelines, stages, opportunities, products

Revision ID: b5e1d2c3a4f6
Revises: e4a1c9d2b7f3
Create Date: 2026-11-30 21:10:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from migrations import helpers

revision: str = "b5e1d2c3a4f6"
down_revision: str | None = "e4a1c9d2b7f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "lost_reasons",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("label_zh", sa.String(length=100), nullable=False),
        sa.Column("label_en", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_lost_reasons_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_lost_reasons")),
    )
    op.create_index(
        "ix_lost_reasons_workspace_id_position",
        "lost_reasons",
        ["workspace_id", "position"],
        unique=False,
    )
    op.create_table(
        "pipelines",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_pipelines_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_pipelines")),
    )
    op.create_index(
        "ix_pipelines_workspace_id_position",
        "pipelines",
        ["workspace_id", "position", "id"],
        unique=False,
    )
    op.create_index(
        "uq_pipelines_workspace_id_default",
        "pipelines",
        ["workspace_id"],
        unique=True,
        postgresql_where=sa.text("is_default AND deleted_at IS NULL"),
    )
    op.create_index(
        "uq_pipelines_workspace_id_name",
        "pipelines",
        ["workspace_id", "name"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "products",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("sku", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("list_price", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
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
        sa.CheckConstraint("list_price >= 0", name=op.f("ck_products_list_price")),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_products_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_products")),
    )
    op.create_index(
        "ix_products_workspace_id_name", "products", ["workspace_id", "name", "id"], unique=False
    )
    op.create_index(
        "uq_products_workspace_id_external",
        "products",
        ["workspace_id", "external_source", "external_id"],
        unique=True,
        postgresql_where=sa.text("external_id IS NOT NULL AND deleted_at IS NULL"),
    )
    op.create_index(
        "uq_products_workspace_id_sku",
        "products",
        ["workspace_id", "sku"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "pipeline_stages",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("pipeline_id", sa.UUID(), nullable=False),
        sa.Column("name_zh", sa.String(length=60), nullable=False),
        sa.Column("name_en", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("rotting_days", sa.Integer(), nullable=True),
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
        sa.CheckConstraint("kind IN ('open', 'won', 'lost')", name=op.f("ck_pipeline_stages_kind")),
        sa.CheckConstraint(
            "probability BETWEEN 0 AND 100", name=op.f("ck_pipeline_stages_probability")
        ),
        sa.CheckConstraint(
            "rotting_days IS NULL OR rotting_days > 0", name=op.f("ck_pipeline_stages_rotting_days")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "pipeline_id"],
            ["pipelines.workspace_id", "pipelines.id"],
            name=op.f("fk_pipeline_stages_workspace_id_pipeline_id_pipelines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_pipeline_stages_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_pipeline_stages")),
    )
    op.create_index(
        "ix_pipeline_stages_workspace_id_pipeline",
        "pipeline_stages",
        ["workspace_id", "pipeline_id", "position"],
        unique=False,
    )
    op.create_table(
        "opportunities",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("contact_id", sa.UUID(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("expected_close_date", sa.Date(), nullable=True),
        sa.Column("pipeline_id", sa.UUID(), nullable=False),
        sa.Column("stage_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.Column("probability_manual", sa.Boolean(), nullable=False),
        sa.Column(
            "stage_entered_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("owner_id", sa.UUID(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("campaign_id", sa.UUID(), nullable=True),
        sa.Column("lead_id", sa.UUID(), nullable=True),
        sa.Column("lost_reason_id", sa.UUID(), nullable=True),
        sa.Column("lost_note", sa.Text(), nullable=True),
        sa.Column("won_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lost_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("has_items", sa.Boolean(), nullable=False),
        sa.Column("custom_fields", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_opportunities_currency")),
        sa.CheckConstraint(
            "status IN ('open', 'won', 'lost')", name=op.f("ck_opportunities_status")
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_opportunities_amount")),
        sa.CheckConstraint(
            "probability BETWEEN 0 AND 100", name=op.f("ck_opportunities_probability")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "campaign_id"],
            ["campaigns.workspace_id", "campaigns.id"],
            name=op.f("fk_opportunities_workspace_id_campaign_id_campaigns"),
            ondelete="SET NULL (campaign_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "contact_id"],
            ["contacts.workspace_id", "contacts.id"],
            name=op.f("fk_opportunities_workspace_id_contact_id_contacts"),
            ondelete="SET NULL (contact_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "customer_id"],
            ["customers.workspace_id", "customers.id"],
            name=op.f("fk_opportunities_workspace_id_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "lead_id"],
            ["leads.workspace_id", "leads.id"],
            name=op.f("fk_opportunities_workspace_id_lead_id_leads"),
            ondelete="SET NULL (lead_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "lost_reason_id"],
            ["lost_reasons.workspace_id", "lost_reasons.id"],
            name=op.f("fk_opportunities_workspace_id_lost_reason_id_lost_reasons"),
            ondelete="SET NULL (lost_reason_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "owner_id"],
            ["users.workspace_id", "users.id"],
            name=op.f("fk_opportunities_workspace_id_owner_id_users"),
            ondelete="SET NULL (owner_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "pipeline_id"],
            ["pipelines.workspace_id", "pipelines.id"],
            name=op.f("fk_opportunities_workspace_id_pipeline_id_pipelines"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "stage_id"],
            ["pipeline_stages.workspace_id", "pipeline_stages.id"],
            name=op.f("fk_opportunities_workspace_id_stage_id_pipeline_stages"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_opportunities_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_opportunities")),
    )
    op.create_index(
        "ix_opportunities_board_closed",
        "opportunities",
        ["workspace_id", "pipeline_id", "stage_id", "stage_entered_at"],
        unique=False,
        postgresql_where=sa.text("status <> 'open' AND deleted_at IS NULL"),
    )
    op.create_index(
        "ix_opportunities_board_open",
        "opportunities",
        ["workspace_id", "pipeline_id", "stage_id", "updated_at", "id"],
        unique=False,
        postgresql_include=["amount", "currency", "probability", "owner_id"],
        postgresql_where=sa.text("status = 'open' AND deleted_at IS NULL"),
    )
    op.create_index(
        "ix_opportunities_board_owner",
        "opportunities",
        ["workspace_id", "owner_id", "pipeline_id", "stage_id", "updated_at", "id"],
        unique=False,
        postgresql_include=["amount", "currency", "probability"],
        postgresql_where=sa.text("status = 'open' AND deleted_at IS NULL"),
    )
    op.create_index(
        "ix_opportunities_custom_fields",
        "opportunities",
        ["workspace_id", "custom_fields"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"custom_fields": "jsonb_path_ops"},
    )
    op.create_index(
        "ix_opportunities_workspace_id_campaign",
        "opportunities",
        ["workspace_id", "campaign_id"],
        unique=False,
        postgresql_where=sa.text("campaign_id IS NOT NULL"),
    )
    op.create_index(
        "ix_opportunities_workspace_id_contact",
        "opportunities",
        ["workspace_id", "contact_id"],
        unique=False,
        postgresql_where=sa.text("contact_id IS NOT NULL"),
    )
    op.create_index(
        "ix_opportunities_workspace_id_created_at",
        "opportunities",
        ["workspace_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_opportunities_workspace_id_customer",
        "opportunities",
        ["workspace_id", "customer_id", "status"],
        unique=False,
    )
    op.create_index(
        "ix_opportunities_workspace_id_lead",
        "opportunities",
        ["workspace_id", "lead_id"],
        unique=False,
        postgresql_where=sa.text("lead_id IS NOT NULL"),
    )
    op.create_index(
        "ix_opportunities_workspace_id_lost_reason",
        "opportunities",
        ["workspace_id", "lost_reason_id"],
        unique=False,
        postgresql_where=sa.text("lost_reason_id IS NOT NULL"),
    )
    op.create_index(
        "ix_opportunities_workspace_id_owner",
        "opportunities",
        ["workspace_id", "owner_id", "status"],
        unique=False,
    )
    op.create_index(
        "ix_opportunities_workspace_id_pipeline",
        "opportunities",
        ["workspace_id", "pipeline_id"],
        unique=False,
    )
    op.create_index(
        "ix_opportunities_workspace_id_stage",
        "opportunities",
        ["workspace_id", "stage_id"],
        unique=False,
    )
    op.create_index(
        "ix_opportunities_workspace_id_updated_at",
        "opportunities",
        ["workspace_id", "updated_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_opportunities_workspace_id_external",
        "opportunities",
        ["workspace_id", "external_source", "external_id"],
        unique=True,
        postgresql_where=sa.text("external_id IS NOT NULL AND deleted_at IS NULL"),
    )
    op.create_table(
        "opportunity_items",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("opportunity_id", sa.UUID(), nullable=False),
        sa.Column("product_id", sa.UUID(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("discount", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("line_total", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.CheckConstraint(
            "discount BETWEEN 0 AND 100", name=op.f("ck_opportunity_items_discount")
        ),
        sa.CheckConstraint("line_total >= 0", name=op.f("ck_opportunity_items_line_total")),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_opportunity_items_quantity")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_opportunity_items_unit_price")),
        sa.ForeignKeyConstraint(
            ["workspace_id", "opportunity_id"],
            ["opportunities.workspace_id", "opportunities.id"],
            name=op.f("fk_opportunity_items_workspace_id_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "product_id"],
            ["products.workspace_id", "products.id"],
            name=op.f("fk_opportunity_items_workspace_id_product_id_products"),
            ondelete="SET NULL (product_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_opportunity_items_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_opportunity_items")),
    )
    op.create_index(
        "ix_opportunity_items_workspace_id_opportunity",
        "opportunity_items",
        ["workspace_id", "opportunity_id", "position"],
        unique=False,
    )
    op.create_index(
        "ix_opportunity_items_workspace_id_product",
        "opportunity_items",
        ["workspace_id", "product_id"],
        unique=False,
        postgresql_where=sa.text("product_id IS NOT NULL"),
    )
    op.create_table(
        "opportunity_stage_history",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("opportunity_id", sa.UUID(), nullable=False),
        sa.Column("stage_id", sa.UUID(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moved_by", sa.UUID(), nullable=True),
        sa.CheckConstraint(
            "left_at IS NULL OR left_at >= entered_at",
            name=op.f("ck_opportunity_stage_history_left_after_entered"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "opportunity_id"],
            ["opportunities.workspace_id", "opportunities.id"],
            name=op.f("fk_opportunity_stage_history_workspace_id_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "stage_id"],
            ["pipeline_stages.workspace_id", "pipeline_stages.id"],
            name=op.f("fk_opportunity_stage_history_workspace_id_stage_id_pipeline_stages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_opportunity_stage_history_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_opportunity_stage_history")),
    )
    op.create_index(
        "ix_opportunity_stage_history_opportunity",
        "opportunity_stage_history",
        ["workspace_id", "opportunity_id", "entered_at"],
        unique=False,
    )
    op.create_index(
        "ix_opportunity_stage_history_stage",
        "opportunity_stage_history",
        ["workspace_id", "stage_id", "entered_at"],
        unique=False,
    )
    op.add_column("activities", sa.Column("opportunity_id", sa.UUID(), nullable=True))
    op.create_index(
        "ix_activities_workspace_id_opportunity",
        "activities",
        ["workspace_id", "opportunity_id", "occurred_at"],
        unique=False,
        postgresql_where=sa.text("opportunity_id IS NOT NULL"),
    )
    op.create_foreign_key(
        op.f("fk_activities_workspace_id_opportunity_id_opportunities"),
        "activities",
        "opportunities",
        ["workspace_id", "opportunity_id"],
        ["workspace_id", "id"],
        ondelete="SET NULL (opportunity_id)",
    )
    op.add_column("tasks", sa.Column("opportunity_id", sa.UUID(), nullable=True))
    op.create_index(
        "ix_tasks_workspace_id_opportunity",
        "tasks",
        ["workspace_id", "opportunity_id"],
        unique=False,
        postgresql_where=sa.text("opportunity_id IS NOT NULL"),
    )
    op.create_foreign_key(
        op.f("fk_tasks_workspace_id_opportunity_id_opportunities"),
        "tasks",
        "opportunities",
        ["workspace_id", "opportunity_id"],
        ["workspace_id", "id"],
        ondelete="SET NULL (opportunity_id)",
    )
    helpers.enable_tenant_rls("pipelines")
    helpers.enable_tenant_rls("pipeline_stages")
    helpers.enable_tenant_rls("lost_reasons")
    helpers.enable_tenant_rls("products")
    helpers.enable_tenant_rls("opportunities")
    helpers.enable_tenant_rls("opportunity_items")
    helpers.enable_tenant_rls("opportunity_stage_history")
    helpers.grant_app_role()


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_tasks_workspace_id_opportunity_id_opportunities"), "tasks", type_="foreignkey"
    )
    op.drop_index(
        "ix_tasks_workspace_id_opportunity",
        table_name="tasks",
        postgresql_where=sa.text("opportunity_id IS NOT NULL"),
    )
    op.drop_column("tasks", "opportunity_id")
    op.drop_constraint(
        op.f("fk_activities_workspace_id_opportunity_id_opportunities"),
        "activities",
        type_="foreignkey",
    )
    op.drop_index(
        "ix_activities_workspace_id_opportunity",
        table_name="activities",
        postgresql_where=sa.text("opportunity_id IS NOT NULL"),
    )
    op.drop_column("activities", "opportunity_id")
    op.drop_index("ix_opportunity_stage_history_stage", table_name="opportunity_stage_history")
    op.drop_index(
        "ix_opportunity_stage_history_opportunity", table_name="opportunity_stage_history"
    )
    op.drop_table("opportunity_stage_history")
    op.drop_index(
        "ix_opportunity_items_workspace_id_product",
        table_name="opportunity_items",
        postgresql_where=sa.text("product_id IS NOT NULL"),
    )
    op.drop_index("ix_opportunity_items_workspace_id_opportunity", table_name="opportunity_items")
    op.drop_table("opportunity_items")
    op.drop_index(
        "uq_opportunities_workspace_id_external",
        table_name="opportunities",
        postgresql_where=sa.text("external_id IS NOT NULL AND deleted_at IS NULL"),
    )
    op.drop_index("ix_opportunities_workspace_id_updated_at", table_name="opportunities")
    op.drop_index("ix_opportunities_workspace_id_stage", table_name="opportunities")
    op.drop_index("ix_opportunities_workspace_id_pipeline", table_name="opportunities")
    op.drop_index("ix_opportunities_workspace_id_owner", table_name="opportunities")
    op.drop_index(
        "ix_opportunities_workspace_id_lost_reason",
        table_name="opportunities",
        postgresql_where=sa.text("lost_reason_id IS NOT NULL"),
    )
    op.drop_index(
        "ix_opportunities_workspace_id_lead",
        table_name="opportunities",
        postgresql_where=sa.text("lead_id IS NOT NULL"),
    )
    op.drop_index("ix_opportunities_workspace_id_customer", table_name="opportunities")
    op.drop_index("ix_opportunities_workspace_id_created_at", table_name="opportunities")
    op.drop_index(
        "ix_opportunities_workspace_id_contact",
        table_name="opportunities",
        postgresql_where=sa.text("contact_id IS NOT NULL"),
    )
    op.drop_index(
        "ix_opportunities_workspace_id_campaign",
        table_name="opportunities",
        postgresql_where=sa.text("campaign_id IS NOT NULL"),
    )
    op.drop_index(
        "ix_opportunities_custom_fields",
        table_name="opportunities",
        postgresql_using="gin",
        postgresql_ops={"custom_fields": "jsonb_path_ops"},
    )
    op.drop_index(
        "ix_opportunities_board_open",
        table_name="opportunities",
        postgresql_include=["amount", "currency", "probability", "owner_id"],
        postgresql_where=sa.text("status = 'open' AND deleted_at IS NULL"),
    )
    op.drop_index(
        "ix_opportunities_board_owner",
        table_name="opportunities",
        postgresql_include=["amount", "currency", "probability"],
        postgresql_where=sa.text("status = 'open' AND deleted_at IS NULL"),
    )
    op.drop_index(
        "ix_opportunities_board_closed",
        table_name="opportunities",
        postgresql_where=sa.text("status <> 'open' AND deleted_at IS NULL"),
    )
    op.drop_table("opportunities")
    op.drop_index("ix_pipeline_stages_workspace_id_pipeline", table_name="pipeline_stages")
    op.drop_table("pipeline_stages")
    op.drop_index(
        "uq_products_workspace_id_sku",
        table_name="products",
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.drop_index(
        "uq_products_workspace_id_external",
        table_name="products",
        postgresql_where=sa.text("external_id IS NOT NULL AND deleted_at IS NULL"),
    )
    op.drop_index("ix_products_workspace_id_name", table_name="products")
    op.drop_table("products")
    op.drop_index(
        "uq_pipelines_workspace_id_name",
        table_name="pipelines",
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.drop_index(
        "uq_pipelines_workspace_id_default",
        table_name="pipelines",
        postgresql_where=sa.text("is_default AND deleted_at IS NULL"),
    )
    op.drop_index("ix_pipelines_workspace_id_position", table_name="pipelines")
    op.drop_table("pipelines")
    op.drop_index("ix_lost_reasons_workspace_id_position", table_name="lost_reasons")
    op.drop_table("lost_reasons")
