"""The demo workspace shows living contracts, receivables and orders."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select, text

from app.contracts.clock import today
from app.demo import ensure_demo
from app.models.contracts import Contract
from app.models.orders import Order
from app.models.receivables import Installment, Invoice, Payment
from app.receivables.service import installment_status
from tests.factories import use


async def test_demo_has_contracts_receivables_and_orders(committed, owner_engine) -> None:
    _, _, maker = committed
    demo = await ensure_demo(maker)
    try:
        assert demo.created
        async with maker() as s, s.begin():
            await use(s, demo.workspace_id)
            statuses = Counter((await s.execute(select(Contract.status))).scalars())
            assert sum(statuses.values()) >= 15
            assert {"draft", "pending_approval", "active", "expired"} <= set(statuses)
            day = await today(s)
            installments = (await s.execute(select(Installment))).scalars().all()
            seen = Counter(installment_status(i, day) for i in installments)
            assert {"paid", "partially_paid", "overdue", "pending"} <= set(seen)
            assert await s.scalar(select(func.count()).select_from(Payment)) >= 10
            assert await s.scalar(select(func.count()).select_from(Invoice)) >= 8
            # every payment is fully allocated and no installment is over-allocated
            assert not (
                await s.execute(
                    select(Payment.id).where(Payment.allocated_amount != Payment.amount)
                )
            ).first()
            orders = (await s.execute(select(Order.customer_id))).scalars().all()
            assert len(orders) >= 30
            assert sum(1 for c in orders if c is None) == 3
            names = set((await s.execute(select(Contract.title))).scalars())
            assert any(n.isascii() for n in names)
            assert any(not n.isascii() for n in names)
    finally:
        async with owner_engine.begin() as conn:
            await conn.execute(
                text("DELETE FROM workspaces WHERE id = :id"), {"id": demo.workspace_id}
            )
