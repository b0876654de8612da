"""Every route that takes an id answers 404 to another workspace's ids.

Generated from the OpenAPI contract, so a new route with a path id is covered (and
fails here until this file knows how to make such an id in workspace A).
"""

from __future__ import annotations

import re

from sqlalchemy import text

from app.models.audit import AuditEntry
from tests.factories import create_api_key, create_team, create_user, create_workspace, use

PARAM = re.compile(r"{(\w+)}")


def _valid_body(spec: dict, operation: dict, user_id: object) -> dict:  # type: ignore[type-arg]
    """A minimal body that passes validation, so the route's own lookup is what answers."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return {}
    schema = content["schema"]
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return _object_body(spec, schema, user_id)


def _array_items(options: list) -> dict:  # type: ignore[type-arg]
    return next((o.get("items", {}) for o in options if o.get("type") == "array"), {})


def _object_body(spec: dict, schema: dict, user_id: object) -> dict:  # type: ignore[type-arg]
    body: dict[str, object] = {}
    for name in schema.get("required", []):
        prop = schema["properties"][name]
        while "$ref" in prop:
            prop = spec["components"]["schemas"][prop["$ref"].rsplit("/", 1)[1]]
        options = prop.get("anyOf", [prop])
        kinds = {o.get("type") for o in options} | {o.get("format") for o in options}
        if "uuid" in kinds:
            body[name] = str(user_id)
        elif "date" in kinds:
            body[name] = "2026-01-01"
        elif "number" in kinds:
            body[name] = "1.00"
        elif "array" in kinds and "$ref" in (items := _array_items(options)):
            nested = spec["components"]["schemas"][items["$ref"].rsplit("/", 1)[1]]
            body[name] = [_object_body(spec, nested, user_id)]
        elif "enum" in prop:
            body[name] = prop["enum"][0]
        elif "array" in kinds:
            body[name] = [str(user_id)]
        elif "integer" in kinds:
            body[name] = 1
        elif "boolean" in kinds:
            body[name] = False
        else:
            body[name] = "isolation check"
    return body


async def _customer_records(session, a) -> dict:  # type: ignore[no-untyped-def]
    """One row of each customers-domain resource in workspace A."""
    from app.models.customer import (
        Activity,
        Contact,
        Customer,
        CustomFieldDef,
        Dispute,
        Notification,
        Tag,
        Task,
    )
    from app.models.imports import ImportJob
    from app.models.lead import AssignmentRule, Campaign, Lead
    from app.models.pool import Pool

    await use(session, a.id)
    c = Customer(workspace_id=a.id, name="A customer", owner_id=a.owner.id)
    session.add(c)
    await session.flush()
    rows = {
        "customer_id": c,
        "contact_id": Contact(workspace_id=a.id, customer_id=c.id, name="A contact"),
        "tag_id": Tag(workspace_id=a.id, name="A tag"),
        "field_id": CustomFieldDef(
            workspace_id=a.id, entity="customer", key="a", label_zh="a", label_en="a", type="text"
        ),
        "activity_id": Activity(
            workspace_id=a.id,
            customer_id=c.id,
            kind="note",
            content="x",
            occurred_at=__import__("datetime").datetime.now(__import__("datetime").UTC),
        ),
        "task_id": Task(workspace_id=a.id, title="A task", assignee_id=a.owner.id),
        "pool_id": Pool(workspace_id=a.id, name="A pool"),
        "lead_id": Lead(workspace_id=a.id, name="A lead"),
        "import_id": ImportJob(
            workspace_id=a.id,
            entity="customers",
            filename="a.csv",
            file_format="csv",
            file_size=1,
            status="ready",
            dry_run=True,
            duplicate_policy="skip",
            created_by=a.owner.id,
        ),
        "campaign_id": Campaign(workspace_id=a.id, name="A campaign"),
        "rule_id": AssignmentRule(workspace_id=a.id, name="A rule", strategy="round_robin"),
        "dispute_id": Dispute(
            workspace_id=a.id, customer_id=c.id, claimant_id=a.owner.id, evidence="mine"
        ),
        "notification_id": Notification(workspace_id=a.id, user_id=a.owner.id, kind="x", title="x"),
    }
    session.add_all([r for k, r in rows.items() if k != "customer_id"])
    await session.flush()
    ids = {k: r.id for k, r in rows.items()}
    ids.update(await _pipeline_records(session, a, c.id))
    ids.update(await _cash_records(session, a, c.id))
    ids.update(await _ticket_records(session, a, c.id))
    ids.update(await _report_records(session, a))
    ids.update(await _analytics_records(session, a))
    return ids


async def _analytics_records(session, a) -> dict:  # type: ignore[no-untyped-def]
    """A target, a commission plan and an RFM run of A."""
    from datetime import date
    from decimal import Decimal

    from app.models.commission import CommissionPlan
    from app.models.customer_value import RfmRun
    from app.models.targets import Target

    rows = {
        "target_id": Target(
            workspace_id=a.id,
            subject_kind="user",
            user_id=a.owner.id,
            period_kind="month",
            period_start=date(2026, 11, 1),
            period_end=date(2026, 12, 1),
            metric="won_amount",
            target_value=Decimal("1000.00"),
            currency="CNY",
        ),
        "plan_id": CommissionPlan(
            workspace_id=a.id, name="A plan", currency="CNY", base_rate=Decimal("0.0300")
        ),
        "run_id": RfmRun(workspace_id=a.id, trigger="manual", status="queued"),
    }
    session.add_all(rows.values())
    await session.flush()
    return {k: r.id for k, r in rows.items()}


async def _report_records(session, a) -> dict:  # type: ignore[no-untyped-def]
    """A stored monthly report of A's owner."""
    from datetime import UTC, date, datetime

    from app.models.reports import Report

    report = Report(
        workspace_id=a.id,
        kind="monthly",
        subject_kind="user",
        user_id=a.owner.id,
        subject_name="A owner",
        period="2026-11",
        period_start=date(2026, 11, 1),
        period_end=date(2026, 12, 1),
        time_zone="Asia/Shanghai",
        content={"totals": {}, "members": []},
        generated_at=datetime.now(UTC),
    )
    session.add(report)
    await session.flush()
    return {"report_id": report.id}


