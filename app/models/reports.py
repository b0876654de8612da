"""Periodic reports (日报 / 周报 / 月报) per rep and per team, and the indexes the pipeline
analytics read deals through."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, Index, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, IdMixin, VersionMixin, WorkspaceMixin, tenant_fk
from app.core.principal import Principal, Scope

REPORT_KINDS = ("daily", "weekly", "monthly")
SUBJECT_KINDS = ("user", "team")


class Report(WorkspaceMixin, IdMixin, VersionMixin, Base):
    """One report: what a rep (or a team subtree) did in one day, ISO week or month of the
    workspace's calendar. One row per (kind, subject, period); regenerating replaces the
    content and bumps the version."""

    __tablename__ = "reports"
    __table_args__ = (
        tenant_fk(["user_id"], "users", ondelete="CASCADE"),
        tenant_fk(["team_id"], "teams", ondelete="CASCADE"),
        Index(
            "uq_reports_user_period",
            "workspace_id",
            "user_id",
            "kind",
            "period_start",
            unique=True,
            postgresql_where=text("user_id IS NOT NULL"),
        ),
        Index(
            "uq_reports_team_period",
            "workspace_id",
            "team_id",
            "kind",
            "period_start",
            unique=True,
            postgresql_where=text("team_id IS NOT NULL"),
        ),
        Index("ix_reports_workspace_id_period_start", "workspace_id", "period_start", "id"),
        CheckConstraint("kind IN ('daily', 'weekly', 'monthly')", name="kind"),
        CheckConstraint(
            "(subject_kind = 'user' AND user_id IS NOT NULL AND team_id IS NULL) OR "
            "(subject_kind = 'team' AND team_id IS NOT NULL AND user_id IS NULL)",
            name="subject",
        ),
        CheckConstraint("period_end > period_start", name="period"),
    )
    __scope_module__ = "analytics"
    # a rep's reports are theirs; a manager also sees the team reports of their subtree
    __owner_column__ = "user_id"

    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    subject_kind: Mapped[str] = mapped_column(String(10), nullable=False)
    user_id: Mapped[uuid.UUID | None] = mapped_column()
    team_id: Mapped[uuid.UUID | None] = mapped_column()
    #: the rep's or team's name when the report was generated
    subject_name: Mapped[str] = mapped_column(String(200), nullable=False)
    #: the period label (`2026-12-01`, `2026-W49`, `2026-12`)
    period: Mapped[str] = mapped_column(String(10), nullable=False)
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    #: the first day after the period
    period_end: Mapped[date] = mapped_column(Date, nullable=False)
    time_zone: Mapped[str] = mapped_column(String(64), nullable=False)
    content: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    generated_at: Mapped[datetime] = mapped_column(nullable=False, server_default=func.now())
    #: who asked for it on demand; null for the scheduled job
    generated_by: Mapped[uuid.UUID | None] = mapped_column()

    @property
    def subject_id(self) -> uuid.UUID:
        subject = self.user_id or self.team_id
        assert subject is not None
        return subject

    @classmethod
    def scope_grants(cls, principal: Any, *, for_write: bool) -> Any:
        """Team reports of the manager's team subtree (the rep scope sees only its own)."""
        from app.core.scope import team_subtree

        assert isinstance(principal, Principal)
        if principal.scope("analytics") is not Scope.team or principal.team_id is None:
            return None
        return cls.team_id.in_(team_subtree(principal.team_id, "report_teams"))
