from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field, model_validator

from app.contracts.money import CurrencyCode, MoneyOut
from app.core.schemas import RequestSchema, ResponseSchema


class InstallmentStatus(StrEnum):
    pending = "pending"
    partially_paid = "partially_paid"
    paid = "paid"
    overdue = "overdue"
    void = "void"


class PaymentMethod(StrEnum):
    bank_transfer = "bank_transfer"
    cash = "cash"
    alipay = "alipay"
    wechat_pay = "wechat_pay"
    cheque = "cheque"
    other = "other"


class InvoiceType(StrEnum):
    normal = "normal"  # 增值税普通发票 (普票)
    special = "special"  # 增值税专用发票 (专票)
    other = "other"


class InvoiceStatus(StrEnum):
    requested = "requested"
    issued = "issued"
    void = "void"


# --- installments and payment plans ------------------------------------------------------


class InstallmentPayment(ResponseSchema):
    payment_id: uuid.UUID = Field(description="Payment")
    amount: MoneyOut = Field(description="Part of the payment allocated to this installment")
    received_on: date = Field(description="When the payment was received")
    method: PaymentMethod = Field(description="How it was paid")
    reference: str | None = Field(description="Bank or payment reference")


class Installment(ResponseSchema):
    id: uuid.UUID = Field(description="Installment id")
    contract_id: uuid.UUID = Field(description="Contract")
    contract_number: str = Field(description="Contract number")
    customer_id: uuid.UUID = Field(description="Customer")
    customer_name: str | None = Field(description="Customer's name")
    owner_id: uuid.UUID | None = Field(description="Contract owner (collects it)")
    currency: str = Field(description="The contract's currency")
    number: int = Field(description="1, 2, 3 ... in due-date order")
    due_date: date = Field(description="Due date")
    amount: MoneyOut = Field(description="Amount due")
    paid: MoneyOut = Field(description="Allocated from payments")
    outstanding: MoneyOut = Field(description="amount − paid (0 when void)")
    status: InstallmentStatus = Field(
        description="Derived on every read: void, paid, overdue (past due, not fully "
        "paid), partially_paid, pending"
    )
    days_overdue: int = Field(description="Days past the due date while not paid (else 0)")
    note: str | None = Field(description="Note")
    voided_at: datetime | None = Field(description="Voided at")
    void_reason: str | None = Field(description="Why it was voided")
    updated_at: datetime = Field(description="Last changed at")
    version: int = Field(description="Version")


class InstallmentDetail(Installment):
    payments: list[InstallmentPayment] = Field(description="Payments allocated to it")


class PaymentPlan(ResponseSchema):
    contract_id: uuid.UUID = Field(description="Contract")
    currency: str = Field(description="Currency of every amount")
    contract_amount: MoneyOut = Field(description="Contract amount")
    planned: MoneyOut = Field(description="Sum of the installments that are not void")
    paid: MoneyOut = Field(description="Sum allocated to installments")
    outstanding: MoneyOut = Field(description="Still to be paid")
    installments: list[Installment] = Field(description="Installments in due-date order")


class PlanInstallment(RequestSchema):
    id: uuid.UUID | None = Field(
        default=None, description="Keep (and change) this existing installment; omit for a new one"
    )
    due_date: date = Field(description="Due date")
    amount: Decimal = Field(gt=0, max_digits=18, decimal_places=2, description="Amount")
    note: str | None = Field(default=None, max_length=500, description="Note")


class PaymentPlanReplace(RequestSchema):
    installments: list[PlanInstallment] = Field(
        max_length=120,
        description="The whole plan; must add up to the contract amount. Installments left "
        "out are deleted (refused while payments are allocated to them).",
    )


class InstallmentVoid(RequestSchema):
    reason: str = Field(min_length=1, max_length=500, description="Why (write-off), audited")


# --- payments ----------------------------------------------------------------------------


class AllocationRequest(RequestSchema):
    installment_id: uuid.UUID = Field(description="Installment of the payment's contract")
    amount: Decimal = Field(gt=0, max_digits=18, decimal_places=2, description="Amount")


