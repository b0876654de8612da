from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from app.core.schemas import RequestSchema, ResponseSchema

#: days per customer level (`default` for the rest)
LevelDays = dict[
    Annotated[str, StringConstraints(min_length=1, max_length=40)],
    Annotated[int, Field(ge=1, le=3650)],
]

#: a customer-value (RFM) tier key
TierKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class PoolRules(RequestSchema):
    holding_cap: int | None = Field(
        default=None, ge=1, le=100_000, description="Most customers a rep may own (null: no cap)"
    )
    daily_claim_limit: int | None = Field(
        default=None, ge=1, le=10_000, description="Claims per rep per day (workspace time)"
    )
    cooldown_days: int = Field(
        default=0, ge=0, le=3650, description="Days before a previous owner may reclaim it"
    )
    mask_contacts: bool = Field(
        default=True, description="Hide phones and e-mail of pool customers until claimed"
    )
    reclaim_days: LevelDays = Field(
        default_factory=lambda: {"default": 30},
        description="Days without follow-up before automatic reclaim, by customer level "
        "(key `default` for the rest); empty: never reclaim",
    )
    no_win_days: LevelDays = Field(
        default_factory=dict,
        description="Days after the owner took a customer without winning a deal before "
        "automatic reclaim, by customer level (key `default` for the rest); empty: no such rule",
    )
    cap_counts_won: bool = Field(
        default=True, description="Whether customers with a won deal count toward the cap"
    )
    warn_days_before: int = Field(
        default=3, ge=0, le=365, description="Warn the owner this many days before reclaim"
    )
    exempt_rfm_tiers: list[TierKey] = Field(
        default_factory=list,
        max_length=10,
        description="Customers in these customer-value (RFM) tiers are never reclaimed "
        "automatically (tier keys from `GET /settings/rfm`)",
    )


class Pool(ResponseSchema):
    id: uuid.UUID = Field(description="Pool id")
    name: str = Field(description="Name")
    description: str | None = Field(description="What belongs here")
    member_team_ids: list[uuid.UUID] = Field(
        description="Teams (and sub-teams) who see and claim from it; empty: everyone"
    )
    is_default: bool = Field(description="Where unowned customers go when no pool is named")
    rules: PoolRules = Field(description="Caps, limits and reclaim rules")
    version: int = Field(description="Version")
    created_at: datetime = Field(description="Created at")


class PoolCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=100, description="Name")
    description: str | None = Field(default=None, max_length=500, description="Description")
    member_team_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=100, description="Member teams"
    )
    is_default: bool = Field(default=False, description="Make this the default pool")
    rules: PoolRules = Field(default_factory=PoolRules, description="Rules")


class PoolUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=100, description="Name")
    description: str | None = Field(default=None, max_length=500, description="Description")
    member_team_ids: list[uuid.UUID] | None = Field(
        default=None, max_length=100, description="Member teams"
    )
    is_default: bool | None = Field(default=None, description="Make this the default pool")
    rules: PoolRules | None = Field(default=None, description="Rules")


class PoolCustomer(ResponseSchema):
    id: uuid.UUID = Field(description="Customer id")
    pool_id: uuid.UUID | None = Field(description="Pool")
    name: str = Field(description="Name")
    short_name: str | None = Field(description="Short name")
    industry: str | None = Field(description="Industry")
    level: str | None = Field(description="Level")
    province: str | None = Field(description="Province")
    city: str | None = Field(description="City")
    phones: list[str] = Field(description="Phones (masked while the pool masks contacts)")
    email: str | None = Field(description="E-mail (masked while the pool masks contacts)")
    masked: bool = Field(description="Whether contact details are masked")
    last_followed_at: datetime | None = Field(description="Last follow-up")
    updated_at: datetime = Field(description="Entered the pool (last change)")


class Release(RequestSchema):
    reason: str = Field(min_length=2, max_length=500, description="Why it goes back (required)")
    pool_id: uuid.UUID | None = Field(
        default=None, description="Target pool (default: its pool, or the default)"
    )


class Assign(RequestSchema):
    to_user_id: uuid.UUID = Field(description="Rep who gets the customer")
    reason: str | None = Field(default=None, max_length=500, description="Why")


class ReclaimDue(ResponseSchema):
    customer_id: uuid.UUID = Field(description="Customer")
    name: str = Field(description="Customer name")
    owner_id: uuid.UUID | None = Field(description="Owner")
    pool_id: uuid.UUID | None = Field(description="Pool it would return to")
    reclaim_at: datetime = Field(description="When it returns to the pool without follow-up")
    rule_days: int = Field(description="Days the rule that fires first allows")
    rule: Literal["no_follow_up", "no_won_deal"] = Field(
        description="Which rule returns it: no follow-up, or no won deal since it was taken"
    )
