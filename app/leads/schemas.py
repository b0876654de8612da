from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import EmailStr, Field, StringConstraints

from app.activities.schemas import ActivityKind
from app.core.schemas import RequestSchema, ResponseSchema

PhoneText = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class LeadStatus(StrEnum):
    new = "new"
    contacted = "contacted"
    qualified = "qualified"
    unqualified = "unqualified"
    converted = "converted"


class Strategy(StrEnum):
    round_robin = "round_robin"
    weighted = "weighted"
    least_loaded = "least_loaded"
    fixed_user = "fixed_user"
    team = "team"


class Lead(ResponseSchema):
    id: uuid.UUID = Field(description="Lead id")
    name: str = Field(description="Person's name")
    company: str | None = Field(description="Company")
    title: str | None = Field(description="Job title")
    phones: list[str] = Field(description="Phones")
    email: str | None = Field(description="E-mail")
    province: str | None = Field(description="Province")
    city: str | None = Field(description="City")
    source: str | None = Field(description="Source")
    campaign_id: uuid.UUID | None = Field(description="Campaign it came from")
    status: LeadStatus = Field(description="new → contacted → qualified | unqualified → converted")
    owner_id: uuid.UUID | None = Field(description="Owner; null while unassigned")
    score: int = Field(description="Score")
    notes: str | None = Field(description="Notes")
    custom_fields: dict[str, Any] = Field(description="Custom fields")
    assigned_rule_id: uuid.UUID | None = Field(description="Rule that assigned it")
    assignment_note: str | None = Field(description="Why it went to its owner")
    converted_customer_id: uuid.UUID | None = Field(description="Customer it became")
    converted_at: datetime | None = Field(description="Converted at")
    created_at: datetime = Field(description="Created at")
    updated_at: datetime = Field(description="Last changed at")
    version: int = Field(description="Version")


class LeadCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=100, description="Person's name")
    company: str | None = Field(default=None, max_length=200, description="Company")
    title: str | None = Field(default=None, max_length=100, description="Job title")
    phones: list[PhoneText] = Field(default_factory=list, max_length=5, description="Phones")
    email: EmailStr | None = Field(default=None, description="E-mail")
    province: str | None = Field(default=None, max_length=50, description="Province")
    city: str | None = Field(default=None, max_length=50, description="City")
    source: str | None = Field(default=None, max_length=100, description="Source")
    campaign_id: uuid.UUID | None = Field(default=None, description="Campaign")
    owner_id: uuid.UUID | None = Field(
        default=None, description="Owner; omit to let the rules assign"
    )
    score: int = Field(default=0, ge=0, le=100, description="Score 0–100")
    notes: str | None = Field(default=None, max_length=5000, description="Notes")
    custom_fields: dict[str, Any] | None = Field(default=None, description="Custom fields")


class LeadUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=100, description="Name")
    company: str | None = Field(default=None, max_length=200, description="Company")
    title: str | None = Field(default=None, max_length=100, description="Job title")
    phones: list[PhoneText] | None = Field(default=None, max_length=5, description="Phones")
    email: EmailStr | None = Field(default=None, description="E-mail")
    province: str | None = Field(default=None, max_length=50, description="Province")
    city: str | None = Field(default=None, max_length=50, description="City")
    status: LeadStatus | None = Field(default=None, description="Status (not converted)")
    score: int | None = Field(default=None, ge=0, le=100, description="Score")
    notes: str | None = Field(default=None, max_length=5000, description="Notes")
    owner_id: uuid.UUID | None = Field(default=None, description="Reassign (managers)")
    custom_fields: dict[str, Any] | None = Field(default=None, description="Custom fields")


class Convert(RequestSchema):
    merge_into_customer_id: uuid.UUID | None = Field(
        default=None, description="Attach to this existing customer instead of creating one"
    )
    customer_name: str | None = Field(
        default=None, max_length=200, description="Name of the new customer (default: company)"
    )
    force: bool = Field(default=False, description="Create despite a duplicate warning")


class ConvertResult(ResponseSchema):
    lead: Lead = Field(description="The converted lead")
    customer_id: uuid.UUID = Field(description="Customer created or merged into")
    contact_id: uuid.UUID = Field(description="Contact created from the lead")
    created_customer: bool = Field(description="A new customer was created")
    extra: dict[str, Any] = Field(description="What registered hooks created (e.g. a deal)")


class LeadActivityCreate(RequestSchema):
    kind: ActivityKind = Field(description="Kind")
    content: str = Field(min_length=1, max_length=10_000, description="What happened")
    occurred_at: datetime | None = Field(default=None, description="When (default: now)")


class Campaign(ResponseSchema):
    id: uuid.UUID = Field(description="Campaign id")
    name: str = Field(description="Name")
    channel: str | None = Field(description="Channel")
    budget: Decimal | None = Field(description="Budget")
    actual_cost: Decimal | None = Field(description="Actual cost")
    currency: str = Field(description="ISO 4217 currency")
    start_date: date | None = Field(description="Start")
    end_date: date | None = Field(description="End")
    status: str = Field(description="planned, active, completed, cancelled")
    version: int = Field(description="Version")


class CampaignCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=150, description="Name")
    channel: str | None = Field(default=None, max_length=60, description="Channel")
    budget: Decimal | None = Field(
        default=None, ge=0, max_digits=18, decimal_places=2, description="Budget"
    )
    actual_cost: Decimal | None = Field(
        default=None, ge=0, max_digits=18, decimal_places=2, description="Actual cost"
    )
    currency: str = Field(default="CNY", pattern="^[A-Z]{3}$", description="Currency")
    start_date: date | None = Field(default=None, description="Start")
    end_date: date | None = Field(default=None, description="End")
    status: str = Field(
        default="planned", pattern="^(planned|active|completed|cancelled)$", description="Status"
    )


class CampaignUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=150, description="Name")
    channel: str | None = Field(default=None, max_length=60, description="Channel")
    budget: Decimal | None = Field(
        default=None, ge=0, max_digits=18, decimal_places=2, description="Budget"
    )
    actual_cost: Decimal | None = Field(
        default=None, ge=0, max_digits=18, decimal_places=2, description="Actual cost"
    )
    currency: str | None = Field(default=None, pattern="^[A-Z]{3}$", description="Currency")
    start_date: date | None = Field(default=None, description="Start")
    end_date: date | None = Field(default=None, description="End")
    status: str | None = Field(
        default=None, pattern="^(planned|active|completed|cancelled)$", description="Status"
    )


class CampaignWon(ResponseSchema):
    currency: str = Field(description="ISO 4217 currency")
    deals: int = Field(description="Won deals from the campaign in this currency")
    amount: Decimal = Field(description="Their total amount")


class CampaignStats(ResponseSchema):
    campaign_id: uuid.UUID = Field(description="Campaign")
    leads: int = Field(description="Leads from it")
    converted: int = Field(description="Converted leads")
    customers: int = Field(description="Customers converted from its leads")
    won: list[CampaignWon] = Field(
        default_factory=list, description="Won deals from the campaign, per currency"
    )


class RuleConditions(RequestSchema):
    sources: list[str] = Field(default_factory=list, description="Lead source is one of")
    campaign_ids: list[uuid.UUID] = Field(default_factory=list, description="Campaign is one of")
    provinces: list[str] = Field(default_factory=list, description="Province is one of")
    cities: list[str] = Field(default_factory=list, description="City is one of")
    custom: dict[str, Any] = Field(default_factory=dict, description="Custom field equals")


class AssignmentRule(ResponseSchema):
    id: uuid.UUID = Field(description="Rule id")
    name: str = Field(description="Name")
    position: int = Field(description="Order (lowest first)")
    active: bool = Field(description="Applied to new leads")
    conditions: RuleConditions = Field(description="All given conditions must match")
    strategy: Strategy = Field(description="How the owner is chosen")
    user_ids: list[uuid.UUID] = Field(description="Candidates")
    team_id: uuid.UUID | None = Field(description="Candidates: this team's active members")
    weights: dict[str, int] = Field(description="Weights by user id (weighted strategy)")
    capacity: int | None = Field(description="Skip users with this many open leads")
    version: int = Field(description="Version")


class AssignmentRuleCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=150, description="Name")
    position: int = Field(default=0, ge=0, le=10_000, description="Order")
    active: bool = Field(default=True, description="Active")
    conditions: RuleConditions = Field(default_factory=RuleConditions, description="Conditions")
    strategy: Strategy = Field(description="Strategy")
    user_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=500, description="Candidates"
    )
    team_id: uuid.UUID | None = Field(default=None, description="Team (strategy `team`)")
    weights: dict[str, int] = Field(default_factory=dict, description="Weights by user id")
    capacity: int | None = Field(default=None, ge=1, le=100_000, description="Max open leads")


class AssignmentRuleUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=150, description="Name")
    position: int | None = Field(default=None, ge=0, le=10_000, description="Order")
    active: bool | None = Field(default=None, description="Active")
    conditions: RuleConditions | None = Field(default=None, description="Conditions")
    strategy: Strategy | None = Field(default=None, description="Strategy")
    user_ids: list[uuid.UUID] | None = Field(default=None, max_length=500, description="Candidates")
    team_id: uuid.UUID | None = Field(default=None, description="Team (strategy `team`)")
    weights: dict[str, int] | None = Field(default=None, description="Weights by user id")
    capacity: int | None = Field(default=None, ge=1, le=100_000, description="Max open leads")


class AssignmentRuleOrder(RequestSchema):
    rule_ids: list[uuid.UUID] = Field(
        min_length=1, max_length=500, description="Rule ids in the order they should be tried"
    )


class RulePreview(ResponseSchema):
    rule_id: uuid.UUID | None = Field(description="Rule that would apply")
    owner_id: uuid.UUID | None = Field(description="Who would get it")
    note: str = Field(description="Why")


class WebForm(ResponseSchema):
    id: uuid.UUID = Field(description="Form id")
    name: str = Field(description="Name")
    token: str = Field(description="Public token in the form's URL")
    source: str = Field(description="Source set on its leads")
    campaign_id: uuid.UUID | None = Field(description="Campaign set on its leads")
    active: bool = Field(description="Accepting submissions")


class WebFormCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=150, description="Name")
    source: str = Field(default="web form", max_length=100, description="Source")
    campaign_id: uuid.UUID | None = Field(default=None, description="Campaign")


class PublicLead(RequestSchema):
    name: str = Field(min_length=1, max_length=100, description="Your name")
    company: str | None = Field(default=None, max_length=200, description="Company")
    phone: PhoneText | None = Field(default=None, description="Phone")
    email: EmailStr | None = Field(default=None, description="E-mail")
    message: str | None = Field(default=None, max_length=2000, description="Message")
    website: str | None = Field(default=None, max_length=200, description="Leave empty (spam trap)")


class Accepted(ResponseSchema):
    accepted: bool = Field(description="The submission was received")
