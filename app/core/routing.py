"""The route class every router uses: one transaction per request, committed at the edge.

The endpoint runs, its response is rendered, then — before anything is sent — the request's
session commits (or rolls back on an error). A failed commit is therefore an error response,
never a success the database did not keep. It also rejects query parameters the route does
not declare (400), and stores the response of an `Idempotency-Key` claim.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from app.core import idempotency, ratelimit
from app.errors import AppError, BadRequest, FieldError


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


class UnitOfWorkRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        allowed = _query_names(self.dependant)
        prefixes: tuple[str, ...] = tuple((self.openapi_extra or {}).get("x-open-prefixes", ()))

        async def run(request: Request) -> Response:
            unknown = sorted(
                k
                for k in request.query_params
                if k not in allowed and not any(k.startswith(p) for p in prefixes)
            )
            if unknown:
                raise BadRequest(
                    f"Unknown query parameter(s): {', '.join(unknown)}.",
                    errors=[
                        FieldError(field=f"query.{k}", message="unknown parameter") for k in unknown
                    ],
                    code="unknown_parameter",
                )
            try:
                response = await handler(request)
            except idempotency.Replay as replay:
                await _finish(request, commit=False)
                return replay.response
            except AppError as exc:
                await _finish(request, commit=exc.keeps_writes)
                raise
            except BaseException:
                await _finish(request, commit=False)
                raise
            quota: ratelimit.Quota | None = getattr(request.state, "rate_limit", None)
            if quota is not None:
                response.headers.update(quota.headers())
            ok = response.status_code < 400
            if ok:
                claim: idempotency.Claim | None = getattr(request.state, "idempotency", None)
                session = _session(request)
                if claim is not None and session is not None:
                    await idempotency.store(session, claim, response)
            await _finish(request, commit=ok)
            return response

        return run


def _session(request: Request) -> AsyncSession | None:
    return getattr(request.state, "db_session", None)


async def _finish(request: Request, *, commit: bool) -> None:
    session = _session(request)
    if session is None:
        return
    request.state.db_session = None
    try:
        if commit:
            await session.commit()
        else:
            await session.rollback()
    finally:
        await session.close()


def open_query_prefixes(*prefixes: str) -> dict[str, Any]:
    """`openapi_extra` for a list route that accepts `cf.<key>` style parameters."""
    return {"x-open-prefixes": list(prefixes)}
