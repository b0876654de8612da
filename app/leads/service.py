"""Leads: capture from any path (API, import, public form), assignment, conversion."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import Ctx
from app.core.audit import record_mutation, snapshot
from app.core.filtering import contains_pattern
from app.core.pagination import ListParams
from app.core.principal import Principal
from app.customers import schemas as customer_schemas
from app.customers import service as customers
from app.customers.normalize import normalize_phones
from app.customfields.service import validate_values
from app.db import set_workspace
from app.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    TooManyRequests,
    UnprocessableEntity,
)
from app.leads import assignment, schemas
from app.leads.repository import (
    CampaignRepository,
    LeadRepository,
    RuleRepository,
    WebFormRepository,
    form_workspace,
    record_submission,
    submissions_since,
)
from app.models.customer import Activity, Contact
from app.models.lead import AssignmentRule, Campaign, Lead, WebForm

LEAD_FIELDS = (
    "name",
    "company",
    "title",
    "phones",
    "email",
    "province",
    "city",
    "source",
    "campaign_id",
    "status",
    "owner_id",
    "score",
    "assigned_rule_id",
    "assignment_note",
    "converted_customer_id",
)

#: hooks run on conversion (e.g. the pipeline domain creating an opportunity)
LeadConvertHook = Callable[[AsyncSession, Principal, Lead, uuid.UUID], Awaitable[dict[str, Any]]]
convert_hooks: list[LeadConvertHook] = []
#: won business a campaign brought, per currency: (currency, deals, amount); registered by
#: the pipeline domain
CampaignWonHook = Callable[[AsyncSession, uuid.UUID], Awaitable[list[tuple[str, int, Decimal]]]]
campaign_won_hooks: list[CampaignWonHook] = []


async def _create(
    session: AsyncSession,
    principal: Principal | None,
    workspace_id: uuid.UUID,
    data: schemas.LeadCreate,
    *,
    owner_id: uuid.UUID | None,
) -> Lead:
    custom = await validate_values(session, "lead", data.custom_fields, creating=True)
    lead = Lead(
        workspace_id=workspace_id,
        custom_fields=custom,
        phones_normalized=normalize_phones(data.phones),
        owner_id=owner_id,
        created_by=principal.user_id if principal else None,
        **data.model_dump(exclude={"custom_fields", "owner_id"}),
    )
    session.add(lead)
    await session.flush()
    if owner_id is None:
        await assignment.assign(session, lead)
        await session.flush()
    await record_mutation(
        session,
        principal,
        entity="lead",
        action="created",
        entity_id=lead.id,
        sequence=lead.version,
        before=None,
        after=snapshot(lead, LEAD_FIELDS),
        workspace_id=workspace_id,
    )
    return lead


async def create_lead(ctx: Ctx, data: schemas.LeadCreate) -> Lead:
    if (
        data.owner_id is not None
        and data.owner_id != ctx.principal.user_id
        and (not ctx.principal.is_manager)
    ):
        raise Forbidden("Only managers and admins give leads to others.")
    if data.campaign_id is not None:
        await CampaignRepository(ctx.session, ctx.principal).get(data.campaign_id)
    return await _create(
        ctx.session, ctx.principal, ctx.principal.workspace_id, data, owner_id=data.owner_id
    )


async def list_leads(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    *,
    q: str | None,
    status: str | None,
    owner_id: uuid.UUID | None,
    campaign_id: uuid.UUID | None,
    unassigned: bool | None,
    source: str | None,
) -> tuple[Sequence[Lead], str | None, bool]:
    conds: list[ColumnElement[bool]] = []
    if q:
        pattern = contains_pattern(q)
        conds.append(
            Lead.name.ilike(pattern)
            | Lead.company.ilike(pattern)
            | func.array_to_string(Lead.phones, " ").ilike(pattern)
        )
    if status:
        conds.append(Lead.status == status)
    if owner_id:
        conds.append(Lead.owner_id == owner_id)
    if campaign_id:
        conds.append(Lead.campaign_id == campaign_id)
    if source:
        conds.append(Lead.source == source)
    if unassigned is not None:
        conds.append(Lead.owner_id.is_(None) if unassigned else Lead.owner_id.is_not(None))
    return await LeadRepository(ctx.session, ctx.principal).page(params, sort, *conds)


async def get_lead(ctx: Ctx, lead_id: uuid.UUID) -> Lead:
    return await LeadRepository(ctx.session, ctx.principal).get(lead_id)


async def update_lead(
    ctx: Ctx, lead_id: uuid.UUID, data: schemas.LeadUpdate, if_match: int | None
) -> Lead:
    lead = await LeadRepository(ctx.session, ctx.principal).get_writable(lead_id, if_match=if_match)
    if lead.status == "converted":
        raise Conflict(
            "A converted lead is read-only; work on its customer.", code="lead_converted"
        )
    before = snapshot(lead, LEAD_FIELDS)
    fields = data.model_fields_set - {"custom_fields"}
    if "status" in fields and data.status is schemas.LeadStatus.converted:
        raise UnprocessableEntity(
            "Convert a lead with POST /leads/{id}/convert.",
            code="use_convert",
            errors=[FieldError(field="body.status", message="use the convert action")],
        )
    if "owner_id" in fields and not ctx.principal.is_manager:
        raise Forbidden("Only managers and admins reassign leads.")
    for name in fields:
        value = getattr(data, name)
        if value is None and name in ("name", "phones", "status", "score"):
            raise UnprocessableEntity(
                f"{name} cannot be empty.",
                errors=[FieldError(field=f"body.{name}", message="cannot be null")],
            )
        setattr(lead, name, value.value if hasattr(value, "value") else value)
    if "custom_fields" in data.model_fields_set:
        lead.custom_fields = await validate_values(
            ctx.session, "lead", data.custom_fields, current=lead.custom_fields, creating=False
        )
    lead.phones_normalized = normalize_phones(lead.phones)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="lead",
        action="updated",
        entity_id=lead.id,
        sequence=lead.version,
        before=before,
        after=snapshot(lead, LEAD_FIELDS),
    )
    return lead


async def log_activity(ctx: Ctx, lead_id: uuid.UUID, data: schemas.LeadActivityCreate) -> Activity:
    lead = await LeadRepository(ctx.session, ctx.principal).get_writable(lead_id)
    activity = Activity(
        workspace_id=ctx.principal.workspace_id,
        lead_id=lead.id,
        customer_id=lead.converted_customer_id,
        kind=data.kind,
        content=data.content,
        occurred_at=data.occurred_at or datetime.now(UTC),
        author_id=ctx.principal.user_id,
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(activity)
    if lead.status == "new":
        lead.status = "contacted"
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="activity",
        action="created",
        entity_id=activity.id,
        sequence=1,
        before=None,
        after={"lead_id": lead.id, "kind": data.kind, "content": data.content},
    )
    return activity


async def lead_activities(ctx: Ctx, lead_id: uuid.UUID) -> Sequence[Activity]:
    await LeadRepository(ctx.session, ctx.principal).get(lead_id)
    return (
        (
            await ctx.session.execute(
                select(Activity)
                .where(Activity.lead_id == lead_id, Activity.deleted_at.is_(None))
                .order_by(Activity.occurred_at.desc())
                .limit(200)
            )
        )
        .scalars()
        .all()
    )


async def convert(ctx: Ctx, lead_id: uuid.UUID, data: schemas.Convert) -> schemas.ConvertResult:
    """Customer (new, or merged into an existing one) + contact; the lead's follow-ups move
    to the customer's timeline; registered hooks may add more (e.g. an opportunity)."""
    lead = await LeadRepository(ctx.session, ctx.principal).get_writable(lead_id)
    if lead.status == "converted":
        raise Conflict("This lead is already converted.", code="lead_converted")
    before = snapshot(lead, LEAD_FIELDS)
    created = False
    if data.merge_into_customer_id is not None:
        customer = await customers.get_customer(ctx, data.merge_into_customer_id)
    else:
        name = data.customer_name or lead.company or lead.name
        customer = await customers.create_customer(
            ctx,
            customer_schemas.CustomerCreate(
                name=name,
                kind="company" if lead.company else "person",
                phones=lead.phones,
                email=lead.email,
                province=lead.province,
                city=lead.city,
                source=lead.source,
                owner_id=lead.owner_id or ctx.principal.user_id,
                force=data.force,
            ),
        )
        created = True
    contact = Contact(
        workspace_id=ctx.principal.workspace_id,
        customer_id=customer.id,
        name=lead.name,
        title=lead.title,
        phones=lead.phones,
        phones_normalized=lead.phones_normalized,
        email=lead.email,
        is_primary=created,
    )
    ctx.session.add(contact)
    await ctx.session.execute(
        update(Activity)
        .where(Activity.lead_id == lead.id)
        .values(customer_id=customer.id)
        .execution_options(synchronize_session=False)
    )
    lead.status = "converted"
    lead.converted_customer_id = customer.id
    lead.converted_at = datetime.now(UTC)
    await ctx.session.flush()
    from app.customers.repository import refresh_search_text

    await refresh_search_text(ctx.session, [customer.id])
    extra: dict[str, Any] = {}
    for hook in convert_hooks:
        extra.update(await hook(ctx.session, ctx.principal, lead, customer.id))
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="lead",
        action="converted",
        entity_id=lead.id,
        sequence=lead.version,
        before=before,
        after=snapshot(lead, LEAD_FIELDS),
    )
    return schemas.ConvertResult(
        lead=schemas.Lead.model_validate(lead),
        customer_id=customer.id,
        contact_id=contact.id,
        created_customer=created,
        extra=extra,
    )


