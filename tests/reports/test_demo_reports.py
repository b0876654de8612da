"""The demo workspace comes with reports and a pipeline the analytics can show."""

from __future__ import annotations

from sqlalchemy import func, select, text

from app.analytics.period import PeriodKind, period_containing
from app.analytics.sales import service as sales
from app.analytics.sales.repository import DealFilters
from app.auth.dependencies import Ctx
from app.contracts import clock
from app.core.principal import Principal, Role
from app.demo import DEMO_EMAIL, ensure_demo
from app.models.lead import Campaign
from app.models.reports import Report
from app.models.user import User
from tests.factories import use


async def test_demo_has_reports_and_a_living_pipeline(committed, owner_engine) -> None:
    _, _, maker = committed
    demo = await ensure_demo(maker)
    try:
        assert demo.created
        async with maker() as s, s.begin():
            await use(s, demo.workspace_id)
            kinds = dict(
                (await s.execute(select(Report.kind, func.count()).group_by(Report.kind))).all()
            )
            subjects = await s.scalar(
                select(func.count(func.distinct(func.coalesce(Report.user_id, Report.team_id))))
            )
            assert subjects is not None
            assert subjects >= 15  # the reps and the teams of the demo
            assert kinds == {"daily": 7 * subjects, "weekly": 2 * subjects, "monthly": 2 * subjects}
            owner = await s.scalar(select(User).where(User.email == DEMO_EMAIL))
            assert owner is not None
            ctx = Ctx(s, Principal(demo.workspace_id, owner.id, Role.owner, owner.team_id))
            today = await clock.today(s)
            quarter = period_containing(PeriodKind.quarter, today)
            funnel = await sales.funnel(
                ctx, period_containing(PeriodKind.year, today), DealFilters()
            )
            assert funnel.created > 0
            assert funnel.won > 0
            assert funnel.stages[0].entered > funnel.stages[-1].entered
            forecast = await sales.forecast(ctx, None, 6, "CNY", 75, DealFilters())
            assert sum(m.open_deals for m in forecast.months) > 0
            expo = await s.scalar(select(Campaign.id).where(Campaign.channel == "展会"))
            roi = await sales.campaign_roi(ctx, None, DealFilters())
            assert any(r.campaign_id == expo and r.deals > 0 for r in roi.rows)
            cycle = await sales.sales_cycle(ctx, quarter, DealFilters())
            assert cycle.won_deals >= 0
    finally:
        async with owner_engine.begin() as conn:
            await conn.execute(
                text("DELETE FROM workspaces WHERE id = :id"), {"id": demo.workspace_id}
            )
