from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from app.contracts.money import MoneyOut
from app.core.schemas import RequestSchema, ResponseSchema

RATE_DESCRIPTION = "Percent of the payment amount, 0–100 with up to four decimals (3.5 = 3.5 %)"
RULES_DESCRIPTION = (
    "Rate overrides tried in order; the first whose condition matches a commission line sets "
    "its rate, no match leaves the base rate. `category` matches the line's product category "
    "(exactly), `rfm_tier` the customer's current RFM tier key (e.g. `champions`)"
)
TIERS_DESCRIPTION = (
    "Multipliers by attainment of the rep's payments_received target for the same period and "
    "currency, thresholds strictly ascending: the tier with the highest `min_attainment` at "
    "or below the attainment (in percent, rounded half-up to two places) applies. No tier "
    "reached, no target or no tiers: multiplier 1"
)
APPORTION_DESCRIPTION = (
    "How a payment becomes lines: the payment's contract names a deal whose line items carry "
    "products; the item totals summed per product category are the weights (items without a "
    "product or category form the uncategorised share). The payment amount is split in "
    "proportion to them: every share is rounded down to the cent, and the cents left over go "
    "one each to the shares that lost the most to rounding (ties: the larger weight, then "
    "the category name, uncategorised last), so the lines add up exactly to the payment. A "
    "contract without such items gives one uncategorised line of the whole payment"
)


class RuleMatch(StrEnum):
    category = "category"
    rfm_tier = "rfm_tier"


class LineRule(StrEnum):
    base = "base"
    category = "category"
    rfm_tier = "rfm_tier"


class CommissionRuleIn(RequestSchema):
    match: RuleMatch = Field(description="category or rfm_tier")
    value: str = Field(
        min_length=1, max_length=100, description="The product category or RFM tier key"
    )
    rate: Decimal = Field(
        ge=0, le=100, max_digits=7, decimal_places=4, description=RATE_DESCRIPTION
    )


class CommissionRule(ResponseSchema):
    match: RuleMatch = Field(description="category or rfm_tier")
    value: str = Field(description="The product category or RFM tier key")
    rate: Decimal = Field(description=RATE_DESCRIPTION)


class AttainmentTierIn(RequestSchema):
    min_attainment: Decimal = Field(
        ge=0,
        le=100_000,
        max_digits=8,
        decimal_places=2,
        description="Attainment in percent from which the tier applies (100 = target met)",
    )
    multiplier: Decimal = Field(
        ge=0, le=10, max_digits=6, decimal_places=4, description="Factor on the commission"
    )


class AttainmentTier(ResponseSchema):
    min_attainment: Decimal = Field(description="Attainment in percent from which it applies")
    multiplier: Decimal = Field(description="Factor on the commission")


class CommissionPlan(ResponseSchema):
    id: uuid.UUID = Field(description="Plan id")
    name: str = Field(description="Name")
    currency: str = Field(
        description="ISO 4217 currency: only payments in it earn commission under this plan"
    )
    base_rate: Decimal = Field(description=RATE_DESCRIPTION)
    rules: list[CommissionRule] = Field(description=RULES_DESCRIPTION)
    attainment_tiers: list[AttainmentTier] = Field(description=TIERS_DESCRIPTION)
    team_id: uuid.UUID | None = Field(
        description="Applies to the people of this team's subtree; null: to everyone"
    )
    priority: int = Field(
        description="Lower first: a rep is paid by the first active plan that applies to them"
    )
    active: bool = Field(description="Inactive plans apply to nobody")
    notes: str | None = Field(description="Notes")
    created_at: datetime = Field(description="Created")
    updated_at: datetime = Field(description="Last changed")
    version: int = Field(description="Version (ETag)")


class CommissionPlanCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=120, description="Name, unique")
    currency: str = Field(default="CNY", pattern="^[A-Z]{3}$", description="ISO 4217 currency")
    base_rate: Decimal = Field(
        ge=0, le=100, max_digits=7, decimal_places=4, description=RATE_DESCRIPTION
    )
    rules: list[CommissionRuleIn] = Field(
        default_factory=list, max_length=100, description=RULES_DESCRIPTION
    )
    attainment_tiers: list[AttainmentTierIn] = Field(
        default_factory=list, max_length=20, description=TIERS_DESCRIPTION
    )
    team_id: uuid.UUID | None = Field(default=None, description="Only this team's subtree")
    priority: int = Field(default=100, ge=0, le=10_000, description="Lower first")
    active: bool = Field(default=True, description="Active")
    notes: str | None = Field(default=None, max_length=2000, description="Notes")


class CommissionPlanUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=120, description="Name")
    currency: str | None = Field(default=None, pattern="^[A-Z]{3}$", description="Currency")
    base_rate: Decimal | None = Field(
        default=None, ge=0, le=100, max_digits=7, decimal_places=4, description=RATE_DESCRIPTION
    )
    rules: list[CommissionRuleIn] | None = Field(
        default=None, max_length=100, description=RULES_DESCRIPTION
    )
    attainment_tiers: list[AttainmentTierIn] | None = Field(
        default=None, max_length=20, description=TIERS_DESCRIPTION
    )
    team_id: uuid.UUID | None = Field(default=None, description="Only this team's subtree")
    priority: int | None = Field(default=None, ge=0, le=10_000, description="Lower first")
    active: bool | None = Field(default=None, description="Active")
    notes: str | None = Field(default=None, max_length=2000, description="Notes")


class CommissionStatement(ResponseSchema):
    user_id: uuid.UUID = Field(description="The rep (the owner of the contracts paid)")
    user_name: str = Field(description="Their name")
    team_id: uuid.UUID | None = Field(description="Their team")
    team_name: str | None = Field(description="Their team's name")
    period: str = Field(description="The period label")
    plan_id: uuid.UUID = Field(description="The plan that applies to them")
    plan_name: str = Field(description="Its name")
    currency: str = Field(description="The plan's currency; payments in others are not counted")
    payments: int = Field(description="Payments received in the period, not voided")
    payments_base: MoneyOut = Field(description="Their total: the commission base")
    gross_commission: MoneyOut = Field(
        description="Sum of the line commissions (each rounded half-up to the cent)"
    )
    target: MoneyOut | None = Field(
        description="The rep's payments_received target for the period in this currency"
    )
    attainment_percent: Decimal | None = Field(
        description="payments_base ÷ target × 100, rounded half-up to two places; null "
        "without a target"
    )
    multiplier: Decimal = Field(description="Of the attainment tier reached (1 when none)")
    commission: MoneyOut = Field(
        description="gross_commission × multiplier, rounded half-up to the cent"
    )


class CommissionLine(ResponseSchema):
    category: str | None = Field(
        description="Product category of this share (null: uncategorised). " + APPORTION_DESCRIPTION
    )
    base: MoneyOut = Field(description="This share of the payment")
    rate: Decimal = Field(description=RATE_DESCRIPTION)
    rule: LineRule = Field(
        description="What set the rate: the plan's base rate or an override (category, rfm_tier)"
    )
    commission: MoneyOut = Field(description="base × rate ÷ 100, rounded half-up to the cent")


class CommissionPayment(ResponseSchema):
    payment_id: uuid.UUID = Field(description="The payment")
    received_on: date = Field(description="When it was received")
    amount: MoneyOut = Field(description="The payment amount (what the lines add up to)")
    currency: str = Field(description="Its currency")
    contract_id: uuid.UUID = Field(description="The contract it paid")
    contract_number: str = Field(description="The contract's number")
    customer_id: uuid.UUID = Field(description="The customer")
    customer_name: str = Field(description="The customer's name")
    tier: str | None = Field(description="The customer's current RFM tier key, if scored")
    installments: list[int] = Field(
        description="Numbers of the installments it was allocated to (empty: credit only)"
    )
    lines: list[CommissionLine] = Field(description=APPORTION_DESCRIPTION)
    commission: MoneyOut = Field(description="Sum of the line commissions")
