"""Demo customer value: a purchase history from the ERP that gives the demo customers every
tier (VIP to dormant; pool customers are former buyers gone quiet; a regular buyer who
stopped is a churn risk), then RFM computed.

Runs after the orders and contracts builders, so their orders and payments count too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.analytics.value import service
from app.analytics.value.schemas import RfmRunTrigger
from app.demo import DEMO_BUILDERS, DemoContext
from app.models.customer import Customer
from app.models.orders import Order

#: (days ago of each purchase, amount of each): one profile per owned customer, in turn
OWNED_PROFILES: list[tuple[tuple[int, ...], str]] = [
    ((6, 40, 95, 150, 230, 300), "6800.00"),  # VIP: recent, frequent, large
    ((12, 70, 160, 250), "5200.00"),  # VIP: the articles' example, 4 × 5,200
    ((45, 110, 190, 280), "2600.00"),  # key
    ((20, 200), "3800.00"),  # growing
    ((75,), "9500.00"),  # growing: one large order
    # a monthly buyer who stopped 100 days ago: overdue against its own rhythm
    ((100, 130, 160, 190, 220), "1200.00"),
]
#: pool customers (nobody's, no other demo purchases): former buyers gone quiet
POOL_PROFILES: list[tuple[tuple[int, ...], str]] = [
    ((150, 260), "700.00"),  # regular
    ((420,), "1500.00"),  # dormant
    ((300,), "450.00"),  # dormant
    ((200, 500), "2400.00"),  # regular
]


async def _customers(ctx: DemoContext, owned: bool) -> list[Customer]:
    owner = Customer.owner_id.is_not(None) if owned else Customer.owner_id.is_(None)
    return list(
        (
            await ctx.session.execute(
                select(Customer)
                .where(Customer.deleted_at.is_(None), owner)
                .order_by(Customer.created_at, Customer.id)
            )
        ).scalars()
    )


async def build_customer_value(ctx: DemoContext) -> None:
    s = ctx.session
    now = datetime.now(UTC)
    owned = await _customers(ctx, owned=True)
    pooled = await _customers(ctx, owned=False)
    plan = [
        (c, OWNED_PROFILES[n % len(OWNED_PROFILES)])
        for n, c in enumerate(owned[: len(OWNED_PROFILES) + 3])
    ] + list(zip(pooled, POOL_PROFILES, strict=False))
    for n, (customer, (days, amount)) in enumerate(plan):
        for k, ago in enumerate(days):
            ordered_at = now - timedelta(days=ago, hours=3)
            s.add(
                Order(
                    workspace_id=ctx.workspace_id,
                    external_source="erp",
                    external_id=f"HIST-{n:02d}-{k}",
                    order_number=f"ERP-H{ordered_at:%y%m%d}-{n:02d}{k}",
                    customer_id=customer.id,
                    customer_name=customer.name,
                    matched_by="external_id",
                    channel="erp",
                    status="completed",
                    ordered_at=ordered_at,
                    amount=Decimal(amount),
                    currency="CNY",
                )
            )
    await s.flush()
    await service.run_inline(s, ctx.workspace_id, RfmRunTrigger.demo)


DEMO_BUILDERS.append(build_customer_value)
