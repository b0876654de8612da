"""Public pools (公海): where customers without an owner wait to be claimed."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Boolean, Index, String, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, TenantEntity


class Pool(TenantEntity, Base):
    __tablename__ = "pools"
    __table_args__ = (
        Index(
            "uq_pools_workspace_id_name",
            "workspace_id",
            "name",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index(
            "uq_pools_workspace_id_default",
            "workspace_id",
            unique=True,
            postgresql_where=text("is_default AND deleted_at IS NULL"),
        ),
    )
    __scope_module__ = "pools"

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(String(500))
    #: teams (with their sub-teams) whose members see and claim from this pool; empty = all
    member_team_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(Base.type_annotation_map[uuid.UUID]), nullable=False, default=list
    )
    is_default: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    #: holding cap, daily claim limit, cool-down, masking, reclaim periods (see schemas.PoolRules)
    rules: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
