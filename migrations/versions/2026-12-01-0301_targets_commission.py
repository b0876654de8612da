"""sales targets and commission plans; follow-up counts per author and day; analytics indexes

Targets, leaderboards and commission add up, per person and period: deals won (`won_at`),
payments received (`received_on`), customers created and follow-ups. The first three read
covering indexes; follow-ups are millions of rows, so `activity_day_counts` keeps them per
author, calendar day of the workspace and kind, maintained like ADR 8's derived data:
statement-level triggers on `activities` add the new rows' contribution and subtract the
old rows' in the writing transaction; `rapport_rebuild_derived(workspace)` (which loads that
bypass triggers already call) now also rebuilds them, and a change of the workspace's time
zone re-buckets them.

Revision ID: f1a2b3c4d5e6
Revises: f0a1b2c3d4e5
Create Date: 2026-12-01 03:01:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from migrations import helpers

revision: str = "f1a2b3c4d5e6"
down_revision: str | None = "f0a1b2c3d4e5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORKSPACE_DEFAULT = sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid")

#: stands in for "no author" in the counts key (a primary key cannot hold NULL)
NO_AUTHOR = "00000000-0000-0000-0000-000000000000"
#: (column, activity kind) of the per-kind counts
KINDS = (
    ("calls", "call"),
    ("visits", "visit"),
    ("meetings", "meeting"),
    ("emails", "email"),
    ("wechats", "wechat"),
    ("notes", "note"),
    ("return_visits", "return_visit"),
)
COUNTS = [column for column, _ in KINDS] + ["total"]


def _delta(table: str, sign: str) -> str:
    """The contribution of the live rows of a transition table, one row per activity."""
    kinds = ", ".join(f"{sign}(a.kind = '{kind}')::int" for _, kind in KINDS)
    return (
        f"SELECT a.workspace_id, coalesce(a.author_id, '{NO_AUTHOR}'::uuid),"
        f" (a.occurred_at AT TIME ZONE w.timezone)::date, {kinds}, {sign}1"
        f" FROM {table} a JOIN workspaces w ON w.id = a.workspace_id"
        " WHERE a.deleted_at IS NULL"
    )


def _counts_function(name: str, parts: list[str]) -> str:
    union = " UNION ALL ".join(parts)
    columns = ", ".join(COUNTS)
    sums = ", ".join(f"sum({c})" for c in COUNTS)
    changed = " OR ".join(f"sum({c}) <> 0" for c in COUNTS)
    updates = ", ".join(f"{c} = t.{c} + excluded.{c}" for c in COUNTS)
    return f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          -- follow-ups deleted with their workspace find no workspace row: nothing is left
          INSERT INTO activity_day_counts AS t (workspace_id, author_id, day, {columns})
          SELECT w, a, d, {sums}
            FROM ({union}) AS x(w, a, d, {columns})
           GROUP BY w, a, d
          HAVING {changed}
           ORDER BY w, a, d
          ON CONFLICT (workspace_id, author_id, day) DO UPDATE SET {updates};
          RETURN NULL;
        END $$
    """


def _rebuild_counts_function() -> str:
    columns = ", ".join(COUNTS)
    counts = ", ".join(f"count(*) FILTER (WHERE a.kind = '{kind}')" for _, kind in KINDS)
    return f"""
        CREATE FUNCTION rapport_rebuild_activity_counts(ws uuid) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE caller text := current_setting('app.workspace_id', true);
        BEGIN
          PERFORM set_config('app.workspace_id', ws::text, true);
          DELETE FROM activity_day_counts WHERE workspace_id = ws;
          INSERT INTO activity_day_counts (workspace_id, author_id, day, {columns})
          SELECT a.workspace_id, coalesce(a.author_id, '{NO_AUTHOR}'::uuid),
                 (a.occurred_at AT TIME ZONE w.timezone)::date, {counts}, count(*)
            FROM activities a JOIN workspaces w ON w.id = a.workspace_id
           WHERE a.workspace_id = ws AND a.deleted_at IS NULL
           GROUP BY 1, 2, 3;
          PERFORM set_config('app.workspace_id', coalesce(caller, ''), true);
        END $$
    """


