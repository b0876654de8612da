from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends, Query, Request, Response, status

from app.auth.dependencies import Ctx, require
from app.core.http import if_match, set_etag
from app.core.pagination import ListParams, Page, list_params
from app.core.routing import UnitOfWorkRoute, open_query_prefixes
from app.customers import disputes, schemas, service, timeline
from app.customers.repository import ContactRepository, CustomerRepository, TagRepository
from app.customers.service import CustomerFilters, DuplicateBlocked, DuplicateConflict
from app.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    problem_responses,
)
from app.models.customer import Customer

router = APIRouter(route_class=UnitOfWorkRoute)

CustomerSort = CustomerRepository.sorting.enum("CustomerSort")
ContactSort = ContactRepository.sorting.enum("ContactSort")
TagSort = TagRepository.sorting.enum("TagSort")


async def customer_filters(
    request: Request,
    q: str | None = Query(
        None, max_length=100, description="Name, short name, phone, e-mail or contact name contains"
    ),
    owner_id: uuid.UUID | None = Query(None, description="Owner"),
    tag: uuid.UUID | None = Query(None, description="Has this tag"),
    level: str | None = Query(None, max_length=40, description="Level"),
    status_: schemas.CustomerStatus | None = Query(None, alias="status", description="Status"),
    province: str | None = Query(None, max_length=50, description="Province"),
    city: str | None = Query(None, max_length=50, description="City"),
    created_after: datetime | None = Query(None, description="Created at or after"),
    created_before: datetime | None = Query(None, description="Created before"),
    followed_after: datetime | None = Query(None, description="Last follow-up at or after"),
    followed_before: datetime | None = Query(None, description="Last follow-up before"),
    rfm_tier: str | None = Query(
        None, max_length=40, description="RFM tier key (tiers: `GET /settings/rfm`)"
    ),
) -> CustomerFilters:
    custom = {k[3:]: v for k, v in request.query_params.items() if k.startswith("cf.")}
    return CustomerFilters(
        q=q,
        owner_id=owner_id,
        tag=tag,
        level=level,
        status=status_.value if status_ else None,
        province=province,
        city=city,
        created_after=created_after,
        created_before=created_before,
        followed_after=followed_after,
        followed_before=followed_before,
        rfm_tier=rfm_tier,
        custom=custom,
    )


async def _customer(ctx: Ctx, response: Response, customer: Customer) -> schemas.Customer:
    out = await service.present_one(ctx, customer)
    set_etag(response, out.version)
    return out


@router.get(
    "/customers",
    response_model=Page[schemas.Customer],
    tags=["customers"],
    openapi_extra=open_query_prefixes("cf."),
    responses=problem_responses(Forbidden),
)
async def list_customers(
    params: ListParams = Depends(list_params),
    sort: CustomerSort | None = Query(  # type: ignore[valid-type]
        None, description="Sort key (default -updated_at; by relevance when q is given)"
    ),
    filters: CustomerFilters = Depends(customer_filters),
    ctx: Ctx = Depends(require("customers")),
) -> Page[schemas.Customer]:
    """Customers in your scope; filter with `cf.<key>=value` on custom fields too."""
    rows, cursor, more = await service.list_customers(
        ctx, params, str(sort) if sort else None, filters
    )
    return Page(data=await service.present(ctx, rows), next_cursor=cursor, has_more=more)


@router.post(
    "/customers",
    response_model=schemas.Customer,
    status_code=201,
    tags=["customers"],
    responses=problem_responses(Forbidden, DuplicateConflict, DuplicateBlocked),
)
async def create_customer(
    data: schemas.CustomerCreate,
    response: Response,
    ctx: Ctx = Depends(require("customers", write=True)),
) -> schemas.Customer:
    """Create a customer; duplicates answer 409 with the candidates and their owners."""
    return await _customer(ctx, response, await service.create_customer(ctx, data))


@router.post(
    "/customers/duplicates/check", response_model=schemas.DuplicateResult, tags=["customers"]
)
async def check_duplicates(
    data: schemas.DuplicateCheck, ctx: Ctx = Depends(require("customers"))
) -> schemas.DuplicateResult:
    """Who already has this customer? Exact on phone, e-mail, credit code; fuzzy on name."""
    return await service.find_duplicates(
        ctx,
        name=data.name,
        phones=data.phones,
        email=data.email,
        credit_code=data.credit_code,
        exclude_id=data.exclude_id,
    )


@router.post(
    "/customers/transfer",
    response_model=schemas.TransferResult,
    tags=["customers"],
    responses=problem_responses(Forbidden),
)
async def bulk_transfer(
    data: schemas.BulkTransfer, ctx: Ctx = Depends(require("customers", write=True))
) -> schemas.TransferResult:
    """Transfer a selection of customers to another owner."""
    return await service.transfer(ctx, data.customer_ids, data)


