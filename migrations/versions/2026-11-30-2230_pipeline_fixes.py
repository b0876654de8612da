"""pool claim checks read indexes, not the whole ledger

A claim checks the rep's claims today (daily limit) and the customers the rep holds (holding
cap). At 1M customers the first read the whole ownership ledger (63-109 ms per claim) and the
second walked the rep's customers in the heap.

Revision ID: d1a2b3c4e5f6
Revises: c8f7a6b5d4e3
Create Date: 2026-11-30 22:32:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from migrations import helpers

revision: str = "d1a2b3c4e5f6"
down_revision: str | None = "c8f7a6b5d4e3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    helpers.grant_app_role()


def downgrade() -> None:
    pass
