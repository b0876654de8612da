"""Receivables (回款): a contract's installments, the payments received against them and
the invoices issued for it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    FetchedValue,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import (
    Base,
    IdMixin,
    TenantEntity,
    TimestampMixin,
    VersionMixin,
    WorkspaceMixin,
    tenant_fk,
)
from app.models.contracts import Contract

#: the partial-index predicate of installments owed on approved contracts
OPEN_RECEIVABLE = "receivable AND voided_at IS NULL AND allocated_amount < amount"


class Installment(WorkspaceMixin, IdMixin, TimestampMixin, VersionMixin, Base):
    """One installment of a contract's payment plan (回款计划).

    Its status is never stored: it is derived from amount, `allocated_amount`, due date,
    the workspace's today and `voided_at`. `allocated_amount` is the sum of the payment
    allocations to it, kept in the same transaction under the contract's row lock; the
    check constraint makes over-allocation impossible even for a buggy caller.
    """

    __tablename__ = "installments"
    __table_args__ = (
        tenant_fk(["contract_id"], "contracts", ondelete="CASCADE"),
        Index("ix_installments_workspace_id_contract", "workspace_id", "contract_id", "number"),
        # open installments by due date: aging, cash-in calendar and the overdue job
        Index(
            "ix_installments_workspace_id_open_due",
            "workspace_id",
            "due_date",
            postgresql_where=text("voided_at IS NULL AND allocated_amount < amount"),
        ),
        Index("ix_installments_workspace_id_due_date", "workspace_id", "due_date", "id"),
        # aging (ranked over all, detailed per customer) and the cash-in calendar (by due
        # date): open installments of approved contracts, covering what they sum
        Index(
            "ix_installments_receivable_open",
            "workspace_id",
            "customer_id",
            "currency",
            postgresql_include=[
                "owner_id",
                "due_date",
                "amount",
                "allocated_amount",
            ],
            postgresql_where=text(OPEN_RECEIVABLE),
        ),
        Index(
            "ix_installments_receivable_open_due",
            "workspace_id",
            "due_date",
            postgresql_include=["owner_id", "currency", "amount", "allocated_amount"],
            postgresql_where=text(OPEN_RECEIVABLE),
        ),
        # DSO: what fell due in a window, paid or not
        Index(
            "ix_installments_receivable_due",
            "workspace_id",
            "due_date",
            postgresql_include=["owner_id", "currency", "amount"],
            postgresql_where=text("receivable AND voided_at IS NULL"),
        ),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "allocated_amount >= 0 AND allocated_amount <= amount", name="allocation_within_amount"
        ),
    )
    __scope_module__ = "receivables"
    # in scope through the contract's owner, copied onto the installment (below)
    __owner_column__ = "owner_id"

    contract_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    #: 1, 2, 3 ... in due-date order within the plan
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
    allocated_amount: Mapped[Decimal] = mapped_column(
        Numeric(18, 2), nullable=False, default=Decimal("0.00"), server_default=text("0")
    )
    note: Mapped[str | None] = mapped_column(String(500))
    voided_at: Mapped[datetime | None] = mapped_column()
    void_reason: Mapped[str | None] = mapped_column(String(500))
    #: markers of the reminder job (once per installment), not a status
    reminder_notified_at: Mapped[datetime | None] = mapped_column()
    overdue_notified_at: Mapped[datetime | None] = mapped_column()
    # Copied from the contract by database triggers whenever either side changes (migration
    # `cash_speed`, ADR 8): aging, DSO and the cash-in calendar read them without a join.
    # Never set them in code.
    customer_id: Mapped[uuid.UUID] = mapped_column(nullable=False, server_default=FetchedValue())
    owner_id: Mapped[uuid.UUID | None] = mapped_column(server_default=FetchedValue())
    currency: Mapped[str] = mapped_column(String(3), nullable=False, server_default=FetchedValue())
    #: the contract is approved (active, expired or terminated) and not deleted
    receivable: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))


class Payment(TenantEntity, Base):
    """Money received (回款) for a contract, allocated to its installments; what is not
    allocated (an overpayment the caller marked as such) is the payment's credit."""

    __tablename__ = "payments"
    __table_args__ = (
        tenant_fk(["contract_id"], "contracts", ondelete="CASCADE"),
        Index("ix_payments_workspace_id_contract", "workspace_id", "contract_id", "received_on"),
        Index("ix_payments_workspace_id_received_on", "workspace_id", "received_on", "id"),
        # payments received per contract owner in a period (targets, commission): index-only
        Index(
            "ix_payments_workspace_id_received_live",
            "workspace_id",
            "received_on",
            postgresql_include=["contract_id", "amount", "currency"],
            postgresql_where=text("voided_at IS NULL AND deleted_at IS NULL"),
        ),
        Index("ix_payments_workspace_id_created_at", "workspace_id", "created_at", "id"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "allocated_amount >= 0 AND allocated_amount <= amount", name="allocation_within_amount"
        ),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        Index(
            "uq_payments_workspace_id_external",
            "workspace_id",
            "external_source",
            "external_id",
            unique=True,
            postgresql_where=text("external_id IS NOT NULL AND deleted_at IS NULL"),
        ),
    )
    __scope_module__ = "receivables"
    __scope_parent__ = ("contract_id", Contract)

    contract_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    reference: Mapped[str | None] = mapped_column(String(120))
    #: the caller accepted that more than the outstanding amount was received
    overpayment: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    allocated_amount: Mapped[Decimal] = mapped_column(
        Numeric(18, 2), nullable=False, default=Decimal("0.00"), server_default=text("0")
    )
    voided_at: Mapped[datetime | None] = mapped_column()
    void_reason: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
    #: the payment's id in a bank feed or ERP (upserted by external id)
    external_source: Mapped[str | None] = mapped_column(String(60))
    external_id: Mapped[str | None] = mapped_column(String(120))


