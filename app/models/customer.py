"""Customers 360: customers, contacts, tags, custom fields, the account team, the ownership
ledger, follow-ups, tasks, notifications and ownership disputes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    Index,
    Integer,
    String,
    Text,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import (
    Base,
    CreatedByMixin,
    IdMixin,
    TenantEntity,
    WorkspaceMixin,
    tenant_fk,
)


class Customer(TenantEntity, Base):
    __tablename__ = "customers"
    __table_args__ = (
        tenant_fk(["owner_id"], "users", ondelete="SET NULL"),
        tenant_fk(["merged_into_id"], "customers", ondelete="SET NULL"),
        tenant_fk(["pool_id"], "pools", ondelete="SET NULL"),
        Index(
            "ix_customers_workspace_id_owner_id_updated_at",
            "workspace_id",
            "owner_id",
            "updated_at",
        ),
        Index("ix_customers_workspace_id_updated_at", "workspace_id", "updated_at", "id"),
        Index("ix_customers_workspace_id_created_at", "workspace_id", "created_at", "id"),
        # new customers per owner in a period (targets, leaderboards): index-only
        Index(
            "ix_customers_workspace_id_created_live",
            "workspace_id",
            "created_at",
            postgresql_include=["owner_id"],
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index("ix_customers_workspace_id_name", "workspace_id", "name", "id"),
        Index("ix_customers_workspace_id_status", "workspace_id", "status"),
        # how many customers a rep holds (the pool's holding cap), from the index alone
        Index(
            "ix_customers_workspace_id_owner_live",
            "workspace_id",
            "owner_id",
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # the default list: status and level filters, newest first
        Index(
            "ix_customers_workspace_id_status_level_updated",
            "workspace_id",
            "status",
            "level",
            "updated_at",
            "id",
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # referencing side of the self-reference: deleting customers must not scan them all
        Index(
            "ix_customers_workspace_id_merged_into",
            "workspace_id",
            "merged_into_id",
            postgresql_where=text("merged_into_id IS NOT NULL"),
        ),
        Index(
            "ix_customers_workspace_id_pool",
            "workspace_id",
            "pool_id",
            "updated_at",
            postgresql_where=text("owner_id IS NULL AND deleted_at IS NULL"),
        ),
        Index(
            "ix_customers_workspace_id_last_followed", "workspace_id", "last_followed_sort", "id"
        ),
        # the recycle bin, small: analytics leave its customers out with a hashed anti-join
        Index(
            "ix_customers_workspace_id_deleted",
            "workspace_id",
            "id",
            postgresql_where=text("deleted_at IS NOT NULL"),
        ),
        Index(
            "uq_customers_workspace_id_external",
            "workspace_id",
            "external_source",
            "external_id",
            unique=True,
            postgresql_where=text("external_id IS NOT NULL AND deleted_at IS NULL"),
        ),
        Index(
            "ix_customers_workspace_id_credit_code",
            "workspace_id",
            "credit_code",
            postgresql_where=text("credit_code IS NOT NULL"),
        ),
        Index(
            "ix_customers_workspace_id_email_normalized",
            "workspace_id",
            "email_normalized",
            postgresql_where=text("email_normalized IS NOT NULL"),
        ),
        Index(
            "ix_customers_phones_normalized",
            "workspace_id",
            "phones_normalized",
            postgresql_using="gin",
        ),
        # No GIN index on tag_ids or custom_fields: row-level security keeps @> from using
        # one (see ADR 7), and each cost every write of a customer an index entry.
        # The GIN indexes that search and duplicate checks use have no workspace column: it
        # would make each lookup walk the workspace's whole posting list. Only the definer
        # functions of the customer_search migration can use them (row-level security keeps
        # LIKE, % and @> away from indexes), and they filter the workspace themselves.
        # One- and two-character CJK terms: see rapport_cjk_grams.
        Index(
            "ix_customers_search_grams",
            text("rapport_cjk_grams(search_text)"),
            postgresql_using="gin",
        ),
        Index(
            "ix_customers_search_text_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
        Index(
            "ix_customers_name_normalized_trgm",
            "name_normalized",
            postgresql_using="gin",
            postgresql_ops={"name_normalized": "gin_trgm_ops"},
        ),
    )
    __scope_module__ = "customers"
    __owner_column__ = "owner_id"

    kind: Mapped[str] = mapped_column(String(10), nullable=False, default="company")
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    short_name: Mapped[str | None] = mapped_column(String(100))
    industry: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="potential")
    province: Mapped[str | None] = mapped_column(String(50))
    city: Mapped[str | None] = mapped_column(String(50))
    district: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(300))
    phones: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    phones_normalized: Mapped[list[str]] = mapped_column(
        ARRAY(String(20)), nullable=False, default=list
    )
    email: Mapped[str | None] = mapped_column(String(254))
    email_normalized: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    tag_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(Base.type_annotation_map[uuid.UUID]), nullable=False, default=list
    )
    owner_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    external_source: Mapped[str | None] = mapped_column(String(60))
    external_id: Mapped[str | None] = mapped_column(String(120))
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    last_followed_at: Mapped[datetime | None] = mapped_column()
    #: last_followed_at with never-followed customers first in ascending order (NOT NULL key)
    last_followed_sort: Mapped[datetime] = mapped_column(
        nullable=False, server_default=text("'-infinity'::timestamptz")
    )
    next_follow_up_at: Mapped[datetime | None] = mapped_column()
    name_normalized: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    #: name, short name, phones, e-mail and contact names: what `q` searches (pg_trgm)
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    #: the pool the customer lives in while unowned, and returns to when released/reclaimed
    pool_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    #: when the current owner took it (claim, assign, transfer): the reclaim clock's start
    owned_since: Mapped[datetime | None] = mapped_column(nullable=True)
    #: exempt from automatic reclaim (a manager's decision)
    locked: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=text("false")
    )

    @classmethod
    def scope_grants(cls, principal: Any, *, for_write: bool) -> Any:
        """The account team: collaborators see (and, with write access, change) a customer."""
        now = func.now()
        shared = select(CustomerCollaborator.customer_id).where(
            CustomerCollaborator.user_id == principal.user_id,
            or_(CustomerCollaborator.expires_at.is_(None), CustomerCollaborator.expires_at > now),
        )
        if for_write:
            shared = shared.where(CustomerCollaborator.access == "write")
        return cls.id.in_(shared)


class CustomerCollaborator(WorkspaceMixin, IdMixin, Base):
    __tablename__ = "customer_collaborators"
    __table_args__ = (
        tenant_fk(["customer_id"], "customers", ondelete="CASCADE"),
        tenant_fk(["user_id"], "users", ondelete="CASCADE"),
        Index(
            "uq_customer_collaborators_customer_user",
            "workspace_id",
            "customer_id",
            "user_id",
            unique=True,
        ),
        Index("ix_customer_collaborators_user", "workspace_id", "user_id"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    user_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    access: Mapped[str] = mapped_column(String(10), nullable=False, default="read")
    expires_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)


class Contact(TenantEntity, Base):
    __tablename__ = "contacts"
    __table_args__ = (
        tenant_fk(["customer_id"], "customers", ondelete="CASCADE"),
        Index("ix_contacts_workspace_id_customer_id", "workspace_id", "customer_id"),
        Index("ix_contacts_workspace_id_name", "workspace_id", "name", "id"),
        Index(
            "ix_contacts_phones_normalized",
            "workspace_id",
            "phones_normalized",
            postgresql_using="gin",
        ),
        Index(
            "uq_contacts_workspace_id_external",
            "workspace_id",
            "external_source",
            "external_id",
            unique=True,
            postgresql_where=text("external_id IS NOT NULL AND deleted_at IS NULL"),
        ),
    )
    __scope_module__ = "customers"
    __scope_parent__ = ("customer_id", Customer)

    customer_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    title: Mapped[str | None] = mapped_column(String(100))
    phones: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list)
    phones_normalized: Mapped[list[str]] = mapped_column(
        ARRAY(String(20)), nullable=False, default=list
    )
    email: Mapped[str | None] = mapped_column(String(254))
    wechat: Mapped[str | None] = mapped_column(String(100))
    birthday: Mapped[date | None] = mapped_column(Date)
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    external_source: Mapped[str | None] = mapped_column(String(60))
    external_id: Mapped[str | None] = mapped_column(String(120))


class Tag(TenantEntity, Base):
    __tablename__ = "tags"
    __table_args__ = (
        Index(
            "uq_tags_workspace_id_name",
            "workspace_id",
            "name",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )
    __scope_module__ = "customers"

    name: Mapped[str] = mapped_column(String(60), nullable=False)
    color: Mapped[str] = mapped_column(String(20), nullable=False, default="blue")


class CustomFieldDef(TenantEntity, Base):
    __tablename__ = "custom_field_defs"
    __table_args__ = (
        Index(
            "uq_custom_field_defs_entity_key",
            "workspace_id",
            "entity",
            "key",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )
    __scope_module__ = "settings"

    entity: Mapped[str] = mapped_column(String(30), nullable=False)
    key: Mapped[str] = mapped_column(String(60), nullable=False)
    label_zh: Mapped[str] = mapped_column(String(100), nullable=False)
    label_en: Mapped[str] = mapped_column(String(100), nullable=False)
    type: Mapped[str] = mapped_column(String(20), nullable=False)
    options: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    default: Mapped[Any] = mapped_column(JSONB, nullable=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class OwnershipChange(WorkspaceMixin, IdMixin, Base):
    """The ownership ledger: every change of a customer's owner, never edited."""

    __tablename__ = "ownership_changes"
    __table_args__ = (
        Index("ix_ownership_changes_customer", "workspace_id", "customer_id", "occurred_at"),
        # a rep's claims today (the pool's daily limit), without reading the whole ledger
        Index(
            "ix_ownership_changes_to_user_kind",
            "workspace_id",
            "to_user_id",
            "kind",
            "occurred_at",
        ),
    )
    __scope_module__ = "customers"
    __scope_parent__ = ("customer_id", Customer)

    customer_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    from_user_id: Mapped[uuid.UUID | None] = mapped_column()
    to_user_id: Mapped[uuid.UUID | None] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_id: Mapped[uuid.UUID | None] = mapped_column()
    occurred_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)


