"""Migration helpers: roles, grants and row-level security, written once."""

from __future__ import annotations

from alembic import op

DEFINER_ROLE = "rapport_definer"
#: the transaction's workspace, as a scalar subquery so a policy evaluates it once per
#: statement (an InitPlan) instead of once per row of a sequential scan
WORKSPACE_SETTING = "(SELECT nullif(current_setting('app.workspace_id', true), '')::uuid)"


def app_role() -> str:
    return str(op.get_context().config.attributes.get("app_role", "rapport_app"))  # type: ignore[union-attr]


def ensure_roles() -> None:
    """The application role (owns nothing, no BYPASSRLS) and the definer role.

    Roles are cluster-wide, so creation is conditional. The migrating user becomes a member
    of both, so it can `SET ROLE` to the app role and hand functions to the definer role.
    """
    for role in (app_role(), DEFINER_ROLE):
        op.execute(f"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
                CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
              END IF;
            END $$;""")
        op.execute(f"GRANT {role} TO CURRENT_USER")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {app_role()}, {DEFINER_ROLE}")
    op.execute(f"GRANT CREATE ON SCHEMA public TO {DEFINER_ROLE}")


def grant_app_role() -> None:
    role = app_role()
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    op.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    op.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}")
    op.execute(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}")


def enable_tenant_rls(table: str, column: str = "workspace_id") -> None:
    """FORCE row-level security: rows of the transaction's workspace only, for everyone."""
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} "
        f"USING ({column} = {WORKSPACE_SETTING}) WITH CHECK ({column} = {WORKSPACE_SETTING})"
    )


def allow_definer_read(table: str) -> None:
    op.execute(f"GRANT SELECT ON {table} TO {DEFINER_ROLE}")
    op.execute(f"CREATE POLICY definer_read ON {table} FOR SELECT TO {DEFINER_ROLE} USING (true)")


def apply_procrastinate_schema() -> None:
    """procrastinate's schema.sql of the pinned version (later versions ship migrations)."""
    from importlib import resources

    sql = resources.files("procrastinate.sql").joinpath("schema.sql").read_text()
    op.execute(sql)
