"""Service-desk configuration: ticket settings, business calendars, SLA policies, routing
rules and public intake forms. Managers, admins and owners change them (settings: owners
and admins); everyone with access to tickets reads them."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import Ctx
from app.contracts import clock
from app.core.audit import record_mutation, snapshot
from app.errors import FieldError, Forbidden, UnprocessableEntity
from app.models.ticket import BusinessCalendar, SlaPolicy, TicketForm, TicketRoutingRule
from app.models.user import Team
from app.models.workspace import Workspace
from app.tickets import schemas
from app.tickets.repository import (
    CalendarRepository,
    RoutingRuleRepository,
    SlaPolicyRepository,
    TicketFormRepository,
)
from app.tickets.sla import (
    HORIZON_DAYS,
    Calendar,
    NoWorkingTime,
    add_business_time,
    check_periods,
    parse_hhmm,
)

DEFAULT_TYPES = ["question", "complaint", "repair", "return", "other"]
DEFAULT_SETTINGS: dict[str, Any] = {
    "number_prefix": "GD",
    "types": DEFAULT_TYPES,
    "reopen_days": 7,
    "csat_days": 7,
    "auto_close_days": 7,
}


def require_manager(ctx: Ctx, what: str) -> None:
    if not ctx.principal.is_manager:
        raise Forbidden(f"Only managers, admins and owners {what}.")


def _null_refused(name: str) -> UnprocessableEntity:
    return UnprocessableEntity(
        f"{name} cannot be empty.",
        errors=[FieldError(field=f"body.{name}", message="cannot be null")],
    )


# --- settings ----------------------------------------------------------------------------


async def ticket_settings(session: AsyncSession) -> schemas.TicketSettings:
    raw = (await session.execute(select(Workspace.settings))).scalar_one_or_none() or {}
    return schemas.TicketSettings(**{**DEFAULT_SETTINGS, **raw.get("tickets", {})})


async def update_settings(ctx: Ctx, data: schemas.TicketSettingsUpdate) -> schemas.TicketSettings:
    if not ctx.principal.is_admin:
        raise Forbidden("Only owners and admins change ticket settings.")
    workspace = (await ctx.session.execute(select(Workspace).with_for_update())).scalar_one()
    before = dict(workspace.settings.get("tickets", {}))
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "types" in changes:
        changes["types"] = list(dict.fromkeys(changes["types"]))
    conf = {**before, **changes}
    workspace.settings = {**workspace.settings, "tickets": conf}
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="workspace",
        action="updated",
        entity_id=workspace.id,
        sequence=workspace.version,
        before={"tickets": before},
        after={"tickets": conf},
    )
    return await ticket_settings(ctx.session)


async def check_type(session: AsyncSession, value: str, field: str = "body.type") -> None:
    types = (await ticket_settings(session)).types
    if value not in types:
        raise UnprocessableEntity(
            "Unknown ticket type.",
            code="invalid_ticket_type",
            errors=[FieldError(field=field, message=f"must be one of: {', '.join(types)}")],
        )


# --- business calendars ------------------------------------------------------------------


def _periods_json(periods: Sequence[schemas.Period]) -> list[list[str]]:
    return [[p.start, p.end] for p in periods]


def _periods_of(raw: Sequence[Sequence[str]]) -> tuple[tuple[int, int], ...]:
    return check_periods([(parse_hhmm(a), parse_hhmm(b)) for a, b in raw])


def to_calendar(row: BusinessCalendar | None, zone: ZoneInfo) -> Calendar:
    """The pure calendar of a stored one; None (a policy without calendar) is 24×7."""
    if row is None:
        return Calendar.always(zone)
    return Calendar(
        ZoneInfo(row.timezone),
        {int(day) - 1: _periods_of(periods) for day, periods in row.weekly_hours.items()},
        frozenset(datetime.fromisoformat(h["date"]).date() for h in row.holidays),
        {datetime.fromisoformat(w["date"]).date(): _periods_of(w["hours"]) for w in row.workdays},
    )


def calendar_out(row: BusinessCalendar) -> schemas.BusinessCalendar:
    def periods(raw: Sequence[Sequence[str]]) -> list[schemas.PeriodRead]:
        return [schemas.PeriodRead(start=a, end=b) for a, b in raw]

    return schemas.BusinessCalendar(
        id=row.id,
        name=row.name,
        timezone=row.timezone,
        weekly_hours=[
            schemas.WeekdayHoursRead(weekday=int(day), periods=periods(p))
            for day, p in sorted(row.weekly_hours.items())
        ],
        holidays=[schemas.HolidayRead(date=h["date"], name=h.get("name")) for h in row.holidays],
        workdays=[
            schemas.MakeupWorkdayRead(
                date=w["date"], name=w.get("name"), periods=periods(w["hours"])
            )
            for w in row.workdays
        ],
        version=row.version,
    )


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise UnprocessableEntity(
            "Unknown time zone.",
            code="invalid_calendar",
            errors=[FieldError(field="body.timezone", message="not an IANA time zone")],
        ) from exc
    return name


def _weekly(hours: Sequence[schemas.WeekdayHours]) -> dict[str, list[list[str]]]:
    days = [h.weekday for h in hours]
    if len(set(days)) != len(days):
        raise UnprocessableEntity(
            "A weekday is listed twice.",
            code="invalid_calendar",
            errors=[FieldError(field="body.weekly_hours", message="weekday listed twice")],
        )
    weekly = {str(h.weekday): _periods_json(h.periods) for h in hours if h.periods}
    if not weekly:
        raise UnprocessableEntity(
            "A calendar needs working hours on at least one weekday.",
            code="invalid_calendar",
            errors=[FieldError(field="body.weekly_hours", message="no working hours")],
        )
    return weekly


CALENDAR_FIELDS = ("name", "timezone", "weekly_hours", "holidays", "workdays")


def _longest_target(targets: dict[str, Any]) -> int:
    return max(
        (
            minutes
            for target in targets.values()
            for minutes in (target.get("first_response_minutes"), target.get("resolution_minutes"))
            if minutes
        ),
        default=1,
    )


def _check_reachable(cal: Calendar, minutes: int, field: str) -> None:
    """A clock started now must be able to reach `minutes` of working time within the
    horizon (holidays may cover every working day; a few minutes a week cannot hold a
    long target); otherwise the calendar or policy is refused, not the tickets later."""
    try:
        add_business_time(cal, clock.utcnow(), timedelta(minutes=minutes))
    except NoWorkingTime as exc:
        raise UnprocessableEntity(
            f"The calendar does not provide {minutes} working minutes within "
            f"{HORIZON_DAYS // 366} years.",
            code="invalid_calendar",
            errors=[FieldError(field=field, message="not enough working time")],
        ) from exc


async def _check_calendar_usable(ctx: Ctx, row: BusinessCalendar) -> None:
    """Some working time at all, and enough for the policies that use the calendar."""
    cal = to_calendar(row, ZoneInfo(row.timezone))
    _check_reachable(cal, 1, "body.weekly_hours")
    policies = await ctx.session.execute(
        select(SlaPolicy.targets).where(
            SlaPolicy.calendar_id == row.id, SlaPolicy.deleted_at.is_(None)
        )
    )
    longest = max((_longest_target(t) for t in policies.scalars()), default=1)
    _check_reachable(cal, longest, "body.weekly_hours")


async def create_calendar(ctx: Ctx, data: schemas.BusinessCalendarCreate) -> BusinessCalendar:
    require_manager(ctx, "edit business calendars")
    zone = data.timezone or str(await clock.workspace_zone(ctx.session))
    row = BusinessCalendar(
        workspace_id=ctx.principal.workspace_id,
        name=data.name,
        timezone=_zone(zone),
        weekly_hours=_weekly(data.weekly_hours),
        holidays=[h.model_dump(mode="json") for h in data.holidays],
        workdays=[
            {"date": w.date.isoformat(), "name": w.name, "hours": _periods_json(w.periods)}
            for w in data.workdays
        ],
        created_by=ctx.principal.user_id,
    )
    await _check_calendar_usable(ctx, row)
    ctx.session.add(row)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="business_calendar",
        action="created",
        entity_id=row.id,
        sequence=row.version,
        before=None,
        after=snapshot(row, CALENDAR_FIELDS),
    )
    return row


async def update_calendar(
    ctx: Ctx, calendar_id: uuid.UUID, data: schemas.BusinessCalendarUpdate, if_match: int | None
) -> BusinessCalendar:
    """Change a calendar. Due times already set on tickets stay; new clocks, resumed
    clocks and priority changes use the new hours."""
    require_manager(ctx, "edit business calendars")
    row = await CalendarRepository(ctx.session, ctx.principal).get_writable(
        calendar_id, if_match=if_match
    )
    before = snapshot(row, CALENDAR_FIELDS)
    fields = data.model_fields_set
    for name in fields:
        if getattr(data, name) is None:
            raise _null_refused(name)
    if data.name is not None:
        row.name = data.name
    if data.timezone is not None:
        row.timezone = _zone(data.timezone)
    if data.weekly_hours is not None:
        row.weekly_hours = _weekly(data.weekly_hours)
    if data.holidays is not None:
        row.holidays = [h.model_dump(mode="json") for h in data.holidays]
    if data.workdays is not None:
        row.workdays = [
            {"date": w.date.isoformat(), "name": w.name, "hours": _periods_json(w.periods)}
            for w in data.workdays
        ]
    await _check_calendar_usable(ctx, row)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="business_calendar",
        action="updated",
        entity_id=row.id,
        sequence=row.version,
        before=before,
        after=snapshot(row, CALENDAR_FIELDS),
    )
    return row


async def delete_calendar(ctx: Ctx, calendar_id: uuid.UUID) -> None:
    """Soft-delete; policies using it keep it until they are given another one."""
    require_manager(ctx, "edit business calendars")
    row = await CalendarRepository(ctx.session, ctx.principal).get_writable(calendar_id)
    row.deleted_at = clock.utcnow()
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="business_calendar",
        action="deleted",
        entity_id=row.id,
        sequence=row.version,
        before={"name": row.name},
        after=None,
    )


async def preview_calendar(
    ctx: Ctx, calendar_id: uuid.UUID, start: datetime, minutes: int
) -> schemas.CalendarPreview:
    row = await CalendarRepository(ctx.session, ctx.principal).get(calendar_id)
    cal = to_calendar(row, ZoneInfo(row.timezone))
    try:
        due = add_business_time(cal, start, timedelta(minutes=minutes))
    except (OverflowError, NoWorkingTime) as exc:
        raise UnprocessableEntity(
            "No due time within the calendar's range.",
            code="invalid_parameter",
            errors=[FieldError(field="query.start", message="out of range")],
        ) from exc
    return schemas.CalendarPreview(
        start=start,
        minutes=minutes,
        due_at=due,
        due_local=due.astimezone(cal.zone).isoformat(),
    )


# --- SLA policies ------------------------------------------------------------------------


POLICY_FIELDS = (
    "name",
    "position",
    "active",
    "customer_levels",
    "customer_rfm_tiers",
    "calendar_id",
    "targets",
    "warning_minutes",
)


def _targets(targets: dict[schemas.TicketPriority, schemas.SlaTarget]) -> dict[str, Any]:
    return {
        priority.value: target.model_dump()
        for priority, target in targets.items()
        if target.first_response_minutes or target.resolution_minutes
    }


async def _check_calendar(ctx: Ctx, calendar_id: uuid.UUID | None) -> None:
    if calendar_id is None:
        return
    found = await ctx.session.scalar(
        select(BusinessCalendar.id).where(
            BusinessCalendar.id == calendar_id, BusinessCalendar.deleted_at.is_(None)
        )
    )
    if found is None:
        raise UnprocessableEntity(
            "No such business calendar.",
            code="invalid_reference",
            errors=[FieldError(field="body.calendar_id", message="unknown calendar")],
        )


async def _check_targets_reachable(ctx: Ctx, row: SlaPolicy) -> None:
    calendar = None
    if row.calendar_id is not None:
        calendar = await ctx.session.scalar(
            select(BusinessCalendar).where(BusinessCalendar.id == row.calendar_id)
        )
    zone = await clock.workspace_zone(ctx.session)
    _check_reachable(to_calendar(calendar, zone), _longest_target(row.targets), "body.targets")


def policy_out(row: SlaPolicy) -> schemas.SlaPolicy:
    return schemas.SlaPolicy(
        id=row.id,
        name=row.name,
        position=row.position,
        active=row.active,
        customer_levels=list(row.customer_levels),
        customer_rfm_tiers=list(row.customer_rfm_tiers),
        calendar_id=row.calendar_id,
        targets={
            schemas.TicketPriority(k): schemas.SlaTargetRead(
                first_response_minutes=v.get("first_response_minutes"),
                resolution_minutes=v.get("resolution_minutes"),
            )
            for k, v in row.targets.items()
        },
        warning_minutes=row.warning_minutes,
        version=row.version,
    )


async def create_policy(ctx: Ctx, data: schemas.SlaPolicyCreate) -> SlaPolicy:
    require_manager(ctx, "edit SLA policies")
    await _check_calendar(ctx, data.calendar_id)
    row = SlaPolicy(
        workspace_id=ctx.principal.workspace_id,
        name=data.name,
        position=data.position,
        active=data.active,
        customer_levels=list(dict.fromkeys(data.customer_levels)),
        customer_rfm_tiers=list(dict.fromkeys(data.customer_rfm_tiers)),
        calendar_id=data.calendar_id,
        targets=_targets(data.targets),
        warning_minutes=data.warning_minutes,
        created_by=ctx.principal.user_id,
    )
    await _check_targets_reachable(ctx, row)
    ctx.session.add(row)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="sla_policy",
        action="created",
        entity_id=row.id,
        sequence=row.version,
        before=None,
        after=snapshot(row, POLICY_FIELDS),
    )
    return row


async def update_policy(
    ctx: Ctx, policy_id: uuid.UUID, data: schemas.SlaPolicyUpdate, if_match: int | None
) -> SlaPolicy:
    """Change a policy; tickets keep the targets they were given (new tickets and priority
    changes use the new ones)."""
    require_manager(ctx, "edit SLA policies")
    row = await SlaPolicyRepository(ctx.session, ctx.principal).get_writable(
        policy_id, if_match=if_match
    )
    before = snapshot(row, POLICY_FIELDS)
    fields = data.model_fields_set
    for name in fields - {"calendar_id"}:
        if getattr(data, name) is None:
            raise _null_refused(name)
    if "calendar_id" in fields:
        await _check_calendar(ctx, data.calendar_id)
        row.calendar_id = data.calendar_id
    for name in fields & {"name", "position", "active", "warning_minutes"}:
        setattr(row, name, getattr(data, name))
    if data.customer_levels is not None:
        row.customer_levels = list(dict.fromkeys(data.customer_levels))
    if data.customer_rfm_tiers is not None:
        row.customer_rfm_tiers = list(dict.fromkeys(data.customer_rfm_tiers))
    if data.targets is not None:
        row.targets = _targets(data.targets)
    if fields & {"calendar_id", "targets"}:
        await _check_targets_reachable(ctx, row)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="sla_policy",
        action="updated",
        entity_id=row.id,
        sequence=row.version,
        before=before,
        after=snapshot(row, POLICY_FIELDS),
    )
    return row


async def delete_policy(ctx: Ctx, policy_id: uuid.UUID) -> None:
    require_manager(ctx, "edit SLA policies")
    row = await SlaPolicyRepository(ctx.session, ctx.principal).get_writable(policy_id)
    row.deleted_at = clock.utcnow()
    row.active = False
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="sla_policy",
        action="deleted",
        entity_id=row.id,
        sequence=row.version,
        before={"name": row.name},
        after=None,
    )


# --- routing rules -----------------------------------------------------------------------


RULE_FIELDS = ("name", "position", "active", "conditions", "team_id", "strategy", "capacity")


async def _check_team(ctx: Ctx, team_id: uuid.UUID | None, field: str = "body.team_id") -> None:
    if team_id is None:
        return
    found = await ctx.session.scalar(
        select(Team.id).where(Team.id == team_id, Team.deleted_at.is_(None))
    )
    if found is None:
        raise UnprocessableEntity(
            "No such team.",
            code="invalid_reference",
            errors=[FieldError(field=field, message="unknown team")],
        )


def rule_out(row: TicketRoutingRule) -> schemas.RoutingRule:
    c = row.conditions or {}
    return schemas.RoutingRule(
        id=row.id,
        name=row.name,
        position=row.position,
        active=row.active,
        conditions=schemas.RoutingConditionsRead(
            channels=c.get("channels", []),
            types=c.get("types", []),
            customer_levels=c.get("customer_levels", []),
        ),
        team_id=row.team_id,
        strategy=schemas.RoutingStrategy(row.strategy),
        capacity=row.capacity,
        version=row.version,
    )


async def create_rule(ctx: Ctx, data: schemas.RoutingRuleCreate) -> TicketRoutingRule:
    require_manager(ctx, "edit routing rules")
    await _check_team(ctx, data.team_id)
    row = TicketRoutingRule(
        workspace_id=ctx.principal.workspace_id,
        name=data.name,
        position=data.position,
        active=data.active,
        conditions=data.conditions.model_dump(mode="json"),
        team_id=data.team_id,
        strategy=data.strategy.value,
        capacity=data.capacity,
        state={},
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(row)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="ticket_routing_rule",
        action="created",
        entity_id=row.id,
        sequence=row.version,
        before=None,
        after=snapshot(row, RULE_FIELDS),
    )
    return row


async def update_rule(
    ctx: Ctx, rule_id: uuid.UUID, data: schemas.RoutingRuleUpdate, if_match: int | None
) -> TicketRoutingRule:
    """Change a rule; a new team or strategy starts its turn-taking afresh."""
    require_manager(ctx, "edit routing rules")
    row = await RoutingRuleRepository(ctx.session, ctx.principal).get_writable(
        rule_id, if_match=if_match
    )
    before = snapshot(row, RULE_FIELDS)
    fields = data.model_fields_set
    for name in fields - {"capacity"}:
        if getattr(data, name) is None:
            raise _null_refused(name)
    if data.team_id is not None:
        await _check_team(ctx, data.team_id)
        row.team_id = data.team_id
    for name in fields & {"name", "position", "active"}:
        setattr(row, name, getattr(data, name))
    if data.strategy is not None:
        row.strategy = data.strategy.value
    if data.conditions is not None:
        row.conditions = data.conditions.model_dump(mode="json")
    if "capacity" in fields:
        row.capacity = data.capacity
    if fields & {"team_id", "strategy"}:
        row.state = {}
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="ticket_routing_rule",
        action="updated",
        entity_id=row.id,
        sequence=row.version,
        before=before,
        after=snapshot(row, RULE_FIELDS),
    )
    return row


async def delete_rule(ctx: Ctx, rule_id: uuid.UUID) -> None:
    require_manager(ctx, "edit routing rules")
    row = await RoutingRuleRepository(ctx.session, ctx.principal).get_writable(rule_id)
    row.deleted_at = clock.utcnow()
    row.active = False
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="ticket_routing_rule",
        action="deleted",
        entity_id=row.id,
        sequence=row.version,
        before={"name": row.name},
        after=None,
    )


# --- intake forms ------------------------------------------------------------------------


FORM_FIELDS = ("name", "type", "priority", "team_id", "active")


async def create_form(ctx: Ctx, data: schemas.TicketFormCreate) -> TicketForm:
    require_manager(ctx, "manage intake forms")
    await check_type(ctx.session, data.type)
    await _check_team(ctx, data.team_id)
    row = TicketForm(
        workspace_id=ctx.principal.workspace_id,
        name=data.name,
        token=secrets.token_urlsafe(24),
        type=data.type,
        priority=data.priority.value,
        team_id=data.team_id,
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(row)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="ticket_form",
        action="created",
        entity_id=row.id,
        sequence=row.version,
        before=None,
        after=snapshot(row, FORM_FIELDS),
    )
    return row


async def update_form(
    ctx: Ctx, form_id: uuid.UUID, data: schemas.TicketFormUpdate, if_match: int | None
) -> TicketForm:
    require_manager(ctx, "manage intake forms")
    row = await TicketFormRepository(ctx.session, ctx.principal).get_writable(
        form_id, if_match=if_match
    )
    before = snapshot(row, FORM_FIELDS)
    fields = data.model_fields_set
    for name in fields - {"team_id"}:
        if getattr(data, name) is None:
            raise _null_refused(name)
    if data.type is not None:
        await check_type(ctx.session, data.type)
        row.type = data.type
    if "team_id" in fields:
        await _check_team(ctx, data.team_id)
        row.team_id = data.team_id
    if data.priority is not None:
        row.priority = data.priority.value
    for name in fields & {"name", "active"}:
        setattr(row, name, getattr(data, name))
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="ticket_form",
        action="updated",
        entity_id=row.id,
        sequence=row.version,
        before=before,
        after=snapshot(row, FORM_FIELDS),
    )
    return row
