from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.activities.schemas import Activity
from app.auth.dependencies import Ctx, require
from app.contracts import clock
from app.core.deps import get_session
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute, open_query_prefixes
from app.errors import (
    BadRequest,
    FieldError,
    Forbidden,
    NotFound,
    PreconditionFailed,
    TooManyRequests,
    problem_responses,
)
from app.leads.service import FormNotFound
from app.tickets import config, reports, schemas, service
from app.tickets.repository import (
    CalendarRepository,
    RoutingRuleRepository,
    SlaPolicyRepository,
    TicketFormRepository,
    TicketRepository,
)

router = APIRouter(route_class=UnitOfWorkRoute)

TicketSort = TicketRepository.sorting.enum("TicketSort")


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise BadRequest(
            f"{name} needs a time zone (e.g. 2026-01-01T00:00:00+08:00).",
            errors=[FieldError(field=f"query.{name}", message="time zone required")],
            code="invalid_parameter",
        )
    return value


# --- dashboard and reports (before /tickets/{ticket_id}) ----------------------------------


@router.get("/tickets/dashboard", response_model=schemas.Dashboard, tags=["tickets"])
async def ticket_dashboard(ctx: Ctx = Depends(require("tickets"))) -> schemas.Dashboard:
    """Service dashboard cards within your scope: open by priority, queues, breaches, CSAT."""
    return await reports.dashboard(ctx)


@router.get("/tickets/reports/sla", response_model=list[schemas.SlaReportRow], tags=["tickets"])
async def sla_report(
    group_by: schemas.ReportGroup = Query(
        schemas.ReportGroup.none, description="team, assignee, priority or none"
    ),
    period: schemas.ReportPeriod = Query(
        schemas.ReportPeriod.none, description="day, week, month (workspace zone) or none"
    ),
    created_after: datetime | None = Query(None, description="Tickets created at or after"),
    created_before: datetime | None = Query(None, description="Tickets created before"),
    ctx: Ctx = Depends(require("tickets")),
) -> list[schemas.SlaReportRow]:
    """SLA compliance (% of first responses and resolutions in time) by group and period."""
    return await reports.sla_report(
        ctx,
        group_by,
        period,
        _aware(created_after, "created_after"),
        _aware(created_before, "created_before"),
    )


@router.get("/tickets/reports/csat", response_model=list[schemas.CsatReportRow], tags=["tickets"])
async def csat_report(
    group_by: schemas.CsatGroup = Query(
        schemas.CsatGroup.none, description="team, assignee or none"
    ),
    period: schemas.ReportPeriod = Query(
        schemas.ReportPeriod.none, description="day, week, month (workspace zone) or none"
    ),
    source: schemas.CsatSource = Query(
        schemas.CsatSource.csat, description="csat (survey ratings) or return_visit (回访 scores)"
    ),
    rated_after: datetime | None = Query(None, description="Rated (or resolved) at or after"),
    rated_before: datetime | None = Query(None, description="Rated (or resolved) before"),
    ctx: Ctx = Depends(require("tickets")),
) -> list[schemas.CsatReportRow]:
    """Satisfaction: average and distribution (1–5) by team, agent and period."""
    return await reports.csat_report(
        ctx,
        group_by,
        period,
        source,
        _aware(rated_after, "rated_after"),
        _aware(rated_before, "rated_before"),
    )


# --- tickets -----------------------------------------------------------------------------


