from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.activities.schemas import Activity
from app.auth.dependencies import Ctx, require
from app.core.deps import get_session
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    TooManyRequests,
    problem_responses,
)
from app.leads import schemas, service
from app.leads.repository import CampaignRepository, LeadRepository

router = APIRouter(route_class=UnitOfWorkRoute)

LeadSort = LeadRepository.sorting.enum("LeadSort")
CampaignSort = CampaignRepository.sorting.enum("CampaignSort")


@router.get("/leads", response_model=Page[schemas.Lead], tags=["leads"])
async def list_leads(
    params: ListParams = Depends(list_params),
    sort: LeadSort = Query("-created_at", description="Sort key"),  # type: ignore[valid-type]
    q: str | None = Query(None, max_length=100, description="Name, company or phone contains"),
    status_: schemas.LeadStatus | None = Query(None, alias="status", description="Status"),
    owner_id: uuid.UUID | None = Query(None, description="Owner"),
    campaign_id: uuid.UUID | None = Query(None, description="Campaign"),
    unassigned: bool | None = Query(None, description="Only leads without / with an owner"),
    source: str | None = Query(None, max_length=100, description="Source equals"),
    ctx: Ctx = Depends(require("leads")),
) -> Page[schemas.Lead]:
    """Leads in your scope."""
    rows, cursor, more = await service.list_leads(
        ctx,
        params,
        str(sort),
        q=q,
        status=status_.value if status_ else None,
        owner_id=owner_id,
        campaign_id=campaign_id,
        unassigned=unassigned,
        source=source,
    )
    return Page(
        data=[schemas.Lead.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/leads",
    response_model=schemas.Lead,
    status_code=201,
    tags=["leads"],
    responses=problem_responses(Forbidden),
)
async def create_lead(
    data: schemas.LeadCreate, ctx: Ctx = Depends(require("leads", write=True))
) -> schemas.Lead:
    """Create a lead; without an owner the assignment rules pick one."""
    return schemas.Lead.model_validate(await service.create_lead(ctx, data))


@router.get(
    "/leads/{lead_id}",
    response_model=schemas.Lead,
    tags=["leads"],
    responses=problem_responses(NotFound),
)
async def get_lead(
    lead_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("leads"))
) -> schemas.Lead:
    """One lead."""
    lead = schemas.Lead.model_validate(await service.get_lead(ctx, lead_id))
    set_etag(response, lead.version)
    return lead


@router.patch(
    "/leads/{lead_id}",
    response_model=schemas.Lead,
    tags=["leads"],
    responses=problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed),
)
async def update_lead(
    lead_id: uuid.UUID,
    data: schemas.LeadUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("leads", write=True)),
) -> schemas.Lead:
    """Change a lead (status, score, owner for managers, ...)."""
    return schemas.Lead.model_validate(await service.update_lead(ctx, lead_id, data, version))


@router.post(
    "/leads/{lead_id}/convert",
    response_model=schemas.ConvertResult,
    tags=["leads"],
    responses=problem_responses(NotFound, Forbidden, Conflict),
)
async def convert_lead(
    lead_id: uuid.UUID, data: schemas.Convert, ctx: Ctx = Depends(require("leads", write=True))
) -> schemas.ConvertResult:
    """Turn a lead into a customer and contact (or attach it to an existing customer)."""
    return await service.convert(ctx, lead_id, data)


@router.get(
    "/leads/{lead_id}/activities",
    response_model=list[Activity],
    tags=["leads"],
    responses=problem_responses(NotFound),
)
async def list_lead_activities(
    lead_id: uuid.UUID, ctx: Ctx = Depends(require("leads"))
) -> list[Activity]:
    """Follow-ups on a lead, newest first."""
    return [Activity.model_validate(a) for a in await service.lead_activities(ctx, lead_id)]


@router.post(
    "/leads/{lead_id}/activities",
    response_model=Activity,
    status_code=201,
    tags=["leads"],
    responses=problem_responses(NotFound, Forbidden),
)
async def log_lead_activity(
    lead_id: uuid.UUID,
    data: schemas.LeadActivityCreate,
    ctx: Ctx = Depends(require("leads", write=True)),
) -> Activity:
    """Log a follow-up on a lead (a new lead becomes contacted)."""
    return Activity.model_validate(await service.log_activity(ctx, lead_id, data))


@router.get("/campaigns", response_model=Page[schemas.Campaign], tags=["campaigns"])
async def list_campaigns(
    params: ListParams = Depends(list_params),
    sort: CampaignSort = Query("name", description="Sort key"),  # type: ignore[valid-type]
    ctx: Ctx = Depends(require("leads")),
) -> Page[schemas.Campaign]:
    """Campaigns."""
    rows, cursor, more = await service.list_campaigns(ctx, params, str(sort))
    return Page(
        data=[schemas.Campaign.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/campaigns",
    response_model=schemas.Campaign,
    status_code=201,
    tags=["campaigns"],
    responses=problem_responses(Forbidden),
)
async def create_campaign(
    data: schemas.CampaignCreate, ctx: Ctx = Depends(require("leads", write=True))
) -> schemas.Campaign:
    """Create a campaign."""
    return schemas.Campaign.model_validate(await service.create_campaign(ctx, data))


@router.get(
    "/campaigns/{campaign_id}",
    response_model=schemas.Campaign,
    tags=["campaigns"],
    responses=problem_responses(NotFound),
)
async def get_campaign(
    campaign_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("leads"))
) -> schemas.Campaign:
    """One campaign."""
    campaign = schemas.Campaign.model_validate(await service.get_campaign(ctx, campaign_id))
    set_etag(response, campaign.version)
    return campaign


