from __future__ import annotations

import datetime as dt
import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

from app.core.schemas import RequestSchema, ResponseSchema
from app.tickets.sla import check_periods, parse_hhmm

PhoneText = Annotated[str, StringConstraints(min_length=1, max_length=40)]
TypeName = Annotated[str, StringConstraints(min_length=1, max_length=40)]
LevelName = Annotated[str, StringConstraints(min_length=1, max_length=40)]
TierName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
HHMM = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]


class TicketStatus(StrEnum):
    new = "new"
    open = "open"
    pending = "pending"
    resolved = "resolved"
    closed = "closed"


class TicketChannel(StrEnum):
    phone = "phone"
    email = "email"
    web_form = "web_form"
    wechat = "wechat"
    other = "other"


class TicketPriority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


class CommentVisibility(StrEnum):
    public = "public"
    internal = "internal"


class RoutingStrategy(StrEnum):
    round_robin = "round_robin"
    least_loaded = "least_loaded"
    none = "none"


class TicketQueue(StrEnum):
    all = "all"
    mine = "mine"
    team = "team"
    unassigned = "unassigned"
    breaching = "breaching"


class ClockState(StrEnum):
    none = "none"
    running = "running"
    paused = "paused"
    met = "met"
    breached = "breached"


# --- tickets -----------------------------------------------------------------------------


class SlaClock(ResponseSchema):
    target_minutes: int | None = Field(description="Working minutes allowed; null: no target")
    due_at: datetime | None = Field(
        description="When the target is due (working hours of the policy's calendar); while "
        "paused, the due time if the clock resumed now"
    )
    remaining_seconds: int | None = Field(
        description="Working seconds left (negative: overdue by that much); null without a "
        "target or once met"
    )
    state: ClockState = Field(
        description="none (no target), running, paused (pending on the customer), met "
        "(in time), breached (late, whether or not met since)"
    )
    breached: bool = Field(description="The target was or is missed")
    met_at: datetime | None = Field(description="When it was met (first reply / resolution)")


class TicketSla(ResponseSchema):
    policy_id: uuid.UUID | None = Field(description="SLA policy applied; null: none applies")
    paused: bool = Field(description="The clocks stand still (pending on the customer)")
    paused_seconds: int = Field(description="Working seconds the clocks stood still so far")
    first_response: SlaClock = Field(description="First public reply by staff")
    resolution: SlaClock = Field(description="Resolution")


class TicketCsat(ResponseSchema):
    token: str = Field(description="Public survey token: `/public/csat/{token}`, no login")
    expires_at: datetime = Field(description="The link works until then, once")
    rating: int | None = Field(description="1–5 once rated")
    comment: str | None = Field(description="The customer's comment")
    rated_at: datetime | None = Field(description="When rated")


_CLOCK_EXAMPLE: JsonDict = {
    "target_minutes": 60,
    "due_at": "2026-11-02T03:00:00Z",
    "remaining_seconds": 1260,
    "state": "running",
    "breached": False,
    "met_at": None,
}
TICKET_EXAMPLE: JsonDict = {
    "id": "01a22ee7-e03d-71db-a860-82133b65732c",
    "number": "GD-000123",
    "customer_id": "01a22ee7-dd55-71c3-9ae5-0f7601227445",
    "customer_name": "上海浦江精密机械有限公司",
    "contact_id": None,
    "requester_name": "王先生",
    "requester_phone": "13805740001",
    "requester_email": None,
    "subject": "数控机床主轴异响",
    "description": "3 号机床主轴运行时有异响",
    "channel": "phone",
    "type": "repair",
    "priority": "high",
    "status": "new",
    "allowed_statuses": ["open", "pending", "resolved", "closed"],
    "reopen_until": None,
    "assignee_id": "01a22ee7-e076-72e1-908c-8728cd56e581",
    "team_id": "01a22ee7-dd55-71c3-9ae5-0f7601227446",
    "routing_rule_id": "01a22ee7-dd55-71c3-9ae5-0f7601227447",
    "assignment_note": "rule 'Everything to service', round-robin, next after 孙悦",
    "contract_id": None,
    "product_id": None,
    "order_id": None,
    "form_id": None,
    "tag_ids": [],
    "custom_fields": {},
    "sla": {
        "policy_id": "01a22ee7-e055-73da-963f-d5271ea860c5",
        "paused": False,
        "paused_seconds": 0,
        "first_response": _CLOCK_EXAMPLE,
        "resolution": {
            **_CLOCK_EXAMPLE,
            "target_minutes": 480,
            "due_at": "2026-11-03T02:30:00Z",
            "remaining_seconds": 27060,
        },
    },
    "first_response_due_at": "2026-11-02T03:00:00Z",
    "resolution_due_at": "2026-11-03T02:30:00Z",
    "first_response_breached": False,
    "resolution_breached": False,
    "first_responded_at": None,
    "resolved_at": None,
    "closed_at": None,
    "reopened_count": 0,
    "csat": None,
    "return_visit_task_id": None,
    "return_visit_activity_id": None,
    "return_visit_score": None,
    "created_by": "01a22ee7-dd55-71c3-9ae5-0f7601227448",
    "created_at": "2026-11-02T02:00:00Z",
    "updated_at": "2026-11-02T02:00:00Z",
    "version": 1,
}


