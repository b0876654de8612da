"""RepositoryBase: every domain query starts from the principal's scoped statement."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar, overload

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.models import Base
from app.core.pagination import ListParams, PlainRow, SortSpec, paginate
from app.core.principal import Principal
from app.core.scope import readable_statement
from app.errors import Conflict, FieldError, Forbidden, NotFound, PreconditionFailed

M = TypeVar("M", bound=Base)


class RepositoryBase(Generic[M]):
    model: ClassVar[type[Any]]
    #: the entity name used in errors, audit rows and event types
    entity: ClassVar[str]
    sorting: ClassVar[SortSpec]

    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    @property
    def module(self) -> str:
        module = self.model.__scope_module__
        assert module is not None
        return str(module)

    def readable(self, *, include_deleted: bool = False) -> Select[tuple[M]]:
        return readable_statement(self.model, self.principal, include_deleted=include_deleted)

    async def ensure_external_id_free(
        self, source: str | None, external_id: str | None, exclude: uuid.UUID | None
    ) -> None:
        """409 when another live row of the workspace carries this external id (the whole
        workspace: an integration's ids are unique whoever may see the row)."""
        if not external_id:
            return
        model = self.model
        stmt = select(model.id).where(
            model.external_source == source,
            model.external_id == external_id,
            model.deleted_at.is_(None),
        )
        if exclude is not None:
            stmt = stmt.where(model.id != exclude)
        if (await self.session.execute(stmt.limit(1))).first():
            raise Conflict(
                f"Another {self.entity} has this external id.",
                code="external_id_taken",
                errors=[FieldError(field="body.external_id", message="already in use")],
            )

    def writable(self, *, include_deleted: bool = False) -> Select[tuple[M]]:
        return readable_statement(
            self.model, self.principal, include_deleted=include_deleted, for_write=True
        )

    async def get(
        self, entity_id: uuid.UUID, *, include_deleted: bool = False, for_update: bool = False
    ) -> M:
        """The row if the principal may read it; otherwise 404 (never 403: ids don't leak)."""
        stmt = self.readable(include_deleted=include_deleted).where(self.model.id == entity_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self.session.execute(stmt)).scalar_one_or_none()
        if row is None:
            raise NotFound(f"No {self.entity} with id {entity_id}.")
        return row

    async def get_writable(
        self, entity_id: uuid.UUID, *, if_match: int | None = None, include_deleted: bool = False
    ) -> M:
        """Row-locked for a change: 404 when invisible, 403 when read-only, 412 when stale."""
        row = await self.get(entity_id, include_deleted=include_deleted, for_update=True)
        if not self.principal.can_write(self.module):
            raise Forbidden(f"You may read this {self.entity} but not change it.")
        writable = self.writable(include_deleted=include_deleted).where(self.model.id == entity_id)
        if (await self.session.execute(writable.with_only_columns(self.model.id))).first() is None:
            raise Forbidden(f"This {self.entity} is shared with you read-only.")
        check_version(row, if_match)
        return row

    def changed_at(self) -> Any:
        """The column `updated_since` compares with: updated_at, or the creation time of
        append-only rows (audit entries, notifications, ledger rows)."""
        for name in ("updated_at", "occurred_at", "created_at"):
            column = getattr(self.model, name, None)
            if column is not None:
                return column
        raise AssertionError(f"{self.model.__name__} has no time column")

    @overload
    async def page(
        self,
        params: ListParams,
        sort: str,
        *filters: ColumnElement[bool],
        columns: None = None,
    ) -> tuple[Sequence[M], str | None, bool]: ...

    @overload
    async def page(
        self,
        params: ListParams,
        sort: str,
        *filters: ColumnElement[bool],
        columns: Sequence[Any],
    ) -> tuple[Sequence[PlainRow], str | None, bool]: ...

    async def page(
        self,
        params: ListParams,
        sort: str,
        *filters: ColumnElement[bool],
        columns: Sequence[Any] | None = None,
    ) -> tuple[Sequence[Any], str | None, bool]:
        """One page of the readable rows: ORM instances, or with `columns` plain dicts of
        just those columns (read-only lists rendered straight into a schema; see paginate)."""
        stmt = self.readable(include_deleted=params.include_deleted)
        if params.updated_since is not None:
            stmt = stmt.where(self.changed_at() >= params.updated_since)
        for condition in filters:
            stmt = stmt.where(condition)
        if columns is not None:
            plain = stmt.with_only_columns(*columns)
            return await paginate(self.session, plain, params, self.sorting, sort, plain=True)
        return await paginate(self.session, stmt, params, self.sorting, sort)


def check_version(row: Any, if_match: int | None) -> None:
    if if_match is not None and row.version != if_match:
        raise PreconditionFailed(
            f"Version {if_match} is stale; the current version is {row.version}. "
            "Reload and apply your change again."
        )
