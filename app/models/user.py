from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Index, String, func, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import (
    Base,
    IdMixin,
    TenantEntity,
    WorkspaceMixin,
    tenant_fk,
)


class Team(TenantEntity, Base):
    """A node of the workspace's team tree; `team` data scope covers a node and its subtree."""

    __tablename__ = "teams"
    __table_args__ = (
        tenant_fk(["parent_id"], "teams"),
        Index("ix_teams_workspace_id_parent_id", "workspace_id", "parent_id"),
    )

    __scope_module__ = "settings"

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)


class User(TenantEntity, Base):
    __tablename__ = "users"
    __table_args__ = (
        tenant_fk(["team_id"], "teams", ondelete="SET NULL"),
        Index(
            "uq_users_workspace_id_email", "workspace_id", func.lower(text("email")), unique=True
        ),
        Index("ix_users_workspace_id_team_id", "workspace_id", "team_id"),
        # the one index not led by workspace_id: sign-in finds a user by e-mail alone
        Index("ix_users_email_lower", func.lower(text("email"))),
    )
    __scope_module__ = "settings"

    email: Mapped[str] = mapped_column(String(254), nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    team_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    locale: Mapped[str | None] = mapped_column(String(10), nullable=True)
    last_login_at: Mapped[datetime | None] = mapped_column(nullable=True)


class UserSession(WorkspaceMixin, IdMixin, Base):
    """A browser session: the cookie carries `<workspace id>.<secret>`, the row its hash."""

    __tablename__ = "user_sessions"
    __table_args__ = (
        tenant_fk(["user_id"], "users", ondelete="CASCADE"),
        Index(
            "uq_user_sessions_workspace_id_token_hash", "workspace_id", "token_hash", unique=True
        ),
        Index("ix_user_sessions_workspace_id_expires_at", "workspace_id", "expires_at"),
        Index("ix_user_sessions_workspace_id_user_id", "workspace_id", "user_id"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    csrf_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(300), nullable=True)


class ApiKey(WorkspaceMixin, IdMixin, Base):
    """An integration key: `rpk_<workspace hex>_<secret>`; acts as its user, narrowed by scopes."""

    __tablename__ = "api_keys"
    __table_args__ = (
        tenant_fk(["user_id"], "users", ondelete="CASCADE"),
        Index("uq_api_keys_workspace_id_key_hash", "workspace_id", "key_hash", unique=True),
        Index("ix_api_keys_workspace_id_user_id", "workspace_id", "user_id"),
    )

    __scope_module__ = "settings"

    user_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    prefix: Mapped[str] = mapped_column(String(24), nullable=False)
    key_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


class LoginFailure(IdMixin, Base):
    """Failed sign-in attempts, keyed by `email:<address>` or `ip:<address>`.

    Not a tenant table: a failed attempt belongs to no workspace yet.
    """

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_occurred_at", "key", "occurred_at"),)

    key: Mapped[str] = mapped_column(String(320), nullable=False)
    occurred_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
