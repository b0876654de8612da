"""external ids for upsert and rate-limit counters

Payments get `external_source`/`external_id` with the same partial unique index as the other
synced resources (existing payments keep NULL: no backfill needed).

`rate_limit_counters` is UNLOGGED and row-level secured like every tenant table.
`rapport_rate_hit()` counts one request in the caller's current fixed window and answers
the limit in force, the hits so far and the seconds until the window resets, in one round
trip; the limit comes from `workspaces.settings -> 'rate_limits'` or the defaults the caller
passes. It binds the workspace itself (transaction-local), so it can run in autocommit on a
connection of its own, outside the request's transaction.

Revision ID: d1e2f3a4b5c6
Revises: d0e1f2a3b4c5
Create Date: 2026-11-30 23:02:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations import helpers

revision: str = "d1e2f3a4b5c6"
down_revision: str | None = "d0e1f2a3b4c5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


RATE_HIT = """
CREATE FUNCTION rapport_rate_hit(
    p_workspace uuid, p_subject uuid, p_bucket text, p_limit integer, p_window integer
) RETURNS TABLE (quota integer, window_seconds integer, used integer, reset_seconds integer)
LANGUAGE plpgsql AS $$
DECLARE
  conf jsonb;
  started timestamptz;
  n integer;
BEGIN
  PERFORM set_config('app.workspace_id', p_workspace::text, true);
  SELECT w.settings -> 'rate_limits' -> p_bucket INTO conf FROM workspaces w
   WHERE w.id = p_workspace;
  quota := coalesce((conf ->> 'limit')::integer, p_limit);
  window_seconds := greatest(coalesce((conf ->> 'window_seconds')::integer, p_window), 1);
  started := to_timestamp(
    floor(extract(epoch FROM clock_timestamp()) / window_seconds) * window_seconds);
  INSERT INTO rate_limit_counters AS c (workspace_id, subject, bucket, window_start, hits)
  VALUES (p_workspace, p_subject, p_bucket, started, 1)
  ON CONFLICT (workspace_id, subject, bucket, window_start) DO UPDATE SET hits = c.hits + 1
  RETURNING c.hits INTO n;
  IF n = 1 THEN
    -- first hit of a new window: the caller's older windows are of no further use
    DELETE FROM rate_limit_counters d
     WHERE d.workspace_id = p_workspace AND d.subject = p_subject AND d.bucket = p_bucket
       AND d.window_start < started;
  END IF;
  used := n;
  reset_seconds := greatest(
    ceil(extract(epoch FROM started + make_interval(secs => window_seconds) - clock_timestamp())
    )::integer, 1);
  RETURN NEXT;
END $$;
"""


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.add_column("payments", sa.Column("external_source", sa.String(length=60), nullable=True))
    op.add_column("payments", sa.Column("external_id", sa.String(length=120), nullable=True))
    op.create_index(
        "uq_payments_workspace_id_external",
        "payments",
        ["workspace_id", "external_source", "external_id"],
        unique=True,
        postgresql_where=sa.text("external_id IS NOT NULL AND deleted_at IS NULL"),
    )
    op.create_table(
        "rate_limit_counters",
        sa.Column("workspace_id", sa.UUID(), nullable=False),
        sa.Column("subject", sa.UUID(), nullable=False),
        sa.Column("bucket", sa.String(length=10), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "workspace_id", "subject", "bucket", "window_start", name="pk_rate_limit_counters"
        ),
        prefixes=["UNLOGGED"],
    )
    helpers.enable_tenant_rls("rate_limit_counters")
    op.execute(RATE_HIT)
    helpers.grant_app_role()


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS rapport_rate_hit(uuid, uuid, text, integer, integer)")
    op.drop_table("rate_limit_counters")
    op.drop_index("uq_payments_workspace_id_external", table_name="payments")
    op.drop_column("payments", "external_id")
    op.drop_column("payments", "external_source")
