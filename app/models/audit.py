from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, IdMixin, WorkspaceMixin


class AuditEntry(WorkspaceMixin, IdMixin, Base):
    """Who changed what: one row per mutation, written in the mutation's transaction."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_workspace_id_occurred_at", "workspace_id", "occurred_at", "id"),
        Index("ix_audit_log_workspace_id_entity_entity_id", "workspace_id", "entity", "entity_id"),
        Index("ix_audit_log_workspace_id_actor_id", "workspace_id", "actor_id", "occurred_at"),
    )
    __scope_module__ = "audit"
    __owner_column__ = "actor_id"

    occurred_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    actor_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    api_key_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    action: Mapped[str] = mapped_column(String(60), nullable=False)
    entity: Mapped[str] = mapped_column(String(60), nullable=False)
    entity_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
