"""purchases per customer and day, and per owner and day, for the value analytics

Pareto, key accounts, cohorts and the revenue trend read purchases (orders paid, shipped or
completed; payments received) of a period. At the reference scale that is hundreds of
thousands of orders, and team scope joined them with a million customers: 0.8-3.7 s per
dashboard request. `purchase_days` keeps them per customer, calendar day of the workspace
and currency, with the customer's current owner and recycle-bin state copied on, so team
scope is an index range; `purchase_owner_days` adds those of live customers up per owner,
so a year's trend reads a few thousand rows.

Maintained like ADR 8's derived data: statement triggers on orders, payments and contracts
add the new rows' contribution and subtract the old rows' in the writing transaction; a row
trigger on customers follows owner changes and the recycle bin; a statement trigger on
`purchase_days` keeps the per-owner sums. `rapport_rebuild_derived(workspace)` rebuilds
both (loads that bypass triggers call it), and a time zone change re-buckets them.

Revision ID: f4d5e6f7a8b9
Revises: f3c4d5e6f7a8
Create Date: 2026-12-01 07:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations import helpers

revision: str = "f4d5e6f7a8b9"
down_revision: str | None = "f3c4d5e6f7a8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORKSPACE_DEFAULT = sa.text("nullif(current_setting('app.workspace_id', true), '')::uuid")
NO_OWNER = "00000000-0000-0000-0000-000000000000"
PURCHASED = "status IN ('paid', 'shipped', 'completed')"
SUMS = ("orders_amount", "orders", "payments_amount", "payments")
INCLUDED = ["customer_id", "currency", "live", *SUMS]
#: set by the rebuild, which writes the per-owner sums itself in one pass
REBUILDING = "current_setting('rapport.rebuilding_purchases', true) = 'on'"


def _orders(table: str, sign: str) -> str:
    """Counted orders of a transition table (their customer still exists), one row each."""
    return (
        "SELECT o.workspace_id, o.customer_id, (o.ordered_at AT TIME ZONE w.timezone)::date,"
        f" o.currency, c.owner_id, c.deleted_at IS NULL, {sign}o.amount, {sign}1, 0, 0"
        f" FROM {table} o JOIN workspaces w ON w.id = o.workspace_id"
        " JOIN customers c ON c.workspace_id = o.workspace_id AND c.id = o.customer_id"
        f" WHERE o.deleted_at IS NULL AND o.{PURCHASED}"
    )


def _payments(payments: str, contracts: str, sign: str, where: str = "") -> str:
    """Counted payments (live, on a live contract whose customer exists), one row each.
    Rows deleted with their workspace find no workspace row: nothing is written."""
    return (
        "SELECT p.workspace_id, k.customer_id, p.received_on, p.currency, c.owner_id,"
        f" c.deleted_at IS NULL, 0, 0, {sign}p.amount, {sign}1"
        f" FROM {payments} p JOIN workspaces w ON w.id = p.workspace_id"
        f" JOIN {contracts} k ON k.workspace_id = p.workspace_id AND k.id = p.contract_id"
        " JOIN customers c ON c.workspace_id = k.workspace_id AND c.id = k.customer_id"
        " WHERE p.deleted_at IS NULL AND p.voided_at IS NULL AND k.deleted_at IS NULL"
        f"{where}"
    )


def _accumulate(
    name: str, table: str, key: list[str], extra: list[str], parts: list[str], guard: str = ""
) -> str:
    """A trigger function adding the deltas of `parts` (rows of workspace_id, `key`,
    `extra`, SUMS) into `table`, whose primary key is workspace_id and `key`; `extra`
    columns are set on insert only. Rows are written in key order (no deadlocks)."""
    union = " UNION ALL ".join(parts)
    keys = ", ".join(["workspace_id", *key])
    grouped = ", ".join(["workspace_id", *key, *extra])
    columns = ", ".join([*key, *extra, *SUMS])
    sums = ", ".join(f"sum({c})" for c in SUMS)
    changed = " OR ".join(f"sum({c}) <> 0" for c in SUMS)
    updates = ", ".join(f"{c} = t.{c} + excluded.{c}" for c in SUMS)
    return f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          {guard}
          INSERT INTO {table} AS t (workspace_id, {columns})
          SELECT {grouped}, {sums}
            FROM ({union}) AS x(workspace_id, {columns})
           GROUP BY {grouped}
          HAVING {changed}
           ORDER BY {keys}
          ON CONFLICT ({keys}) DO UPDATE SET {updates};
          RETURN NULL;
        END $$
    """


