"""A small, hand-built sales world for March 2026 whose numbers the tests write out by hand.

Time zone Asia/Shanghai; "today" is Sunday 15 March 2026 (noon). Teams:

    HQ ── East ── Shanghai
      └── South

People: Ada (admin, HQ), Mia (manager, East), Ravi (sales, East), Sara (sales, Shanghai),
Max (manager, South), Tom (sales, South); the workspace owner has no team.

March 2026 in CNY (what counts, and the rows next to it that must not):

won deals          Ravi 10,000.00 + 5,500.50 + 1,000.00 (won 1 Mar 00:30 Shanghai, still
                   28 Feb in UTC) = 16,500.50 in 3 deals; not: 9,999.00 won 28 Feb 23:30
                   Shanghai, a lost and an open deal, a deleted won deal.
                   Sara 6,000.00 (1; plus 1,000.00 USD). Tom 20,000.00 (1).
payments received  Ravi P1 1,000.01 (5 Mar, contract C1 for deal D1) + P2 2,499.99 (12 Mar,
                   C2 without a deal) = 3,500.00 in 2; not: P3 700.00 on 27 Feb, P4 300.00
                   voided. Sara P5 10,000.00 (8 Mar, C3 for deal D8; plus 500.00 USD).
                   Tom P6 1,234.56 (2 Mar, C4).
new customers      Ravi 3 (one created 1 Mar 00:10 Shanghai), Sara 1, unowned 1; not: Tom's
                   deleted one, one on 1 Apr 00:00 Shanghai, Ravi's on 28 Feb 23:59 Shanghai.
follow-ups         Ravi call, call, visit, note (3 customers); Sara visit, visit (1 customer);
                   Tom meeting; Mia call (on Ravi's customer C-Acme). Not: a deleted one, one
                   in February.

Deal items (weights of the commission split): D1 Hardware 3,000.00, Services 3,000.00,
Software 3,000.00 and an item without product 1,000.00; D8 Software 4,000.00 and Hardware
2,000.00. RFM tiers: Acme (Ravi's, C1) `vip`, Gamma (Sara's, C3) `gold`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.contracts import Contract
from app.models.customer import Activity, Customer
from app.models.customer_value import CustomerRfm
from app.models.pipeline import Opportunity, OpportunityItem, PipelineStage, Product
from app.models.receivables import Installment, Payment, PaymentAllocation
from app.models.user import Team, User
from app.pipeline import service as pipeline_service
from tests.contracts.helpers import make_contract
from tests.factories import Tenant, create_team, create_user, create_workspace, use

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 3, 15)


def sh(month: int, day: int, hour: int = 12, minute: int = 0, year: int = 2026) -> datetime:
    """An instant given in Shanghai wall-clock time, as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


NOW = sh(3, 15)


@dataclass
class World:
    tenant: Tenant
    teams: dict[str, Team] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    deals: dict[str, Opportunity] = field(default_factory=dict)
    contracts: dict[str, Contract] = field(default_factory=dict)
    payments: dict[str, Payment] = field(default_factory=dict)

    @property
    def ws(self) -> uuid.UUID:
        return self.tenant.id

    def id(self, person: str) -> str:
        return str(self.people[person].id)


async def _person(
    session: AsyncSession, world: World, key: str, name: str, role: str, team: Team
) -> None:
    user = await create_user(session, world.ws, role=role, team=team)
    user.name = name
    world.people[key] = user


async def build_world(session: AsyncSession) -> World:
    tenant = await create_workspace(session, "Targets")
    world = World(tenant)
    ws = world.ws
    hq = await create_team(session, ws, "HQ")
    east = await create_team(session, ws, "East", hq)
    shanghai = await create_team(session, ws, "Shanghai", east)
    south = await create_team(session, ws, "South", hq)
    world.teams = {"hq": hq, "east": east, "shanghai": shanghai, "south": south}
    for key, name, role, team in (
        ("ada", "Ada Admin", "admin", hq),
        ("mia", "Mia Manager", "manager", east),
        ("ravi", "Ravi Rep", "sales", east),
        ("sara", "Sara Rep", "sales", shanghai),
        ("max", "Max Manager", "manager", south),
        ("tom", "Tom Rep", "sales", south),
    ):
        await _person(session, world, key, name, role, team)
    tenant.owner.name = "Olivia Owner"
    await _customers(session, world)
    await _deals(session, world)
    await _money(session, world)
    await _follow_ups(session, world)
    await session.commit()
    return world