@router.get(
    "/tickets",
    response_model=Page[schemas.Ticket],
    tags=["tickets"],
    openapi_extra=open_query_prefixes("cf."),
)
async def list_tickets(
    request: Request,
    params: ListParams = Depends(list_params),
    sort: TicketSort = Query(  # type: ignore[valid-type]
        "-created_at", description="Sort key (priority: urgent first when descending)"
    ),
    queue: schemas.TicketQueue = Query(
        schemas.TicketQueue.all,
        description="mine (assigned to you), team (your team's queue), unassigned (open, no "
        "agent), breaching (running clocks past their warning, incl. breached), all",
    ),
    q: str | None = Query(None, max_length=100, description="Number, subject or requester"),
    status_: list[schemas.TicketStatus] | None = Query(
        None, alias="status", description="Status (repeat for several)"
    ),
    open_only: bool | None = Query(
        None, alias="open", description="true: new/open/pending; false: resolved/closed"
    ),
    priority: schemas.TicketPriority | None = Query(None, description="Priority"),
    channel: schemas.TicketChannel | None = Query(None, description="Channel"),
    type_: str | None = Query(None, alias="type", max_length=40, description="Type"),
    assignee_id: uuid.UUID | None = Query(None, description="Agent"),
    team_id: uuid.UUID | None = Query(None, description="Team"),
    customer_id: uuid.UUID | None = Query(None, description="Customer"),
    tag: uuid.UUID | None = Query(None, description="Has this tag"),
    breached: bool | None = Query(None, description="Some SLA target missed (or none)"),
    created_after: datetime | None = Query(None, description="Created at or after"),
    created_before: datetime | None = Query(None, description="Created before"),
    ctx: Ctx = Depends(require("tickets")),
) -> Page[schemas.Ticket]:
    """Tickets in your scope; `cf.<key>=value` filters by custom fields."""
    custom = {k[3:]: v for k, v in request.query_params.items() if k.startswith("cf.")}
    rows, cursor, more = await service.list_tickets(
        ctx,
        params,
        str(sort),
        queue=queue,
        q=q,
        statuses=status_,
        open_only=open_only,
        priority=priority,
        channel=channel,
        type_=type_,
        assignee_id=assignee_id,
        team_id=team_id,
        customer_id=customer_id,
        tag_id=tag,
        breached=breached,
        created_after=_aware(created_after, "created_after"),
        created_before=_aware(created_before, "created_before"),
        custom=custom,
    )
    data = await service.shape(ctx.session, ctx.principal.workspace_id, rows)
    return Page(data=data, next_cursor=cursor, has_more=more)


@router.post(
    "/tickets",
    response_model=schemas.Ticket,
    status_code=201,
    tags=["tickets"],
    responses=problem_responses(Forbidden),
)
async def create_ticket(
    data: schemas.TicketCreate, ctx: Ctx = Depends(require("tickets", write=True))
) -> schemas.Ticket:
    """Open a ticket; without agent and team the routing rules place it. SLA clocks start."""
    return await service.one(ctx, await service.create_ticket(ctx, data))


@router.get(
    "/tickets/{ticket_id}",
    response_model=schemas.Ticket,
    tags=["tickets"],
    responses=problem_responses(NotFound),
)
async def get_ticket(
    ticket_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("tickets"))
) -> schemas.Ticket:
    """One ticket with its SLA clocks as of now."""
    ticket = await service.one(ctx, await service.get_ticket(ctx, ticket_id))
    set_etag(response, ticket.version)
    return ticket


@router.patch(
    "/tickets/{ticket_id}",
    response_model=schemas.Ticket,
    tags=["tickets"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_ticket(
    ticket_id: uuid.UUID,
    data: schemas.TicketUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("tickets", write=True)),
) -> schemas.Ticket:
    """Change a ticket's fields (status and agent have their own actions)."""
    return await service.one(ctx, await service.update_ticket(ctx, ticket_id, data, version))


@router.delete(
    "/tickets/{ticket_id}",
    status_code=204,
    tags=["tickets"],
    responses=problem_responses(NotFound, Forbidden),
)
async def delete_ticket(
    ticket_id: uuid.UUID, ctx: Ctx = Depends(require("tickets", write=True))
) -> Response:
    """Move a ticket to the recycle bin (managers and admins)."""
    await service.delete_ticket(ctx, ticket_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/tickets/{ticket_id}/status",
    response_model=schemas.Ticket,
    tags=["tickets"],
    responses=problem_responses(
        NotFound,
        Forbidden,
        PreconditionFailed,
        service.TicketStateConflict,
        service.ReopenWindowPassed,
    ),
)
async def change_status(
    ticket_id: uuid.UUID,
    data: schemas.StatusChange,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("tickets", write=True)),
) -> schemas.Ticket:
    """Open, set pending (clocks pause), resolve (CSAT link, optional return visit), close,
    or reopen within the window; `allowed_statuses` lists what is possible."""
    return await service.one(ctx, await service.change_status(ctx, ticket_id, data, version))


