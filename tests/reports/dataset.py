"""What the report tests count (Shanghai time; the test workspaces' zone).

Teams Head ⊃ East (manager M, reps A, B) and Head ⊃ South (rep C).

rep A  customer created 11-30 23:30 (November, by 30 minutes)
       lead created 11-30 10:00
       follow-ups: call 11-30 09:00, visit 11-30 23:30, visit 12-01 00:30 (December)
       deal created 11-20, won 11-30 15:00, 5000.00 CNY
       contract (CNY): installments due 11-20 1000.00 and 11-30 500.00 (both unpaid: overdue
       once November is over), due 12-15 2000.00; payment 300.00 received 11-30
rep B  customer created 12-01 00:10 (December)
       lead created 11-25 10:00; note 11-24 10:00
       deal created 11-01, lost 11-28 10:00, 800.00 CNY
rep C  customer created 11-10 10:00
       deal created 11-02, won 11-15, 1000.00 USD
       ticket created 11-29 10:00, resolved 11-30 12:00
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.ids import uuid7
from app.models.customer import Activity, Customer
from app.models.lead import Lead
from app.models.pipeline import Opportunity, PipelineStage
from app.models.receivables import Payment
from app.models.ticket import Ticket
from app.models.user import Team, User
from app.pipeline.service import create_default_pipeline
from tests.contracts.helpers import SHANGHAI, make_contract
from tests.factories import create_team, create_user, use


def sh(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


@dataclass
class Office:
    workspace_id: Any
    head: Team
    east: Team
    south: Team
    manager: User
    a: User
    b: User
    c: User


async def build(session: AsyncSession, workspace_id: Any) -> Office:
    ws = workspace_id
    head = await create_team(session, ws, "Head")
    east = await create_team(session, ws, "East", parent=head)
    south = await create_team(session, ws, "South", parent=head)
    manager = await create_user(session, ws, role="manager", team=east)
    a = await create_user(session, ws, role="sales", team=east)
    b = await create_user(session, ws, role="sales", team=east)
    c = await create_user(session, ws, role="sales", team=south)
    await use(session, ws)
    pipeline = await create_default_pipeline(session, ws, None)
    stages = {
        s.kind: s
        for s in (
            await session.execute(
                select(PipelineStage).where(
                    PipelineStage.pipeline_id == pipeline.id, PipelineStage.kind != "open"
                )
            )
        ).scalars()
    }

    def customer(owner: User, created: datetime, name: str) -> Customer:
        row = Customer(workspace_id=ws, id=uuid7(), name=name, owner_id=owner.id)
        row.created_at = created
        session.add(row)
        return row

    ca = customer(a, sh(11, 30, 23, 30), "浦江精密")
    cb = customer(b, sh(12, 1, 0, 10), "Redwood Trading")
    cc = customer(c, sh(11, 10), "岭南电子")
    await session.flush()
    session.add_all(
        [
            Lead(workspace_id=ws, name="线索 A", owner_id=a.id, created_at=sh(11, 30)),
            Lead(workspace_id=ws, name="Lead B", owner_id=b.id, created_at=sh(11, 25)),
        ]
    )

    def activity(author: User, subject: Customer, kind: str, at: datetime) -> Activity:
        return Activity(
            workspace_id=ws,
            customer_id=subject.id,
            kind=kind,
            content="跟进 follow-up",
            occurred_at=at,
            author_id=author.id,
        )

    session.add_all(
        [
            activity(a, ca, "call", sh(11, 30, 9)),
            activity(a, ca, "visit", sh(11, 30, 23, 30)),
            activity(a, ca, "visit", sh(12, 1, 0, 30)),
            activity(b, cb, "note", sh(11, 24)),
        ]
    )

    def deal(
        owner: User, subject: Customer, kind: str, amount: str, currency: str,
        created: datetime, closed: datetime,
    ) -> Opportunity:  # fmt: skip
        stage = stages[kind]
        return Opportunity(
            workspace_id=ws,
            customer_id=subject.id,
            name=f"Deal of {owner.name}",
            amount=Decimal(amount),
            currency=currency,
            pipeline_id=pipeline.id,
            stage_id=stage.id,
            status=kind,
            probability=stage.probability,
            stage_entered_at=closed,
            owner_id=owner.id,
            won_at=closed if kind == "won" else None,
            lost_at=closed if kind == "lost" else None,
            created_at=created,
        )

    session.add_all(
        [
            deal(a, ca, "won", "5000.00", "CNY", sh(11, 20), sh(11, 30, 15)),
            deal(b, cb, "lost", "800.00", "CNY", sh(11, 1), sh(11, 28)),
            deal(c, cc, "won", "1000.00", "USD", sh(11, 2), sh(11, 15)),
        ]
    )
    await session.flush()
    contract = await make_contract(
        session,
        ca,
        a,
        "3500.00",
        plan=[
            (date(2026, 11, 20), "1000.00"),
            (date(2026, 11, 30), "500.00"),
            (date(2026, 12, 15), "2000.00"),
        ],
    )
    session.add(
        Payment(
            workspace_id=ws,
            contract_id=contract.id,
            amount=Decimal("300.00"),
            currency="CNY",
            received_on=date(2026, 11, 30),
            method="bank_transfer",
            overpayment=True,
        )
    )
    session.add(
        Ticket(
            workspace_id=ws,
            number="T-0001",
            customer_id=cc.id,
            subject="设备无法联网",
            channel="phone",
            type="fault",
            status="resolved",
            assignee_id=c.id,
            sla_started_at=sh(11, 29),
            created_at=sh(11, 29),
            resolved_at=sh(11, 30, 12),
        )
    )
    await session.flush()
    return Office(ws, head, east, south, manager, a, b, c)
