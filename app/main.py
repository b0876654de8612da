"""create_app(): the FastAPI application, its lifespan, middleware and routers."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy.ext.asyncio import AsyncEngine

from app import __version__
from app.config import Settings
from app.db import create_app_engine, create_sessionmaker
from app.errors import NotFound, install_error_handlers
from app.middleware import PublicCORS, RequestMiddleware
from app.openapi import install as install_openapi
from app.openapi import operation_id

logger = logging.getLogger("rapport")

API_PREFIX = "/api/v1"
SPA_DIST = Path(__file__).resolve().parents[1] / "frontend" / "dist"


def create_app(
    settings: Settings, database_url: str | None = None, *, run_worker: bool = False
) -> FastAPI:
    """The app. With `database_url` it owns an engine (and maybe a worker) for its lifetime;
    without, the caller sets `app.state.sessionmaker` (tests do)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine: AsyncEngine | None = None
        worker: asyncio.Task[None] | None = None
        job_app = None
        if database_url is not None:
            engine = create_app_engine(database_url, settings)
            app.state.sessionmaker = create_sessionmaker(engine)
            from app.core.jobs import build_job_app, runtime

            runtime.sessionmaker = app.state.sessionmaker
            if run_worker:
                job_app = build_job_app(settings, database_url)
                await job_app.open_async()
                worker = asyncio.create_task(
                    job_app.run_worker_async(
                        install_signal_handlers=False, name="in-process", concurrency=2, wait=True
                    )
                )
            # The process's own objects (routes, schemas, mappers) live as long as it does:
            # keep them out of full garbage collections, which otherwise walk them all
            # (0.2 s each, every other batch upsert of 1,000 items).
            gc.freeze()
        try:
            yield
        finally:
            if worker is not None:
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await asyncio.wait_for(worker, timeout=10)
            if job_app is not None:
                await job_app.close_async()
            if engine is not None:
                from app.core import ratelimit

                await ratelimit.close(app.state)
                await engine.dispose()

    app = FastAPI(
        title="Rapport CRM API",
        version=__version__,
        description="The one API behind the Rapport SPA, integrations and scripts. "
        "Errors are RFC 9457 problem+json; lists use keyset cursors.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(RequestMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(PublicCORS)

    from app.activities.router import router as activities_router
    from app.analytics.sales.router import router as sales_analytics_router
    from app.analytics.team.router import router as team_analytics_router
    from app.analytics.value.router import router as value_analytics_router
    from app.audit.router import router as audit_router
    from app.auth.router import router as auth_router
    from app.commission.router import router as commission_router
    from app.contracts.router import router as contracts_router
    from app.customers.exports import router as exports_router
    from app.customers.router import router as customers_router
    from app.customfields.router import router as customfields_router
    from app.events.router import router as events_router
    from app.imports.router import router as imports_router
    from app.integrations.router import router as integrations_router
    from app.leads.router import router as leads_router
    from app.ops.router import router as ops_router
    from app.orders.router import router as orders_router
    from app.pipeline.router import router as pipeline_router
    from app.pools.router import router as pools_router
    from app.receivables.router import router as receivables_router
    from app.reports.router import router as reports_router
    from app.targets.router import router as targets_router
    from app.tickets.router import router as tickets_router
    from app.users.router import router as users_router
    from app.webhooks.router import router as webhooks_router

    for router in (
        auth_router,
        users_router,
        audit_router,
        events_router,
        customers_router,
        activities_router,
        customfields_router,
        exports_router,
        imports_router,
        pools_router,
        leads_router,
        pipeline_router,
        contracts_router,
        receivables_router,
        orders_router,
        integrations_router,
        webhooks_router,
        tickets_router,
        sales_analytics_router,
        reports_router,
        targets_router,
        team_analytics_router,
        commission_router,
        value_analytics_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(ops_router)
    install_openapi(app)
    from app.integrations.docs import install_docs

    install_docs(app)
    _mount_spa(app)
    return app


def _mount_spa(app: FastAPI) -> None:
    """Serve the built SPA at / with client-side routes falling back to index.html."""

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(path: str, request: Request) -> Response:
        if path.startswith("api/") or path == "api":
            raise NotFound(f"No API route {request.url.path}.")
        dist = SPA_DIST.resolve()
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and dist in candidate.parents:
            cache = (
                "public, max-age=31536000, immutable"
                if "/assets/" in str(candidate)
                else "no-cache"
            )
            return FileResponse(candidate, headers={"Cache-Control": cache})
        index = dist / "index.html"
        if not index.exists():
            return Response(
                "The SPA is not built; run `make run` (or `npm run build` in frontend/).",
                media_type="text/plain",
                status_code=503,
            )
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