@router.post(
    "/tickets/{ticket_id}/assign",
    response_model=schemas.Ticket,
    tags=["tickets"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def assign_ticket(
    ticket_id: uuid.UUID,
    data: schemas.TicketAssign,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("tickets", write=True)),
) -> schemas.Ticket:
    """Reassign (managers), take an unassigned ticket yourself, or route again."""
    return await service.one(ctx, await service.assign(ctx, ticket_id, data, version))


@router.get(
    "/tickets/{ticket_id}/comments",
    response_model=Page[schemas.Comment],
    tags=["tickets"],
    responses=problem_responses(NotFound),
)
async def list_comments(
    ticket_id: uuid.UUID,
    params: ListParams = Depends(list_params),
    visibility: schemas.CommentVisibility | None = Query(None, description="Only this kind"),
    ctx: Ctx = Depends(require("tickets")),
) -> Page[schemas.Comment]:
    """The conversation, oldest first: public replies and internal notes."""
    rows, cursor, more = await service.list_comments(ctx, ticket_id, params, visibility)
    return Page(
        data=[schemas.Comment.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/tickets/{ticket_id}/comments",
    response_model=schemas.Comment,
    status_code=201,
    tags=["tickets"],
    responses=problem_responses(NotFound, Forbidden, service.TicketStateConflict),
)
async def add_comment(
    ticket_id: uuid.UUID,
    data: schemas.CommentCreate,
    ctx: Ctx = Depends(require("tickets", write=True)),
) -> schemas.Comment:
    """Reply publicly (the first reply meets the first-response target) or add a note."""
    return schemas.Comment.model_validate(await service.add_comment(ctx, ticket_id, data))


@router.get(
    "/tickets/{ticket_id}/history",
    response_model=list[schemas.StatusHistoryItem],
    tags=["tickets"],
    responses=problem_responses(NotFound),
)
async def ticket_history(
    ticket_id: uuid.UUID, ctx: Ctx = Depends(require("tickets"))
) -> list[schemas.StatusHistoryItem]:
    """Status history, oldest first."""
    return [
        schemas.StatusHistoryItem.model_validate(r)
        for r in await service.status_history(ctx, ticket_id)
    ]


@router.post(
    "/tickets/{ticket_id}/return-visit",
    response_model=Activity,
    status_code=201,
    tags=["tickets"],
    responses=problem_responses(NotFound, Forbidden, service.TicketStateConflict),
)
async def log_return_visit(
    ticket_id: uuid.UUID,
    data: schemas.ReturnVisitCreate,
    ctx: Ctx = Depends(require("tickets", write=True)),
) -> Activity:
    """Log the return visit (回访) with a satisfaction score; it joins the customer's
    timeline as a `return_visit` follow-up and completes the scheduled task."""
    return Activity.model_validate(await service.log_return_visit(ctx, ticket_id, data))


# --- SLA policies ---------------------------------------------------------------------------


@router.get("/sla-policies", response_model=Page[schemas.SlaPolicy], tags=["sla-policies"])
async def list_policies(
    params: ListParams = Depends(list_params), ctx: Ctx = Depends(require("tickets"))
) -> Page[schemas.SlaPolicy]:
    """SLA policies in the order they are tried (level-specific ones win)."""
    rows, cursor, more = await SlaPolicyRepository(ctx.session, ctx.principal).page(
        params, "position"
    )
    return Page(data=[config.policy_out(r) for r in rows], next_cursor=cursor, has_more=more)


@router.post(
    "/sla-policies",
    response_model=schemas.SlaPolicy,
    status_code=201,
    tags=["sla-policies"],
    responses=problem_responses(Forbidden),
)
async def create_policy(
    data: schemas.SlaPolicyCreate, ctx: Ctx = Depends(require("tickets", write=True))
) -> schemas.SlaPolicy:
    """Add an SLA policy (managers and admins)."""
    return config.policy_out(await config.create_policy(ctx, data))


@router.get(
    "/sla-policies/{policy_id}",
    response_model=schemas.SlaPolicy,
    tags=["sla-policies"],
    responses=problem_responses(NotFound),
)
async def get_policy(
    policy_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("tickets"))
) -> schemas.SlaPolicy:
    """One SLA policy."""
    row = await SlaPolicyRepository(ctx.session, ctx.principal).get(policy_id)
    set_etag(response, row.version)
    return config.policy_out(row)


@router.patch(
    "/sla-policies/{policy_id}",
    response_model=schemas.SlaPolicy,
    tags=["sla-policies"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_policy(
    policy_id: uuid.UUID,
    data: schemas.SlaPolicyUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("tickets", write=True)),
) -> schemas.SlaPolicy:
    """Change an SLA policy; existing tickets keep their targets."""
    return config.policy_out(await config.update_policy(ctx, policy_id, data, version))


@router.delete(
    "/sla-policies/{policy_id}",
    status_code=204,
    tags=["sla-policies"],
    responses=problem_responses(NotFound, Forbidden),
)
async def delete_policy(
    policy_id: uuid.UUID, ctx: Ctx = Depends(require("tickets", write=True))
) -> Response:
    """Remove an SLA policy."""
    await config.delete_policy(ctx, policy_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- business calendars ------------------------------------------------------------------


@router.get(
    "/business-calendars",
    response_model=Page[schemas.BusinessCalendar],
    tags=["business-calendars"],
)
async def list_calendars(
    params: ListParams = Depends(list_params), ctx: Ctx = Depends(require("tickets"))
) -> Page[schemas.BusinessCalendar]:
    """Business-hours calendars."""
    rows, cursor, more = await CalendarRepository(ctx.session, ctx.principal).page(params, "name")
    return Page(data=[config.calendar_out(r) for r in rows], next_cursor=cursor, has_more=more)


@router.post(
    "/business-calendars",
    response_model=schemas.BusinessCalendar,
    status_code=201,
    tags=["business-calendars"],
    responses=problem_responses(Forbidden),
)
async def create_calendar(
    data: schemas.BusinessCalendarCreate, ctx: Ctx = Depends(require("tickets", write=True))
) -> schemas.BusinessCalendar:
    """Add a calendar: weekly hours (split periods allowed), holidays, make-up workdays."""
    return config.calendar_out(await config.create_calendar(ctx, data))


@router.get(
    "/business-calendars/{calendar_id}",
    response_model=schemas.BusinessCalendar,
    tags=["business-calendars"],
    responses=problem_responses(NotFound),
)
async def get_calendar(
    calendar_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("tickets"))
) -> schemas.BusinessCalendar:
    """One calendar."""
    row = await CalendarRepository(ctx.session, ctx.principal).get(calendar_id)
    set_etag(response, row.version)
    return config.calendar_out(row)


@router.patch(
    "/business-calendars/{calendar_id}",
    response_model=schemas.BusinessCalendar,
    tags=["business-calendars"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_calendar(
    calendar_id: uuid.UUID,
    data: schemas.BusinessCalendarUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("tickets", write=True)),
) -> schemas.BusinessCalendar:
    """Change a calendar (lists given replace the stored ones)."""
    return config.calendar_out(await config.update_calendar(ctx, calendar_id, data, version))


@router.delete(
    "/business-calendars/{calendar_id}",
    status_code=204,
    tags=["business-calendars"],
    responses=problem_responses(NotFound, Forbidden),
)
async def delete_calendar(
    calendar_id: uuid.UUID, ctx: Ctx = Depends(require("tickets", write=True))
) -> Response:
    """Remove a calendar."""
    await config.delete_calendar(ctx, calendar_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/business-calendars/{calendar_id}/preview",
    response_model=schemas.CalendarPreview,
    tags=["business-calendars"],
    responses=problem_responses(NotFound),
)
async def preview_calendar(
    calendar_id: uuid.UUID,
    start: datetime | None = Query(None, description="From (default: now)"),
    minutes: int = Query(60, ge=0, le=525_600, description="Working minutes to add"),
    ctx: Ctx = Depends(require("tickets")),
) -> schemas.CalendarPreview:
    """Try the calendar: when would `minutes` of working time from `start` be due?"""
    begin = _aware(start, "start") or clock.utcnow()
    return await config.preview_calendar(ctx, calendar_id, begin, minutes)


# --- routing rules and intake forms ---------------------------------------------------------


@router.get(
    "/ticket-routing-rules",
    response_model=Page[schemas.RoutingRule],
    tags=["ticket-routing-rules"],
)
async def list_rules(
    params: ListParams = Depends(list_params), ctx: Ctx = Depends(require("tickets"))
) -> Page[schemas.RoutingRule]:
    """Routing rules in the order they are tried."""
    rows, cursor, more = await RoutingRuleRepository(ctx.session, ctx.principal).page(
        params, "position"
    )
    return Page(data=[config.rule_out(r) for r in rows], next_cursor=cursor, has_more=more)


@router.post(
    "/ticket-routing-rules",
    response_model=schemas.RoutingRule,
    status_code=201,
    tags=["ticket-routing-rules"],
    responses=problem_responses(Forbidden),
)
async def create_rule(
    data: schemas.RoutingRuleCreate, ctx: Ctx = Depends(require("tickets", write=True))
) -> schemas.RoutingRule:
    """Add a routing rule (managers and admins)."""
    return config.rule_out(await config.create_rule(ctx, data))


@router.patch(
    "/ticket-routing-rules/{routing_rule_id}",
    response_model=schemas.RoutingRule,
    tags=["ticket-routing-rules"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_rule(
    routing_rule_id: uuid.UUID,
    data: schemas.RoutingRuleUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("tickets", write=True)),
) -> schemas.RoutingRule:
    """Change a routing rule."""
    return config.rule_out(await config.update_rule(ctx, routing_rule_id, data, version))


@router.delete(
    "/ticket-routing-rules/{routing_rule_id}",
    status_code=204,
    tags=["ticket-routing-rules"],
    responses=problem_responses(NotFound, Forbidden),
)
async def delete_rule(
    routing_rule_id: uuid.UUID, ctx: Ctx = Depends(require("tickets", write=True))
) -> Response:
    """Remove a routing rule."""
    await config.delete_rule(ctx, routing_rule_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/ticket-forms", response_model=Page[schemas.TicketForm], tags=["ticket-forms"])
async def list_forms(
    params: ListParams = Depends(list_params), ctx: Ctx = Depends(require("tickets"))
) -> Page[schemas.TicketForm]:
    """Public ticket intake forms."""
    rows, cursor, more = await TicketFormRepository(ctx.session, ctx.principal).page(params, "name")
    return Page(
        data=[schemas.TicketForm.model_validate(r) for r in rows],
        next_cursor=cursor,
        has_more=more,
    )


@router.post(
    "/ticket-forms",
    response_model=schemas.TicketForm,
    status_code=201,
    tags=["ticket-forms"],
    responses=problem_responses(Forbidden),
)
async def create_form(
    data: schemas.TicketFormCreate, ctx: Ctx = Depends(require("tickets", write=True))
) -> schemas.TicketForm:
    """Create an intake form; post to `/public/forms/{token}/tickets` from your website."""
    return schemas.TicketForm.model_validate(await config.create_form(ctx, data))


@router.patch(
    "/ticket-forms/{form_id}",
    response_model=schemas.TicketForm,
    tags=["ticket-forms"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_form(
    form_id: uuid.UUID,
    data: schemas.TicketFormUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("tickets", write=True)),
) -> schemas.TicketForm:
    """Change an intake form (deactivate to stop submissions)."""
    return schemas.TicketForm.model_validate(await config.update_form(ctx, form_id, data, version))


@router.get("/settings/tickets", response_model=schemas.TicketSettings, tags=["settings"])
async def get_ticket_settings(ctx: Ctx = Depends(require("tickets"))) -> schemas.TicketSettings:
    """Ticket numbering, types, reopen window, survey validity, auto-close."""
    return await config.ticket_settings(ctx.session)


@router.patch(
    "/settings/tickets",
    response_model=schemas.TicketSettings,
    tags=["settings"],
    responses=problem_responses(Forbidden),
)
async def update_ticket_settings(
    data: schemas.TicketSettingsUpdate, ctx: Ctx = Depends(require("tickets", write=True))
) -> schemas.TicketSettings:
    """Change ticket settings (owners and admins)."""
    return await config.update_settings(ctx, data)


# --- public (no login) ------------------------------------------------------------------------


@router.post(
    "/public/forms/{token}/tickets",
    response_model=schemas.PublicTicketAccepted,
    status_code=202,
    tags=["public"],
    responses=problem_responses(FormNotFound, TooManyRequests),
)
async def submit_ticket(
    token: str,
    data: schemas.PublicTicket,
    request: Request,
    session: AsyncSession = Depends(get_session),
) -> schemas.PublicTicketAccepted:
    """Public ticket intake (no login): rate-limited, spam-trapped, matched to a customer
    by phone or e-mail, routed by the rules."""
    return await service.submit_public(
        session, token, data, request.client.host if request.client else None
    )


@router.get(
    "/public/csat/{token}",
    response_model=schemas.PublicSurvey,
    tags=["public"],
    responses=problem_responses(service.SurveyNotFound),
)
async def read_survey(
    token: str, session: AsyncSession = Depends(get_session)
) -> schemas.PublicSurvey:
    """The satisfaction page's data (no login): ticket, state of the link."""
    return await service.read_survey(session, token)


@router.post(
    "/public/csat/{token}",
    response_model=schemas.PublicSurvey,
    tags=["public"],
    responses=problem_responses(
        service.SurveyNotFound, service.SurveyUsed, service.SurveyExpired, TooManyRequests
    ),
)
async def rate_ticket(
    token: str,
    data: schemas.CsatRating,
    request: Request,
    session: AsyncSession = Depends(get_session),
) -> schemas.PublicSurvey:
    """Rate a resolved ticket 1–5 with a comment (no login; the link works once)."""
    return await service.rate(session, token, data, request.client.host if request.client else None)
