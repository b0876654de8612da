"""The `rapport` command."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from app.config import Settings, get_settings

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

_embedded: Any = None


def resolve_database_url(settings: Settings | None = None, *, database: str = "rapport") -> str:
    """DATABASE_URL when set; otherwise start (or find) the embedded PostgreSQL."""
    global _embedded
    settings = settings or get_settings()
    if settings.database_url:
        return settings.database_url
    if _embedded is None:
        from app.embedded_pg import EmbeddedPostgres

        _embedded = EmbeddedPostgres(settings.data_dir.resolve()).start()
    _embedded.ensure_database(database)
    url = str(_embedded.url(database))
    return url


def stop_embedded() -> None:
    global _embedded
    if _embedded is not None:
        _embedded.stop()
        _embedded = None


def _run(coro_factory: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    return asyncio.run(coro_factory())


def cmd_migrate(args: argparse.Namespace) -> None:
    from app.ops.migrations import upgrade

    settings = get_settings()
    upgrade(resolve_database_url(settings), settings.app_role)
    print("migrations: at head")


def _maker(url: str) -> Any:
    from app.db import create_app_engine, create_sessionmaker

    settings = get_settings()
    engine = create_app_engine(url, settings, pool_size=2)
    return engine, create_sessionmaker(engine)


def cmd_create_workspace(args: argparse.Namespace) -> None:
    from app.workspaces.service import create_workspace

    settings = get_settings()
    url = resolve_database_url(settings)

    async def go() -> str:
        engine, maker = _maker(url)
        try:
            async with maker() as session, session.begin():
                created = await create_workspace(
                    session,
                    name=args.name,
                    owner_name=args.owner_name or args.email,
                    owner_email=args.email,
                    password=args.password,
                    timezone=settings.default_timezone,
                )
                return str(created.workspace.id)
        finally:
            await engine.dispose()

    print(_run(go))


def cmd_create_user(args: argparse.Namespace) -> None:
    import uuid

    from app.auth.secrets import hash_password
    from app.core.audit import record_mutation, snapshot
    from app.db import workspace_session
    from app.models.user import User

    url = resolve_database_url()

    async def go() -> str:
        engine, maker = _maker(url)
        try:
            async with workspace_session(maker, uuid.UUID(args.workspace)) as session:
                user = User(
                    workspace_id=uuid.UUID(args.workspace),
                    email=args.email.lower(),
                    name=args.name or args.email,
                    role=args.role,
                    password_hash=hash_password(args.password),
                    is_active=True,
                )
                session.add(user)
                await session.flush()
                await record_mutation(
                    session,
                    None,
                    entity="user",
                    action="created",
                    entity_id=user.id,
                    sequence=1,
                    before=None,
                    after=snapshot(user, ("email", "name", "role")),
                    workspace_id=user.workspace_id,
                )
                return str(user.id)
        finally:
            await engine.dispose()

    print(_run(go))


def cmd_demo(args: argparse.Namespace) -> None:
    from app.demo import ensure_demo

    url = resolve_database_url()

    async def go() -> Any:
        engine, maker = _maker(url)
        try:
            return await ensure_demo(maker, get_settings().default_timezone)
        finally:
            await engine.dispose()

    result = _run(go)
    print(result.describe())


def cmd_openapi(args: argparse.Namespace) -> None:
    from app.main import create_app
    from app.openapi import check, export

    app = create_app(Settings(database_url=None))
    if args.check:
        problem = check(app)
        if problem:
            print(problem, file=sys.stderr)
            sys.exit(1)
        print("openapi/openapi.json is up to date")
    else:
        export(app)
        print("wrote openapi/openapi.json")


def _serve(settings: Settings, url: str, host: str, port: int, workers: int) -> None:
    import uvicorn

    os.environ["DATABASE_URL"] = url
    from app.logging import configure_logging

    configure_logging(settings.log_level, settings.log_json)
    uvicorn.run(
        "app.asgi:create",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        proxy_headers=True,
        timeout_graceful_shutdown=10,
        access_log=False,
    )


def cmd_serve(args: argparse.Namespace) -> None:
    settings = get_settings()
    url = resolve_database_url(settings)
    try:
        _serve(
            settings,
            url,
            args.host or settings.host,
            args.port or settings.port,
            args.workers or settings.workers,
        )
    finally:
        stop_embedded()


def cmd_up(args: argparse.Namespace) -> None:
    """`make run`: database, migrations, demo on first start, then API + SPA + worker."""
    from app.ops.migrations import upgrade

    settings = get_settings()
    url = resolve_database_url(settings)
    try:
        upgrade(url, settings.app_role)
        cmd_demo(args)
        host, port = args.host or settings.host, args.port or settings.port
        print(f"\nRapport is running at http://{host}:{port}  (Ctrl-C stops it)\n", flush=True)
        _serve(settings, url, host, port, args.workers or settings.workers)
    finally:
        stop_embedded()


def cmd_worker(args: argparse.Namespace) -> None:
    from app.core.jobs import build_job_app, runtime

    settings = get_settings()
    url = resolve_database_url(settings)
    from app.logging import configure_logging

    configure_logging(settings.log_level, settings.log_json)

    async def go() -> None:
        engine, maker = _maker(url)
        runtime.sessionmaker = maker
        job_app = build_job_app(settings, url)
        try:
            async with job_app.open_async():
                only: dict[str, Any] = {"queues": args.queue} if args.queue else {}
                await job_app.run_worker_async(concurrency=args.concurrency, name="worker", **only)
        finally:
            await engine.dispose()

    try:
        _run(go)
    finally:
        stop_embedded()


def cmd_db(args: argparse.Namespace) -> None:
    """Embedded PostgreSQL helpers: `rapport db url` prints a URL (starting it if needed)."""
    settings = get_settings()
    if settings.database_url:
        print(settings.database_url)
        return
    from app.embedded_pg import EmbeddedPostgres

    pg = EmbeddedPostgres(settings.data_dir.resolve())
    if args.action == "stop":
        pg.start()
        pg.started_here = True
        pg.stop()
        print("embedded PostgreSQL stopped")
        return
    pg.start()
    pg.ensure_database(args.database)
    print(pg.url(args.database))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="rapport", description="Rapport CRM")
    sub = parser.add_subparsers(dest="command", required=True)

    def server_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host")
        p.add_argument("--port", type=int)
        p.add_argument("--workers", type=int)

    p = sub.add_parser("serve", help="API + SPA (+ in-process worker)")
    server_args(p)
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("up", help="migrate, create the demo on first start, then serve")
    server_args(p)
    p.set_defaults(func=cmd_up)
    p = sub.add_parser("worker", help="run background jobs")
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument(
        "--queue", action="append", help="only these job queues (repeatable; default all)"
    )
    p.set_defaults(func=cmd_worker)
    sub.add_parser("migrate", help="upgrade the database to the newest schema").set_defaults(
        func=cmd_migrate
    )
    sub.add_parser("demo", help="create the demo workspace if missing").set_defaults(func=cmd_demo)
    p = sub.add_parser("create-workspace", help="create a workspace and its owner")
    p.add_argument("name")
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--owner-name")
    p.set_defaults(func=cmd_create_workspace)
    p = sub.add_parser("create-user", help="add a user to a workspace")
    p.add_argument("--workspace", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--name")
    p.add_argument(
        "--role",
        default="sales",
        choices=["owner", "admin", "manager", "sales", "service", "viewer"],
    )
    p.set_defaults(func=cmd_create_user)
    p = sub.add_parser("openapi", help="write openapi/openapi.json (or --check for drift)")
    p.add_argument("--check", action="store_true")
    p.set_defaults(func=cmd_openapi)
    p = sub.add_parser("db", help="embedded PostgreSQL: url | stop")
    p.add_argument("action", choices=["url", "stop"])
    p.add_argument("--database", default="rapport")
    p.set_defaults(func=cmd_db)

    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    args.func(args)


if __name__ == "__main__":
    main()
