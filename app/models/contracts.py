"""Contracts (合同): numbered per workspace, approved once, the root of a payment plan."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Index, Integer, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, TenantEntity, WorkspaceMixin, tenant_fk

CONTRACT_STATUSES = ("draft", "pending_approval", "active", "expired", "terminated")


class Contract(TenantEntity, Base):
    __tablename__ = "contracts"
    __table_args__ = (
        # no cascade: a customer with contracts is refused deletion (customers' delete
        # guard), and the database refuses it too, so payments never vanish with a customer
        tenant_fk(["customer_id"], "customers", ondelete="RESTRICT"),
        tenant_fk(["owner_id"], "users", ondelete="SET NULL"),
        tenant_fk(["opportunity_id"], "opportunities", ondelete="SET NULL"),
        Index("uq_contracts_workspace_id_number", "workspace_id", "number", unique=True),
        Index("ix_contracts_workspace_id_customer_id", "workspace_id", "customer_id"),
        Index(
            "ix_contracts_workspace_id_opportunity",
            "workspace_id",
            "opportunity_id",
            postgresql_where=text("opportunity_id IS NOT NULL"),
        ),
        Index("ix_contracts_workspace_id_owner_status", "workspace_id", "owner_id", "status"),
        Index("ix_contracts_workspace_id_status_ends_on", "workspace_id", "status", "ends_on"),
        Index("ix_contracts_workspace_id_created_at", "workspace_id", "created_at", "id"),
        Index("ix_contracts_workspace_id_updated_at", "workspace_id", "updated_at", "id"),
        Index(
            "uq_contracts_workspace_id_external",
            "workspace_id",
            "external_source",
            "external_id",
            unique=True,
            postgresql_where=text("external_id IS NOT NULL AND deleted_at IS NULL"),
        ),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        CheckConstraint(
            "status IN ('draft', 'pending_approval', 'active', 'expired', 'terminated')",
            name="status",
        ),
        CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="period"
        ),
    )
    __scope_module__ = "contracts"
    __owner_column__ = "owner_id"

    #: e.g. HT-2026-0001: prefix, year, per-workspace-and-year sequence
    number: Mapped[str] = mapped_column(String(40), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    customer_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="CNY")
    signed_on: Mapped[date | None] = mapped_column(Date)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft")
    submitted_at: Mapped[datetime | None] = mapped_column()
    submitted_by: Mapped[uuid.UUID | None] = mapped_column()
    #: the last approval decision (approve / reject); the audit log keeps every step
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by: Mapped[uuid.UUID | None] = mapped_column()
    decision_comment: Mapped[str | None] = mapped_column(String(1000))
    terminated_at: Mapped[datetime | None] = mapped_column()
    termination_reason: Mapped[str | None] = mapped_column(String(1000))
    #: set by the daily job once the renewal reminder went out (once per end date)
    renewal_notified_at: Mapped[datetime | None] = mapped_column()
    notes: Mapped[str | None] = mapped_column(Text)
    external_source: Mapped[str | None] = mapped_column(String(60))
    external_id: Mapped[str | None] = mapped_column(String(120))


class ContractCounter(WorkspaceMixin, Base):
    """The per-workspace, per-year contract number sequence (one row per year).

    Incremented with INSERT ... ON CONFLICT DO UPDATE ... RETURNING, which takes the row
    lock, so parallel creates get distinct numbers and a rolled-back create gives its
    number back.
    """

    __tablename__ = "contract_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