@router.post(
    "/customers/tags",
    response_model=schemas.BulkResult,
    tags=["customers"],
    responses=problem_responses(Forbidden),
)
async def bulk_tag(
    data: schemas.BulkTag, ctx: Ctx = Depends(require("customers", write=True))
) -> schemas.BulkResult:
    """Add and remove tags on a selection of customers."""
    return await service.bulk_tag(ctx, data)


@router.get(
    "/customers/{customer_id}",
    response_model=schemas.Customer,
    tags=["customers"],
    responses=problem_responses(NotFound),
)
async def get_customer(
    customer_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("customers"))
) -> schemas.Customer:
    """One customer."""
    return await _customer(ctx, response, await service.get_customer(ctx, customer_id))


@router.patch(
    "/customers/{customer_id}",
    response_model=schemas.Customer,
    tags=["customers"],
    responses=problem_responses(
        NotFound, Forbidden, PreconditionFailed, DuplicateConflict, DuplicateBlocked
    ),
)
async def update_customer(
    customer_id: uuid.UUID,
    data: schemas.CustomerUpdate,
    response: Response,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("customers", write=True)),
) -> schemas.Customer:
    """Change a customer (owner changes go through transfer)."""
    return await _customer(
        ctx, response, await service.update_customer(ctx, customer_id, data, version)
    )


@router.delete(
    "/customers/{customer_id}",
    status_code=204,
    tags=["customers"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed, Conflict),
)
async def delete_customer(
    customer_id: uuid.UUID,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("customers", write=True)),
) -> Response:
    """Move a customer to the recycle bin (restorable for 30 days); refused while contracts or
    deals name it."""
    await service.delete_customer(ctx, customer_id, version)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/customers/{customer_id}/restore",
    response_model=schemas.Customer,
    tags=["customers"],
    responses=problem_responses(NotFound, Forbidden),
)
async def restore_customer(
    customer_id: uuid.UUID,
    response: Response,
    ctx: Ctx = Depends(require("customers", write=True)),
) -> schemas.Customer:
    """Bring a customer back from the recycle bin."""
    return await _customer(ctx, response, await service.restore_customer(ctx, customer_id))


@router.post(
    "/customers/{customer_id}/transfer",
    response_model=schemas.TransferResult,
    tags=["customers"],
    responses=problem_responses(NotFound, Forbidden),
)
async def transfer_customer(
    customer_id: uuid.UUID,
    data: schemas.Transfer,
    ctx: Ctx = Depends(require("customers", write=True)),
) -> schemas.TransferResult:
    """Give a customer (and optionally its open tasks) to another owner; recorded in the
    ownership ledger."""
    return await service.transfer_one(ctx, customer_id, data)


@router.post(
    "/customers/{customer_id}/merge",
    response_model=schemas.Customer,
    tags=["customers"],
    responses=problem_responses(NotFound, Forbidden),
)
async def merge_customer(
    customer_id: uuid.UUID,
    data: schemas.Merge,
    response: Response,
    ctx: Ctx = Depends(require("customers", write=True)),
) -> schemas.Customer:
    """Merge a duplicate into this customer; the duplicate goes to the recycle bin."""
    return await _customer(ctx, response, await service.merge(ctx, customer_id, data))


@router.get(
    "/customers/{customer_id}/ownership",
    response_model=list[schemas.LedgerEntry],
    tags=["customers"],
    responses=problem_responses(NotFound),
)
async def ownership_ledger(
    customer_id: uuid.UUID, ctx: Ctx = Depends(require("customers"))
) -> list[schemas.LedgerEntry]:
    """Every owner this customer has had, newest first."""
    return [schemas.LedgerEntry.model_validate(r) for r in await service.ledger(ctx, customer_id)]


@router.get(
    "/customers/{customer_id}/timeline",
    response_model=Page[schemas.TimelineItem],
    tags=["customers"],
    responses=problem_responses(NotFound),
)
async def customer_timeline(
    customer_id: uuid.UUID,
    limit: int = Query(50, ge=1, le=200, description="Page size"),
    cursor: str | None = Query(None, max_length=500, description="From a previous page"),
    ctx: Ctx = Depends(require("customers")),
) -> Page[schemas.TimelineItem]:
    """Follow-ups, tasks, ownership and field changes, newest first."""
    items, next_cursor, more = await timeline.timeline(ctx, customer_id, limit, cursor)
    return Page(data=items, next_cursor=next_cursor, has_more=more)


