"""Customer value: RFM settings, scores, distribution, Pareto, churn risk, cohorts, revenue.

Percentages are decimal strings rounded half-up to two places; money is a decimal string
with two places beside its currency (amounts in different currencies are never added).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from app.contracts.money import CurrencyCode, MoneyOut
from app.core.schemas import RequestSchema, ResponseSchema

TierKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
TierName = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Percent = Decimal


class PurchaseSource(StrEnum):
    orders = "orders"
    payments = "payments"


class RfmWeights(ResponseSchema):
    r: int = Field(description="Weight of the recency score")
    f: int = Field(description="Weight of the frequency score")
    m: int = Field(description="Weight of the monetary score")


class RfmWeightsIn(RequestSchema):
    r: int = Field(ge=1, le=100, description="Weight of the recency score (1–100)")
    f: int = Field(ge=1, le=100, description="Weight of the frequency score (1–100)")
    m: int = Field(ge=1, le=100, description="Weight of the monetary score (1–100)")


class RfmTier(ResponseSchema):
    key: str = Field(description="Stable key (used by filters and rules), e.g. `vip`")
    name_zh: str = Field(description="Name shown in Chinese")
    name_en: str = Field(description="Name shown in English")
    min_score: int = Field(description="Lowest total score in the tier (inclusive)")
    max_score: int = Field(description="Highest total score in the tier (inclusive)")


class RfmTierIn(RequestSchema):
    key: TierKey = Field(description="Stable key: lower-case letters, digits, underscores")
    name_zh: TierName = Field(description="Name shown in Chinese")
    name_en: TierName = Field(description="Name shown in English")
    min_score: int = Field(ge=0, le=100_000, description="Lowest total score (inclusive)")
    max_score: int = Field(ge=0, le=100_000, description="Highest total score (inclusive)")


_SOURCES = (
    "Purchases counted: `orders` (paid, shipped or completed, by order time) and/or "
    "`payments` received on contracts (by the day received, voided ones excluded)"
)
_RECENCY = (
    "Days since the last purchase at most these for R = 5, 4, 3, 2 (strictly increasing); "
    "longer ago: R = 1. Default [30, 90, 180, 365]: bought within a month → R 5"
)
_FREQUENCY = (
    "Purchases within the window at least these for F = 2, 3, 4, 5 (strictly increasing); "
    "fewer: F = 1. Default [2, 3, 4, 6]: 4 purchases → F 4"
)
_MONETARY = (
    "Amount within the window (in `currency`) at least these for M = 2, 3, 4, 5 (strictly "
    "increasing); less: M = 1. Default [1000, 5000, 20000, 50000]: 20,000 → M 4"
)
_TIERS = (
    "Tiers by total score, best first: contiguous ranges (no gaps, no overlaps) that cover "
    "every possible score, from 1 × (sum of weights) to 5 × (sum of weights)"
)


class RfmSettingsIn(RequestSchema):
    """The whole RFM configuration (PUT replaces it)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "sources": ["orders", "payments"],
                    "window_days": 365,
                    "currency": "CNY",
                    "recency_max_days": [30, 90, 180, 365],
                    "frequency_min": [2, 3, 4, 6],
                    "monetary_min": ["1000.00", "5000.00", "20000.00", "50000.00"],
                    "weights": {"r": 4, "f": 8, "m": 8},
                    "tiers": [
                        {
                            "key": "vip",
                            "name_zh": "VIP 客户",
                            "name_en": "VIP",
                            "min_score": 80,
                            "max_score": 100,
                        },
                        {
                            "key": "regular",
                            "name_zh": "普通客户",
                            "name_en": "Regular",
                            "min_score": 20,
                            "max_score": 79,
                        },
                    ],
                    "churn_gap_factor": "2.0",
                    "churn_no_follow_up_days": 60,
                }
            ]
        }
    )

    sources: list[PurchaseSource] = Field(min_length=1, max_length=2, description=_SOURCES)
    window_days: int = Field(
        ge=7, le=3650, description="F and M count purchases of the last this many days"
    )
    currency: CurrencyCode = Field(
        description="M sums purchases in this currency only (others count for R and F)"
    )
    recency_max_days: list[Annotated[int, Field(ge=0, le=3650)]] = Field(
        min_length=4, max_length=4, description=_RECENCY
    )
    frequency_min: list[Annotated[int, Field(ge=1, le=100_000)]] = Field(
        min_length=4, max_length=4, description=_FREQUENCY
    )
    monetary_min: list[
        Annotated[Decimal, Field(gt=0, le=Decimal("9999999999999999.99"), decimal_places=2)]
    ] = Field(min_length=4, max_length=4, description=_MONETARY)
    weights: RfmWeightsIn = Field(description="Weights of R, F and M in the total score")
    tiers: list[RfmTierIn] = Field(min_length=1, max_length=10, description=_TIERS)
    churn_gap_factor: Decimal = Field(
        ge=Decimal("1.0"),
        le=Decimal("20.0"),
        decimal_places=1,
        description="Churn risk when the days since the last purchase exceed this many times "
        "the customer's own median gap between purchases (needs three purchase days)",
    )
    churn_no_follow_up_days: int = Field(
        ge=1, le=3650, description="Churn risk when a buyer had no follow-up this many days"
    )


class RfmRunStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class RfmRunTrigger(StrEnum):
    nightly = "nightly"
    manual = "manual"
    settings = "settings"
    demo = "demo"


class RfmRun(ResponseSchema):
    id: uuid.UUID = Field(description="Run id (poll `GET /analytics/rfm/runs/{id}`)")
    status: RfmRunStatus = Field(description="queued, running, succeeded or failed")
    trigger: RfmRunTrigger = Field(
        description="What asked for it: nightly job, manual, settings change, demo"
    )
    requested_by: uuid.UUID | None = Field(description="Who asked (null: the system)")
    requested_at: datetime = Field(description="Queued at")
    started_at: datetime | None = Field(description="Started at")
    finished_at: datetime | None = Field(
        description="Finished at: the `computed_at` of the scores it wrote"
    )
    as_of: date | None = Field(description="The workspace date it scored against")
    customers: int | None = Field(description="Buyers scored")
    changed: int | None = Field(description="Score rows written (new or changed)")
    tier_changes: int | None = Field(description="Customers whose tier changed")
    removed: int | None = Field(description="Customers no longer scored (no purchases left)")
    duration_ms: int | None = Field(description="How long the computation took")
    error: str | None = Field(description="Why it failed")


class RfmSettings(ResponseSchema):
    sources: list[PurchaseSource] = Field(description=_SOURCES)
    window_days: int = Field(description="F and M count purchases of the last this many days")
    currency: str = Field(description="M sums purchases in this currency only")
    recency_max_days: list[int] = Field(description=_RECENCY)
    frequency_min: list[int] = Field(description=_FREQUENCY)
    monetary_min: list[MoneyOut] = Field(description=_MONETARY)
    weights: RfmWeights = Field(description="Weights of R, F and M in the total score")
    tiers: list[RfmTier] = Field(description=_TIERS)
    churn_gap_factor: Decimal = Field(
        description="Churn risk past this many times the customer's median purchase gap"
    )
    churn_no_follow_up_days: int = Field(
        description="Churn risk when a buyer had no follow-up this many days"
    )
    score_min: int = Field(description="Lowest possible total score: 1 × sum of weights")
    score_max: int = Field(description="Highest possible total score: 5 × sum of weights")
    last_run: RfmRun | None = Field(description="The latest run (any status); null: never run")


class RfmSample(RequestSchema):
    recency_days: int = Field(ge=0, le=100_000, description="Days since the last purchase")
    purchases: int = Field(ge=0, le=1_000_000, description="Purchases within the window")
    amount: Decimal = Field(
        ge=0, le=Decimal("9999999999999999.99"), decimal_places=2, description="Amount in window"
    )