# --- campaigns ---------------------------------------------------------------------------


CENT = Decimal("0.01")


def _cents(amount: Decimal | None) -> Decimal | None:
    """An amount as NUMERIC(18,2) stores it, so a response reads like the next GET."""
    return None if amount is None else amount.quantize(CENT, ROUND_HALF_UP)


async def create_campaign(ctx: Ctx, data: schemas.CampaignCreate) -> Campaign:
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise UnprocessableEntity(
            "The campaign ends before it starts.",
            code="invalid_dates",
            errors=[FieldError(field="body.end_date", message="before start_date")],
        )
    campaign = Campaign(
        workspace_id=ctx.principal.workspace_id,
        **(
            data.model_dump()
            | {"budget": _cents(data.budget), "actual_cost": _cents(data.actual_cost)}
        ),
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(campaign)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="campaign",
        action="created",
        entity_id=campaign.id,
        sequence=1,
        before=None,
        after=data.model_dump(),
    )
    return campaign


CAMPAIGN_FIELDS = (
    "name",
    "channel",
    "budget",
    "actual_cost",
    "currency",
    "start_date",
    "end_date",
    "status",
)


async def get_campaign(ctx: Ctx, campaign_id: uuid.UUID) -> Campaign:
    return await CampaignRepository(ctx.session, ctx.principal).get(campaign_id)


