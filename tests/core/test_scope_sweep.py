"""Data scope on every list, search and export: own / team / all, for every route.

Generated from the OpenAPI contract like tests/test_isolation.py: every GET without path
parameters that answers a cursor page (`{data, next_cursor, has_more}`) is called as each
person of one org chart, and the people whose rows come back must be exactly the people the
caller may see — never someone outside the caller's scope, and never a page missing the
caller's own rows (so an endpoint that answers nothing cannot pass). `q` searches, owner and
team filters and `include_deleted` must not widen the scope either. Exports are read the same
way. Operations that are not cursor pages are listed below with the reason they are not
swept here; a new list endpoint that is neither swept nor listed fails
`test_every_list_endpoint_is_swept_or_listed`, so the matrix stays complete.

The org chart (one workspace, built once for the module, through the API as each person):

    owner, admin           all
    East ⊃ East/Shanghai   manager (East) sees East's subtree: himself, sales, peer
    East/Shanghai          sales, peer (own rows only)
    South                  south (own rows only)

Each person owns one record of every kind that has an owner: a customer with a contact, a
follow-up, a task, a lead, a deal, a contract with an installment, a payment and an invoice,
orders, a ticket, a dispute, an import, a target, a report and their own API key.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from app.analytics.value import service as rfm
from app.main import create_app
from app.models.audit import AuditEntry
from app.models.customer import Notification
from app.models.pipeline import Opportunity
from tests.factories import create_team, create_user, create_workspace, login_as, use

PEOPLE = ("owner", "admin", "manager", "sales", "peer", "south")

#: whose rows each person may see, by the org chart (not by the permission table)
SEES: dict[str, frozenset[str]] = {
    "owner": frozenset(PEOPLE),
    "admin": frozenset(PEOPLE),
    "manager": frozenset({"manager", "sales", "peer"}),
    "sales": frozenset({"sales"}),
    "peer": frozenset({"peer"}),
    "south": frozenset({"south"}),
}

#: someone outside each person's scope, for the filter probes (owner_id=…, team_id=…)
OUTSIDER = {"manager": "south", "sales": "peer", "peer": "sales", "south": "sales"}

#: lists whose visibility is not the module's data scope, with the rule that applies instead
PERSONAL = {
    # a notification is for its recipient only, whatever the role
    "/api/v1/notifications": lambda caller: frozenset({caller}),
    # your own keys; owners and admins manage everyone's
    "/api/v1/api-keys": lambda caller: SEES[caller] if caller in ("owner", "admin") else {caller},
}

#: (list, person) → the status a person without that module gets instead of a page
NO_ACCESS: dict[tuple[str, str], int] = {
    ("/api/v1/webhooks", p): 403 for p in ("manager", "sales", "peer", "south")
} | {("/api/v1/events", p): 403 for p in ("manager", "sales", "peer", "south")}

#: pages of reference data or settings: rows without an owner, the same for everyone who
#: may read them (their own tests check who may change them)
REFERENCE_DATA = {
    "/api/v1/assignment-rules": "lead routing rules (settings)",
    "/api/v1/business-calendars": "service hours (settings)",
    "/api/v1/campaigns": "marketing campaigns, shared by the whole workspace",
    "/api/v1/commission/plans": "commission rules (settings)",
    "/api/v1/custom-fields": "field definitions (settings)",
    "/api/v1/lost-reasons": "reason list (settings)",
    "/api/v1/pipelines": "pipeline definitions (settings)",
    "/api/v1/pools": "public pool definitions; their customers are scoped (tests/pools)",
    "/api/v1/products": "the product catalogue",
    "/api/v1/sla-policies": "service levels (settings)",
    "/api/v1/tags": "tag list (settings)",
    "/api/v1/teams": "the org chart, readable by everyone for pickers",
    "/api/v1/ticket-forms": "intake forms (settings)",
    "/api/v1/ticket-routing-rules": "ticket routing (settings)",
    "/api/v1/users": "the staff directory, readable by everyone for pickers",
    "/api/v1/web-forms": "lead capture forms (settings)",
    "/api/v1/webhooks": "integration endpoints (admins only; tests/webhooks)",
    "/api/v1/events": "the integration event feed (admins only; tests/test_events.py)",
}

TEAM_ANALYTICS = "aggregate: scope tested in tests/analytics/team/test_team_analytics.py"
SALES_ANALYTICS = "aggregate: scope tested in tests/analytics/sales/test_sales_analytics.py"
VALUE_ANALYTICS = "aggregate: scope tested in tests/analytics/value/test_analytics.py"

#: GET operations without path parameters that are not cursor pages, and why the sweep
#: leaves them alone. Aggregates are scoped by their own tests, named here.
NOT_LISTS = {
    "/api/v1/me": "the caller",
    "/api/v1/roles": "the permission table",
    "/api/v1/imports/fields": "import field names",
    "/api/v1/notifications/unread-count": "a count of the caller's own notifications",
    "/api/v1/settings/contracts": "settings",
    "/api/v1/settings/customers": "settings",
    "/api/v1/settings/rate-limits": "settings",
    "/api/v1/settings/rfm": "settings",
    "/api/v1/settings/tickets": "settings",
    "/healthz": "process health",
    "/readyz": "database health",
    "/metrics": "Prometheus metrics",
    "/api/v1/pools/reclaim-due": "aggregate: scope tested in tests/pools/test_pools.py",
    "/api/v1/receivables/cash-in": "aggregate: scope tested in tests/receivables/test_aging.py",
    "/api/v1/tickets/dashboard": "aggregate: scope tested in tests/tickets/test_tickets.py",
    "/api/v1/tickets/reports/csat": "aggregate: scope tested in tests/tickets/test_tickets.py",
    "/api/v1/tickets/reports/sla": "aggregate: scope tested in tests/tickets/test_tickets.py",
    "/api/v1/targets/progress": "aggregate: scope tested in tests/targets/test_progress.py",
    "/api/v1/analytics/activity-stats": TEAM_ANALYTICS,
    "/api/v1/analytics/leaderboard": TEAM_ANALYTICS,
    "/api/v1/analytics/campaign-roi": SALES_ANALYTICS,
    "/api/v1/analytics/coverage": SALES_ANALYTICS,
    "/api/v1/analytics/forecast": SALES_ANALYTICS,
    "/api/v1/analytics/funnel": SALES_ANALYTICS,
    "/api/v1/analytics/lost-reasons": SALES_ANALYTICS,
    "/api/v1/analytics/sales-cycle": SALES_ANALYTICS,
    "/api/v1/analytics/cohorts": VALUE_ANALYTICS,
    "/api/v1/analytics/pareto": VALUE_ANALYTICS,
    "/api/v1/analytics/revenue": VALUE_ANALYTICS,
    "/api/v1/analytics/rfm": VALUE_ANALYTICS,
}

#: values for required query parameters (and parameters that would hide rows by default)
#: of swept lists
QUERY = {
    "/api/v1/analytics/key-accounts": lambda w: {"period": w.sales_year, "top_percent": 100},
    "/api/v1/commission/statements": lambda w: {"period": w.this_month},
}

#: where a row's owner is read from: its own id first, then what it belongs to
ROW_KEYS = ("id", "customer_id", "opportunity_id", "contract_id", "subject_id", "user_id", "key")

#: query parameters that name a person or a team: probed with someone outside the scope
PERSON_FILTERS = ("owner_id", "assignee_id", "user_id", "actor_id", "claimant_id", "created_by")
TEAM_FILTERS = ("team_id",)


@dataclass
class World:
    app: Any
    clients: dict[str, httpx.AsyncClient]
    user_ids: dict[str, uuid.UUID]
    team_ids: dict[str, uuid.UUID]
    #: record id (str) → the person it belongs to
    whose: dict[str, str] = field(default_factory=dict)
    this_month: str = ""
    sales_year: str = ""
    spec: dict[str, Any] = field(default_factory=dict)
    pipeline_id: str = ""
    #: list path → the people whose rows the workspace owner gets (all of them)
    everyone: dict[str, set[str]] = field(default_factory=dict)

    def owner_of(self, row: dict[str, Any]) -> str | None:
        for key in ROW_KEYS:
            value = row.get(key)
            if isinstance(value, str) and value in self.whose:
                return self.whose[value]
        return None


def _ok(r: httpx.Response) -> Any:
    assert r.status_code < 300, f"{r.request.method} {r.request.url} → {r.status_code} {r.text}"
    return r.json() if r.content else None


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


async def _records(w: World, person: str, now: datetime) -> str:
    """One record of every owned kind for `person`, created as that person where the
    product lets them (owners approve contracts and set targets); returns the customer."""
    c = w.clients[person]
    boss = w.clients["owner"]
    me = str(w.user_ids[person])
    tag = f"Matrix {person}"

    def mine(record: dict[str, Any]) -> dict[str, Any]:
        w.whose[record["id"]] = person
        return record

    customer = mine(
        _ok(await c.post("/api/v1/customers", json={"name": f"{tag} 客户", "force": True}))
    )
    cid = customer["id"]
    mine(_ok(await c.post(f"/api/v1/customers/{cid}/contacts", json={"name": f"{tag} 联系人"})))
    mine(
        _ok(
            await c.post(
                "/api/v1/activities",
                json={
                    "customer_id": cid,
                    "kind": "call",
                    "content": f"{tag} call",
                    "occurred_at": (now - timedelta(days=100)).isoformat(),
                },
            )
        )
    )
    mine(_ok(await c.post("/api/v1/tasks", json={"title": f"{tag} task", "customer_id": cid})))
    mine(_ok(await c.post("/api/v1/leads", json={"name": f"{tag} lead", "owner_id": me})))
    mine(
        _ok(
            await c.post(
                "/api/v1/opportunities",
                json={"customer_id": cid, "name": f"{tag} deal", "amount": "5000.00"},
            )
        )
    )
    contract = mine(
        _ok(
            await c.post(
                "/api/v1/contracts",
                json={"customer_id": cid, "title": f"{tag} contract", "amount": "3000.00"},
            )
        )
    )
    kid = contract["id"]
    plan = _ok(
        await c.put(
            f"/api/v1/contracts/{kid}/payment-plan",
            json={
                "installments": [
                    {
                        "due_date": (now - timedelta(days=10)).date().isoformat(),
                        "amount": "1000.00",
                    },
                    {
                        "due_date": (now + timedelta(days=30)).date().isoformat(),
                        "amount": "2000.00",
                    },
                ]
            },
        )
    )
    for installment in plan["installments"]:
        mine(installment)
    approver = w.clients["admin" if person == "owner" else "owner"]
    _ok(await c.post(f"/api/v1/contracts/{kid}/submit", json={}))
    _ok(await approver.post(f"/api/v1/contracts/{kid}/approve", json={}))
    mine(
        _ok(
            await c.post(
                "/api/v1/payments",
                json={
                    "contract_id": kid,
                    "amount": "500.00",
                    "currency": "CNY",
                    "method": "bank_transfer",
                },
            )
        )
    )
    mine(
        _ok(
            await c.post(
                "/api/v1/invoices",
                json={
                    "contract_id": kid,
                    "title": f"{tag} 抬头",
                    "amount": "500.00",
                    "tax_rate": "0.13",
                },
            )
        )
    )
    # a buyer every 30 days until 90 days ago: overdue against their own rhythm (churn
    # risk), and revenue in the year of the last order (key accounts)
    orders = [
        {
            "external_source": "matrix",
            "external_id": f"{person}-{days}",
            "order_number": f"{tag}-{days}",
            "customer_id": cid,
            "channel": "shop",
            "ordered_at": (now - timedelta(days=days)).isoformat(),
            "amount": "800.00",
        }
        for days in (150, 120, 90)
    ]
    result = _ok(await c.post("/api/v1/orders/batch/upsert", json={"items": orders}))
    assert result["created"] == len(orders), result
    for item in result["items"]:
        mine(item)
    mine(
        _ok(
            await c.post(
                "/api/v1/tickets",
                json={"subject": f"{tag} ticket", "customer_id": cid, "assignee_id": me},
            )
        )
    )
    mine(
        _ok(
            await c.post(
                "/api/v1/imports",
                files={"file": ("m.csv", _csv([["客户名称"], [f"{tag} import"]]), "text/csv")},
                data={"entity": "customers", "dry_run": "true"},
            )
        )
    )
    mine(_ok(await c.post("/api/v1/api-keys", json={"name": tag, "scopes": ["*"]})))
    mine(
        _ok(
            await boss.post(
                "/api/v1/targets",
                json={
                    "subject_kind": "user",
                    "subject_id": me,
                    "period": w.this_month,
                    "metric": "payments_received",
                    "target_value": "1000.00",
                },
            )
        )
    )
    last_month = (now.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    mine(
        _ok(
            await boss.post(
                "/api/v1/reports/generate",
                json={
                    "kind": "monthly",
                    "period": last_month,
                    "subject_kind": "user",
                    "subject_id": me,
                },
            )
        )
    )
    return cid


@pytest.fixture(scope="module")
async def world(settings, engine, owner_engine) -> AsyncIterator[World]:  # type: ignore[no-untyped-def]
    maker = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
    async with maker() as s, s.begin():
        t = await create_workspace(s, "Scope sweep")
        east = await create_team(s, t.id, "East")
        east_sh = await create_team(s, t.id, "East/Shanghai", parent=east)
        south = await create_team(s, t.id, "South")
        users = {
            "owner": t.owner,
            "admin": await create_user(s, t.id, role="admin"),
            "manager": await create_user(s, t.id, role="manager", team=east),
            "sales": await create_user(s, t.id, role="sales", team=east_sh),
            "peer": await create_user(s, t.id, role="sales", team=east_sh),
            "south": await create_user(s, t.id, role="sales", team=south),
        }
    app = create_app(settings)
    app.state.sessionmaker = maker
    clients: dict[str, httpx.AsyncClient] = {}
    for person, user in users.items():
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        client = httpx.AsyncClient(transport=transport, base_url="http://t")
        async with maker() as s:
            clients[person] = await login_as(s, client, user)
    now = datetime.now(UTC)
    w = World(
        app=app,
        clients=clients,
        user_ids={p: u.id for p, u in users.items()},
        team_ids={"East": east.id, "East/Shanghai": east_sh.id, "South": south.id},
        this_month=now.strftime("%Y-%m"),
        sales_year=str((now - timedelta(days=90)).year),
    )
    for person, uid in w.user_ids.items():
        w.whose[str(uid)] = person
    try:
        boss = clients["owner"]
        limits = {b: {"limit": 1_000_000, "window_seconds": 60} for b in ("read", "write", "batch")}
        _ok(await boss.patch("/api/v1/settings/rate-limits", json=limits))
        stages = [
            {"name_zh": "接洽", "name_en": "Contact", "probability": 10, "rotting_days": 1},
            {"name_zh": "赢单", "name_en": "Won", "probability": 100, "kind": "won"},
            {"name_zh": "输单", "name_en": "Lost", "probability": 0, "kind": "lost"},
        ]
        pipeline = _ok(
            await boss.post(
                "/api/v1/pipelines", json={"name": "Matrix", "is_default": True, "stages": stages}
            )
        )
        w.pipeline_id = pipeline["id"]
        _ok(await boss.post("/api/v1/commission/plans", json={"name": "M", "base_rate": "5"}))
        customers = {person: await _records(w, person, now) for person in PEOPLE}
        # a dispute is its claimant's: each person disputes the next person's customer
        for i, person in enumerate(PEOPLE):
            other = PEOPLE[(i + 1) % len(PEOPLE)]
            dispute = _ok(
                await clients[person].post(
                    "/api/v1/disputes",
                    json={"customer_id": customers[other], "evidence": f"Matrix {person}"},
                )
            )
            w.whose[dispute["id"]] = person
        async with maker() as s, s.begin():
            await use(s, t.id)
            # every deal has sat in its stage for a month: all of them are stale
            await s.execute(update(Opportunity).values(stage_entered_at=now - timedelta(days=30)))
            # rows the requests wrote on the side belong to the person they are about
            for entry_id, actor in await s.execute(select(AuditEntry.id, AuditEntry.actor_id)):
                w.whose[str(entry_id)] = w.whose[str(actor)]
            for note_id, user_id in await s.execute(select(Notification.id, Notification.user_id)):
                w.whose[str(note_id)] = w.whose[str(user_id)]
        # the recompute a request queues, run the way the worker runs it
        run = _ok(await boss.post("/api/v1/analytics/rfm/recompute"))
        assert await rfm.execute_run(maker, t.id, uuid.UUID(run["id"])) == "succeeded"
        w.spec = app.openapi()
        yield w
    finally:
        for client in clients.values():
            await client.aclose()
        async with owner_engine.begin() as conn:
            # the jobs the requests queued (the recompute ran here already) go with it
            await conn.execute(
                text("DELETE FROM procrastinate_jobs WHERE args->>'workspace_id' = :id"),
                {"id": str(t.id)},
            )
            await conn.execute(text("DELETE FROM workspaces WHERE id = :id"), {"id": t.id})


# --- the contract ------------------------------------------------------------------------


def _schema(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _is_page(spec: dict[str, Any], operation: dict[str, Any]) -> bool:
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return False
    props = _schema(spec, schema).get("properties", {})
    return {"data", "next_cursor", "has_more"} <= set(props)


def _gets(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every GET without path parameters: path → operation."""
    return {
        path: ops["get"] for path, ops in spec["paths"].items() if "get" in ops and "{" not in path
    }


