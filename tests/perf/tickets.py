"""Service tickets in the benchmark data set: the desk's configuration and 0.2 tickets per
seeded customer (S 2k, M 20k, L 200k) with their conversations, status history and
satisfaction surveys.

`add_tickets` (run by the seed for new data sets, and by `ensure_tickets` as an idempotent
top-up of a data set seeded before tickets existed; rows an interrupted run left are
deleted first) writes:

- the desk as `app.tickets` keeps it: a business calendar (上海客服中心, Monday–Friday
  09:00–12:00 and 13:30–18:00 Asia/Shanghai, New Year's Day, Labour Day and National Day
  off in every year the data covers), a key-account SLA for level-A customers and the
  standard SLA for everyone else (the demo's targets), two routing rules — web-form tickets
  to the 客户服务部 queue, everything else round-robin over its members — and a public repair
  form;
- tickets over the three years (recent weeks busier), numbered GD-000001… in creation
  order with the counter at the last number. Phone, e-mail, WeChat and other tickets are
  entered by an agent and routed round-robin over the eight service users in turn order
  (name, id), exactly as the rule would have; web-form tickets wait in the team queue
  until an agent picks them up. 90 % name a customer created before the ticket (a fifth of
  the customers file most of them), usually with its primary contact; return tickets link
  the customer's latest order, repair tickets its latest signed contract and a product.
  Chinese customers write Chinese, English-named ones English;
- each ticket's life is simulated and cut at the anchor: picked up and answered in working
  time, 0–2 rounds of waiting on the customer (pending), resolution after a heavy-tailed
  working time depending on the priority (a few stay open for weeks), then closed by the
  agent, closed automatically 7 days after resolution (as the SLA job does), or reopened
  once and resolved again; 3 % are closed at once as duplicates or spam. What happened
  before the anchor decides the status (new, open, pending, resolved, closed), the
  comments (public replies, the customer's answers, internal notes), the status history
  and a survey per resolution (40 % rated, mostly 4–5);
- the SLA clocks as `app.tickets.clocks` keeps them: targets from the policy by customer
  level and priority, working seconds spent paused (pending, resolved until reopened),
  `paused_since` while paused, due and warning instants on the calendar, and the
  breached / warned flags the SLA job would have set by the anchor — so a worker started
  on the data set has no backlog beyond what time has brought since.

Working-time arithmetic uses a table of the calendar's working intervals (from
`app.tickets.sla.Calendar`, cumulative milliseconds, bisection) rather than walking the
calendar per clock; `verify` recomputes a sample with the app's own `add_business_time`
and `business_time_between` from the stored status history, and checks every reference
and the life-cycle invariants with set-based queries. Deterministic for a seed and an
anchor day.
"""

from __future__ import annotations

import base64
import bisect
import math
import multiprocessing
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from tests.perf import seed as S

TICKETS_VERSION = 1
TICKETS_PER_CUSTOMER = 0.2
CHUNK = 10_000
NULL = S.NULL
MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
#: the workspace's `auto_close_days`, `csat_days` and `reopen_days` (app defaults)
AUTO_CLOSE_DAYS = 7
CSAT_DAYS = 7
PREFIX = "GD"
TEAM_NAME = "客户服务部"
CALENDAR_NAME = "上海客服中心 Shanghai service hours"
OFFICE_HOURS = {str(d): [["09:00", "12:00"], ["13:30", "18:00"]] for d in range(1, 6)}
QUEUE_RULE = "网页表单进队列 Web forms to the queue"
ROUND_ROBIN_RULE = "全部转客服部 Everything to Customer Service"
FORM_NAME = "官网报修 Website repair form"
AUTO_CLOSE_NOTE = f"closed automatically {AUTO_CLOSE_DAYS} days after resolution"
#: (name, customer levels, position, warning minutes, {priority: (first response, resolution)})
POLICIES: list[tuple[str, list[str], int, int, dict[str, tuple[int, int]]]] = [
    (
        "大客户 Key accounts",
        ["A"],
        0,
        15,
        {"urgent": (15, 240), "high": (30, 480), "normal": (60, 960), "low": (120, 1920)},
    ),
    (
        "标准 Standard",
        [],
        1,
        30,
        {"urgent": (30, 480), "high": (60, 960), "normal": (120, 1440), "low": (240, 2880)},
    ),
]

COLUMNS = {
    "tickets": (
        "workspace_id, id, number, customer_id, contact_id, requester_name, requester_phone, "
        "requester_email, subject, description, channel, type, priority, status, assignee_id, "
        "team_id, routing_rule_id, assignment_note, contract_id, product_id, order_id, form_id, "
        "tag_ids, custom_fields, sla_policy_id, sla_started_at, first_response_target_minutes, "
        "resolution_target_minutes, sla_paused_seconds, paused_since, first_response_due_at, "
        "first_response_warn_at, resolution_due_at, resolution_warn_at, first_responded_at, "
        "resolved_at, closed_at, first_response_breached, resolution_breached, "
        "first_response_warned, resolution_warned, reopened_count, return_visit_task_id, "
        "return_visit_activity_id, return_visit_score, external_source, external_id, "
        "created_at, updated_at, version, deleted_at, created_by"
    ),
    "ticket_comments": (
        "workspace_id, id, ticket_id, visibility, body, author_id, author_name, created_at, "
        "updated_at, version, deleted_at, created_by"
    ),
    "ticket_status_changes": (
        "workspace_id, id, ticket_id, from_status, to_status, actor_id, note, at"
    ),
    "ticket_surveys": (
        "workspace_id, id, ticket_id, token, assignee_id, team_id, created_at, expires_at, "
        "rating, comment, rated_at"
    ),
}
#: every table the module fills, children first (the order `wipe` deletes in)
TABLES = (
    "ticket_surveys",
    "ticket_status_changes",
    "ticket_comments",
    "tickets",
    "ticket_counters",
    "ticket_forms",
    "ticket_routing_rules",
    "sla_policies",
    "business_calendars",
)
#: foreign keys skipped during the load (session_replication_role = replica), checked after
REFERENCES = [
    ("tickets", "customer_id", "customers"),
    ("tickets", "contact_id", "contacts"),
    ("tickets", "assignee_id", "users"),
    ("tickets", "team_id", "teams"),
    ("tickets", "routing_rule_id", "ticket_routing_rules"),
    ("tickets", "contract_id", "contracts"),
    ("tickets", "product_id", "products"),
    ("tickets", "order_id", "orders"),
    ("tickets", "form_id", "ticket_forms"),
    ("tickets", "sla_policy_id", "sla_policies"),
    ("tickets", "created_by", "users"),
    ("ticket_comments", "ticket_id", "tickets"),
    ("ticket_comments", "author_id", "users"),
    ("ticket_status_changes", "ticket_id", "tickets"),
    ("ticket_status_changes", "actor_id", "users"),
    ("ticket_surveys", "ticket_id", "tickets"),
    ("ticket_surveys", "assignee_id", "users"),
    ("ticket_surveys", "team_id", "teams"),
]

