"""Sales targets (目标): a number to reach per person, team or the whole workspace, for a
month, quarter or year."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Date, Index, Integer, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, TenantEntity, WorkspaceMixin, tenant_fk

TARGET_METRICS = ("won_amount", "payments_received", "new_customers", "follow_ups")
#: metrics measured in money (a currency beside the value); the others count rows
MONEY_METRICS = ("won_amount", "payments_received")
TARGET_PERIOD_KINDS = ("month", "quarter", "year")
SUBJECT_KINDS = ("user", "team", "workspace")


class Target(TenantEntity, Base):
    """One target: subject × period × metric, unique among the live rows.

    The subject is a user (`user_id`), a team (`team_id`, its whole subtree counts) or the
    workspace (neither). The period is stored as its kind and first day; `period_end` is
    the first day after it, so the row is self-describing for SQL.
    """

    __tablename__ = "targets"
    __table_args__ = (
        tenant_fk(["user_id"], "users", ondelete="CASCADE"),
        tenant_fk(["team_id"], "teams", ondelete="CASCADE"),
        Index(
            "uq_targets_subject_period_metric",
            "workspace_id",
            "period_start",
            "period_kind",
            "metric",
            "subject_kind",
            text("coalesce(user_id, team_id, workspace_id)"),
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index("ix_targets_workspace_id_period", "workspace_id", "period_start", "period_kind"),
        Index("ix_targets_workspace_id_user_id", "workspace_id", "user_id"),
        Index("ix_targets_workspace_id_team_id", "workspace_id", "team_id"),
        Index("ix_targets_workspace_id_created_at", "workspace_id", "created_at", "id"),
        CheckConstraint(
            "(subject_kind = 'user' AND user_id IS NOT NULL AND team_id IS NULL)"
            " OR (subject_kind = 'team' AND team_id IS NOT NULL AND user_id IS NULL)"
            " OR (subject_kind = 'workspace' AND user_id IS NULL AND team_id IS NULL)",
            name="subject",
        ),
        CheckConstraint("period_kind IN ('month', 'quarter', 'year')", name="period_kind"),
        CheckConstraint("period_end > period_start", name="period"),
        CheckConstraint(
            "metric IN ('won_amount', 'payments_received', 'new_customers', 'follow_ups')",
            name="metric",
        ),
        CheckConstraint("target_value > 0", name="target_value_positive"),
        CheckConstraint(
            "(metric IN ('won_amount', 'payments_received')) = (currency IS NOT NULL)",
            name="currency_for_money",
        ),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
    )
    __scope_module__ = "analytics"
    # a person's target is in scope like anything they own; team targets through grants
    __owner_column__ = "user_id"

    subject_kind: Mapped[str] = mapped_column(String(10), nullable=False)
    user_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    team_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    period_kind: Mapped[str] = mapped_column(String(10), nullable=False)
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    period_end: Mapped[date] = mapped_column(Date, nullable=False)
    metric: Mapped[str] = mapped_column(String(30), nullable=False)
    target_value: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
    #: ISO 4217 code for money metrics, null for counts
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)

    @classmethod
    def scope_grants(cls, principal: Any, *, for_write: bool) -> Any:
        """A team-scoped principal (a manager) also sees and sets the targets of the teams of
        their subtree; people with their own scope only see their own targets."""
        from app.core.principal import Scope
        from app.core.scope import team_subtree

        if principal.scope(cls.__scope_module__) is not Scope.team or principal.team_id is None:
            return None
        return cls.team_id.in_(team_subtree(principal.team_id, "target_team_tree"))


#: the author key of follow-ups without an author (a primary key holds no NULL)
NO_AUTHOR = uuid.UUID(int=0)


class ActivityDayCount(WorkspaceMixin, Base):
    """Live follow-ups per author and day (the workspace's calendar day) by kind: what
    targets and leaderboards add up instead of counting millions of activities.

    Written only by the statement triggers on `activities` (migration
    `targets_commission`, ADR 8) in the transaction that changes them; rebuilt for a
    workspace by `rapport_rebuild_derived` and whenever its time zone changes. Read under
    the caller's data scope through `author_id` like the follow-ups themselves.
    """

    __tablename__ = "activity_day_counts"
    __table_args__ = (
        # follow-ups and visits per author over a range of days: index-only
        Index(
            "ix_activity_day_counts_workspace_id_day",
            "workspace_id",
            "day",
            postgresql_include=["author_id", "total", "visits"],
        ),
    )
    __scope_module__ = "analytics"
    __owner_column__ = "author_id"

    #: NO_AUTHOR for follow-ups without an author
    author_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    calls: Mapped[int] = mapped_column(Integer, nullable=False)
    visits: Mapped[int] = mapped_column(Integer, nullable=False)
    meetings: Mapped[int] = mapped_column(Integer, nullable=False)
    emails: Mapped[int] = mapped_column(Integer, nullable=False)
    wechats: Mapped[int] = mapped_column(Integer, nullable=False)
    notes: Mapped[int] = mapped_column(Integer, nullable=False)
    return_visits: Mapped[int] = mapped_column(Integer, nullable=False)
    #: every kind, those without a column of their own included
    total: Mapped[int] = mapped_column(Integer, nullable=False)
