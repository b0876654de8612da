"""Alembic environment: runs as the database owner (never as the application role)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from app.db import sync_url
from app.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.attributes.get("database_url")
    if url:
        return str(url)
    from app.cli import resolve_database_url

    return resolve_database_url()


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    # procrastinate's tables come from its own schema file, not from our models
    return not (type_ == "table" and name and name.startswith("procrastinate_"))


def run_migrations_online() -> None:
    engine = create_engine(sync_url(_url()), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_object=include_object,
            compare_type=True,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run `rapport migrate`.")
run_migrations_online()
