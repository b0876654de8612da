"""customer search through indexes under row-level security

Row-level security evaluates its policy before any condition whose operator is not
leakproof, so `LIKE`, `%` (trigram similarity) and `&&` (array overlap) on customers and
contacts could never use their GIN indexes: every search and duplicate check read the whole
table. Three narrow SECURITY DEFINER functions, owned by the definer role and bound to the
transaction's workspace, look the ids up through the indexes; the caller then reads the rows
under RLS and its data scope as before.

Two-character Chinese terms (a company's 字号, a person's name) yield no trigram, so
customers also get a GIN index over the CJK characters and character pairs of their search
text. The trigram indexes lose their workspace column (see below).

Revision ID: e4a1c9d2b7f3
Revises: 16218f19d8d0
Create Date: 2026-11-30 21:10:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations import helpers

revision: str = "e4a1c9d2b7f3"
down_revision: str | None = "16218f19d8d0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# kana, CJK extension A, CJK unified ideographs, hangul syllables, CJK compatibility
_CJK_RANGES = (
    "cp BETWEEN 12352 AND 12543 OR cp BETWEEN 13312 AND 19903 OR cp BETWEEN 19968 AND 40959 "
    "OR cp BETWEEN 44032 AND 55215 OR cp BETWEEN 63744 AND 64255"
)

_FUNCTIONS = {
    "rapport_customer_matches(text, integer)": """
        CREATE FUNCTION rapport_customer_matches(p_term text, p_limit integer) RETURNS SETOF uuid
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
          ws uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
          term text := lower(p_term);
        BEGIN
          IF ws IS NULL OR term = '' THEN
            RETURN;
          END IF;
          IF char_length(term) <= 2 AND rapport_cjk_grams(term) @> ARRAY[term] THEN
            -- one or two CJK characters: no trigram to look up, the gram index has them
            RETURN QUERY
              SELECT c.id FROM customers c
              WHERE c.workspace_id = ws AND c.deleted_at IS NULL
                AND rapport_cjk_grams(c.search_text) @> ARRAY[term]
              LIMIT p_limit;
          ELSE
            -- planned per call, so the trigram index sees the actual pattern
            RETURN QUERY EXECUTE
              'SELECT c.id FROM customers c
               WHERE c.workspace_id = $1 AND c.deleted_at IS NULL AND c.search_text LIKE $2
               LIMIT $3'
              USING ws, '%' || regexp_replace(term, '([\\\\%_])', '\\\\\\1', 'g') || '%', p_limit;
          END IF;
        END $$""",
    "rapport_similar_customers(text, double precision, uuid)": """
        CREATE FUNCTION rapport_similar_customers(
          p_name text, p_threshold double precision, p_exclude uuid
        ) RETURNS TABLE (id uuid, score real)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
          ws uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
        BEGIN
          IF ws IS NULL THEN
            RETURN;
          END IF;
          PERFORM set_config('pg_trgm.similarity_threshold', p_threshold::text, true);
          RETURN QUERY
            SELECT c.id, similarity(c.name_normalized, p_name)
            FROM customers c
            WHERE c.workspace_id = ws AND c.deleted_at IS NULL
              AND c.name_normalized % p_name
              AND c.id IS DISTINCT FROM p_exclude
            ORDER BY 2 DESC, 1
            LIMIT 10;
        END $$""",
    "rapport_customer_phone_matches(character varying[], uuid)": """
        CREATE FUNCTION rapport_customer_phone_matches(p_phones varchar[], p_exclude uuid)
        RETURNS TABLE (id uuid, phone varchar)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          WITH hits AS (
            SELECT c.id, c.phones_normalized AS phones
            FROM customers c
            WHERE c.workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid
              AND c.deleted_at IS NULL AND c.phones_normalized && p_phones
            UNION ALL
            SELECT k.customer_id, k.phones_normalized
            FROM contacts k
            JOIN customers c ON c.workspace_id = k.workspace_id AND c.id = k.customer_id
            WHERE k.workspace_id = nullif(current_setting('app.workspace_id', true), '')::uuid
              AND k.deleted_at IS NULL AND c.deleted_at IS NULL
              AND k.phones_normalized && p_phones
          )
          SELECT DISTINCT h.id, p.phone
          FROM hits h CROSS JOIN LATERAL unnest(p_phones) AS p(phone)
          WHERE p.phone = ANY (h.phones) AND h.id IS DISTINCT FROM p_exclude
          LIMIT 40
        $$""",
}


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute(f"""
        CREATE FUNCTION rapport_cjk_grams(t text) RETURNS text[]
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
        DECLARE
          grams text[] := '{{}}';
          ch text;
          cp int;
          prev text;
        BEGIN
          FOREACH ch IN ARRAY string_to_array(t, NULL) LOOP
            cp := ascii(ch);
            IF {_CJK_RANGES} THEN
              grams := grams || ch;
              IF prev IS NOT NULL THEN
                grams := grams || (prev || ch);
              END IF;
              prev := ch;
            ELSE
              prev := NULL;
            END IF;
          END LOOP;
          RETURN grams;
        END $$""")
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")
    op.create_index(
        "ix_customers_workspace_id_status_level_updated",
        "customers",
        ["workspace_id", "status", "level", "updated_at", "id"],
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    # The lookups' GIN indexes carry no workspace column: in a GIN index it makes every
    # lookup walk the workspace's whole posting list (a phone search read 469 buffers instead
    # of 106, a name similarity 473 instead of 144 at 1M customers). The definer functions
    # filter the workspace themselves; nothing else can use these indexes under RLS.
    op.create_index(
        "ix_customers_search_grams",
        "customers",
        [sa.text("rapport_cjk_grams(search_text)")],
        postgresql_using="gin",
    )
    for column in ("search_text", "name_normalized"):
        op.drop_index(f"ix_customers_{column}_trgm", table_name="customers")
        op.create_index(
            f"ix_customers_{column}_trgm",
            "customers",
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )
    helpers.allow_definer_read("customers")
    helpers.allow_definer_read("contacts")
    for signature, body in _FUNCTIONS.items():
        op.execute(body)
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {helpers.DEFINER_ROLE}")
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {helpers.app_role()}")
    helpers.grant_app_role()


def downgrade() -> None:
    for signature in _FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    for table in ("customers", "contacts"):
        op.execute(f"DROP POLICY IF EXISTS definer_read ON {table}")
        op.execute(f"REVOKE SELECT ON {table} FROM {helpers.DEFINER_ROLE}")
    for column in ("search_text", "name_normalized"):
        op.drop_index(f"ix_customers_{column}_trgm", table_name="customers")
        op.create_index(
            f"ix_customers_{column}_trgm",
            "customers",
            ["workspace_id", column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )
    op.drop_index("ix_customers_workspace_id_status_level_updated", table_name="customers")
    op.drop_index("ix_customers_search_grams", table_name="customers")
    op.execute("DROP FUNCTION IF EXISTS rapport_cjk_grams(text)")