CHANNELS, CHANNEL_CUM = S.weighted(
    [("phone", 35), ("wechat", 25), ("email", 20), ("web_form", 15), ("other", 5)]
)
TYPES, TYPE_CUM = S.weighted(
    [("question", 40), ("repair", 25), ("other", 15), ("complaint", 10), ("return", 10)]
)
PRIORITIES, PRIORITY_CUM = S.weighted([("normal", 55), ("high", 22), ("low", 15), ("urgent", 8)])
#: median working minutes from the last pick-up or answer to the resolution, by priority
RESOLUTION_MEDIAN = {"urgent": 150, "high": 360, "normal": 720, "low": 1200}
RATINGS, RATING_CUM = S.weighted([(5, 50), (4, 30), (3, 12), (2, 5), (1, 3)])

# (Chinese, English) texts; {p} is a product
SUBJECTS: dict[str, list[tuple[str, str]]] = {
    "question": [
        ("发票抬头开错，需要重开", "Invoice issued to the wrong company name"),
        ("如何导出月度使用报表", "How do I export the monthly usage report?"),
        ("新员工账号权限开通", "Access for two new employees"),
        ("{p}价格与折扣咨询", "Question about the {p} discount"),
        ("对账单金额核对", "Statement amount does not match our records"),
        ("系统登录后页面空白", "Blank page after signing in"),
        ("合同付款条款咨询", "Question about the payment terms"),
        ("{p}续费流程", "How to renew {p}"),
    ],
    "repair": [
        ("{p}故障报修", "{p} out of order"),
        ("设备运行异响，需要上门检查", "Machine makes a grinding noise, on-site check needed"),
        ("智能网关频繁离线", "Gateway keeps going offline"),
        ("传感器读数异常", "Sensor readings out of range"),
        ("空压机压力不稳", "Compressor pressure unstable"),
        ("打印模块卡纸", "Printer module keeps jamming"),
    ],
    "complaint": [
        ("投诉：安装工程师迟到两小时", "Complaint: installer arrived two hours late"),
        ("投诉：发货延迟一周", "Complaint: delivery a week late"),
        ("投诉：客服电话无人接听", "Complaint: nobody answers the hotline"),
        ("投诉：{p}质量问题", "Complaint: quality of {p}"),
    ],
    "return": [
        ("退货申请：颜色与样品不符", "Return: colour differs from the sample"),
        ("退货申请：外包装破损", "Return: parts arrived damaged"),
        ("换货申请：型号发错", "Exchange: wrong model delivered"),
        ("退货申请：{p}数量不符", "Return: {p} quantity short"),
    ],
    "other": [
        ("新操作员培训安排", "Training session for new operators"),
        ("索取{p}产品资料", "Documentation for {p}"),
        ("预约上门拜访", "Appointment for a site visit"),
        ("发票邮寄地址变更", "New address for paper invoices"),
    ],
}
DESCRIPTIONS: dict[str, list[tuple[str, str]]] = {
    "question": [
        ("客户来电咨询，希望今天内答复。", "The customer asks for an answer today."),
        ("财务部门提出的问题，附上了截图。", "Raised by their finance team; screenshot attached."),
    ],
    "repair": [
        (
            "客户反映设备从昨天开始出现问题，影响生产。",
            "Started yesterday; production is affected.",
        ),
        ("已远程排查，需工程师上门。", "Remote checks done; an engineer needs to go on site."),
    ],
    "complaint": [
        ("客户情绪较大，要求主管回电说明情况。", "The customer is upset and wants a call back."),
        ("第二次反映同一问题。", "Second time they report this."),
    ],
    "return": [
        ("客户已拍照留存，要求尽快安排取件。", "Photos taken; they want a pick-up soon."),
        ("涉及批量订单，需要仓库确认库存。", "A bulk order: the warehouse must confirm stock."),
    ],
    "other": [
        ("客户希望安排在下周。", "They would like it next week."),
        ("请协调相关部门处理。", "Please coordinate with the team concerned."),
    ],
}
FIRST_REPLIES = [
    (
        "您好，已收到您的问题，我们正在处理，今天会给您答复。",
        "Thanks, we are on it and will get back to you today.",
    ),
    ("您好，工单已受理，工程师正在排查。", "Received; an engineer is looking into it."),
    ("非常抱歉给您带来不便，我们马上核实。", "Sorry for the trouble, we are checking right away."),
]
ASKS = [
    ("请提供设备序列号和故障照片，方便我们判断。", "Could you send the serial number and a photo?"),
    ("请确认收货地址和联系人电话。", "Please confirm the delivery address and a phone number."),
    ("请提供订单号和外包装照片。", "Could you send the order number and photos of the packaging?"),
    ("请问问题是否在其他电脑上也出现？", "Does it happen on other computers too?"),
]
CUSTOMER_ANSWERS = [
    ("照片已发送，请查收。", "Photos sent, please check."),
    ("地址和电话已更新，谢谢。", "Address and phone updated, thanks."),
    ("其他电脑正常，只有这一台有问题。", "Only this computer is affected."),
    ("订单号已补充在附件里。", "The order number is in the attachment."),
]
DONE = ("已处理完毕，请您确认是否正常。", "Done on our side; please confirm it works now.")
SOLUTIONS: dict[str, list[tuple[str, str]]] = {
    "question": [DONE, ("发票已重新开具并寄出。", "The corrected invoice has been sent.")],
    "repair": [
        DONE,
        ("工程师已上门更换配件，请观察两天。", "The engineer replaced the part; please watch it."),
    ],
    "complaint": [
        ("已向您致电说明情况，并调整了服务安排。", "We called you and changed the arrangements."),
    ],
    "return": [
        ("退款已提交，3 个工作日内到账。", "Refund submitted; it arrives within 3 working days."),
        ("已安排物流上门取件并补发。", "Pick-up booked and the replacement is on its way."),
    ],
    "other": [DONE],
}
NOTES = [
    ("已联系物流核实运输情况。", "Asked logistics about the shipment."),
    ("需要研发确认，已升级。", "Escalated to engineering."),
    ("客户为重点客户，注意回访。", "Key account: plan a return visit."),
    ("与销售负责人沟通过，同意补偿方案。", "Agreed the compensation with the account owner."),
]
RATING_COMMENTS = {
    5: [("处理及时，非常满意！", "Quick and clear, thanks!")],
    4: [("维修及时，但等待时间稍长", "Good, though the wait was a bit long")],
    3: [("问题解决了，沟通可以更主动", "Solved, but we had to chase")],
    2: [("处理太慢", "Took far too long")],
    1: [("问题没有真正解决", "The problem is not really fixed")],
}
REOPEN_NOTE = ("客户反馈问题再次出现", "The customer reports it came back")
DUPLICATE_NOTE = "重复工单 duplicate"


_DAYS: dict[int, str] = {}