def _add(name: str, parts: list[str]) -> str:
    """A trigger function adding the deltas of `parts` into purchase_days."""
    return _accumulate(
        name, "purchase_days", ["customer_id", "day", "currency"], ["owner_id", "live"], parts
    )


def _owner_delta(table: str, sign: str) -> str:
    """Live customers' rows of a transition table (none once their workspace is gone)."""
    columns = ", ".join(f"{sign}x.{c}" for c in SUMS)
    return (
        f"SELECT x.workspace_id, coalesce(x.owner_id, '{NO_OWNER}'::uuid), x.day, x.currency,"
        f" {columns} FROM {table} x JOIN workspaces w ON w.id = x.workspace_id WHERE x.live"
    )


def _owner_add(name: str, parts: list[str]) -> str:
    """A trigger function on purchase_days keeping purchase_owner_days (the rebuild
    writes those itself, in one pass)."""
    guard = f"IF {REBUILDING} THEN RETURN NULL; END IF;"
    return _accumulate(
        name, "purchase_owner_days", ["owner_id", "day", "currency"], [], parts, guard
    )


_REBUILD = f"""
    CREATE FUNCTION rapport_rebuild_purchase_days(ws uuid) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE caller text := current_setting('app.workspace_id', true);
    BEGIN
      PERFORM set_config('app.workspace_id', ws::text, true);
      PERFORM set_config('rapport.rebuilding_purchases', 'on', true);
      DELETE FROM purchase_days WHERE workspace_id = ws;
      INSERT INTO purchase_days
             (workspace_id, customer_id, day, currency, owner_id, live, {", ".join(SUMS)})
      SELECT ws, x.cu, x.d, x.cur, c.owner_id, c.deleted_at IS NULL,
             {", ".join(f"sum(x.{c})" for c in SUMS)}
        FROM (
          SELECT o.customer_id, (o.ordered_at AT TIME ZONE w.timezone)::date, o.currency,
                 o.amount, 1, 0, 0
            FROM orders o JOIN workspaces w ON w.id = o.workspace_id
           WHERE o.workspace_id = ws AND o.deleted_at IS NULL AND o.{PURCHASED}
          UNION ALL
          SELECT k.customer_id, p.received_on, p.currency, 0, 0, p.amount, 1
            FROM payments p JOIN contracts k
              ON k.workspace_id = p.workspace_id AND k.id = p.contract_id
           WHERE p.workspace_id = ws AND p.deleted_at IS NULL AND p.voided_at IS NULL
             AND k.deleted_at IS NULL
        ) AS x(cu, d, cur, {", ".join(SUMS)})
        JOIN customers c ON c.workspace_id = ws AND c.id = x.cu
       GROUP BY x.cu, x.d, x.cur, c.owner_id, c.deleted_at IS NULL;
      DELETE FROM purchase_owner_days WHERE workspace_id = ws;
      INSERT INTO purchase_owner_days (workspace_id, owner_id, day, currency, {", ".join(SUMS)})
      SELECT ws, coalesce(owner_id, '{NO_OWNER}'::uuid), day, currency,
             {", ".join(f"sum({c})" for c in SUMS)}
        FROM purchase_days WHERE workspace_id = ws AND live
       GROUP BY 2, 3, 4;
      PERFORM set_config('rapport.rebuilding_purchases', 'off', true);
      PERFORM set_config('app.workspace_id', coalesce(caller, ''), true);
    END $$
"""