class PaymentCreate(RequestSchema):
    contract_id: uuid.UUID = Field(description="Contract paid for")
    amount: Decimal = Field(gt=0, max_digits=18, decimal_places=2, description="Amount received")
    currency: CurrencyCode = Field(description="Must be the contract's currency")
    received_on: date | None = Field(default=None, description="Received on (default: today)")
    method: PaymentMethod = Field(description="How it was paid")
    reference: str | None = Field(default=None, max_length=120, description="Bank reference")
    allocations: list[AllocationRequest] | None = Field(
        default=None,
        max_length=120,
        description="Where the money goes; omit to allocate oldest installment first",
    )
    overpayment: bool = Field(
        default=False,
        description="Accept more than is outstanding; the rest stays on the payment as credit",
    )
    notes: str | None = Field(default=None, max_length=5000, description="Notes")
    external_source: str | None = Field(
        default=None, max_length=60, description="System it came from (bank feed, ERP)"
    )
    external_id: str | None = Field(default=None, max_length=120, description="Its id there")

    @model_validator(mode="after")
    def _external_pair(self) -> PaymentCreate:
        if (self.external_id is None) != (self.external_source is None):
            raise ValueError("external_source and external_id go together")
        return self


class PaymentAllocationLine(ResponseSchema):
    installment_id: uuid.UUID = Field(description="Installment")
    installment_number: int = Field(description="Its number in the plan")
    due_date: date = Field(description="Its due date")
    amount: MoneyOut = Field(description="Amount allocated")


class Payment(ResponseSchema):
    id: uuid.UUID = Field(description="Payment id")
    contract_id: uuid.UUID = Field(description="Contract")
    contract_number: str = Field(description="Contract number")
    customer_id: uuid.UUID = Field(description="Customer")
    customer_name: str | None = Field(description="Customer's name")
    amount: MoneyOut = Field(description="Amount received")
    currency: str = Field(description="Currency")
    received_on: date = Field(description="Received on")
    method: PaymentMethod = Field(description="How it was paid")
    reference: str | None = Field(description="Bank or payment reference")
    overpayment: bool = Field(description="Marked as overpayment (credit allowed)")
    allocated: MoneyOut = Field(description="Allocated to installments")
    credit: MoneyOut = Field(description="Not allocated: the customer's credit")
    allocations: list[PaymentAllocationLine] = Field(description="Where the money went")
    external_source: str | None = Field(description="System it came from (bank feed, ERP)")
    external_id: str | None = Field(description="Its id there")
    voided_at: datetime | None = Field(description="Voided at (allocations were freed)")
    void_reason: str | None = Field(description="Why it was voided")
    notes: str | None = Field(description="Notes")
    created_by: uuid.UUID | None = Field(description="Recorded by")
    created_at: datetime = Field(description="Recorded at")
    version: int = Field(description="Version")


class PaymentVoid(RequestSchema):
    reason: str = Field(min_length=1, max_length=500, description="Why (audited)")


# --- invoices ----------------------------------------------------------------------------


class Invoice(ResponseSchema):
    id: uuid.UUID = Field(description="Invoice id")
    contract_id: uuid.UUID = Field(description="Contract")
    number: str | None = Field(description="Invoice number (once issued)")
    title: str = Field(description="发票抬头: buyer name as printed")
    taxpayer_id: str | None = Field(description="Buyer's taxpayer id (纳税人识别号)")
    invoice_type: InvoiceType = Field(description="normal (普票), special (专票), other")
    amount: MoneyOut = Field(description="Amount including tax")
    tax_rate: Decimal = Field(description="Tax rate, e.g. 0.13")
    tax_amount: MoneyOut = Field(description="Tax included in amount: amount × rate / (1 + rate)")
    currency: str = Field(description="The contract's currency")
    issued_on: date | None = Field(description="Issued on")
    status: InvoiceStatus = Field(description="requested → issued; either → void")
    void_reason: str | None = Field(description="Why it was voided")
    notes: str | None = Field(description="Notes")
    created_at: datetime = Field(description="Requested at")
    version: int = Field(description="Version")


