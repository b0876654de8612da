"""Demo targets for this month and this quarter: each rep, the sales teams and the company.

Targets are set from what the demo data already holds for the period, each rep at a
different stretch (one ahead, one on pace, one behind...), so the progress gauges show a
spread of situations on first start instead of rows of zeros.
"""

from __future__ import annotations

import math
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.analytics.period import Period, PeriodKind, period_containing
from app.analytics.team import repository as measures
from app.analytics.team.repository import Measure
from app.contracts import clock
from app.core.principal import Principal, Role
from app.demo import DEMO_BUILDERS, DemoContext
from app.models.targets import MONEY_METRICS, Target

#: rep → (currency of their money targets, stretch: target ÷ what they have so far)
REPS = {
    "li.lei": ("CNY", Decimal("0.8")),
    "han.meimei": ("CNY", Decimal("1.3")),
    "chen.jing": ("CNY", Decimal("2.2")),
    "huang.min": ("CNY", Decimal("1.6")),
    "emma.wilson": ("USD", Decimal("1.1")),
}
#: the least a month's target is, by metric (a quarter: three times as much)
FLOORS = {
    "won_amount": Decimal(50_000),
    "payments_received": Decimal(30_000),
    "new_customers": Decimal(3),
    "follow_ups": Decimal(20),
}
USD_FLOORS = {"won_amount": Decimal(8_000), "payments_received": Decimal(5_000)}
TEAMS = ("east", "south", "intl")


def _nice(value: Decimal, metric: str) -> Decimal:
    """Rounded up the way people set targets: to 1,000 (money) or 5 (counts)."""
    step = 1000 if metric in MONEY_METRICS else 5
    return Decimal(math.ceil(value / step) * step)


def _actual(tallies: measures.Tallies, person: uuid.UUID, currency: str | None) -> Decimal:
    tally = tallies.get((person, currency))
    return tally.value if tally else Decimal(0)


async def build_targets(ctx: DemoContext) -> None:
    s = ctx.session
    today = await clock.today(s)
    zone = await clock.workspace_zone(s)
    principal = Principal(ctx.workspace_id, ctx.owner_id, Role.owner, ctx.teams.get("hq"))
    for period in (
        period_containing(PeriodKind.month, today),
        period_containing(PeriodKind.quarter, today),
    ):
        await _targets_for(ctx, principal, period, zone)
    await s.flush()


async def _targets_for(
    ctx: DemoContext, principal: Principal, period: Period, zone: ZoneInfo
) -> None:
    scale = Decimal(3) if period.kind is PeriodKind.quarter else Decimal(1)
    team_sums: dict[tuple[str, str, str | None], Decimal] = {}
    company: dict[tuple[str, str | None], Decimal] = {}
    members = {
        "east": ("li.lei", "han.meimei", "chen.jing"),
        "south": ("huang.min",),
        "intl": ("emma.wilson",),
    }
    team_of = {rep: team for team, reps in members.items() for rep in reps}
    for metric in FLOORS:
        tallies = await measures.tallies(ctx.session, principal, Measure(metric), period, zone)
        for login, (currency_code, stretch) in REPS.items():
            user_id = ctx.users.get(login)
            if user_id is None:
                continue
            money = metric in MONEY_METRICS
            currency = currency_code if money else None
            floor = (USD_FLOORS if currency == "USD" else FLOORS)[metric] * scale
            value = _nice(max(_actual(tallies, user_id, currency) * stretch, floor), metric)
            _add(ctx, period, metric, value, currency, user_id=user_id)
            key = (team_of[login], metric, currency)
            team_sums[key] = team_sums.get(key, Decimal(0)) + value
            company[(metric, currency)] = company.get((metric, currency), Decimal(0)) + value
    for (team, metric, currency), value in team_sums.items():
        if team in TEAMS and metric in ("won_amount", "follow_ups") and team in ctx.teams:
            _add(ctx, period, metric, value, currency, team_id=ctx.teams[team])
    for (metric, currency), value in company.items():
        if currency in ("CNY", None) and metric in ("won_amount", "new_customers"):
            _add(ctx, period, metric, value, currency)


def _add(
    ctx: DemoContext,
    period: Period,
    metric: str,
    value: Decimal,
    currency: str | None,
    *,
    user_id: uuid.UUID | None = None,
    team_id: uuid.UUID | None = None,
) -> None:
    kind = "user" if user_id else "team" if team_id else "workspace"
    ctx.session.add(
        Target(
            workspace_id=ctx.workspace_id,
            subject_kind=kind,
            user_id=user_id,
            team_id=team_id,
            period_kind=period.kind.value,
            period_start=period.start,
            period_end=period.end,
            metric=metric,
            target_value=value,
            currency=currency,
            created_by=ctx.users.get("zhang.wei", ctx.owner_id),
        )
    )


DEMO_BUILDERS.append(build_targets)
