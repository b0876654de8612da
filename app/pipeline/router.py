from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Query, Request, Response, status

from app.auth.dependencies import Ctx, require
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute, open_query_prefixes
from app.errors import Conflict, Forbidden, NotFound, PreconditionFailed, problem_responses
from app.pipeline import schemas, service
from app.pipeline.repository import OpportunityRepository, ProductRepository
from app.pipeline.service import AlreadyClosed, OpportunityFilters, PipelineNotEmpty, StageNotEmpty

router = APIRouter(route_class=UnitOfWorkRoute)

OpportunitySort = OpportunityRepository.sorting.enum("OpportunitySort")
ProductSort = ProductRepository.sorting.enum("ProductSort")

READ = require("opportunities")
WRITE = require("opportunities", write=True)


def _no_content() -> Response:
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- pipelines ---------------------------------------------------------------------------


@router.get("/pipelines", response_model=Page[schemas.Pipeline], tags=["pipelines"])
async def list_pipelines(
    params: ListParams = Depends(list_params), ctx: Ctx = Depends(READ)
) -> Page[schemas.Pipeline]:
    """Pipelines with their stages, in order."""
    rows, cursor, more = await service.list_pipelines(ctx, params)
    return Page(data=rows, next_cursor=cursor, has_more=more)


@router.post(
    "/pipelines",
    response_model=schemas.Pipeline,
    status_code=201,
    tags=["pipelines"],
    responses=problem_responses(Forbidden, Conflict),
)
async def create_pipeline(
    data: schemas.PipelineCreate, ctx: Ctx = Depends(WRITE)
) -> schemas.Pipeline:
    """Create a pipeline (managers and admins); without stages it gets the standard ones."""
    return await service.create_pipeline(ctx, data)


@router.get(
    "/pipelines/{pipeline_id}",
    response_model=schemas.Pipeline,
    tags=["pipelines"],
    responses=problem_responses(NotFound),
)
async def get_pipeline(
    pipeline_id: uuid.UUID, response: Response, ctx: Ctx = Depends(READ)
) -> schemas.Pipeline:
    """One pipeline with its stages."""
    out = await service.get_pipeline(ctx, pipeline_id)
    set_etag(response, out.version)
    return out


@router.patch(
    "/pipelines/{pipeline_id}",
    response_model=schemas.Pipeline,
    tags=["pipelines"],
    responses=problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed),
)
async def update_pipeline(
    pipeline_id: uuid.UUID,
    data: schemas.PipelineUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(WRITE),
) -> schemas.Pipeline:
    """Rename, reorder or make a pipeline the default."""
    return await service.update_pipeline(ctx, pipeline_id, data, version)


@router.delete(
    "/pipelines/{pipeline_id}",
    status_code=204,
    tags=["pipelines"],
    responses=problem_responses(NotFound, Forbidden, PipelineNotEmpty, PreconditionFailed),
)
async def delete_pipeline(
    pipeline_id: uuid.UUID, version: int | None = Depends(if_match), ctx: Ctx = Depends(WRITE)
) -> Response:
    """Delete an empty pipeline that is not the default."""
    await service.delete_pipeline(ctx, pipeline_id, version)
    return _no_content()


@router.get(
    "/pipelines/{pipeline_id}/stages",
    response_model=list[schemas.PipelineStage],
    tags=["pipelines"],
    responses=problem_responses(NotFound),
)
async def list_stages(
    pipeline_id: uuid.UUID, ctx: Ctx = Depends(READ)
) -> list[schemas.PipelineStage]:
    """The pipeline's stages in board order (a short, bounded list)."""
    return await service.list_stages(ctx, pipeline_id)


@router.post(
    "/pipelines/{pipeline_id}/stages",
    response_model=schemas.PipelineStage,
    status_code=201,
    tags=["pipelines"],
    responses=problem_responses(NotFound, Forbidden),
)
async def create_stage(
    pipeline_id: uuid.UUID, data: schemas.PipelineStageCreate, ctx: Ctx = Depends(WRITE)
) -> schemas.PipelineStage:
    """Add a stage (default: after the last open stage)."""
    return await service.create_stage(ctx, pipeline_id, data)


@router.post(
    "/pipelines/{pipeline_id}/stages/reorder",
    response_model=list[schemas.PipelineStage],
    tags=["pipelines"],
    responses=problem_responses(NotFound, Forbidden),
)
async def reorder_stages(
    pipeline_id: uuid.UUID, data: schemas.StageOrder, ctx: Ctx = Depends(WRITE)
) -> list[schemas.PipelineStage]:
    """Set the order of all the pipeline's stages."""
    return await service.reorder_stages(ctx, pipeline_id, data)


