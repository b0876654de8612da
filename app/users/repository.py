from __future__ import annotations

import uuid
from typing import ClassVar

from sqlalchemy import exists, func, select

from app.core.pagination import SortSpec
from app.core.repository import RepositoryBase
from app.core.scope import team_subtree
from app.models.user import Team, User


class UserRepository(RepositoryBase[User]):
    model = User
    entity = "user"
    sorting: ClassVar[SortSpec] = SortSpec(
        User.id, created_at=User.created_at, name=User.name, email=User.email
    )

    async def email_taken(self, email: str, *, except_id: uuid.UUID | None = None) -> bool:
        # across the whole workspace, ignoring data scope: uniqueness is a workspace rule
        stmt = select(exists().where(func.lower(User.email) == email.lower()))
        if except_id is not None:
            stmt = select(
                exists().where(func.lower(User.email) == email.lower(), User.id != except_id)
            )
        return bool((await self.session.execute(stmt)).scalar_one())

    async def active_owner_count(self) -> int:
        return int(
            (
                await self.session.execute(
                    select(func.count())
                    .select_from(User)
                    .where(
                        User.role == "owner", User.is_active.is_(True), User.deleted_at.is_(None)
                    )
                )
            ).scalar_one()
        )

    async def names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        if not ids:
            return {}
        rows = await self.session.execute(select(User.id, User.name).where(User.id.in_(ids)))
        return {row.id: row.name for row in rows}


class TeamRepository(RepositoryBase[Team]):
    model = Team
    entity = "team"
    sorting: ClassVar[SortSpec] = SortSpec(Team.id, created_at=Team.created_at, name=Team.name)

    async def exists(self, team_id: uuid.UUID) -> bool:
        return bool(
            (
                await self.session.execute(
                    select(exists().where(Team.id == team_id, Team.deleted_at.is_(None)))
                )
            ).scalar_one()
        )

    async def in_subtree(self, root: uuid.UUID, candidate: uuid.UUID) -> bool:
        return bool(
            (
                await self.session.execute(
                    select(exists().where(team_subtree(root).subquery().c.id == candidate))
                )
            ).scalar_one()
        )

    async def has_members_or_children(self, team_id: uuid.UUID) -> bool:
        members = exists().where(User.team_id == team_id, User.deleted_at.is_(None))
        children = exists().where(Team.parent_id == team_id, Team.deleted_at.is_(None))
        return bool((await self.session.execute(select(members | children))).scalar_one())
