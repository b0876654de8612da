"""The hand-built pipeline every sales-analytics test reads (times in Shanghai, the test
workspaces' zone). Today is 2026-12-02 10:00 in Shanghai.

Teams: Head ⊃ East (manager M, reps A and B), Head ⊃ South (rep C). Default pipeline:
S0 初步接洽 10 % (rots after 14 d), S1 需求确认 30 % (14 d), S2 方案报价 50 % (21 d),
S3 谈判审核 80 % (21 d), W 赢单, L 输单.

deal  own created     path (entered)                        now   amount   cur  prob close
D1    A   11-02 10:00 S0 · S1 11-04 · S2 11-07 · S3 11-09 · W 11-12  won  10000.00 CNY
D2    A   11-03 10:00 S0 · S2 11-13 · W 11-23                    won   5000.00 CNY
D3    B   11-04 10:00 S0 · S1 11-06 · L 11-10 (price)            lost  8000.00 CNY
D4    B   11-05 10:00 S0                                         open  3000.00 CNY 10 11-28
D5    C   11-06 10:00 S0 · S1 11-08 · S2 11-10                   open 20000.00 CNY 50 12-15
D6    C   11-07 10:00 S0 · S3 11-09 · L 11-20 (competitor)       lost 12000.00 USD
D7    A   11-08 10:00 S0 · W 11-23 22:00                         won   1000.00 USD
D8    B   10-31 23:30 S0 (an October deal, by 30 minutes)        open  2000.00 CNY 10 27-01-20
D9    A   11-30 23:30 S0 (a November deal, by 30 minutes)        open  3333.29 CNY 10 12-31
D10   B   10-01 10:00 S0 · S1 10-21 · W 11-05                    won   4000.00 CNY
D11   A   09-01 10:00 S0 · S3 09-20                              open 12345.67 CNY 80 12-01
D12   C   08-01 10:00 S0 · S3 11-25                              open 50000.00 CNY 80 27-01-10
D13   B   09-10 10:00 S0 · S1 09-15                              open   999.99 USD 30 12-05
D14   B   09-12 10:00 S0 · S1 11-25                              open  6000.00 CNY 30 10-20
D15   C   10-15 10:00 S0 · W 11-30 23:30                         won   2500.00 CNY
D16   A   10-20 10:00 S0 · W 12-01 00:30                         won   1500.00 CNY
D17   B   11-10 10:00 S0 (deleted)                               open 99999.00 CNY 10 11-30
D18   C   10-02 10:00 S0 · L 10-25 (price)                       lost   700.00 CNY
D19   A   10-05 10:00 S0 · L 11-15 (no reason)                   lost  1200.00 CNY
D20   B   10-03 10:00 S0 · L 11-18 (price)                       lost   500.00 CNY

Sources: 展会 (expo) on D1, D3, D5, D7, D9; 官网 (web) on D2, D4, D6, D8. Campaign C1 on
D1 and D7, through lead L1 on D2; C2 on D5.

Campaigns: C1 展会 2026 (CNY, cost 6000.00, 10-01…11-30), C2 WeChat ads (CNY, no cost,
11-01…), C3 Old mailing (CNY, cost 1000.00, 2025-01-01…2025-02-01). Leads: L1 (C1, A),
L2 (C1, B), L3 (C2, C). Targets (won amount, CNY): workspace 2026-11 30000.00, 2026-12
40000.00; rep A 2026-12 10000.00.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.core.ids import uuid7
from app.models.customer import Customer
from app.models.lead import Campaign, Lead
from app.models.pipeline import (
    LostReason,
    Opportunity,
    OpportunityStageVisit,
    Pipeline,
    PipelineStage,
)
from app.models.targets import Target
from app.models.user import Team, User
from app.pipeline.service import create_default_pipeline
from tests.contracts.helpers import SHANGHAI, Clock
from tests.factories import create_team, create_user, use


def sh(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    """An instant given in Shanghai time."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


NOW = sh(12, 2)


@pytest.fixture(autouse=True)
def clock(monkeypatch):  # type: ignore[no-untyped-def]
    return Clock(monkeypatch, NOW)


@dataclass
class Pipe:
    tenant: Any
    head: Team
    east: Team
    south: Team
    manager: User
    a: User
    b: User
    c: User
    pipeline: Pipeline
    stages: dict[str, PipelineStage]
    reasons: dict[str, LostReason]
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    deals: dict[str, Opportunity] = field(default_factory=dict)


