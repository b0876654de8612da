"""webhook endpoints and deliveries

Revision ID: d0e1f2a3b4c5
Revises: c9d0e1f2a3b4
Create Date: 2026-11-30 23:01:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from app.models.event import Xid8
from migrations import helpers

revision: str = "d0e1f2a3b4c5"
down_revision: str | None = "c9d0e1f2a3b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORKSPACE_DEFAULT = sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid")
TABLES = ("webhook_endpoints", "webhook_deliveries", "webhook_delivery_attempts", "webhook_cursors")


def _workspace() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("workspace_id", sa.UUID(), server_default=WORKSPACE_DEFAULT, nullable=False)


def _now(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def _workspace_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id"],
        ["workspaces.id"],
        name=op.f(f"fk_{table}_workspace_id_workspaces"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "webhook_endpoints",
        _workspace(),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("event_types", postgresql.ARRAY(sa.String(length=100)), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _now("active_since"),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("previous_secret", sa.String(length=100), nullable=True),
        sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_reason", sa.String(length=20), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        _now("created_at"),
        _now("updated_at"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        _workspace_fk("webhook_endpoints"),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_webhook_endpoints")),
    )
    op.create_index(
        "ix_webhook_endpoints_workspace_id_created_at",
        "webhook_endpoints",
        ["workspace_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "webhook_deliveries",
        _workspace(),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("endpoint_id", sa.UUID(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=True),
        sa.Column("event_type", sa.String(length=80), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        _now("created_at"),
        _now("updated_at"),
        _workspace_fk("webhook_deliveries"),
        sa.ForeignKeyConstraint(
            ["workspace_id", "endpoint_id"],
            ["webhook_endpoints.workspace_id", "webhook_endpoints.id"],
            name=op.f("fk_webhook_deliveries_workspace_id_webhook_endpoints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_webhook_deliveries")),
    )
    op.create_index(
        "ix_webhook_deliveries_workspace_id_endpoint_id_created_at",
        "webhook_deliveries",
        ["workspace_id", "endpoint_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_webhook_deliveries_workspace_id_endpoint_id_status",
        "webhook_deliveries",
        ["workspace_id", "endpoint_id", "status", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_webhook_deliveries_workspace_id_endpoint_id_event_id",
        "webhook_deliveries",
        ["workspace_id", "endpoint_id", "event_id"],
        unique=True,
        postgresql_where=sa.text("event_id IS NOT NULL"),
    )
    op.create_index(
        "ix_webhook_deliveries_workspace_id_due",
        "webhook_deliveries",
        ["workspace_id", "next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        "ix_webhook_deliveries_workspace_id_created_at",
        "webhook_deliveries",
        ["workspace_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "webhook_delivery_attempts",
        _workspace(),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("delivery_id", sa.UUID(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        _now("started_at"),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("response_excerpt", sa.String(length=1024), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        _workspace_fk("webhook_delivery_attempts"),
        sa.ForeignKeyConstraint(
            ["workspace_id", "delivery_id"],
            ["webhook_deliveries.workspace_id", "webhook_deliveries.id"],
            name=op.f("fk_webhook_delivery_attempts_workspace_id_webhook_deliveries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_webhook_delivery_attempts")),
    )
    op.create_index(
        "uq_webhook_delivery_attempts_workspace_id_delivery_id_attempt",
        "webhook_delivery_attempts",
        ["workspace_id", "delivery_id", "attempt"],
        unique=True,
    )
    op.create_table(
        "webhook_cursors",
        _workspace(),
        sa.Column("last_txid", Xid8(), nullable=False),
        sa.Column("last_event_id", sa.BigInteger(), nullable=False),
        _now("updated_at"),
        _workspace_fk("webhook_cursors"),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_webhook_cursors")),
    )
    # the dispatcher reads each workspace's outbox in (txid, id) order
    op.create_index(
        "ix_events_workspace_id_txid_id", "events", ["workspace_id", "txid", "id"], unique=False
    )
    for table in TABLES:
        helpers.enable_tenant_rls(table)
    # the dispatcher sweeps only workspaces with something to send: one narrow definer lookup
    helpers.allow_definer_read("webhook_endpoints")
    op.execute("""
        CREATE FUNCTION rapport_webhook_workspaces() RETURNS SETOF uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT DISTINCT e.workspace_id FROM webhook_endpoints e
          WHERE e.active AND e.deleted_at IS NULL
        $$""")
    op.execute(f"ALTER FUNCTION rapport_webhook_workspaces() OWNER TO {helpers.DEFINER_ROLE}")
    op.execute("REVOKE ALL ON FUNCTION rapport_webhook_workspaces() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION rapport_webhook_workspaces() TO {helpers.app_role()}")
    helpers.grant_app_role()


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS rapport_webhook_workspaces()")
    op.drop_index("ix_events_workspace_id_txid_id", table_name="events")
    for table in reversed(TABLES):
        op.drop_table(table)
