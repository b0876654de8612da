"""Pipeline analytics responses. Percentages and ratios are decimal strings rounded half-up
to two places; money is a decimal string with two places beside its currency."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from app.contracts.money import MoneyOut
from app.core.schemas import ResponseSchema


class CurrencyAmount(ResponseSchema):
    currency: str = Field(description="ISO 4217 code")
    amount: MoneyOut = Field(description="Sum in that currency (never converted)")


class CurrencyCount(CurrencyAmount):
    deals: int = Field(description="Deals summed")


class FunnelStageKind(StrEnum):
    open = "open"
    won = "won"


class FunnelStage(ResponseSchema):
    stage_id: uuid.UUID = Field(description="Stage")
    name_zh: str = Field(description="Stage name (Chinese)")
    name_en: str = Field(description="Stage name (English)")
    position: int = Field(description="Order in the pipeline")
    kind: FunnelStageKind = Field(description="open stages in order, then the won stage(s)")
    entered: int = Field(
        description="Deals of the cohort that reached this stage or a later open stage "
        "(a deal that skipped stages passed them; every cohort deal entered the first "
        "stage; a won deal passed every open stage). For a won stage: the cohort's deals "
        "won in it"
    )
    advanced: int | None = Field(
        description="Of those, how many reached the next open stage (the last open stage: "
        "how many were won); null for a won stage"
    )
    conversion_rate: Decimal | None = Field(
        description="advanced ÷ entered × 100, half-up to 2 places; null when nobody entered "
        "or for a won stage"
    )


class Funnel(ResponseSchema):
    pipeline_id: uuid.UUID = Field(description="The pipeline (the default one unless named)")
    period: str = Field(description="The period label")
    definition: str = Field(description="How the cohort is built (for tooltips)")
    stages: list[FunnelStage] = Field(description="Open stages in order, then won stages")
    created: int = Field(
        description="The cohort: deals of the pipeline created in the period (workspace "
        "time zone), in scope and filters, not deleted"
    )
    won: int = Field(description="Cohort deals won by now")
    lost: int = Field(description="Cohort deals lost by now")
    open: int = Field(description="Cohort deals still open")
    win_rate: Decimal | None = Field(
        description="won ÷ (won + lost) × 100, half-up to 2 places; null while none is closed"
    )
    overall_conversion: Decimal | None = Field(
        description="won ÷ created × 100, half-up to 2 places; null for an empty cohort"
    )
    won_amount: list[CurrencyAmount] = Field(description="Won amount of the cohort per currency")
    avg_cycle_days: Decimal | None = Field(
        description="Mean days from creation to win of the cohort's won deals, half-up to "
        "1 place; null when none was won"
    )


class ForecastMonth(ResponseSchema):
    month: str = Field(description="YYYY-MM (expected close month / month won)")
    won: MoneyOut = Field(description="Won in the month (won_at in the workspace time zone)")
    commit: MoneyOut = Field(
        description="won + open deals expected to close in the month with probability ≥ "
        "commit_probability, at full amount"
    )
    best_case: MoneyOut = Field(
        description="won + every open deal expected to close in the month, at full amount"
    )
    weighted: MoneyOut = Field(
        description="won + Σ amount × probability ÷ 100 of the open deals expected to close in "
        "the month (the sum rounded half-up to the cent)"
    )
    open_deals: int = Field(description="Open deals expected to close in the month")
    target: MoneyOut | None = Field(
        description="The won-amount target of the subject for the month in this currency, "
        "or null when none is set"
    )


class TargetSubjectKind(StrEnum):
    user = "user"
    team = "team"
    workspace = "workspace"


class Forecast(ResponseSchema):
    currency: str = Field(description="Only deals in this currency are counted")
    commit_probability: int = Field(description="Probability (%) from which a deal is commit")
    target_subject_kind: TargetSubjectKind = Field(
        description="Whose targets the target line shows: the owner filter's user, else the "
        "team filter's team, else the caller's own (sales), team (manager) or the workspace"
    )
    target_subject_id: uuid.UUID | None = Field(description="That user or team (null: workspace)")
    months: list[ForecastMonth] = Field(description="One row per month, in order")
    past_due_open: CurrencyCount = Field(
        description="Open deals whose expected close date is before the first month (not in "
        "any month above)"
    )


class Coverage(ResponseSchema):
    period: str = Field(description="The period label")
    currency: str = Field(description="Only deals in this currency are counted")
    as_of: date = Field(description="Today in the workspace time zone")
    target: MoneyOut | None = Field(description="Won-amount target of the subject, or null")
    target_subject_kind: TargetSubjectKind = Field(description="Whose target (see forecast)")
    target_subject_id: uuid.UUID | None = Field(description="That user or team (null: workspace)")
    won: MoneyOut = Field(description="Won in the period so far")
    remaining: MoneyOut | None = Field(
        description="max(target − won, 0): what is still to win; null without a target"
    )
    open_amount: MoneyOut = Field(
        description="Open deals expected to close in the period, full amount"
    )
    weighted: MoneyOut = Field(description="The same, Σ amount × probability ÷ 100")
    open_deals: int = Field(description="How many open deals that is")
    coverage: Decimal | None = Field(
        description="open_amount ÷ remaining, half-up to 2 places (3.00 = three times the "
        "gap); null without a target or once it is met"
    )
    weighted_coverage: Decimal | None = Field(description="weighted ÷ remaining, likewise")


class StaleDeal(ResponseSchema):
    id: uuid.UUID = Field(description="Deal")
    name: str = Field(description="Deal name")
    customer_id: uuid.UUID = Field(description="Customer")
    customer_name: str | None = Field(description="Customer's name")
    owner_id: uuid.UUID | None = Field(description="Owner")
    owner_name: str | None = Field(description="Owner's name")
    pipeline_id: uuid.UUID = Field(description="Pipeline")
    stage_id: uuid.UUID = Field(description="Current stage")
    stage_name_zh: str = Field(description="Stage name (Chinese)")
    stage_name_en: str = Field(description="Stage name (English)")
    amount: MoneyOut = Field(description="Amount")
    currency: str = Field(description="Currency")
    probability: int = Field(description="Win probability (%)")
    expected_close_date: date | None = Field(description="Expected close date")
    stage_entered_at: datetime = Field(description="Entered the current stage at")
    rotting_days: int = Field(description="The stage's rotting limit (days)")
    days_in_stage: int = Field(description="Whole days in the current stage")
    days_overdue: int = Field(description="Whole days past the rotting limit")


class LostReasonRow(ResponseSchema):
    lost_reason_id: uuid.UUID | None = Field(description="Reason (null: none recorded)")
    label_zh: str | None = Field(description="Reason (Chinese)")
    label_en: str | None = Field(description="Reason (English)")
    deals: int = Field(description="Deals lost for this reason")
    share: Decimal = Field(description="deals ÷ all lost × 100, half-up to 2 places")
    amounts: list[CurrencyAmount] = Field(description="Their amounts per currency")


class LostReasons(ResponseSchema):
    period: str = Field(description="The period label (deals lost in it)")
    lost: int = Field(description="Deals lost in the period")
    rows: list[LostReasonRow] = Field(description="Most frequent reason first")


class CampaignRoiRow(ResponseSchema):
    campaign_id: uuid.UUID = Field(description="Campaign")
    name: str = Field(description="Campaign name")
    channel: str | None = Field(description="Channel")
    status: str = Field(description="Campaign status")
    currency: str = Field(description="The campaign's currency (cost and counted deals)")
    actual_cost: MoneyOut | None = Field(description="What it cost (null: not recorded)")
    leads: int = Field(description="Leads of the campaign in scope")
    deals: int = Field(description="Deals attributed to it in scope (any currency)")
    won_deals: int = Field(description="Of those, won, in the campaign's currency")
    won_amount: MoneyOut = Field(description="Their amount")
    open_amount: MoneyOut = Field(description="Open deals attributed, campaign's currency")
    roi: Decimal | None = Field(
        description="won_amount ÷ actual_cost, half-up to 2 places (2.50 = 2.5 yuan won per "
        "yuan spent); null without a cost"
    )


class CampaignRoi(ResponseSchema):
    period: str | None = Field(description="Campaigns that ran in this period (null: all)")
    rows: list[CampaignRoiRow] = Field(description="Highest won amount first")


class CycleStage(ResponseSchema):
    stage_id: uuid.UUID = Field(description="Stage")
    name_zh: str = Field(description="Stage name (Chinese)")
    name_en: str = Field(description="Stage name (English)")
    position: int = Field(description="Order in the pipeline")
    deals: int = Field(description="Won deals that spent time in this stage")
    avg_days: Decimal | None = Field(
        description="Their mean total time in it (days, half-up to 1 place)"
    )


class SalesCycle(ResponseSchema):
    period: str = Field(description="The period label (deals won in it)")
    pipeline_id: uuid.UUID = Field(description="The pipeline (the default one unless named)")
    won_deals: int = Field(description="Deals won in the period")
    avg_days: Decimal | None = Field(
        description="Mean days from creation to win, half-up to 1 place; null when none"
    )
    median_days: Decimal | None = Field(description="Median of the same, half-up to 1 place")
    min_days: Decimal | None = Field(description="Shortest, half-up to 1 place")
    max_days: Decimal | None = Field(description="Longest, half-up to 1 place")
    stages: list[CycleStage] = Field(description="Open stages in order")
