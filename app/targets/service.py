"""Sales targets and their live progress.

Who may see a target: its person (their own targets), a manager for the people and teams
of their subtree, admins and owners for all (the data scope of the analytics module on
`targets`, see `Target.scope_grants`). Setting them needs write access to analytics:
managers within their subtree, admins anywhere; only admins set workspace targets.

Progress compares the actual number of the period (app/analytics/team/repository.py
defines each metric) with the target and a straight-line pace over the period's days.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ColumnElement, select

from app.analytics.filters import MODULE
from app.analytics.period import InvalidPeriod, Period, PeriodKind, parse_period
from app.analytics.team import repository as measures
from app.analytics.team.repository import Measure, Tallies
from app.auth.dependencies import Ctx
from app.contracts import clock
from app.core.audit import record_mutation, snapshot
from app.core.pagination import ListParams
from app.core.principal import Scope
from app.core.scope import user_scope_condition
from app.errors import Conflict, FieldError, Forbidden, UnprocessableEntity
from app.models.targets import MONEY_METRICS, Target
from app.models.user import Team, User
from app.models.workspace import Workspace
from app.targets import schemas
from app.targets.repository import TargetRepository, within_team

CENT = Decimal("0.01")
DEFAULT_CURRENCY = "CNY"
TARGET_KINDS = (PeriodKind.month, PeriodKind.quarter, PeriodKind.year)
FIELDS = (
    "subject_kind",
    "user_id",
    "team_id",
    "period_kind",
    "period_start",
    "metric",
    "target_value",
    "currency",
)
_SUBJECT_ORDER = {"workspace": 0, "team": 1, "user": 2}
_METRIC_ORDER = {m.value: i for i, m in enumerate(schemas.TargetMetric)}


class TargetExists(Conflict):
    code = "target_exists"
    title = "A target for this subject, period and metric exists"


class InvalidSubject(UnprocessableEntity):
    code = "invalid_subject"
    title = "Invalid target subject"


def half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def target_period(text: str, field: str) -> Period:
    """A month, quarter or year (targets are not set per day or week)."""
    period = parse_period(text, field)
    if period.kind not in TARGET_KINDS:
        raise InvalidPeriod(
            f"{text!r} is a {period.kind.value}; targets are set per month, quarter or year.",
            errors=[FieldError(field=field, message="use YYYY-MM, YYYY-Qn or YYYY")],
        )
    return period


def _is_money(metric: str) -> bool:
    return metric in MONEY_METRICS


def _value_of(metric: str, value: Decimal) -> Decimal:
    """Money with two places; counts as whole numbers."""
    return half_up(value) if _is_money(metric) else Decimal(int(value))


def _check_value(metric: str, value: Decimal, currency: str | None, *, given: set[str]) -> None:
    errors = []
    if not _is_money(metric):
        if value != value.to_integral_value():
            errors.append(FieldError(field="body.target_value", message="must be a whole number"))
        if currency is not None and "currency" in given:
            errors.append(FieldError(field="body.currency", message="only for money metrics"))
    if errors:
        raise UnprocessableEntity(
            f"A {metric} target is a whole count without a currency.",
            code="invalid_target_value",
            errors=errors,
        )


async def _check_subject(ctx: Ctx, kind: schemas.SubjectKind, subject_id: uuid.UUID | None) -> None:
    """The subject exists, and the caller may set its targets (422 / 403)."""
    p = ctx.principal
    if kind is schemas.SubjectKind.workspace:
        if subject_id is not None and subject_id != p.workspace_id:
            raise InvalidSubject(
                "A workspace target has no subject id.",
                errors=[FieldError(field="body.subject_id", message="omit for the workspace")],
            )
        if not p.is_admin:
            raise Forbidden("Only admins set targets for the whole workspace.")
        return
    if subject_id is None:
        raise InvalidSubject(
            f"Name the {kind.value} the target is for.",
            errors=[FieldError(field="body.subject_id", message="required")],
        )
    model: type[User] | type[Team] = User if kind is schemas.SubjectKind.user else Team
    exists = await ctx.session.scalar(
        select(model.id).where(model.id == subject_id, model.deleted_at.is_(None))
    )
    if exists is None:
        raise InvalidSubject(
            f"No {kind.value} with id {subject_id}.",
            errors=[FieldError(field="body.subject_id", message=f"no such {kind.value}")],
        )
    scope = p.scope(MODULE)
    if scope is Scope.all:
        return
    if kind is schemas.SubjectKind.user:
        in_scope = await ctx.session.scalar(
            select(User.id).where(User.id == subject_id, user_scope_condition(User.id, p, MODULE))
        )
    elif scope is Scope.team and p.team_id is not None:
        in_scope = await ctx.session.scalar(
            select(Team.id).where(
                Team.id == subject_id, measures.in_team_subtree(Team.id, p.team_id)
            )
        )
    else:
        in_scope = None
    if in_scope is None:
        raise Forbidden(
            "You set targets only for the people and teams of your own team and the teams below it."
        )


async def create_target(ctx: Ctx, data: schemas.TargetCreate) -> schemas.Target:
    period = target_period(data.period, "body.period")
    metric = data.metric.value
    _check_value(metric, data.target_value, data.currency, given=data.model_fields_set)
    await _check_subject(ctx, data.subject_kind, data.subject_id)
    kind = data.subject_kind
    target = Target(
        workspace_id=ctx.principal.workspace_id,
        subject_kind=kind.value,
        user_id=data.subject_id if kind is schemas.SubjectKind.user else None,
        team_id=data.subject_id if kind is schemas.SubjectKind.team else None,
        period_kind=period.kind.value,
        period_start=period.start,
        period_end=period.end,
        metric=metric,
        target_value=_value_of(metric, data.target_value),
        currency=(data.currency or DEFAULT_CURRENCY) if _is_money(metric) else None,
        created_by=ctx.principal.user_id,
    )
    repo = TargetRepository(ctx.session, ctx.principal)
    if await repo.taken(target) is not None:
        raise TargetExists(
            f"There is already a {metric} target for this {kind.value} in {period.label}; "
            "change that one instead."
        )
    ctx.session.add(target)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="target",
        action="created",
        entity_id=target.id,
        sequence=target.version,
        before=None,
        after=snapshot(target, FIELDS),
    )
    return (await shape(ctx, [target]))[0]


async def get_target(ctx: Ctx, target_id: uuid.UUID) -> schemas.Target:
    target = await TargetRepository(ctx.session, ctx.principal).get(target_id)
    return (await shape(ctx, [target]))[0]


async def update_target(
    ctx: Ctx, target_id: uuid.UUID, data: schemas.TargetUpdate, if_match: int | None
) -> schemas.Target:
    repo = TargetRepository(ctx.session, ctx.principal)
    target = await repo.get_writable(target_id, if_match=if_match)
    given = data.model_fields_set
    if "target_value" in given and data.target_value is None:
        raise UnprocessableEntity(
            "target_value cannot be empty.",
            errors=[FieldError(field="body.target_value", message="cannot be null")],
        )
    value = data.target_value if data.target_value is not None else target.target_value
    _check_value(target.metric, value, data.currency, given=given)
    if "currency" in given and _is_money(target.metric) and data.currency is None:
        raise UnprocessableEntity(
            "A money target needs a currency.",
            errors=[FieldError(field="body.currency", message="cannot be null")],
        )
    before = snapshot(target, FIELDS)
    target.target_value = _value_of(target.metric, value)
    if data.currency is not None:
        target.currency = data.currency
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="target",
        action="updated",
        entity_id=target.id,
        sequence=target.version,
        before=before,
        after=snapshot(target, FIELDS),
    )
    return (await shape(ctx, [target]))[0]


async def delete_target(ctx: Ctx, target_id: uuid.UUID, if_match: int | None) -> None:
    target = await TargetRepository(ctx.session, ctx.principal).get_writable(
        target_id, if_match=if_match
    )
    before = snapshot(target, FIELDS)
    target.deleted_at = clock.utcnow()
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="target",
        action="deleted",
        entity_id=target.id,
        sequence=target.version,
        before=before,
        after=None,
    )


async def list_targets(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    *,
    period: str | None,
    subject_kind: schemas.SubjectKind | None,
    user_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    metric: schemas.TargetMetric | None,
) -> tuple[list[schemas.Target], str | None, bool]:
    conditions: list[ColumnElement[bool]] = []
    if period is not None:
        p = target_period(period, "query.period")
        conditions += [Target.period_start == p.start, Target.period_kind == p.kind.value]
    if subject_kind is not None:
        conditions.append(Target.subject_kind == subject_kind.value)
    if user_id is not None:
        conditions.append(Target.user_id == user_id)
    if team_id is not None:
        conditions.append(within_team(team_id))
    if metric is not None:
        conditions.append(Target.metric == metric.value)
    rows, cursor, more = await TargetRepository(ctx.session, ctx.principal).page(
        params, sort, *conditions
    )
    return await shape(ctx, rows), cursor, more


async def _names(
    ctx: Ctx, targets: Iterable[Target]
) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, str], str]:
    targets = list(targets)
    users = await measures.user_names(ctx.session, {t.user_id for t in targets if t.user_id})
    teams = await measures.team_names(ctx.session, {t.team_id for t in targets if t.team_id})
    workspace = ""
    if any(t.subject_kind == "workspace" for t in targets):
        workspace = await ctx.session.scalar(select(Workspace.name)) or ""
    return users, teams, workspace


def _subject(
    target: Target, names: tuple[dict[uuid.UUID, str], dict[uuid.UUID, str], str]
) -> tuple[uuid.UUID, str]:
    users, teams, workspace = names
    if target.user_id is not None:
        return target.user_id, users.get(target.user_id, "")
    if target.team_id is not None:
        return target.team_id, teams.get(target.team_id, "")
    return target.workspace_id, workspace


def _label(target: Target) -> str:
    return Period(PeriodKind(target.period_kind), target.period_start, target.period_end).label


async def shape(ctx: Ctx, targets: Sequence[Target]) -> list[schemas.Target]:
    names = await _names(ctx, targets)
    out = []
    for t in targets:
        subject_id, subject_name = _subject(t, names)
        out.append(
            schemas.Target(
                id=t.id,
                subject_kind=schemas.SubjectKind(t.subject_kind),
                subject_id=subject_id,
                subject_name=subject_name,
                period=_label(t),
                period_kind=schemas.TargetPeriodKind(t.period_kind),
                period_start=t.period_start,
                period_end=t.period_end,
                metric=schemas.TargetMetric(t.metric),
                target_value=_value_of(t.metric, t.target_value),
                currency=t.currency,
                created_at=t.created_at,
                updated_at=t.updated_at,
                version=t.version,
            )
        )
    return out


# --- progress ---------------------------------------------------------------------------


class Actuals:
    """One metric's numbers of the period, looked up per person, team or the workspace."""

    def __init__(self, tallies: Tallies) -> None:
        self.tallies = tallies
        self.totals: dict[str | None, measures.Tally] = {}
        for (_, currency), tally in tallies.items():
            before = self.totals.get(currency)
            self.totals[currency] = _plus(before, tally) or tally

    def of(self, target: Target, members: set[uuid.UUID] | None) -> measures.Tally:
        """The person's number, the sum over a team's `members`, or everything (workspace);
        only the target's currency counts."""
        currency, kind = target.currency, target.subject_kind
        found: measures.Tally | None = None
        if kind == "workspace":
            found = self.totals.get(currency)
        else:
            people = (target.user_id,) if kind == "user" else (members or ())
            for person in people:
                found = _plus(found, self.tallies.get((person, currency)))
        if found is None:
            return measures.Tally(_value_of(target.metric, Decimal(0)), 0)
        return measures.Tally(_value_of(target.metric, found.value), found.count)


