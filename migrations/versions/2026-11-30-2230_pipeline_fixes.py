"""pipeline history survives the recycle bin: stage, lost-reason and stage-pipeline references
no longer cascade or null out on a hard delete

Stage history (opportunity_stage_history.stage_id), a deal's lost reason
(opportunities.lost_reason_id) and a stage's pipeline (pipeline_stages.pipeline_id) become
plain NO ACTION references: the nightly purge keeps a binned stage, lost reason or pipeline
for as long as anything still points at it, instead of deleting history with it. Deleting a
pipeline now bins its stages with it; pipelines binned before this revision get theirs binned
here, with the pipeline's deletion time.

Revision ID: d1a2b3c4e5f6
Revises: c8f7a6b5d4e3
Create Date: 2026-11-30 22:30:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from migrations import helpers

revision: str = "d1a2b3c4e5f6"
down_revision: str | None = "c8f7a6b5d4e3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, referencing column, referenced table, ondelete before this revision)
REFERENCES = (
    ("opportunity_stage_history", "stage_id", "pipeline_stages", "CASCADE"),
    ("opportunities", "lost_reason_id", "lost_reasons", "SET NULL (lost_reason_id)"),
    ("pipeline_stages", "pipeline_id", "pipelines", "CASCADE"),
)


def _recreate(table: str, column: str, target: str, ondelete: str | None) -> None:
    # op.f: the naming convention's name, shortened the same way as when it was created
    name = op.f(f"fk_{table}_workspace_id_{column}_{target}")
    op.drop_constraint(name, table, type_="foreignkey")
    op.create_foreign_key(
        name,
        table,
        target,
        ["workspace_id", column],
        ["workspace_id", "id"],
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    for table, column, target, _ in REFERENCES:
        _recreate(table, column, target, None)
    # stages of pipelines binned before this revision join their pipeline in the bin;
    # row-level security applies to the owner too, so workspace by workspace
    op.execute("""
        DO $$
        DECLARE w uuid;
        BEGIN
          FOR w IN SELECT id FROM rapport_workspace_ids() LOOP
            PERFORM set_config('app.workspace_id', w::text, true);
            UPDATE pipeline_stages s
               SET deleted_at = p.deleted_at, version = s.version + 1
              FROM pipelines p
             WHERE p.workspace_id = s.workspace_id AND p.id = s.pipeline_id
               AND p.deleted_at IS NOT NULL AND s.deleted_at IS NULL;
          END LOOP;
          PERFORM set_config('app.workspace_id', '', true);
        END $$""")
    helpers.grant_app_role()


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    for table, column, target, ondelete in REFERENCES:
        _recreate(table, column, target, ondelete)