class RfmPreviewRequest(RequestSchema):
    settings: RfmSettingsIn = Field(description="The configuration to try (nothing is saved)")
    sample: RfmSample = Field(description="A sample customer's purchase facts")


class RfmPreview(ResponseSchema):
    r: int = Field(description="Recency score 1–5")
    f: int = Field(description="Frequency score 1–5")
    m: int = Field(description="Monetary score 1–5")
    weighted: RfmWeights = Field(description="Each score times its weight")
    score: int = Field(description="Total: r × weight_r + f × weight_f + m × weight_m")
    tier: RfmTier = Field(description="The tier the total falls in")
    score_min: int = Field(description="Lowest possible total score")
    score_max: int = Field(description="Highest possible total score")


class RfmHistoryEntry(ResponseSchema):
    id: uuid.UUID = Field(description="Entry id")
    from_tier: str | None = Field(description="Tier before (null: first scored)")
    to_tier: str | None = Field(description="Tier after (null: no longer scored)")
    score: int | None = Field(description="Total score that placed it in `to_tier`")
    r: int | None = Field(description="Recency score then")
    f: int | None = Field(description="Frequency score then")
    m: int | None = Field(description="Monetary score then")
    changed_at: datetime = Field(description="When the run that moved it finished")
    run_id: uuid.UUID | None = Field(description="The run")


class RfmCubeCell(ResponseSchema):
    r: int = Field(description="Recency score")
    f: int = Field(description="Frequency score")
    m: int = Field(description="Monetary score")
    customers: int = Field(description="Customers with exactly these scores")
    amount: MoneyOut = Field(description="Their amount within the window (settings currency)")


class RfmTierCount(ResponseSchema):
    key: str = Field(description="Tier key")
    name_zh: str = Field(description="Name (Chinese)")
    name_en: str = Field(description="Name (English)")
    min_score: int = Field(description="Lowest score (inclusive)")
    max_score: int = Field(description="Highest score (inclusive)")
    customers: int = Field(description="Customers in the tier")
    amount: MoneyOut = Field(description="Their amount within the window (settings currency)")


class RfmSummary(ResponseSchema):
    sources: list[PurchaseSource] = Field(description="Purchases counted")
    window_days: int = Field(description="Window of F and M in days")
    currency: str = Field(description="Currency of M and of every amount here")
    weights: RfmWeights = Field(description="Weights")
    score_min: int = Field(description="Lowest possible score")
    score_max: int = Field(description="Highest possible score")


class RfmDistribution(ResponseSchema):
    computed_at: datetime | None = Field(
        description="When the scores were computed (the last successful run); null: never"
    )
    as_of: date | None = Field(description="The workspace date those scores refer to")
    settings: RfmSummary = Field(description="The current settings, in short")
    customers: int = Field(description="Scored customers in your scope and filters")
    cube: list[RfmCubeCell] = Field(
        description="Non-empty cells of the 5 × 5 × 5 cube, by r, f, m descending"
    )
    tiers: list[RfmTierCount] = Field(description="Every tier of the settings, best first")


class CurvePoint(ResponseSchema):
    customer_share: Percent = Field(description="Top customers, % of all buyers (0–100)")
    revenue_share: Percent = Field(description="Their % of the revenue, half-up to 2 places")


class Pareto(ResponseSchema):
    period: str = Field(description="The period label")
    currency: str = Field(description="Currency of the revenue (others are not included)")
    total: MoneyOut = Field(description="Revenue of the period from buyers in scope")
    customers: int = Field(description="Buyers with revenue in the period")
    top_percent: int = Field(description="The head's size in % of buyers (default 20)")
    top_customers: int = Field(
        description="Buyers in the head: ceil(customers × top_percent / 100)"
    )
    top_amount: MoneyOut = Field(description="Revenue of the head")
    top_share: Percent | None = Field(
        description="The head's % of the revenue, half-up to 2 places; null without revenue"
    )
    curve: list[CurvePoint] = Field(
        description="Cumulative revenue share at 0, 5, …, 100 % of buyers (largest first)"
    )