# `rapport_rebuild_derived` as migration `cash_speed` created it; this migration adds the
# follow-up counts to it (and its downgrade puts this body back)
_OPEN_DEAL = "status = 'open' AND deleted_at IS NULL"
_REBUILD_DERIVED = """
        CREATE OR REPLACE FUNCTION rapport_rebuild_derived(ws uuid) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE caller text := current_setting('app.workspace_id', true);
        BEGIN
          PERFORM set_config('app.workspace_id', ws::text, true);
          DELETE FROM opportunity_board_totals WHERE workspace_id = ws;
          INSERT INTO opportunity_board_totals
                 (workspace_id, pipeline_id, stage_id, owner_id, currency, deals, amount, weighted)
          SELECT workspace_id, pipeline_id, stage_id, coalesce(owner_id, '{no_owner}'::uuid),
                 currency, count(*), sum(amount), sum(amount * probability)
            FROM opportunities
           WHERE workspace_id = ws AND {open_deal}
           GROUP BY 1, 2, 3, 4, 5;
          UPDATE installments i
             SET customer_id = c.customer_id, owner_id = c.owner_id, currency = c.currency,
                 receivable = c.status IN ('active', 'expired', 'terminated')
                              AND c.deleted_at IS NULL
            FROM contracts c
           WHERE i.workspace_id = ws AND c.workspace_id = ws AND c.id = i.contract_id
             AND (i.customer_id, i.owner_id, i.currency, i.receivable)
                 IS DISTINCT FROM
                 (c.customer_id, c.owner_id, c.currency,
                  c.status IN ('active', 'expired', 'terminated') AND c.deleted_at IS NULL);
          {more}PERFORM set_config('app.workspace_id', coalesce(caller, ''), true);
        END $$
"""


def _rebuild_derived(more: str) -> str:
    return _REBUILD_DERIVED.format(no_owner=NO_AUTHOR, open_deal=_OPEN_DEAL, more=more)