async def _customers(session: AsyncSession, world: World) -> None:
    p = world.people
    rows = (
        # key, name, owner, created (Shanghai), deleted
        ("acme", "Acme Hardware", p["ravi"], sh(3, 2, 10), False),
        ("beta", "Beta Foods", p["ravi"], sh(3, 10), False),
        ("echo", "Echo Labs", p["ravi"], sh(3, 1, 0, 10), False),
        ("gamma", "Gamma Retail", p["sara"], sh(3, 5), False),
        ("delta", "Delta Steel", p["tom"], sh(2, 10), False),
        ("foxtrot", "Foxtrot Deleted", p["tom"], sh(3, 3), True),
        ("golf", "Golf April", p["tom"], sh(4, 1, 0, 0), False),
        ("hotel", "Hotel Unowned", None, sh(3, 14), False),
        ("india", "India February", p["ravi"], sh(2, 28, 23, 59), False),
        ("juliet", "Juliet USD", p["sara"], sh(1, 5), False),
    )
    for key, name, owner, created, deleted in rows:
        customer = Customer(
            workspace_id=world.ws,
            name=name,
            owner_id=owner.id if owner else None,
            created_at=created,
            updated_at=created,
            deleted_at=created if deleted else None,
        )
        session.add(customer)
        world.customers[key] = customer
    await session.flush()


async def _deals(session: AsyncSession, world: World) -> None:
    ws = world.ws
    await use(session, ws)
    pipeline = await pipeline_service.create_default_pipeline(session, ws, None)
    stages = {
        s.kind: s
        for s in (
            await session.execute(
                select(PipelineStage)
                .where(PipelineStage.pipeline_id == pipeline.id)
                .order_by(PipelineStage.position.desc())
            )
        ).scalars()
    }
    c, p = world.customers, world.people
    rows = (
        # key, owner, customer, amount, currency, status, won/lost at, deleted
        ("d1", p["ravi"], c["acme"], "10000.00", "CNY", "won", sh(3, 3, 10), False),
        ("d2", p["ravi"], c["beta"], "5500.50", "CNY", "won", sh(3, 14), False),
        ("d3", p["ravi"], c["echo"], "1000.00", "CNY", "won", sh(3, 1, 0, 30), False),
        ("d4", p["ravi"], c["beta"], "9999.00", "CNY", "won", sh(2, 28, 23, 30), False),
        ("d5", p["ravi"], c["beta"], "3000.00", "CNY", "lost", sh(3, 4), False),
        ("d6", p["ravi"], c["acme"], "4000.00", "CNY", "open", None, False),
        ("d7", p["ravi"], c["acme"], "2000.00", "CNY", "won", sh(3, 6), True),
        ("d8", p["sara"], c["gamma"], "6000.00", "CNY", "won", sh(3, 8), False),
        ("d9", p["sara"], c["juliet"], "1000.00", "USD", "won", sh(3, 9), False),
        ("d10", p["tom"], c["delta"], "20000.00", "CNY", "won", sh(3, 11), False),
    )
    for key, owner, customer, amount, currency, status, closed, deleted in rows:
        deal = Opportunity(
            workspace_id=ws,
            customer_id=customer.id,
            name=f"Deal {key}",
            amount=Decimal(amount),
            currency=currency,
            pipeline_id=pipeline.id,
            stage_id=stages[status].id,
            status=status,
            probability=stages[status].probability,
            owner_id=owner.id,
            won_at=closed if status == "won" else None,
            lost_at=closed if status == "lost" else None,
            has_items=key in ("d1", "d8"),
            deleted_at=NOW if deleted else None,
        )
        session.add(deal)
        world.deals[key] = deal
    await session.flush()
    products = {}
    for sku, category in (("HW", "Hardware"), ("SV", "Services"), ("SW", "Software")):
        product = Product(
            workspace_id=ws, sku=sku, name=sku, category=category, list_price=Decimal("1.00")
        )
        session.add(product)
        products[category] = product
    await session.flush()
    items = (
        ("d1", products["Hardware"], "3000.00"),
        ("d1", products["Services"], "3000.00"),
        ("d1", products["Software"], "3000.00"),
        ("d1", None, "1000.00"),
        ("d8", products["Software"], "4000.00"),
        ("d8", products["Hardware"], "2000.00"),
    )
    for position, (deal_key, product, total) in enumerate(items):
        session.add(
            OpportunityItem(
                workspace_id=ws,
                opportunity_id=world.deals[deal_key].id,
                product_id=product.id if product else None,
                name=product.name if product else "Installation",
                position=position,
                quantity=Decimal(1),
                unit_price=Decimal(total),
                discount=Decimal(0),
                line_total=Decimal(total),
            )
        )
    await session.flush()


