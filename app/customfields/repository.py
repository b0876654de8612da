from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import SortSpec
from app.core.repository import RepositoryBase
from app.models.customer import CustomFieldDef


class CustomFieldRepository(RepositoryBase[CustomFieldDef]):
    model = CustomFieldDef
    entity = "custom_field"
    sorting: ClassVar[SortSpec] = SortSpec(
        CustomFieldDef.id, position=CustomFieldDef.position, key=CustomFieldDef.key
    )

    @staticmethod
    async def definitions(session: AsyncSession, entity: str) -> Sequence[CustomFieldDef]:
        """Definitions of one entity; reference data, so not narrowed by data scope."""
        return (
            (
                await session.execute(
                    select(CustomFieldDef)
                    .where(CustomFieldDef.entity == entity, CustomFieldDef.deleted_at.is_(None))
                    .order_by(CustomFieldDef.position, CustomFieldDef.key)
                )
            )
            .scalars()
            .all()
        )