def fmt(ms: int) -> str:
    """Timestamp text (UTC) of Unix milliseconds: exact, and cheap (a day's date once)."""
    day, rest = divmod(ms, DAY)
    text = _DAYS.get(day)
    if text is None:
        text = _DAYS[day] = (date(1970, 1, 1) + timedelta(days=day)).isoformat()
    seconds, milli = divmod(rest, 1000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{text} {hour:02d}:{minute:02d}:{second:02d}.{milli:03d}+00"


def at_ms(value: datetime) -> int:
    return int(value.timestamp()) * 1000 + value.microsecond // 1000


class WorkTime:
    """The calendar's working intervals between two instants (Unix ms) with cumulative
    working time: `add` and `between` answer as app.tickets.sla's add_business_time and
    business_time_between do, by bisection instead of a walk."""

    def __init__(self, calendar: Any, since: int, until: int) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.cum: list[int] = []
        total = 0
        start = datetime.fromtimestamp(since / 1000, UTC)
        end = datetime.fromtimestamp(until / 1000, UTC)
        for a, b in calendar.intervals(start, end):
            if a >= end:
                break
            lo, hi = at_ms(a), at_ms(b)
            total += hi - lo
            self.starts.append(lo)
            self.ends.append(hi)
            self.cum.append(total)
        self.until = until

    def worked(self, t: int) -> int:
        """Working ms from the first interval to `t`."""
        i = bisect.bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        return self.cum[i] - max(0, self.ends[i] - t)

    def add(self, t: int, duration: int) -> int:
        if duration <= 0:
            return t
        value = self.worked(t) + duration
        j = bisect.bisect_left(self.cum, value)
        if j == len(self.cum):
            raise ValueError("beyond the working-time table: extend `until`")
        return self.ends[j] - (self.cum[j] - value)

    def between(self, a: int, b: int) -> int:
        return self.worked(b) - self.worked(a)


def holidays(first_year: int, last_year: int) -> list[dict[str, str]]:
    days: list[dict[str, str]] = []
    for year in range(first_year, last_year + 1):
        days.append({"date": f"{year}-01-01", "name": "元旦 New Year's Day"})
        days += [{"date": f"{year}-05-0{d}", "name": "劳动节 Labour Day"} for d in range(1, 6)]
        days += [{"date": f"{year}-10-0{d}", "name": "国庆节 National Day"} for d in range(1, 8)]
    return days


# --- what the workers share ------------------------------------------------------------------


@dataclass
class Customers:
    """Seeded customers in creation order; `vip` ones file most tickets."""

    ids: list[str] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    level: list[str] = field(default_factory=list)
    english: list[bool] = field(default_factory=list)
    vip: list[int] = field(default_factory=list)
    vip_created: list[int] = field(default_factory=list)


@dataclass
class Contact:
    id: str
    name: str
    phone: str | None


@dataclass
class Spec:
    workspace_id: str
    anchor: int
    seed: int
    directory: str
    team_id: str
    #: service users in the round-robin turn order (name, id): (id, name)
    agents: list[tuple[str, str]]
    calendar_id: str
    #: level → (policy id, warning ms, {priority: (first response minutes, resolution)})
    policies: dict[str, tuple[str, int, dict[str, tuple[int, int]]]]
    queue_rule: str
    round_robin_rule: str
    form_id: str
    products: list[tuple[str, str]]


@dataclass
class Header:
    """What the parent decides in creation order (so numbering and turns are global)."""

    created: int
    channel: str
    type: str
    priority: str
    customer: int  # index into Customers, -1 = none
    #: round-robin turn (index into agents) and the previous turn; -1 for the queue
    turn: int
    previous: int


@dataclass
class Chunk:
    spec: Spec
    index: int
    first: int
    last: int


_SHARED: dict[str, Any] = {}


def _lognormal(rng: S.FastRandom, median: float, sigma: float, cap: float) -> int:
    """A duration in ms: at least a minute (no two steps of a ticket share an instant)."""
    return int(min(cap, max(MINUTE, median * math.exp(sigma * rng.gauss(0.0, 1.0)))))


def _token(rng: S.FastRandom) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(192).to_bytes(24, "big")).decode()


class _Writer:
    def __init__(self, spec: Spec, index: int) -> None:
        self.paths = {t: os.path.join(spec.directory, f"{t}.{index:05d}.copy") for t in COLUMNS}
        self.files: dict[str, TextIO] = {
            t: open(p, "w", encoding="utf-8", buffering=1 << 20) for t, p in self.paths.items()
        }

    def close(self) -> None:
        for f in self.files.values():
            f.close()


def _generate(chunk: Chunk) -> dict[str, str]:
    """COPY files of one slice of the tickets (runs in a forked worker)."""
    spec = chunk.spec
    headers: list[Header] = _SHARED["headers"]
    cust: Customers = _SHARED["customers"]
    contacts: dict[int, Contact] = _SHARED["contacts"]
    orders: dict[int, tuple[list[int], list[str]]] = _SHARED["orders"]
    contracts: dict[int, tuple[list[int], list[str]]] = _SHARED["contracts"]
    work: WorkTime = _SHARED["work"]
    rng = S.FastRandom(spec.seed * 1_000_037 + chunk.index)
    out = _Writer(spec, chunk.index)
    try:
        for g in range(chunk.first, chunk.last):
            _ticket(spec, g, headers[g], cust, contacts, orders, contracts, work, rng, out.files)
    finally:
        out.close()
    return out.paths


def _latest(found: tuple[list[int], list[str]] | None, before: int) -> str:
    if found is None:
        return NULL
    times, ids = found
    k = bisect.bisect_right(times, before)
    return ids[k - 1] if k else NULL