async def update_campaign(
    ctx: Ctx, campaign_id: uuid.UUID, data: schemas.CampaignUpdate, if_match: int | None
) -> Campaign:
    campaign = await CampaignRepository(ctx.session, ctx.principal).get_writable(
        campaign_id, if_match=if_match
    )
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    for name in data.model_fields_set:
        value = getattr(data, name)
        if value is None and name in ("name", "currency", "status"):
            raise UnprocessableEntity(
                f"{name} cannot be empty.",
                errors=[FieldError(field=f"body.{name}", message="cannot be null")],
            )
        setattr(campaign, name, value)
    campaign.budget = _cents(campaign.budget)
    campaign.actual_cost = _cents(campaign.actual_cost)
    if campaign.start_date and campaign.end_date and campaign.end_date < campaign.start_date:
        raise UnprocessableEntity(
            "The campaign ends before it starts.",
            code="invalid_dates",
            errors=[FieldError(field="body.end_date", message="before start_date")],
        )
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="campaign",
        action="updated",
        entity_id=campaign.id,
        sequence=campaign.version,
        before=before,
        after=snapshot(campaign, CAMPAIGN_FIELDS),
    )
    return campaign


async def list_campaigns(
    ctx: Ctx, params: ListParams, sort: str
) -> tuple[Sequence[Campaign], str | None, bool]:
    return await CampaignRepository(ctx.session, ctx.principal).page(params, sort)


async def campaign_stats(ctx: Ctx, campaign_id: uuid.UUID) -> schemas.CampaignStats:
    await CampaignRepository(ctx.session, ctx.principal).get(campaign_id)
    row = (
        await ctx.session.execute(
            select(
                func.count(),
                func.count().filter(Lead.status == "converted"),
                func.count(func.distinct(Lead.converted_customer_id)),
            ).where(Lead.campaign_id == campaign_id, Lead.deleted_at.is_(None))
        )
    ).one()
    won = [
        schemas.CampaignWon(currency=currency, deals=deals, amount=amount)
        for hook in campaign_won_hooks
        for currency, deals, amount in await hook(ctx.session, campaign_id)
    ]
    return schemas.CampaignStats(
        campaign_id=campaign_id, leads=row[0], converted=row[1], customers=row[2], won=won
    )


