"""One pure-ASGI middleware: request id, body size limit, access log and metrics."""

from __future__ import annotations

import functools
import logging
import time
import uuid
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.context import set_request_id
from app.errors import problem_response

logger = logging.getLogger("rapport.access")

API_PREFIX = "/api/v1"

REQUESTS = Counter("rapport_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "rapport_http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


@functools.lru_cache(maxsize=4096)
def _series(method: str, route: str, status: int) -> tuple[Any, Any]:
    """The metric children of one (method, route template, status): `labels()` validates and
    locks on every call; routes are templates, so the set is small."""
    return REQUESTS.labels(method, route, str(status)), LATENCY.labels(method, route)


class _BodyTooLarge(Exception):
    pass


class RequestMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if 0 < len(incoming) <= 64 else uuid.uuid4().hex
        set_request_id(request_id)
        started = time.perf_counter()
        original_path = scope["path"]
        status_holder: dict[str, Any] = {"status": 500, "sent": False, "too_large": False}

        async def send_wrapper(message: Message) -> None:
            if status_holder["too_large"]:
                # the app answered a body we cut off (e.g. "error parsing the body"):
                # the client gets the 413 that explains it instead
                if message["type"] == "http.response.start" and not status_holder["sent"]:
                    status_holder["sent"] = True
                    await self._too_large(scope, receive, send_plain)
                return
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["sent"] = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        async def send_plain(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._too_large(scope, receive, send_wrapper)
            self._observe(scope, original_path, status_holder["status"], started)
            return

        received = 0

        async def receive_wrapper() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    status_holder["too_large"] = True
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, receive_wrapper, send_wrapper)
        except _BodyTooLarge:
            if not status_holder["sent"]:
                status_holder["sent"] = True
                await self._too_large(scope, receive, send_plain)
        finally:
            self._observe(scope, original_path, status_holder["status"], started)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            413,
            "payload_too_large",
            "Request body too large",
            f"Bodies are limited to {self.max_body} bytes.",
        )
        await response(scope, receive, send)

    def _observe(self, scope: Scope, original: str, status: int, started: float) -> None:
        elapsed = time.perf_counter() - started
        route = scope.get("route")
        path = getattr(route, "path", None)
        if path is None or path == "/{path:path}":
            path = "unmatched" if original.startswith("/api") else "spa"
        elif original.startswith(API_PREFIX) and not path.startswith(API_PREFIX):
            path = API_PREFIX + path  # routes of included routers carry no prefix
        counter, histogram = _series(scope["method"], path, status)
        counter.inc()
        histogram.observe(elapsed)
        if original not in ("/healthz", "/metrics") and logger.isEnabledFor(logging.INFO):
            logger.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": original,
                    "status": status,
                    "ms": round(elapsed * 1000, 1),
                },
            )


#: what anyone's website may call from a browser: the public form endpoints
PUBLIC_PREFIX = "/api/v1/public/"


class PublicCORS:
    """Cross-origin POSTs to the public endpoints: an embedded web form lives on the
    workspace's own website, not on Rapport's origin. No credentials are allowed, so a
    browser never sends a Rapport session along; everything else stays same-origin."""

    def __init__(self, app: ASGIApp) -> None:
        from starlette.middleware.cors import CORSMiddleware

        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["POST"],
            allow_headers=["content-type", "idempotency-key"],
            allow_credentials=False,
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(PUBLIC_PREFIX):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