def _ticket(
    spec: Spec,
    g: int,
    h: Header,
    cust: Customers,
    contacts: dict[int, Contact],
    orders: dict[int, tuple[list[int], list[str]]],
    contracts: dict[int, tuple[list[int], list[str]]],
    work: WorkTime,
    rng: S.FastRandom,
    files: dict[str, TextIO],
) -> None:
    ws = spec.workspace_id
    anchor = spec.anchor
    rand = rng.random
    bits = rng.getrandbits
    t0 = h.created
    english = h.customer >= 0 and cust.english[h.customer]
    lang = 1 if english else 0
    agents = spec.agents
    product_id, product_name = spec.products[int(rand() * len(spec.products))]
    product_text = product_name if not english else "the system"

    def text(options: list[tuple[str, str]]) -> str:
        return options[int(rand() * len(options))][lang].replace("{p}", product_text)

    tid = S.uid(t0, bits(74))
    # --- who asks, about what ---
    contact = contacts.get(h.customer) if h.customer >= 0 else None
    customer_id = cust.ids[h.customer] if h.customer >= 0 else NULL
    contact_id = contact.id if contact is not None and rand() < 0.8 else NULL
    requester_name = requester_phone = requester_email = NULL
    web = h.channel == "web_form"
    if web or h.customer < 0:
        if contact is not None:
            requester_name = contact.name
            requester_phone = contact.phone or NULL
        else:
            requester_name, py = S.person_name(rng)
            requester_phone = S.mobile(rng)[0]
            if rand() < 0.4:
                requester_email = f"{py.replace('.', '')}{rng.randrange(10, 999)}@163.com"
    ticket_type = "repair" if web else h.type
    priority = "normal" if web else h.priority
    subject = text(SUBJECTS[ticket_type])
    description = text(DESCRIPTIONS[ticket_type])
    level = cust.level[h.customer] if h.customer >= 0 else ""
    policy_id, warning, targets = spec.policies.get(level) or spec.policies[""]
    fr_minutes, res_minutes = targets[priority]
    product = product_id if ticket_type in ("repair", "return") and rand() < 0.5 else NULL
    order_id = _latest(orders.get(h.customer), t0) if ticket_type == "return" else NULL
    contract_id = _latest(contracts.get(h.customer), t0) if ticket_type == "repair" else NULL
    requester = requester_name if requester_name != NULL else (contact.name if contact else "")

    # --- the life of the ticket (times in ms; agents act in working time) ---
    if web:
        assignee = -1
        worker = int(rand() * len(agents))  # who picks it up
        creator = NULL
        rule, note = spec.queue_rule, f"rule '{QUEUE_RULE}', team queue"
    else:
        assignee = worker = h.turn
        creator = agents[int(rand() * len(agents))][0]
        rule = spec.round_robin_rule
        note = f"rule '{ROUND_ROBIN_RULE}', round-robin"
        if h.previous >= 0:
            note += f", next after {agents[h.previous][1]}"
    agent, agent_name = agents[worker]
    # (at, from, to, actor, note) and (at, visibility, body, author id, author name)
    moves: list[tuple[int, str | None, str, str, str]] = [(t0, None, "new", creator, NULL)]
    talk: list[tuple[int, str, str, str, str]] = []
    resolutions: list[int] = []
    if rand() < (0.1 if web else 0.02):  # a duplicate or spam: closed at once
        moves.append(
            (work.add(t0, rng.randint(5, 90) * MINUTE), "new", "closed", agent, DUPLICATE_NOTE)
        )
    else:
        opened = work.add(t0, _lognormal(rng, 20 * MINUTE, 1.0, 3 * DAY))
        moves.append((opened, "new", "open", agent, NULL))
        at = opened
        if rand() < 0.88:
            at = work.add(opened, rng.randint(1, 30) * MINUTE)
            talk.append((at, "public", text(FIRST_REPLIES), agent, agent_name))
            r = rand()
            for _ in range(0 if r < 0.6 else 1 if r < 0.9 else 2):
                asked = work.add(at, _lognormal(rng, 90 * MINUTE, 0.8, 2 * DAY))
                talk.append((asked, "public", text(ASKS), agent, agent_name))
                moves.append((asked, "open", "pending", agent, NULL))
                answer = asked + _lognormal(rng, 20 * HOUR, 1.0, 20 * DAY)
                talk.append((answer, "public", text(CUSTOMER_ANSWERS), NULL, requester or "客户"))
                at = work.add(answer, rng.randint(5, 60) * MINUTE)
                moves.append((at, "pending", "open", agent, NULL))
        median = RESOLUTION_MEDIAN[priority] * MINUTE
        resolved = work.add(at, _lognormal(rng, median, 1.1, 60 * DAY))
        if rand() < 0.25:  # before the resolution (a closed ticket takes no comments)
            noted = work.add(opened, rng.randint(10, 240) * MINUTE)
            noted = max(opened, min(noted, resolved - 2 * MINUTE))
            talk.append((noted, "internal", text(NOTES), agent, agent_name))
        talk.append((resolved - MINUTE, "public", text(SOLUTIONS[ticket_type]), agent, agent_name))
        moves.append((resolved, "open", "resolved", agent, NULL))
        resolutions.append(resolved)
        r = rand()
        if r < 0.04:
            again = resolved + rng.randint(12, 120) * HOUR
            moves.append((again, "resolved", "open", agent, text([REOPEN_NOTE])))
            resolved = work.add(again, _lognormal(rng, median, 0.8, 20 * DAY))
            talk.append(
                (resolved - MINUTE, "public", text(SOLUTIONS[ticket_type]), agent, agent_name)
            )
            moves.append((resolved, "open", "resolved", agent, NULL))
            resolutions.append(resolved)
            moves.append(
                (resolved + AUTO_CLOSE_DAYS * DAY, "resolved", "closed", NULL, AUTO_CLOSE_NOTE)
            )
        elif r < 0.4:
            closed = work.add(resolved, _lognormal(rng, 4 * HOUR, 1.0, 4 * DAY))
            if closed - resolved < AUTO_CLOSE_DAYS * DAY:
                moves.append((closed, "resolved", "closed", agent, NULL))
            else:
                moves.append(
                    (resolved + AUTO_CLOSE_DAYS * DAY, "resolved", "closed", NULL, AUTO_CLOSE_NOTE)
                )
        else:
            moves.append(
                (resolved + AUTO_CLOSE_DAYS * DAY, "resolved", "closed", NULL, AUTO_CLOSE_NOTE)
            )

    # --- cut at the anchor and replay what happened, as app.tickets.service would have ---
    moves = [m for m in moves if m[0] <= anchor]
    talk = sorted(t for t in talk if t[0] <= anchor)
    status = "new"
    paused_since: int | None = None
    paused_s = 0
    # the first public reply by staff meets the first-response target (or the resolution)
    first_response = next((t[0] for t in talk if t[3] == agent and t[1] == "public"), None)
    responded: int | None = None
    resolved_at: int | None = None
    closed_at: int | None = None
    reopened = 0
    updates = 0
    survey_at: list[int] = []
    for at, _, to, _, _ in moves[1:]:
        updates += 1
        if to == "open" and status == "new":
            if assignee < 0:
                assignee = worker
                note = f"{note}; picked up by {agents[worker][1]}"
        elif to == "open":
            if status in ("resolved", "closed"):
                reopened += 1
                resolved_at = closed_at = None
            assert paused_since is not None
            paused_s += work.between(paused_since, at) // 1000
            paused_since = None
        elif to == "pending":
            paused_since = paused_since or at
        elif to == "resolved":
            if responded is None:
                responded = at
            resolved_at = at
            paused_since = paused_since or at
            survey_at.append(at)
        elif to == "closed":
            closed_at = at
            paused_since = paused_since or at
        status = to
    if first_response is not None and (responded is None or first_response < responded):
        responded = first_response
    updates += sum(1 for t in talk if t[3] == agent and t[1] == "public")
    fr_due = work.add(t0, fr_minutes * MINUTE)
    fr_warn = work.add(t0, max(fr_minutes * MINUTE - warning, 0))
    res_due = work.add(t0, res_minutes * MINUTE + paused_s * 1000)
    res_warn = work.add(t0, max(res_minutes * MINUTE - warning, 0) + paused_s * 1000)
    if status in ("new", "open"):
        running_until = anchor
    else:
        assert paused_since is not None
        running_until = paused_since
    # met late (`clocks.late`: met after the due time), or flagged by the SLA job while
    # running (due time reached)
    fr_until = responded if responded is not None else running_until
    fr_breached = fr_until > fr_due if responded is not None else fr_due <= fr_until
    met = status in ("resolved", "closed") and resolved_at is not None
    res_breached = running_until > res_due if met else res_due <= running_until
    fr_warned = fr_breached or fr_until >= fr_warn
    res_warned = res_breached or running_until >= res_warn
    last = max([m[0] for m in moves] + [t[0] for t in talk])
    a_id = agents[assignee][0] if assignee >= 0 else NULL

    def b(flag: bool) -> str:
        return "t" if flag else "f"

    def opt(ms: int | None) -> str:
        return NULL if ms is None else fmt(ms)

    files["tickets"].write(
        f"{ws}\t{tid}\t{PREFIX}-{g + 1:06d}\t{customer_id}\t{contact_id}\t{requester_name}\t"
        f"{requester_phone}\t{requester_email}\t{subject}\t{description}\t{h.channel}\t"
        f"{ticket_type}\t{priority}\t{status}\t{a_id}\t{spec.team_id}\t{rule}\t{note}\t"
        f"{contract_id}\t{product}\t{order_id}\t{spec.form_id if web else NULL}\t{{}}\t{{}}\t"
        f"{policy_id}\t{fmt(t0)}\t{fr_minutes}\t{res_minutes}\t{paused_s}\t{opt(paused_since)}\t"
        f"{fmt(fr_due)}\t{fmt(fr_warn)}\t{fmt(res_due)}\t{fmt(res_warn)}\t{opt(responded)}\t"
        f"{opt(resolved_at)}\t{opt(closed_at)}\t{b(fr_breached)}\t{b(res_breached)}\t"
        f"{b(fr_warned)}\t{b(res_warned)}\t{reopened}\t{NULL}\t{NULL}\t{NULL}\t{NULL}\t{NULL}\t"
        f"{fmt(t0)}\t{fmt(last)}\t{1 + updates}\t{NULL}\t{creator}\n"
    )
    for at, before, to, actor, why in moves:
        files["ticket_status_changes"].write(
            f"{ws}\t{S.uid(at, bits(74))}\t{tid}\t{before or NULL}\t{to}\t{actor}\t{why}\t"
            f"{fmt(at)}\n"
        )
    for at, visibility, body, author, name in talk:
        stamp = fmt(at)
        files["ticket_comments"].write(
            f"{ws}\t{S.uid(at, bits(74))}\t{tid}\t{visibility}\t{body}\t{author}\t{name}\t"
            f"{stamp}\t{stamp}\t1\t{NULL}\t{author}\n"
        )
    for at in survey_at:
        rating = comment = rated = NULL
        if rand() < 0.4:
            rated_ms = at + _lognormal(rng, 4 * HOUR, 1.0, CSAT_DAYS * DAY - MINUTE)
            if rated_ms <= anchor:
                score = S.pick(rng, RATINGS, RATING_CUM)
                rating, rated = str(score), fmt(rated_ms)
                if rand() < 0.3:
                    comment = text(RATING_COMMENTS[score])
        files["ticket_surveys"].write(
            f"{ws}\t{S.uid(at, bits(74))}\t{tid}\t{_token(rng)}\t{a_id}\t{spec.team_id}\t"
            f"{fmt(at)}\t{fmt(at + CSAT_DAYS * DAY)}\t{rating}\t{comment}\t{rated}\n"
        )