class PaymentAllocation(WorkspaceMixin, IdMixin, Base):
    __tablename__ = "payment_allocations"
    __table_args__ = (
        tenant_fk(["payment_id"], "payments", ondelete="CASCADE"),
        # no cascade: an installment with money on it cannot disappear
        tenant_fk(["installment_id"], "installments"),
        Index(
            "uq_payment_allocations_payment_installment",
            "workspace_id",
            "payment_id",
            "installment_id",
            unique=True,
        ),
        Index("ix_payment_allocations_workspace_id_installment", "workspace_id", "installment_id"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )
    __scope_module__ = "receivables"

    payment_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    installment_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)


INVOICE_STATUSES = ("requested", "issued", "void")
INVOICE_TYPES = ("normal", "special", "other")


class Invoice(TenantEntity, Base):
    """An invoice (发票) for a contract: 普票 (normal), 专票 (special VAT) or other."""

    __tablename__ = "invoices"
    __table_args__ = (
        tenant_fk(["contract_id"], "contracts", ondelete="CASCADE"),
        Index("ix_invoices_workspace_id_contract", "workspace_id", "contract_id"),
        Index("ix_invoices_workspace_id_created_at", "workspace_id", "created_at", "id"),
        Index(
            "uq_invoices_workspace_id_number",
            "workspace_id",
            "number",
            unique=True,
            postgresql_where=text("number IS NOT NULL AND status <> 'void'"),
        ),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("tax_rate >= 0 AND tax_rate < 1", name="tax_rate_range"),
        CheckConstraint("status IN ('requested', 'issued', 'void')", name="status"),
        CheckConstraint("invoice_type IN ('normal', 'special', 'other')", name="invoice_type"),
        CheckConstraint("status <> 'issued' OR number IS NOT NULL", name="issued_has_number"),
    )
    __scope_module__ = "receivables"
    __scope_parent__ = ("contract_id", Contract)

    contract_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    number: Mapped[str | None] = mapped_column(String(40))
    #: 发票抬头: the buyer's name as printed
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    taxpayer_id: Mapped[str | None] = mapped_column(String(30))
    invoice_type: Mapped[str] = mapped_column(String(10), nullable=False, default="normal")
    #: tax-inclusive amount, in the contract's currency
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4), nullable=False)
    tax_amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    issued_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="requested")
    void_reason: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
