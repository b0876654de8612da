"""Customer imports: one row per uploaded file, its validation report and its progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Index, Integer, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, TenantEntity


class ImportJob(TenantEntity, Base):
    """An uploaded CSV/XLSX file and what became of it.

    The file itself stays in `file` (deferred, never loaded by lists) so the worker can
    read it; it is dropped once the import has succeeded. `errors` holds the rejected rows
    (`{row, values, errors: [{column, field, message}]}`), capped; `counts` the totals.
    """

    __tablename__ = "import_jobs"
    __table_args__ = (
        Index("ix_import_jobs_workspace_id_created_at", "workspace_id", "created_at", "id"),
        Index("ix_import_jobs_workspace_id_created_by", "workspace_id", "created_by"),
    )
    __scope_module__ = "customers"
    __owner_column__ = "created_by"

    entity: Mapped[str] = mapped_column(String(30), nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    file_format: Mapped[str] = mapped_column(String(10), nullable=False)
    file_size: Mapped[int] = mapped_column(Integer, nullable=False)
    file: Mapped[bytes | None] = mapped_column(
        LargeBinary, nullable=True, deferred=True, deferred_raiseload=True
    )
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    dry_run: Mapped[bool] = mapped_column(Boolean, nullable=False)
    duplicate_policy: Mapped[str] = mapped_column(String(10), nullable=False)
    headers: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    #: file column header → target field (`name`, `phones`, `cf.<key>`, `contact_name`, ...)
    mapping: Mapped[dict[str, str]] = mapped_column(JSONB, nullable=False, default=dict)
    counts: Mapped[dict[str, int]] = mapped_column(JSONB, nullable=False, default=dict)
    progress: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, default=list, deferred=True, deferred_raiseload=True
    )
    #: more rows were rejected than `errors` keeps
    errors_truncated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    message: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