class Ticket(ResponseSchema):
    model_config = ConfigDict(json_schema_extra={"examples": [TICKET_EXAMPLE]})

    id: uuid.UUID = Field(description="Ticket id")
    number: str = Field(description="Per-workspace number, e.g. GD-000123")
    customer_id: uuid.UUID | None = Field(description="Customer; null when not matched")
    customer_name: str | None = Field(description="The customer's name (if you may see it)")
    contact_id: uuid.UUID | None = Field(description="Contact of the customer")
    requester_name: str | None = Field(description="Who asked, as they gave it")
    requester_phone: str | None = Field(description="Requester's phone")
    requester_email: str | None = Field(description="Requester's e-mail")
    subject: str = Field(description="Subject")
    description: str | None = Field(description="Description")
    channel: TicketChannel = Field(description="phone, email, web_form, wechat, other")
    type: str = Field(description="Type from the workspace list (question, complaint, ...)")
    priority: TicketPriority = Field(description="low, normal, high, urgent")
    status: TicketStatus = Field(
        description="new → open → pending (waiting on the customer) → resolved → closed"
    )
    allowed_statuses: list[TicketStatus] = Field(
        description="Statuses `POST /tickets/{id}/status` accepts now (the SPA's actions)"
    )
    reopen_until: datetime | None = Field(
        description="A resolved or closed ticket can be reopened until then"
    )
    assignee_id: uuid.UUID | None = Field(description="Agent; null: in the unassigned queue")
    team_id: uuid.UUID | None = Field(description="Team queue it is routed to")
    routing_rule_id: uuid.UUID | None = Field(description="Routing rule that assigned it")
    assignment_note: str | None = Field(description="Why it went to its team/agent")
    contract_id: uuid.UUID | None = Field(description="Linked contract")
    product_id: uuid.UUID | None = Field(description="Linked product")
    order_id: uuid.UUID | None = Field(description="Linked order")
    form_id: uuid.UUID | None = Field(description="Public intake form it came from")
    tag_ids: list[uuid.UUID] = Field(description="Tags")
    custom_fields: dict[str, Any] = Field(description="Custom fields (entity `ticket`)")
    sla: TicketSla = Field(description="SLA clocks, computed now")
    first_response_due_at: datetime | None = Field(description="First response due")
    resolution_due_at: datetime | None = Field(description="Resolution due")
    first_response_breached: bool = Field(description="First response target missed")
    resolution_breached: bool = Field(description="Resolution target missed")
    first_responded_at: datetime | None = Field(description="First public staff reply")
    resolved_at: datetime | None = Field(description="Resolved at (the last time)")
    closed_at: datetime | None = Field(description="Closed at")
    reopened_count: int = Field(description="Times reopened")
    csat: TicketCsat | None = Field(description="The latest satisfaction survey")
    return_visit_task_id: uuid.UUID | None = Field(description="Scheduled return visit task")
    return_visit_activity_id: uuid.UUID | None = Field(description="Logged return visit")
    return_visit_score: int | None = Field(description="Satisfaction 1–5 from the return visit")
    created_by: uuid.UUID | None = Field(description="Created by (null: public intake)")
    created_at: datetime = Field(description="Created at (the SLA clocks start here)")
    updated_at: datetime = Field(description="Last changed at")
    version: int = Field(description="Version (ETag)")