def _entity_columns() -> list[sa.Column[object]]:
    """workspace_id, id and the usual created/updated/version/deleted/created_by columns."""
    return [
        sa.Column("workspace_id", sa.UUID(), server_default=WORKSPACE_DEFAULT, nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
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
    ]


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "targets",
        *_entity_columns(),
        sa.Column("subject_kind", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=True),
        sa.Column("team_id", sa.UUID(), nullable=True),
        sa.Column("period_kind", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(length=30), nullable=False),
        sa.Column("target_value", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.CheckConstraint(
            "(subject_kind = 'user' AND user_id IS NOT NULL AND team_id IS NULL)"
            " OR (subject_kind = 'team' AND team_id IS NOT NULL AND user_id IS NULL)"
            " OR (subject_kind = 'workspace' AND user_id IS NULL AND team_id IS NULL)",
            name=op.f("ck_targets_subject"),
        ),
        sa.CheckConstraint(
            "period_kind IN ('month', 'quarter', 'year')", name=op.f("ck_targets_period_kind")
        ),
        sa.CheckConstraint("period_end > period_start", name=op.f("ck_targets_period")),
        sa.CheckConstraint(
            "metric IN ('won_amount', 'payments_received', 'new_customers', 'follow_ups')",
            name=op.f("ck_targets_metric"),
        ),
        sa.CheckConstraint("target_value > 0", name=op.f("ck_targets_target_value_positive")),
        sa.CheckConstraint(
            "(metric IN ('won_amount', 'payments_received')) = (currency IS NOT NULL)",
            name=op.f("ck_targets_currency_for_money"),
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_targets_currency_code")),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_targets_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "user_id"],
            ["users.workspace_id", "users.id"],
            name=op.f("fk_targets_workspace_id_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["teams.workspace_id", "teams.id"],
            name=op.f("fk_targets_workspace_id_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_targets")),
    )
    op.create_index(
        "uq_targets_subject_period_metric",
        "targets",
        [
            "workspace_id",
            "period_start",
            "period_kind",
            "metric",
            "subject_kind",
            sa.text("coalesce(user_id, team_id, workspace_id)"),
        ],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_targets_workspace_id_period", "targets", ["workspace_id", "period_start", "period_kind"]
    )
    op.create_index("ix_targets_workspace_id_user_id", "targets", ["workspace_id", "user_id"])
    op.create_index("ix_targets_workspace_id_team_id", "targets", ["workspace_id", "team_id"])
    op.create_index(
        "ix_targets_workspace_id_created_at", "targets", ["workspace_id", "created_at", "id"]
    )

    op.create_table(
        "commission_plans",
        *_entity_columns(),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("base_rate", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("rules", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("attainment_tiers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("team_id", sa.UUID(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "base_rate >= 0 AND base_rate <= 100", name=op.f("ck_commission_plans_base_rate_range")
        ),
        sa.CheckConstraint(
            "currency ~ '^[A-Z]{3}$'", name=op.f("ck_commission_plans_currency_code")
        ),
        sa.CheckConstraint("priority >= 0", name=op.f("ck_commission_plans_priority_not_negative")),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_commission_plans_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "team_id"],
            ["teams.workspace_id", "teams.id"],
            name=op.f("fk_commission_plans_workspace_id_team_id_teams"),
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_commission_plans")),
    )
    op.create_index(
        "uq_commission_plans_workspace_id_name",
        "commission_plans",
        ["workspace_id", "name"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_commission_plans_workspace_id_priority",
        "commission_plans",
        ["workspace_id", "priority", "id"],
    )
    op.create_index(
        "ix_commission_plans_workspace_id_team_id", "commission_plans", ["workspace_id", "team_id"]
    )

    # --- follow-ups per author, day and kind (ADR 8) ----------------------------------------
    op.create_table(
        "activity_day_counts",
        sa.Column("workspace_id", sa.UUID(), server_default=WORKSPACE_DEFAULT, nullable=False),
        sa.Column("author_id", sa.UUID(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(sa.Column(column, sa.Integer(), nullable=False) for column in COUNTS),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_activity_day_counts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "author_id", "day", name=op.f("pk_activity_day_counts")
        ),
    )
    op.create_index(
        "ix_activity_day_counts_workspace_id_day",
        "activity_day_counts",
        ["workspace_id", "day"],
        postgresql_include=["author_id", "total", "visits"],
    )
    op.execute(_counts_function("rapport_activity_counts_inserted", [_delta("new_rows", "")]))
    op.execute(_counts_function("rapport_activity_counts_deleted", [_delta("old_rows", "-")]))
    op.execute(
        _counts_function(
            "rapport_activity_counts_updated", [_delta("new_rows", ""), _delta("old_rows", "-")]
        )
    )
    for event, name, refs in (
        ("INSERT", "inserted", "NEW TABLE AS new_rows"),
        ("DELETE", "deleted", "OLD TABLE AS old_rows"),
        ("UPDATE", "updated", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ):
        op.execute(
            f"CREATE TRIGGER activity_counts_{name} AFTER {event} ON activities "
            f"REFERENCING {refs} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION rapport_activity_counts_{name}()"
        )
    op.execute(_rebuild_counts_function())
    op.execute(_rebuild_derived("PERFORM rapport_rebuild_activity_counts(ws);\n          "))
    # a workspace's calendar days move with its time zone
    op.execute("""
        CREATE FUNCTION rapport_activity_counts_rezone() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM rapport_rebuild_activity_counts(NEW.id);
          RETURN NULL;
        END $$
    """)
    op.execute(
        "CREATE TRIGGER activity_counts_rezone AFTER UPDATE OF timezone ON workspaces "
        "FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone) "
        "EXECUTE FUNCTION rapport_activity_counts_rezone()"
    )

    # --- what the other per-person measures read ------------------------------------------
    # new customers per owner in a period: the live customers created in it
    op.create_index(
        "ix_customers_workspace_id_created_live",
        "customers",
        ["workspace_id", "created_at"],
        postgresql_include=["owner_id"],
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    # payments received per contract owner in a period
    op.create_index(
        "ix_payments_workspace_id_received_live",
        "payments",
        ["workspace_id", "received_on"],
        postgresql_include=["contract_id", "amount", "currency"],
        postgresql_where=sa.text("voided_at IS NULL AND deleted_at IS NULL"),
    )

    for table in ("targets", "commission_plans", "activity_day_counts"):
        helpers.enable_tenant_rls(table)
    op.execute("SELECT rapport_rebuild_activity_counts(id) FROM rapport_workspace_ids()")
    helpers.grant_app_role()


def downgrade() -> None:
    op.drop_index("ix_payments_workspace_id_received_live", table_name="payments")
    op.drop_index("ix_customers_workspace_id_created_live", table_name="customers")
    op.execute("DROP TRIGGER activity_counts_rezone ON workspaces")
    op.execute("DROP FUNCTION rapport_activity_counts_rezone()")
    op.execute(_rebuild_derived(""))
    op.execute("DROP FUNCTION rapport_rebuild_activity_counts(uuid)")
    for name in ("inserted", "deleted", "updated"):
        op.execute(f"DROP TRIGGER activity_counts_{name} ON activities")
        op.execute(f"DROP FUNCTION rapport_activity_counts_{name}()")
    op.drop_table("activity_day_counts")
    op.drop_table("commission_plans")
    op.drop_table("targets")
