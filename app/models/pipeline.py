"""Sales pipelines (商机): pipelines and their stages, opportunities with line items and
stage history, the product catalogue and the lost-reason list."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, IdMixin, TenantEntity, WorkspaceMixin, tenant_fk


class Pipeline(TenantEntity, Base):
    __tablename__ = "pipelines"
    __table_args__ = (
        Index(
            "uq_pipelines_workspace_id_name",
            "workspace_id",
            "name",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index(
            "uq_pipelines_workspace_id_default",
            "workspace_id",
            unique=True,
            postgresql_where=text("is_default AND deleted_at IS NULL"),
        ),
        Index("ix_pipelines_workspace_id_position", "workspace_id", "position", "id"),
    )
    __scope_module__ = "opportunities"

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(String(500))
    #: where new deals (and deals from converted leads) go when no pipeline is named
    is_default: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class PipelineStage(TenantEntity, Base):
    __tablename__ = "pipeline_stages"
    __table_args__ = (
        # no cascade: a binned pipeline is purged only once nothing points at its stages
        tenant_fk(["pipeline_id"], "pipelines"),
        Index(
            "ix_pipeline_stages_workspace_id_pipeline", "workspace_id", "pipeline_id", "position"
        ),
        CheckConstraint("probability BETWEEN 0 AND 100", name="probability"),
        CheckConstraint("kind IN ('open', 'won', 'lost')", name="kind"),
        CheckConstraint("rotting_days IS NULL OR rotting_days > 0", name="rotting_days"),
    )
    __scope_module__ = "opportunities"

    pipeline_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    name_zh: Mapped[str] = mapped_column(String(60), nullable=False)
    name_en: Mapped[str] = mapped_column(String(60), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: default win probability (%) of deals in this stage
    probability: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    kind: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    #: a deal sitting longer than this in the stage is rotting; null = never
    rotting_days: Mapped[int | None] = mapped_column(Integer)


class LostReason(TenantEntity, Base):
    __tablename__ = "lost_reasons"
    __table_args__ = (Index("ix_lost_reasons_workspace_id_position", "workspace_id", "position"),)
    __scope_module__ = "opportunities"

    label_zh: Mapped[str] = mapped_column(String(100), nullable=False)
    label_en: Mapped[str] = mapped_column(String(100), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class Product(TenantEntity, Base):
    __tablename__ = "products"
    __table_args__ = (
        Index(
            "uq_products_workspace_id_sku",
            "workspace_id",
            "sku",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index("ix_products_workspace_id_name", "workspace_id", "name", "id"),
        Index(
            "uq_products_workspace_id_external",
            "workspace_id",
            "external_source",
            "external_id",
            unique=True,
            postgresql_where=text("external_id IS NOT NULL AND deleted_at IS NULL"),
        ),
        CheckConstraint("list_price >= 0", name="list_price"),
    )
    __scope_module__ = "opportunities"

    sku: Mapped[str] = mapped_column(String(60), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    category: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(20))
    list_price: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="CNY")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    description: Mapped[str | None] = mapped_column(Text)
    external_source: Mapped[str | None] = mapped_column(String(60))
    external_id: Mapped[str | None] = mapped_column(String(120))


#: the partial-index predicate of deals that are still being worked
OPEN_DEAL = "status = 'open' AND deleted_at IS NULL"
CLOSED_DEAL = "status <> 'open' AND deleted_at IS NULL"


class Opportunity(TenantEntity, Base):
    __tablename__ = "opportunities"
    __table_args__ = (
        tenant_fk(["customer_id"], "customers", ondelete="CASCADE"),
        tenant_fk(["contact_id"], "contacts", ondelete="SET NULL"),
        tenant_fk(["pipeline_id"], "pipelines"),
        tenant_fk(["stage_id"], "pipeline_stages"),
        tenant_fk(["owner_id"], "users", ondelete="SET NULL"),
        tenant_fk(["campaign_id"], "campaigns", ondelete="SET NULL"),
        tenant_fk(["lead_id"], "leads", ondelete="SET NULL"),
        # no SET NULL: the purge keeps a binned lost reason while deals still name it
        tenant_fk(["lost_reason_id"], "lost_reasons"),
        # the board: one index range per column, newest first, covering the totals
        Index(
            "ix_opportunities_board_open",
            "workspace_id",
            "pipeline_id",
            "stage_id",
            "updated_at",
            "id",
            postgresql_include=["amount", "currency", "probability", "owner_id"],
            postgresql_where=text(OPEN_DEAL),
        ),
        # the board of one rep (own scope, owner filter): the same, per owner
        Index(
            "ix_opportunities_board_owner",
            "workspace_id",
            "owner_id",
            "pipeline_id",
            "stage_id",
            "updated_at",
            "id",
            postgresql_include=["amount", "currency", "probability"],
            postgresql_where=text(OPEN_DEAL),
        ),
        # won/lost columns: newest first within their time window, covering their totals
        Index(
            "ix_opportunities_board_closed",
            "workspace_id",
            "pipeline_id",
            "stage_id",
            "updated_at",
            "id",
            postgresql_include=[
                "stage_entered_at",
                "amount",
                "currency",
                "probability",
                "owner_id",
            ],
            postgresql_where=text(CLOSED_DEAL),
        ),
        Index("ix_opportunities_workspace_id_stage", "workspace_id", "stage_id"),
        Index("ix_opportunities_workspace_id_pipeline", "workspace_id", "pipeline_id"),
        Index("ix_opportunities_workspace_id_customer", "workspace_id", "customer_id", "status"),
        Index(
            "ix_opportunities_workspace_id_contact",
            "workspace_id",
            "contact_id",
            postgresql_where=text("contact_id IS NOT NULL"),
        ),
        Index("ix_opportunities_workspace_id_owner", "workspace_id", "owner_id", "status"),
        Index(
            "ix_opportunities_workspace_id_campaign",
            "workspace_id",
            "campaign_id",
            postgresql_where=text("campaign_id IS NOT NULL"),
        ),
        Index(
            "ix_opportunities_workspace_id_lead",
            "workspace_id",
            "lead_id",
            postgresql_where=text("lead_id IS NOT NULL"),
        ),
        Index(
            "ix_opportunities_workspace_id_lost_reason",
            "workspace_id",
            "lost_reason_id",
            postgresql_where=text("lost_reason_id IS NOT NULL"),
        ),
        Index("ix_opportunities_workspace_id_updated_at", "workspace_id", "updated_at", "id"),
        Index("ix_opportunities_workspace_id_created_at", "workspace_id", "created_at", "id"),
        Index(
            "uq_opportunities_workspace_id_external",
            "workspace_id",
            "external_source",
            "external_id",
            unique=True,
            postgresql_where=text("external_id IS NOT NULL AND deleted_at IS NULL"),
        ),
        Index(
            "ix_opportunities_custom_fields",
            "workspace_id",
            "custom_fields",
            postgresql_using="gin",
            postgresql_ops={"custom_fields": "jsonb_path_ops"},
        ),
        CheckConstraint("amount >= 0", name="amount"),
        CheckConstraint("probability BETWEEN 0 AND 100", name="probability"),
        CheckConstraint("status IN ('open', 'won', 'lost')", name="status"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
    )
    __scope_module__ = "opportunities"
    __owner_column__ = "owner_id"

    customer_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    contact_id: Mapped[uuid.UUID | None] = mapped_column()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="CNY")
    expected_close_date: Mapped[date | None] = mapped_column(Date)
    pipeline_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    stage_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    #: open / won / lost: the kind of the current stage, kept here for the partial indexes
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    probability: Mapped[int] = mapped_column(Integer, nullable=False)
    #: true once someone set the probability by hand; otherwise it follows the stage
    probability_manual: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    #: the stages the deal has ever been in (id order); added to by a trigger whenever the
    #: stage changes (migration `funnel_reach`), read by the funnel, never set by the app
    visited_stages: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(Uuid()), nullable=False, server_default=text("'{}'")
    )
    #: when the deal entered its current stage (rotting clock, time in stage)
    stage_entered_at: Mapped[datetime] = mapped_column(nullable=False, server_default=func.now())
    owner_id: Mapped[uuid.UUID | None] = mapped_column()
    source: Mapped[str | None] = mapped_column(String(100))
    campaign_id: Mapped[uuid.UUID | None] = mapped_column()
    lead_id: Mapped[uuid.UUID | None] = mapped_column()
    lost_reason_id: Mapped[uuid.UUID | None] = mapped_column()
    lost_note: Mapped[str | None] = mapped_column(Text)
    won_at: Mapped[datetime | None] = mapped_column()
    lost_at: Mapped[datetime | None] = mapped_column()
    notes: Mapped[str | None] = mapped_column(Text)
    #: amount is the sum of the line totals while the deal has line items
    has_items: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    external_source: Mapped[str | None] = mapped_column(String(60))
    external_id: Mapped[str | None] = mapped_column(String(120))


#: the owner key of unowned deals in the board totals (a primary key holds no NULL)
NO_OWNER = uuid.UUID(int=0)


# --- indexes the pipeline analytics (app/analytics/sales) read deals through ------------
# Covering partial indexes, one per time axis, so a month of a 300k-deal workspace is read
# from the index alone: open deals by expected close month (forecast, coverage), won deals
# by won_at (forecast, cycle length, ROI), lost deals by lost_at (lost reasons) and the
# creation cohort (funnel).
_DEAL_COLUMNS = ["owner_id", "pipeline_id", "currency", "amount"]

Index(
    "ix_opportunities_forecast_open",
    Opportunity.workspace_id,
    Opportunity.expected_close_date,
    postgresql_include=[*_DEAL_COLUMNS, "probability"],
    postgresql_where=text("status = 'open' AND deleted_at IS NULL"),
)
Index(
    "ix_opportunities_won_at",
    Opportunity.workspace_id,
    Opportunity.won_at,
    postgresql_include=[*_DEAL_COLUMNS, "created_at", "campaign_id"],
    postgresql_where=text("status = 'won' AND deleted_at IS NULL"),
)
Index(
    "ix_opportunities_created_live",
    Opportunity.workspace_id,
    Opportunity.created_at,
    postgresql_include=["owner_id", "pipeline_id", "status", "stage_id", "visited_stages"],
    postgresql_where=text("deleted_at IS NULL"),
)
Index(
    "ix_opportunities_lost_at",
    Opportunity.workspace_id,
    Opportunity.lost_at,
    postgresql_include=[*_DEAL_COLUMNS, "lost_reason_id"],
    postgresql_where=text("status = 'lost' AND deleted_at IS NULL"),
)


class OpportunityBoardTotal(WorkspaceMixin, Base):
    """Open deals per pipeline, stage, owner and currency: what the board's column totals
    add up. Written only by the statement triggers on `opportunities` (migration
    `cash_speed`, ADR 8), in the transaction that changes the deals; read within the
    caller's scope through `owner_id` like the deals themselves."""

    __tablename__ = "opportunity_board_totals"
    __scope_module__ = "opportunities"
    __owner_column__ = "owner_id"

    pipeline_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    stage_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    #: NO_OWNER for deals without an owner
    owner_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    deals: Mapped[int] = mapped_column(BigInteger, nullable=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(20, 2), nullable=False)
    #: sum of amount × probability (percent), exact
    weighted: Mapped[Decimal] = mapped_column(Numeric(24, 2), nullable=False)


