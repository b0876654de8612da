"""tickets, SLA policies and business calendars, CSAT

Revision ID: e1f2a3b4c5d6
Revises: d1e2f3a4b5c6
Create Date: 2026-11-30 23:03:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from migrations import helpers

revision: str = "e1f2a3b4c5d6"
down_revision: str | None = "d1e2f3a4b5c6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = (
    "business_calendars",
    "sla_policies",
    "ticket_routing_rules",
    "ticket_forms",
    "ticket_counters",
    "tickets",
    "ticket_comments",
    "ticket_status_changes",
    "ticket_surveys",
)


def _definer_lookup(function: str, table: str, condition: str) -> None:
    """A narrow SECURITY DEFINER lookup of a public token's workspace (no workspace is
    bound yet when an anonymous visitor posts a form or a rating)."""
    op.execute(f"""
        CREATE FUNCTION {function}(p_token text) RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT t.workspace_id FROM {table} t WHERE t.token = p_token AND {condition}
        $$""")
    op.execute(f"ALTER FUNCTION {function}(text) OWNER TO {helpers.DEFINER_ROLE}")
    op.execute(f"REVOKE ALL ON FUNCTION {function}(text) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {function}(text) TO {helpers.app_role()}")


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "business_calendars",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("weekly_hours", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("holidays", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("workdays", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
            name=op.f("fk_business_calendars_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_business_calendars")),
    )
    op.create_index(
        "ix_business_calendars_workspace_id_name",
        "business_calendars",
        ["workspace_id", "name"],
        unique=False,
    )
    op.create_table(
        "ticket_counters",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_ticket_counters_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_ticket_counters")),
    )
    op.create_table(
        "sla_policies",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("customer_levels", postgresql.ARRAY(sa.String(length=40)), nullable=False),
        sa.Column("calendar_id", sa.UUID(), nullable=True),
        sa.Column("targets", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("warning_minutes", sa.Integer(), nullable=False),
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
            ["workspace_id", "calendar_id"],
            ["business_calendars.workspace_id", "business_calendars.id"],
            name=op.f("fk_sla_policies_workspace_id_calendar_id_business_calendars"),
            ondelete="SET NULL (calendar_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_sla_policies_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_sla_policies")),
    )
    op.create_index(
        "ix_sla_policies_workspace_id_calendar",
        "sla_policies",
        ["workspace_id", "calendar_id"],
        unique=False,
        postgresql_where=sa.text("calendar_id IS NOT NULL"),
    )
    op.create_index(
        "ix_sla_policies_workspace_id_position",
        "sla_policies",
        ["workspace_id", "position"],
        unique=False,
    )
    op.create_table(
        "ticket_forms",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("team_id", sa.UUID(), nullable=True),
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
            ["workspace_id", "team_id"],
            ["teams.workspace_id", "teams.id"],
            name=op.f("fk_ticket_forms_workspace_id_team_id_teams"),
            ondelete="SET NULL (team_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_ticket_forms_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_ticket_forms")),
    )
    op.create_index(
        "ix_ticket_forms_workspace_id_team",
        "ticket_forms",
        ["workspace_id", "team_id"],
        unique=False,
        postgresql_where=sa.text("team_id IS NOT NULL"),
    )
    op.create_index("uq_ticket_forms_token", "ticket_forms", ["token"], unique=True)
    op.create_table(
        "ticket_routing_rules",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("conditions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("team_id", sa.UUID(), nullable=False),
        sa.Column("strategy", sa.String(length=20), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("state", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
            ["workspace_id", "team_id"],
            ["teams.workspace_id", "teams.id"],
            name=op.f("fk_ticket_routing_rules_workspace_id_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_ticket_routing_rules_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_ticket_routing_rules")),
    )
    op.create_index(
        "ix_ticket_routing_rules_workspace_id_position",
        "ticket_routing_rules",
        ["workspace_id", "position"],
        unique=False,
    )
    op.create_index(
        "ix_ticket_routing_rules_workspace_id_team",
        "ticket_routing_rules",
        ["workspace_id", "team_id"],
        unique=False,
    )
    op.create_table(
        "tickets",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=True),
        sa.Column("contact_id", sa.UUID(), nullable=True),
        sa.Column("requester_name", sa.String(length=100), nullable=True),
        sa.Column("requester_phone", sa.String(length=40), nullable=True),
        sa.Column("requester_email", sa.String(length=254), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("assignee_id", sa.UUID(), nullable=True),
        sa.Column("team_id", sa.UUID(), nullable=True),
        sa.Column("routing_rule_id", sa.UUID(), nullable=True),
        sa.Column("assignment_note", sa.String(length=500), nullable=True),
        sa.Column("contract_id", sa.UUID(), nullable=True),
        sa.Column("product_id", sa.UUID(), nullable=True),
        sa.Column("order_id", sa.UUID(), nullable=True),
        sa.Column("form_id", sa.UUID(), nullable=True),
        sa.Column("tag_ids", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("custom_fields", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("sla_policy_id", sa.UUID(), nullable=True),
        sa.Column("sla_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_response_target_minutes", sa.Integer(), nullable=True),
        sa.Column("resolution_target_minutes", sa.Integer(), nullable=True),
        sa.Column("sla_paused_seconds", sa.Integer(), nullable=False),
        sa.Column("paused_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_response_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_response_warn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution_warn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_response_breached", sa.Boolean(), nullable=False),
        sa.Column("resolution_breached", sa.Boolean(), nullable=False),
        sa.Column("first_response_warned", sa.Boolean(), nullable=False),
        sa.Column("resolution_warned", sa.Boolean(), nullable=False),
        sa.Column("reopened_count", sa.Integer(), nullable=False),
        sa.Column("return_visit_task_id", sa.UUID(), nullable=True),
        sa.Column("return_visit_activity_id", sa.UUID(), nullable=True),
        sa.Column("return_visit_score", sa.Integer(), nullable=True),
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
        sa.CheckConstraint(
            "channel IN ('phone', 'email', 'web_form', 'wechat', 'other')",
            name=op.f("ck_tickets_channel"),
        ),
        sa.CheckConstraint(
            "priority IN ('low', 'normal', 'high', 'urgent')", name=op.f("ck_tickets_priority")
        ),
        sa.CheckConstraint(
            "status IN ('new', 'open', 'pending', 'resolved', 'closed')",
            name=op.f("ck_tickets_status"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "assignee_id"],
            ["users.workspace_id", "users.id"],
            name=op.f("fk_tickets_workspace_id_assignee_id_users"),
            ondelete="SET NULL (assignee_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "contact_id"],
            ["contacts.workspace_id", "contacts.id"],
            name=op.f("fk_tickets_workspace_id_contact_id_contacts"),
            ondelete="SET NULL (contact_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "contract_id"],
            ["contracts.workspace_id", "contracts.id"],
            name=op.f("fk_tickets_workspace_id_contract_id_contracts"),
            ondelete="SET NULL (contract_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "customer_id"],
            ["customers.workspace_id", "customers.id"],
            name=op.f("fk_tickets_workspace_id_customer_id_customers"),
            ondelete="SET NULL (customer_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "form_id"],
            ["ticket_forms.workspace_id", "ticket_forms.id"],
            name=op.f("fk_tickets_workspace_id_form_id_ticket_forms"),
            ondelete="SET NULL (form_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "order_id"],
            ["orders.workspace_id", "orders.id"],
            name=op.f("fk_tickets_workspace_id_order_id_orders"),
            ondelete="SET NULL (order_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "product_id"],
            ["products.workspace_id", "products.id"],
            name=op.f("fk_tickets_workspace_id_product_id_products"),
            ondelete="SET NULL (product_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "sla_policy_id"],
            ["sla_policies.workspace_id", "sla_policies.id"],
            name=op.f("fk_tickets_workspace_id_sla_policy_id_sla_policies"),
            ondelete="SET NULL (sla_policy_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "routing_rule_id"],
            ["ticket_routing_rules.workspace_id", "ticket_routing_rules.id"],
            name=op.f("fk_tickets_workspace_id_routing_rule_id_ticket_routing_rules"),
            ondelete="SET NULL (routing_rule_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "return_visit_task_id"],
            ["tasks.workspace_id", "tasks.id"],
            name=op.f("fk_tickets_workspace_id_return_visit_task_id_tasks"),
            ondelete="SET NULL (return_visit_task_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "return_visit_activity_id"],
            ["activities.workspace_id", "activities.id"],
            name=op.f("fk_tickets_workspace_id_return_visit_activity_id_activities"),
            ondelete="SET NULL (return_visit_activity_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["teams.workspace_id", "teams.id"],
            name=op.f("fk_tickets_workspace_id_team_id_teams"),
            ondelete="SET NULL (team_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_tickets_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_tickets")),
    )
    op.create_index(
        "ix_tickets_workspace_id_assignee_status",
        "tickets",
        ["workspace_id", "assignee_id", "status"],
        unique=False,
    )
    op.create_index(
        "ix_tickets_workspace_id_contact",
        "tickets",
        ["workspace_id", "contact_id"],
        unique=False,
        postgresql_where=sa.text("contact_id IS NOT NULL"),
    )
    op.create_index(
        "ix_tickets_workspace_id_contract",
        "tickets",
        ["workspace_id", "contract_id"],
        unique=False,
        postgresql_where=sa.text("contract_id IS NOT NULL"),
    )
    op.create_index(
        "ix_tickets_workspace_id_created_at",
        "tickets",
        ["workspace_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_tickets_workspace_id_customer",
        "tickets",
        ["workspace_id", "customer_id", "created_at"],
        unique=False,
        postgresql_where=sa.text("customer_id IS NOT NULL"),
    )
    op.create_index(
        "ix_tickets_workspace_id_first_response_warn",
        "tickets",
        ["workspace_id", "first_response_warn_at"],
        unique=False,
        postgresql_where=sa.text(
            "status IN ('new', 'open') AND deleted_at IS NULL AND first_responded_at IS NULL "
            "AND NOT first_response_warned"
        ),
    )
    op.create_index(
        "ix_tickets_workspace_id_first_response_due",
        "tickets",
        ["workspace_id", "first_response_due_at"],
        unique=False,
        postgresql_where=sa.text(
            "status IN ('new', 'open') AND deleted_at IS NULL AND first_responded_at IS NULL "
            "AND NOT first_response_breached"
        ),
    )
    op.create_index(
        "ix_tickets_workspace_id_form",
        "tickets",
        ["workspace_id", "form_id"],
        unique=False,
        postgresql_where=sa.text("form_id IS NOT NULL"),
    )
    op.create_index(
        "ix_tickets_workspace_id_routing_rule",
        "tickets",
        ["workspace_id", "routing_rule_id"],
        unique=False,
        postgresql_where=sa.text("routing_rule_id IS NOT NULL"),
    )
    op.create_index(
        "ix_tickets_workspace_id_return_visit_task",
        "tickets",
        ["workspace_id", "return_visit_task_id"],
        unique=False,
        postgresql_where=sa.text("return_visit_task_id IS NOT NULL"),
    )
    op.create_index(
        "ix_tickets_workspace_id_return_visit_activity",
        "tickets",
        ["workspace_id", "return_visit_activity_id"],
        unique=False,
        postgresql_where=sa.text("return_visit_activity_id IS NOT NULL"),
    )
    op.create_index(
        "ix_tickets_workspace_id_order",
        "tickets",
        ["workspace_id", "order_id"],
        unique=False,
        postgresql_where=sa.text("order_id IS NOT NULL"),
    )
    op.create_index(
        "ix_tickets_workspace_id_product",
        "tickets",
        ["workspace_id", "product_id"],
        unique=False,
        postgresql_where=sa.text("product_id IS NOT NULL"),
    )
    op.create_index(
        "ix_tickets_workspace_id_resolution_warn",
        "tickets",
        ["workspace_id", "resolution_warn_at"],
        unique=False,
        postgresql_where=sa.text(
            "status IN ('new', 'open') AND deleted_at IS NULL AND NOT resolution_warned"
        ),
    )
    op.create_index(
        "ix_tickets_workspace_id_resolution_due",
        "tickets",
        ["workspace_id", "resolution_due_at"],
        unique=False,
        postgresql_where=sa.text(
            "status IN ('new', 'open') AND deleted_at IS NULL AND NOT resolution_breached"
        ),
    )
    op.create_index(
        "ix_tickets_workspace_id_resolved_at",
        "tickets",
        ["workspace_id", "resolved_at"],
        unique=False,
        postgresql_where=sa.text("status = 'resolved' AND deleted_at IS NULL"),
    )
    op.create_index(
        "ix_tickets_workspace_id_sla_policy",
        "tickets",
        ["workspace_id", "sla_policy_id"],
        unique=False,
        postgresql_where=sa.text("sla_policy_id IS NOT NULL"),
    )
    op.create_index(
        "ix_tickets_workspace_id_team_status",
        "tickets",
        ["workspace_id", "team_id", "status"],
        unique=False,
    )
    op.create_index(
        "ix_tickets_workspace_id_updated_at",
        "tickets",
        ["workspace_id", "updated_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_tickets_workspace_id_external",
        "tickets",
        ["workspace_id", "external_source", "external_id"],
        unique=True,
        postgresql_where=sa.text("external_id IS NOT NULL AND deleted_at IS NULL"),
    )
    op.create_index(
        "uq_tickets_workspace_id_number", "tickets", ["workspace_id", "number"], unique=True
    )
    op.create_table(
        "ticket_comments",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("ticket_id", sa.UUID(), nullable=False),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.UUID(), nullable=True),
        sa.Column("author_name", sa.String(length=120), nullable=True),
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
            "visibility IN ('public', 'internal')", name=op.f("ck_ticket_comments_visibility")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "ticket_id"],
            ["tickets.workspace_id", "tickets.id"],
            name=op.f("fk_ticket_comments_workspace_id_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_ticket_comments_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_ticket_comments")),
    )
    op.create_index(
        "ix_ticket_comments_workspace_id_ticket",
        "ticket_comments",
        ["workspace_id", "ticket_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "ticket_status_changes",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("ticket_id", sa.UUID(), nullable=False),
        sa.Column("from_status", sa.String(length=10), nullable=True),
        sa.Column("to_status", sa.String(length=10), nullable=False),
        sa.Column("actor_id", sa.UUID(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "ticket_id"],
            ["tickets.workspace_id", "tickets.id"],
            name=op.f("fk_ticket_status_changes_workspace_id_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_ticket_status_changes_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_ticket_status_changes")),
    )
    op.create_index(
        "ix_ticket_status_changes_workspace_id_ticket",
        "ticket_status_changes",
        ["workspace_id", "ticket_id", "at"],
        unique=False,
    )
    op.create_table(
        "ticket_surveys",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("ticket_id", sa.UUID(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("assignee_id", sa.UUID(), nullable=True),
        sa.Column("team_id", sa.UUID(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("comment", sa.String(length=2000), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "rating IS NULL OR rating BETWEEN 1 AND 5", name=op.f("ck_ticket_surveys_rating")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "ticket_id"],
            ["tickets.workspace_id", "tickets.id"],
            name=op.f("fk_ticket_surveys_workspace_id_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "assignee_id"],
            ["users.workspace_id", "users.id"],
            name=op.f("fk_ticket_surveys_workspace_id_assignee_id_users"),
            ondelete="SET NULL (assignee_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["teams.workspace_id", "teams.id"],
            name=op.f("fk_ticket_surveys_workspace_id_team_id_teams"),
            ondelete="SET NULL (team_id)",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_ticket_surveys_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_ticket_surveys")),
    )
    op.create_index(
        "ix_ticket_surveys_workspace_id_rated_at",
        "ticket_surveys",
        ["workspace_id", "rated_at"],
        unique=False,
        postgresql_where=sa.text("rating IS NOT NULL"),
    )
    op.create_index(
        "ix_ticket_surveys_workspace_id_ticket",
        "ticket_surveys",
        ["workspace_id", "ticket_id"],
        unique=False,
    )
    op.create_index(
        "ix_ticket_surveys_workspace_id_assignee",
        "ticket_surveys",
        ["workspace_id", "assignee_id"],
        unique=False,
        postgresql_where=sa.text("assignee_id IS NOT NULL"),
    )
    op.create_index(
        "ix_ticket_surveys_workspace_id_team",
        "ticket_surveys",
        ["workspace_id", "team_id"],
        unique=False,
        postgresql_where=sa.text("team_id IS NOT NULL"),
    )
    op.create_index("uq_ticket_surveys_token", "ticket_surveys", ["token"], unique=True)

    for table in TENANT_TABLES:
        helpers.enable_tenant_rls(table)
    helpers.allow_definer_read("ticket_forms")
    helpers.allow_definer_read("ticket_surveys")
    _definer_lookup(
        "rapport_ticket_form_workspace", "ticket_forms", "t.active AND t.deleted_at IS NULL"
    )
    _definer_lookup("rapport_survey_workspace", "ticket_surveys", "true")
    helpers.grant_app_role()


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS rapport_survey_workspace(text)")
    op.execute("DROP FUNCTION IF EXISTS rapport_ticket_form_workspace(text)")
    op.drop_index("uq_ticket_surveys_token", table_name="ticket_surveys")
    op.drop_index("ix_ticket_surveys_workspace_id_ticket", table_name="ticket_surveys")
    op.drop_index(
        "ix_ticket_surveys_workspace_id_rated_at",
        table_name="ticket_surveys",
        postgresql_where=sa.text("rating IS NOT NULL"),
    )
    op.drop_table("ticket_surveys")
    op.drop_index(
        "ix_ticket_status_changes_workspace_id_ticket", table_name="ticket_status_changes"
    )
    op.drop_table("ticket_status_changes")
    op.drop_index("ix_ticket_comments_workspace_id_ticket", table_name="ticket_comments")
    op.drop_table("ticket_comments")
    op.drop_index("uq_tickets_workspace_id_number", table_name="tickets")
    op.drop_index(
        "uq_tickets_workspace_id_external",
        table_name="tickets",
        postgresql_where=sa.text("external_id IS NOT NULL AND deleted_at IS NULL"),
    )
    op.drop_index("ix_tickets_workspace_id_updated_at", table_name="tickets")
    op.drop_index("ix_tickets_workspace_id_team_status", table_name="tickets")
    op.drop_index(
        "ix_tickets_workspace_id_sla_policy",
        table_name="tickets",
        postgresql_where=sa.text("sla_policy_id IS NOT NULL"),
    )
    op.drop_index(
        "ix_tickets_workspace_id_resolution_warn",
        table_name="tickets",
        postgresql_where=sa.text("status IN ('new', 'open') AND deleted_at IS NULL"),
    )
    op.drop_index(
        "ix_tickets_workspace_id_product",
        table_name="tickets",
        postgresql_where=sa.text("product_id IS NOT NULL"),
    )
    op.drop_index(
        "ix_tickets_workspace_id_order",
        table_name="tickets",
        postgresql_where=sa.text("order_id IS NOT NULL"),
    )
    op.drop_index(
        "ix_tickets_workspace_id_form",
        table_name="tickets",
        postgresql_where=sa.text("form_id IS NOT NULL"),
    )
    op.drop_index(
        "ix_tickets_workspace_id_first_response_warn",
        table_name="tickets",
        postgresql_where=sa.text(
            "status IN ('new', 'open') AND first_responded_at IS NULL AND deleted_at IS NULL"
        ),
    )
    op.drop_index(
        "ix_tickets_workspace_id_customer",
        table_name="tickets",
        postgresql_where=sa.text("customer_id IS NOT NULL"),
    )
    op.drop_index("ix_tickets_workspace_id_created_at", table_name="tickets")
    op.drop_index(
        "ix_tickets_workspace_id_contract",
        table_name="tickets",
        postgresql_where=sa.text("contract_id IS NOT NULL"),
    )
    op.drop_index(
        "ix_tickets_workspace_id_contact",
        table_name="tickets",
        postgresql_where=sa.text("contact_id IS NOT NULL"),
    )
    op.drop_index("ix_tickets_workspace_id_assignee_status", table_name="tickets")
    op.drop_table("tickets")
    op.drop_index("ix_ticket_routing_rules_workspace_id_team", table_name="ticket_routing_rules")
    op.drop_index(
        "ix_ticket_routing_rules_workspace_id_position", table_name="ticket_routing_rules"
    )
    op.drop_table("ticket_routing_rules")
    op.drop_index("uq_ticket_forms_token", table_name="ticket_forms")
    op.drop_index(
        "ix_ticket_forms_workspace_id_team",
        table_name="ticket_forms",
        postgresql_where=sa.text("team_id IS NOT NULL"),
    )
    op.drop_table("ticket_forms")
    op.drop_index("ix_sla_policies_workspace_id_position", table_name="sla_policies")
    op.drop_index(
        "ix_sla_policies_workspace_id_calendar",
        table_name="sla_policies",
        postgresql_where=sa.text("calendar_id IS NOT NULL"),
    )
    op.drop_table("sla_policies")
    op.drop_table("ticket_counters")
    op.drop_index("ix_business_calendars_workspace_id_name", table_name="business_calendars")
    op.drop_table("business_calendars")
