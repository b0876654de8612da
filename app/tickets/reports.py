"""Service reports within the caller's ticket scope: the dashboard cards, SLA compliance
and satisfaction (CSAT surveys or return-visit scores) by team, agent, priority and period
(periods are days, ISO weeks or months in the workspace's time zone)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Date, String, cast, func, literal_column, select
from sqlalchemy.sql.elements import ColumnElement

from app.auth.dependencies import Ctx
from app.contracts import clock
from app.core.scope import scope_condition
from app.models.ticket import OPEN_STATUSES, Ticket, TicketSurvey
from app.tickets import schemas


def _in_scope(ctx: Ctx) -> ColumnElement[bool]:
    return scope_condition(Ticket, ctx.principal, "tickets") & Ticket.deleted_at.is_(None)


def _ratio(met: int, breached: int) -> float | None:
    decided = met + breached
    return None if decided == 0 else round(100.0 * met / decided, 1)


async def dashboard(ctx: Ctx) -> schemas.Dashboard:
    now = clock.utcnow()
    running = Ticket.status.in_(("new", "open"))
    is_open = Ticket.status.in_(OPEN_STATUSES)
    warned = (Ticket.first_responded_at.is_(None) & (Ticket.first_response_warn_at <= now)) | (
        Ticket.resolution_warn_at <= now
    )
    overdue = (Ticket.first_responded_at.is_(None) & (Ticket.first_response_due_at <= now)) | (
        Ticket.resolution_due_at <= now
    )
    breached = Ticket.first_response_breached | Ticket.resolution_breached
    week_ago = now - timedelta(days=7)

    def count(condition: ColumnElement[bool]) -> Any:
        return func.count().filter(condition)

    row = (
        await ctx.session.execute(
            select(
                *(count(is_open & (Ticket.priority == p.value)) for p in schemas.TicketPriority),
                *(count(Ticket.status == s) for s in OPEN_STATUSES),
                count(is_open & (Ticket.assignee_id == ctx.principal.user_id)),
                count(is_open & Ticket.assignee_id.is_(None)),
                count(running & warned & ~overdue & ~breached),
                count(is_open & (breached | (running & overdue))),
                count(breached & (Ticket.sla_started_at >= week_ago)),
                count(Ticket.resolved_at >= week_ago),
            ).where(_in_scope(ctx))
        )
    ).one()
    values = list(row)
    priorities = values[:4]
    statuses = values[4:7]
    mine, unassigned, soon, breached_open, breaches, resolved = values[7:]
    csat = (
        await ctx.session.execute(
            select(func.count(), func.avg(TicketSurvey.rating))
            .select_from(TicketSurvey)
            .join(Ticket, Ticket.id == TicketSurvey.ticket_id)
            .where(
                TicketSurvey.rating.is_not(None),
                TicketSurvey.rated_at >= now - timedelta(days=30),
                _in_scope(ctx),
            )
        )
    ).one()
    return schemas.Dashboard(
        open_by_priority={
            p: int(n) for p, n in zip(schemas.TicketPriority, priorities, strict=True)
        },
        open_by_status={s: int(n) for s, n in zip(OPEN_STATUSES, statuses, strict=True)},
        mine_open=int(mine),
        unassigned=int(unassigned),
        breaching_soon=int(soon),
        breached_open=int(breached_open),
        breaches_last_7_days=int(breaches),
        resolved_last_7_days=int(resolved),
        csat_average_30_days=None if csat[1] is None else round(float(csat[1]), 2),
        csat_responses_30_days=int(csat[0]),
    )


def _period(column: Any, period: schemas.ReportPeriod, zone: str) -> Any:
    if period is schemas.ReportPeriod.none:
        return literal_column("NULL::date")
    local = func.timezone(zone, column)
    return cast(func.date_trunc(period.value, local), Date)


def _group(group: schemas.ReportGroup | schemas.CsatGroup, team: Any, agent: Any) -> Any:
    if group.value == "team":
        return cast(team, String)
    if group.value == "assignee":
        return cast(agent, String)
    if group.value == "priority":
        return Ticket.priority
    return literal_column("NULL::text")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _range(
    column: Any, since: datetime | None, until: datetime | None
) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if since is not None:
        conds.append(column >= since)
    if until is not None:
        conds.append(column < until)
    return conds


async def sla_report(
    ctx: Ctx,
    group: schemas.ReportGroup,
    period: schemas.ReportPeriod,
    since: datetime | None,
    until: datetime | None,
) -> list[schemas.SlaReportRow]:
    """Tickets created in the range; a target counts as met once met in time, as breached
    once flagged (late or overdue); clocks still running in time are not yet decided."""
    zone = str(await clock.workspace_zone(ctx.session))
    key = _group(group, Ticket.team_id, Ticket.assignee_id).label("grp")
    start = _period(Ticket.sla_started_at, period, zone).label("period_start")
    has_fr = Ticket.first_response_target_minutes.is_not(None)
    has_res = Ticket.resolution_target_minutes.is_not(None)
    fr_met = has_fr & Ticket.first_responded_at.is_not(None) & ~Ticket.first_response_breached
    res_met = has_res & Ticket.resolved_at.is_not(None) & ~Ticket.resolution_breached
    rows = (
        await ctx.session.execute(
            select(
                key,
                start,
                func.count(),
                func.count().filter(fr_met),
                func.count().filter(has_fr & Ticket.first_response_breached),
                func.count().filter(res_met),
                func.count().filter(has_res & Ticket.resolution_breached),
            )
            .where(_in_scope(ctx), *_range(Ticket.sla_started_at, since, until))
            .group_by(key, start)
            .order_by(start.asc().nulls_first(), key.asc().nulls_first())
            .limit(5000)
        )
    ).all()
    return [
        schemas.SlaReportRow(
            group=_text(r[0]),
            period_start=r[1],
            tickets=r[2],
            first_response_met=r[3],
            first_response_breached=r[4],
            first_response_compliance=_ratio(r[3], r[4]),
            resolution_met=r[5],
            resolution_breached=r[6],
            resolution_compliance=_ratio(r[5], r[6]),
        )
        for r in rows
    ]


async def csat_report(
    ctx: Ctx,
    group: schemas.CsatGroup,
    period: schemas.ReportPeriod,
    source: schemas.CsatSource,
    since: datetime | None,
    until: datetime | None,
) -> list[schemas.CsatReportRow]:
    """Average and distribution of ratings. `csat`: survey ratings, credited to the agent
    and team who resolved, by rating time; `return_visit`: return-visit scores, credited to
    the ticket's agent and team, by resolution time."""
    zone = str(await clock.workspace_zone(ctx.session))
    if source is schemas.CsatSource.csat:
        score: Any = TicketSurvey.rating
        at: Any = TicketSurvey.rated_at
        key = _group(group, TicketSurvey.team_id, TicketSurvey.assignee_id).label("grp")
        base = select().select_from(TicketSurvey).join(Ticket, Ticket.id == TicketSurvey.ticket_id)
    else:
        score = Ticket.return_visit_score
        at = Ticket.resolved_at
        key = _group(group, Ticket.team_id, Ticket.assignee_id).label("grp")
        base = select().select_from(Ticket)
    start = _period(at, period, zone).label("period_start")
    rows = (
        await ctx.session.execute(
            base.add_columns(
                key,
                start,
                func.count(),
                func.avg(score),
                *(func.count().filter(score == n) for n in range(1, 6)),
            )
            .where(score.is_not(None), _in_scope(ctx), *_range(at, since, until))
            .group_by(key, start)
            .order_by(start.asc().nulls_first(), key.asc().nulls_first())
            .limit(5000)
        )
    ).all()
    return [
        schemas.CsatReportRow(
            group=_text(r[0]),
            period_start=r[1],
            responses=r[2],
            average=None if r[3] is None else round(float(r[3]), 2),
            distribution={str(n): int(r[3 + n]) for n in range(1, 6)},
        )
        for r in rows
    ]
