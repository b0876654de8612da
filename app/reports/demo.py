"""Demo reports: the daily reports of the last week, the weekly reports of the last two
weeks and the monthly reports of the last two months, for every rep and team, as the
schedule would have written them (runs after every other demo builder)."""

from __future__ import annotations

from app.analytics.period import period_containing
from app.contracts import clock
from app.demo import DEMO_BUILDERS, DemoContext
from app.reports.schemas import ReportKind
from app.reports.service import PERIOD_OF_KIND, generate_missing

#: (kind, how many of the last finished periods)
RECENT = ((ReportKind.daily, 7), (ReportKind.weekly, 2), (ReportKind.monthly, 2))


async def build_reports(ctx: DemoContext) -> None:
    await ctx.session.flush()
    now = clock.utcnow()
    today = await clock.today(ctx.session, now)
    for kind, count in RECENT:
        period = period_containing(PERIOD_OF_KIND[kind], today)
        for _ in range(count):
            period = period.previous()
            await generate_missing(ctx.session, ctx.workspace_id, kind, period, now)


DEMO_BUILDERS.append(build_reports)