# --- assignment rules --------------------------------------------------------------------


def _require_manager(ctx: Ctx) -> None:
    if not ctx.principal.is_manager:
        raise Forbidden("Managers and admins manage assignment rules.")


RULE_FIELDS = (
    "name",
    "position",
    "active",
    "conditions",
    "strategy",
    "user_ids",
    "team_id",
    "weights",
    "capacity",
)


def _check_candidates(strategy: str, user_ids: Sequence[uuid.UUID], team_id: object) -> None:
    if strategy == schemas.Strategy.team and team_id is None:
        raise UnprocessableEntity(
            "A team strategy needs a team.",
            code="team_required",
            errors=[FieldError(field="body.team_id", message="required")],
        )
    if strategy != schemas.Strategy.team and not user_ids:
        raise UnprocessableEntity(
            "Pick at least one user.",
            code="users_required",
            errors=[FieldError(field="body.user_ids", message="required")],
        )


async def create_rule(ctx: Ctx, data: schemas.AssignmentRuleCreate) -> AssignmentRule:
    _require_manager(ctx)
    _check_candidates(data.strategy, data.user_ids, data.team_id)
    rule = AssignmentRule(
        workspace_id=ctx.principal.workspace_id,
        name=data.name,
        position=data.position,
        active=data.active,
        conditions=data.conditions.model_dump(mode="json"),
        strategy=data.strategy.value,
        user_ids=data.user_ids,
        team_id=data.team_id,
        weights=data.weights,
        capacity=data.capacity,
        state={},
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(rule)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="assignment_rule",
        action="created",
        entity_id=rule.id,
        sequence=1,
        before=None,
        after=data.model_dump(mode="json"),
    )
    return rule


async def list_rules(
    ctx: Ctx, params: ListParams
) -> tuple[Sequence[AssignmentRule], str | None, bool]:
    return await RuleRepository(ctx.session, ctx.principal).page(params, "position")


async def update_rule(
    ctx: Ctx, rule_id: uuid.UUID, data: schemas.AssignmentRuleUpdate, if_match: int | None
) -> AssignmentRule:
    """Change a rule; a new strategy or candidate list starts its turn-taking afresh."""
    _require_manager(ctx)
    rule = await RuleRepository(ctx.session, ctx.principal).get_writable(rule_id, if_match=if_match)
    before = snapshot(rule, RULE_FIELDS)
    fields = data.model_fields_set
    for name in fields & {"name", "position", "active", "strategy", "user_ids", "weights"}:
        value = getattr(data, name)
        if value is None:
            raise UnprocessableEntity(
                f"{name} cannot be empty.",
                errors=[FieldError(field=f"body.{name}", message="cannot be null")],
            )
        setattr(rule, name, value.value if isinstance(value, schemas.Strategy) else value)
    if "conditions" in fields:
        conditions = data.conditions or schemas.RuleConditions()
        rule.conditions = conditions.model_dump(mode="json")
    if "team_id" in fields:
        rule.team_id = data.team_id
    if "capacity" in fields:
        rule.capacity = data.capacity
    _check_candidates(rule.strategy, rule.user_ids, rule.team_id)
    if fields & {"strategy", "user_ids", "team_id", "weights"}:
        rule.state = {}
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="assignment_rule",
        action="updated",
        entity_id=rule.id,
        sequence=rule.version,
        before=before,
        after=snapshot(rule, RULE_FIELDS),
    )
    return rule


async def reorder_rules(ctx: Ctx, data: schemas.AssignmentRuleOrder) -> Sequence[AssignmentRule]:
    """Positions 1..n in the given order; rules not listed keep theirs."""
    _require_manager(ctx)
    if len(set(data.rule_ids)) != len(data.rule_ids):
        raise UnprocessableEntity(
            "A rule appears twice.",
            code="duplicate_rule_ids",
            errors=[FieldError(field="body.rule_ids", message="listed twice")],
        )
    repo = RuleRepository(ctx.session, ctx.principal)
    rules = [await repo.get_writable(rule_id) for rule_id in data.rule_ids]
    for position, rule in enumerate(rules, start=1):
        if rule.position == position:
            continue
        before = rule.position
        rule.position = position
        await ctx.session.flush()
        await record_mutation(
            ctx.session,
            ctx.principal,
            entity="assignment_rule",
            action="updated",
            entity_id=rule.id,
            sequence=rule.version,
            before={"position": before},
            after={"position": position},
        )
    return (
        (
            await ctx.session.execute(
                repo.readable().order_by(AssignmentRule.position, AssignmentRule.id)
            )
        )
        .scalars()
        .all()
    )


