"""drop the customers' tag and custom-field GIN indexes row-level security never lets run

`@>` on arrays and jsonb is not leakproof, so under RLS the planner may not use these indexes
(the list filters tags and custom fields while it walks its own order). They still cost every
customer write an entry each: reclaiming 51k customers spent 0.8 ms per row in the UPDATE.

Revision ID: a6b7c8d9e0f1
Revises: f3c4d5e6a7b8
Create Date: 2026-11-30 22:33:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from migrations import helpers

revision: str = "a6b7c8d9e0f1"
down_revision: str | None = "f3c4d5e6a7b8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.drop_index("ix_customers_tag_ids", table_name="customers")
    op.drop_index("ix_customers_custom_fields", table_name="customers")
    helpers.grant_app_role()


def downgrade() -> None:
    op.create_index(
        "ix_customers_custom_fields",
        "customers",
        ["workspace_id", "custom_fields"],
        postgresql_using="gin",
        postgresql_ops={"custom_fields": "jsonb_path_ops"},
    )
    op.create_index(
        "ix_customers_tag_ids", "customers", ["workspace_id", "tag_ids"], postgresql_using="gin"
    )
