from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.dependencies import Ctx, require
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute
from app.customfields import schemas, service
from app.customfields.repository import CustomFieldRepository
from app.errors import Conflict, Forbidden, NotFound, PreconditionFailed, problem_responses

router = APIRouter(route_class=UnitOfWorkRoute, tags=["custom-fields"])

CustomFieldSort = CustomFieldRepository.sorting.enum("CustomFieldSort")


@router.get("/custom-fields", response_model=Page[schemas.CustomField])
async def list_custom_fields(
    params: ListParams = Depends(list_params),
    sort: CustomFieldSort = Query("position", description="Sort key"),  # type: ignore[valid-type]
    entity: schemas.CustomFieldEntity | None = Query(None, description="Only this entity"),
    ctx: Ctx = Depends(require("settings")),
) -> Page[schemas.CustomField]:
    """Custom field definitions."""
    rows, cursor, more = await service.list_definitions(
        ctx, params, str(sort), entity.value if entity else None
    )
    return Page(
        data=[schemas.CustomField.model_validate(r) for r in rows],
        next_cursor=cursor,
        has_more=more,
    )


@router.post(
    "/custom-fields",
    response_model=schemas.CustomField,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(Forbidden, Conflict),
)
async def create_custom_field(
    data: schemas.CustomFieldCreate, ctx: Ctx = Depends(require("settings"))
) -> schemas.CustomField:
    """Define a custom field (owners and admins)."""
    return schemas.CustomField.model_validate(await service.create_definition(ctx, data))


@router.patch(
    "/custom-fields/{field_id}",
    response_model=schemas.CustomField,
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_custom_field(
    field_id: uuid.UUID,
    data: schemas.CustomFieldUpdate,
    response: Response,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("settings")),
) -> schemas.CustomField:
    """Change labels, options, required flag, default or order of a custom field."""
    defn = await service.update_definition(ctx, field_id, data, version)
    set_etag(response, defn.version)
    return schemas.CustomField.model_validate(defn)


@router.delete(
    "/custom-fields/{field_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound, Forbidden),
)
async def delete_custom_field(
    field_id: uuid.UUID, ctx: Ctx = Depends(require("settings"))
) -> Response:
    """Retire a custom field; values already stored are kept."""
    await service.delete_definition(ctx, field_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