def _swept(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The cursor pages the sweep reads, by path."""
    return {
        path: op
        for path, op in sorted(_gets(spec).items())
        if _is_page(spec, op) and path not in REFERENCE_DATA
    }


def _exports(spec: dict[str, Any]) -> list[str]:
    return sorted(p for p in _gets(spec) if p.startswith("/api/v1/exports/"))


def test_every_list_endpoint_is_swept_or_listed(world: World) -> None:
    spec = world.spec
    gets = _gets(spec)
    unclassified = [
        path
        for path, op in gets.items()
        if not _is_page(spec, op) and path not in NOT_LISTS and path not in _exports(spec)
    ]
    assert not unclassified, (
        f"new GET operations {unclassified}: a cursor page is swept automatically; list "
        "anything else in NOT_LISTS with the reason it is not"
    )
    stale = [p for p in (*NOT_LISTS, *REFERENCE_DATA, *PERSONAL, *QUERY) if p not in gets]
    assert not stale, f"the tables name operations that no longer exist: {stale}"
    listed_pages = [p for p in NOT_LISTS if _is_page(spec, gets[p])]
    assert not listed_pages, f"cursor pages are swept, not listed: {listed_pages}"
    assert len(_swept(spec)) >= 20


# --- the sweep ---------------------------------------------------------------------------


def _has_param(op: dict[str, Any], name: str) -> bool:
    return any(p["name"] == name and p["in"] == "query" for p in op.get("parameters", []))


def _params(w: World, path: str, op: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": 200} if _has_param(op, "limit") else {}
    if path in QUERY:
        params.update(QUERY[path](w))
    missing = [
        p["name"]
        for p in op.get("parameters", [])
        if p.get("required") and p["in"] == "query" and p["name"] not in params
    ]
    assert not missing, f"teach the sweep a value for {missing} of {path} (QUERY)"
    return params


def _expected(path: str, caller: str) -> frozenset[str]:
    rule = PERSONAL.get(path)
    return rule(caller) if rule else SEES[caller]


async def _owners(
    w: World, path: str, caller: str, params: dict[str, Any], problems: list[str]
) -> set[str] | None:
    """Whose rows `caller` gets from one page of `path`; None (and a problem, unless the
    caller has no access by design) when there is no page."""
    r = await w.clients[caller].get(path, params=params)
    if (path, caller) in NO_ACCESS:
        if r.status_code != NO_ACCESS[(path, caller)]:
            problems.append(f"{caller} {path} {params} → {r.status_code}, expected no access")
        return None
    if r.status_code != 200:
        problems.append(f"{caller} {path} {params} → {r.status_code} {r.text[:300]}")
        return None
    page = r.json()
    if page["has_more"]:
        problems.append(f"{caller} {path}: more than one page of a small fixture")
    owners: set[str] = set()
    for row in page["data"]:
        owner = w.owner_of(row)
        if owner is None:
            problems.append(f"{caller} {path}: a row of nobody the sweep knows: {row}")
        else:
            owners.add(owner)
    return owners


async def _everyone(w: World, path: str, op: dict[str, Any], problems: list[str]) -> None:
    """The workspace owner's page must hold rows of every person: otherwise the fixture
    cannot show a narrower scope missing or adding anyone."""
    if path not in w.everyone:
        w.everyone[path] = await _owners(w, path, "owner", _params(w, path, op), problems) or set()
    missing = set(_expected(path, "owner")) - w.everyone[path]
    if missing:
        problems.append(f"{path}: the fixture has no rows of {sorted(missing)}; give each one")


@pytest.mark.parametrize("caller", PEOPLE)
async def test_lists_show_exactly_the_callers_scope(world: World, caller: str) -> None:
    problems: list[str] = []
    for path, op in _swept(world.spec).items():
        await _everyone(world, path, op, problems)
        seen = await _owners(world, path, caller, _params(world, path, op), problems)
        if seen is None:
            continue
        expected = _expected(path, caller)
        if seen - expected:
            problems.append(f"{caller} {path}: sees rows of {sorted(seen - expected)}")
        if expected - seen:
            problems.append(f"{caller} {path}: misses rows of {sorted(expected - seen)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("caller", sorted(OUTSIDER))
async def test_filters_and_search_cannot_widen_the_scope(world: World, caller: str) -> None:
    """owner_id / team_id / … naming someone outside the scope, include_deleted and `q`
    narrow what the scope shows, never widen it; `q` still finds the caller's own rows."""
    problems: list[str] = []
    outsider = OUTSIDER[caller]
    outsider_team = "South" if outsider == "south" else "East/Shanghai"
    for path, op in _swept(world.spec).items():
        base = _params(world, path, op)
        expected = _expected(path, caller)
        probes = [
            {**base, name: str(world.user_ids[outsider])}
            for name in PERSON_FILTERS
            if _has_param(op, name)
        ]
        probes += [
            {**base, name: str(world.team_ids[outsider_team])}
            for name in TEAM_FILTERS
            if _has_param(op, name)
        ]
        if _has_param(op, "include_deleted"):
            probes.append({**base, "include_deleted": "true"})
        for params in probes:
            seen = await _owners(world, path, caller, params, problems)
            if seen and seen - expected:
                problems.append(f"{caller} {path} {params}: sees rows of {seen - expected}")
        if _has_param(op, "q"):
            seen = await _owners(world, path, caller, {**base, "q": "Matrix"}, problems)
            if seen is not None and seen - expected:
                problems.append(f"{caller} {path} q: sees rows of {seen - expected}")
            if seen is not None and caller in expected and caller not in seen:
                problems.append(f"{caller} {path} q=Matrix: misses the caller's own rows")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("caller", PEOPLE)
async def test_exports_show_exactly_the_callers_scope(world: World, caller: str) -> None:
    exports = _exports(world.spec)
    assert exports
    for path in exports:
        r = await world.clients[caller].get(path, params={"format": "csv", "lang": "en"})
        assert r.status_code == 200, r.text
        rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
        owners = {_export_owner(world, row) for row in rows}
        assert owners == SEES[caller], (path, caller, owners)


def _export_owner(w: World, row: dict[str, str]) -> str:
    for value in row.values():
        if value in w.whose:
            return w.whose[value]
    raise AssertionError(f"an exported row of nobody the sweep knows: {row}")


@pytest.mark.parametrize(
    ("caller", "team", "expected"),
    [
        ("manager", None, {"manager", "sales", "peer"}),
        ("manager", "East/Shanghai", {"sales", "peer"}),
        ("manager", "South", set()),
        ("sales", "East", {"sales"}),
        ("owner", "South", {"south"}),
    ],
)
async def test_board_team_filter_narrows_the_scope(
    world: World, caller: str, team: str | None, expected: set[str]
) -> None:
    """The kanban board (a route with a path id, so not in the sweep) filters by team
    inside the caller's scope; a team filter on top of a team scope used to be a 500."""
    params = {"team_id": str(world.team_ids[team])} if team else {}
    r = await world.clients[caller].get(
        f"/api/v1/pipelines/{world.pipeline_id}/board", params=params
    )
    assert r.status_code == 200, r.text
    deals = [d for column in r.json()["columns"] for d in column["deals"]]
    assert {world.owner_of(d) for d in deals} == expected
    assert sum(column["count"] for column in r.json()["columns"]) == len(expected)
