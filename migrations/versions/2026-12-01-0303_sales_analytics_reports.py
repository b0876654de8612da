"""sales analytics indexes and periodic reports

Revision ID: f3c4d5e6f7a8
Revises: f2b3c4d5e6f7
Create Date: 2026-12-01 03:03:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from migrations import helpers

revision: str = "f3c4d5e6f7a8"
down_revision: str | None = "f2b3c4d5e6f7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEAL_COLUMNS = ["owner_id", "pipeline_id", "currency", "amount"]


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "reports",
        sa.Column(
            "workspace_id",
            sa.UUID(),
            server_default=sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("subject_kind", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=True),
        sa.Column("team_id", sa.UUID(), nullable=True),
        sa.Column("subject_name", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "generated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("generated_by", sa.UUID(), nullable=True),
        sa.CheckConstraint("kind IN ('daily', 'weekly', 'monthly')", name=op.f("ck_reports_kind")),
        sa.CheckConstraint(
            "(subject_kind = 'user' AND user_id IS NOT NULL AND team_id IS NULL) OR "
            "(subject_kind = 'team' AND team_id IS NOT NULL AND user_id IS NULL)",
            name=op.f("ck_reports_subject"),
        ),
        sa.CheckConstraint("period_end > period_start", name=op.f("ck_reports_period")),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_reports_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "user_id"],
            ["users.workspace_id", "users.id"],
            name=op.f("fk_reports_workspace_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["teams.workspace_id", "teams.id"],
            name=op.f("fk_reports_workspace_id_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_reports")),
    )
    op.create_index(
        "uq_reports_user_period",
        "reports",
        ["workspace_id", "user_id", "kind", "period_start"],
        unique=True,
        postgresql_where=sa.text("user_id IS NOT NULL"),
    )
    op.create_index(
        "uq_reports_team_period",
        "reports",
        ["workspace_id", "team_id", "kind", "period_start"],
        unique=True,
        postgresql_where=sa.text("team_id IS NOT NULL"),
    )
    op.create_index(
        "ix_reports_workspace_id_period_start", "reports", ["workspace_id", "period_start", "id"]
    )
    helpers.enable_tenant_rls("reports")

    # the pipeline analytics' time axes, covering what they sum (see app/models/reports.py)
    op.create_index(
        "ix_opportunities_forecast_open",
        "opportunities",
        ["workspace_id", "expected_close_date"],
        postgresql_include=[*DEAL_COLUMNS, "probability"],
        postgresql_where=sa.text("status = 'open' AND deleted_at IS NULL"),
    )
    op.create_index(
        "ix_opportunities_won_at",
        "opportunities",
        ["workspace_id", "won_at"],
        postgresql_include=[*DEAL_COLUMNS, "created_at", "campaign_id"],
        postgresql_where=sa.text("status = 'won' AND deleted_at IS NULL"),
    )
    op.create_index(
        "ix_opportunities_lost_at",
        "opportunities",
        ["workspace_id", "lost_at"],
        postgresql_include=[*DEAL_COLUMNS, "lost_reason_id"],
        postgresql_where=sa.text("status = 'lost' AND deleted_at IS NULL"),
    )
    helpers.grant_app_role()


def downgrade() -> None:
    op.drop_index("ix_opportunities_lost_at", table_name="opportunities")
    op.drop_index("ix_opportunities_won_at", table_name="opportunities")
    op.drop_index("ix_opportunities_forecast_open", table_name="opportunities")
    op.drop_index("ix_reports_workspace_id_period_start", table_name="reports")
    op.drop_index("uq_reports_team_period", table_name="reports")
    op.drop_index("uq_reports_user_period", table_name="reports")
    op.drop_table("reports")