class TicketCreate(RequestSchema):
    customer_id: uuid.UUID | None = Field(default=None, description="Customer")
    contact_id: uuid.UUID | None = Field(default=None, description="Contact of the customer")
    requester_name: str | None = Field(default=None, max_length=100, description="Who asks")
    requester_phone: PhoneText | None = Field(default=None, description="Requester's phone")
    requester_email: EmailStr | None = Field(default=None, description="Requester's e-mail")
    subject: str = Field(min_length=1, max_length=200, description="Subject")
    description: str | None = Field(default=None, max_length=20_000, description="Description")
    channel: TicketChannel = Field(default=TicketChannel.other, description="Channel")
    type: TypeName = Field(default="question", description="Type (workspace list)")
    priority: TicketPriority = Field(default=TicketPriority.normal, description="Priority")
    assignee_id: uuid.UUID | None = Field(
        default=None, description="Agent; omit to route by the rules"
    )
    team_id: uuid.UUID | None = Field(default=None, description="Team; omit to route")
    contract_id: uuid.UUID | None = Field(default=None, description="Linked contract")
    product_id: uuid.UUID | None = Field(default=None, description="Linked product")
    order_id: uuid.UUID | None = Field(default=None, description="Linked order")
    tag_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50, description="Tags")
    custom_fields: dict[str, Any] | None = Field(default=None, description="Custom fields")

    @model_validator(mode="after")
    def _someone_asks(self) -> TicketCreate:
        if self.customer_id is None and not (
            self.requester_name or self.requester_phone or self.requester_email
        ):
            raise ValueError("give a customer_id or the requester's name, phone or e-mail")
        return self


class TicketUpdate(RequestSchema):
    subject: str | None = Field(default=None, min_length=1, max_length=200, description="Subject")
    description: str | None = Field(default=None, max_length=20_000, description="Description")
    type: TypeName | None = Field(default=None, description="Type (workspace list)")
    priority: TicketPriority | None = Field(
        default=None, description="Priority (the SLA targets follow it)"
    )
    channel: TicketChannel | None = Field(default=None, description="Channel")
    customer_id: uuid.UUID | None = Field(default=None, description="Customer")
    contact_id: uuid.UUID | None = Field(default=None, description="Contact")
    requester_name: str | None = Field(default=None, max_length=100, description="Requester")
    requester_phone: PhoneText | None = Field(default=None, description="Requester's phone")
    requester_email: EmailStr | None = Field(default=None, description="Requester's e-mail")
    contract_id: uuid.UUID | None = Field(default=None, description="Linked contract")
    product_id: uuid.UUID | None = Field(default=None, description="Linked product")
    order_id: uuid.UUID | None = Field(default=None, description="Linked order")
    tag_ids: list[uuid.UUID] | None = Field(default=None, max_length=50, description="Tags")
    custom_fields: dict[str, Any] | None = Field(default=None, description="Custom fields")


class StatusChange(RequestSchema):
    status: TicketStatus = Field(
        description="Target status; reopening is `open` from resolved/closed"
    )
    note: str | None = Field(default=None, max_length=1000, description="Why (in the history)")
    return_visit_at: datetime | None = Field(
        default=None,
        description="With `resolved`: schedule a return visit (回访) task at this time",
    )
    return_visit_assignee_id: uuid.UUID | None = Field(
        default=None, description="Who makes the return visit (default: the assignee)"
    )

    @field_validator("return_visit_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a time zone")
        return value


