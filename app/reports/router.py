from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Response

from app.analytics.filters import MODULE
from app.auth.dependencies import Ctx, require
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.errors import NotFound, problem_responses
from app.reports import schemas, service, xlsx
from app.reports.repository import ReportRepository

router = APIRouter(route_class=UnitOfWorkRoute)

ReportSort = ReportRepository.sorting.enum("ReportSort")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/reports", response_model=Page[schemas.ReportSummary], tags=["reports"])
async def list_reports(
    params: ListParams = Depends(list_params),
    sort: ReportSort = Query("-period_start", description="Sort key"),  # type: ignore[valid-type]
    kind: schemas.ReportKind | None = Query(None, description="daily, weekly or monthly"),
    subject_kind: schemas.ReportSubjectKind | None = Query(None, description="user or team"),
    user_id: uuid.UUID | None = Query(None, description="Reports of this rep"),
    team_id: uuid.UUID | None = Query(None, description="Reports of this team"),
    period_from: str | None = Query(
        None, max_length=10, description="Periods starting on or after this period's start"
    ),
    period_to: str | None = Query(
        None, max_length=10, description="Periods ending on or before this period's end"
    ),
    ctx: Ctx = Depends(require(MODULE)),
) -> Page[schemas.ReportSummary]:
    """Stored reports in your scope: your own; a manager's also those of their subtree."""
    rows, cursor, more = await service.list_reports(
        ctx,
        params,
        str(sort),
        kind=kind,
        subject_kind=subject_kind,
        user_id=user_id,
        team_id=team_id,
        period_from=period_from,
        period_to=period_to,
    )
    return Page(data=[service.summary(r) for r in rows], next_cursor=cursor, has_more=more)


@router.post(
    "/reports/generate",
    response_model=schemas.Report,
    tags=["reports"],
    responses=problem_responses(NotFound),
)
async def generate_report(
    data: schemas.ReportGenerate, ctx: Ctx = Depends(require(MODULE))
) -> schemas.Report:
    """Compute a report now for a rep or team in your scope (replaces the stored one)."""
    return service.present(await service.generate(ctx, data))


@router.get(
    "/reports/{report_id}",
    response_model=schemas.Report,
    tags=["reports"],
    responses=problem_responses(NotFound),
)
async def get_report(report_id: uuid.UUID, ctx: Ctx = Depends(require(MODULE))) -> schemas.Report:
    """One report with its numbers (a team's: per member too)."""
    return service.present(await service.get_report(ctx, report_id))


@router.get(
    "/reports/{report_id}/xlsx",
    tags=["reports"],
    response_class=Response,
    responses={
        200: {"content": {XLSX_TYPE: {}}, "description": "The workbook"},
        **problem_responses(NotFound),
    },
)
async def download_report(
    report_id: uuid.UUID,
    lang: schemas.ReportLang = Query(schemas.ReportLang.zh, description="Label language"),
    ctx: Ctx = Depends(require(MODULE)),
) -> Response:
    """The report as an XLSX workbook (summary, and members for a team)."""
    report = service.present(await service.get_report(ctx, report_id))
    return Response(
        content=xlsx.workbook(report, lang),
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{xlsx.filename(report)}"'},
    )