@router.patch(
    "/pipelines/{pipeline_id}/stages/{stage_id}",
    response_model=schemas.PipelineStage,
    tags=["pipelines"],
    responses=problem_responses(NotFound, Forbidden, StageNotEmpty, PreconditionFailed),
)
async def update_stage(
    pipeline_id: uuid.UUID,
    stage_id: uuid.UUID,
    data: schemas.PipelineStageUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(WRITE),
) -> schemas.PipelineStage:
    """Rename a stage, change its probability (for deals entering it), kind or rotting days."""
    return await service.update_stage(ctx, pipeline_id, stage_id, data, version)


@router.delete(
    "/pipelines/{pipeline_id}/stages/{stage_id}",
    status_code=204,
    tags=["pipelines"],
    responses=problem_responses(NotFound, Forbidden, StageNotEmpty),
)
async def delete_stage(
    pipeline_id: uuid.UUID,
    stage_id: uuid.UUID,
    move_to_stage_id: uuid.UUID | None = Query(
        None, description="Where its deals go (required when it holds deals; same kind)"
    ),
    ctx: Ctx = Depends(WRITE),
) -> Response:
    """Delete a stage; a stage holding deals needs a target stage for them."""
    await service.delete_stage(ctx, pipeline_id, stage_id, move_to_stage_id)
    return _no_content()


@router.get(
    "/pipelines/{pipeline_id}/board",
    response_model=schemas.PipelineBoard,
    tags=["pipelines"],
    responses=problem_responses(NotFound),
)
async def board(
    pipeline_id: uuid.UUID,
    limit: int = Query(20, ge=1, le=100, description="Deals per column (1–100)"),
    stage_id: uuid.UUID | None = Query(None, description="Only this column (to load more)"),
    cursor: str | None = Query(
        None, max_length=2000, description="A column's next_cursor (with stage_id)"
    ),
    owner_id: uuid.UUID | None = Query(None, description="Only this owner's deals"),
    team_id: uuid.UUID | None = Query(None, description="Only deals of this team (and sub-teams)"),
    closed_days: int = Query(
        30, ge=1, le=3650, description="Won/lost columns show deals closed in these last days"
    ),
    ctx: Ctx = Depends(READ),
) -> schemas.PipelineBoard:
    """The kanban: per stage the first deals in your scope (most recently changed first), the
    column's count and amount totals per currency. Open columns hold open deals; won and lost
    columns hold deals closed within `closed_days`."""
    return await service.board(
        ctx,
        pipeline_id,
        limit=limit,
        stage_id=stage_id,
        cursor=cursor,
        owner_id=owner_id,
        team_id=team_id,
        closed_days=closed_days,
    )


# --- opportunities -----------------------------------------------------------------------


async def opportunity_filters(
    request: Request,
    q: str | None = Query(None, max_length=100, description="Name contains"),
    pipeline_id: uuid.UUID | None = Query(None, description="Pipeline"),
    stage_id: uuid.UUID | None = Query(None, description="Stage"),
    status_: schemas.DealStatus | None = Query(None, alias="status", description="Status"),
    owner_id: uuid.UUID | None = Query(None, description="Owner"),
    team_id: uuid.UUID | None = Query(None, description="Owner in this team (and sub-teams)"),
    customer_id: uuid.UUID | None = Query(None, description="Customer"),
    campaign_id: uuid.UUID | None = Query(None, description="Campaign"),
    rotting: bool | None = Query(None, description="Only rotting / not rotting deals"),
    close_after: date | None = Query(None, description="Expected close on or after"),
    close_before: date | None = Query(None, description="Expected close before"),
) -> OpportunityFilters:
    custom = {k[3:]: v for k, v in request.query_params.items() if k.startswith("cf.")}
    return OpportunityFilters(
        q=q,
        pipeline_id=pipeline_id,
        stage_id=stage_id,
        status=status_.value if status_ else None,
        owner_id=owner_id,
        team_id=team_id,
        customer_id=customer_id,
        campaign_id=campaign_id,
        rotting=rotting,
        close_after=close_after,
        close_before=close_before,
        custom=custom,
    )


@router.get(
    "/opportunities",
    response_model=Page[schemas.Opportunity],
    tags=["opportunities"],
    openapi_extra=open_query_prefixes("cf."),
)
async def list_opportunities(
    params: ListParams = Depends(list_params),
    sort: OpportunitySort = Query("-updated_at", description="Sort key"),  # type: ignore[valid-type]
    filters: OpportunityFilters = Depends(opportunity_filters),
    ctx: Ctx = Depends(READ),
) -> Page[schemas.Opportunity]:
    """Opportunities in your scope; `cf.<key>=value` filters on custom fields."""
    rows, cursor, more = await service.list_opportunities(ctx, params, str(sort), filters)
    return Page(data=rows, next_cursor=cursor, has_more=more)


