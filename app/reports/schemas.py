"""Periodic reports: what a rep or a team did in a day, week or month."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from app.contracts.money import MoneyOut
from app.core.schemas import RequestSchema, ResponseSchema


class ReportKind(StrEnum):
    daily = "daily"
    weekly = "weekly"
    monthly = "monthly"


class ReportSubjectKind(StrEnum):
    user = "user"
    team = "team"


class ReportLang(StrEnum):
    zh = "zh-CN"
    en = "en"


class Money(ResponseSchema):
    currency: str = Field(description="ISO 4217 code")
    amount: MoneyOut = Field(description="Sum in that currency (never converted)")
    count: int = Field(description="How many rows the sum is over")


class ReportMetrics(ResponseSchema):
    """The numbers of one subject in one period (workspace time zone), each attributed to
    a person: customers, leads and deals to their owner, follow-ups to their author,
    payments and receivables to the contract's owner, tickets to their assignee."""

    new_customers: int = Field(description="Customers created in the period, by owner")
    new_leads: int = Field(description="Leads created in the period, by owner")
    follow_ups: int = Field(description="Follow-ups (every kind) that occurred, by author")
    visits: int = Field(description="Of those, visits")
    deals_created: int = Field(description="Deals created in the period, by owner")
    deals_won: int = Field(description="Deals won in the period (won_at), by owner")
    won_amount: list[Money] = Field(description="Their amounts per currency")
    deals_lost: int = Field(description="Deals lost in the period (lost_at), by owner")
    lost_amount: list[Money] = Field(description="Their amounts per currency")
    payments_received: list[Money] = Field(
        description="Payments received in the period (not voided), per currency"
    )
    overdue_receivables: list[Money] = Field(
        description="Outstanding on installments due before the period's end (overdue when "
        "it closed), per currency, as of generation; count = installments"
    )
    tickets_created: int = Field(description="Service tickets created, by assignee")
    tickets_resolved: int = Field(description="Service tickets resolved, by assignee")


class ReportMember(ReportMetrics):
    user_id: uuid.UUID = Field(description="Member")
    name: str = Field(description="Member's name")


class ReportContent(ResponseSchema):
    totals: ReportMetrics = Field(description="The subject's numbers (a team: its subtree)")
    members: list[ReportMember] = Field(
        description="A team report: each active member of the subtree; empty for a rep"
    )


class ReportSummary(ResponseSchema):
    id: uuid.UUID = Field(description="Report id")
    kind: ReportKind = Field(description="daily, weekly or monthly")
    subject_kind: ReportSubjectKind = Field(description="A rep (user) or a team subtree")
    subject_id: uuid.UUID = Field(description="The user or team")
    subject_name: str = Field(description="Its name when generated")
    period: str = Field(description="Period label: 2026-12-01, 2026-W49 or 2026-12")
    period_start: date = Field(description="First day")
    period_end: date = Field(description="First day after the period")
    time_zone: str = Field(description="Time zone the days are counted in")
    partial: bool = Field(description="Generated before the period ended")
    generated_at: datetime = Field(description="When the content was computed")
    generated_by: uuid.UUID | None = Field(description="Who asked for it (null: the schedule)")
    version: int = Field(description="Bumped each time it is regenerated")


class Report(ReportSummary):
    content: ReportContent = Field(description="The numbers")


class ReportGenerate(RequestSchema):
    kind: ReportKind = Field(description="daily, weekly or monthly")
    period: str = Field(
        max_length=10,
        description="A label of the kind: 2026-12-01 (daily), 2026-W49 (weekly), 2026-12 "
        "(monthly); the period must have started",
    )
    subject_kind: ReportSubjectKind = Field(description="user or team")
    subject_id: uuid.UUID = Field(description="The user or team, within your analytics scope")
