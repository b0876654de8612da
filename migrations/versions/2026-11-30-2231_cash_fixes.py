"""contracts no longer cascade with their customer

A purged customer took its contracts, installments, payments and invoices with it;
the foreign key now refuses the delete instead (customers refuse deletion first).

Revision ID: e2b3c4d5f6a7
Revises: d1a2b3c4e5f6
Create Date: 2026-11-30 22:31:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from migrations import helpers

revision: str = "e2b3c4d5f6a7"
down_revision: str | None = "d1a2b3c4e5f6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    _customer_fk("RESTRICT")
    helpers.grant_app_role()


def downgrade() -> None:
    _customer_fk("CASCADE")


def _customer_fk(ondelete: str) -> None:
    name = op.f("fk_contracts_workspace_id_customer_id_customers")
    op.drop_constraint(name, "contracts", type_="foreignkey")
    op.create_foreign_key(
        name,
        "contracts",
        "customers",
        ["workspace_id", "customer_id"],
        ["workspace_id", "id"],
        ondelete=ondelete,
    )
