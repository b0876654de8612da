"""The floor: the customer list's SQL behind a bare Starlette + asyncpg app.

    python -m tests.perf.floor --spec SPEC.json --port N   (DATABASE_URL: the owner URL)

tests.perf.bench captures the exact statement and parameters the app's list endpoint runs
(`service.list_customers` with the benchmark user's data scope) and writes them to SPEC;
this app serves `GET /customers` with nothing around it: one pooled asyncpg connection
acting as the application role (`server_settings={"role": ...}`, as the app connects), one
transaction with `set_config('app.workspace_id', ..., true)`, the statement, rows to JSON
with a keyset cursor. No auth, no ORM, no validation: what the same query costs at least
through the same server stack (uvicorn, one worker). bench.py reports app / floor.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def encode_param(value: Any) -> list[Any]:
    if isinstance(value, uuid.UUID):
        return ["uuid", str(value)]
    if isinstance(value, datetime):
        return ["datetime", value.isoformat()]
    if isinstance(value, date):
        return ["date", value.isoformat()]
    if isinstance(value, Decimal):
        return ["decimal", str(value)]
    if isinstance(value, list | tuple):
        return ["list", [encode_param(v) for v in value]]
    if isinstance(value, bool | int | float | str) or value is None:
        return ["value", value]
    raise TypeError(f"cannot encode a {type(value).__name__} parameter")


def decode_param(tagged: list[Any]) -> Any:
    kind, raw = tagged
    if kind == "uuid":
        return uuid.UUID(raw)
    if kind == "datetime":
        return datetime.fromisoformat(raw)
    if kind == "date":
        return date.fromisoformat(raw)
    if kind == "decimal":
        return Decimal(raw)
    if kind == "list":
        return [decode_param(v) for v in raw]
    return raw


def write_spec(
    path: Path, *, statement: str, params: Any, workspace_id: str, role: str, limit: int
) -> None:
    path.write_text(
        json.dumps(
            {
                "statement": statement,
                "params": [encode_param(p) for p in params],
                "workspace_id": workspace_id,
                "role": role,
                "limit": limit,
            }
        )
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def create_app(database_url: str, spec: dict[str, Any], pool_size: int = 10) -> Starlette:
    statement: str = spec["statement"]
    params = [decode_param(p) for p in spec["params"]]
    workspace_id: str = spec["workspace_id"]
    limit: int = spec["limit"]
    dsn = "postgresql://" + database_url.split("://", 1)[1]
    state: dict[str, asyncpg.Pool] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state["pool"] = await asyncpg.create_pool(
            dsn,
            min_size=pool_size,
            max_size=pool_size,
            server_settings={"role": spec["role"], "application_name": "rapport-floor"},
        )
        try:
            yield
        finally:
            await state["pool"].close()

    async def customers(request: Request) -> Response:
        async with state["pool"].acquire() as conn, conn.transaction():
            await conn.execute("SELECT set_config('app.workspace_id', $1, true)", workspace_id)
            rows = await conn.fetch(statement, *params)
        more = len(rows) > limit
        rows = rows[:limit]
        data = [dict(r) for r in rows]
        cursor = None
        if more and rows:
            last = rows[-1]
            raw = json.dumps(
                ["-updated_at", ["dt", last["_sort_key"].isoformat()], ["u", str(last["id"])]]
            )
            cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        body = json.dumps(
            {"data": data, "next_cursor": cursor, "has_more": more},
            default=_json_default,
            ensure_ascii=False,
        )
        return Response(body, media_type="application/json")

    async def healthz(request: Request) -> Response:
        return Response('{"status":"ok"}', media_type="application/json")

    return Starlette(
        routes=[Route("/customers", customers), Route("/healthz", healthz)], lifespan=lifespan
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.floor")
    parser.add_argument("--spec", required=True, type=Path)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--pool-size", type=int, default=10)
    args = parser.parse_args(argv)
    if not args.database_url:
        raise SystemExit("--database-url or DATABASE_URL is required")
    import uvicorn

    spec = json.loads(args.spec.read_text())
    uvicorn.run(
        create_app(args.database_url, spec, args.pool_size),
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
