"""board totals and receivable denormalisation for speed at 1M

The board summed every open deal of a pipeline on each request (100k index entries, 35 ms
as the admin) and aging joined 300k installments to their contracts to learn customer,
owner, currency and whether the contract is approved (290 ms as the admin). Both now read
data kept current by triggers in the writing transaction (ADR 8):

- `opportunity_board_totals`: open deals per (pipeline, stage, owner, currency) with their
  count, amount and amount × probability, adjusted by statement-level triggers on
  `opportunities` (any INSERT, UPDATE or DELETE — the app's, a bulk handover's, a merge's).
- `installments.customer_id / owner_id / currency / receivable`: copied from the contract
  when an installment is written and whenever the contract's values change. The installment
  is then in scope through its own owner column, and aging, DSO and the cash-in calendar
  read one covering partial index, without a join.

`rapport_rebuild_derived(workspace)` recomputes both from scratch; loads that bypass
triggers (`session_replication_role = replica`) call it afterwards.

Revision ID: c9d0e1f2a3b4
Revises: b7c8d9e0f1a2
Create Date: 2026-11-30 23:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations import helpers

revision: str = "c9d0e1f2a3b4"
down_revision: str | None = "b7c8d9e0f1a2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: stands in for "no owner" in the totals key (a primary key cannot hold NULL)
NO_OWNER = "00000000-0000-0000-0000-000000000000"

_OPEN = "status = 'open' AND deleted_at IS NULL"


def _delta(table: str, sign: str) -> str:
    return (
        f"SELECT workspace_id, pipeline_id, stage_id, coalesce(owner_id, '{NO_OWNER}'::uuid),"
        f" currency, {sign}1, {sign}amount, {sign}(amount * probability)"
        f" FROM {table} WHERE {_OPEN}"
    )


def _totals_function(name: str, parts: list[str]) -> str:
    union = " UNION ALL ".join(parts)
    return f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO opportunity_board_totals AS t
                 (workspace_id, pipeline_id, stage_id, owner_id, currency, deals, amount, weighted)
          SELECT w, p, s, o, c, sum(n), sum(a), sum(x)
            FROM ({union}) AS d(w, p, s, o, c, n, a, x)
           -- deals deleted with their workspace leave no totals behind
           WHERE EXISTS (SELECT 1 FROM workspaces WHERE id = d.w)
           GROUP BY w, p, s, o, c
          HAVING sum(n) <> 0 OR sum(a) <> 0 OR sum(x) <> 0
           ORDER BY w, p, s, o, c
          ON CONFLICT (workspace_id, pipeline_id, stage_id, owner_id, currency) DO UPDATE
             SET deals = t.deals + excluded.deals,
                 amount = t.amount + excluded.amount,
                 weighted = t.weighted + excluded.weighted;
          RETURN NULL;
        END $$
    """


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")

    # --- board totals ---------------------------------------------------------------------
    op.create_table(
        "opportunity_board_totals",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("pipeline_id", sa.Uuid(), nullable=False),
        sa.Column("stage_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("deals", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.Numeric(20, 2), nullable=False),
        sa.Column("weighted", sa.Numeric(24, 2), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_opportunity_board_totals_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id",
            "pipeline_id",
            "stage_id",
            "owner_id",
            "currency",
            name=op.f("pk_opportunity_board_totals"),
        ),
    )
    helpers.enable_tenant_rls("opportunity_board_totals")
    op.execute(_totals_function("rapport_board_totals_inserted", [_delta("new_rows", "")]))
    op.execute(_totals_function("rapport_board_totals_deleted", [_delta("old_rows", "-")]))
    op.execute(
        _totals_function(
            "rapport_board_totals_updated", [_delta("new_rows", ""), _delta("old_rows", "-")]
        )
    )
    for event, name, refs in (
        ("INSERT", "inserted", "NEW TABLE AS new_rows"),
        ("DELETE", "deleted", "OLD TABLE AS old_rows"),
        ("UPDATE", "updated", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ):
        op.execute(
            f"CREATE TRIGGER board_totals_{name} AFTER {event} ON opportunities "
            f"REFERENCING {refs} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION rapport_board_totals_{name}()"
        )

    # --- installments carry their contract's customer, owner, currency, approval ----------
    op.add_column("installments", sa.Column("customer_id", sa.Uuid(), nullable=True))
    op.add_column("installments", sa.Column("owner_id", sa.Uuid(), nullable=True))
    op.add_column("installments", sa.Column("currency", sa.String(3), nullable=True))
    op.add_column(
        "installments",
        sa.Column("receivable", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.execute("""
        CREATE FUNCTION rapport_installment_from_contract() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          SELECT c.customer_id, c.owner_id, c.currency,
                 c.status IN ('active', 'expired', 'terminated') AND c.deleted_at IS NULL
            INTO NEW.customer_id, NEW.owner_id, NEW.currency, NEW.receivable
            FROM contracts c
           WHERE c.workspace_id = NEW.workspace_id AND c.id = NEW.contract_id;
          RETURN NEW;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER installment_from_contract
        BEFORE INSERT OR UPDATE OF contract_id, customer_id, owner_id, currency, receivable
        ON installments FOR EACH ROW EXECUTE FUNCTION rapport_installment_from_contract()
    """)
    op.execute("""
        CREATE FUNCTION rapport_contract_to_installments() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE installments i
             SET customer_id = NEW.customer_id
           WHERE i.workspace_id = NEW.workspace_id AND i.contract_id = NEW.id;
          RETURN NULL;
        END $$
    """)
    # any change of the copied values re-runs the BEFORE trigger of each installment
    op.execute("""
        CREATE TRIGGER contract_to_installments
        AFTER UPDATE OF customer_id, owner_id, currency, status, deleted_at ON contracts
        FOR EACH ROW
        WHEN (OLD.customer_id IS DISTINCT FROM NEW.customer_id
              OR OLD.owner_id IS DISTINCT FROM NEW.owner_id
              OR OLD.currency IS DISTINCT FROM NEW.currency
              OR OLD.status IS DISTINCT FROM NEW.status
              OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
        EXECUTE FUNCTION rapport_contract_to_installments()
    """)

    # --- one rebuild for loads that bypass triggers, and for this migration ---------------
    # row-level security applies to the owner too: the function works in `ws` and restores
    # the caller's workspace setting afterwards
    op.execute(f"""
        CREATE FUNCTION rapport_rebuild_derived(ws uuid) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE caller text := current_setting('app.workspace_id', true);
        BEGIN
          PERFORM set_config('app.workspace_id', ws::text, true);
          DELETE FROM opportunity_board_totals WHERE workspace_id = ws;
          INSERT INTO opportunity_board_totals
                 (workspace_id, pipeline_id, stage_id, owner_id, currency, deals, amount, weighted)
          SELECT workspace_id, pipeline_id, stage_id, coalesce(owner_id, '{NO_OWNER}'::uuid),
                 currency, count(*), sum(amount), sum(amount * probability)
            FROM opportunities
           WHERE workspace_id = ws AND {_OPEN}
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
          PERFORM set_config('app.workspace_id', coalesce(caller, ''), true);
        END $$
    """)
    op.execute("SELECT rapport_rebuild_derived(id) FROM rapport_workspace_ids()")
    op.alter_column("installments", "currency", nullable=False)
    op.alter_column("installments", "customer_id", nullable=False)

    # aging (ranked over all, detailed per customer) and the cash-in calendar (by due
    # date): open installments of approved contracts, covering what they sum
    open_receivable = "receivable AND voided_at IS NULL AND allocated_amount < amount"
    op.create_index(
        "ix_installments_receivable_open",
        "installments",
        ["workspace_id", "customer_id", "currency"],
        postgresql_include=["owner_id", "due_date", "amount", "allocated_amount"],
        postgresql_where=sa.text(open_receivable),
    )
    op.create_index(
        "ix_installments_receivable_open_due",
        "installments",
        ["workspace_id", "due_date"],
        postgresql_include=["owner_id", "currency", "amount", "allocated_amount"],
        postgresql_where=sa.text(open_receivable),
    )
    # DSO's billed amount: installments of approved contracts falling due in a window
    op.create_index(
        "ix_installments_receivable_due",
        "installments",
        ["workspace_id", "due_date"],
        postgresql_include=["owner_id", "currency", "amount"],
        postgresql_where=sa.text("receivable AND voided_at IS NULL"),
    )

    # won/lost columns: newest first within the window, covering their totals
    op.drop_index("ix_opportunities_board_closed", table_name="opportunities")
    op.create_index(
        "ix_opportunities_board_closed",
        "opportunities",
        ["workspace_id", "pipeline_id", "stage_id", "updated_at", "id"],
        postgresql_include=["stage_entered_at", "amount", "currency", "probability", "owner_id"],
        postgresql_where=sa.text("status <> 'open' AND deleted_at IS NULL"),
    )
    helpers.grant_app_role()


def downgrade() -> None:
    op.drop_index("ix_opportunities_board_closed", table_name="opportunities")
    op.create_index(
        "ix_opportunities_board_closed",
        "opportunities",
        ["workspace_id", "pipeline_id", "stage_id", "stage_entered_at"],
        postgresql_where=sa.text("status <> 'open' AND deleted_at IS NULL"),
    )
    op.drop_index("ix_installments_receivable_due", table_name="installments")
    op.drop_index("ix_installments_receivable_open_due", table_name="installments")
    op.drop_index("ix_installments_receivable_open", table_name="installments")
    op.execute("DROP FUNCTION rapport_rebuild_derived(uuid)")
    op.execute("DROP TRIGGER contract_to_installments ON contracts")
    op.execute("DROP FUNCTION rapport_contract_to_installments()")
    op.execute("DROP TRIGGER installment_from_contract ON installments")
    op.execute("DROP FUNCTION rapport_installment_from_contract()")
    for column in ("receivable", "currency", "owner_id", "customer_id"):
        op.drop_column("installments", column)
    for name in ("inserted", "deleted", "updated"):
        op.execute(f"DROP TRIGGER board_totals_{name} ON opportunities")
        op.execute(f"DROP FUNCTION rapport_board_totals_{name}()")
    op.drop_table("opportunity_board_totals")