@router.post(
    "/opportunities",
    response_model=schemas.Opportunity,
    status_code=201,
    tags=["opportunities"],
    responses=problem_responses(Forbidden, Conflict),
)
async def create_opportunity(
    data: schemas.OpportunityCreate, ctx: Ctx = Depends(WRITE)
) -> schemas.Opportunity:
    """Create a deal. With line items, its amount is the sum of their line totals
    (quantity × unit price × (1 − discount %), each rounded half-up to the cent)."""
    return await service.present_one(ctx, await service.create_opportunity(ctx, data))


@router.get(
    "/opportunities/{opportunity_id}",
    response_model=schemas.Opportunity,
    tags=["opportunities"],
    responses=problem_responses(NotFound),
)
async def get_opportunity(
    opportunity_id: uuid.UUID, response: Response, ctx: Ctx = Depends(READ)
) -> schemas.Opportunity:
    """One deal with its line items."""
    out = await service.get_opportunity(ctx, opportunity_id)
    set_etag(response, out.version)
    return out


@router.patch(
    "/opportunities/{opportunity_id}",
    response_model=schemas.Opportunity,
    tags=["opportunities"],
    responses=problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed),
)
async def update_opportunity(
    opportunity_id: uuid.UUID,
    data: schemas.OpportunityUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(WRITE),
) -> schemas.Opportunity:
    """Change a deal; `items` replaces all line items (and so the amount). Stages change
    through move, win and lose."""
    return await service.update_opportunity(ctx, opportunity_id, data, version)