def _sums_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("orders_amount", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("payments_amount", sa.Numeric(precision=20, scale=2), nullable=False),
        sa.Column("payments", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "purchase_days",
        sa.Column("workspace_id", sa.UUID(), server_default=WORKSPACE_DEFAULT, nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("owner_id", sa.UUID(), nullable=True),
        sa.Column("live", sa.Boolean(), nullable=False),
        *_sums_columns(),
        sa.ForeignKeyConstraint(
            ["workspace_id", "customer_id"],
            ["customers.workspace_id", "customers.id"],
            name=op.f("fk_purchase_days_workspace_id_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_purchase_days_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "customer_id", "day", "currency", name=op.f("pk_purchase_days")
        ),
    )
    op.create_index(
        "ix_purchase_days_workspace_id_day",
        "purchase_days",
        ["workspace_id", "day"],
        postgresql_include=INCLUDED,
    )
    op.create_index(
        "ix_purchase_days_workspace_id_owner_day",
        "purchase_days",
        ["workspace_id", "owner_id", "day"],
        postgresql_include=INCLUDED,
    )
    op.create_table(
        "purchase_owner_days",
        sa.Column("workspace_id", sa.UUID(), server_default=WORKSPACE_DEFAULT, nullable=False),
        sa.Column("owner_id", sa.UUID(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        *_sums_columns(),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_purchase_owner_days_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id", "owner_id", "day", "currency", name=op.f("pk_purchase_owner_days")
        ),
    )
    op.create_index(
        "ix_purchase_owner_days_workspace_id_day",
        "purchase_owner_days",
        ["workspace_id", "day"],
        postgresql_include=["owner_id", "currency", "orders_amount", "payments_amount"],
    )

    # orders and payments add their contribution; an update moves it
    op.execute(_add("rapport_purchase_orders_inserted", [_orders("new_rows", "")]))
    op.execute(_add("rapport_purchase_orders_deleted", [_orders("old_rows", "-")]))
    op.execute(
        _add(
            "rapport_purchase_orders_updated",
            [_orders("new_rows", ""), _orders("old_rows", "-")],
        )
    )
    op.execute(_add("rapport_purchase_payments_inserted", [_payments("new_rows", "contracts", "")]))
    op.execute(_add("rapport_purchase_payments_deleted", [_payments("old_rows", "contracts", "-")]))
    op.execute(
        _add(
            "rapport_purchase_payments_updated",
            [_payments("new_rows", "contracts", ""), _payments("old_rows", "contracts", "-")],
        )
    )
    # a contract moved to another customer, deleted or restored carries its payments along
    moved = (
        " AND EXISTS (SELECT 1 FROM old_rows a JOIN new_rows b ON b.workspace_id = a.workspace_id"
        " AND b.id = a.id WHERE a.id = k.id AND (a.customer_id IS DISTINCT FROM b.customer_id"
        " OR (a.deleted_at IS NULL) <> (b.deleted_at IS NULL)))"
    )
    op.execute(
        _add(
            "rapport_purchase_contracts_updated",
            [
                _payments("payments", "new_rows", "", moved),
                _payments("payments", "old_rows", "-", moved),
            ],
        )
    )
    # (a trigger with transition tables cannot name columns: every update is looked at,
    # and one that changes nothing that counts nets out to no write)
    for table in ("orders", "payments"):
        for event, name, refs in (
            ("INSERT", "inserted", "NEW TABLE AS new_rows"),
            ("DELETE", "deleted", "OLD TABLE AS old_rows"),
            ("UPDATE", "updated", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ):
            op.execute(
                f"CREATE TRIGGER purchase_days_{name} AFTER {event} ON {table} "
                f"REFERENCING {refs} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION rapport_purchase_{table}_{name}()"
            )
    op.execute(
        "CREATE TRIGGER purchase_days_updated AFTER UPDATE ON contracts "
        " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION rapport_purchase_contracts_updated()"
    )
    # the customer's owner and recycle bin state follow every change (transfer, claim, ...)
    op.execute("""
        CREATE FUNCTION rapport_purchase_days_customer() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE purchase_days
             SET owner_id = NEW.owner_id, live = NEW.deleted_at IS NULL
           WHERE workspace_id = NEW.workspace_id AND customer_id = NEW.id;
          RETURN NULL;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER purchase_days_customer
        AFTER UPDATE OF owner_id, deleted_at ON customers
        FOR EACH ROW
        WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id
              OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
        EXECUTE FUNCTION rapport_purchase_days_customer()
    """)
    # the per-owner sums follow purchase_days
    op.execute(_owner_add("rapport_purchase_owner_inserted", [_owner_delta("new_rows", "")]))
    op.execute(_owner_add("rapport_purchase_owner_deleted", [_owner_delta("old_rows", "-")]))
    op.execute(
        _owner_add(
            "rapport_purchase_owner_updated",
            [_owner_delta("new_rows", ""), _owner_delta("old_rows", "-")],
        )
    )
    for event, name, refs in (
        ("INSERT", "inserted", "NEW TABLE AS new_rows"),
        ("DELETE", "deleted", "OLD TABLE AS old_rows"),
        ("UPDATE", "updated", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ):
        op.execute(
            f"CREATE TRIGGER purchase_owner_days_{name} AFTER {event} ON purchase_days "
            f"REFERENCING {refs} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION rapport_purchase_owner_{name}()"
        )

    op.execute(_REBUILD)
    # rapport_rebuild_derived (what bulk loads call) rebuilds these too
    op.execute(
        "ALTER FUNCTION rapport_rebuild_derived(uuid) RENAME TO rapport_rebuild_derived_core"
    )
    op.execute("""
        CREATE FUNCTION rapport_rebuild_derived(ws uuid) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM rapport_rebuild_derived_core(ws);
          PERFORM rapport_rebuild_purchase_days(ws);
        END $$
    """)
    # a workspace's calendar days move with its time zone
    op.execute("""
        CREATE FUNCTION rapport_purchase_days_rezone() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM rapport_rebuild_purchase_days(NEW.id);
          RETURN NULL;
        END $$
    """)
    op.execute(
        "CREATE TRIGGER purchase_days_rezone AFTER UPDATE OF timezone ON workspaces "
        "FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone) "
        "EXECUTE FUNCTION rapport_purchase_days_rezone()"
    )

    for table in ("purchase_days", "purchase_owner_days"):
        helpers.enable_tenant_rls(table)
    op.execute("SELECT rapport_rebuild_purchase_days(id) FROM rapport_workspace_ids()")
    helpers.grant_app_role()


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("DROP TRIGGER purchase_days_rezone ON workspaces")
    op.execute("DROP FUNCTION rapport_purchase_days_rezone()")
    op.execute("DROP FUNCTION rapport_rebuild_derived(uuid)")
    op.execute(
        "ALTER FUNCTION rapport_rebuild_derived_core(uuid) RENAME TO rapport_rebuild_derived"
    )
    op.execute("DROP FUNCTION rapport_rebuild_purchase_days(uuid)")
    op.execute("DROP TRIGGER purchase_days_customer ON customers")
    op.execute("DROP FUNCTION rapport_purchase_days_customer()")
    op.execute("DROP TRIGGER purchase_days_updated ON contracts")
    op.execute("DROP FUNCTION rapport_purchase_contracts_updated()")
    for table in ("orders", "payments"):
        for name in ("inserted", "deleted", "updated"):
            op.execute(f"DROP TRIGGER purchase_days_{name} ON {table}")
            op.execute(f"DROP FUNCTION rapport_purchase_{table}_{name}()")
    op.drop_table("purchase_owner_days")
    op.drop_table("purchase_days")
    for name in ("inserted", "deleted", "updated"):
        op.execute(f"DROP FUNCTION rapport_purchase_owner_{name}()")
