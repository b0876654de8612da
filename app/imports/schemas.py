from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator

from app.core.schemas import ResponseSchema
from app.imports.fields import ImportEntity

#: row errors shown by `GET /imports/{id}`; the CSV download has all of them
ERRORS_SHOWN = 100


class DuplicatePolicy(StrEnum):
    skip = "skip"
    update = "update"
    create = "create"


class ImportStatus(StrEnum):
    validating = "validating"
    ready = "ready"
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class ImportCounts(ResponseSchema):
    total: int = Field(description="Data rows in the file (blank rows not counted)")
    valid: int = Field(description="Rows without errors")
    invalid: int = Field(description="Rows with errors: nothing is written for them")
    created: int = Field(description="Customers created (predicted, for a dry run)")
    updated: int = Field(description="Existing customers changed")
    unchanged: int = Field(description="Existing customers matched whose values were the same")
    skipped: int = Field(description="Rows not written because of the duplicate policy")
    contacts_created: int = Field(description="Contacts created")
    contacts_updated: int = Field(description="Existing contacts changed")


class ImportRowError(ResponseSchema):
    row: int = Field(description="Row number as the spreadsheet shows it (header = row 1)")
    column: str | None = Field(description="File column, when the error is about one cell")
    field: str = Field(description="Target field (`email`, `cf.scale`, ...) or `row`")
    message: str = Field(description="What is wrong (English)")


class ImportJobSummary(ResponseSchema):
    id: uuid.UUID = Field(description="Import id")
    entity: ImportEntity = Field(description="What the rows are")
    filename: str = Field(description="Uploaded file name")
    status: ImportStatus = Field(
        description="validating, ready (dry run done), queued, running, succeeded, failed"
    )
    dry_run: bool = Field(description="Validated only; nothing written")
    duplicate_policy: DuplicatePolicy = Field(description="skip, update or create")
    counts: ImportCounts | None = Field(description="Row counts; null until validated")
    progress: int = Field(description="Percent done, 0–100")
    message: str | None = Field(description="Why the import failed")
    created_by: uuid.UUID | None = Field(description="Who uploaded the file")
    created_at: datetime = Field(description="Uploaded at")
    started_at: datetime | None = Field(description="The background run started at")
    finished_at: datetime | None = Field(description="Validation or the run finished at")

    @field_validator("counts", mode="before")
    @classmethod
    def _not_yet(cls, value: Any) -> Any:
        return value or None


class ImportJob(ImportJobSummary):
    file_format: str = Field(description="csv or xlsx")
    headers: list[str] = Field(description="The file's column headers")
    mapping: dict[str, str] = Field(description="File column → field it was imported into")
    errors: list[ImportRowError] = Field(description=f"The first {ERRORS_SHOWN} row errors")
    errors_truncated: bool = Field(
        description="More errors exist than listed: download errors.csv for all of them"
    )

    @classmethod
    def from_job(cls, job: Any) -> ImportJob:
        rows: list[dict[str, Any]] = job.errors
        flat: list[ImportRowError] = []
        total = 0
        for report in rows:
            for column, field, message in report["errors"]:
                total += 1
                if len(flat) < ERRORS_SHOWN:
                    flat.append(
                        ImportRowError(
                            row=report["row"], column=column, field=field, message=message
                        )
                    )
        summary = ImportJobSummary.model_validate(job)
        return cls(
            **summary.model_dump(),
            file_format=job.file_format,
            headers=job.headers,
            mapping=job.mapping,
            errors=flat,
            errors_truncated=job.errors_truncated or total > len(flat),
        )


class ImportField(ResponseSchema):
    field: str = Field(description="Target field name to use in `mapping`")
    label_zh: str = Field(description="Chinese label")
    label_en: str = Field(description="English label")
    required: bool = Field(description="A column must be mapped to it")