@router.delete(
    "/opportunities/{opportunity_id}",
    status_code=204,
    tags=["opportunities"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def delete_opportunity(
    opportunity_id: uuid.UUID, version: int | None = Depends(if_match), ctx: Ctx = Depends(WRITE)
) -> Response:
    """Move a deal to the recycle bin."""
    await service.delete_opportunity(ctx, opportunity_id, version)
    return _no_content()


@router.post(
    "/opportunities/{opportunity_id}/restore",
    response_model=schemas.Opportunity,
    tags=["opportunities"],
    responses=problem_responses(NotFound, Forbidden, Conflict),
)
async def restore_opportunity(
    opportunity_id: uuid.UUID, ctx: Ctx = Depends(WRITE)
) -> schemas.Opportunity:
    """Bring a deal back from the recycle bin."""
    return await service.restore_opportunity(ctx, opportunity_id)


@router.post(
    "/opportunities/{opportunity_id}/move",
    response_model=schemas.Opportunity,
    tags=["opportunities"],
    responses=problem_responses(NotFound, Forbidden),
)
async def move_opportunity(
    opportunity_id: uuid.UUID, data: schemas.OpportunityMove, ctx: Ctx = Depends(WRITE)
) -> schemas.Opportunity:
    """Move a deal to a stage: a won stage wins it, a lost stage loses it (lost reason
    required), an open stage reopens a closed deal."""
    return await service.move(ctx, opportunity_id, data)


@router.post(
    "/opportunities/{opportunity_id}/win",
    response_model=schemas.Opportunity,
    tags=["opportunities"],
    responses=problem_responses(NotFound, Forbidden, AlreadyClosed),
)
async def win_opportunity(
    opportunity_id: uuid.UUID, data: schemas.OpportunityWin, ctx: Ctx = Depends(WRITE)
) -> schemas.Opportunity:
    """Win a deal (moves it to the pipeline's won stage; sets won_at)."""
    return await service.win(ctx, opportunity_id, data)


@router.post(
    "/opportunities/{opportunity_id}/lose",
    response_model=schemas.Opportunity,
    tags=["opportunities"],
    responses=problem_responses(NotFound, Forbidden, AlreadyClosed),
)
async def lose_opportunity(
    opportunity_id: uuid.UUID, data: schemas.OpportunityLose, ctx: Ctx = Depends(WRITE)
) -> schemas.Opportunity:
    """Lose a deal with a reason (moves it to the pipeline's lost stage; sets lost_at)."""
    return await service.lose(ctx, opportunity_id, data)


@router.get(
    "/opportunities/{opportunity_id}/history",
    response_model=list[schemas.StageVisit],
    tags=["opportunities"],
    responses=problem_responses(NotFound),
)
async def opportunity_history(
    opportunity_id: uuid.UUID, ctx: Ctx = Depends(READ)
) -> list[schemas.StageVisit]:
    """Stage history: when the deal entered and left each stage, and the time it spent there."""
    return await service.history(ctx, opportunity_id)


# --- lost reasons ------------------------------------------------------------------------


@router.get("/lost-reasons", response_model=Page[schemas.LostReason], tags=["lost-reasons"])
async def list_lost_reasons(
    params: ListParams = Depends(list_params),
    active: bool | None = Query(None, description="Only active / inactive reasons"),
    ctx: Ctx = Depends(READ),
) -> Page[schemas.LostReason]:
    """The configurable list of reasons a deal is lost for."""
    rows, cursor, more = await service.list_lost_reasons(ctx, params, active)
    return Page(
        data=[schemas.LostReason.model_validate(r) for r in rows],
        next_cursor=cursor,
        has_more=more,
    )


@router.post(
    "/lost-reasons",
    response_model=schemas.LostReason,
    status_code=201,
    tags=["lost-reasons"],
    responses=problem_responses(Forbidden),
)
async def create_lost_reason(
    data: schemas.LostReasonCreate, ctx: Ctx = Depends(WRITE)
) -> schemas.LostReason:
    """Add a lost reason (managers and admins)."""
    return schemas.LostReason.model_validate(await service.create_lost_reason(ctx, data))


@router.patch(
    "/lost-reasons/{reason_id}",
    response_model=schemas.LostReason,
    tags=["lost-reasons"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_lost_reason(
    reason_id: uuid.UUID,
    data: schemas.LostReasonUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(WRITE),
) -> schemas.LostReason:
    """Relabel, reorder or deactivate a lost reason."""
    return schemas.LostReason.model_validate(
        await service.update_lost_reason(ctx, reason_id, data, version)
    )


@router.delete(
    "/lost-reasons/{reason_id}",
    status_code=204,
    tags=["lost-reasons"],
    responses=problem_responses(NotFound, Forbidden),
)
async def delete_lost_reason(reason_id: uuid.UUID, ctx: Ctx = Depends(WRITE)) -> Response:
    """Remove a lost reason (deals lost for it keep it)."""
    await service.delete_lost_reason(ctx, reason_id)
    return _no_content()


# --- products ----------------------------------------------------------------------------


@router.get("/products", response_model=Page[schemas.Product], tags=["products"])
async def list_products(
    params: ListParams = Depends(list_params),
    sort: ProductSort = Query("name", description="Sort key"),  # type: ignore[valid-type]
    q: str | None = Query(None, max_length=100, description="Name or SKU contains"),
    category: str | None = Query(None, max_length=100, description="Category"),
    active: bool | None = Query(None, description="Only active / inactive products"),
    ctx: Ctx = Depends(READ),
) -> Page[schemas.Product]:
    """The product catalogue."""
    rows, cursor, more = await service.list_products(
        ctx, params, str(sort), q=q, category=category, active=active
    )
    return Page(
        data=[schemas.Product.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/products",
    response_model=schemas.Product,
    status_code=201,
    tags=["products"],
    responses=problem_responses(Forbidden, Conflict),
)
async def create_product(data: schemas.ProductCreate, ctx: Ctx = Depends(WRITE)) -> schemas.Product:
    """Add a product (managers and admins)."""
    return schemas.Product.model_validate(await service.create_product(ctx, data))


@router.get(
    "/products/{product_id}",
    response_model=schemas.Product,
    tags=["products"],
    responses=problem_responses(NotFound),
)
async def get_product(
    product_id: uuid.UUID, response: Response, ctx: Ctx = Depends(READ)
) -> schemas.Product:
    """One product."""
    out = schemas.Product.model_validate(await service.get_product(ctx, product_id))
    set_etag(response, out.version)
    return out


@router.patch(
    "/products/{product_id}",
    response_model=schemas.Product,
    tags=["products"],
    responses=problem_responses(NotFound, Forbidden, Conflict, PreconditionFailed),
)
async def update_product(
    product_id: uuid.UUID,
    data: schemas.ProductUpdate,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(WRITE),
) -> schemas.Product:
    """Change a product (existing line items keep their prices)."""
    return schemas.Product.model_validate(
        await service.update_product(ctx, product_id, data, version)
    )


@router.delete(
    "/products/{product_id}",
    status_code=204,
    tags=["products"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def delete_product(
    product_id: uuid.UUID, version: int | None = Depends(if_match), ctx: Ctx = Depends(WRITE)
) -> Response:
    """Remove a product from the catalogue."""
    await service.delete_product(ctx, product_id, version)
    return _no_content()
