"""Team analytics: leaderboards and follow-up statistics per rep."""

from __future__ import annotations

import uuid
from decimal import Decimal

from app.analytics.filters import narrowed
from app.analytics.period import parse_period
from app.analytics.team import repository, schemas
from app.analytics.team.repository import Measure, Person
from app.auth.dependencies import Ctx
from app.contracts import clock
from app.models.user import User

#: people listed even with nothing to show: the ones who sell
SELLING_ROLES = frozenset({"sales", "manager"})

_MEASURE = {
    schemas.LeaderboardMetric.won_amount: Measure.won_amount,
    schemas.LeaderboardMetric.payments: Measure.payments_received,
    schemas.LeaderboardMetric.new_customers: Measure.new_customers,
    schemas.LeaderboardMetric.follow_ups: Measure.follow_ups,
    schemas.LeaderboardMetric.visits: Measure.visits,
}


def competition_ranks(values: list[Decimal]) -> list[int]:
    """Ranks of values sorted best first: ties share a rank, the next one skips."""
    ranks: list[int] = []
    for position, value in enumerate(values, start=1):
        ranks.append(ranks[-1] if ranks and values[position - 2] == value else position)
    return ranks


def _listed(person: Person, has_numbers: bool) -> bool:
    return has_numbers or (person.current and person.role in SELLING_ROLES)


async def leaderboard(
    ctx: Ctx,
    metric: schemas.LeaderboardMetric,
    period_text: str,
    *,
    team_id: uuid.UUID | None,
    currency: str,
    limit: int,
) -> schemas.Leaderboard:
    period = parse_period(period_text)
    measure = _MEASURE[metric]
    money = measure in repository.MONEY_MEASURES
    zone = await clock.workspace_zone(ctx.session)
    tallies = await repository.tallies(
        ctx.session,
        ctx.principal,
        measure,
        period,
        zone,
        currency=currency if money else None,
        conditions=narrowed(repository.PERSON_COLUMN[measure], team_id=team_id, owner_id=None),
    )
    by_person = {owner: tally for (owner, _), tally in tallies.items() if owner is not None}
    people = await repository.people(
        ctx.session, ctx.principal, narrowed(User.id, team_id=team_id, owner_id=None)
    )
    zero = repository.Tally(Decimal("0.00") if money else Decimal(0), 0)
    entries = [
        (person, by_person.get(person.id, zero))
        for person in people.values()
        if _listed(person, person.id in by_person)
    ]
    entries.sort(key=lambda e: (-e[1].value, -e[1].count, e[0].name, str(e[0].id)))
    ranks = competition_ranks([tally.value for _, tally in entries])
    return schemas.Leaderboard(
        metric=metric,
        period=period.label,
        currency=currency if money else None,
        as_of=clock.utcnow(),
        rows=[
            schemas.LeaderboardRow(
                rank=rank,
                user_id=person.id,
                user_name=person.name,
                team_id=person.team_id,
                team_name=person.team_name,
                value=tally.value,
                count=tally.count,
            )
            for rank, (person, tally) in list(zip(ranks, entries, strict=True))[:limit]
        ],
    )


def _counts(counts: repository.KindCounts) -> dict[str, int]:
    c = counts.counts
    return {
        "calls": c["call"],
        "visits": c["visit"],
        "meetings": c["meeting"],
        "emails": c["email"],
        "wechats": c["wechat"],
        "notes": c["note"],
        "return_visits": c["return_visit"],
        "total": counts.total,
        "customers_touched": counts.customers_touched,
    }


async def activity_stats(
    ctx: Ctx, period_text: str, *, team_id: uuid.UUID | None, owner_id: uuid.UUID | None
) -> schemas.ActivityStats:
    period = parse_period(period_text)
    zone = await clock.workspace_zone(ctx.session)
    per_author, overall = await repository.activity_counts(
        ctx.session, ctx.principal, period, zone, team_id=team_id, owner_id=owner_id
    )
    people = await repository.people(
        ctx.session, ctx.principal, narrowed(User.id, team_id=team_id, owner_id=owner_id)
    )
    empty = repository.KindCounts({k: 0 for k in overall.counts}, 0, 0)
    rows = [
        schemas.ActivityStatsRow(
            user_id=person.id,
            user_name=person.name,
            team_id=person.team_id,
            team_name=person.team_name,
            **_counts(per_author.get(person.id, empty)),
        )
        for person in people.values()
        if _listed(person, person.id in per_author)
    ]
    rows.sort(key=lambda r: (-r.total, r.user_name, str(r.user_id)))
    return schemas.ActivityStats(
        period=period.label,
        as_of=clock.utcnow(),
        rows=rows,
        totals=schemas.ActivityCounts(**_counts(overall)),
    )