@router.get(
    "/customers/{customer_id}/collaborators",
    response_model=list[schemas.Collaborator],
    tags=["customers"],
    responses=problem_responses(NotFound),
)
async def list_collaborators(
    customer_id: uuid.UUID, ctx: Ctx = Depends(require("customers"))
) -> list[schemas.Collaborator]:
    """The account team."""
    return [
        schemas.Collaborator.model_validate(c)
        for c in await service.list_collaborators(ctx, customer_id)
    ]


@router.post(
    "/customers/{customer_id}/collaborators",
    response_model=schemas.Collaborator,
    tags=["customers"],
    responses=problem_responses(NotFound, Forbidden, Conflict),
)
async def set_collaborator(
    customer_id: uuid.UUID,
    data: schemas.CollaboratorSet,
    ctx: Ctx = Depends(require("customers", write=True)),
) -> schemas.Collaborator:
    """Add someone to the account team (read or write, optionally until a date)."""
    return schemas.Collaborator.model_validate(
        await service.set_collaborator(ctx, customer_id, data)
    )


@router.delete(
    "/customers/{customer_id}/collaborators/{user_id}",
    status_code=204,
    tags=["customers"],
    responses=problem_responses(NotFound, Forbidden),
)
async def remove_collaborator(
    customer_id: uuid.UUID,
    user_id: uuid.UUID,
    ctx: Ctx = Depends(require("customers", write=True)),
) -> Response:
    """Remove someone from the account team."""
    await service.remove_collaborator(ctx, customer_id, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- contacts ----------------------------------------------------------------------------


@router.get(
    "/customers/{customer_id}/contacts",
    response_model=Page[schemas.Contact],
    tags=["contacts"],
    responses=problem_responses(NotFound),
)
async def list_customer_contacts(
    customer_id: uuid.UUID,
    params: ListParams = Depends(list_params),
    sort: ContactSort = Query("name", description="Sort key"),  # type: ignore[valid-type]
    ctx: Ctx = Depends(require("customers")),
) -> Page[schemas.Contact]:
    """A customer's contacts."""
    rows, cursor, more = await service.list_contacts(
        ctx, params, str(sort), customer_id, None, customer_must_exist=True
    )
    return Page(
        data=[schemas.Contact.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/customers/{customer_id}/contacts",
    response_model=schemas.Contact,
    status_code=201,
    tags=["contacts"],
    responses=problem_responses(NotFound, Forbidden),
)
async def create_contact(
    customer_id: uuid.UUID,
    data: schemas.ContactCreate,
    response: Response,
    ctx: Ctx = Depends(require("customers", write=True)),
) -> schemas.Contact:
    """Add a contact to a customer."""
    contact = schemas.Contact.model_validate(await service.create_contact(ctx, customer_id, data))
    set_etag(response, contact.version)
    return contact


@router.get("/contacts", response_model=Page[schemas.Contact], tags=["contacts"])
async def list_contacts(
    params: ListParams = Depends(list_params),
    sort: ContactSort = Query("name", description="Sort key"),  # type: ignore[valid-type]
    customer_id: uuid.UUID | None = Query(None, description="Only this customer's"),
    q: str | None = Query(None, max_length=100, description="Name or e-mail contains"),
    ctx: Ctx = Depends(require("customers")),
) -> Page[schemas.Contact]:
    """Contacts of customers in your scope."""
    rows, cursor, more = await service.list_contacts(ctx, params, str(sort), customer_id, q)
    return Page(
        data=[schemas.Contact.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.get(
    "/contacts/{contact_id}",
    response_model=schemas.Contact,
    tags=["contacts"],
    responses=problem_responses(NotFound),
)
async def get_contact(
    contact_id: uuid.UUID, response: Response, ctx: Ctx = Depends(require("customers"))
) -> schemas.Contact:
    """One contact."""
    contact = schemas.Contact.model_validate(await service.get_contact(ctx, contact_id))
    set_etag(response, contact.version)
    return contact


@router.patch(
    "/contacts/{contact_id}",
    response_model=schemas.Contact,
    tags=["contacts"],
    responses=problem_responses(NotFound, Forbidden, PreconditionFailed),
)
async def update_contact(
    contact_id: uuid.UUID,
    data: schemas.ContactUpdate,
    response: Response,
    version: int | None = Depends(if_match),
    ctx: Ctx = Depends(require("customers", write=True)),
) -> schemas.Contact:
    """Change a contact."""
    contact = schemas.Contact.model_validate(
        await service.update_contact(ctx, contact_id, data, version)
    )
    set_etag(response, contact.version)
    return contact


@router.delete(
    "/contacts/{contact_id}",
    status_code=204,
    tags=["contacts"],
    responses=problem_responses(NotFound, Forbidden),
)
async def delete_contact(
    contact_id: uuid.UUID, ctx: Ctx = Depends(require("customers", write=True))
) -> Response:
    """Move a contact to the recycle bin."""
    await service.delete_contact(ctx, contact_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- tags --------------------------------------------------------------------------------


@router.get("/tags", response_model=Page[schemas.Tag], tags=["tags"])
async def list_tags(
    params: ListParams = Depends(list_params),
    sort: TagSort = Query("name", description="Sort key"),  # type: ignore[valid-type]
    ctx: Ctx = Depends(require("customers")),
) -> Page[schemas.Tag]:
    """The workspace's tags."""
    rows, cursor, more = await service.list_tags(ctx, params, str(sort))
    return Page(
        data=[schemas.Tag.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/tags",
    response_model=schemas.Tag,
    status_code=201,
    tags=["tags"],
    responses=problem_responses(Forbidden, Conflict),
)
async def create_tag(
    data: schemas.TagCreate, ctx: Ctx = Depends(require("customers", write=True))
) -> schemas.Tag:
    """Create a tag."""
    return schemas.Tag.model_validate(await service.create_tag(ctx, data))


@router.patch(
    "/tags/{tag_id}",
    response_model=schemas.Tag,
    tags=["tags"],
    responses=problem_responses(NotFound, Forbidden),
)
async def update_tag(
    tag_id: uuid.UUID,
    data: schemas.TagUpdate,
    ctx: Ctx = Depends(require("customers", write=True)),
) -> schemas.Tag:
    """Rename or recolour a tag."""
    return schemas.Tag.model_validate(await service.update_tag(ctx, tag_id, data))


@router.delete(
    "/tags/{tag_id}",
    status_code=204,
    tags=["tags"],
    responses=problem_responses(NotFound, Forbidden),
)
async def delete_tag(
    tag_id: uuid.UUID, ctx: Ctx = Depends(require("customers", write=True))
) -> Response:
    """Delete a tag and remove it from every customer."""
    await service.delete_tag(ctx, tag_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- handover (a users action, owned by this domain's rules) -----------------------------


@router.post(
    "/users/{user_id}/handover",
    response_model=schemas.HandoverReport,
    tags=["users"],
    responses=problem_responses(NotFound, Forbidden),
)
async def handover_user(
    user_id: uuid.UUID,
    data: schemas.Handover,
    ctx: Ctx = Depends(require("customers", write=True)),
) -> schemas.HandoverReport:
    """Move everything a departing user owns to another user, in one transaction."""
    return await service.handover(ctx, user_id, data)


# --- ownership disputes ------------------------------------------------------------------


@router.get("/disputes", response_model=Page[schemas.Dispute], tags=["disputes"])
async def list_disputes(
    params: ListParams = Depends(list_params),
    status_: schemas.DisputeStatus | None = Query(None, alias="status", description="Status"),
    ctx: Ctx = Depends(require("customers")),
) -> Page[schemas.Dispute]:
    """Disputes you raised (managers: their team's; admins: all)."""
    rows, cursor, more = await disputes.list_disputes(ctx, params, status_)
    return Page(
        data=[schemas.Dispute.model_validate(r) for r in rows], next_cursor=cursor, has_more=more
    )


@router.post(
    "/disputes",
    response_model=schemas.Dispute,
    status_code=201,
    tags=["disputes"],
    responses=problem_responses(Conflict),
)
async def raise_dispute(
    data: schemas.DisputeCreate, ctx: Ctx = Depends(require("customers", write=True))
) -> schemas.Dispute:
    """Claim a customer another rep owns; the owner keeps it until a manager decides."""
    return schemas.Dispute.model_validate(await disputes.raise_dispute(ctx, data))


@router.post(
    "/disputes/{dispute_id}/decide",
    response_model=schemas.Dispute,
    tags=["disputes"],
    responses=problem_responses(NotFound, Forbidden, Conflict),
)
async def decide_dispute(
    dispute_id: uuid.UUID,
    data: schemas.DisputeDecision,
    ctx: Ctx = Depends(require("customers", write=True)),
) -> schemas.Dispute:
    """Uphold (ownership moves to the claimant) or reject a dispute."""
    return schemas.Dispute.model_validate(await disputes.decide(ctx, dispute_id, data))


@router.get("/settings/customers", response_model=schemas.CustomerSettings, tags=["settings"])
async def get_customer_settings(
    ctx: Ctx = Depends(require("customers")),
) -> schemas.CustomerSettings:
    """Customer levels and the duplicate policy of the workspace."""
    return await service.get_settings(ctx)


@router.patch(
    "/settings/customers",
    response_model=schemas.CustomerSettings,
    tags=["settings"],
    responses=problem_responses(Forbidden),
)
async def update_customer_settings(
    data: schemas.CustomerSettingsUpdate, ctx: Ctx = Depends(require("customers"))
) -> schemas.CustomerSettings:
    """Change the customer levels or the duplicate policy (owners and admins)."""
    return await service.update_settings(ctx, data)
