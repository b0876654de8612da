"""Operation ids (`{tag}:{function}`), and the committed contract in openapi/openapi.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "openapi" / "openapi.json"


def operation_id(route: APIRoute) -> str:
    tag = str(route.tags[0]) if route.tags else "default"
    return f"{tag}:{route.name}"


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
