"""Entry point for uvicorn workers: `app.asgi:create` (factory)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from app.config import get_settings
from app.main import create_app


def create() -> FastAPI:
    settings = get_settings()
    url = os.environ.get("DATABASE_URL") or settings.database_url
    assert url, "DATABASE_URL must be set for app.asgi:create (rapport serve sets it)"
    return create_app(settings, url, run_worker=settings.in_process_worker)
