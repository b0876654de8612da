from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import EmailStr, Field, StringConstraints, field_validator

from app.analytics.value.schemas import CustomerRfm
from app.core.schemas import RequestSchema, ResponseSchema
from app.customers.normalize import credit_code_valid

#: a phone as typed ("+86 138-0013-8000"); normalised to E.164 for matching
PhoneText = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class CustomerKind(StrEnum):
    company = "company"
    person = "person"


class CustomerStatus(StrEnum):
    potential = "potential"
    active = "active"
    dormant = "dormant"
    lost = "lost"


class Customer(ResponseSchema):
    id: uuid.UUID = Field(description="Customer id")
    kind: CustomerKind = Field(description="company or person")
    name: str = Field(description="Name")
    short_name: str | None = Field(description="Short name")
    industry: str | None = Field(description="Industry")
    source: str | None = Field(description="Where the customer came from")
    level: str | None = Field(description="Level / tier from the workspace list (e.g. A/B/C)")
    status: CustomerStatus = Field(description="potential, active, dormant, lost")
    province: str | None = Field(description="Province")
    city: str | None = Field(description="City")
    district: str | None = Field(description="District")
    address: str | None = Field(description="Street address")
    phones: list[str] = Field(description="Phone numbers as entered")
    email: str | None = Field(description="E-mail")
    website: str | None = Field(description="Website")
    credit_code: str | None = Field(description="统一社会信用代码 (unified social credit code)")
    tag_ids: list[uuid.UUID] = Field(description="Tags")
    owner_id: uuid.UUID | None = Field(description="Owner of record; null while in a pool")
    external_source: str | None = Field(description="Integration source system")
    external_id: str | None = Field(description="Id in the source system")
    custom_fields: dict[str, Any] = Field(description="Custom field values by key")
    last_followed_at: datetime | None = Field(description="Last follow-up")
    next_follow_up_at: datetime | None = Field(description="Next planned follow-up")
    merged_into_id: uuid.UUID | None = Field(description="Survivor, when merged away")
    pool_id: uuid.UUID | None = Field(description="Pool it lives in (unowned) or returns to")
    locked: bool = Field(description="Exempt from automatic reclaim")
    created_at: datetime = Field(description="Created at")
    updated_at: datetime = Field(description="Last changed at")
    deleted_at: datetime | None = Field(description="In the recycle bin since")
    version: int = Field(description="Optimistic-concurrency version (the ETag)")
    rfm: CustomerRfm | None = Field(
        description="Customer value: RFM scores and tier as of the last run; null: never bought"
    )