class TicketAssign(RequestSchema):
    assignee_id: uuid.UUID | None = Field(
        default=None, description="Agent; null puts it back in the unassigned queue"
    )
    team_id: uuid.UUID | None = Field(
        default=None, description="Team (default: keep; the assignee's team when unset)"
    )
    reroute: bool = Field(
        default=False, description="Ignore the other fields and apply the routing rules again"
    )


class ReturnVisitCreate(RequestSchema):
    content: str = Field(min_length=1, max_length=10_000, description="What the customer said")
    satisfaction: int = Field(ge=1, le=5, description="Satisfaction 1–5")
    contact_id: uuid.UUID | None = Field(default=None, description="Contact spoken to")
    occurred_at: datetime | None = Field(default=None, description="When (default: now)")

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a time zone")
        return value


class StatusHistoryItem(ResponseSchema):
    id: uuid.UUID = Field(description="History entry id")
    from_status: TicketStatus | None = Field(description="Before (null: created)")
    to_status: TicketStatus = Field(description="After")
    actor_id: uuid.UUID | None = Field(description="Who (null: the system or the public)")
    note: str | None = Field(description="Why")
    at: datetime = Field(description="When")


class Comment(ResponseSchema):
    id: uuid.UUID = Field(description="Comment id")
    ticket_id: uuid.UUID = Field(description="Ticket")
    visibility: CommentVisibility = Field(
        description="public (a reply the customer sees) or internal (a note for staff)"
    )
    body: str = Field(description="Text")
    author_id: uuid.UUID | None = Field(description="Staff author; null: the customer")
    author_name: str | None = Field(description="Author's name as shown")
    created_at: datetime = Field(description="Written at")


class CommentCreate(RequestSchema):
    body: str = Field(min_length=1, max_length=20_000, description="Text")
    visibility: CommentVisibility = Field(
        default=CommentVisibility.public,
        description="public reply (the first one stops the first-response clock) or internal",
    )


# --- SLA policies and calendars ------------------------------------------------------------


class SlaTarget(RequestSchema):
    first_response_minutes: int | None = Field(
        default=None, ge=1, le=525_600, description="Working minutes to the first reply"
    )
    resolution_minutes: int | None = Field(
        default=None, ge=1, le=525_600, description="Working minutes to resolution"
    )


class SlaTargetRead(ResponseSchema):
    first_response_minutes: int | None = Field(description="Working minutes to the first reply")
    resolution_minutes: int | None = Field(description="Working minutes to resolution")


class SlaPolicy(ResponseSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "01a22ee7-e055-73da-963f-d5271ea860c5",
                    "name": "大客户 Key accounts",
                    "position": 0,
                    "active": True,
                    "customer_levels": ["A"],
                    "customer_rfm_tiers": ["vip"],
                    "calendar_id": "01a22ee7-e03d-71db-a860-82133b65732c",
                    "targets": {
                        "urgent": {"first_response_minutes": 15, "resolution_minutes": 240},
                        "normal": {"first_response_minutes": 60, "resolution_minutes": 960},
                    },
                    "warning_minutes": 15,
                    "version": 1,
                }
            ]
        }
    )

    id: uuid.UUID = Field(description="Policy id")
    name: str = Field(description="Name")
    position: int = Field(description="Order tried (lowest first; level-specific policies win)")
    active: bool = Field(description="Applied to new tickets")
    customer_levels: list[str] = Field(
        description="Customer levels it applies to; empty: every customer (fallback)"
    )
    customer_rfm_tiers: list[str] = Field(
        description="Customer value (RFM) tier keys it applies to; empty: any tier. A policy "
        "naming levels and tiers applies when both match"
    )
    calendar_id: uuid.UUID | None = Field(
        description="Business calendar; null: the clock runs around the clock"
    )
    targets: dict[TicketPriority, SlaTargetRead] = Field(
        description="Targets per priority; a missing priority has no SLA"
    )
    warning_minutes: int = Field(description="Warn this many working minutes before due")
    version: int = Field(description="Version")


class SlaPolicyCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=120, description="Name")
    position: int = Field(default=0, ge=0, le=10_000, description="Order")
    active: bool = Field(default=True, description="Active")
    customer_levels: list[LevelName] = Field(
        default_factory=list, max_length=20, description="Customer levels; empty: all"
    )
    customer_rfm_tiers: list[TierName] = Field(
        default_factory=list, max_length=10, description="RFM tier keys; empty: any tier"
    )
    calendar_id: uuid.UUID | None = Field(default=None, description="Business calendar")
    targets: dict[TicketPriority, SlaTarget] = Field(description="Targets per priority")
    warning_minutes: int = Field(default=30, ge=0, le=10_080, description="Warning lead")


class SlaPolicyUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=120, description="Name")
    position: int | None = Field(default=None, ge=0, le=10_000, description="Order")
    active: bool | None = Field(default=None, description="Active")
    customer_levels: list[LevelName] | None = Field(
        default=None, max_length=20, description="Customer levels; empty: all"
    )
    customer_rfm_tiers: list[TierName] | None = Field(
        default=None, max_length=10, description="RFM tier keys; empty: any tier"
    )
    calendar_id: uuid.UUID | None = Field(default=None, description="Business calendar")
    targets: dict[TicketPriority, SlaTarget] | None = Field(
        default=None, description="Targets per priority"
    )
    warning_minutes: int | None = Field(default=None, ge=0, le=10_080, description="Warning")


class Period(RequestSchema):
    start: HHMM = Field(description="Local start, HH:MM")
    end: HHMM = Field(description="Local end, HH:MM (24:00 = midnight)")


class PeriodRead(ResponseSchema):
    start: str = Field(description="Local start, HH:MM")
    end: str = Field(description="Local end, HH:MM")


def _checked(periods: list[Period]) -> list[Period]:
    try:
        check_periods([(parse_hhmm(p.start), parse_hhmm(p.end)) for p in periods])
    except ValueError as exc:
        raise ValueError(str(exc)) from exc
    return periods


class WeekdayHours(RequestSchema):
    weekday: int = Field(ge=1, le=7, description="ISO weekday: 1 = Monday … 7 = Sunday")
    periods: list[Period] = Field(max_length=6, description="Working periods that day")

    @field_validator("periods")
    @classmethod
    def _periods(cls, value: list[Period]) -> list[Period]:
        return _checked(value)


class Holiday(RequestSchema):
    date: dt.date = Field(description="Day off")
    name: str | None = Field(default=None, max_length=60, description="e.g. 国庆节")


class MakeupWorkday(RequestSchema):
    date: dt.date = Field(description="Worked day (调休), usually a Saturday or Sunday")
    name: str | None = Field(default=None, max_length=60, description="e.g. 国庆调休")
    periods: list[Period] = Field(min_length=1, max_length=6, description="Working periods")

    @field_validator("periods")
    @classmethod
    def _periods(cls, value: list[Period]) -> list[Period]:
        return _checked(value)


class WeekdayHoursRead(ResponseSchema):
    weekday: int = Field(description="ISO weekday: 1 = Monday … 7 = Sunday")
    periods: list[PeriodRead] = Field(description="Working periods")


class HolidayRead(ResponseSchema):
    date: dt.date = Field(description="Day off")
    name: str | None = Field(description="Name")


class MakeupWorkdayRead(ResponseSchema):
    date: dt.date = Field(description="Worked day")
    name: str | None = Field(description="Name")
    periods: list[PeriodRead] = Field(description="Working periods")


class BusinessCalendar(ResponseSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "01a22ee7-e03d-71db-a860-82133b65732c",
                    "name": "上海客服中心 Shanghai service hours",
                    "timezone": "Asia/Shanghai",
                    "weekly_hours": [
                        {
                            "weekday": 1,
                            "periods": [
                                {"start": "09:00", "end": "12:00"},
                                {"start": "13:30", "end": "18:00"},
                            ],
                        }
                    ],
                    "holidays": [{"date": "2026-10-01", "name": "国庆节"}],
                    "workdays": [
                        {
                            "date": "2026-10-10",
                            "name": "国庆调休",
                            "periods": [{"start": "09:00", "end": "18:00"}],
                        }
                    ],
                    "version": 1,
                }
            ]
        }
    )

    id: uuid.UUID = Field(description="Calendar id")
    name: str = Field(description="Name")
    timezone: str = Field(description="IANA time zone of the hours (default: the workspace's)")
    weekly_hours: list[WeekdayHoursRead] = Field(description="Hours per weekday (1–7)")
    holidays: list[HolidayRead] = Field(description="Days off")
    workdays: list[MakeupWorkdayRead] = Field(description="Make-up working days (调休)")
    version: int = Field(description="Version")