# --- database --------------------------------------------------------------------------------


def has_rows(conn: psycopg.Connection[Any], workspace_id: str) -> bool:
    for table in ("business_calendars", "sla_policies", "ticket_routing_rules", "tickets"):
        found = conn.execute(
            sql.SQL("SELECT 1 FROM {} WHERE workspace_id = %s LIMIT 1").format(
                sql.Identifier(table)
            ),
            (workspace_id,),
        ).fetchone()
        if found:
            return True
    return False


def wipe(conn: psycopg.Connection[Any], workspace_id: str) -> None:
    with conn.transaction():
        for table in TABLES:
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE workspace_id = %s").format(sql.Identifier(table)),
                (workspace_id,),
            )


def _read_customers(conn: psycopg.Connection[Any], ws: str, anchor: datetime) -> Customers:
    cust = Customers()
    rows = conn.execute(
        """
        SELECT id::text, (extract(epoch FROM created_at) * 1000)::int8, level,
               name ~ '^[ -~]*$', md5(id::text || 'vip') < '33333333'
        FROM customers
        WHERE workspace_id = %s AND deleted_at IS NULL AND merged_into_id IS NULL
          AND created_at <= %s
        ORDER BY created_at, id
        """,
        (ws, anchor),
    )
    for cid, created, level, english, vip in rows:
        n = len(cust.ids)
        cust.ids.append(cid)
        cust.created.append(created)
        cust.level.append(level or "")
        cust.english.append(bool(english))
        if vip:
            cust.vip.append(n)
            cust.vip_created.append(created)
    return cust


def _by_customer(
    conn: psycopg.Connection[Any], query: str, ws: str, wanted: dict[str, int]
) -> dict[int, tuple[list[int], list[str]]]:
    """customer index → (times, ids) in time order, for the customers in `wanted`."""
    found: dict[int, tuple[list[int], list[str]]] = {}
    if not wanted:
        return found
    for customer, at, row_id in conn.execute(query, (ws, list(wanted))):
        times, ids = found.setdefault(wanted[customer], ([], []))
        times.append(at)
        ids.append(row_id)
    return found