class _CustomerFields(RequestSchema):
    short_name: str | None = Field(default=None, max_length=100, description="Short name")
    industry: str | None = Field(default=None, max_length=100, description="Industry")
    source: str | None = Field(default=None, max_length=100, description="Source")
    level: str | None = Field(default=None, max_length=40, description="Level")
    province: str | None = Field(default=None, max_length=50, description="Province")
    city: str | None = Field(default=None, max_length=50, description="City")
    district: str | None = Field(default=None, max_length=50, description="District")
    address: str | None = Field(default=None, max_length=300, description="Address")
    email: EmailStr | None = Field(default=None, description="E-mail")
    website: str | None = Field(default=None, max_length=300, description="Website")
    credit_code: str | None = Field(
        default=None, description="统一社会信用代码, checksum-validated"
    )
    tag_ids: list[uuid.UUID] | None = Field(default=None, max_length=50, description="Tags")
    external_source: str | None = Field(default=None, max_length=60, description="Source system")
    external_id: str | None = Field(default=None, max_length=120, description="Id there")
    custom_fields: dict[str, Any] | None = Field(default=None, description="Custom fields")
    force: bool = Field(default=False, description="Save despite a duplicate warning")

    @field_validator("credit_code")
    @classmethod
    def _credit_code(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        code = value.strip().upper()
        if not credit_code_valid(code):
            raise ValueError("not a valid unified social credit code (check character)")
        return code


class CustomerCreate(_CustomerFields):
    kind: CustomerKind = Field(default=CustomerKind.company, description="company or person")
    name: str = Field(min_length=1, max_length=200, description="Name")
    status: CustomerStatus = Field(default=CustomerStatus.potential, description="Status")
    phones: list[PhoneText] = Field(default_factory=list, max_length=10, description="Phones")
    owner_id: uuid.UUID | None = Field(default=None, description="Owner; default: you")


class CustomerUpdate(_CustomerFields):
    kind: CustomerKind | None = Field(default=None, description="company or person")
    name: str | None = Field(default=None, min_length=1, max_length=200, description="Name")
    status: CustomerStatus | None = Field(default=None, description="Status")
    phones: list[PhoneText] | None = Field(default=None, max_length=10, description="Phones")
    locked: bool | None = Field(
        default=None, description="Exempt from automatic reclaim (managers, admins)"
    )


class DuplicateCheck(RequestSchema):
    name: str | None = Field(default=None, max_length=200, description="Company or person name")
    phones: list[PhoneText] = Field(default_factory=list, max_length=10, description="Phones")
    email: str | None = Field(default=None, max_length=254, description="E-mail")
    credit_code: str | None = Field(default=None, max_length=18, description="Credit code")
    exclude_id: uuid.UUID | None = Field(default=None, description="Ignore this customer")


class MatchReason(ResponseSchema):
    field: str = Field(description="phone, email, credit_code or name")
    value: str = Field(description="The matching value (as you sent it, normalised)")
    score: float = Field(description="1.0 for exact matches; name similarity otherwise")
    policy: str = Field(description="Workspace policy for this match: block, warn or allow")


class DuplicateCandidate(ResponseSchema):
    customer_id: uuid.UUID = Field(description="The existing customer")
    name: str = Field(description="Its name")
    owner_id: uuid.UUID | None = Field(description="Its owner")
    owner_name: str | None = Field(description="Its owner's name (so you know whom to ask)")
    in_your_scope: bool = Field(description="Whether you can open this customer")
    score: float = Field(description="Best match score")
    reasons: list[MatchReason] = Field(description="Why it matches")


class DuplicateResult(ResponseSchema):
    candidates: list[DuplicateCandidate] = Field(description="Possible duplicates, best first")
    blocked: bool = Field(description="Saving would be refused by policy")
    warn: bool = Field(description="Saving needs `force=true`")


class Contact(ResponseSchema):
    id: uuid.UUID = Field(description="Contact id")
    customer_id: uuid.UUID = Field(description="Customer")
    name: str = Field(description="Name")
    title: str | None = Field(description="Job title")
    phones: list[str] = Field(description="Phones")
    email: str | None = Field(description="E-mail")
    wechat: str | None = Field(description="WeChat id")
    birthday: date | None = Field(description="Birthday")
    is_primary: bool = Field(description="Primary contact of the customer")
    notes: str | None = Field(description="Notes")
    custom_fields: dict[str, Any] = Field(description="Custom fields")
    external_source: str | None = Field(description="Integration source system")
    external_id: str | None = Field(description="Id in the source system")
    created_at: datetime = Field(description="Created at")
    updated_at: datetime = Field(description="Last changed at")
    version: int = Field(description="Optimistic-concurrency version (the ETag)")


class ContactCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=100, description="Name")
    title: str | None = Field(default=None, max_length=100, description="Job title")
    phones: list[PhoneText] = Field(default_factory=list, max_length=10, description="Phones")
    email: EmailStr | None = Field(default=None, description="E-mail")
    wechat: str | None = Field(default=None, max_length=100, description="WeChat id")
    birthday: date | None = Field(default=None, description="Birthday")
    is_primary: bool = Field(default=False, description="Primary contact")
    notes: str | None = Field(default=None, max_length=5000, description="Notes")
    custom_fields: dict[str, Any] | None = Field(default=None, description="Custom fields")
    external_source: str | None = Field(default=None, max_length=60, description="Source")
    external_id: str | None = Field(default=None, max_length=120, description="External id")


class ContactUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=100, description="Name")
    title: str | None = Field(default=None, max_length=100, description="Job title")
    phones: list[PhoneText] | None = Field(default=None, max_length=10, description="Phones")
    email: EmailStr | None = Field(default=None, description="E-mail")
    wechat: str | None = Field(default=None, max_length=100, description="WeChat id")
    birthday: date | None = Field(default=None, description="Birthday")
    is_primary: bool | None = Field(default=None, description="Primary contact")
    notes: str | None = Field(default=None, max_length=5000, description="Notes")
    custom_fields: dict[str, Any] | None = Field(default=None, description="Custom fields")


class Tag(ResponseSchema):
    id: uuid.UUID = Field(description="Tag id")
    name: str = Field(description="Name")
    color: str = Field(description="Colour name or #rrggbb")
    version: int = Field(description="Version")


class TagCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=60, description="Name")
    color: str = Field(
        default="blue", pattern=r"^(#[0-9a-fA-F]{6}|[a-z]{3,12})$", description="Colour"
    )


class TagUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=60, description="Name")
    color: str | None = Field(
        default=None, pattern=r"^(#[0-9a-fA-F]{6}|[a-z]{3,12})$", description="Colour"
    )


class BulkTag(RequestSchema):
    customer_ids: list[uuid.UUID] = Field(
        min_length=1, max_length=1000, description="Selected customers"
    )
    add: list[uuid.UUID] = Field(default_factory=list, max_length=20, description="Tags to add")
    remove: list[uuid.UUID] = Field(
        default_factory=list, max_length=20, description="Tags to remove"
    )


class BulkResult(ResponseSchema):
    updated: int = Field(description="Customers changed")
    skipped: list[uuid.UUID] = Field(description="Selected customers you may not change")


class Collaborator(ResponseSchema):
    user_id: uuid.UUID = Field(description="User on the account team")
    access: str = Field(description="read or write")
    expires_at: datetime | None = Field(description="Access ends at (null: no end)")


