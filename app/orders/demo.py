"""Demo orders from the web shops and the ERP: most matched to demo customers, three left
unmatched for the review list."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.contracts.money import ZERO, cents
from app.demo import DEMO_BUILDERS, DemoContext
from app.models.customer import Customer
from app.models.orders import Order, OrderItem

CATALOGUE = [
    ("TEA-LJ-250", "西湖龙井 250g", "168.00"),
    ("TEA-PE-357", "普洱饼茶 357g", "298.00"),
    ("CUP-GL-01", "玻璃茶杯 Glass cup", "39.90"),
    ("GIFT-BOX", "礼盒包装 Gift box", "25.00"),
    ("SVC-INST", "上门安装 On-site installation", "300.00"),
    ("PART-FLT", "滤芯 Filter cartridge", "89.50"),
]
CHANNELS = [("tmall", "TM"), ("jd", "JD"), ("wechat_shop", "WX"), ("erp", "ERP")]
STATUSES = ["completed"] * 6 + ["paid", "shipped", "refunded", "cancelled"]
UNMATCHED = [
    ("陈先生", "13911112222", None),
    ("Olivia Brown", None, "olivia.brown@example.org"),
    ("刘女士", "13722223333", "liu.nvshi@example.cn"),
]


async def build_orders(ctx: DemoContext) -> None:
    s = ctx.session
    rng = random.Random(20261202)
    now = datetime.now(UTC)
    customers = list(
        (
            await s.execute(
                select(Customer)
                .where(Customer.deleted_at.is_(None), Customer.owner_id.is_not(None))
                .order_by(Customer.created_at, Customer.id)
            )
        ).scalars()
    )
    if not customers:
        return
    buyers: list[tuple[Customer | None, str | None, str | None, str | None]] = [
        (customers[i % len(customers)], None, None, None) for i in range(27)
    ]
    buyers += [(None, name, phone, email) for name, phone, email in UNMATCHED]
    for n, (customer, name, phone, email) in enumerate(buyers):
        channel, prefix = CHANNELS[n % len(CHANNELS)]
        ordered_at = now - timedelta(days=rng.randint(1, 360), minutes=rng.randint(0, 1440))
        lines = []
        for position, (sku, item, price) in enumerate(rng.sample(CATALOGUE, rng.randint(1, 3))):
            quantity = Decimal(rng.randint(1, 6))
            lines.append((position, sku, item, quantity, Decimal(price)))
        total = sum((cents(q * p) for *_, q, p in lines), ZERO)
        order = Order(
            workspace_id=ctx.workspace_id,
            external_source=channel,
            external_id=f"{prefix}{ordered_at:%Y%m%d}{n:04d}",
            order_number=f"{prefix}-{ordered_at:%y%m%d}-{n:04d}",
            customer_id=customer.id if customer else None,
            customer_name=customer.name if customer else name,
            customer_phone=(customer.phones[0] if customer and customer.phones else phone),
            customer_email=email,
            matched_by=("phone" if customer.phones else "manual") if customer else None,
            match_note=None if customer else "no customer with this buyer id, phone or e-mail",
            channel=channel,
            status=STATUSES[n % len(STATUSES)],
            ordered_at=ordered_at,
            amount=total,
            currency="CNY",
        )
        s.add(order)
        await s.flush()
        s.add_all(
            OrderItem(
                workspace_id=ctx.workspace_id,
                order_id=order.id,
                position=position,
                sku=sku,
                name=item,
                quantity=quantity,
                unit_price=price,
                amount=cents(quantity * price),
            )
            for position, sku, item, quantity, price in lines
        )
    await s.flush()


DEMO_BUILDERS.append(build_orders)
