from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from app.contracts.money import CurrencyCode, MoneyOut
from app.core.schemas import RequestSchema, ResponseSchema


class ContractStatus(StrEnum):
    draft = "draft"
    pending_approval = "pending_approval"
    active = "active"
    expired = "expired"
    terminated = "terminated"


class ContractTotals(ResponseSchema):
    """Money of one contract, all in its currency."""

    planned: MoneyOut = Field(description="Sum of the installments that are not void")
    received: MoneyOut = Field(description="Sum of the payments that are not void")
    allocated: MoneyOut = Field(description="Part of the payments allocated to installments")
    credit: MoneyOut = Field(description="Received but not allocated (overpayments)")
    outstanding: MoneyOut = Field(description="Still to be paid on installments that are not void")
    overdue: MoneyOut = Field(description="Part of `outstanding` already past its due date")
    invoiced: MoneyOut = Field(description="Sum of issued invoices")
    invoice_requested: MoneyOut = Field(description="Sum of requested, not yet issued invoices")


class Contract(ResponseSchema):
    id: uuid.UUID = Field(description="Contract id")
    number: str = Field(description="Contract number, e.g. HT-2026-0001")
    title: str = Field(description="Title")
    customer_id: uuid.UUID = Field(description="Customer")
    customer_name: str | None = Field(description="Customer's name")
    opportunity_id: uuid.UUID | None = Field(description="Deal it came from")
    owner_id: uuid.UUID | None = Field(description="Owner (collects the money)")
    amount: MoneyOut = Field(description="Contract amount")
    currency: str = Field(description="ISO 4217 currency of every amount of this contract")
    signed_on: date | None = Field(description="Sign date")
    starts_on: date | None = Field(description="Start")
    ends_on: date | None = Field(description="End")
    status: ContractStatus = Field(
        description="draft → pending_approval → active → expired | terminated"
    )
    submitted_at: datetime | None = Field(description="Submitted for approval at")
    submitted_by: uuid.UUID | None = Field(description="Submitted by")
    decided_at: datetime | None = Field(description="Last approval decision at")
    decided_by: uuid.UUID | None = Field(description="Last approval decision by")
    decision_comment: str | None = Field(description="Comment of the last decision")
    terminated_at: datetime | None = Field(description="Terminated at")
    termination_reason: str | None = Field(description="Why it was terminated")
    notes: str | None = Field(description="Notes")
    totals: ContractTotals = Field(description="Planned, received, invoiced, outstanding")
    created_at: datetime = Field(description="Created at")
    updated_at: datetime = Field(description="Last changed at")
    version: int = Field(description="Version (ETag)")


class ContractCreate(RequestSchema):
    title: str | None = Field(
        default=None, min_length=1, max_length=200, description="Title (default: the deal's name)"
    )
    customer_id: uuid.UUID | None = Field(
        default=None, description="Customer (default: the deal's customer)"
    )
    opportunity_id: uuid.UUID | None = Field(
        default=None, description="Deal; prefills customer, title, amount and currency"
    )
    owner_id: uuid.UUID | None = Field(default=None, description="Owner (default: you)")
    amount: Decimal | None = Field(
        default=None,
        ge=0,
        max_digits=18,
        decimal_places=2,
        description="Contract amount (default: the deal's amount)",
    )
    currency: CurrencyCode | None = Field(
        default=None, description="ISO 4217 currency (default: the deal's, else CNY)"
    )
    signed_on: date | None = Field(default=None, description="Sign date")
    starts_on: date | None = Field(default=None, description="Start")
    ends_on: date | None = Field(default=None, description="End")
    notes: str | None = Field(default=None, max_length=10_000, description="Notes")


class ContractUpdate(RequestSchema):
    """Drafts change freely; once approved the money terms are fixed (see the service)."""

    title: str | None = Field(default=None, min_length=1, max_length=200, description="Title")
    customer_id: uuid.UUID | None = Field(default=None, description="Customer (drafts)")
    opportunity_id: uuid.UUID | None = Field(default=None, description="Deal (drafts)")
    owner_id: uuid.UUID | None = Field(default=None, description="Owner (managers and admins)")
    amount: Decimal | None = Field(
        default=None, ge=0, max_digits=18, decimal_places=2, description="Amount (drafts)"
    )
    currency: CurrencyCode | None = Field(default=None, description="Currency (drafts)")
    signed_on: date | None = Field(default=None, description="Sign date (drafts)")
    starts_on: date | None = Field(default=None, description="Start (drafts)")
    ends_on: date | None = Field(default=None, description="End (drafts and active contracts)")
    notes: str | None = Field(default=None, max_length=10_000, description="Notes")


class ContractComment(RequestSchema):
    comment: str | None = Field(default=None, max_length=1000, description="Comment (audited)")


class ContractRejection(RequestSchema):
    comment: str = Field(min_length=1, max_length=1000, description="Why (required, audited)")


class ContractTermination(RequestSchema):
    reason: str = Field(min_length=1, max_length=1000, description="Why (required, audited)")
    void_unpaid_installments: bool = Field(
        default=True,
        description="Void the installments not fully paid: nothing more is expected",
    )


class ContractSettings(ResponseSchema):
    number_prefix: str = Field(description="Contract numbers are <prefix>-<year>-<0001>")
    renewal_reminder_days: int = Field(description="Remind the owner this many days before end")
    payment_reminder_days: int = Field(
        description="Remind the owner this many days before an installment is due"
    )


class ContractSettingsUpdate(RequestSchema):
    number_prefix: str | None = Field(
        default=None, pattern="^[A-Za-z0-9]{1,10}$", description="1–10 letters or digits"
    )
    renewal_reminder_days: int | None = Field(default=None, ge=0, le=365, description="0 = off")
    payment_reminder_days: int | None = Field(default=None, ge=0, le=90, description="0 = off")