class CollaboratorSet(RequestSchema):
    user_id: uuid.UUID = Field(description="User")
    access: str = Field(default="read", pattern="^(read|write)$", description="read or write")
    expires_at: datetime | None = Field(default=None, description="Access ends at")


class Transfer(RequestSchema):
    to_user_id: uuid.UUID = Field(description="New owner")
    reason: str | None = Field(default=None, max_length=500, description="Why")
    move_open_tasks: bool = Field(default=True, description="Reassign the old owner's open tasks")
    keep_previous_until: datetime | None = Field(
        default=None, description="Keep the previous owner as read-only collaborator until then"
    )


class BulkTransfer(Transfer):
    customer_ids: list[uuid.UUID] = Field(
        min_length=1, max_length=1000, description="Selected customers"
    )


class TransferResult(ResponseSchema):
    transferred: int = Field(description="Customers that changed owner")
    moved: dict[str, int] = Field(description="Related records moved, by entity")
    skipped: list[uuid.UUID] = Field(description="Selected customers you may not transfer")


class Handover(RequestSchema):
    to_user_id: uuid.UUID = Field(description="Who takes everything over")
    reason: str | None = Field(default=None, max_length=500, description="Why")


class HandoverReport(ResponseSchema):
    from_user_id: uuid.UUID = Field(description="Departing user")
    to_user_id: uuid.UUID = Field(description="Receiving user")
    counts: dict[str, int] = Field(description="Records moved, by entity")
    customers: list[uuid.UUID] = Field(description="Customers moved (first 1,000)")


class LedgerEntry(ResponseSchema):
    id: uuid.UUID = Field(description="Entry id")
    customer_id: uuid.UUID = Field(description="Customer")
    from_user_id: uuid.UUID | None = Field(description="Previous owner")
    to_user_id: uuid.UUID | None = Field(description="New owner")
    kind: str = Field(description="create, transfer, handover, dispute, merge, ...")
    reason: str | None = Field(description="Reason given")
    actor_id: uuid.UUID | None = Field(description="Who did it")
    occurred_at: datetime = Field(description="When")


class TimelineItem(ResponseSchema):
    id: str = Field(description="Item id (unique within the timeline)")
    kind: str = Field(description="activity, task, ownership, change, merge, ticket")
    occurred_at: datetime = Field(description="When")
    actor_id: uuid.UUID | None = Field(description="Who")
    data: dict[str, Any] = Field(description="Item details")


class Merge(RequestSchema):
    duplicate_id: uuid.UUID = Field(description="The customer merged into this one (it is binned)")
    take_from_duplicate: list[str] = Field(
        default_factory=list,
        max_length=30,
        description="Fields whose value comes from the duplicate (others keep this one's)",
    )


class DisputeStatus(StrEnum):
    open = "open"
    upheld = "upheld"
    rejected = "rejected"


class Dispute(ResponseSchema):
    id: uuid.UUID = Field(description="Dispute id")
    customer_id: uuid.UUID = Field(description="Disputed customer")
    claimant_id: uuid.UUID = Field(description="Rep who claims it")
    owner_at_claim_id: uuid.UUID | None = Field(description="Owner when the claim was raised")
    evidence: str = Field(description="Why the claimant should own it")
    status: DisputeStatus = Field(description="open, upheld, rejected")
    decided_by: uuid.UUID | None = Field(description="Manager who decided")
    decided_at: datetime | None = Field(description="Decided at")
    decision_note: str | None = Field(description="Decision note")
    created_at: datetime = Field(description="Raised at")


class DisputeCreate(RequestSchema):
    customer_id: uuid.UUID = Field(description="Customer (e.g. from a duplicate candidate)")
    evidence: str = Field(min_length=5, max_length=5000, description="Evidence")


class DisputeDecision(RequestSchema):
    decision: DisputeStatus = Field(description="upheld or rejected")
    note: str | None = Field(default=None, max_length=2000, description="Note")


class MatchPolicy(StrEnum):
    block = "block"
    warn = "warn"
    allow = "allow"


class CustomerSettings(ResponseSchema):
    levels: list[str] = Field(description="Customer levels offered in forms (e.g. A/B/C)")
    duplicate_policy: dict[str, MatchPolicy] = Field(
        description="Policy per match type: credit_code, phone, email, name"
    )
    name_threshold: float = Field(description="Name similarity (0–1) that counts as a match")


class CustomerSettingsUpdate(RequestSchema):
    levels: list[Annotated[str, StringConstraints(min_length=1, max_length=40)]] | None = Field(
        default=None, min_length=1, max_length=20, description="Customer levels"
    )
    duplicate_policy: dict[str, MatchPolicy] | None = Field(
        default=None, description="Policy per match type"
    )
    name_threshold: float | None = Field(
        default=None, ge=0.3, le=1.0, description="Name similarity threshold"
    )
