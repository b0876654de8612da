"""Test fixtures: a real PostgreSQL, migrated once; each test inside a rolled-back transaction.

The database is the embedded PostgreSQL (its own data folder under RAPPORT_DATA_DIR/test)
unless TEST_DATABASE_URL points at another server. Requests run through the app's own
session/commit path: their "commit" releases a savepoint of the test's outer transaction.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.config import Settings
from app.db import async_url, create_app_engine
from app.main import create_app

ROOT = Path(__file__).resolve().parents[1]
TEST_DB = "rapport_test"


def _settings(url: str) -> Settings:
    return Settings(database_url=url, login_max_failures=5, env="development")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """Owner URL of a freshly created, migrated test database."""
    external = os.environ.get("TEST_DATABASE_URL")
    pg = None
    if external:
        admin_url = external
        base = external.rsplit("/", 1)[0]
    else:
        from app.embedded_pg import EmbeddedPostgres

        data_dir = Path(os.environ.get("RAPPORT_DATA_DIR", ROOT / ".rapport")) / "test"
        pg = EmbeddedPostgres(data_dir.resolve()).start()
        admin_url = pg.url("postgres")
        base = admin_url.rsplit("/", 1)[0]
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {TEST_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {TEST_DB}")
    url = f"{base}/{TEST_DB}"
    from app.ops.migrations import upgrade

    upgrade(url, "rapport_app")
    yield url
    if pg is not None:
        pg.stop()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return _settings(database_url)


@pytest.fixture(scope="session")
async def engine(database_url: str, settings: Settings) -> AsyncIterator[AsyncEngine]:
    """Engine acting as the application role (RLS applies)."""
    eng = create_app_engine(database_url, settings, pool_size=5)
    yield eng
    await eng.dispose()


@pytest.fixture(scope="session")
async def owner_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """Engine acting as the database owner, for checks and cleanup only."""
    eng = create_async_engine(async_url(database_url), pool_size=2)
    yield eng
    await eng.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as conn:
        outer = await conn.begin()
        yield conn
        await outer.rollback()


@pytest.fixture
def maker(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(
        bind=connection,
        expire_on_commit=False,
        autoflush=False,
        join_transaction_mode="create_savepoint",
    )


@pytest.fixture
async def session(maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session for factories and assertions, on the test's transaction."""
    async with maker() as s:
        yield s


@pytest.fixture
def app(settings: Settings, maker: async_sessionmaker[AsyncSession]):  # type: ignore[no-untyped-def]
    application = create_app(settings)
    application.state.sessionmaker = maker
    return application


@pytest.fixture
async def anon(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """An unauthenticated client with its own client address (login throttling is per IP)."""
    transport = httpx.ASGITransport(
        app=app, client=(f"10.0.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}", 1234)
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("CI") and any(i.get_closest_marker("skip") for i in items):
        raise pytest.UsageError("skipped tests are not allowed in CI")


@pytest.fixture
async def no_workspace(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A fresh app-role connection with no workspace bound."""
    async with engine.connect() as conn:
        yield conn
        await conn.rollback()


@pytest.fixture
async def tenant(session: AsyncSession):  # type: ignore[no-untyped-def]
    from tests.factories import create_workspace

    t = await create_workspace(session)
    await session.commit()
    return t


@pytest.fixture
async def client_for(app, session: AsyncSession):  # type: ignore[no-untyped-def]
    """`await client_for(user)` → a signed-in client; closed at the end of the test."""
    from tests.factories import login_as

    clients: list[httpx.AsyncClient] = []

    async def make(user):  # type: ignore[no-untyped-def]
        transport = httpx.ASGITransport(app=app, client=("10.1.0.1", 1234))
        client = httpx.AsyncClient(transport=transport, base_url="http://test")
        clients.append(client)
        return await login_as(session, client, user)

    yield make
    for c in clients:
        await c.aclose()


@pytest.fixture
async def owner_client(tenant, client_for):  # type: ignore[no-untyped-def]
    return await client_for(tenant.owner)


@pytest.fixture
async def committed(settings: Settings, engine: AsyncEngine, owner_engine: AsyncEngine):  # type: ignore[no-untyped-def]
    """A workspace with committed data and an app on real sessions, for concurrency tests.

    Yields (app, tenant, maker); the workspace is deleted afterwards.
    """
    from tests.factories import create_workspace

    maker = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
    async with maker() as s, s.begin():
        tenant = await create_workspace(s, "Committed")
    application = create_app(settings)
    application.state.sessionmaker = maker
    yield application, tenant, maker
    async with owner_engine.begin() as conn:
        await conn.execute(text("DELETE FROM workspaces WHERE id = :id"), {"id": tenant.id})
