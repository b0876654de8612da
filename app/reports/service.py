"""Periodic reports: generated per rep and per team for each day, ISO week and month of the
workspace calendar, stored once per (kind, subject, period), announced as
`report.generated` through the outbox.

The schedule (`jobs.py`) only fills in the reports of the period that just ended that are
missing or partial (asked for on demand before the period was over), so it can run every
hour and twice in a row without writing anything twice; on demand, `POST /reports/generate`
computes a report now (a period still running gives a partial one) and replaces the
stored content.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.filters import MODULE
from app.analytics.period import InvalidPeriod, Period, PeriodKind, parse_period
from app.auth.dependencies import Ctx
from app.contracts import clock
from app.core.audit import record_mutation
from app.core.ids import uuid7
from app.core.pagination import ListParams
from app.core.principal import Principal, Scope
from app.core.scope import team_subtree, user_scope_condition
from app.errors import FieldError, NotFound
from app.models.reports import Report
from app.models.user import Team, User
from app.reports import repository as repo
from app.reports import schemas
from app.reports.repository import Numbers, ReportRepository

PERIOD_OF_KIND = {
    schemas.ReportKind.daily: PeriodKind.day,
    schemas.ReportKind.weekly: PeriodKind.week,
    schemas.ReportKind.monthly: PeriodKind.month,
}


@dataclass(frozen=True)
class Subject:
    kind: schemas.ReportSubjectKind
    id: uuid.UUID


@dataclass
class Draft:
    subject: Subject
    name: str
    content: dict[str, Any]


def _drafts(
    numbers: dict[uuid.UUID, Numbers],
    people: dict[uuid.UUID, repo.Person],
    teams: dict[uuid.UUID, tuple[str, uuid.UUID | None]],
    wanted: set[Subject],
) -> list[Draft]:
    """The contents of the `wanted` reports: a person's own numbers; a team's added up
    over the people of its subtree, with each member's (active or with numbers)."""
    drafts = []
    for person in people.values():
        subject = Subject(schemas.ReportSubjectKind.user, person.id)
        if subject in wanted:
            mine = numbers.get(person.id, Numbers())
            drafts.append(Draft(subject, person.name, {"totals": mine.as_json(), "members": []}))
    parents = {team_id: parent for team_id, (_, parent) in teams.items()}
    for team_id, (name, _) in teams.items():
        subject = Subject(schemas.ReportSubjectKind.team, team_id)
        if subject not in wanted:
            continue
        tree = repo.subtree(team_id, parents)
        total = Numbers()
        members = []
        for person in sorted(people.values(), key=lambda p: (p.name, p.id)):
            if person.team_id not in tree:
                continue
            mine = numbers.get(person.id, Numbers())
            total.merge(mine)
            if person.reported or not mine.empty:
                members.append({"user_id": str(person.id), "name": person.name, **mine.as_json()})
        drafts.append(Draft(subject, name, {"totals": total.as_json(), "members": members}))
    return drafts


async def _store(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    kind: schemas.ReportKind,
    period: Period,
    zone: ZoneInfo,
    draft: Draft,
    now: datetime,
    actor: Principal | None,
    *,
    only_partial: bool,
) -> Report | None:
    """Insert the report or replace the stored one (`only_partial`: only one computed
    before the period ended); None when the stored one was kept. Announces
    `report.generated` for every row written."""
    user = draft.subject.kind is schemas.ReportSubjectKind.user
    values = {
        "workspace_id": workspace_id,
        "kind": kind.value,
        "subject_kind": draft.subject.kind.value,
        "user_id": draft.subject.id if user else None,
        "team_id": None if user else draft.subject.id,
        "subject_name": draft.name,
        "period": period.label,
        "period_start": period.start,
        "period_end": period.end,
        "time_zone": zone.key,
        "content": draft.content,
        "generated_at": now,
        "generated_by": actor.user_id if actor else None,
        "version": 1,
    }
    column = "user_id" if user else "team_id"
    stmt = insert(Report).values(id=uuid7(), **values)
    target: dict[str, Any] = {
        "index_elements": ["workspace_id", column, "kind", "period_start"],
        "index_where": text(f"{column} IS NOT NULL"),
    }
    stmt = stmt.on_conflict_do_update(
        **target,
        set_={
            "subject_name": stmt.excluded.subject_name,
            "content": stmt.excluded.content,
            "generated_at": stmt.excluded.generated_at,
            "generated_by": stmt.excluded.generated_by,
            "time_zone": stmt.excluded.time_zone,
            "version": Report.version + 1,
        },
        where=Report.generated_at < period.bounds(zone)[1] if only_partial else None,
    )
    written = (await session.execute(stmt.returning(Report.id))).scalar_one_or_none()
    if written is None:
        return None
    report = (
        await session.execute(
            select(Report).where(Report.id == written).execution_options(populate_existing=True)
        )
    ).scalar_one()
    await record_mutation(
        session,
        actor,
        entity="report",
        action="generated",
        entity_id=report.id,
        sequence=report.version,
        before=None,
        after=_event_data(report),
        workspace_id=workspace_id,
    )
    return report


def _event_data(report: Report) -> dict[str, Any]:
    return {
        "kind": report.kind,
        "subject_kind": report.subject_kind,
        "subject_id": report.subject_id,
        "subject_name": report.subject_name,
        "period": report.period,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "time_zone": report.time_zone,
        "partial": is_partial(report),
        "generated_at": report.generated_at,
        "totals": report.content["totals"],
    }


