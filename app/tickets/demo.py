"""Demo service desk: a Shanghai business-hours calendar with the National Day holidays and
their make-up working days, a standard and a key-account SLA, routing to the service team,
a public repair form, and a realistic queue — new and unassigned, in progress, waiting on
the customer, breached, resolved with satisfaction ratings, closed after a return visit."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.auth.secrets import hash_password
from app.contracts import clock
from app.demo import DEMO_BUILDERS, REP_PASSWORD, DemoContext
from app.models.customer import Activity, Contact, Customer
from app.models.ticket import (
    BusinessCalendar,
    SlaPolicy,
    TicketComment,
    TicketForm,
    TicketRoutingRule,
    TicketStatusChange,
    TicketSurvey,
)
from app.models.user import User
from app.tickets import clocks, schemas
from app.tickets.service import _create

OFFICE_HOURS = {str(d): [["09:00", "12:00"], ["13:30", "18:00"]] for d in range(1, 6)}
# National Day 2026 as an example schedule: 1–7 October off, two weekend days worked
HOLIDAYS = [{"date": f"2026-10-0{d}", "name": "国庆节 National Day"} for d in range(1, 8)]
MAKEUP = [
    {"date": "2026-09-27", "name": "国庆调休 make-up day", "hours": [["09:00", "18:00"]]},
    {"date": "2026-10-10", "name": "国庆调休 make-up day", "hours": [["09:00", "18:00"]]},
]

AGENTS = [
    ("sun.yue", "孙悦", "service"),
    ("olivia.brown", "Olivia Brown", "service"),
    ("qian.qiang", "钱强", "manager"),
]


@dataclass
class DemoTicket:
    subject: str
    description: str
    channel: str
    type: str
    priority: str
    hours_ago: float
    status: str  # new, open, pending, breached, resolved, closed
    reply: str | None = None
    note: str | None = None
    rating: int | None = None
    rating_comment: str | None = None
    return_visit: int | None = None
    unassigned: bool = False


TICKETS = [
    DemoTicket(
        "数控机床主轴异响",
        "客户反映 3 号机床主轴运行时有异响，需要上门检查。",
        "phone",
        "repair",
        "urgent",
        0.3,
        "new",
        unassigned=True,
    ),
    DemoTicket(
        "发票抬头开错，需要重开",
        "上月合同的增值税发票抬头写错了公司名称。",
        "wechat",
        "question",
        "normal",
        2,
        "open",
        reply="您好，已收到，财务今天会重新开具。",
    ),
    DemoTicket(
        "Replacement parts arrived damaged",
        "Two of the five gearboxes in order RW-1182 were dented on arrival.",
        "email",
        "return",
        "high",
        5,
        "pending",
        reply="Sorry to hear that. Could you send photos of the packaging and the labels?",
        note="Check with logistics whether the pallet was re-wrapped in Ningbo.",
    ),
    DemoTicket(
        "系统登录后页面空白",
        "升级到新版本后，部分员工登录后页面一直空白。",
        "web_form",
        "question",
        "high",
        30,
        "breached",
    ),
    DemoTicket(
        "投诉：安装工程师迟到两小时",
        "客户对上周的安装服务不满，要求说明情况。",
        "phone",
        "complaint",
        "urgent",
        50,
        "breached",
        reply="非常抱歉给您带来不便，我们已在内部复盘，今天下午回电说明。",
    ),
    DemoTicket(
        "How do I export the monthly usage report?",
        "Looking for the CSV export of last month's usage.",
        "email",
        "question",
        "low",
        72,
        "resolved",
        reply="Reports → Usage → Export CSV; the file covers the selected month.",
        rating=5,
        rating_comment="Quick and clear, thanks!",
    ),
    DemoTicket(
        "空压机压力不稳",
        "二号空压机压力在 6–8 bar 之间波动。",
        "phone",
        "repair",
        "high",
        96,
        "resolved",
        reply="工程师已上门更换压力传感器，请观察两天。",
        rating=4,
        rating_comment="维修及时，但等待时间稍长",
    ),
    DemoTicket(
        "退货申请：颜色与样品不符",
        "收到的 200 件外壳颜色偏深，申请退货。",
        "wechat",
        "return",
        "normal",
        150,
        "closed",
        reply="已安排物流上门取件，退款将在 3 个工作日内到账。",
        rating=3,
        return_visit=4,
    ),
    DemoTicket(
        "Training session for new operators",
        "We hired four operators and would like a remote training.",
        "other",
        "other",
        "normal",
        8,
        "open",
        reply="Happy to help: would Thursday 14:00 work for you?",
    ),
]


async def build_tickets(ctx: DemoContext) -> None:
    s = ctx.session
    now = clock.utcnow()
    service_team = ctx.teams["service"]
    rep_hash = hash_password(REP_PASSWORD)
    for login, name, role in AGENTS:
        user = User(
            workspace_id=ctx.workspace_id,
            email=f"{login}@demo.rapport.local",
            name=name,
            role=role,
            team_id=service_team,
            password_hash=rep_hash,
            is_active=True,
        )
        s.add(user)
        await s.flush()
        ctx.users[login] = user.id
    calendar = BusinessCalendar(
        workspace_id=ctx.workspace_id,
        name="上海客服中心 Shanghai service hours",
        timezone="Asia/Shanghai",
        weekly_hours=OFFICE_HOURS,
        holidays=HOLIDAYS,
        workdays=MAKEUP,
    )
    s.add(calendar)
    await s.flush()
    s.add_all(
        [
            SlaPolicy(
                workspace_id=ctx.workspace_id,
                name="大客户 Key accounts",
                position=0,
                customer_levels=["A"],
                calendar_id=calendar.id,
                targets={
                    "urgent": {"first_response_minutes": 15, "resolution_minutes": 240},
                    "high": {"first_response_minutes": 30, "resolution_minutes": 480},
                    "normal": {"first_response_minutes": 60, "resolution_minutes": 960},
                    "low": {"first_response_minutes": 120, "resolution_minutes": 1920},
                },
                warning_minutes=15,
            ),
            SlaPolicy(
                workspace_id=ctx.workspace_id,
                name="标准 Standard",
                position=1,
                calendar_id=calendar.id,
                targets={
                    "urgent": {"first_response_minutes": 30, "resolution_minutes": 480},
                    "high": {"first_response_minutes": 60, "resolution_minutes": 960},
                    "normal": {"first_response_minutes": 120, "resolution_minutes": 1440},
                    "low": {"first_response_minutes": 240, "resolution_minutes": 2880},
                },
                warning_minutes=30,
            ),
            TicketRoutingRule(
                workspace_id=ctx.workspace_id,
                name="全部转客服部 Everything to Customer Service",
                position=0,
                team_id=service_team,
                strategy="round_robin",
                conditions={},
                state={},
            ),
            TicketForm(
                workspace_id=ctx.workspace_id,
                name="官网报修 Website repair form",
                token=secrets.token_urlsafe(24),
                type="repair",
                priority="normal",
                team_id=service_team,
            ),
        ]
    )
    await s.flush()
    customers = (
        await s.execute(
            select(Customer.id, Customer.name)
            .where(Customer.owner_id.is_not(None), Customer.deleted_at.is_(None))
            .order_by(Customer.name)
        )
    ).all()
    for i, spec in enumerate(TICKETS):
        customer = customers[i % len(customers)] if customers else None
        await _demo_ticket(ctx, spec, customer.id if customer else None, now)


async def _demo_ticket(
    ctx: DemoContext, spec: DemoTicket, customer_id: uuid.UUID | None, now: datetime
) -> None:
    """Create through the service (numbering, routing, SLA), then replay the ticket's past:
    its clocks start `hours_ago`, and replies, pauses and resolutions follow."""
    s = ctx.session
    contact_id = None
    if customer_id is not None:
        contact_id = await s.scalar(
            select(Contact.id).where(Contact.customer_id == customer_id).limit(1)
        )
    ticket = await _create(
        s,
        None,
        ctx.workspace_id,
        schemas.TicketCreate(
            customer_id=customer_id,
            contact_id=contact_id,
            requester_name=None if customer_id else "Walk-in",
            subject=spec.subject,
            description=spec.description,
            channel=schemas.TicketChannel(spec.channel),
            type=spec.type,
            priority=schemas.TicketPriority(spec.priority),
            team_id=ctx.teams["service"] if spec.unassigned else None,
        ),
    )
    started = now - timedelta(hours=spec.hours_ago)
    ticket.sla_started_at = started
    ticket.created_at = started
    zone = await clock.workspace_zone(s)
    setup = await clocks.Setups(s, ctx.workspace_id, zone).of(ticket.sla_policy_id)
    clocks.plan(ticket, setup, now)
    history = [("new", "open")] if spec.status != "new" else []
    agent = ticket.assignee_id
    if spec.reply and ticket.first_response_due_at is not None:
        replied = min(
            started + (ticket.first_response_due_at - started) / 2,
            now - timedelta(minutes=5),
        )
        s.add(
            TicketComment(
                workspace_id=ctx.workspace_id,
                ticket_id=ticket.id,
                visibility="public",
                body=spec.reply,
                author_id=agent,
                created_by=agent,
            )
        )
        ticket.first_responded_at = replied
    if spec.note:
        s.add(
            TicketComment(
                workspace_id=ctx.workspace_id,
                ticket_id=ticket.id,
                visibility="internal",
                body=spec.note,
                author_id=agent,
                created_by=agent,
            )
        )
    if spec.status == "pending":
        ticket.status = "pending"
        ticket.paused_since = now - timedelta(hours=1)
        history.append(("open", "pending"))
    elif spec.status in ("open", "breached"):
        ticket.status = "open"
        if ticket.first_responded_at is None and ticket.first_response_due_at:
            ticket.first_response_breached = ticket.first_response_due_at < now
        if ticket.resolution_due_at is not None:
            ticket.resolution_breached = ticket.resolution_due_at < now
        ticket.first_response_warned = ticket.first_response_breached
        ticket.resolution_warned = ticket.resolution_breached
    elif spec.status in ("resolved", "closed"):
        resolved = started + timedelta(hours=spec.hours_ago / 3)
        ticket.status = "resolved"
        ticket.resolved_at = resolved
        ticket.paused_since = resolved
        if ticket.resolution_due_at is not None:
            ticket.resolution_breached = ticket.resolution_due_at < resolved
        history.append(("open", "resolved"))
        s.add(
            TicketSurvey(
                workspace_id=ctx.workspace_id,
                ticket_id=ticket.id,
                token=secrets.token_urlsafe(24),
                assignee_id=agent,
                team_id=ticket.team_id,
                expires_at=resolved + timedelta(days=7),
                rating=spec.rating,
                comment=spec.rating_comment,
                rated_at=resolved + timedelta(hours=3) if spec.rating else None,
            )
        )
        if spec.status == "closed":
            ticket.status = "closed"
            ticket.closed_at = resolved + timedelta(days=2)
            history.append(("resolved", "closed"))
        if spec.return_visit and customer_id is not None:
            visit = Activity(
                workspace_id=ctx.workspace_id,
                customer_id=customer_id,
                kind="return_visit",
                content=f"[{ticket.number}] 回访：客户确认退款已到账，对处理速度比较满意。",
                occurred_at=resolved + timedelta(days=1),
                author_id=agent,
                satisfaction=spec.return_visit,
                created_by=agent,
            )
            s.add(visit)
            await s.flush()
            ticket.return_visit_activity_id = visit.id
            ticket.return_visit_score = spec.return_visit
    at = started
    for before, after in history:
        at = at + timedelta(minutes=20)
        s.add(
            TicketStatusChange(
                workspace_id=ctx.workspace_id,
                ticket_id=ticket.id,
                from_status=before,
                to_status=after,
                actor_id=agent,
                at=min(at, now),
            )
        )
    await s.flush()


DEMO_BUILDERS.append(build_tickets)
