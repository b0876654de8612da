"""Leads (线索), campaigns, assignment rules and public web forms."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, Index, Integer, Numeric, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, TenantEntity, tenant_fk


class Campaign(TenantEntity, Base):
    __tablename__ = "campaigns"
    __table_args__ = (Index("ix_campaigns_workspace_id_name", "workspace_id", "name", "id"),)
    __scope_module__ = "leads"

    name: Mapped[str] = mapped_column(String(150), nullable=False)
    channel: Mapped[str | None] = mapped_column(String(60))
    budget: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    actual_cost: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="CNY")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="planned")


class Lead(TenantEntity, Base):
    __tablename__ = "leads"
    __table_args__ = (
        tenant_fk(["owner_id"], "users", ondelete="SET NULL"),
        tenant_fk(["campaign_id"], "campaigns", ondelete="SET NULL"),
        Index("ix_leads_workspace_id_owner_status", "workspace_id", "owner_id", "status"),
        Index("ix_leads_workspace_id_updated_at", "workspace_id", "updated_at", "id"),
        Index("ix_leads_workspace_id_created_at", "workspace_id", "created_at", "id"),
        Index("ix_leads_workspace_id_campaign", "workspace_id", "campaign_id"),
        Index(
            "ix_leads_phones_normalized",
            "workspace_id",
            "phones_normalized",
            postgresql_using="gin",
        ),
        Index(
            "uq_leads_workspace_id_external",
            "workspace_id",
            "external_source",
            "external_id",
            unique=True,
            postgresql_where=text("external_id IS NOT NULL AND deleted_at IS NULL"),
        ),
    )
    __scope_module__ = "leads"
    __owner_column__ = "owner_id"

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    company: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(100))
    phones: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    phones_normalized: Mapped[list[str]] = mapped_column(
        ARRAY(String(20)), nullable=False, default=list
    )
    email: Mapped[str | None] = mapped_column(String(254))
    province: Mapped[str | None] = mapped_column(String(50))
    city: Mapped[str | None] = mapped_column(String(50))
    source: Mapped[str | None] = mapped_column(String(100))
    campaign_id: Mapped[uuid.UUID | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="new")
    owner_id: Mapped[uuid.UUID | None] = mapped_column()
    score: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    assigned_rule_id: Mapped[uuid.UUID | None] = mapped_column()
    assignment_note: Mapped[str | None] = mapped_column(String(500))
    converted_customer_id: Mapped[uuid.UUID | None] = mapped_column()
    converted_at: Mapped[datetime | None] = mapped_column()
    external_source: Mapped[str | None] = mapped_column(String(60))
    external_id: Mapped[str | None] = mapped_column(String(120))


class AssignmentRule(TenantEntity, Base):
    """One ordered rule: conditions, a strategy over users, and the strategy's state."""

    __tablename__ = "assignment_rules"
    __table_args__ = (
        Index("ix_assignment_rules_workspace_id_position", "workspace_id", "position"),
    )
    __scope_module__ = "leads"

    name: Mapped[str] = mapped_column(String(150), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    strategy: Mapped[str] = mapped_column(String(20), nullable=False)
    user_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(Base.type_annotation_map[uuid.UUID]), nullable=False, default=list
    )
    team_id: Mapped[uuid.UUID | None] = mapped_column()
    weights: Mapped[dict[str, int]] = mapped_column(JSONB, nullable=False, default=dict)
    capacity: Mapped[int | None] = mapped_column(Integer)
    #: round-robin position / smooth-weighted counters; only changed under the row lock
    state: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)


class WebForm(TenantEntity, Base):
    """A public lead form: `POST /public/forms/{token}/leads` without login."""

    __tablename__ = "web_forms"
    __table_args__ = (Index("uq_web_forms_token", "token", unique=True),)
    __scope_module__ = "leads"

    name: Mapped[str] = mapped_column(String(150), nullable=False)
    token: Mapped[str] = mapped_column(String(64), nullable=False)
    source: Mapped[str] = mapped_column(String(100), nullable=False, default="web form")
    campaign_id: Mapped[uuid.UUID | None] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class PublicSubmission(Base):
    """Rate-limit ledger of public form posts per client address (not a tenant table)."""

    __tablename__ = "public_submissions"
    __table_args__ = (Index("ix_public_submissions_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    at: Mapped[datetime] = mapped_column(server_default=text("now()"), nullable=False)
