"""Operation ids (`{tag}:{function}`), and the committed contract in openapi/openapi.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "openapi" / "openapi.json"


def operation_id(route: APIRoute) -> str:
    tag = str(route.tags[0]) if route.tags else "default"
    return f"{tag}:{route.name}"


_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_COMMON = {
    "400": "Bad request: malformed JSON, unknown query parameter, invalid cursor or header",
    "401": "Not authenticated",
    "403": "Forbidden: the role, API-key scope or CSRF check refuses the call",
    "422": "Validation failed (see `errors`)",
    "429": "Too many requests for this API key or user (see Retry-After and RateLimit)",
}


def _problems_everywhere(spec: dict[str, Any]) -> dict[str, Any]:
    """Every API operation documents the errors every operation can answer, all of them
    as `application/problem+json` with the Problem schema (the API has no other error
    body), so clients and contract tests know exactly what can come back."""
    from app.errors import FieldError, Problem

    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for model in (Problem, FieldError):
        schemas[model.__name__] = model.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
    for path, operations in spec.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, op in operations.items():
            responses = op.setdefault("responses", {})
            extra = dict(_COMMON)
            if "{" in path:
                extra["404"] = "Not found (or not yours)"
            if "requestBody" in op:
                extra["413"] = "Request body too large"
            if method in ("post", "patch", "put"):
                extra["409"] = (
                    "Conflict: a unique value already taken, or the same "
                    "Idempotency-Key still in flight"
                )
            if method in ("patch", "delete"):
                extra["412"] = "If-Match names a version that is no longer current"
            for status, text in extra.items():
                responses.setdefault(status, {"description": text})
            for status, response in responses.items():
                if status.isdigit() and int(status) >= 400:
                    response["content"] = {"application/problem+json": {"schema": _PROBLEM_REF}}
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return spec


def install(app: FastAPI) -> None:
    """Generate the contract once per process, with the error documentation applied."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _problems_everywhere(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                    tags=app.openapi_tags,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def render(app: FastAPI) -> str:
    spec: dict[str, Any] = app.openapi()
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def export(app: FastAPI, path: Path = CONTRACT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(app), encoding="utf-8")


def check(app: FastAPI, path: Path = CONTRACT) -> str | None:
    """None when the committed file matches the app; otherwise what to do about it."""
    if not path.exists():
        return f"{path} is missing; run `rapport openapi` (or `make openapi`)."
    if path.read_text(encoding="utf-8") != render(app):
        return f"{path} is out of date with the app; run `make openapi` and commit the result."
    return None