def _reference_data(
    conn: psycopg.Connection[Any], ws: str, anchor: datetime, rng: S.FastRandom
) -> tuple[Spec, Any]:
    """Calendar, policies, rules and form; returns the spec (without headers) and the
    calendar as the app reads it."""
    from app.models.ticket import BusinessCalendar
    from app.tickets.config import to_calendar

    at = at_ms(anchor) - (S.YEARS * 365 + 29) * DAY
    when = fmt(at)

    def new_id() -> str:
        nonlocal at
        at += 1
        return S.uid(at, rng.getrandbits(74))

    team = conn.execute(
        "SELECT id::text FROM teams WHERE workspace_id = %s AND name = %s", (ws, TEAM_NAME)
    ).fetchone()
    admin = conn.execute(
        "SELECT id::text FROM users WHERE workspace_id = %s AND lower(email) = %s",
        (ws, S.ADMIN_EMAIL),
    ).fetchone()
    assert team, "the bench service team is missing: reseed"
    assert admin, "the bench admin is missing: reseed"
    agents = [
        (r[0], r[1])
        for r in conn.execute(
            """
            WITH RECURSIVE tree AS (
              SELECT id FROM teams WHERE workspace_id = %(ws)s AND id = %(team)s
              UNION ALL
              SELECT t.id FROM teams t JOIN tree ON t.parent_id = tree.id
              WHERE t.workspace_id = %(ws)s)
            SELECT u.id::text, u.name FROM users u
            WHERE u.workspace_id = %(ws)s AND u.team_id IN (SELECT id FROM tree)
              AND u.is_active AND u.deleted_at IS NULL
            ORDER BY u.name, u.id
            """,
            {"ws": ws, "team": team[0]},
        ).fetchall()
    ]
    assert agents, "the service team has no members: reseed"
    products = [
        (r[0], r[1])
        for r in conn.execute(
            "SELECT id::text, name FROM products WHERE workspace_id = %s AND deleted_at IS NULL "
            "ORDER BY id",
            (ws,),
        ).fetchall()
    ]
    assert products, "the bench workspace has no products: add the pipeline to cash first"
    day = anchor.date()
    rows = holidays(day.year - S.YEARS - 1, day.year + 2)
    calendar_id = new_id()
    conn.execute(
        "INSERT INTO business_calendars (workspace_id, id, name, timezone, weekly_hours, "
        "holidays, workdays, created_at, updated_at, version, created_by) "
        "VALUES (%s, %s, %s, 'Asia/Shanghai', %s, %s, '[]', %s, %s, 1, %s)",
        (ws, calendar_id, CALENDAR_NAME, Jsonb(OFFICE_HOURS), Jsonb(rows), when, when, admin[0]),
    )
    policies: dict[str, tuple[str, int, dict[str, tuple[int, int]]]] = {}
    for name, levels, position, warning, targets in POLICIES:
        policy_id = new_id()
        conn.execute(
            "INSERT INTO sla_policies (workspace_id, id, name, position, active, customer_levels, "
            "calendar_id, targets, warning_minutes, created_at, updated_at, version, created_by) "
            "VALUES (%s, %s, %s, %s, true, %s, %s, %s, %s, %s, %s, 1, %s)",
            (
                ws,
                policy_id,
                name,
                position,
                levels,
                calendar_id,
                Jsonb(
                    {
                        p: {"first_response_minutes": fr, "resolution_minutes": res}
                        for p, (fr, res) in targets.items()
                    }
                ),
                warning,
                when,
                when,
                admin[0],
            ),
        )
        for level in levels or [""]:
            policies[level] = (policy_id, warning * MINUTE, targets)
    rules = []
    for position, (name, strategy, conditions) in enumerate(
        [(QUEUE_RULE, "none", {"channels": ["web_form"]}), (ROUND_ROBIN_RULE, "round_robin", {})]
    ):
        rule_id = new_id()
        rules.append(rule_id)
        conn.execute(
            "INSERT INTO ticket_routing_rules (workspace_id, id, name, position, active, "
            "conditions, team_id, strategy, capacity, state, created_at, updated_at, version, "
            "created_by) VALUES (%s, %s, %s, %s, true, %s, %s, %s, NULL, '{}', %s, %s, 1, %s)",
            (
                ws,
                rule_id,
                name,
                position,
                Jsonb(conditions),
                team[0],
                strategy,
                when,
                when,
                admin[0],
            ),
        )
    form_id = new_id()
    conn.execute(
        "INSERT INTO ticket_forms (workspace_id, id, name, token, type, priority, team_id, "
        "active, created_at, updated_at, version, created_by) "
        "VALUES (%s, %s, %s, %s, 'repair', 'normal', %s, true, %s, %s, 1, %s)",
        (ws, form_id, FORM_NAME, _token(rng), team[0], when, when, admin[0]),
    )
    row = BusinessCalendar(
        name=CALENDAR_NAME,
        timezone="Asia/Shanghai",
        weekly_hours=OFFICE_HOURS,
        holidays=rows,
        workdays=[],
    )
    from zoneinfo import ZoneInfo

    spec = Spec(
        workspace_id=ws,
        anchor=at_ms(anchor),
        seed=0,
        directory="",
        team_id=team[0],
        agents=agents,
        calendar_id=calendar_id,
        policies=policies,
        queue_rule=rules[0],
        round_robin_rule=rules[1],
        form_id=form_id,
        products=products,
    )
    return spec, to_calendar(row, ZoneInfo("Asia/Shanghai"))


def _headers(
    rng: S.FastRandom, n: int, cust: Customers, agents: int, start: int, anchor: int
) -> list[Header]:
    """Creation times (recent weeks busier), channel, type, priority, customer and the
    round-robin turn of every ticket, in creation (= number) order."""
    times = sorted(start + int((anchor - start) * rng.random() ** 0.6) for _ in range(n))
    out: list[Header] = []
    turn = -1
    for t in times:
        channel = S.pick(rng, CHANNELS, CHANNEL_CUM)
        customer = -1
        if rng.random() < (0.6 if channel == "web_form" else 0.92):
            if rng.random() < 0.7:
                k = bisect.bisect_right(cust.vip_created, t)
                customer = cust.vip[int(rng.random() * k)] if k else -1
            else:
                k = bisect.bisect_right(cust.created, t)
                customer = int(rng.random() * k) if k else -1
        if channel == "web_form":
            current = previous = -1
        else:
            previous = turn
            turn = current = (turn + 1) % agents
        out.append(
            Header(
                created=t,
                channel=channel,
                type=S.pick(rng, TYPES, TYPE_CUM),
                priority=S.pick(rng, PRIORITIES, PRIORITY_CUM),
                customer=customer,
                turn=current,
                previous=previous,
            )
        )
    return out


def plan_count(customers: int) -> int:
    return round(customers * TICKETS_PER_CUSTOMER)