def _unique_dates(values: list[Any], what: str) -> list[Any]:
    days = [v.date for v in values]
    if len(set(days)) != len(days):
        raise ValueError(f"a {what} date is listed twice")
    return values


class BusinessCalendarCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=120, description="Name")
    timezone: str | None = Field(
        default=None, max_length=64, description="IANA zone (default: the workspace's)"
    )
    weekly_hours: list[WeekdayHours] = Field(max_length=7, description="Hours per weekday")
    holidays: list[Holiday] = Field(default_factory=list, max_length=400, description="Days off")
    workdays: list[MakeupWorkday] = Field(
        default_factory=list, max_length=100, description="Make-up working days"
    )

    @field_validator("holidays")
    @classmethod
    def _holidays(cls, value: list[Holiday]) -> list[Holiday]:
        return _unique_dates(value, "holiday")

    @field_validator("workdays")
    @classmethod
    def _workdays(cls, value: list[MakeupWorkday]) -> list[MakeupWorkday]:
        return _unique_dates(value, "make-up workday")


class BusinessCalendarUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=120, description="Name")
    timezone: str | None = Field(default=None, max_length=64, description="IANA zone")
    weekly_hours: list[WeekdayHours] | None = Field(
        default=None, max_length=7, description="Hours per weekday"
    )
    holidays: list[Holiday] | None = Field(default=None, max_length=400, description="Days off")
    workdays: list[MakeupWorkday] | None = Field(
        default=None, max_length=100, description="Make-up working days"
    )

    @field_validator("holidays")
    @classmethod
    def _holidays(cls, value: list[Holiday] | None) -> list[Holiday] | None:
        return None if value is None else _unique_dates(value, "holiday")

    @field_validator("workdays")
    @classmethod
    def _workdays(cls, value: list[MakeupWorkday] | None) -> list[MakeupWorkday] | None:
        return None if value is None else _unique_dates(value, "make-up workday")


class CalendarPreview(ResponseSchema):
    start: datetime = Field(description="Start instant")
    minutes: int = Field(description="Working minutes added")
    due_at: datetime = Field(description="When that much working time has passed")
    due_local: str = Field(description="due_at in the calendar's zone, ISO 8601")


# --- routing rules and intake forms --------------------------------------------------------


class RoutingConditions(RequestSchema):
    channels: list[TicketChannel] = Field(default_factory=list, description="Channel is one of")
    types: list[TypeName] = Field(default_factory=list, description="Type is one of")
    customer_levels: list[LevelName] = Field(
        default_factory=list, description="The customer's level is one of"
    )


class RoutingConditionsRead(ResponseSchema):
    channels: list[TicketChannel] = Field(description="Channel is one of (empty: any)")
    types: list[str] = Field(description="Type is one of (empty: any)")
    customer_levels: list[str] = Field(description="Customer level is one of (empty: any)")


class RoutingRule(ResponseSchema):
    id: uuid.UUID = Field(description="Rule id")
    name: str = Field(description="Name")
    position: int = Field(description="Order tried (lowest first)")
    active: bool = Field(description="Applied to new tickets")
    conditions: RoutingConditionsRead = Field(description="All given conditions must match")
    team_id: uuid.UUID = Field(description="Team the ticket goes to")
    strategy: RoutingStrategy = Field(
        description="round_robin / least_loaded among the team's active members, or none "
        "(the team's unassigned queue)"
    )
    capacity: int | None = Field(description="Skip agents with this many open tickets")
    version: int = Field(description="Version")


class RoutingRuleCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=150, description="Name")
    position: int = Field(default=0, ge=0, le=10_000, description="Order")
    active: bool = Field(default=True, description="Active")
    conditions: RoutingConditions = Field(
        default_factory=RoutingConditions, description="Conditions"
    )
    team_id: uuid.UUID = Field(description="Team")
    strategy: RoutingStrategy = Field(default=RoutingStrategy.round_robin, description="Strategy")
    capacity: int | None = Field(default=None, ge=1, le=100_000, description="Max open tickets")


class RoutingRuleUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=150, description="Name")
    position: int | None = Field(default=None, ge=0, le=10_000, description="Order")
    active: bool | None = Field(default=None, description="Active")
    conditions: RoutingConditions | None = Field(default=None, description="Conditions")
    team_id: uuid.UUID | None = Field(default=None, description="Team")
    strategy: RoutingStrategy | None = Field(default=None, description="Strategy")
    capacity: int | None = Field(default=None, ge=1, le=100_000, description="Max open tickets")


class TicketForm(ResponseSchema):
    id: uuid.UUID = Field(description="Form id")
    name: str = Field(description="Name")
    token: str = Field(description="Public token: `POST /public/forms/{token}/tickets`")
    type: str = Field(description="Type given to its tickets")
    priority: TicketPriority = Field(description="Priority given to its tickets")
    team_id: uuid.UUID | None = Field(description="Team for tickets no routing rule claims")
    active: bool = Field(description="Accepting submissions")
    version: int = Field(description="Version")


class TicketFormCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=150, description="Name")
    type: TypeName = Field(default="question", description="Type of its tickets")
    priority: TicketPriority = Field(default=TicketPriority.normal, description="Priority")
    team_id: uuid.UUID | None = Field(default=None, description="Fallback team")


class TicketFormUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=150, description="Name")
    type: TypeName | None = Field(default=None, description="Type of its tickets")
    priority: TicketPriority | None = Field(default=None, description="Priority")
    team_id: uuid.UUID | None = Field(default=None, description="Fallback team")
    active: bool | None = Field(default=None, description="Accepting submissions")


class PublicTicket(RequestSchema):
    name: str = Field(min_length=1, max_length=100, description="Your name")
    company: str | None = Field(default=None, max_length=200, description="Company")
    phone: PhoneText | None = Field(default=None, description="Phone")
    email: EmailStr | None = Field(default=None, description="E-mail")
    subject: str = Field(min_length=1, max_length=200, description="Subject")
    description: str | None = Field(default=None, max_length=5000, description="What happened")
    website: str | None = Field(default=None, max_length=200, description="Leave empty (spam trap)")


class PublicTicketAccepted(ResponseSchema):
    accepted: bool = Field(description="The request was received")
    number: str | None = Field(description="Ticket number to quote when asking about it")


class CsatState(StrEnum):
    open = "open"
    rated = "rated"
    expired = "expired"


class PublicSurvey(ResponseSchema):
    workspace_name: str = Field(description="Who asks")
    ticket_number: str = Field(description="Ticket number")
    subject: str = Field(description="Ticket subject")
    state: CsatState = Field(description="open (can rate), rated, expired")
    expires_at: datetime = Field(description="The link works until then")
    rating: int | None = Field(description="The rating given")
    comment: str | None = Field(description="The comment given")


class CsatRating(RequestSchema):
    rating: int = Field(ge=1, le=5, description="1 (very unhappy) … 5 (very happy)")
    comment: str | None = Field(default=None, max_length=2000, description="Comment")


# --- settings, dashboard, reports ----------------------------------------------------------


class TicketSettings(ResponseSchema):
    number_prefix: str = Field(description="Ticket numbers are <prefix>-<000123>")
    types: list[str] = Field(description="Ticket types offered (question, complaint, ...)")
    reopen_days: int = Field(description="A resolved ticket can be reopened this many days")
    csat_days: int = Field(description="A satisfaction link works this many days")
    auto_close_days: int = Field(
        description="Resolved tickets close automatically after this many days (0: never)"
    )