async def _ticket_records(session, a, customer_id) -> dict:  # type: ignore[no-untyped-def]
    """A ticket, SLA policy, business calendar, routing rule and intake form in A."""
    from datetime import UTC, datetime

    from app.models.ticket import BusinessCalendar, SlaPolicy, Ticket, TicketForm, TicketRoutingRule
    from app.models.user import Team

    team = Team(workspace_id=a.id, name="A service")
    session.add(team)
    await session.flush()
    rows = {
        "ticket_id": Ticket(
            workspace_id=a.id,
            number="A-000001",
            customer_id=customer_id,
            subject="A ticket",
            channel="phone",
            type="question",
            sla_started_at=datetime.now(UTC),
        ),
        "policy_id": SlaPolicy(workspace_id=a.id, name="A policy"),
        "calendar_id": BusinessCalendar(
            workspace_id=a.id, name="A calendar", timezone="UTC", weekly_hours={}
        ),
        "routing_rule_id": TicketRoutingRule(
            workspace_id=a.id, name="A rule", team_id=team.id, strategy="none"
        ),
        "form_id": TicketForm(workspace_id=a.id, name="A form", token="isolation-a-form"),
    }
    session.add_all(rows.values())
    await session.flush()
    return {k: r.id for k, r in rows.items()}


async def _cash_records(session, a, customer_id) -> dict:  # type: ignore[no-untyped-def]
    """A contract with an installment, payment, invoice, and an order in workspace A."""
    from datetime import date
    from decimal import Decimal

    from app.models.contracts import Contract
    from app.models.orders import Order
    from app.models.receivables import Installment, Invoice, Payment

    contract = Contract(
        workspace_id=a.id,
        number="A-2026-0001",
        title="A contract",
        customer_id=customer_id,
        owner_id=a.owner.id,
        amount=Decimal("10.00"),
        status="active",
    )
    session.add(contract)
    await session.flush()
    rows = {
        "contract_id": contract,
        "installment_id": Installment(
            workspace_id=a.id,
            contract_id=contract.id,
            number=1,
            due_date=date(2026, 1, 1),
            amount=Decimal("10.00"),
        ),
        "payment_id": Payment(
            workspace_id=a.id,
            contract_id=contract.id,
            amount=Decimal("1.00"),
            currency="CNY",
            received_on=date(2026, 1, 1),
            method="cash",
        ),
        "invoice_id": Invoice(
            workspace_id=a.id,
            contract_id=contract.id,
            title="A",
            amount=Decimal("1.00"),
            tax_rate=Decimal("0.13"),
            tax_amount=Decimal("0.12"),
            currency="CNY",
        ),
        "order_id": Order(
            workspace_id=a.id,
            order_number="A-1",
            customer_id=customer_id,
            channel="shop",
            ordered_at=date(2026, 1, 1),
            amount=Decimal("1.00"),
        ),
    }
    session.add_all([r for k, r in rows.items() if k != "contract_id"])
    await session.flush()
    return {k: r.id for k, r in rows.items()}


