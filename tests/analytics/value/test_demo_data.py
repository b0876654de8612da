"""The demo workspace shows customer value on first start: every tier has customers."""

from __future__ import annotations

from sqlalchemy import func, select, text

from app.demo import ensure_demo
from app.models.customer_value import CustomerRfm, RfmRun
from tests.factories import use


async def test_demo_scores_customers_into_every_tier(committed, owner_engine) -> None:
    _, _, maker = committed
    demo = await ensure_demo(maker)
    try:
        assert demo.created
        async with maker() as s, s.begin():
            assert demo.workspace_id is not None
            await use(s, demo.workspace_id)
            tiers = dict(
                (await s.execute(select(CustomerRfm.tier, func.count()).group_by(CustomerRfm.tier)))
                .tuples()
                .all()
            )
            assert set(tiers) == {"vip", "key", "growth", "regular", "dormant"}, tiers
            run = (await s.execute(select(RfmRun))).scalar_one()
            assert (run.status, run.trigger) == ("succeeded", "demo")
            overdue = await s.scalar(
                select(func.count())
                .select_from(CustomerRfm)
                .where(CustomerRfm.median_gap_days.is_not(None))
            )
            assert overdue >= 1
    finally:
        async with owner_engine.begin() as conn:
            await conn.execute(
                text("DELETE FROM workspaces WHERE id = :id"), {"id": demo.workspace_id}
            )