class TicketSettingsUpdate(RequestSchema):
    number_prefix: str | None = Field(
        default=None, pattern="^[A-Za-z0-9]{1,10}$", description="1–10 letters or digits"
    )
    types: list[TypeName] | None = Field(
        default=None, min_length=1, max_length=30, description="Ticket types"
    )
    reopen_days: int | None = Field(default=None, ge=0, le=365, description="Reopen window")
    csat_days: int | None = Field(default=None, ge=1, le=90, description="Survey validity")
    auto_close_days: int | None = Field(default=None, ge=0, le=365, description="0: never")


class Dashboard(ResponseSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "open_by_priority": {"low": 1, "normal": 6, "high": 3, "urgent": 2},
                    "open_by_status": {"new": 2, "open": 7, "pending": 3},
                    "mine_open": 4,
                    "unassigned": 1,
                    "breaching_soon": 2,
                    "breached_open": 1,
                    "breaches_last_7_days": 3,
                    "resolved_last_7_days": 18,
                    "csat_average_30_days": 4.35,
                    "csat_responses_30_days": 23,
                }
            ]
        }
    )

    open_by_priority: dict[TicketPriority, int] = Field(
        description="Open tickets (new, open, pending) per priority"
    )
    open_by_status: dict[str, int] = Field(description="Open tickets per status")
    mine_open: int = Field(description="Open tickets assigned to you")
    unassigned: int = Field(description="Open tickets without an agent")
    breaching_soon: int = Field(description="Running clocks past their warning, not yet due")
    breached_open: int = Field(description="Open tickets with a missed target")
    breaches_last_7_days: int = Field(description="SLA breaches on tickets created in 7 days")
    resolved_last_7_days: int = Field(description="Tickets resolved in the last 7 days")
    csat_average_30_days: float | None = Field(description="Average CSAT rating, 30 days")
    csat_responses_30_days: int = Field(description="CSAT ratings received, 30 days")


class ReportGroup(StrEnum):
    none = "none"
    team = "team"
    assignee = "assignee"
    priority = "priority"


class CsatGroup(StrEnum):
    none = "none"
    team = "team"
    assignee = "assignee"


class ReportPeriod(StrEnum):
    none = "none"
    day = "day"
    week = "week"
    month = "month"


class CsatSource(StrEnum):
    csat = "csat"
    return_visit = "return_visit"


class SlaReportRow(ResponseSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "group": "urgent",
                    "period_start": "2026-11-02",
                    "tickets": 12,
                    "first_response_met": 10,
                    "first_response_breached": 2,
                    "first_response_compliance": 83.3,
                    "resolution_met": 9,
                    "resolution_breached": 1,
                    "resolution_compliance": 90.0,
                }
            ]
        }
    )

    group: str | None = Field(description="Team id, assignee id or priority (null: none / all)")
    period_start: date | None = Field(description="First day of the period (workspace zone)")
    tickets: int = Field(description="Tickets created")
    first_response_met: int = Field(description="First responses in time")
    first_response_breached: int = Field(description="First responses late or overdue")
    first_response_compliance: float | None = Field(
        description="met / (met + breached) in percent; null with nothing decided"
    )
    resolution_met: int = Field(description="Resolutions in time")
    resolution_breached: int = Field(description="Resolutions late or overdue")
    resolution_compliance: float | None = Field(description="Percent, as above")


class CsatReportRow(ResponseSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "group": "01a22ee7-e076-72e1-908c-8728cd56e581",
                    "period_start": "2026-11-01",
                    "responses": 8,
                    "average": 4.38,
                    "distribution": {"1": 0, "2": 0, "3": 1, "4": 3, "5": 4},
                }
            ]
        }
    )

    group: str | None = Field(description="Team id or agent id (null: none / all)")
    period_start: date | None = Field(description="First day of the period (workspace zone)")
    responses: int = Field(description="Ratings")
    average: float | None = Field(description="Average rating 1–5")
    distribution: dict[str, int] = Field(description="Ratings per score, keys '1'…'5'")