def is_partial(report: Report) -> bool:
    zone = ZoneInfo(report.time_zone)
    end = Period(PeriodKind.day, report.period_start, report.period_end).bounds(zone)[1]
    return report.generated_at < end


async def generate_missing(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    kind: schemas.ReportKind,
    period: Period,
    now: datetime,
) -> int:
    """The scheduled run for one period: every reported person and every team without a
    complete report of this kind and period gets one (a partial one is replaced). Returns
    how many were written."""
    zone = await clock.workspace_zone(session)
    people = await repo.persons(session)
    teams = await repo.teams(session)
    existing = await repo.complete_subjects(
        session, kind.value, period.start, period.bounds(zone)[1]
    )
    wanted = {
        Subject(schemas.ReportSubjectKind.user, p.id)
        for p in people.values()
        if p.reported and p.id not in existing
    } | {Subject(schemas.ReportSubjectKind.team, t) for t in teams if t not in existing}
    if not wanted:
        return 0
    numbers = await repo.numbers_by_person(session, workspace_id, period, zone)
    written = 0
    for draft in _drafts(numbers, people, teams, wanted):
        if await _store(
            session, workspace_id, kind, period, zone, draft, now, None, only_partial=True
        ):
            written += 1
    return written


# --- the API -------------------------------------------------------------------------------


def _period_of(kind: schemas.ReportKind, label: str) -> Period:
    period = parse_period(label, "body.period")
    if period.kind is not PERIOD_OF_KIND[kind]:
        raise InvalidPeriod(
            f"{label!r} is not a {PERIOD_OF_KIND[kind].value}, which a {kind.value} report covers.",
            errors=[
                FieldError(field="body.period", message=f"expected a {PERIOD_OF_KIND[kind].value}")
            ],
        )
    return period


async def _subject_name(ctx: Ctx, subject: Subject) -> str:
    """The subject's name if it is within the caller's analytics scope, else 404."""
    p = ctx.principal
    if subject.kind is schemas.ReportSubjectKind.user:
        name = await ctx.session.scalar(
            select(User.name).where(
                User.id == subject.id,
                User.deleted_at.is_(None),
                user_scope_condition(User.id, p, MODULE),
            )
        )
    else:
        condition: ColumnElement[bool] = Team.id == subject.id
        if p.scope(MODULE) is not Scope.all:
            if p.scope(MODULE) is not Scope.team or p.team_id is None:
                raise NotFound(f"No team with id {subject.id} in your scope.")
            condition = condition & Team.id.in_(team_subtree(p.team_id))
        name = await ctx.session.scalar(
            select(Team.name).where(condition, Team.deleted_at.is_(None))
        )
    if name is None:
        raise NotFound(f"No {subject.kind.value} with id {subject.id} in your scope.")
    return str(name)


async def generate(ctx: Ctx, data: schemas.ReportGenerate) -> Report:
    """Compute one report now and store it (replacing a stored one of the same period)."""
    period = _period_of(data.kind, data.period)
    today = await clock.today(ctx.session)
    if period.start > today:
        raise InvalidPeriod(
            f"{period.label} has not started yet.",
            errors=[FieldError(field="body.period", message="the period has not started")],
        )
    subject = Subject(data.subject_kind, data.subject_id)
    await _subject_name(ctx, subject)
    ws = ctx.principal.workspace_id
    zone = await clock.workspace_zone(ctx.session)
    people = await repo.persons(ctx.session)
    teams = await repo.teams(ctx.session)
    numbers = await repo.numbers_by_person(ctx.session, ws, period, zone)
    (draft,) = _drafts(numbers, people, teams, {subject})
    report = await _store(
        ctx.session,
        ws,
        data.kind,
        period,
        zone,
        draft,
        clock.utcnow(),
        ctx.principal,
        only_partial=False,
    )
    assert report is not None
    return report


async def list_reports(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    *,
    kind: schemas.ReportKind | None,
    subject_kind: schemas.ReportSubjectKind | None,
    user_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    period_from: str | None,
    period_to: str | None,
) -> tuple[Sequence[Report], str | None, bool]:
    conditions: list[ColumnElement[bool]] = []
    if kind is not None:
        conditions.append(Report.kind == kind.value)
    if subject_kind is not None:
        conditions.append(Report.subject_kind == subject_kind.value)
    if user_id is not None:
        conditions.append(Report.user_id == user_id)
    if team_id is not None:
        conditions.append(Report.team_id == team_id)
    if period_from is not None:
        conditions.append(
            Report.period_start >= parse_period(period_from, "query.period_from").start
        )
    if period_to is not None:
        conditions.append(Report.period_end <= parse_period(period_to, "query.period_to").end)
    return await ReportRepository(ctx.session, ctx.principal).page(params, sort, *conditions)


async def get_report(ctx: Ctx, report_id: uuid.UUID) -> Report:
    return await ReportRepository(ctx.session, ctx.principal).get(report_id)


def present(report: Report) -> schemas.Report:
    return schemas.Report(
        **summary_fields(report), content=schemas.ReportContent.model_validate(report.content)
    )


def summary(report: Report) -> schemas.ReportSummary:
    return schemas.ReportSummary(**summary_fields(report))


def summary_fields(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "kind": schemas.ReportKind(report.kind),
        "subject_kind": schemas.ReportSubjectKind(report.subject_kind),
        "subject_id": report.subject_id,
        "subject_name": report.subject_name,
        "period": report.period,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "time_zone": report.time_zone,
        "partial": is_partial(report),
        "generated_at": report.generated_at,
        "generated_by": report.generated_by,
        "version": report.version,
    }
