"""Upsert and batch contracts, and the workspace's rate-limit settings."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES
from pydantic import EmailStr, Field, ValidatorFunctionWrapHandler, WrapValidator, model_validator

from app.core.schemas import RequestSchema, ResponseSchema
from app.customers.schemas import ContactCreate, CustomerCreate
from app.errors import FieldError
from app.integrations.upsert import MAX_ITEMS, Outcome
from app.orders.schemas import OrderCreate
from app.receivables.schemas import PaymentCreate

#: a plain address (dot-atom local part of common characters, letters-digits-hyphen
#: labels, an alphabetic top-level domain): the shape of nearly every address a feed sends
_PLAIN_EMAIL = re.compile(
    r"([A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*)@"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})",
    re.ASCII,
)
_RESERVED = tuple(SPECIAL_USE_DOMAIN_NAMES)


def _email(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """`EmailStr`, with its answer for plain addresses given without the full parse (a
    batch of 1,000 orders spent a third of its time validating e-mails). Anything else
    goes through `EmailStr` itself; a test holds the two to the same answers."""
    if isinstance(value, str):
        text = value.strip()
        match = _PLAIN_EMAIL.fullmatch(text)
        if match is not None and len(text) <= 254 and len(match[1]) <= 64:
            local, domain = match[1], match[2].lower()
            if (
                "--" not in domain
                and local.lower() not in CASE_INSENSITIVE_MAILBOX_NAMES
                and not any(domain == d or domain.endswith("." + d) for d in _RESERVED)
            ):
                return f"{local}@{domain}"
    return handler(value)


#: `EmailStr` as batch items validate it (same answers, faster for plain addresses)
BatchEmail = Annotated[EmailStr, WrapValidator(_email)]


class OrderUpsert(OrderCreate):
    """An order as a batch validates it: `OrderCreate`."""

    customer_email: BatchEmail | None = Field(default=None, description="Buyer e-mail (third)")


class CustomerUpsert(CustomerCreate):
    """A customer as a batch validates it: `CustomerCreate`."""

    email: BatchEmail | None = Field(default=None, description="E-mail")


class ContactUpsert(ContactCreate):
    """A contact as an integration sends it: its customer by id or by the customer's
    external id in the same source system."""

    customer_id: uuid.UUID | None = Field(default=None, description="The contact's customer")
    customer_external_id: str | None = Field(
        default=None,
        max_length=120,
        description="Or the customer's id in the same source system (external_source)",
    )


class PaymentUpsert(PaymentCreate):
    """A payment as a bank feed or ERP sends it. Once recorded, its money (contract, amount,
    currency, date, allocation) is fixed: a resend with other money is refused
    (`payment_immutable`; void it and send a new one); reference and notes may change."""


class BatchUpsert(RequestSchema):
    """Up to 1,000 items, each validated on its own (a bad one fails alone)."""

    items: list[Any] = Field(
        min_length=1, max_length=MAX_ITEMS, description="Items, each with its external id"
    )
    all_or_none: bool = Field(
        default=False, description="Write nothing unless every item is valid (422 otherwise)"
    )


def _items_of(schema: str) -> Any:
    """`items` as the generated client sees it: an array of the resource's upsert body
    (the server parses each item itself, so one bad item cannot fail the request)."""
    return Field(
        min_length=1,
        max_length=MAX_ITEMS,
        description="Items, each with its external_source and external_id",
        json_schema_extra={"items": {"$ref": f"#/components/schemas/{schema}"}},
    )


class CustomerBatch(BatchUpsert):
    items: list[Any] = _items_of("CustomerCreate")


class ContactBatch(BatchUpsert):
    items: list[Any] = _items_of("ContactUpsert")


class ProductBatch(BatchUpsert):
    items: list[Any] = _items_of("ProductCreate")


class OrderBatch(BatchUpsert):
    items: list[Any] = _items_of("OrderCreate")


class PaymentBatch(BatchUpsert):
    items: list[Any] = _items_of("PaymentUpsert")


class ItemResult(ResponseSchema):
    index: int = Field(description="Position of the item in the request")
    id: uuid.UUID | None = Field(description="The row's id; null when the item failed")
    created: bool = Field(description="A new row (false: an existing row was updated)")
    code: str | None = Field(description="Stable error code when the item failed")
    detail: str | None = Field(description="What went wrong, in English")
    errors: list[FieldError] = Field(
        description="Field errors of the item, paths like `body.items.3.name`"
    )

    @classmethod
    def of(cls, outcome: Outcome) -> ItemResult:
        error = outcome.error
        return cls.model_construct(
            index=outcome.index,
            id=outcome.id,
            created=outcome.created,
            code=error.code if error else None,
            detail=error.detail if error else None,
            errors=outcome.errors,
        )


class BatchResult(ResponseSchema):
    created: int = Field(description="Items that created a row")
    updated: int = Field(description="Items that changed an existing row")
    unchanged: int = Field(description="Items equal to their row (nothing written)")
    failed: int = Field(description="Items refused (see their errors)")
    items: list[ItemResult] = Field(description="One result per item, in request order")

    @classmethod
    def of(cls, outcomes: list[Outcome]) -> BatchResult:
        ok = [o for o in outcomes if o.ok]
        return cls.model_construct(
            created=sum(o.created for o in ok),
            updated=sum(not o.created and not o.unchanged for o in ok),
            unchanged=sum(o.unchanged for o in ok),
            failed=len(outcomes) - len(ok),
            items=[ItemResult.of(o) for o in outcomes],
        )


class BucketLimit(ResponseSchema):
    limit: int = Field(description="Requests allowed per window")
    window_seconds: int = Field(description="Window length in seconds")


class RateLimits(ResponseSchema):
    read: BucketLimit = Field(description="GET requests, per API key or user")
    write: BucketLimit = Field(description="Other requests, per API key or user")
    batch: BucketLimit = Field(description="Batch upserts, per API key or user")


class BucketLimitUpdate(RequestSchema):
    limit: int = Field(ge=1, le=1_000_000, description="Requests allowed per window")
    window_seconds: int = Field(ge=1, le=3600, description="Window length in seconds")


class RateLimitsUpdate(RequestSchema):
    read: BucketLimitUpdate | None = Field(default=None, description="GET requests")
    write: BucketLimitUpdate | None = Field(default=None, description="Other requests")
    batch: BucketLimitUpdate | None = Field(default=None, description="Batch upserts")

    @model_validator(mode="after")
    def _something(self) -> RateLimitsUpdate:
        if not self.model_fields_set:
            raise ValueError("name at least one bucket")
        return self
