"""Rate-limit counters: one row per (workspace, caller, bucket, fixed window)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base


class RateLimitCounter(Base):
    """Hits of one API key or user in one window of one bucket (read, write, batch).

    UNLOGGED: counters are worth nothing after a crash, and skipping the WAL keeps the
    per-request increment cheap. No foreign key to workspaces: the increment commits on
    its own connection, before and regardless of the request's transaction (a rolled-back
    request still counts), and old windows are dropped by `rapport_rate_hit()` itself.
    """

    __tablename__ = "rate_limit_counters"
    __table_args__ = (
        PrimaryKeyConstraint("workspace_id", "subject", "bucket", "window_start"),
        {"prefixes": ["UNLOGGED"]},
    )

    workspace_id: Mapped[uuid.UUID] = mapped_column()
    #: the API key's id, or the user's for browser sessions
    subject: Mapped[uuid.UUID] = mapped_column()
    bucket: Mapped[str] = mapped_column(String(10))
    window_start: Mapped[datetime] = mapped_column()
    hits: Mapped[int] = mapped_column(Integer, nullable=False)
