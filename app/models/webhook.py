"""Webhook endpoints, their deliveries (one per event × endpoint) and each delivery attempt.

A delivery's id is its Standard Webhooks `webhook-id` (`msg_<hex>`): it is fixed when the
event is fanned out and stays the same across retries, redeliveries and worker crashes, so
receivers can deduplicate.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, IdMixin, TenantEntity, WorkspaceMixin, tenant_fk
from app.models.event import Xid8


class WebhookEndpoint(TenantEntity, Base):
    """Where events are sent. `secret` is kept raw (signing needs it) and never listed."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (
        Index("ix_webhook_endpoints_workspace_id_created_at", "workspace_id", "created_at"),
    )
    __scope_module__ = "integrations"

    url: Mapped[str] = mapped_column(String(2000), nullable=False)
    description: Mapped[str | None] = mapped_column(String(500))
    #: `customer.created`, `customer.*` or `*`
    event_types: Mapped[list[str]] = mapped_column(ARRAY(String(100)), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    #: only events that happened since the endpoint was last switched on are sent to it
    active_since: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    secret: Mapped[str] = mapped_column(String(100), nullable=False)
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column()
    #: why it was switched off: `manual`, `gone` (410) or `failing` (repeated failure)
    disabled_reason: Mapped[str | None] = mapped_column(String(20))
    disabled_at: Mapped[datetime | None] = mapped_column()
    #: deliveries that exhausted their retries since the last success
    consecutive_failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_success_at: Mapped[datetime | None] = mapped_column()
    last_failure_at: Mapped[datetime | None] = mapped_column()

    @property
    def secret_prefix(self) -> str:
        return self.secret[:10] + "…"


class WebhookDelivery(WorkspaceMixin, IdMixin, Base):
    """One message to one endpoint: the event's payload, its state and the retry schedule.

    `locked_until` is a lease: a worker claims a due row by setting it, sends, then clears
    it. A worker killed mid-send leaves the lease to expire and the row is claimed again,
    so the message is re-sent with the same id (at least once).
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        tenant_fk(["endpoint_id"], "webhook_endpoints", ondelete="CASCADE"),
        Index(
            "ix_webhook_deliveries_workspace_id_endpoint_id_created_at",
            "workspace_id",
            "endpoint_id",
            "created_at",
            "id",
        ),
        # the log filtered by status ("show failed ones") without reading the whole log
        Index(
            "ix_webhook_deliveries_workspace_id_endpoint_id_status",
            "workspace_id",
            "endpoint_id",
            "status",
            "created_at",
            "id",
        ),
        Index(
            "uq_webhook_deliveries_workspace_id_endpoint_id_event_id",
            "workspace_id",
            "endpoint_id",
            "event_id",
            unique=True,
            postgresql_where=text("event_id IS NOT NULL"),
        ),
        Index(
            "ix_webhook_deliveries_workspace_id_due",
            "workspace_id",
            "next_attempt_at",
            postgresql_where=text("status = 'pending'"),
        ),
        # the nightly purge walks the log oldest first
        Index("ix_webhook_deliveries_workspace_id_created_at", "workspace_id", "created_at"),
    )
    __scope_module__ = "integrations"

    endpoint_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    #: the outbox event; null for test events
    event_id: Mapped[int | None] = mapped_column(BigInteger)
    event_type: Mapped[str] = mapped_column(String(80), nullable=False)
    #: the body sent, `{type, timestamp, data}`; identical on every attempt
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    #: pending → delivered | failed
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: null while pending means parked: its endpoint is switched off
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    locked_until: Mapped[datetime | None] = mapped_column()
    #: the next attempt was asked for by a person (redeliver / test), not the schedule
    manual: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        server_default=func.now(), onupdate=func.now(), nullable=False
    )

    @property
    def webhook_id(self) -> str:
        return f"msg_{self.id.hex}"


class WebhookDeliveryAttempt(WorkspaceMixin, IdMixin, Base):
    """One HTTP request of a delivery. Written when the attempt starts, completed when it
    ends; one never completed was cut short by a stopped worker."""

    __tablename__ = "webhook_delivery_attempts"
    __table_args__ = (
        tenant_fk(["delivery_id"], "webhook_deliveries", ondelete="CASCADE"),
        Index(
            "uq_webhook_delivery_attempts_workspace_id_delivery_id_attempt",
            "workspace_id",
            "delivery_id",
            "attempt",
            unique=True,
        ),
    )
    __scope_module__ = "integrations"

    delivery_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    attempt: Mapped[int] = mapped_column(Integer, nullable=False)
    manual: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    started_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column()
    status_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    response_excerpt: Mapped[str | None] = mapped_column(String(1024))
    error: Mapped[str | None] = mapped_column(String(500))


class WebhookCursor(WorkspaceMixin, Base):
    """How far the dispatcher has fanned out the workspace's outbox.

    The position is the last event's `(txid, id)`, not its id alone: ids are handed out when
    a row is inserted, so a transaction that commits late can leave an event *behind* an id
    cursor that already moved past it. Every transaction with a txid below the snapshot's
    xmin has ended, so in `(txid, id)` order nothing can appear behind the cursor later.
    """

    __tablename__ = "webhook_cursors"

    last_txid: Mapped[int] = mapped_column(Xid8(), nullable=False)
    last_event_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        server_default=func.now(), onupdate=func.now(), nullable=False
    )
