"""Commission plans (提成方案): what share of the money received a rep earns."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Index, Integer, Numeric, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, TenantEntity, tenant_fk


class CommissionPlan(TenantEntity, Base):
    """A plan: a base rate on payments received in one currency, rate overrides tried in
    order (by product category or by the customer's RFM tier), and optional multipliers by
    attainment of the rep's payments-received target.

    `rules` and `attainment_tiers` are small JSON lists validated by the API schemas
    (app/commission/schemas.py documents their shape and meaning). The plan applying to a
    rep is the active one with the lowest `priority` whose team (subtree) holds the rep, a
    plan without a team applying to everyone.
    """

    __tablename__ = "commission_plans"
    __table_args__ = (
        tenant_fk(["team_id"], "teams"),
        Index(
            "uq_commission_plans_workspace_id_name",
            "workspace_id",
            "name",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index("ix_commission_plans_workspace_id_priority", "workspace_id", "priority", "id"),
        Index("ix_commission_plans_workspace_id_team_id", "workspace_id", "team_id"),
        CheckConstraint("base_rate >= 0 AND base_rate <= 100", name="base_rate_range"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
        CheckConstraint("priority >= 0", name="priority_not_negative"),
    )
    __scope_module__ = "settings"

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    #: percent of each payment, e.g. 3.5000 = 3.5 %
    base_rate: Mapped[Decimal] = mapped_column(Numeric(7, 4), nullable=False)
    #: [{"match": "category" | "rfm_tier", "value": str, "rate": "<percent>"}, ...]
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    #: [{"min_attainment": "<percent>", "multiplier": "<factor>"}, ...] ascending
    attainment_tiers: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, default=list
    )
    team_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    priority: Mapped[int] = mapped_column(Integer, nullable=False, default=100)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    notes: Mapped[str | None] = mapped_column(Text)