class OpportunityItem(WorkspaceMixin, IdMixin, Base):
    """A line item: quantity × unit price × (1 − discount %), rounded half-up to cents."""

    __tablename__ = "opportunity_items"
    __table_args__ = (
        tenant_fk(["opportunity_id"], "opportunities", ondelete="CASCADE"),
        tenant_fk(["product_id"], "products", ondelete="SET NULL"),
        Index(
            "ix_opportunity_items_workspace_id_opportunity",
            "workspace_id",
            "opportunity_id",
            "position",
        ),
        Index(
            "ix_opportunity_items_workspace_id_product",
            "workspace_id",
            "product_id",
            postgresql_where=text("product_id IS NOT NULL"),
        ),
        CheckConstraint("quantity >= 0", name="quantity"),
        CheckConstraint("unit_price >= 0", name="unit_price"),
        CheckConstraint("discount BETWEEN 0 AND 100", name="discount"),
        CheckConstraint("line_total >= 0", name="line_total"),
    )
    __scope_module__ = "opportunities"
    __scope_parent__ = ("opportunity_id", Opportunity)

    opportunity_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    product_id: Mapped[uuid.UUID | None] = mapped_column()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4), nullable=False)
    unit: Mapped[str | None] = mapped_column(String(20))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)
    #: percent off, 0–100
    discount: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False, default=Decimal(0))
    line_total: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)


class OpportunityStageVisit(WorkspaceMixin, IdMixin, Base):
    """Stage history: one row per stay of a deal in a stage (left_at null = current)."""

    __tablename__ = "opportunity_stage_history"
    __table_args__ = (
        tenant_fk(["opportunity_id"], "opportunities", ondelete="CASCADE"),
        # no cascade: history outlives its stage (the purge keeps stages history names)
        tenant_fk(["stage_id"], "pipeline_stages"),
        Index(
            "ix_opportunity_stage_history_opportunity",
            "workspace_id",
            "opportunity_id",
            "entered_at",
        ),
        Index("ix_opportunity_stage_history_stage", "workspace_id", "stage_id", "entered_at"),
        CheckConstraint("left_at IS NULL OR left_at >= entered_at", name="left_after_entered"),
    )
    __scope_module__ = "opportunities"
    __scope_parent__ = ("opportunity_id", Opportunity)

    opportunity_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    stage_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    entered_at: Mapped[datetime] = mapped_column(nullable=False)
    left_at: Mapped[datetime | None] = mapped_column()
    moved_by: Mapped[uuid.UUID | None] = mapped_column()
