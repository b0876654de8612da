"""The declarative base and the column mixins every business table uses."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, ForeignKey, ForeignKeyConstraint, Integer, MetaData, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from app.core.ids import uuid7

CURRENT_WORKSPACE_SQL = "nullif(current_setting('app.workspace_id', true), '')::uuid"

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: DateTime(timezone=True),
        uuid.UUID: UUID(as_uuid=True),
    }

    #: module name used by the data-scope mechanism (see app.core.scope)
    __scope_module__: ClassVar[str | None] = None
    #: column holding the user a row belongs to, for own/team scopes
    __owner_column__: ClassVar[str | None] = None
    #: (foreign-key column, parent model): the row is in scope when its parent is
    __scope_parent__: ClassVar[tuple[str, Any] | None] = None

    @classmethod
    def scope_grants(cls, principal: Any, *, for_write: bool) -> Any:
        """Extra rows in scope beyond ownership (e.g. shared with the principal), or None."""
        return None


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7, sort_order=-9)


class WorkspaceMixin:
    """Marks a tenant table: row-level security is enabled on every table with this column.

    `workspace_id` leads the primary key (and every index), so references between tenant
    rows are composite foreign keys that cannot cross workspaces, and the schema can be
    distributed by tenant without redesign.
    """

    @declared_attr
    def workspace_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(
            ForeignKey("workspaces.id", ondelete="CASCADE"),
            primary_key=True,
            # rows are always written inside a workspace-bound transaction; RLS WITH CHECK
            # rejects any other value, so the setting is the one source of truth
            server_default=text(CURRENT_WORKSPACE_SQL),
            sort_order=-10,
        )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        server_default=func.now(), onupdate=func.now(), nullable=False
    )


class VersionMixin:
    """Optimistic concurrency: UPDATE ... WHERE version = :seen; ETag is the version."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version, "eager_defaults": True}  # type: ignore[attr-defined]


class SoftDeleteMixin:
    deleted_at: Mapped[datetime | None] = mapped_column(nullable=True)


class CreatedByMixin:
    created_by: Mapped[uuid.UUID | None] = mapped_column(nullable=True)


def tenant_fk(
    columns: list[str], target: str, *, ondelete: str | None = None
) -> ForeignKeyConstraint:
    """A same-workspace reference: (workspace_id, col) → target(workspace_id, id).

    `ondelete="SET NULL"` nulls only the referencing columns, never workspace_id.
    """
    action = ondelete
    if ondelete == "SET NULL":
        action = f"SET NULL ({', '.join(columns)})"
    return ForeignKeyConstraint(
        ["workspace_id", *columns], [f"{target}.workspace_id", f"{target}.id"], ondelete=action
    )


class TenantEntity(
    WorkspaceMixin, IdMixin, TimestampMixin, VersionMixin, SoftDeleteMixin, CreatedByMixin
):
    """id + workspace + created/updated + version + soft delete: the usual business row."""
