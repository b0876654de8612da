"""Customer value (客户价值): each buyer's current RFM scores, the history of its tier and
the recompute runs that produced them.

The scores live in their own narrow table keyed by (workspace, customer) rather than as
columns of `customers`: the nightly recompute rewrites the rows whose values changed, and
doing that on the wide, many-indexed customers table (trigram and CJK GIN indexes) would
turn every such write into a non-HOT update of all its indexes and bloat the table the
customer list reads. A customer without a row has never bought (its `rfm` is null).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, IdMixin, WorkspaceMixin, tenant_fk
from app.models.customer import Customer

RUN_STATUSES = ("queued", "running", "succeeded", "failed")
RUN_TRIGGERS = ("nightly", "manual", "settings", "demo")


class CustomerRfm(WorkspaceMixin, Base):
    """A buyer's scores as of the workspace's last successful run (`RfmRun.finished_at`).

    Purchase facts are stored rather than "days since": a date does not change from one
    night to the next, so a run rewrites only the customers whose scores or purchases moved.
    """

    __tablename__ = "customer_rfm"
    __table_args__ = (
        tenant_fk(["customer_id"], "customers", ondelete="CASCADE"),
        # tier filter of the customer list, tier counts, rules (pool exemption, SLA)
        Index("ix_customer_rfm_workspace_id_tier", "workspace_id", "tier", "customer_id"),
        # the cube and tier counts of an owner, a team's owners or everyone: an index-only
        # scan groups them without visiting the table
        Index(
            "ix_customer_rfm_workspace_id_owner",
            "workspace_id",
            "owner_id",
            "r",
            "f",
            "m",
            postgresql_include=["customer_id", "tier", "amount"],
        ),
        # churn risk, most valuable first
        Index("ix_customer_rfm_workspace_id_score", "workspace_id", "score", "customer_id"),
        CheckConstraint(
            "r BETWEEN 1 AND 5 AND f BETWEEN 1 AND 5 AND m BETWEEN 1 AND 5", name="scores"
        ),
        CheckConstraint("purchases >= 0 AND purchase_days >= 1", name="counts"),
    )
    __scope_module__ = "analytics"
    __owner_column__ = "owner_id"

    customer_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    #: the customer's owner, kept current by a trigger on customers (so scoped aggregates
    #: need not join a million customers) and rewritten by every run
    owner_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    r: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    f: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    m: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    #: r × weight_r + f × weight_f + m × weight_m
    score: Mapped[int] = mapped_column(Integer, nullable=False)
    tier: Mapped[str] = mapped_column(String(40), nullable=False)
    #: since when the customer is in `tier` (the run that moved it there)
    tier_since: Mapped[datetime] = mapped_column(nullable=False)
    #: first and last purchase day (workspace time zone), over all history
    first_purchase_on: Mapped[date] = mapped_column(Date, nullable=False)
    last_purchase_on: Mapped[date] = mapped_column(Date, nullable=False)
    #: purchases within the settings' window (F)
    purchases: Mapped[int] = mapped_column(Integer, nullable=False)
    #: amount within the window in the settings' currency (M)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    #: distinct purchase days over all history, and the median gap between consecutive ones
    #: (null below three purchase days): the customer's own buying rhythm, for churn risk
    purchase_days: Mapped[int] = mapped_column(Integer, nullable=False)
    median_gap_days: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    #: when a run last changed this row
    updated_at: Mapped[datetime] = mapped_column(nullable=False, server_default=func.now())


class CustomerRfmChange(WorkspaceMixin, IdMixin, Base):
    """A customer's tier changed in a run (from null: first scored; to null: no longer a
    buyer, e.g. its only orders were cancelled)."""

    __tablename__ = "customer_rfm_changes"
    __table_args__ = (
        tenant_fk(["customer_id"], "customers", ondelete="CASCADE"),
        Index(
            "ix_customer_rfm_changes_workspace_id_customer",
            "workspace_id",
            "customer_id",
            "changed_at",
            "id",
        ),
    )
    __scope_module__ = "analytics"
    __scope_parent__ = ("customer_id", Customer)

    customer_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    #: the run that recorded it; a plain reference, not a foreign key: runs are only ever
    #: deleted with their workspace, and a first run writes a row per buyer (at a million
    #: buyers the per-row check cost seconds)
    run_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    from_tier: Mapped[str | None] = mapped_column(String(40))
    to_tier: Mapped[str | None] = mapped_column(String(40))
    #: the scores that put it in `to_tier` (null when it left scoring)
    score: Mapped[int | None] = mapped_column(Integer)
    r: Mapped[int | None] = mapped_column(SmallInteger)
    f: Mapped[int | None] = mapped_column(SmallInteger)
    m: Mapped[int | None] = mapped_column(SmallInteger)
    changed_at: Mapped[datetime] = mapped_column(nullable=False)


class RfmRun(WorkspaceMixin, IdMixin, Base):
    """One recompute of a workspace's scores: queued by a request, the nightly job or a
    settings change, then run by the worker; what clients poll after `POST .../recompute`."""

    __tablename__ = "rfm_runs"
    __table_args__ = (
        tenant_fk(["requested_by"], "users", ondelete="SET NULL"),
        Index("ix_rfm_runs_workspace_id_requested_at", "workspace_id", "requested_at", "id"),
        # the latest successful run: what `computed_at` of every score refers to
        Index(
            "ix_rfm_runs_workspace_id_finished",
            "workspace_id",
            "finished_at",
            postgresql_where=text("status = 'succeeded'"),
        ),
        Index(
            "ix_rfm_runs_workspace_id_requested_by",
            "workspace_id",
            "requested_by",
            postgresql_where=text("requested_by IS NOT NULL"),
        ),
        CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed')", name="status"),
        CheckConstraint("trigger IN ('nightly', 'manual', 'settings', 'demo')", name="trigger"),
    )
    __scope_module__ = "analytics"

    status: Mapped[str] = mapped_column(String(12), nullable=False, default="queued")
    trigger: Mapped[str] = mapped_column(String(12), nullable=False)
    requested_by: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    requested_at: Mapped[datetime] = mapped_column(nullable=False, server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    #: the workspace's date the run scored against ("today" for recency and the window)
    as_of: Mapped[date | None] = mapped_column(Date)
    customers: Mapped[int | None] = mapped_column(Integer)
    changed: Mapped[int | None] = mapped_column(Integer)
    tier_changes: Mapped[int | None] = mapped_column(Integer)
    removed: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    #: the settings the run applied
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class PurchaseSums:
    """Orders (amount, count) and payments received (amount, count) of a day."""

    orders_amount: Mapped[Decimal] = mapped_column(Numeric(20, 2), nullable=False)
    orders: Mapped[int] = mapped_column(Integer, nullable=False)
    payments_amount: Mapped[Decimal] = mapped_column(Numeric(20, 2), nullable=False)
    payments: Mapped[int] = mapped_column(Integer, nullable=False)


#: what the value analytics read of a purchase day: its indexes serve them index-only
_PURCHASE_DAY_COLUMNS = [
    "customer_id",
    "currency",
    "live",
    "orders_amount",
    "orders",
    "payments_amount",
    "payments",
]


class PurchaseDay(PurchaseSums, WorkspaceMixin, Base):
    """What a customer bought on one calendar day of the workspace, per currency: orders
    (paid, shipped, completed; by order time) and payments received (not voided, on live
    contracts), with the customer's current owner and whether it is out of the recycle bin.

    Pareto, key accounts and cohorts read these instead of millions of orders and payments,
    and team scope is a filter on `owner_id` rather than a join with a million customers.
    Written only by the statement triggers on orders, payments and contracts and the row
    trigger on customers (migration `purchase_days`, ADR 8); rebuilt for a workspace by
    `rapport_rebuild_derived` and whenever its time zone changes. Like the RFM scores, a
    customer counts for its owner (account-team collaborators do not widen analytics).
    """

    __tablename__ = "purchase_days"
    __table_args__ = (
        tenant_fk(["customer_id"], "customers", ondelete="CASCADE"),
        # a period for everyone: index-only
        Index(
            "ix_purchase_days_workspace_id_day",
            "workspace_id",
            "day",
            postgresql_include=_PURCHASE_DAY_COLUMNS,
        ),
        # a period for an owner or a team's owners: index-only
        Index(
            "ix_purchase_days_workspace_id_owner_day",
            "workspace_id",
            "owner_id",
            "day",
            postgresql_include=_PURCHASE_DAY_COLUMNS,
        ),
    )
    __scope_module__ = "analytics"
    __owner_column__ = "owner_id"

    customer_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    #: the customer is not in the recycle bin
    live: Mapped[bool] = mapped_column(nullable=False)


class PurchaseOwnerDay(PurchaseSums, WorkspaceMixin, Base):
    """`purchase_days` of live customers added up per owner (NO_OWNER for the pools), day
    and currency: the revenue trend of a year reads a few thousand rows. Kept by a
    statement trigger on `purchase_days`, so it follows every change the other does."""

    __tablename__ = "purchase_owner_days"
    __table_args__ = (
        Index(
            "ix_purchase_owner_days_workspace_id_day",
            "workspace_id",
            "day",
            postgresql_include=["owner_id", "currency", "orders_amount", "payments_amount"],
        ),
    )
    __scope_module__ = "analytics"
    __owner_column__ = "owner_id"

    #: NO_OWNER for customers in a pool
    owner_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
