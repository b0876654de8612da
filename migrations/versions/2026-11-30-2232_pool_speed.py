"""pool claim checks read indexes, not the whole ledger

A claim checks the rep's claims today (daily limit) and the customers the rep holds (holding
cap). At 1M customers the first read the whole ownership ledger (63-109 ms per claim) and the
second walked the rep's customers in the heap.

Revision ID: f3c4d5e6a7b8
Revises: e2b3c4d5f6a7
Create Date: 2026-11-30 22:32:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations import helpers

revision: str = "f3c4d5e6a7b8"
down_revision: str | None = "e2b3c4d5f6a7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_index(
        "ix_ownership_changes_to_user_kind",
        "ownership_changes",
        ["workspace_id", "to_user_id", "kind", "occurred_at"],
    )
    op.create_index(
        "ix_customers_workspace_id_owner_live",
        "customers",
        ["workspace_id", "owner_id"],
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    helpers.grant_app_role()


def downgrade() -> None:
    op.drop_index("ix_customers_workspace_id_owner_live", table_name="customers")
    op.drop_index("ix_ownership_changes_to_user_kind", table_name="ownership_changes")
