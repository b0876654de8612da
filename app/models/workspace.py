from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, IdMixin, TimestampMixin, VersionMixin


class Workspace(IdMixin, TimestampMixin, VersionMixin, Base):
    """A tenant. Its own row is visible only inside a transaction bound to it."""

    __tablename__ = "workspaces"

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="Asia/Shanghai")
    default_locale: Mapped[str] = mapped_column(String(10), nullable=False, default="zh-CN")
    #: workspace-level policies (customer levels, duplicate policy, ...); see settings schemas
    settings: Mapped[dict[str, Any]] = mapped_column(
        JSONB, nullable=False, default=dict, server_default="{}"
    )
