from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Identity, Index, String, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import UserDefinedType

from app.core.models import Base, WorkspaceMixin


class Xid8(UserDefinedType[int]):
    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "xid8"


class Event(WorkspaceMixin, Base):
    """The transactional outbox: one row per mutation, the source of webhooks and `/events`.

    Readers go in `(txid, id)` order up to the oldest transaction still running
    (`app.events.repository.read_stream`), so a remembered position never passes an event
    that commits later.
    """

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_workspace_id_type_id", "workspace_id", "type", "id"),
        Index("ix_events_workspace_id_occurred_at", "workspace_id", "occurred_at"),
        # the feed and the webhook dispatcher read in (txid, id) order
        Index("ix_events_workspace_id_txid_id", "workspace_id", "txid", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    type: Mapped[str] = mapped_column(String(80), nullable=False)
    entity: Mapped[str] = mapped_column(String(60), nullable=False)
    entity_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    sequence: Mapped[int] = mapped_column(nullable=False)
    occurred_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    changed_fields: Mapped[list[str]] = mapped_column(ARRAY(String(80)), nullable=False)
    previous: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    txid: Mapped[int] = mapped_column(
        Xid8(), server_default=text("pg_current_xact_id()"), nullable=False
    )


# let reflection (alembic check) recognise the column type
from sqlalchemy.dialects.postgresql import base as _pg_base  # noqa: E402

_pg_base.ischema_names.setdefault("xid8", Xid8)