async def add_deal(
    session: Any,
    p: Pipe,
    key: str,
    owner: User,
    amount: str,
    created: datetime,
    path: list[tuple[str, datetime]],
    *,
    currency: str = "CNY",
    probability: int | None = None,
    close: date | None = None,
    source: str | None = None,
    campaign: Campaign | None = None,
    lead: Lead | None = None,
    reason: str | None = None,
    deleted: bool = False,
) -> Opportunity:
    """A deal with its stage history: `path` is [(stage key, entered at)], the first at
    creation; the last stage is where it is now."""
    customer = (
        (await session.execute(select(Customer).where(Customer.owner_id == owner.id)))
        .scalars()
        .first()
    )
    if customer is None:
        customer = Customer(workspace_id=p.tenant.id, name=f"客户 {owner.name}", owner_id=owner.id)
        session.add(customer)
        await session.flush()
    last_key, last_at = path[-1]
    stage = p.stages[last_key]
    deal = Opportunity(
        workspace_id=p.tenant.id,
        id=uuid7(),
        customer_id=customer.id,
        name=f"Deal {key}",
        amount=Decimal(amount),
        currency=currency,
        expected_close_date=close,
        pipeline_id=p.pipeline.id,
        stage_id=stage.id,
        status=stage.kind,
        probability=probability if probability is not None else stage.probability,
        stage_entered_at=last_at,
        owner_id=owner.id,
        source=source,
        campaign_id=campaign.id if campaign else None,
        lead_id=lead.id if lead else None,
        lost_reason_id=p.reasons[reason].id if reason else None,
        won_at=last_at if stage.kind == "won" else None,
        lost_at=last_at if stage.kind == "lost" else None,
        created_at=created,
        deleted_at=NOW if deleted else None,
    )
    session.add(deal)
    await session.flush()
    for index, (stage_key, entered) in enumerate(path):
        left = path[index + 1][1] if index + 1 < len(path) else None
        session.add(
            OpportunityStageVisit(
                workspace_id=p.tenant.id,
                opportunity_id=deal.id,
                stage_id=p.stages[stage_key].id,
                entered_at=entered,
                left_at=left,
            )
        )
    await session.flush()
    p.deals[key] = deal
    return deal