class Activity(TenantEntity, CreatedByMixin, Base):
    """A follow-up (跟进记录): call, visit with check-in, meeting, e-mail, WeChat, note."""

    __tablename__ = "activities"
    __table_args__ = (
        tenant_fk(["customer_id"], "customers", ondelete="CASCADE"),
        Index(
            "ix_activities_workspace_id_customer_occurred",
            "workspace_id",
            "customer_id",
            "occurred_at",
        ),
        Index("ix_activities_workspace_id_occurred_at", "workspace_id", "occurred_at", "id"),
        Index(
            "ix_activities_workspace_id_lead",
            "workspace_id",
            "lead_id",
            postgresql_where=text("lead_id IS NOT NULL"),
        ),
        tenant_fk(["opportunity_id"], "opportunities", ondelete="SET NULL"),
        Index(
            "ix_activities_workspace_id_opportunity",
            "workspace_id",
            "opportunity_id",
            "occurred_at",
            postgresql_where=text("opportunity_id IS NOT NULL"),
        ),
        CheckConstraint("customer_id IS NOT NULL OR lead_id IS NOT NULL", name="subject"),
    )
    __scope_module__ = "customers"
    __scope_parent__ = ("customer_id", Customer)

    #: the customer, or (before conversion) null with `lead_id` set
    customer_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    lead_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    #: the deal it was about, if any (the customer's timeline still shows it)
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    occurred_at: Mapped[datetime] = mapped_column(nullable=False)
    author_id: Mapped[uuid.UUID | None] = mapped_column()
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    check_in_address: Mapped[str | None] = mapped_column(String(300))
    next_follow_up_at: Mapped[datetime | None] = mapped_column()
    satisfaction: Mapped[int | None] = mapped_column(Integer)