async def _contract(
    session: AsyncSession,
    world: World,
    key: str,
    customer: str,
    owner: User,
    amount: str,
    deal: str | None,
    currency: str = "CNY",
) -> None:
    contract = await make_contract(
        session,
        world.customers[customer],
        owner,
        amount,
        currency=currency,
        plan=[(date(2026, 3, 31), amount)],
    )
    contract.opportunity_id = world.deals[deal].id if deal else None
    world.contracts[key] = contract


async def _pay(
    session: AsyncSession,
    world: World,
    key: str,
    contract: str,
    amount: str,
    day: date,
    *,
    voided: bool = False,
) -> None:
    c = world.contracts[contract]
    value = Decimal(amount)
    inst = (
        await session.execute(select(Installment).where(Installment.contract_id == c.id))
    ).scalar_one()
    payment = Payment(
        workspace_id=world.ws,
        contract_id=c.id,
        amount=value,
        currency=c.currency,
        received_on=day,
        method="bank_transfer",
        allocated_amount=Decimal(0) if voided else value,
        voided_at=NOW if voided else None,
    )
    session.add(payment)
    await session.flush()
    if not voided:
        session.add(
            PaymentAllocation(
                workspace_id=world.ws, payment_id=payment.id, installment_id=inst.id, amount=value
            )
        )
        inst.allocated_amount += value
    world.payments[key] = payment
    await session.flush()


async def _money(session: AsyncSession, world: World) -> None:
    p = world.people
    await _contract(session, world, "C1", "acme", p["ravi"], "20000.00", "d1")
    await _contract(session, world, "C2", "beta", p["ravi"], "10000.00", None)
    await _contract(session, world, "C3", "gamma", p["sara"], "12000.00", "d8")
    await _contract(session, world, "C4", "delta", p["tom"], "5000.00", None)
    await _contract(session, world, "C5", "juliet", p["sara"], "800.00", None, currency="USD")
    await session.flush()
    await _pay(session, world, "P1", "C1", "1000.01", date(2026, 3, 5))
    await _pay(session, world, "P2", "C2", "2499.99", date(2026, 3, 12))
    await _pay(session, world, "P3", "C2", "700.00", date(2026, 2, 27))
    await _pay(session, world, "P4", "C2", "300.00", date(2026, 3, 13), voided=True)
    await _pay(session, world, "P5", "C3", "10000.00", date(2026, 3, 8))
    await _pay(session, world, "P5usd", "C5", "500.00", date(2026, 3, 8))
    await _pay(session, world, "P6", "C4", "1234.56", date(2026, 3, 2))
    for customer, tier, score in (("acme", "vip", 84), ("gamma", "gold", 70)):
        session.add(
            CustomerRfm(
                workspace_id=world.ws,
                customer_id=world.customers[customer].id,
                r=5,
                f=4,
                m=4,
                score=score,
                tier=tier,
                tier_since=NOW,
                first_purchase_on=date(2026, 1, 5),
                last_purchase_on=date(2026, 3, 5),
                purchases=4,
                amount=Decimal("20000.00"),
                currency="CNY",
                purchase_days=4,
            )
        )
    await session.flush()


async def _follow_ups(session: AsyncSession, world: World) -> None:
    c, p = world.customers, world.people
    rows = (
        # author, customer, kind, when (Shanghai), deleted
        (p["ravi"], c["acme"], "call", sh(3, 2), False),
        (p["ravi"], c["acme"], "call", sh(3, 4), False),
        (p["ravi"], c["beta"], "visit", sh(3, 6), False),
        (p["ravi"], c["echo"], "note", sh(3, 14), False),
        (p["ravi"], c["beta"], "call", sh(3, 7), True),
        (p["ravi"], c["beta"], "call", sh(2, 27), False),
        (p["sara"], c["gamma"], "visit", sh(3, 5), False),
        (p["sara"], c["gamma"], "visit", sh(3, 9), False),
        (p["tom"], c["delta"], "meeting", sh(3, 10), False),
        (p["mia"], c["acme"], "call", sh(3, 11), False),
    )
    for author, customer, kind, when, deleted in rows:
        session.add(
            Activity(
                workspace_id=world.ws,
                customer_id=customer.id,
                kind=kind,
                content=f"{kind} with {customer.name}",
                occurred_at=when,
                author_id=author.id,
                deleted_at=NOW if deleted else None,
            )
        )
    await session.flush()