async def _pipeline_records(session, a, customer_id) -> dict:  # type: ignore[no-untyped-def]
    """A pipeline, stage, deal, product and lost reason in workspace A."""
    from decimal import Decimal

    from app.models.pipeline import LostReason, Opportunity, Pipeline, PipelineStage, Product

    pipeline = Pipeline(workspace_id=a.id, name="A pipeline", is_default=True)
    session.add(pipeline)
    await session.flush()
    stage = PipelineStage(
        workspace_id=a.id, pipeline_id=pipeline.id, name_zh="阶段", name_en="Stage", kind="open"
    )
    session.add(stage)
    await session.flush()
    rows = {
        "pipeline_id": pipeline,
        "stage_id": stage,
        "opportunity_id": Opportunity(
            workspace_id=a.id,
            customer_id=customer_id,
            name="A deal",
            amount=Decimal("1.00"),
            pipeline_id=pipeline.id,
            stage_id=stage.id,
            probability=10,
            owner_id=a.owner.id,
        ),
        "product_id": Product(
            workspace_id=a.id, sku="A-1", name="A product", list_price=Decimal("1.00")
        ),
        "reason_id": LostReason(workspace_id=a.id, label_zh="贵", label_en="Pricey"),
    }
    session.add_all([rows["opportunity_id"], rows["product_id"], rows["reason_id"]])
    await session.flush()
    return {k: r.id for k, r in rows.items()}


async def _webhook_records(session, a) -> dict:  # type: ignore[no-untyped-def]
    """A webhook endpoint and one of its deliveries in workspace A."""
    from app.models.webhook import WebhookDelivery, WebhookEndpoint

    endpoint = WebhookEndpoint(
        workspace_id=a.id,
        url="https://a.example/hooks",
        event_types=["*"],
        secret="whsec_AAAA",
        active=True,
        consecutive_failures=0,
    )
    session.add(endpoint)
    await session.flush()
    delivery = WebhookDelivery(
        workspace_id=a.id, endpoint_id=endpoint.id, event_type="webhook.test", payload={}
    )
    session.add(delivery)
    await session.flush()
    return {"endpoint_id": endpoint.id, "delivery_id": delivery.id}


#: values for required query parameters (a period for the statements of one person)
QUERY_VALUES = {"period": "2026-11"}


async def test_foreign_ids_are_404_on_every_route(app, session, client_for) -> None:
    a = await create_workspace(session, "A")
    a_user = await create_user(session, a.id, role="sales")
    a_team = await create_team(session, a.id)
    await create_api_key(session, a.owner, ["*"])
    await use(session, a.id)
    key_id = (await session.execute(text("SELECT id FROM api_keys LIMIT 1"))).scalar_one()
    entry = AuditEntry(
        workspace_id=a.id,
        actor_id=a.owner.id,
        actor_kind="user",
        action="created",
        entity="team",
        entity_id=a_team.id,
        changes={},
    )
    session.add(entry)
    await session.flush()
    ids = {"user_id": a_user.id, "team_id": a_team.id, "key_id": key_id, "entry_id": entry.id}
    ids.update(await _customer_records(session, a))
    ids.update(await _webhook_records(session, a))
    b = await create_workspace(session, "B")
    await session.commit()
    client = await client_for(b.owner)

    checked = 0
    spec = app.openapi()
    for template, operations in spec["paths"].items():
        params = PARAM.findall(template)
        if not params or template.startswith("/api/v1/public/"):
            continue  # public routes take tokens, not workspace ids
        if "/by-external-id/" in template:
            continue  # keys, not ids: the same key in B is B's own row (tests/integrations)
        missing = [p for p in params if p not in ids]
        assert not missing, f"teach test_isolation how to make a {missing} for {template}"
        path = template
        for p in params:
            path = path.replace("{" + p + "}", str(ids[p]))
        for method, operation in operations.items():
            kwargs: dict = {}
            required = [
                q["name"]
                for q in operation.get("parameters", [])
                if q.get("in") == "query" and q.get("required")
            ]
            if required:
                kwargs["params"] = {q: QUERY_VALUES[q] for q in required}
            if method in ("post", "patch", "put"):
                kwargs["json"] = _valid_body(spec, operation, b.owner.id)
            r = await client.request(method.upper(), path, **kwargs)
            assert r.status_code == 404, f"{method} {template} → {r.status_code} {r.text}"
            assert r.json()["code"] == "not_found"
            checked += 1
    assert checked >= 10
    # and workspace A's rows are untouched
    await use(session, a.id)
    names = (
        await session.execute(text("SELECT name FROM teams WHERE id = :id"), {"id": a_team.id})
    ).scalar_one()
    assert names == a_team.name
    active = (
        await session.execute(text("SELECT is_active FROM users WHERE id = :id"), {"id": a_user.id})
    ).scalar_one()
    assert active is True
