"""the stages each deal has been in, kept by a trigger, and a covering index for the funnel

The funnel counts, for a creation cohort, how far each deal got: the furthest position
among the open stages of its pipeline it ever stayed in. At 300k deals that meant grouping
a quarter's stage history per deal on every request (0.35-0.5 s p95). Each deal now
carries the set of stages it has been in (`visited_stages`, in id order), set by a BEFORE
row trigger on opportunities whenever a deal is created or its stage changes — the same
events that write its stage history — so no second write of the deal is needed. The
funnel maps the set through the pipeline's current stages when it runs, so reordering
stages or moving a deal to another pipeline changes nothing stored.

History written apart from a stage change (backdated stays, repairs, deletions) is
followed by a statement trigger on the history that recomputes those deals from it; after
an ordinary move the set is already right and the deal is not written again. (A first
version kept the set only from the history, writing each moved deal a second time: that
re-ran the deal's foreign-key checks and deadlocked a stage deletion against concurrent
moves. Storing the furthest position instead would rewrite a pipeline's deals on every
reorder.) `rapport_rebuild_derived` rebuilds the set from the history (bulk loads bypass
triggers). The cohort is read from one covering index.

Revision ID: f5e6f7a8b9c0
Revises: f4d5e6f7a8b9
Create Date: 2026-12-01 07:01:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "f5e6f7a8b9c0"
down_revision: str | None = "f4d5e6f7a8b9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: every deal's stages, from its history (id order)
_VISITS = """
      UPDATE opportunities o SET visited_stages = x.v
        FROM (SELECT d.id,
                     coalesce(array_agg(DISTINCT h.stage_id ORDER BY h.stage_id)
                              FILTER (WHERE h.stage_id IS NOT NULL), '{{}}') AS v
                FROM opportunities d
                LEFT JOIN opportunity_stage_history h
                       ON h.workspace_id = d.workspace_id AND h.opportunity_id = d.id
               WHERE d.workspace_id = ws AND {which}
               GROUP BY d.id) x
       WHERE o.workspace_id = ws AND o.id = x.id AND o.visited_stages IS DISTINCT FROM x.v;
"""


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.add_column(
        "opportunities",
        sa.Column(
            "visited_stages",
            postgresql.ARRAY(sa.Uuid()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
    )
    op.execute(f"""
        CREATE FUNCTION rapport_deal_visits(ws uuid, ids uuid[]) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
          -- a few deals (their history changed), or every deal of the workspace
          IF ids IS NOT NULL THEN
            {_VISITS.format(which="d.id = ANY(ids)")}
          ELSE
            {_VISITS.format(which="true")}
          END IF;
        END $$
    """)
    # history written apart from a stage change (backdated stays, repairs, deletions):
    # the deals concerned are recomputed; after an ordinary move or creation the set is
    # already right (the BEFORE trigger below), so the deal is not written a second time
    op.execute("""
        CREATE FUNCTION rapport_deal_visits_history() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE r record;
        BEGIN
          IF TG_OP = 'INSERT' THEN
            FOR r IN SELECT workspace_id, array_agg(DISTINCT opportunity_id) AS ids
                       FROM new_rows GROUP BY workspace_id LOOP
              PERFORM rapport_deal_visits(r.workspace_id, r.ids);
            END LOOP;
          ELSIF TG_OP = 'DELETE' THEN
            FOR r IN SELECT workspace_id, array_agg(DISTINCT opportunity_id) AS ids
                       FROM old_rows GROUP BY workspace_id LOOP
              PERFORM rapport_deal_visits(r.workspace_id, r.ids);
            END LOOP;
          ELSE
            FOR r IN SELECT n.workspace_id, array_agg(DISTINCT n.opportunity_id) AS ids
                       FROM new_rows n JOIN old_rows o
                         ON o.workspace_id = n.workspace_id AND o.id = n.id
                      WHERE (o.opportunity_id, o.stage_id)
                            IS DISTINCT FROM (n.opportunity_id, n.stage_id)
                      GROUP BY n.workspace_id LOOP
              PERFORM rapport_deal_visits(r.workspace_id, r.ids);
            END LOOP;
          END IF;
          RETURN NULL;
        END $$
    """)
    for event, refs in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ):
        op.execute(
            f"CREATE TRIGGER deal_visits_{event.lower()} AFTER {event} "
            f"ON opportunity_stage_history REFERENCING {refs} FOR EACH STATEMENT "
            "EXECUTE FUNCTION rapport_deal_visits_history()"
        )
    op.execute("""
        CREATE FUNCTION rapport_deal_visits_stage() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF NOT NEW.stage_id = ANY(NEW.visited_stages) THEN
            NEW.visited_stages := ARRAY(
              SELECT DISTINCT s FROM unnest(NEW.visited_stages || NEW.stage_id) AS s ORDER BY s);
          END IF;
          RETURN NEW;
        END $$
    """)
    op.execute(
        "CREATE TRIGGER deal_visits BEFORE INSERT OR UPDATE OF stage_id ON opportunities "
        "FOR EACH ROW EXECUTE FUNCTION rapport_deal_visits_stage()"
    )
    # bulk loads call rapport_rebuild_derived: it rebuilds the visited stages too
    op.execute(
        "ALTER FUNCTION rapport_rebuild_derived(uuid) RENAME TO rapport_rebuild_derived_values"
    )
    op.execute("""
        CREATE FUNCTION rapport_rebuild_derived(ws uuid) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE caller text := current_setting('app.workspace_id', true);
        BEGIN
          PERFORM rapport_rebuild_derived_values(ws);
          PERFORM set_config('app.workspace_id', ws::text, true);
          PERFORM rapport_deal_visits(ws, NULL);
          PERFORM set_config('app.workspace_id', coalesce(caller, ''), true);
        END $$
    """)
    op.execute("""
        DO $$ DECLARE w uuid;
        BEGIN
          FOR w IN SELECT id FROM rapport_workspace_ids() LOOP
            PERFORM set_config('app.workspace_id', w::text, true);
            PERFORM rapport_deal_visits(w, NULL);
          END LOOP;
        END $$
    """)
    op.create_index(
        "ix_opportunities_created_live",
        "opportunities",
        ["workspace_id", "created_at"],
        postgresql_include=["owner_id", "pipeline_id", "status", "stage_id", "visited_stages"],
        postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.drop_index(
        "ix_opportunities_created_live",
        table_name="opportunities",
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.execute("DROP FUNCTION rapport_rebuild_derived(uuid)")
    op.execute(
        "ALTER FUNCTION rapport_rebuild_derived_values(uuid) RENAME TO rapport_rebuild_derived"
    )
    op.execute("DROP TRIGGER deal_visits ON opportunities")
    op.execute("DROP FUNCTION rapport_deal_visits_stage()")
    for event in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER deal_visits_{event} ON opportunity_stage_history")
    op.execute("DROP FUNCTION rapport_deal_visits_history()")
    op.execute("DROP FUNCTION rapport_deal_visits(uuid, uuid[])")
    op.drop_column("opportunities", "visited_stages")
