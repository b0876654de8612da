"""order buyers matched by phone through the index under row-level security

Matching an order's buyer by phone asked `customers.phones_normalized && :phones` under RLS.
`&&` is not leakproof, so the policy ran first and the statement read every customer of the
table (2.0 s per order at 1M customers; a 1,000-order batch paid it once, a single order
create paid it every time). Like the duplicate check (revision e4a1c9d2b7f3), the lookup goes
through a narrow SECURITY DEFINER function bound to the transaction's workspace that answers
ids only; the caller then reads those customers under RLS and its data scope as before.

Unlike `rapport_customer_phone_matches` (duplicate candidates, 40 at most, contacts included)
this one answers every customer per phone: matching decides between one customer and an
ambiguous buyer, and a cap could hide the one customer the caller may read.

Revision ID: f0a1b2c3d4e5
Revises: e1f2a3b4c5d6
Create Date: 2026-12-01 03:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from migrations import helpers

revision: str = "f0a1b2c3d4e5"
down_revision: str | None = "e1f2a3b4c5d6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE = "rapport_customers_by_phone(character varying[])"


def upgrade() -> None:
    op.execute("""
        CREATE FUNCTION rapport_customers_by_phone(p_phones varchar[])
        RETURNS TABLE (id uuid, phone varchar)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT c.id, p.phone
          FROM unnest(p_phones) AS p(phone)
          CROSS JOIN LATERAL (
            SELECT c.id FROM customers c
            WHERE c.workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid
              AND c.deleted_at IS NULL AND c.phones_normalized && ARRAY[p.phone]
          ) AS c
        $$""")
    op.execute(f"ALTER FUNCTION {SIGNATURE} OWNER TO {helpers.DEFINER_ROLE}")
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {helpers.app_role()}")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
