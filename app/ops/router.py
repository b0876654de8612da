from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from app.ops.migrations import head_revision

router = APIRouter(tags=["ops"])


@router.get("/healthz", operation_id="ops:healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    operation_id="ops:readyz",
    responses={503: {"description": "Database unreachable or migrations pending"}},
)
async def readyz(request: Request) -> JSONResponse:
    """The database answers and its schema is at the newest migration."""
    try:
        head = head_revision()
        async with request.app.state.sessionmaker() as session:
            current = (
                await session.execute(text("SELECT version_num FROM alembic_version"))
            ).scalar_one_or_none()
    except Exception as exc:  # any failure to reach the database means "not ready"
        return JSONResponse(
            {"status": "unavailable", "database": str(type(exc).__name__)}, status_code=503
        )
    if current != head:
        return JSONResponse(
            {"status": "migrations_pending", "current": current, "head": head}, status_code=503
        )
    return JSONResponse({"status": "ready", "revision": current})


@router.get("/metrics", operation_id="ops:metrics", response_class=PlainTextResponse)
async def metrics() -> PlainTextResponse:
    """Prometheus metrics."""
    return PlainTextResponse(generate_latest().decode(), media_type=CONTENT_TYPE_LATEST)
