from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from app.core.schemas import ResponseSchema


class LeaderboardMetric(StrEnum):
    won_amount = "won_amount"
    payments = "payments"
    new_customers = "new_customers"
    follow_ups = "follow_ups"
    visits = "visits"


class LeaderboardRow(ResponseSchema):
    rank: int = Field(
        description="1 for the highest value; equal values share a rank and the next rank "
        "skips (1, 2, 2, 4)"
    )
    user_id: uuid.UUID = Field(description="The person")
    user_name: str = Field(description="Their name")
    team_id: uuid.UUID | None = Field(description="Their team")
    team_name: str | None = Field(description="Their team's name")
    value: Decimal = Field(
        description="The amount (decimal string, two places) for won_amount and payments; "
        "the count for the other metrics"
    )
    count: int = Field(
        description="Rows behind the value: deals won, payments, customers, follow-ups or visits"
    )


class Leaderboard(ResponseSchema):
    metric: LeaderboardMetric = Field(description="What is ranked")
    period: str = Field(description="The period label")
    currency: str | None = Field(
        description="ISO 4217 currency of the amounts (money metrics only; other currencies "
        "are left out, never added)"
    )
    as_of: datetime = Field(description="When the numbers were computed")
    rows: list[LeaderboardRow] = Field(
        description="Best first; active sales reps and managers in scope appear even at zero"
    )


class ActivityCounts(ResponseSchema):
    calls: int = Field(description="Follow-ups of kind call")
    visits: int = Field(description="Follow-ups of kind visit")
    meetings: int = Field(description="Follow-ups of kind meeting")
    emails: int = Field(description="Follow-ups of kind email")
    wechats: int = Field(description="Follow-ups of kind wechat")
    notes: int = Field(description="Follow-ups of kind note")
    return_visits: int = Field(description="Follow-ups of kind return_visit")
    total: int = Field(description="All follow-ups")
    customers_touched: int = Field(
        description="Distinct customers followed up (in totals: a customer counts once even "
        "when several people touched it)"
    )


class ActivityStatsRow(ActivityCounts):
    user_id: uuid.UUID = Field(description="The author of the follow-ups")
    user_name: str = Field(description="Their name")
    team_id: uuid.UUID | None = Field(description="Their team")
    team_name: str | None = Field(description="Their team's name")


class ActivityStats(ResponseSchema):
    period: str = Field(description="The period label")
    as_of: datetime = Field(description="When the numbers were computed")
    rows: list[ActivityStatsRow] = Field(
        description="One per person, most follow-ups first (then by name); active sales reps "
        "and managers in scope appear even with none"
    )
    totals: ActivityCounts = Field(description="All the follow-ups of the rows together")