class KeyAccount(ResponseSchema):
    customer_id: uuid.UUID = Field(description="Customer")
    name: str = Field(description="Customer name")
    owner_id: uuid.UUID | None = Field(description="Owner")
    rank: int = Field(description="1 = largest revenue of the period")
    revenue: MoneyOut = Field(description="Revenue of the period")
    share: Percent = Field(description="% of the period's revenue, half-up to 2 places")
    cumulative_share: Percent = Field(
        description="% of the revenue from customers ranked up to here, half-up to 2 places"
    )
    tier: str | None = Field(description="Current RFM tier (null: not scored)")


class ChurnReason(StrEnum):
    overdue_vs_own_gap = "overdue_vs_own_gap"
    no_follow_up = "no_follow_up"


class ChurnRisk(ResponseSchema):
    customer_id: uuid.UUID = Field(description="Customer")
    name: str = Field(description="Customer name")
    owner_id: uuid.UUID | None = Field(description="Owner")
    tier: str = Field(description="Current RFM tier")
    score: int = Field(description="Current RFM score")
    reasons: list[ChurnReason] = Field(description="Why it is at risk (one or both)")
    last_purchase_on: date = Field(description="Last purchase day (as of the last run)")
    days_since_purchase: int = Field(description="Days from the last purchase to today")
    median_gap_days: Decimal | None = Field(
        description="The customer's median days between purchase days (three needed)"
    )
    overdue_after_days: Decimal | None = Field(
        description="churn_gap_factor × median gap: beyond this the purchase is overdue"
    )
    last_followed_at: datetime | None = Field(description="Last follow-up (null: never)")
    days_since_follow_up: int = Field(
        description="Days since the last follow-up (never followed: since the customer was created)"
    )


class Cohort(ResponseSchema):
    month: str = Field(description="First-purchase month, YYYY-MM (workspace time zone)")
    customers: int = Field(description="Customers whose first purchase was in that month")
    retention: list[Percent | None] = Field(
        description="For months 1..12 after it: % of the cohort with a purchase in that "
        "month, half-up to 2 places; null for months that have not begun"
    )


class Cohorts(ResponseSchema):
    from_month: str = Field(description="First cohort, YYYY-MM")
    to_month: str = Field(description="Last cohort, YYYY-MM")
    cohorts: list[Cohort] = Field(description="One per month, oldest first")


class Granularity(StrEnum):
    day = "day"
    week = "week"
    month = "month"


class RevenueBucket(ResponseSchema):
    start: date = Field(description="First day of the bucket")
    label: str = Field(description="The bucket as a period label (2026-12-01, 2026-W49, 2026-12)")
    orders_amount: MoneyOut = Field(description="Orders (paid, shipped, completed) placed")
    payments_amount: MoneyOut = Field(description="Payments received on contracts")


class Revenue(ResponseSchema):
    period: str = Field(description="The period label")
    granularity: Granularity = Field(description="Bucket size")
    currency: str = Field(description="Currency (others are not included)")
    orders_total: MoneyOut = Field(description="Orders of the period")
    payments_total: MoneyOut = Field(description="Payments of the period")
    buckets: list[RevenueBucket] = Field(description="Every bucket of the period, in order")


class CustomerRfm(ResponseSchema):
    """The `rfm` of a customer payload: its scores as of the workspace's last RFM run."""

    r: int = Field(description="Recency score 1–5 (days since the last purchase)")
    f: int = Field(description="Frequency score 1–5 (purchases within the window)")
    m: int = Field(description="Monetary score 1–5 (amount within the window)")
    score: int = Field(description="Weighted total (see `GET /settings/rfm`)")
    tier: str = Field(description="Tier key (names in `GET /settings/rfm`)")
    computed_at: datetime = Field(description="When the scores were computed (last run)")
    last_purchase_on: date = Field(description="Last purchase day (workspace time zone)")
    purchases: int = Field(description="Purchases within the window")
    amount: MoneyOut = Field(description="Amount within the window")
    currency: str = Field(description="Currency of `amount`")