@router.patch(
    "/campaigns/{campaign_id}",
    response_model=schemas.Campaign,
    tags=["campaigns"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_campaign(
    campaign_id: uuid.UUID,
    data: schemas.CampaignUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("leads", write=True)),
) -> schemas.Campaign:
    """Change a campaign (name, channel, budget and actual cost, dates, status)."""
    return schemas.Campaign.model_validate(
        await service.update_campaign(ctx, campaign_id, data, version)
    )


@router.get(
    "/campaigns/{campaign_id}/stats",
    response_model=schemas.CampaignStats,
    tags=["campaigns"],
    responses=problem_responses(NotFound),
)
async def campaign_stats(
    campaign_id: uuid.UUID, ctx: Ctx = Depends(require("leads"))
) -> schemas.CampaignStats:
    """Leads and conversions of a campaign."""
    return await service.campaign_stats(ctx, campaign_id)


@router.get(
    "/assignment-rules", response_model=Page[schemas.AssignmentRule], tags=["assignment-rules"]
)
async def list_rules(
    params: ListParams = Depends(list_params), ctx: Ctx = Depends(require("leads"))
) -> Page[schemas.AssignmentRule]:
    """Assignment rules in the order they are tried."""
    rows, cursor, more = await service.list_rules(ctx, params)
    return Page(
        data=[schemas.AssignmentRule.model_validate(r) for r in rows],
        next_cursor=cursor,
        has_more=more,
    )


@router.post(
    "/assignment-rules",
    response_model=schemas.AssignmentRule,
    status_code=201,
    tags=["assignment-rules"],
    responses=problem_responses(Forbidden),
)
async def create_rule(
    data: schemas.AssignmentRuleCreate, ctx: Ctx = Depends(require("leads", write=True))
) -> schemas.AssignmentRule:
    """Add an assignment rule (managers and admins)."""
    return schemas.AssignmentRule.model_validate(await service.create_rule(ctx, data))


@router.patch(
    "/assignment-rules/{rule_id}",
    response_model=schemas.AssignmentRule,
    tags=["assignment-rules"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_rule(
    rule_id: uuid.UUID,
    data: schemas.AssignmentRuleUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("leads", write=True)),
) -> schemas.AssignmentRule:
    """Change an assignment rule (managers and admins)."""
    return schemas.AssignmentRule.model_validate(
        await service.update_rule(ctx, rule_id, data, version)
    )


@router.post(
    "/assignment-rules/reorder",
    response_model=list[schemas.AssignmentRule],
    tags=["assignment-rules"],
    responses=problem_responses(NotFound, Forbidden),
)
async def reorder_rules(
    data: schemas.AssignmentRuleOrder, ctx: Ctx = Depends(require("leads", write=True))
) -> list[schemas.AssignmentRule]:
    """Set the order rules are tried in (the listed rules get positions 1, 2, ...)."""
    return [
        schemas.AssignmentRule.model_validate(r) for r in await service.reorder_rules(ctx, data)
    ]


@router.delete(
    "/assignment-rules/{rule_id}",
    status_code=204,
    tags=["assignment-rules"],
    responses=problem_responses(NotFound, Forbidden),
)
async def delete_rule(
    rule_id: uuid.UUID, ctx: Ctx = Depends(require("leads", write=True))
) -> Response:
    """Remove an assignment rule."""
    await service.delete_rule(ctx, rule_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/assignment-rules/preview", response_model=schemas.RulePreview, tags=["assignment-rules"]
)
async def preview_rule(
    data: schemas.LeadCreate, ctx: Ctx = Depends(require("leads"))
) -> schemas.RulePreview:
    """Test the rules: who would get a lead like this now (nothing is saved)."""
    return await service.preview(ctx, data)


@router.get("/web-forms", response_model=Page[schemas.WebForm], tags=["web-forms"])
async def list_forms(
    params: ListParams = Depends(list_params), ctx: Ctx = Depends(require("leads"))
) -> Page[schemas.WebForm]:
    """Public lead forms."""
    rows, cursor, more = await service.list_forms(ctx, params)
    return Page(
        data=[schemas.WebForm.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/web-forms",
    response_model=schemas.WebForm,
    status_code=201,
    tags=["web-forms"],
    responses=problem_responses(Forbidden),
)
async def create_form(
    data: schemas.WebFormCreate, ctx: Ctx = Depends(require("leads", write=True))
) -> schemas.WebForm:
    """Create a public lead form; embed its token's URL on your website."""
    return schemas.WebForm.model_validate(await service.create_form(ctx, data))


@router.post(
    "/public/forms/{token}/leads",
    response_model=schemas.Accepted,
    status_code=202,
    tags=["public"],
    responses=problem_responses(service.FormNotFound, TooManyRequests),
)
async def submit_form(
    token: str,
    data: schemas.PublicLead,
    request: Request,
    session: AsyncSession = Depends(get_session),
) -> schemas.Accepted:
    """Public lead capture (no login): rate-limited, spam-trapped, assigned by the rules."""
    await service.submit_public(
        session, token, data, request.client.host if request.client else None
    )
    return schemas.Accepted(accepted=True)
