"""customer value: RFM settings, scores, tier history

Revision ID: f2b3c4d5e6f7
Revises: f1a2b3c4d5e6
Create Date: 2026-12-01 03:02:00+00:00

Scores live in their own narrow table (customer_rfm), not on customers: the nightly
recompute rewrites changed rows, which on the wide, GIN-indexed customers table would be
non-HOT updates of every index. SLA policies may name RFM tiers (customer_rfm_tiers).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from migrations import helpers

revision: str = "f2b3c4d5e6f7"
down_revision: str | None = "f1a2b3c4d5e6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = ("rfm_runs", "customer_rfm", "customer_rfm_changes")


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "rfm_runs",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("trigger", sa.String(length=12), nullable=False),
        sa.Column("requested_by", sa.UUID(), nullable=True),
        sa.Column(
            "requested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("customers", sa.Integer(), nullable=True),
        sa.Column("changed", sa.Integer(), nullable=True),
        sa.Column("tier_changes", sa.Integer(), nullable=True),
        sa.Column("removed", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("settings", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed')",
            name=op.f("ck_rfm_runs_status"),
        ),
        sa.CheckConstraint(
            "trigger IN ('nightly', 'manual', 'settings', 'demo')", name=op.f("ck_rfm_runs_trigger")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "requested_by"],
            ["users.workspace_id", "users.id"],
            name=op.f("fk_rfm_runs_workspace_id_requested_by_users"),
            ondelete="SET NULL (requested_by)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_rfm_runs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_rfm_runs")),
    )
    op.create_index(
        "ix_rfm_runs_workspace_id_finished",
        "rfm_runs",
        ["workspace_id", "finished_at"],
        unique=False,
        postgresql_where=sa.text("status = 'succeeded'"),
    )
    op.create_index(
        "ix_rfm_runs_workspace_id_requested_at",
        "rfm_runs",
        ["workspace_id", "requested_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_rfm_runs_workspace_id_requested_by",
        "rfm_runs",
        ["workspace_id", "requested_by"],
        unique=False,
        postgresql_where=sa.text("requested_by IS NOT NULL"),
    )
    op.create_table(
        "customer_rfm",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("owner_id", sa.UUID(), nullable=True),
        sa.Column("r", sa.SmallInteger(), nullable=False),
        sa.Column("f", sa.SmallInteger(), nullable=False),
        sa.Column("m", sa.SmallInteger(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(length=40), nullable=False),
        sa.Column("tier_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_purchase_on", sa.Date(), nullable=False),
        sa.Column("last_purchase_on", sa.Date(), nullable=False),
        sa.Column("purchases", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("purchase_days", sa.Integer(), nullable=False),
        sa.Column("median_gap_days", sa.Numeric(precision=8, scale=1), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "purchases >= 0 AND purchase_days >= 1", name=op.f("ck_customer_rfm_counts")
        ),
        sa.CheckConstraint(
            "r BETWEEN 1 AND 5 AND f BETWEEN 1 AND 5 AND m BETWEEN 1 AND 5",
            name=op.f("ck_customer_rfm_scores"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "customer_id"],
            ["customers.workspace_id", "customers.id"],
            name=op.f("fk_customer_rfm_workspace_id_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_customer_rfm_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "customer_id", name=op.f("pk_customer_rfm")),
    )
    op.create_index(
        "ix_customer_rfm_workspace_id_owner",
        "customer_rfm",
        ["workspace_id", "owner_id", "r", "f", "m"],
        unique=False,
        postgresql_include=["customer_id", "tier", "amount"],
    )
    op.create_index(
        "ix_customer_rfm_workspace_id_score",
        "customer_rfm",
        ["workspace_id", "score", "customer_id"],
        unique=False,
    )
    op.create_index(
        "ix_customer_rfm_workspace_id_tier",
        "customer_rfm",
        ["workspace_id", "tier", "customer_id"],
        unique=False,
    )
    op.create_table(
        "customer_rfm_changes",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("run_id", sa.UUID(), nullable=True),
        sa.Column("from_tier", sa.String(length=40), nullable=True),
        sa.Column("to_tier", sa.String(length=40), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("r", sa.SmallInteger(), nullable=True),
        sa.Column("f", sa.SmallInteger(), nullable=True),
        sa.Column("m", sa.SmallInteger(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id", "customer_id"],
            ["customers.workspace_id", "customers.id"],
            name=op.f("fk_customer_rfm_changes_workspace_id_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_customer_rfm_changes_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_customer_rfm_changes")),
    )
    op.create_index(
        "ix_customer_rfm_changes_workspace_id_customer",
        "customer_rfm_changes",
        ["workspace_id", "customer_id", "changed_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_customers_workspace_id_deleted",
        "customers",
        ["workspace_id", "id"],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NOT NULL"),
    )
    op.add_column(
        "sla_policies",
        sa.Column(
            "customer_rfm_tiers",
            postgresql.ARRAY(sa.String(length=40)),
            server_default="{}",
            nullable=False,
        ),
    )

    # scores carry their customer's owner, so scoped aggregates read one narrow table;
    # every change of a customer's owner (transfer, claim, reclaim, handover, ...) follows
    op.execute("""
        CREATE FUNCTION rapport_customer_rfm_owner() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE customer_rfm r
             SET owner_id = NEW.owner_id
           WHERE r.workspace_id = NEW.workspace_id AND r.customer_id = NEW.id;
          RETURN NULL;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER customer_rfm_owner
        AFTER UPDATE OF owner_id ON customers
        FOR EACH ROW
        WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id)
        EXECUTE FUNCTION rapport_customer_rfm_owner()
    """)

    for table in TENANT_TABLES:
        helpers.enable_tenant_rls(table)
    helpers.grant_app_role()


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("DROP TRIGGER customer_rfm_owner ON customers")
    op.execute("DROP FUNCTION rapport_customer_rfm_owner()")
    op.drop_column("sla_policies", "customer_rfm_tiers")
    op.drop_index(
        "ix_customers_workspace_id_deleted",
        table_name="customers",
        postgresql_where=sa.text("deleted_at IS NOT NULL"),
    )
    op.drop_index(
        "ix_customer_rfm_changes_workspace_id_customer", table_name="customer_rfm_changes"
    )
    op.drop_table("customer_rfm_changes")
    op.drop_index("ix_customer_rfm_workspace_id_tier", table_name="customer_rfm")
    op.drop_index("ix_customer_rfm_workspace_id_score", table_name="customer_rfm")
    op.drop_index(
        "ix_customer_rfm_workspace_id_owner",
        table_name="customer_rfm",
        postgresql_include=["customer_id", "tier", "amount"],
    )
    op.drop_table("customer_rfm")
    op.drop_index(
        "ix_rfm_runs_workspace_id_requested_by",
        table_name="rfm_runs",
        postgresql_where=sa.text("requested_by IS NOT NULL"),
    )
    op.drop_index("ix_rfm_runs_workspace_id_requested_at", table_name="rfm_runs")
    op.drop_index(
        "ix_rfm_runs_workspace_id_finished",
        table_name="rfm_runs",
        postgresql_where=sa.text("status = 'succeeded'"),
    )
    op.drop_table("rfm_runs")