async def delete_rule(ctx: Ctx, rule_id: uuid.UUID) -> None:
    _require_manager(ctx)
    rule = await RuleRepository(ctx.session, ctx.principal).get_writable(rule_id)
    rule.deleted_at = datetime.now(UTC)
    rule.active = False
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="assignment_rule",
        action="deleted",
        entity_id=rule.id,
        sequence=rule.version,
        before={"name": rule.name},
        after=None,
    )


async def preview(ctx: Ctx, data: schemas.LeadCreate) -> schemas.RulePreview:
    """Which rule and owner a lead like this would get now (nothing is written)."""
    async with ctx.session.begin_nested() as nested:
        lead = Lead(
            workspace_id=ctx.principal.workspace_id,
            name=data.name,
            source=data.source,
            campaign_id=data.campaign_id,
            province=data.province,
            city=data.city,
            custom_fields=data.custom_fields or {},
            status="new",
        )
        await assignment.assign(ctx.session, lead)
        await ctx.session.flush()  # the rule's advanced state goes into the savepoint…
        result = schemas.RulePreview(
            rule_id=lead.assigned_rule_id, owner_id=lead.owner_id, note=lead.assignment_note or ""
        )
        await nested.rollback()  # …and is rolled back with it
    return result


# --- public web forms --------------------------------------------------------------------


async def create_form(ctx: Ctx, data: schemas.WebFormCreate) -> WebForm:
    _require_manager(ctx)
    form = WebForm(
        workspace_id=ctx.principal.workspace_id,
        name=data.name,
        token=secrets.token_urlsafe(24),
        source=data.source,
        campaign_id=data.campaign_id,
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(form)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="web_form",
        action="created",
        entity_id=form.id,
        sequence=1,
        before=None,
        after={"name": data.name, "source": data.source},
    )
    return form


async def list_forms(ctx: Ctx, params: ListParams) -> tuple[Sequence[WebForm], str | None, bool]:
    return await WebFormRepository(ctx.session, ctx.principal).page(params, "name")


PUBLIC_LIMIT = 10  # submissions per client address per minute


class FormNotFound(NotFound):
    code = "form_not_found"


async def submit_public(
    session: AsyncSession, token: str, data: schemas.PublicLead, client: str | None
) -> None:
    """A public form post: rate-limited per address, honeypot-checked, duplicate-checked,
    assigned by the rules. Spam gets the same answer as a real lead but writes nothing."""
    key = f"form:{client or 'unknown'}"
    if await submissions_since(session, key, datetime.now(UTC) - timedelta(minutes=1)) >= (
        PUBLIC_LIMIT
    ):
        raise TooManyRequests(
            "Too many submissions; try again in a minute.",
            headers={"Retry-After": "60"},
            code="rate_limited",
        )
    record_submission(session, key)
    workspace_id = await form_workspace(session, token)
    if workspace_id is None:
        raise FormNotFound("This form does not exist or is closed.")
    if data.website:  # honeypot filled in: a bot
        return
    await set_workspace(session, workspace_id)
    form = (await session.execute(select(WebForm).where(WebForm.token == token))).scalar_one()
    phones = [data.phone] if data.phone else []
    normalized = normalize_phones(phones)
    if normalized:
        existing = await session.scalar(
            select(Lead.id)
            .where(
                Lead.phones_normalized.overlap(normalized),
                Lead.status != "converted",
                Lead.deleted_at.is_(None),
            )
            .limit(1)
        )
        if existing is not None:
            return  # the same person again: the open lead already covers it
    await _create(
        session,
        None,
        workspace_id,
        schemas.LeadCreate(
            name=data.name,
            company=data.company,
            phones=phones,
            email=data.email,
            source=form.source,
            campaign_id=form.campaign_id,
            notes=data.message,
        ),
        owner_id=None,
    )
