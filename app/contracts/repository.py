from __future__ import annotations

import uuid
from typing import ClassVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import SortSpec
from app.core.repository import RepositoryBase
from app.core.scope import readable_statement
from app.core.sequences import next_value
from app.errors import Forbidden, NotFound
from app.models.contracts import Contract, ContractCounter
from app.models.customer import Customer


class ContractRepository(RepositoryBase[Contract]):
    model = Contract
    entity = "contract"
    sorting: ClassVar[SortSpec] = SortSpec(
        Contract.id,
        created_at=Contract.created_at,
        updated_at=Contract.updated_at,
        number=Contract.number,
        amount=Contract.amount,
    )

    def scoped(self, module: str, *, for_write: bool = False) -> Select[tuple[Contract]]:
        """Contracts in the principal's scope of `module` (contracts, or receivables for
        the money recorded against them: the same owner column decides)."""
        return readable_statement(Contract, self.principal, module, for_write=for_write)

    async def get_in(self, contract_id: uuid.UUID, module: str, *, lock: bool = False) -> Contract:
        """A contract seen through `module`'s scope; with `lock`, row-locked for a change
        (404 when invisible, 403 when the principal may only read it)."""
        stmt = self.scoped(module).where(Contract.id == contract_id, Contract.deleted_at.is_(None))
        if lock:
            stmt = stmt.with_for_update()
        row = (await self.session.execute(stmt)).scalar_one_or_none()
        if row is None:
            raise NotFound(f"No contract with id {contract_id}.")
        if lock:
            if not self.principal.can_write(module):
                raise Forbidden(f"Your role cannot change {module} of this contract.")
            writable = self.scoped(module, for_write=True).where(Contract.id == contract_id)
            if (
                await self.session.execute(writable.with_only_columns(Contract.id))
            ).first() is None:
                raise Forbidden("This contract is shared with you read-only.")
        return row

    async def customer_names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        if not ids:
            return {}
        rows = await self.session.execute(
            select(Customer.id, Customer.name).where(Customer.id.in_(ids))
        )
        return {r.id: r.name for r in rows}


async def next_number(session: AsyncSession, workspace_id: uuid.UUID, year: int) -> int:
    """The next contract number of `year` (see `app.core.sequences`)."""
    return await next_value(session, ContractCounter, workspace_id, year=year)


async def count_open_owned(session: AsyncSession, user_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Contract)
            .where(
                Contract.owner_id == user_id,
                Contract.deleted_at.is_(None),
                Contract.status.in_(("draft", "pending_approval", "active")),
            )
        )
        or 0
    )


async def count_of_customer(session: AsyncSession, customer_id: uuid.UUID) -> int:
    """Contracts of a customer that are not in the recycle bin, across the workspace."""
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Contract)
            .where(Contract.customer_id == customer_id, Contract.deleted_at.is_(None))
        )
        or 0
    )