def add_tickets(
    url: str, workspace_id: str, anchor: datetime, customers: int, seed_value: int
) -> dict[str, Any]:
    """Load the service desk and its tickets (see the module docstring); rows an earlier,
    interrupted run left behind are deleted first."""
    watch = S.Stopwatch()
    ws = workspace_id
    rng = S.FastRandom(seed_value * 2_750_159 + 11)
    n = plan_count(customers)
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (ws,))
        if has_rows(conn, ws):
            S.log("  deleting the ticket rows an earlier run left")
            wipe(conn, ws)
        with conn.transaction():
            spec, calendar = _reference_data(conn, ws, anchor, rng)
        cust = _read_customers(conn, ws, anchor)
        anchor_ms = at_ms(anchor)
        start = anchor_ms - S.YEARS * 365 * DAY
        headers = _headers(rng, n, cust, len(spec.agents), start, anchor_ms)
        chosen = {h.customer for h in headers if h.customer >= 0}
        wanted = {cust.ids[i]: i for i in chosen}
        contacts: dict[int, Contact] = {}
        for customer, contact_id, name, phone in conn.execute(
            """
            SELECT DISTINCT ON (customer_id) customer_id::text, id::text, name, phones[1]
            FROM contacts
            WHERE workspace_id = %s AND customer_id = ANY(%s::uuid[]) AND deleted_at IS NULL
            ORDER BY customer_id, is_primary DESC, created_at, id
            """,
            (ws, list(wanted)),
        ):
            contacts[wanted[customer]] = Contact(contact_id, name, phone)
        returns = {
            cust.ids[h.customer]: h.customer
            for h in headers
            if h.type == "return" and h.customer >= 0
        }
        repairs = {
            cust.ids[h.customer]: h.customer
            for h in headers
            if h.type == "repair" and h.customer >= 0
        }
        orders = _by_customer(
            conn,
            "SELECT customer_id::text, (extract(epoch FROM ordered_at) * 1000)::int8, id::text "
            "FROM orders WHERE workspace_id = %s AND customer_id = ANY(%s::uuid[]) "
            "AND deleted_at IS NULL ORDER BY customer_id, ordered_at, id",
            ws,
            returns,
        )
        contracts = _by_customer(
            conn,
            "SELECT customer_id::text, "
            "(extract(epoch FROM signed_on::timestamp AT TIME ZONE 'UTC') * 1000)::int8, "
            "id::text FROM contracts WHERE workspace_id = %s AND customer_id = ANY(%s::uuid[]) "
            "AND deleted_at IS NULL AND signed_on IS NOT NULL "
            "AND status IN ('active', 'expired', 'terminated') "
            "ORDER BY customer_id, signed_on, id",
            ws,
            repairs,
        )
    work = WorkTime(calendar, start - 2 * DAY, anchor_ms + 800 * DAY)
    S.log(
        f"  service desk (calendar, {len(POLICIES)} SLA policies, 2 routing rules, a form; "
        f"{len(spec.agents)} agents); {len(cust.ids):,} customers read: {watch():.1f}s"
    )
    workers = max(1, min(os.cpu_count() or 1, 8))
    plan = S.Plan(scale="", customers=customers, seed=seed_value, anchor=anchor, workspace_id=ws)
    loaders: dict[str, S.Loader] = {}
    with tempfile.TemporaryDirectory(prefix="rapport-bench-tickets-") as tmp:
        spec.seed, spec.directory = seed_value, tmp
        chunks = [Chunk(spec, k, a, min(a + CHUNK, n)) for k, a in enumerate(range(0, n, CHUNK))]
        # forked workers share what was read above (no connection is open here)
        _SHARED.update(
            headers=headers,
            customers=cust,
            contacts=contacts,
            orders=orders,
            contracts=contracts,
            work=work,
        )
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                loaders = {
                    t: S.Loader(url, plan, t, columns, freeze=False)
                    for t, columns in COLUMNS.items()
                }
                for loader in loaders.values():
                    loader.start()
                try:
                    for paths in pool.imap(_generate, chunks):
                        for table, path in paths.items():
                            loaders[table].put(path)
                finally:
                    for loader in loaders.values():
                        loader.put(None)
                S.log(
                    f"  generated {len(chunks)} ticket chunks in {watch():.1f}s "
                    f"({workers} processes)"
                )
                for loader in loaders.values():
                    loader.join()
                    if loader.error:
                        raise loader.error
        finally:
            _SHARED.clear()
    for table, loader in loaders.items():
        e = loader.timings
        S.log(
            f"  {table}: {loader.rows:,} rows copied in {e['copy']:.1f}s, "
            f"{int(e['index_count'])} indexes rebuilt in {e['indexes']:.1f}s"
        )
    last_turn = next((h.turn for h in reversed(headers) if h.turn >= 0), -1)
    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (ws,))
        # the app's next ticket number follows the last one loaded
        conn.execute("INSERT INTO ticket_counters (workspace_id, value) VALUES (%s, %s)", (ws, n))
        # the round-robin rule continues after the last agent served
        if last_turn >= 0:
            conn.execute(
                "UPDATE ticket_routing_rules SET state = %s WHERE workspace_id = %s AND id = %s",
                (Jsonb({"last_user_id": spec.agents[last_turn][0]}), ws, spec.round_robin_rule),
            )
    loaded = watch()
    took = S.vacuum_analyze(url, [*COLUMNS, "business_calendars", "sla_policies"])
    S.log(f"  VACUUM (ANALYZE) of the ticket tables: {took:.1f}s")
    stats = verify(url, ws, anchor, calendar)
    info = {
        "version": TICKETS_VERSION,
        **stats,
        "load_seconds": round(loaded, 1),
        "seconds": round(watch(), 1),
    }
    S.log(
        f"  tickets: {stats['tickets']:,} ({stats['open']:,} open, {stats['breached_open']:,} "
        f"of them breached), {stats['comments']:,} comments, {stats['surveys']:,} surveys: "
        f"{info['seconds']:.1f}s"
    )
    return info