class Task(TenantEntity, CreatedByMixin, Base):
    __tablename__ = "tasks"
    __table_args__ = (
        tenant_fk(["assignee_id"], "users", ondelete="SET NULL"),
        Index(
            "ix_tasks_workspace_id_assignee_due", "workspace_id", "assignee_id", "done_at", "due_at"
        ),
        Index("ix_tasks_workspace_id_customer", "workspace_id", "customer_id"),
        tenant_fk(["opportunity_id"], "opportunities", ondelete="SET NULL"),
        Index(
            "ix_tasks_workspace_id_opportunity",
            "workspace_id",
            "opportunity_id",
            postgresql_where=text("opportunity_id IS NOT NULL"),
        ),
    )
    __scope_module__ = "customers"
    __owner_column__ = "assignee_id"

    title: Mapped[str] = mapped_column(String(300), nullable=False)
    due_at: Mapped[datetime | None] = mapped_column()
    assignee_id: Mapped[uuid.UUID | None] = mapped_column()
    customer_id: Mapped[uuid.UUID | None] = mapped_column()
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column()
    activity_id: Mapped[uuid.UUID | None] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="todo")
    done_at: Mapped[datetime | None] = mapped_column()
    notes: Mapped[str | None] = mapped_column(Text)


class Notification(WorkspaceMixin, IdMixin, Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index(
            "ix_notifications_workspace_user_unread",
            "workspace_id",
            "user_id",
            "read_at",
            "created_at",
        ),
    )
    __scope_module__ = "settings"
    __owner_column__ = "user_id"

    user_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID | None] = mapped_column()
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    read_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), nullable=False)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))


class Dispute(TenantEntity, Base):
    """An ownership dispute (撞单): a rep claims a customer another rep owns."""

    __tablename__ = "disputes"
    __table_args__ = (
        tenant_fk(["customer_id"], "customers", ondelete="CASCADE"),
        Index("ix_disputes_workspace_id_status", "workspace_id", "status", "created_at"),
        Index("ix_disputes_workspace_id_customer", "workspace_id", "customer_id"),
    )
    __scope_module__ = "customers"
    __owner_column__ = "claimant_id"

    customer_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    claimant_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    owner_at_claim_id: Mapped[uuid.UUID | None] = mapped_column()
    evidence: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="open")
    decided_by: Mapped[uuid.UUID | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()
    decision_note: Mapped[str | None] = mapped_column(Text)
