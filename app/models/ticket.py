"""After-sales service (工单): tickets, comments, status history, SLA policies and business
calendars, routing rules, public intake forms and satisfaction (CSAT) surveys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Index,
    Integer,
    String,
    Text,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base, IdMixin, TenantEntity, WorkspaceMixin, tenant_fk

TICKET_STATUSES = ("new", "open", "pending", "resolved", "closed")
OPEN_STATUSES = ("new", "open", "pending")
CHANNELS = ("phone", "email", "web_form", "wechat", "other")
PRIORITIES = ("low", "normal", "high", "urgent")


class BusinessCalendar(TenantEntity, Base):
    """Working hours per weekday, holidays and make-up working days, in one time zone."""

    __tablename__ = "business_calendars"
    __table_args__ = (Index("ix_business_calendars_workspace_id_name", "workspace_id", "name"),)
    __scope_module__ = "tickets"

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False)
    #: {"1": [["09:00", "12:00"], ["13:30", "18:00"]], ...}; ISO weekday 1 = Monday
    weekly_hours: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    #: [{"date": "2026-10-01", "name": "国庆节"}]
    holidays: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    #: make-up working days (调休): [{"date": "2026-10-10", "name": ..., "hours": [[...]]}]
    workdays: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)


class SlaPolicy(TenantEntity, Base):
    """First-response and resolution targets per priority, for some customer levels."""

    __tablename__ = "sla_policies"
    __table_args__ = (
        tenant_fk(["calendar_id"], "business_calendars", ondelete="SET NULL"),
        Index("ix_sla_policies_workspace_id_position", "workspace_id", "position"),
        Index(
            "ix_sla_policies_workspace_id_calendar",
            "workspace_id",
            "calendar_id",
            postgresql_where=text("calendar_id IS NOT NULL"),
        ),
    )
    __scope_module__ = "tickets"

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    #: customer levels it applies to; empty = every customer (the fallback policy)
    customer_levels: Mapped[list[str]] = mapped_column(
        ARRAY(String(40)), nullable=False, default=list
    )
    #: customer value (RFM) tiers it applies to; empty = any tier (both lists must match)
    customer_rfm_tiers: Mapped[list[str]] = mapped_column(
        ARRAY(String(40)), nullable=False, default=list, server_default="{}"
    )
    #: null = the clock runs around the clock
    calendar_id: Mapped[uuid.UUID | None] = mapped_column()
    #: {"urgent": {"first_response_minutes": 30, "resolution_minutes": 240}, ...}
    targets: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    #: working minutes before a due time when the assignee is warned
    warning_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=30)


class TicketRoutingRule(TenantEntity, Base):
    """Routes a new ticket to a team, then picks a member (round-robin / least loaded)."""

    __tablename__ = "ticket_routing_rules"
    __table_args__ = (
        tenant_fk(["team_id"], "teams", ondelete="CASCADE"),
        Index("ix_ticket_routing_rules_workspace_id_position", "workspace_id", "position"),
        Index("ix_ticket_routing_rules_workspace_id_team", "workspace_id", "team_id"),
    )
    __scope_module__ = "tickets"

    name: Mapped[str] = mapped_column(String(150), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    #: {"channels": [...], "types": [...], "customer_levels": [...]}; all given must match
    conditions: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    team_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    #: round_robin | least_loaded | none (team queue only)
    strategy: Mapped[str] = mapped_column(String(20), nullable=False)
    capacity: Mapped[int | None] = mapped_column(Integer)
    #: the strategy's turn-taking state; only changed under the row lock
    state: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)


class TicketForm(TenantEntity, Base):
    """A public intake form: `POST /public/forms/{token}/tickets` without login."""

    __tablename__ = "ticket_forms"
    __table_args__ = (
        tenant_fk(["team_id"], "teams", ondelete="SET NULL"),
        Index("uq_ticket_forms_token", "token", unique=True),
        Index(
            "ix_ticket_forms_workspace_id_team",
            "workspace_id",
            "team_id",
            postgresql_where=text("team_id IS NOT NULL"),
        ),
    )
    __scope_module__ = "tickets"

    name: Mapped[str] = mapped_column(String(150), nullable=False)
    token: Mapped[str] = mapped_column(String(64), nullable=False)
    type: Mapped[str] = mapped_column(String(40), nullable=False, default="question")
    priority: Mapped[str] = mapped_column(String(10), nullable=False, default="normal")
    #: team for tickets no routing rule claims
    team_id: Mapped[uuid.UUID | None] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class TicketCounter(WorkspaceMixin, Base):
    """The per-workspace ticket number sequence (GD-000123), one row per workspace."""

    __tablename__ = "ticket_counters"

    value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Ticket(TenantEntity, Base):
    __tablename__ = "tickets"
    __table_args__ = (
        tenant_fk(["customer_id"], "customers", ondelete="SET NULL"),
        tenant_fk(["contact_id"], "contacts", ondelete="SET NULL"),
        tenant_fk(["assignee_id"], "users", ondelete="SET NULL"),
        tenant_fk(["team_id"], "teams", ondelete="SET NULL"),
        tenant_fk(["contract_id"], "contracts", ondelete="SET NULL"),
        tenant_fk(["product_id"], "products", ondelete="SET NULL"),
        tenant_fk(["order_id"], "orders", ondelete="SET NULL"),
        tenant_fk(["sla_policy_id"], "sla_policies", ondelete="SET NULL"),
        tenant_fk(["form_id"], "ticket_forms", ondelete="SET NULL"),
        tenant_fk(["routing_rule_id"], "ticket_routing_rules", ondelete="SET NULL"),
        tenant_fk(["return_visit_task_id"], "tasks", ondelete="SET NULL"),
        tenant_fk(["return_visit_activity_id"], "activities", ondelete="SET NULL"),
        Index("uq_tickets_workspace_id_number", "workspace_id", "number", unique=True),
        Index("ix_tickets_workspace_id_created_at", "workspace_id", "created_at", "id"),
        Index("ix_tickets_workspace_id_updated_at", "workspace_id", "updated_at", "id"),
        Index("ix_tickets_workspace_id_assignee_status", "workspace_id", "assignee_id", "status"),
        Index("ix_tickets_workspace_id_team_status", "workspace_id", "team_id", "status"),
        Index(
            "ix_tickets_workspace_id_customer",
            "workspace_id",
            "customer_id",
            "created_at",
            postgresql_where=text("customer_id IS NOT NULL"),
        ),
        Index(
            "ix_tickets_workspace_id_contact",
            "workspace_id",
            "contact_id",
            postgresql_where=text("contact_id IS NOT NULL"),
        ),
        Index(
            "ix_tickets_workspace_id_contract",
            "workspace_id",
            "contract_id",
            postgresql_where=text("contract_id IS NOT NULL"),
        ),
        Index(
            "ix_tickets_workspace_id_product",
            "workspace_id",
            "product_id",
            postgresql_where=text("product_id IS NOT NULL"),
        ),
        Index(
            "ix_tickets_workspace_id_order",
            "workspace_id",
            "order_id",
            postgresql_where=text("order_id IS NOT NULL"),
        ),
        Index(
            "ix_tickets_workspace_id_sla_policy",
            "workspace_id",
            "sla_policy_id",
            postgresql_where=text("sla_policy_id IS NOT NULL"),
        ),
        Index(
            "ix_tickets_workspace_id_form",
            "workspace_id",
            "form_id",
            postgresql_where=text("form_id IS NOT NULL"),
        ),
        Index(
            "ix_tickets_workspace_id_routing_rule",
            "workspace_id",
            "routing_rule_id",
            postgresql_where=text("routing_rule_id IS NOT NULL"),
        ),
        Index(
            "ix_tickets_workspace_id_return_visit_task",
            "workspace_id",
            "return_visit_task_id",
            postgresql_where=text("return_visit_task_id IS NOT NULL"),
        ),
        Index(
            "ix_tickets_workspace_id_return_visit_activity",
            "workspace_id",
            "return_visit_activity_id",
            postgresql_where=text("return_visit_activity_id IS NOT NULL"),
        ),
        # the SLA job's scans (app.tickets.jobs): running clocks not yet flagged only, so
        # each index holds the few tickets the job may still have to act on
        Index(
            "ix_tickets_workspace_id_first_response_due",
            "workspace_id",
            "first_response_due_at",
            postgresql_where=text(
                "status IN ('new', 'open') AND deleted_at IS NULL AND first_responded_at IS NULL "
                "AND NOT first_response_breached"
            ),
        ),
        Index(
            "ix_tickets_workspace_id_resolution_due",
            "workspace_id",
            "resolution_due_at",
            postgresql_where=text(
                "status IN ('new', 'open') AND deleted_at IS NULL AND NOT resolution_breached"
            ),
        ),
        Index(
            "ix_tickets_workspace_id_first_response_warn",
            "workspace_id",
            "first_response_warn_at",
            postgresql_where=text(
                "status IN ('new', 'open') AND deleted_at IS NULL AND first_responded_at IS NULL "
                "AND NOT first_response_warned"
            ),
        ),
        Index(
            "ix_tickets_workspace_id_resolution_warn",
            "workspace_id",
            "resolution_warn_at",
            postgresql_where=text(
                "status IN ('new', 'open') AND deleted_at IS NULL AND NOT resolution_warned"
            ),
        ),
        Index(
            "ix_tickets_workspace_id_resolved_at",
            "workspace_id",
            "resolved_at",
            postgresql_where=text("status = 'resolved' AND deleted_at IS NULL"),
        ),
        Index(
            "uq_tickets_workspace_id_external",
            "workspace_id",
            "external_source",
            "external_id",
            unique=True,
            postgresql_where=text("external_id IS NOT NULL AND deleted_at IS NULL"),
        ),
        CheckConstraint(
            "status IN ('new', 'open', 'pending', 'resolved', 'closed')", name="status"
        ),
        CheckConstraint("priority IN ('low', 'normal', 'high', 'urgent')", name="priority"),
        CheckConstraint(
            "channel IN ('phone', 'email', 'web_form', 'wechat', 'other')", name="channel"
        ),
    )
    __scope_module__ = "tickets"
    __owner_column__ = "assignee_id"

    number: Mapped[str] = mapped_column(String(40), nullable=False)
    customer_id: Mapped[uuid.UUID | None] = mapped_column()
    contact_id: Mapped[uuid.UUID | None] = mapped_column()
    #: who asked, as they gave it (public intake without a matching customer)
    requester_name: Mapped[str | None] = mapped_column(String(100))
    requester_phone: Mapped[str | None] = mapped_column(String(40))
    requester_email: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    type: Mapped[str] = mapped_column(String(40), nullable=False)
    priority: Mapped[str] = mapped_column(String(10), nullable=False, default="normal")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="new")
    assignee_id: Mapped[uuid.UUID | None] = mapped_column()
    team_id: Mapped[uuid.UUID | None] = mapped_column()
    routing_rule_id: Mapped[uuid.UUID | None] = mapped_column()
    assignment_note: Mapped[str | None] = mapped_column(String(500))
    contract_id: Mapped[uuid.UUID | None] = mapped_column()
    product_id: Mapped[uuid.UUID | None] = mapped_column()
    order_id: Mapped[uuid.UUID | None] = mapped_column()
    form_id: Mapped[uuid.UUID | None] = mapped_column()
    tag_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(Base.type_annotation_map[uuid.UUID]), nullable=False, default=list
    )
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    # --- SLA clocks (business time per the policy's calendar) ---
    sla_policy_id: Mapped[uuid.UUID | None] = mapped_column()
    sla_started_at: Mapped[datetime] = mapped_column(nullable=False)
    first_response_target_minutes: Mapped[int | None] = mapped_column(Integer)
    resolution_target_minutes: Mapped[int | None] = mapped_column(Integer)
    #: working seconds the clocks stood still (pending on the customer, resolved until
    #: reopened); the due times already include it
    sla_paused_seconds: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: set while pending: the clocks stand still since then
    paused_since: Mapped[datetime | None] = mapped_column()
    first_response_due_at: Mapped[datetime | None] = mapped_column()
    first_response_warn_at: Mapped[datetime | None] = mapped_column()
    resolution_due_at: Mapped[datetime | None] = mapped_column()
    resolution_warn_at: Mapped[datetime | None] = mapped_column()
    first_responded_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    first_response_breached: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    resolution_breached: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    first_response_warned: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    resolution_warned: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reopened_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: the scheduled return visit (回访) task and the logged return visit
    return_visit_task_id: Mapped[uuid.UUID | None] = mapped_column()
    return_visit_activity_id: Mapped[uuid.UUID | None] = mapped_column()
    return_visit_score: Mapped[int | None] = mapped_column(Integer)
    external_source: Mapped[str | None] = mapped_column(String(60))
    external_id: Mapped[str | None] = mapped_column(String(120))

    @classmethod
    def scope_grants(cls, principal: Any, *, for_write: bool) -> Any:
        """Team queues: a ticket routed to the principal's team (or a sub-team) is theirs
        to see and work on with a team scope; with an own scope, tickets of the customers
        they own are readable."""
        from app.core.principal import Scope
        from app.core.scope import team_subtree
        from app.models.customer import Customer

        scope = principal.scope("tickets")
        if scope is Scope.team and principal.team_id is not None:
            return cls.team_id.in_(team_subtree(principal.team_id, "ticket_team_tree"))
        if scope is Scope.own and not for_write:
            return cls.customer_id.in_(
                select(Customer.id).where(Customer.owner_id == principal.user_id)
            )
        return None


class TicketComment(TenantEntity, Base):
    """A public reply (the customer sees it) or an internal note."""

    __tablename__ = "ticket_comments"
    __table_args__ = (
        tenant_fk(["ticket_id"], "tickets", ondelete="CASCADE"),
        Index("ix_ticket_comments_workspace_id_ticket", "workspace_id", "ticket_id", "created_at"),
        CheckConstraint("visibility IN ('public', 'internal')", name="visibility"),
    )
    __scope_module__ = "tickets"
    __scope_parent__ = ("ticket_id", Ticket)

    ticket_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    visibility: Mapped[str] = mapped_column(String(10), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    #: staff author; null for what the customer wrote (public intake)
    author_id: Mapped[uuid.UUID | None] = mapped_column()
    author_name: Mapped[str | None] = mapped_column(String(120))


class TicketStatusChange(WorkspaceMixin, IdMixin, Base):
    """Status history, never edited: with the times, every SLA clock is recomputable."""

    __tablename__ = "ticket_status_changes"
    __table_args__ = (
        tenant_fk(["ticket_id"], "tickets", ondelete="CASCADE"),
        Index("ix_ticket_status_changes_workspace_id_ticket", "workspace_id", "ticket_id", "at"),
    )
    __scope_module__ = "tickets"
    __scope_parent__ = ("ticket_id", Ticket)

    ticket_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10), nullable=False)
    actor_id: Mapped[uuid.UUID | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(String(1000))
    at: Mapped[datetime] = mapped_column(nullable=False, server_default=func.now())


class TicketSurvey(WorkspaceMixin, IdMixin, Base):
    """A satisfaction (CSAT) link sent when a ticket is resolved: single use, expiring.

    The assignee and team are copied at resolution so reports credit who did the work."""

    __tablename__ = "ticket_surveys"
    __table_args__ = (
        tenant_fk(["ticket_id"], "tickets", ondelete="CASCADE"),
        tenant_fk(["assignee_id"], "users", ondelete="SET NULL"),
        tenant_fk(["team_id"], "teams", ondelete="SET NULL"),
        Index(
            "ix_ticket_surveys_workspace_id_assignee",
            "workspace_id",
            "assignee_id",
            postgresql_where=text("assignee_id IS NOT NULL"),
        ),
        Index(
            "ix_ticket_surveys_workspace_id_team",
            "workspace_id",
            "team_id",
            postgresql_where=text("team_id IS NOT NULL"),
        ),
        Index("uq_ticket_surveys_token", "token", unique=True),
        Index("ix_ticket_surveys_workspace_id_ticket", "workspace_id", "ticket_id"),
        Index(
            "ix_ticket_surveys_workspace_id_rated_at",
            "workspace_id",
            "rated_at",
            postgresql_where=text("rating IS NOT NULL"),
        ),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
    )
    __scope_module__ = "tickets"
    __scope_parent__ = ("ticket_id", Ticket)

    ticket_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    token: Mapped[str] = mapped_column(String(64), nullable=False)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column()
    team_id: Mapped[uuid.UUID | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(nullable=False)
    rating: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(2000))
    rated_at: Mapped[datetime | None] = mapped_column()
