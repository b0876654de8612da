from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import ClassVar

from sqlalchemy import Select, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.core import hooks
from app.core.pagination import SortSpec
from app.core.repository import RepositoryBase
from app.models.customer import Customer, OwnershipChange
from app.models.pool import Pool
from app.models.user import Team, User


class PoolRepository(RepositoryBase[Pool]):
    model = Pool
    entity = "pool"
    sorting: ClassVar[SortSpec] = SortSpec(Pool.id, name=Pool.name)

    def readable(self, *, include_deleted: bool = False) -> Select[tuple[Pool]]:
        """Pools are visible to members of their teams (with sub-teams), admins, managers."""
        stmt = select(Pool).where(Pool.deleted_at.is_(None))
        if self.principal.is_manager:
            return stmt
        open_to_all = func.cardinality(Pool.member_team_ids) == 0
        if self.principal.team_id is None:
            return stmt.where(open_to_all)
        mine = my_team_and_ancestors(self.principal.team_id).scalar_subquery()
        return stmt.where(open_to_all | Pool.member_team_ids.overlap(mine))

    async def default_pool(self) -> Pool | None:
        return (
            await self.session.execute(
                select(Pool).where(Pool.is_default.is_(True), Pool.deleted_at.is_(None))
            )
        ).scalar_one_or_none()


@lru_cache(maxsize=1024)
def my_team_and_ancestors(team_id: uuid.UUID) -> Select[tuple[list[uuid.UUID]]]:
    """array(team and its ancestors): membership of a pool's team covers its sub-teams.

    Built once per team (the database walks the tree when the statement runs): building the
    recursive clause took longer than running it."""
    up = select(Team.id, Team.parent_id).where(Team.id == team_id).cte("up", recursive=True)
    parent = aliased(Team)
    up = up.union_all(select(parent.id, parent.parent_id).where(parent.id == up.c.parent_id))
    return select(func.array_agg(up.c.id))


async def lock_user(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Serialises one rep's claims, so caps and daily limits cannot be raced past."""
    await session.execute(select(User.id).where(User.id == user_id).with_for_update())


async def lock_customer(session: AsyncSession, customer_id: uuid.UUID) -> Customer | None:
    return (
        await session.execute(
            select(Customer)
            .where(Customer.id == customer_id, Customer.deleted_at.is_(None))
            .with_for_update()
        )
    ).scalar_one_or_none()


async def owned_count(session: AsyncSession, user_id: uuid.UUID, *, count_won: bool = True) -> int:
    """Customers the user holds, for the holding cap; without those that have a won deal
    when the pool says they don't count."""
    stmt = (
        select(func.count())
        .select_from(Customer)
        .where(Customer.owner_id == user_id, Customer.deleted_at.is_(None))
    )
    if not count_won and hooks.customer_won_since:
        ever = text("'-infinity'::timestamptz")
        stmt = stmt.where(~or_(*[won(ever) for won in hooks.customer_won_since]))
    return int(await session.scalar(stmt) or 0)


async def claims_since(session: AsyncSession, user_id: uuid.UUID, since: datetime) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(OwnershipChange)
            .where(
                OwnershipChange.to_user_id == user_id,
                OwnershipChange.kind == "claim",
                OwnershipChange.occurred_at >= since,
            )
        )
        or 0
    )


async def last_left_by(
    session: AsyncSession, customer_id: uuid.UUID, user_id: uuid.UUID
) -> datetime | None:
    """When `user_id` last lost this customer to a pool (release or reclaim)."""
    left: datetime | None = await session.scalar(
        select(func.max(OwnershipChange.occurred_at)).where(
            OwnershipChange.customer_id == customer_id,
            OwnershipChange.from_user_id == user_id,
            OwnershipChange.kind.in_(("release", "reclaim")),
        )
    )
    return left


async def user_name(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    name: str | None = await session.scalar(select(User.name).where(User.id == user_id))
    return name


async def pool_customers(session: AsyncSession, pool_id: uuid.UUID) -> Select[tuple[Customer]]:
    return select(Customer).where(
        Customer.pool_id == pool_id, Customer.owner_id.is_(None), Customer.deleted_at.is_(None)
    )


async def pools(session: AsyncSession) -> Sequence[Pool]:
    return (await session.execute(select(Pool).where(Pool.deleted_at.is_(None)))).scalars().all()
