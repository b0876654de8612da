"""Tenant isolation at the database: RLS on every tenant table, an app role that can't escape."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.models import Base
from tests.factories import create_team, create_workspace, use

TENANT_TABLES = sorted(t.name for t in Base.metadata.sorted_tables if "workspace_id" in t.c)


async def test_every_tenant_table_forces_rls_with_a_policy(owner_engine) -> None:
    async with owner_engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
                    "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) "
                    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'public' AND c.relkind = 'r'"
                )
            )
        ).all()
        with_ws = {
            r[0]
            for r in (
                await conn.execute(
                    text(
                        "SELECT table_name FROM information_schema.columns "
                        "WHERE table_schema = 'public' AND column_name = 'workspace_id'"
                    )
                )
            ).all()
        }
    state = {r[0]: r[1:] for r in rows}
    assert set(TENANT_TABLES) <= with_ws
    for table in sorted(with_ws | {"workspaces"}):
        enabled, forced, policies = state[table]
        assert enabled, f"{table} must ENABLE row-level security"
        assert forced, f"{table} must FORCE row-level security"
        assert policies >= 1, f"{table} has no policy"


async def test_app_role_has_no_bypass_and_owns_nothing(owner_engine) -> None:
    async with owner_engine.connect() as conn:
        role = (
            await conn.execute(
                text(
                    "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcanlogin FROM pg_roles "
                    "WHERE rolname = 'rapport_app'"
                )
            )
        ).one()
        owned = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                    "WHERE r.rolname = 'rapport_app'"
                )
            )
        ).scalar_one()
    assert role == (False, False, False, False)
    assert owned == 0


async def test_runtime_connections_act_as_the_app_role(no_workspace) -> None:
    assert (await no_workspace.execute(text("SELECT current_user"))).scalar_one() == "rapport_app"


async def test_without_a_workspace_nothing_is_visible(session) -> None:
    tenant = await create_workspace(session)
    await create_team(session, tenant.id)
    await session.commit()
    await use(session, tenant.id)
    assert (await session.execute(text("SELECT count(*) FROM teams"))).scalar_one() == 1
    await session.execute(text("SELECT set_config('app.workspace_id', '', true)"))
    for table in [*TENANT_TABLES, "workspaces"]:
        count = (await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
        assert count == 0, table


async def test_raw_sql_cannot_read_or_write_another_workspace(session) -> None:
    a = await create_workspace(session, "A")
    b = await create_workspace(session, "B")
    team_b = await create_team(session, b.id, "B team")
    await session.commit()
    await use(session, a.id)
    seen = (
        await session.execute(text("SELECT count(*) FROM teams WHERE id = :id"), {"id": team_b.id})
    ).scalar_one()
    assert seen == 0
    updated = await session.execute(
        text("UPDATE teams SET name = 'hacked' WHERE id = :id"), {"id": team_b.id}
    )
    assert updated.rowcount == 0  # type: ignore[attr-defined]
    deleted = await session.execute(
        text("DELETE FROM users WHERE workspace_id = :ws"), {"ws": b.id}
    )
    assert deleted.rowcount == 0  # type: ignore[attr-defined]
    with pytest.raises(DBAPIError, match="row-level security"):
        async with session.begin_nested():
            await session.execute(
                text(
                    "INSERT INTO teams (workspace_id, id, name, version, created_at, updated_at) "
                    "VALUES (:ws, gen_random_uuid(), 'x', 1, now(), now())"
                ),
                {"ws": b.id},
            )
    await use(session, b.id)
    name = (
        await session.execute(text("SELECT name FROM teams WHERE id = :id"), {"id": team_b.id})
    ).scalar_one()
    assert name == "B team"


async def test_migrations_match_the_models(database_url) -> None:
    from alembic import command

    from app.ops.migrations import alembic_config

    command.check(alembic_config(database_url))  # raises when autogenerate finds a diff


async def test_every_foreign_key_is_backed_by_an_index(owner_engine) -> None:
    """Deleting a referenced row must not scan the referencing table (FK checks)."""
    async with owner_engine.connect() as conn:
        missing = (
            await conn.execute(
                text("""
            SELECT c.conrelid::regclass::text, c.conname
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
              AND NOT EXISTS (
                SELECT 1 FROM pg_index i
                WHERE i.indrelid = c.conrelid
                  AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                  AND c.conkey @> (i.indkey::int2[])[0:cardinality(c.conkey) - 1])
              AND c.conrelid::regclass::text NOT LIKE 'procrastinate%'
            ORDER BY 1, 2""")
            )
        ).all()
    assert [tuple(r) for r in missing] == []
