"""Every ORM model, imported here so Alembic and the app share one metadata."""

from app.core.models import Base
from app.models.audit import AuditEntry
from app.models.commission import CommissionPlan
from app.models.contracts import Contract, ContractCounter
from app.models.customer import (
    Activity,
    Contact,
    Customer,
    CustomerCollaborator,
    CustomFieldDef,
    Dispute,
    Notification,
    OwnershipChange,
    Tag,
    Task,
)
from app.models.customer_value import CustomerRfm, CustomerRfmChange, RfmRun
from app.models.event import Event
from app.models.idempotency import IdempotencyKey
from app.models.imports import ImportJob
from app.models.lead import AssignmentRule, Campaign, Lead, PublicSubmission, WebForm
from app.models.orders import Order, OrderItem
from app.models.pipeline import (
    LostReason,
    Opportunity,
    OpportunityItem,
    OpportunityStageVisit,
    Pipeline,
    PipelineStage,
    Product,
)
from app.models.pool import Pool
from app.models.ratelimit import RateLimitCounter
from app.models.receivables import Installment, Invoice, Payment, PaymentAllocation
from app.models.reports import Report
from app.models.targets import ActivityDayCount, Target
from app.models.ticket import (
    BusinessCalendar,
    SlaPolicy,
    Ticket,
    TicketComment,
    TicketCounter,
    TicketForm,
    TicketRoutingRule,
    TicketStatusChange,
    TicketSurvey,
)
from app.models.user import ApiKey, LoginFailure, Team, User, UserSession
from app.models.webhook import (
    WebhookCursor,
    WebhookDelivery,
    WebhookDeliveryAttempt,
    WebhookEndpoint,
)
from app.models.workspace import Workspace

__all__ = [
    "Activity",
    "ActivityDayCount",
    "ApiKey",
    "AssignmentRule",
    "AuditEntry",
    "Base",
    "BusinessCalendar",
    "Campaign",
    "CommissionPlan",
    "Contact",
    "Contract",
    "ContractCounter",
    "CustomFieldDef",
    "Customer",
    "CustomerCollaborator",
    "CustomerRfm",
    "CustomerRfmChange",
    "Dispute",
    "Event",
    "IdempotencyKey",
    "ImportJob",
    "Installment",
    "Invoice",
    "Lead",
    "LoginFailure",
    "LostReason",
    "Notification",
    "Opportunity",
    "OpportunityItem",
    "OpportunityStageVisit",
    "Order",
    "OrderItem",
    "OwnershipChange",
    "Payment",
    "PaymentAllocation",
    "Pipeline",
    "PipelineStage",
    "Pool",
    "Product",
    "PublicSubmission",
    "RateLimitCounter",
    "Report",
    "RfmRun",
    "SlaPolicy",
    "Tag",
    "Target",
    "Task",
    "Team",
    "Ticket",
    "TicketComment",
    "TicketCounter",
    "TicketForm",
    "TicketRoutingRule",
    "TicketStatusChange",
    "TicketSurvey",
    "User",
    "UserSession",
    "WebForm",
    "WebhookCursor",
    "WebhookDelivery",
    "WebhookDeliveryAttempt",
    "WebhookEndpoint",
    "Workspace",
]