@pytest.fixture
async def pipe(session, tenant) -> Pipe:  # type: ignore[no-untyped-def]
    ws = tenant.id
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
        key: s
        for key, s in zip(
            ("S0", "S1", "S2", "S3", "W", "L"),
            (
                await session.execute(
                    select(PipelineStage)
                    .where(PipelineStage.pipeline_id == pipeline.id)
                    .order_by(PipelineStage.position)
                )
            ).scalars(),
            strict=True,
        )
    }
    reasons = {r.label_en: r for r in (await session.execute(select(LostReason))).scalars()}
    p = Pipe(
        tenant,
        head,
        east,
        south,
        manager,
        a,
        b,
        c,
        pipeline,
        stages,
        {"price": reasons["Price too high"], "competitor": reasons["Chose a competitor"]},
    )
    c1 = Campaign(
        workspace_id=ws,
        name="展会 2026",
        actual_cost=Decimal("6000.00"),
        currency="CNY",
        start_date=date(2026, 10, 1),
        end_date=date(2026, 11, 30),
        status="completed",
    )
    c2 = Campaign(
        workspace_id=ws,
        name="WeChat ads",
        currency="CNY",
        start_date=date(2026, 11, 1),
        status="active",
    )
    c3 = Campaign(
        workspace_id=ws,
        name="Old mailing",
        actual_cost=Decimal("1000.00"),
        currency="CNY",
        start_date=date(2025, 1, 1),
        end_date=date(2025, 2, 1),
        status="completed",
    )
    session.add_all([c1, c2, c3])
    await session.flush()
    p.campaigns = {"C1": c1, "C2": c2, "C3": c3}
    l1 = Lead(workspace_id=ws, name="Lead 1", campaign_id=c1.id, owner_id=a.id)
    l2 = Lead(workspace_id=ws, name="Lead 2", campaign_id=c1.id, owner_id=b.id)
    l3 = Lead(workspace_id=ws, name="Lead 3", campaign_id=c2.id, owner_id=c.id)
    session.add_all([l1, l2, l3])
    await session.flush()

    d = add_deal
    await d(session, p, "D1", a, "10000.00", sh(11, 2),
            [("S0", sh(11, 2)), ("S1", sh(11, 4)), ("S2", sh(11, 7)), ("S3", sh(11, 9)),
             ("W", sh(11, 12))], campaign=c1, source="展会")  # fmt: skip
    await d(session, p, "D2", a, "5000.00", sh(11, 3),
            [("S0", sh(11, 3)), ("S2", sh(11, 13)), ("W", sh(11, 23))], lead=l1,
            source="官网")  # fmt: skip
    await d(session, p, "D3", b, "8000.00", sh(11, 4),
            [("S0", sh(11, 4)), ("S1", sh(11, 6)), ("L", sh(11, 10))], reason="price",
            source="展会")  # fmt: skip
    await d(session, p, "D4", b, "3000.00", sh(11, 5), [("S0", sh(11, 5))],
            close=date(2026, 11, 28), source="官网")  # fmt: skip
    await d(session, p, "D5", c, "20000.00", sh(11, 6),
            [("S0", sh(11, 6)), ("S1", sh(11, 8)), ("S2", sh(11, 10))],
            close=date(2026, 12, 15), campaign=c2, source="展会")  # fmt: skip
    await d(session, p, "D6", c, "12000.00", sh(11, 7),
            [("S0", sh(11, 7)), ("S3", sh(11, 9)), ("L", sh(11, 20))], currency="USD",
            reason="competitor", source="官网")  # fmt: skip
    await d(session, p, "D7", a, "1000.00", sh(11, 8),
            [("S0", sh(11, 8)), ("W", sh(11, 23, 22))], currency="USD", campaign=c1,
            source="展会")  # fmt: skip
    await d(session, p, "D8", b, "2000.00", sh(10, 31, 23, 30), [("S0", sh(10, 31, 23, 30))],
            close=date(2027, 1, 20), source="官网")  # fmt: skip
    await d(session, p, "D9", a, "3333.29", sh(11, 30, 23, 30), [("S0", sh(11, 30, 23, 30))],
            close=date(2026, 12, 31), source="展会")  # fmt: skip
    await d(session, p, "D10", b, "4000.00", sh(10, 1),
            [("S0", sh(10, 1)), ("S1", sh(10, 21)), ("W", sh(11, 5))])  # fmt: skip
    await d(session, p, "D11", a, "12345.67", sh(9, 1), [("S0", sh(9, 1)), ("S3", sh(9, 20))],
            close=date(2026, 12, 1))  # fmt: skip
    await d(session, p, "D12", c, "50000.00", sh(8, 1), [("S0", sh(8, 1)), ("S3", sh(11, 25))],
            close=date(2027, 1, 10))  # fmt: skip
    await d(session, p, "D13", b, "999.99", sh(9, 10), [("S0", sh(9, 10)), ("S1", sh(9, 15))],
            currency="USD", close=date(2026, 12, 5))  # fmt: skip
    await d(session, p, "D14", b, "6000.00", sh(9, 12), [("S0", sh(9, 12)), ("S1", sh(11, 25))],
            close=date(2026, 10, 20))  # fmt: skip
    await d(session, p, "D15", c, "2500.00", sh(10, 15),
            [("S0", sh(10, 15)), ("W", sh(11, 30, 23, 30))])  # fmt: skip
    await d(session, p, "D16", a, "1500.00", sh(10, 20),
            [("S0", sh(10, 20)), ("W", sh(12, 1, 0, 30))])  # fmt: skip
    await d(session, p, "D17", b, "99999.00", sh(11, 10), [("S0", sh(11, 10))],
            close=date(2026, 11, 30), deleted=True)  # fmt: skip
    await d(session, p, "D18", c, "700.00", sh(10, 2), [("S0", sh(10, 2)), ("L", sh(10, 25))],
            reason="price")  # fmt: skip
    await d(session, p, "D19", a, "1200.00", sh(10, 5), [("S0", sh(10, 5)), ("L", sh(11, 15))])
    await d(session, p, "D20", b, "500.00", sh(10, 3), [("S0", sh(10, 3)), ("L", sh(11, 18))],
            reason="price")  # fmt: skip

    def target(month: int, value: str, user: User | None = None) -> Target:
        start = date(2026, month, 1)
        return Target(
            workspace_id=ws,
            subject_kind="user" if user else "workspace",
            user_id=user.id if user else None,
            period_kind="month",
            period_start=start,
            period_end=date(2027, 1, 1) if month == 12 else date(2026, month + 1, 1),
            metric="won_amount",
            target_value=Decimal(value),
            currency="CNY",
        )

    session.add_all([target(11, "30000.00"), target(12, "40000.00"), target(12, "10000.00", a)])
    await session.flush()
    await session.commit()
    return p


def ids(*deals: Opportunity) -> list[str]:
    return [str(d.id) for d in deals]


API = "/api/v1"