class InvoiceCreate(RequestSchema):
    contract_id: uuid.UUID = Field(description="Contract")
    title: str = Field(min_length=1, max_length=200, description="发票抬头")
    taxpayer_id: str | None = Field(
        default=None,
        pattern="^[0-9A-Z]{15,20}$",
        description="Taxpayer id (required for 专票)",
    )
    invoice_type: InvoiceType = Field(default=InvoiceType.normal, description="Type")
    amount: Decimal = Field(
        gt=0, max_digits=18, decimal_places=2, description="Amount including tax"
    )
    tax_rate: Decimal = Field(ge=0, lt=1, max_digits=5, decimal_places=4, description="e.g. 0.13")
    currency: CurrencyCode | None = Field(
        default=None, description="Must be the contract's currency (default: it)"
    )
    number: str | None = Field(
        default=None, min_length=1, max_length=40, description="Give it to record as issued"
    )
    issued_on: date | None = Field(default=None, description="Issued on (with number)")
    notes: str | None = Field(default=None, max_length=5000, description="Notes")


class InvoiceIssue(RequestSchema):
    number: str = Field(min_length=1, max_length=40, description="Invoice number")
    issued_on: date | None = Field(default=None, description="Issued on (default: today)")


class InvoiceVoid(RequestSchema):
    reason: str = Field(min_length=1, max_length=500, description="Why (audited)")


# --- aging, DSO, cash-in -----------------------------------------------------------------


class AgingGroupBy(StrEnum):
    customer = "customer"
    owner = "owner"
    team = "team"


class AgingBuckets(ResponseSchema):
    currency: str = Field(description="Currency of the amounts")
    current: MoneyOut = Field(description="Not yet past due")
    days_1_30: MoneyOut = Field(description="1–30 days past due")
    days_31_60: MoneyOut = Field(description="31–60 days past due")
    days_61_90: MoneyOut = Field(description="61–90 days past due")
    days_over_90: MoneyOut = Field(description="More than 90 days past due")
    total: MoneyOut = Field(description="All outstanding")
    installments: int = Field(description="Open installments counted")


class AgingRow(AgingBuckets):
    key: uuid.UUID | None = Field(description="Customer, owner or team id (null: none)")
    label: str | None = Field(description="Its name")


class Dso(ResponseSchema):
    currency: str = Field(description="Currency")
    days: Decimal | None = Field(description="Days sales outstanding (null without sales)")
    receivables_due: MoneyOut = Field(description="Outstanding on installments due by as_of")
    billed: MoneyOut = Field(description="Installments falling due in the window")
    window_days: int = Field(description="Window length (90)")


class AgingReport(ResponseSchema):
    as_of: date = Field(description="Day the days past due are counted to")
    group_by: AgingGroupBy = Field(description="Grouping of `data`")
    data: list[AgingRow] = Field(description="Groups, largest total first")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")
    has_more: bool = Field(description="Whether another page follows")
    totals: list[AgingBuckets] = Field(description="All groups, per currency")
    dso: list[Dso] = Field(
        description="DSO = receivables due ÷ installments billed in the 90 days to as_of × 90"
    )


class CashInPeriod(StrEnum):
    week = "week"
    month = "month"


class CashInBucket(ResponseSchema):
    start: date = Field(description="First day of the period (weeks start Monday)")
    end: date = Field(description="Last day of the period")
    currency: str = Field(description="Currency")
    amount: MoneyOut = Field(description="Outstanding on installments due in the period")
    installments: int = Field(description="Open installments due in the period")


class CashInOverdue(ResponseSchema):
    currency: str = Field(description="Currency")
    amount: MoneyOut = Field(description="Outstanding on installments already past due")
    installments: int = Field(description="Overdue installments")


class CashInCalendar(ResponseSchema):
    period: CashInPeriod = Field(description="Bucket size")
    start: date = Field(description="First day covered")
    end: date = Field(description="Last day covered")
    overdue: list[CashInOverdue] = Field(description="Already late, per currency")
    data: list[CashInBucket] = Field(description="Expected cash-in per period and currency")