def verify(url: str, workspace_id: str, anchor: datetime, calendar: Any) -> dict[str, Any]:
    """Every reference, the life-cycle invariants, and the SLA clocks of a sample recomputed
    with the app's own working-time functions from the stored status history."""
    from app.tickets.sla import add_business_time, business_time_between

    ws = workspace_id
    checks = {
        "status and its times disagree": """
            SELECT count(*) FROM tickets WHERE workspace_id = %(ws)s AND NOT (
              (status IN ('new', 'open')) = (paused_since IS NULL)
              AND (status = 'resolved') = (resolved_at IS NOT NULL AND closed_at IS NULL)
              AND (status = 'closed') = (closed_at IS NOT NULL)
              AND (status <> 'new' OR first_responded_at IS NULL)
              AND (resolved_at IS NULL OR first_responded_at <= resolved_at))
        """,
        "history does not start with the creation or end at the status": """
            SELECT count(*) FROM tickets t LEFT JOIN (
              SELECT ticket_id, count(*) FILTER (WHERE from_status IS NULL) AS starts,
                     min(at) FILTER (WHERE from_status IS NULL AND to_status = 'new') AS created,
                     min(at) AS first,
                     (array_agg(to_status ORDER BY at DESC, id DESC))[1] AS last
              FROM ticket_status_changes WHERE workspace_id = %(ws)s GROUP BY ticket_id) h
              ON h.ticket_id = t.id
            WHERE t.workspace_id = %(ws)s AND (h.starts IS DISTINCT FROM 1
              OR h.created IS DISTINCT FROM t.created_at OR h.first < h.created
              OR h.last IS DISTINCT FROM t.status)
        """,
        "resolution without a survey, or a survey without one": """
            SELECT count(*) FROM (
              SELECT ticket_id, count(*) AS n FROM ticket_status_changes
              WHERE workspace_id = %(ws)s AND to_status = 'resolved' GROUP BY 1) r
            FULL JOIN (SELECT ticket_id, count(*) AS n FROM ticket_surveys
                       WHERE workspace_id = %(ws)s GROUP BY 1) s USING (ticket_id)
            WHERE r.n IS DISTINCT FROM s.n
        """,
        "a clock flagged that could not be, or a running clock past due not flagged": """
            SELECT count(*) FROM tickets WHERE workspace_id = %(ws)s AND (
              (status IN ('new', 'open') AND first_responded_at IS NULL
               AND first_response_due_at <= %(anchor)s AND NOT first_response_breached)
              OR (status IN ('new', 'open') AND resolution_due_at <= %(anchor)s
                  AND NOT resolution_breached)
              OR (first_response_breached AND NOT first_response_warned)
              OR (resolution_breached AND NOT resolution_warned))
        """,
        "row dated after the anchor": """
            SELECT (SELECT count(*) FROM tickets WHERE workspace_id = %(ws)s
                      AND greatest(created_at, updated_at, resolved_at, closed_at) > %(anchor)s)
                 + (SELECT count(*) FROM ticket_comments WHERE workspace_id = %(ws)s
                      AND created_at > %(anchor)s)
                 + (SELECT count(*) FROM ticket_status_changes WHERE workspace_id = %(ws)s
                      AND at > %(anchor)s)
                 + (SELECT count(*) FROM ticket_surveys WHERE workspace_id = %(ws)s
                      AND (created_at > %(anchor)s OR rated_at > %(anchor)s))
        """,
        "counter is not the last number": """
            SELECT count(*) FROM ticket_counters k WHERE k.workspace_id = %(ws)s
              AND k.value <> (SELECT count(*) FROM tickets WHERE workspace_id = %(ws)s)
        """,
        "resolved ticket older than the auto-close": f"""
            SELECT count(*) FROM tickets WHERE workspace_id = %(ws)s AND status = 'resolved'
              AND resolved_at <= %(anchor)s - interval '{AUTO_CLOSE_DAYS} days'
        """,
    }
    params = {"ws": ws, "anchor": anchor}
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (ws,))
        conn.execute("SET work_mem = '256MB'")
        for what, query in checks.items():
            row = conn.execute(query, params).fetchone()
            if row and row[0]:
                raise SystemExit(f"tickets: {row[0]} rows fail the check: {what}")
        for child, column, parent in REFERENCES:
            row = conn.execute(
                sql.SQL(
                    "SELECT count(*) FROM {child} x WHERE x.workspace_id = %s AND x.{column} "
                    "IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE "
                    "p.workspace_id = x.workspace_id AND p.id = x.{column})"
                ).format(
                    child=sql.Identifier(child),
                    column=sql.Identifier(column),
                    parent=sql.Identifier(parent),
                ),
                (ws,),
            ).fetchone()
            if row and row[0]:
                raise SystemExit(f"{row[0]} {child}.{column} rows point to no {parent} row")
        sample = conn.execute(
            """
            SELECT id, sla_started_at, first_response_target_minutes, resolution_target_minutes,
                   sla_paused_seconds, paused_since, first_response_due_at,
                   first_response_warn_at, resolution_due_at, resolution_warn_at,
                   (SELECT warning_minutes FROM sla_policies p
                    WHERE p.workspace_id = t.workspace_id AND p.id = t.sla_policy_id)
            FROM tickets t WHERE workspace_id = %s ORDER BY md5(id::text) LIMIT 300
            """,
            (ws,),
        ).fetchall()
        histories: dict[Any, list[tuple[datetime, str]]] = {}
        for ticket_id, at, to in conn.execute(
            "SELECT ticket_id, at, to_status FROM ticket_status_changes WHERE workspace_id = %s "
            "AND ticket_id = ANY(%s) ORDER BY ticket_id, at, id",
            (ws, [r[0] for r in sample]),
        ):
            histories.setdefault(ticket_id, []).append((at, to))
        stats = conn.execute(
            """
            SELECT count(*),
                   count(*) FILTER (WHERE status IN ('new', 'open', 'pending')),
                   count(*) FILTER (WHERE status IN ('new', 'open', 'pending')
                                    AND (first_response_breached OR resolution_breached)),
                   (SELECT count(*) FROM ticket_comments WHERE workspace_id = %(ws)s),
                   (SELECT count(*) FROM ticket_surveys WHERE workspace_id = %(ws)s),
                   (SELECT count(*) FROM ticket_surveys WHERE workspace_id = %(ws)s
                      AND rating IS NOT NULL)
            FROM tickets WHERE workspace_id = %(ws)s
            """,
            params,
        ).fetchone()
    assert stats is not None
    for (
        ticket_id,
        start,
        fr,
        res,
        paused,
        paused_since,
        fr_due,
        fr_warn,
        res_due,
        res_warn,
        warning_minutes,
    ) in sample:
        # the paused working time, from the history: pending → open and resolved → open
        stood = 0
        since: datetime | None = None
        for at, to in histories[ticket_id]:
            if to in ("pending", "resolved", "closed"):
                since = since or at
            elif to == "open" and since is not None:
                stood += int(business_time_between(calendar, since, at).total_seconds())
                since = None
        warning = timedelta(minutes=warning_minutes)
        expected = (
            stood,
            since,
            add_business_time(calendar, start, timedelta(minutes=fr)),
            add_business_time(calendar, start, max(timedelta(minutes=fr) - warning, timedelta())),
            add_business_time(calendar, start, timedelta(minutes=res, seconds=stood)),
            add_business_time(
                calendar,
                start,
                max(timedelta(minutes=res) - warning, timedelta()) + timedelta(seconds=stood),
            ),
        )
        if expected != (paused, paused_since, fr_due, fr_warn, res_due, res_warn):
            raise SystemExit(
                f"ticket {ticket_id}: SLA clocks differ from the app's arithmetic: stored "
                f"{(paused, paused_since, fr_due, fr_warn, res_due, res_warn)}, "
                f"expected {expected}"
            )
    S.log(
        f"  verified {len(checks)} ticket invariants, {len(REFERENCES)} references and the "
        f"SLA clocks of {len(sample)} sampled tickets against app.tickets.sla"
    )
    names = ("tickets", "open", "breached_open", "comments", "surveys", "rated")
    return {name: int(v) for name, v in zip(names, stats, strict=True)}


def ensure_tickets(url: str, marker: dict[str, Any]) -> dict[str, Any]:
    """Top-up for a data set seeded before tickets (idempotent): returns the marker."""
    if (marker.get("tickets") or {}).get("version") == TICKETS_VERSION:
        return marker
    S.log("the data set has no service tickets yet: adding them (top-up, no reseed)")
    day = date.fromisoformat(str(marker["anchor"]))
    anchor = datetime(day.year, day.month, day.day, tzinfo=UTC)
    info = add_tickets(
        url,
        str(marker["workspace_id"]),
        anchor,
        S.SCALES[str(marker["scale"])],
        int(marker.get("seed", 42)),
    )
    marker = {
        **marker,
        "tickets": info,
        "counts": {**marker.get("counts", {}), **S.counts(url, str(marker["workspace_id"]))},
    }
    with psycopg.connect(url, autocommit=True) as conn:
        S._set_marker(conn, marker)
    return marker
