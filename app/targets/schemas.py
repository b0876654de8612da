from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from app.analytics.period import PERIOD_PATTERN
from app.core.schemas import RequestSchema, ResponseSchema


class SubjectKind(StrEnum):
    user = "user"
    team = "team"
    workspace = "workspace"


class TargetMetric(StrEnum):
    won_amount = "won_amount"
    payments_received = "payments_received"
    new_customers = "new_customers"
    follow_ups = "follow_ups"


class TargetPeriodKind(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


METRIC_DESCRIPTION = (
    "won_amount: deals won in the period (by `won_at`), by their owner; payments_received: "
    "payments received in the period (by `received_on`), not voided, by the contract's "
    "owner; new_customers: customers created in the period, by their owner; follow_ups: "
    "follow-up records of every kind in the period, by their author. A team counts the "
    "people of its whole subtree, the workspace everything."
)
TARGET_PERIOD_DESCRIPTION = "The period: `2026-12` (month), `2026-Q4` (quarter) or `2026` (year)"


class Target(ResponseSchema):
    id: uuid.UUID = Field(description="Target id")
    subject_kind: SubjectKind = Field(description="Whose target: a user, a team or the workspace")
    subject_id: uuid.UUID = Field(
        description="The user, team or workspace (the workspace's id for a workspace target)"
    )
    subject_name: str = Field(description="The subject's name")
    period: str = Field(description="Period label, e.g. 2026-12, 2026-Q4, 2026")
    period_kind: TargetPeriodKind = Field(description="month, quarter or year")
    period_start: date = Field(description="First day of the period")
    period_end: date = Field(description="First day after the period")
    metric: TargetMetric = Field(description=METRIC_DESCRIPTION)
    target_value: Decimal = Field(
        description="The number to reach: an amount (two decimals) for money metrics, a "
        "whole count otherwise"
    )
    currency: str | None = Field(description="ISO 4217 currency of money metrics, else null")
    created_at: datetime = Field(description="Created")
    updated_at: datetime = Field(description="Last changed")
    version: int = Field(description="Version (ETag)")


class TargetCreate(RequestSchema):
    subject_kind: SubjectKind = Field(description="user, team or workspace")
    subject_id: uuid.UUID | None = Field(
        default=None, description="The user or team; omit for a workspace target"
    )
    period: str = Field(
        max_length=10, pattern=PERIOD_PATTERN, description=TARGET_PERIOD_DESCRIPTION
    )
    metric: TargetMetric = Field(description=METRIC_DESCRIPTION)
    target_value: Decimal = Field(
        gt=0,
        max_digits=18,
        decimal_places=2,
        description="Greater than zero; a whole number for new_customers and follow_ups",
    )
    currency: str | None = Field(
        default=None,
        pattern="^[A-Z]{3}$",
        description="Money metrics only (default CNY); must be omitted for counts",
    )


class TargetUpdate(RequestSchema):
    target_value: Decimal | None = Field(
        default=None,
        gt=0,
        max_digits=18,
        decimal_places=2,
        description="The new number to reach",
    )
    currency: str | None = Field(
        default=None, pattern="^[A-Z]{3}$", description="Money metrics only"
    )


class TargetProgress(ResponseSchema):
    target_id: uuid.UUID = Field(description="The target")
    subject_kind: SubjectKind = Field(description="user, team or workspace")
    subject_id: uuid.UUID = Field(description="The user, team or workspace")
    subject_name: str = Field(description="The subject's name")
    metric: TargetMetric = Field(description=METRIC_DESCRIPTION)
    currency: str | None = Field(description="Currency of money metrics, else null")
    target_value: Decimal = Field(description="The number to reach")
    actual: Decimal = Field(
        description="Reached so far in the period (amount with two decimals, or a count)"
    )
    count: int = Field(description="Rows behind `actual`: deals, payments, customers or follow-ups")
    percent: Decimal = Field(
        description="actual ÷ target × 100, rounded half-up to two places (may exceed 100)"
    )
    remaining: Decimal = Field(description="target − actual, never below zero")
    days_total: int = Field(description="Days in the period")
    days_left: int = Field(
        description="Days still to come, today included (0 once the period is over; the "
        "whole period while it has not started)"
    )
    expected_to_date: Decimal = Field(
        description="Linear pace: target × (days_total − days_left) ÷ days_total, rounded "
        "half-up to two places — where the subject should be by the start of today"
    )
    pace_needed_per_day: Decimal | None = Field(
        description="remaining ÷ days_left, rounded half-up to two places; null once the "
        "period is over"
    )
    on_track: bool = Field(description="actual ≥ expected_to_date")


class ProgressReport(ResponseSchema):
    period: str = Field(description="The period label")
    period_start: date = Field(description="First day of the period")
    period_end: date = Field(description="First day after the period")
    today: date = Field(description="Today in the workspace time zone")
    as_of: datetime = Field(description="When the numbers were computed")
    items: list[TargetProgress] = Field(
        description="Targets of the period in your scope: workspace first, then teams, then "
        "people, by name and metric"
    )
