"""What every request runs stays on the event loop: FastAPI runs a plain `def` dependency in
a worker thread, a hop that cost about 0.4 ms of CPU per dependency and request (two of
them were a tenth of the customer list's time)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.auth.dependencies import authenticate, require
from app.core.deps import get_session
from app.core.http import if_match
from app.core.pagination import list_params
from app.customers.router import customer_filters
from app.customers.router import router as customers_router


def _on_loop(call: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call)


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def test_shared_dependencies_are_coroutines() -> None:
    for call in (
        list_params,
        if_match,
        authenticate,
        get_session,
        require("customers"),
        require("customers", write=True),
        customer_filters,
    ):
        assert _on_loop(call), f"{call.__name__} would run in the threadpool"


def test_the_customer_list_runs_nothing_in_the_threadpool() -> None:
    route = next(
        r
        for r in customers_router.routes
        if isinstance(r, APIRoute) and r.path == "/customers" and "GET" in r.methods
    )
    calls = [route.dependant.call, *_calls(route.dependant)]
    assert len(calls) >= 5  # endpoint, list params, filters, require, authenticate, session
    sync = [c.__name__ for c in calls if c is not None and not _on_loop(c)]
    assert sync == []


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every APIRoute, also those inside included routers (kept nested by FastAPI)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _api_routes(inner.routes)


def test_no_route_runs_a_dependency_or_endpoint_in_the_threadpool(app) -> None:  # type: ignore[no-untyped-def]
    routes = list(_api_routes(app.routes))
    assert len(routes) > 200
    sync = sorted(
        {
            f"{route.path}: {call.__module__}.{call.__name__}"
            for route in routes
            for call in (route.dependant.call, *_calls(route.dependant))
            if call is not None and not _on_loop(call)
        }
    )
    assert sync == []