def _plus(a: measures.Tally | None, b: measures.Tally | None) -> measures.Tally | None:
    if a is None or b is None:
        return a or b
    return measures.Tally(a.value + b.value, a.count + b.count)


def progress_of(
    target: Target,
    actual: measures.Tally,
    period: Period,
    today: date,
    subject: tuple[uuid.UUID, str],
) -> schemas.TargetProgress:
    goal = _value_of(target.metric, target.target_value)
    days_left = period.days_left(today)
    elapsed = period.days - days_left
    remaining = _value_of(target.metric, max(goal - actual.value, Decimal(0)))
    expected = half_up(goal * elapsed / period.days)
    return schemas.TargetProgress(
        target_id=target.id,
        subject_kind=schemas.SubjectKind(target.subject_kind),
        subject_id=subject[0],
        subject_name=subject[1],
        metric=schemas.TargetMetric(target.metric),
        currency=target.currency,
        target_value=goal,
        actual=actual.value,
        count=actual.count,
        percent=half_up(actual.value * 100 / goal),
        remaining=remaining,
        days_total=period.days,
        days_left=days_left,
        expected_to_date=expected,
        pace_needed_per_day=half_up(remaining / days_left) if days_left else None,
        on_track=actual.value >= expected,
    )


async def progress(
    ctx: Ctx,
    period_text: str,
    *,
    team_id: uuid.UUID | None,
    owner_id: uuid.UUID | None,
    metric: schemas.TargetMetric | None,
) -> schemas.ProgressReport:
    period = target_period(period_text, "query.period")
    conditions: list[ColumnElement[bool]] = []
    if team_id is not None:
        conditions.append(within_team(team_id))
    if owner_id is not None:
        conditions.append(Target.user_id == owner_id)
    if metric is not None:
        conditions.append(Target.metric == metric.value)
    repo = TargetRepository(ctx.session, ctx.principal)
    targets = await repo.of_period(period.start, period.kind.value, conditions)
    zone = await clock.workspace_zone(ctx.session)
    today = await clock.today(ctx.session)
    actuals: dict[str, Actuals] = {}
    for name in sorted({t.metric for t in targets}):
        actuals[name] = Actuals(
            await measures.tallies(ctx.session, ctx.principal, Measure(name), period, zone)
        )
    members: dict[uuid.UUID, set[uuid.UUID]] = {}
    team_targets = [t.team_id for t in targets if t.team_id is not None]
    if team_targets:
        tree = await measures.team_tree(ctx.session)
        user_team = await measures.user_teams(ctx.session)
        for team in team_targets:
            subtree = measures.subtree_of(tree, team)
            members[team] = {u for u, t in user_team.items() if t in subtree}
    names = await _names(ctx, targets)
    items = [
        progress_of(
            t,
            actuals[t.metric].of(t, members.get(t.team_id) if t.team_id else None),
            period,
            today,
            _subject(t, names),
        )
        for t in targets
    ]
    items.sort(
        key=lambda i: (
            _SUBJECT_ORDER[i.subject_kind.value],
            i.subject_name,
            str(i.subject_id),
            _METRIC_ORDER[i.metric.value],
        )
    )
    return schemas.ProgressReport(
        period=period.label,
        period_start=period.start,
        period_end=period.end,
        today=today,
        as_of=clock.utcnow(),
        items=items,
    )
