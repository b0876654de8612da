from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import EmailStr, Field, field_validator, model_validator

from app.contracts.money import CurrencyCode, MoneyOut
from app.core.schemas import MAX_YEAR, MIN_YEAR, RequestSchema, ResponseSchema, in_years


class OrderStatus(StrEnum):
    pending = "pending"
    paid = "paid"
    shipped = "shipped"
    completed = "completed"
    cancelled = "cancelled"
    refunded = "refunded"


class OrderMatch(StrEnum):
    external_id = "external_id"
    phone = "phone"
    email = "email"
    manual = "manual"


class OrderLine(ResponseSchema):
    id: uuid.UUID = Field(description="Line id")
    product_id: uuid.UUID | None = Field(description="Catalogue product, if known")
    sku: str | None = Field(description="SKU")
    name: str = Field(description="Item name")
    quantity: Decimal = Field(description="Quantity")
    unit_price: MoneyOut = Field(description="Unit price")
    amount: MoneyOut = Field(description="quantity × unit price, HALF_UP to the cent")


class Order(ResponseSchema):
    id: uuid.UUID = Field(description="Order id")
    external_source: str | None = Field(description="System it came from (shop, ERP)")
    external_id: str | None = Field(description="Its id there")
    order_number: str = Field(description="Order number")
    customer_id: uuid.UUID | None = Field(description="Matched customer; null = needs review")
    customer_external_id: str | None = Field(description="Buyer id in the source system")
    customer_name: str | None = Field(description="Buyer name as given")
    customer_phone: str | None = Field(description="Buyer phone as given")
    customer_email: str | None = Field(description="Buyer e-mail as given")
    matched_by: OrderMatch | None = Field(description="How the customer was found")
    match_note: str | None = Field(description="Why it is unmatched (e.g. ambiguous)")
    channel: str = Field(description="Sales channel (e.g. tmall, jd, wechat_shop, erp)")
    status: OrderStatus = Field(description="Order status")
    ordered_at: datetime = Field(description="Ordered at")
    amount: MoneyOut = Field(description="Order amount")
    currency: str = Field(description="ISO 4217 currency")
    notes: str | None = Field(description="Notes")
    items: list[OrderLine] = Field(description="Line items")
    created_at: datetime = Field(description="Recorded at")
    updated_at: datetime = Field(description="Last changed at")
    version: int = Field(description="Version")


class OrderLineCreate(RequestSchema):
    product_id: uuid.UUID | None = Field(default=None, description="Catalogue product")
    sku: str | None = Field(default=None, max_length=80, description="SKU")
    name: str = Field(min_length=1, max_length=200, description="Item name")
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=3, description="Quantity")
    unit_price: Decimal = Field(ge=0, max_digits=18, decimal_places=2, description="Unit price")


class OrderCreate(RequestSchema):
    external_source: str | None = Field(default=None, max_length=60, description="Source system")
    external_id: str | None = Field(default=None, max_length=120, description="Id in the source")
    order_number: str = Field(min_length=1, max_length=80, description="Order number")
    customer_id: uuid.UUID | None = Field(
        default=None, description="Customer, when known; otherwise matched from the buyer fields"
    )
    customer_external_id: str | None = Field(
        default=None, max_length=120, description="Buyer id in the source (matched first)"
    )
    customer_name: str | None = Field(default=None, max_length=200, description="Buyer name")
    customer_phone: str | None = Field(
        default=None, max_length=40, description="Buyer phone (matched second)"
    )
    customer_email: EmailStr | None = Field(default=None, description="Buyer e-mail (third)")
    channel: str = Field(min_length=1, max_length=40, description="Sales channel")
    status: OrderStatus = Field(default=OrderStatus.paid, description="Status")
    ordered_at: datetime = Field(description="Ordered at (with time zone)")
    amount: Decimal | None = Field(
        default=None,
        ge=0,
        max_digits=18,
        decimal_places=2,
        description="Order amount (default: sum of the items)",
    )
    currency: CurrencyCode = Field(default="CNY", description="ISO 4217 currency")
    notes: str | None = Field(default=None, max_length=5000, description="Notes")
    items: list[OrderLineCreate] = Field(default_factory=list, max_length=500, description="Items")

    @field_validator("ordered_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("needs a time zone, e.g. 2026-03-01T10:00:00+08:00")
        if not in_years(value):
            raise ValueError(f"must be between the years {MIN_YEAR} and {MAX_YEAR}")
        return value

    @model_validator(mode="after")
    def _checks(self) -> OrderCreate:
        if (self.external_id is None) != (self.external_source is None):
            raise ValueError("external_source and external_id go together")
        if self.amount is None and not self.items:
            raise ValueError("give the amount or the items")
        return self


class OrderMatchRequest(RequestSchema):
    customer_id: uuid.UUID = Field(description="The customer who placed the order")
