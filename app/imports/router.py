from __future__ import annotations

import uuid
from enum import StrEnum

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from fastapi.responses import StreamingResponse

from app.auth.dependencies import Ctx, require
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.customfields.repository import CustomFieldRepository
from app.errors import Conflict, Forbidden, NotFound, PayloadTooLarge, problem_responses
from app.imports import schemas, service
from app.imports.fields import (
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    CUSTOMER_REFERENCE,
    ImportEntity,
    TargetField,
    allowed_fields,
)
from app.imports.reader import MAX_BYTES, UnreadableFile, UnsupportedFile
from app.imports.repository import ImportJobRepository

router = APIRouter(route_class=UnitOfWorkRoute, tags=["imports"])

ImportSort = ImportJobRepository.sorting.enum("ImportSort")
_READ_CHUNK = 1024 * 1024


class ErrorsLang(StrEnum):
    zh = "zh-CN"
    en = "en"


async def _read_upload(file: UploadFile) -> bytes:
    """The upload, refused with 413 as soon as it passes the import size limit."""
    parts: list[bytes] = []
    size = 0
    while chunk := await file.read(_READ_CHUNK):
        size += len(chunk)
        if size > MAX_BYTES:
            raise PayloadTooLarge(
                f"Import files are limited to {MAX_BYTES // (1024 * 1024)} MB; split the file."
            )
        parts.append(chunk)
    return b"".join(parts)


@router.post(
    "/imports",
    response_model=schemas.ImportJob,
    status_code=202,
    responses={
        201: {"model": schemas.ImportJob, "description": "Dry run: validated, nothing written"},
        **problem_responses(Forbidden, PayloadTooLarge, UnsupportedFile, UnreadableFile),
    },
)
async def create_import(
    response: Response,
    file: UploadFile = File(description="CSV (UTF-8 or GB18030) or XLSX; first sheet is read"),
    entity: ImportEntity = Form(description="customers, contacts or customers_with_contacts"),
    duplicate_policy: schemas.DuplicatePolicy = Form(
        schemas.DuplicatePolicy.skip,
        description="Rows matching an existing customer: skip, update it, or create anyway",
    ),
    dry_run: bool = Form(False, description="Validate and report only; write nothing"),
    mapping: str | None = Form(
        None,
        description='JSON object: file column → field (`{"客户名称": "name"}`); '
        "default: suggested from the headers",
    ),
    ctx: Ctx = Depends(require("customers", write=True)),
) -> schemas.ImportJob:
    """Upload a file: a dry run answers 201 with the report, a real run 202 and runs queued."""
    job = await service.create_import(
        ctx,
        filename=file.filename or "upload",
        data=await _read_upload(file),
        entity=entity,
        policy=duplicate_policy,
        dry_run=dry_run,
        mapping=mapping,
    )
    if dry_run:
        response.status_code = 201
    return schemas.ImportJob.from_job(job)


def _field(f: TargetField, *, customer_reference: bool) -> schemas.ImportField:
    if customer_reference:  # in a contacts file, `name` is the customer's
        return schemas.ImportField(
            field=f.field,
            label_zh=f"客户{f.label_zh}",
            label_en=f"Customer {f.label_en.lower()}",
            required=False,
        )
    return schemas.ImportField(
        field=f.field, label_zh=f.label_zh, label_en=f.label_en, required=False
    )


@router.get("/imports/fields", response_model=list[schemas.ImportField])
async def list_import_fields(
    entity: ImportEntity = Query(ImportEntity.customers, description="What the rows are"),
    ctx: Ctx = Depends(require("customers", write=True)),
) -> list[schemas.ImportField]:
    """The fields a column can be mapped to, custom fields included."""
    definitions = await CustomFieldRepository.definitions(ctx.session, "customer")
    allowed = set(allowed_fields(entity, [d.key for d in definitions]))
    contacts_only = entity is ImportEntity.contacts
    required = {"contact_name"} if contacts_only else {"name"}
    out = [
        _field(f, customer_reference=contacts_only and f.field in CUSTOMER_REFERENCE)
        for f in (*CUSTOMER_FIELDS, *CONTACT_FIELDS)
        if f.field in allowed
    ]
    for f in out:
        f.required = f.field in required
    if entity is not ImportEntity.contacts:
        out += [
            schemas.ImportField(
                field=f"cf.{d.key}", label_zh=d.label_zh, label_en=d.label_en, required=False
            )
            for d in definitions
        ]
    else:
        out.sort(key=lambda f: f.field not in CUSTOMER_REFERENCE)
    return out


@router.get(
    "/imports",
    response_model=Page[schemas.ImportJobSummary],
    responses=problem_responses(Forbidden),
)
async def list_imports(
    params: ListParams = Depends(list_params),
    sort: ImportSort = Query("-created_at", description="Sort key"),  # type: ignore[valid-type]
    ctx: Ctx = Depends(require("customers", write=True)),
) -> Page[schemas.ImportJobSummary]:
    """Imports in your scope (your own; a manager's team's; everyone's for admins)."""
    jobs, cursor, more = await service.list_imports(ctx, params, str(sort))
    return Page(
        data=[schemas.ImportJobSummary.model_validate(j) for j in jobs],
        next_cursor=cursor,
        has_more=more,
    )


@router.get(
    "/imports/{import_id}",
    response_model=schemas.ImportJob,
    responses=problem_responses(Forbidden, NotFound),
)
async def get_import(
    import_id: uuid.UUID, ctx: Ctx = Depends(require("customers", write=True))
) -> schemas.ImportJob:
    """Status, counts, percent done and the first row errors of an import."""
    return schemas.ImportJob.from_job(await service.get_import(ctx, import_id))


@router.post(
    "/imports/{import_id}/run",
    response_model=schemas.ImportJob,
    status_code=202,
    responses=problem_responses(Forbidden, NotFound, Conflict),
)
async def run_import(
    import_id: uuid.UUID, ctx: Ctx = Depends(require("customers", write=True))
) -> schemas.ImportJob:
    """Run a validated dry run for real; it is validated again when the run starts."""
    return schemas.ImportJob.from_job(await service.start_import(ctx, import_id))


@router.get(
    "/imports/{import_id}/errors.csv",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}}, "description": "Every rejected row with its errors"},
        **problem_responses(Forbidden, NotFound),
    },
)
async def download_import_errors(
    import_id: uuid.UUID,
    lang: ErrorsLang = Query(ErrorsLang.zh, description="Language of the first three headers"),
    ctx: Ctx = Depends(require("customers", write=True)),
) -> StreamingResponse:
    """All rejected rows as CSV: row number, column, message and the row as uploaded."""
    body = await service.error_csv(ctx, import_id, lang.value)
    return StreamingResponse(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="import-{import_id}-errors.csv"'},
    )
