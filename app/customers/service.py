"""Customers: the rules that make "the customers belong to the company" true.

Every customer has one owner of record; every owner change goes through `move_owner()`,
which writes the ownership ledger, runs the hooks other domains registered (so deals and
contracts follow their customer) and notifies the new owner.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics.value import service as customer_value
from app.auth.dependencies import Ctx
from app.core import hooks
from app.core.audit import record_mutation, snapshot
from app.core.filtering import contains_pattern
from app.core.ids import uuid7
from app.core.pagination import ListParams, PlainRow, SortSpec, paginate
from app.core.principal import Principal
from app.customers import schemas
from app.customers.normalize import normalize_company_name, normalize_email, normalize_phones
from app.customers.repository import (
    ContactRepository,
    CustomerRepository,
    DuplicateHit,
    TagRepository,
    search_condition,
    user_is_active,
)
from app.customfields.service import filter_conditions, validate_values
from app.errors import (
    AppError,
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    UnprocessableEntity,
)
from app.models.customer import (
    Activity,
    Contact,
    Customer,
    CustomerCollaborator,
    Notification,
    OwnershipChange,
    Tag,
    Task,
)
from app.models.workspace import Workspace

CUSTOMER_FIELDS = (
    "kind",
    "name",
    "short_name",
    "industry",
    "source",
    "level",
    "status",
    "province",
    "city",
    "district",
    "address",
    "phones",
    "email",
    "website",
    "credit_code",
    "tag_ids",
    "owner_id",
    "external_source",
    "external_id",
    "custom_fields",
    "next_follow_up_at",
    "merged_into_id",
)
CONTACT_FIELDS = (
    "customer_id",
    "name",
    "title",
    "phones",
    "email",
    "wechat",
    "birthday",
    "is_primary",
    "notes",
    "custom_fields",
    "external_source",
    "external_id",
)

DEFAULT_POLICY = {"credit_code": "block", "phone": "warn", "email": "warn", "name": "warn"}
DEFAULT_LEVELS = ["A", "B", "C"]
DEFAULT_NAME_THRESHOLD = 0.6


class DuplicateConflict(AppError):
    status = 409
    code = "duplicate_customer"
    title = "Possible duplicate customer"


class DuplicateBlocked(AppError):
    status = 409
    code = "duplicate_blocked"
    title = "Duplicate customer refused by workspace policy"


@dataclass
class CustomerSettings:
    levels: list[str] = field(default_factory=lambda: list(DEFAULT_LEVELS))
    duplicate_policy: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_POLICY))
    name_threshold: float = DEFAULT_NAME_THRESHOLD


async def customer_settings(session: AsyncSession) -> CustomerSettings:
    raw = (await session.execute(select(Workspace.settings))).scalar_one_or_none() or {}
    conf = raw.get("customers", {})
    return CustomerSettings(
        levels=conf.get("levels", list(DEFAULT_LEVELS)),
        duplicate_policy={**DEFAULT_POLICY, **conf.get("duplicate_policy", {})},
        name_threshold=float(conf.get("name_threshold", DEFAULT_NAME_THRESHOLD)),
    )


MATCH_TYPES = frozenset(DEFAULT_POLICY)


async def get_settings(ctx: Ctx) -> schemas.CustomerSettings:
    conf = await customer_settings(ctx.session)
    return schemas.CustomerSettings(
        levels=conf.levels,
        duplicate_policy=conf.duplicate_policy,
        name_threshold=conf.name_threshold,
    )


async def update_settings(
    ctx: Ctx, data: schemas.CustomerSettingsUpdate
) -> schemas.CustomerSettings:
    """Levels and duplicate policy of the workspace (owners and admins)."""
    if not ctx.principal.is_admin:
        raise Forbidden("Only owners and admins change customer settings.")
    if data.duplicate_policy and (unknown := set(data.duplicate_policy) - MATCH_TYPES):
        raise UnprocessableEntity(
            "Unknown match type.",
            code="validation_error",
            errors=[
                FieldError(
                    field="body.duplicate_policy", message=f"unknown: {', '.join(sorted(unknown))}"
                )
            ],
        )
    workspace = (await ctx.session.execute(select(Workspace).with_for_update())).scalar_one()
    before = dict(workspace.settings.get("customers", {}))
    conf = dict(before)
    if data.levels is not None:
        conf["levels"] = list(dict.fromkeys(data.levels))
    if data.duplicate_policy is not None:
        conf["duplicate_policy"] = {
            **conf.get("duplicate_policy", {}),
            **{k: v.value for k, v in data.duplicate_policy.items()},
        }
    if data.name_threshold is not None:
        conf["name_threshold"] = data.name_threshold
    workspace.settings = {**workspace.settings, "customers": conf}
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="workspace",
        action="updated",
        entity_id=workspace.id,
        sequence=workspace.version,
        before={"customers": before},
        after={"customers": conf},
    )
    return await get_settings(ctx)


# --- duplicates --------------------------------------------------------------------------


async def find_duplicates(
    ctx: Ctx,
    *,
    name: str | None,
    phones: list[str],
    email: str | None,
    credit_code: str | None,
    exclude_id: uuid.UUID | None = None,
) -> schemas.DuplicateResult:
    """Exact matches on phone (E.164), e-mail and credit code; fuzzy on the normalised name.

    Candidates owned by others are named with their owner, never with contact details.
    """
    repo = CustomerRepository(ctx.session, ctx.principal)
    conf = await customer_settings(ctx.session)
    policy = conf.duplicate_policy
    hits = await repo.duplicate_candidates(
        phones=normalize_phones(phones),
        email=normalize_email(email),
        credit_code=(credit_code or "").strip().upper() or None,
        name=normalize_company_name(name) if name and name.strip() else None,
        threshold=conf.name_threshold,
        exclude=exclude_id,
    )
    found: dict[uuid.UUID, tuple[DuplicateHit, list[schemas.MatchReason]]] = {}
    for hit in hits:
        entry = found.setdefault(hit.customer.id, (hit, []))
        if not any(r.field == hit.field and r.value == hit.value for r in entry[1]):
            entry[1].append(
                schemas.MatchReason(
                    field=hit.field,
                    value=hit.value,
                    score=round(hit.score, 3),
                    policy=policy.get(hit.field, "warn"),
                )
            )
    candidates = [
        schemas.DuplicateCandidate(
            customer_id=hit.customer.id,
            name=hit.customer.name,
            owner_id=hit.customer.owner_id,
            owner_name=hit.owner_name,
            in_your_scope=hit.in_scope,
            score=max(r.score for r in reasons),
            reasons=reasons,
        )
        for hit, reasons in found.values()
        if any(r.policy != "allow" for r in reasons)
    ]
    candidates.sort(key=lambda c: c.score, reverse=True)
    policies = {r.policy for c in candidates for r in c.reasons}
    return schemas.DuplicateResult(
        candidates=candidates, blocked="block" in policies, warn="warn" in policies
    )


async def _enforce_duplicate_policy(
    ctx: Ctx,
    *,
    name: str | None,
    phones: list[str],
    email: str | None,
    credit_code: str | None,
    exclude_id: uuid.UUID | None,
    force: bool,
) -> schemas.DuplicateResult:
    result = await find_duplicates(
        ctx, name=name, phones=phones, email=email, credit_code=credit_code, exclude_id=exclude_id
    )
    extra = {"candidates": [c.model_dump(mode="json") for c in result.candidates]}
    refusal = duplicate_refusal(blocked=result.blocked, warn=result.warn, force=force, extra=extra)
    if refusal is not None:
        raise refusal
    return result


def duplicate_refusal(
    *, blocked: bool, warn: bool, force: bool, extra: dict[str, Any] | None = None
) -> AppError | None:
    """The workspace policy's answer to a new or changed customer that matches others:
    refused (a `block` match), needs `force` (a `warn` match) or saved (None)."""
    if blocked:
        return DuplicateBlocked(
            "A customer with the same identifying details exists; the workspace policy "
            "refuses a second one. Ask its owner, or raise an ownership dispute.",
            extra=extra,
        )
    if warn and not force:
        return DuplicateConflict(
            "This looks like an existing customer. Check the candidates; resend with "
            "force=true to save anyway.",
            extra=extra,
        )
    return None


@dataclass(frozen=True)
class Identity:
    """What the duplicate policy compares of a customer, normalised as `find_duplicates`
    does."""

    name: str | None
    phones: list[str]
    email: str | None
    credit_code: str | None

    @classmethod
    def of(
        cls, *, name: str | None, phones: list[str], email: str | None, credit_code: str | None
    ) -> Identity:
        return cls(
            name=normalize_company_name(name) if name and name.strip() else None,
            phones=normalize_phones(phones),
            email=normalize_email(email),
            credit_code=(credit_code or "").strip().upper() or None,
        )

    def values(self) -> list[tuple[str, str]]:
        """(match type, value) pairs, as `duplicate_candidates` matches them."""
        out = [("phone", phone) for phone in self.phones]
        if self.email:
            out.append(("email", self.email))
        if self.credit_code:
            out.append(("credit_code", self.credit_code))
        if self.name and len(self.name) >= 2:
            out.append(("name", self.name))
        return out


@dataclass(frozen=True)
class Lookalike:
    """A customer a new one matches (existing, or earlier in the same batch)."""

    customer_id: uuid.UUID
    name: str
    owner_id: uuid.UUID | None


@dataclass(frozen=True)
class NewCustomer:
    id: uuid.UUID
    name: str
    owner_id: uuid.UUID | None
    identity: Identity
    force: bool


async def screen_new_customers(
    ctx: Ctx, batch: Sequence[NewCustomer]
) -> list[AppError | list[Lookalike]]:
    """The duplicate policy of `create_customer` for many new customers at once (batch
    upserts), in order: per customer, its refusal (`duplicate_blocked`, or
    `duplicate_customer` without `force`) or the lookalikes whose owners are told.

    One statement finds the existing matches of the whole batch (exact on phone, e-mail,
    credit code and normalised name: `CustomerRepository.duplicate_matches`); a customer
    also matches the batch's earlier customers that passed, as if they had been created
    one by one. Each match is classified by the workspace policy as in `find_duplicates`.
    """
    policy = (await customer_settings(ctx.session)).duplicate_policy
    wanted: dict[str, set[str]] = {name: set() for name in MATCH_TYPES}
    for new in batch:
        for kind, value in new.identity.values():
            wanted[kind].add(value)
    found: dict[tuple[str, str], dict[uuid.UUID, Lookalike]] = {}
    for m in await CustomerRepository(ctx.session, ctx.principal).duplicate_matches(
        phones=sorted(wanted["phone"]),
        emails=sorted(wanted["email"]),
        credit_codes=sorted(wanted["credit_code"]),
        names=sorted(wanted["name"]),
    ):
        found.setdefault((m.field, m.value), {})[m.customer_id] = Lookalike(
            m.customer_id, m.name, m.owner_id
        )
    out: list[AppError | list[Lookalike]] = []
    for new in batch:
        matched: dict[uuid.UUID, tuple[Lookalike, set[str]]] = {}
        for kind, value in new.identity.values():
            for look in found.get((kind, value), {}).values():
                matched.setdefault(look.customer_id, (look, set()))[1].add(policy.get(kind, "warn"))
        candidates = [(look, p) for look, p in matched.values() if p - {"allow"}]
        policies = {p for _, ps in candidates for p in ps}
        refusal = duplicate_refusal(
            blocked="block" in policies, warn="warn" in policies, force=new.force
        )
        if refusal is not None:
            out.append(refusal)
            continue
        out.append([look for look, _ in candidates])
        me = Lookalike(new.id, new.name, new.owner_id)
        for key in new.identity.values():
            found.setdefault(key, {})[new.id] = me
    return out


def duplicate_notifications(
    ctx: Ctx, customer_id: uuid.UUID, name: str, lookalikes: Sequence[Lookalike]
) -> list[dict[str, Any]]:
    """The rows `_notify_duplicate_owners` adds, for a bulk insert."""
    return [
        {
            "id": uuid7(),
            "workspace_id": ctx.principal.workspace_id,
            "user_id": look.owner_id,
            "kind": "duplicate_conflict",
            "title": f"{ctx.principal.name} created {name}, similar to {look.name}",
            "entity": "customer",
            "entity_id": look.customer_id,
            "data": {"new_customer_id": str(customer_id), "by": str(ctx.principal.user_id)},
        }
        for look in lookalikes
        if look.owner_id and look.owner_id != ctx.principal.user_id
    ]


async def _notify_duplicate_owners(
    ctx: Ctx, customer: Customer, result: schemas.DuplicateResult
) -> None:
    for cand in result.candidates:
        if cand.owner_id and cand.owner_id != ctx.principal.user_id:
            ctx.session.add(
                Notification(
                    workspace_id=ctx.principal.workspace_id,
                    user_id=cand.owner_id,
                    kind="duplicate_conflict",
                    title=f"{ctx.principal.name} created {customer.name}, similar to {cand.name}",
                    entity="customer",
                    entity_id=cand.customer_id,
                    data={"new_customer_id": str(customer.id), "by": str(ctx.principal.user_id)},
                )
            )


# --- create / update / delete ------------------------------------------------------------


def _normalize_into(customer: Customer) -> None:
    customer.phones_normalized = normalize_phones(customer.phones)
    customer.email_normalized = normalize_email(customer.email)
    customer.name_normalized = normalize_company_name(customer.name)


async def _check_refs(
    ctx: Ctx, *, level: str | None, tag_ids: list[uuid.UUID] | None, owner_id: uuid.UUID | None
) -> None:
    errors: list[FieldError] = []
    conf = await customer_settings(ctx.session)
    if level is not None and conf.levels and level not in conf.levels:
        errors.append(
            FieldError(field="body.level", message=f"must be one of: {', '.join(conf.levels)}")
        )
    if tag_ids:
        known = await CustomerRepository(ctx.session, ctx.principal).tags_exist(tag_ids)
        if missing := [str(t) for t in tag_ids if t not in known]:
            errors.append(
                FieldError(field="body.tag_ids", message=f"unknown tag(s): {', '.join(missing)}")
            )
    if owner_id is not None and not await user_is_active(ctx.session, owner_id):
        errors.append(FieldError(field="body.owner_id", message="unknown or inactive user"))
    if errors:
        raise UnprocessableEntity(
            "Some fields are invalid.", errors=errors, code="invalid_reference"
        )


async def create_customer(ctx: Ctx, data: schemas.CustomerCreate) -> Customer:
    owner_id = data.owner_id or ctx.principal.user_id
    if owner_id != ctx.principal.user_id and not ctx.principal.is_manager:
        raise Forbidden("You can only create customers you own.", code="owner_not_allowed")
    await _check_refs(ctx, level=data.level, tag_ids=data.tag_ids, owner_id=owner_id)
    await CustomerRepository(ctx.session, ctx.principal).ensure_external_id_free(
        data.external_source, data.external_id, None
    )
    custom = await validate_values(ctx.session, "customer", data.custom_fields, creating=True)
    dup = await _enforce_duplicate_policy(
        ctx,
        name=data.name,
        phones=data.phones,
        email=data.email,
        credit_code=data.credit_code,
        exclude_id=None,
        force=data.force,
    )
    customer = Customer(
        workspace_id=ctx.principal.workspace_id,
        created_by=ctx.principal.user_id,
        owned_since=datetime.now(UTC),
        kind=data.kind.value,
        name=data.name,
        status=data.status.value,
        phones=data.phones,
        owner_id=owner_id,
        custom_fields=custom,
        tag_ids=data.tag_ids or [],
        **{
            k: getattr(data, k)
            for k in (
                "short_name",
                "industry",
                "source",
                "level",
                "province",
                "city",
                "district",
                "address",
                "email",
                "website",
                "credit_code",
                "external_source",
                "external_id",
            )
        },
    )
    _normalize_into(customer)
    ctx.session.add(customer)
    await ctx.session.flush()
    repo = CustomerRepository(ctx.session, ctx.principal)
    await repo.refresh_search_text([customer.id])
    ctx.session.add(
        OwnershipChange(
            workspace_id=ctx.principal.workspace_id,
            customer_id=customer.id,
            from_user_id=None,
            to_user_id=owner_id,
            kind="create",
            actor_id=ctx.principal.user_id,
        )
    )
    if dup.candidates:
        await _notify_duplicate_owners(ctx, customer, dup)
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="customer",
        action="created",
        entity_id=customer.id,
        sequence=customer.version,
        before=None,
        after=snapshot(customer, CUSTOMER_FIELDS),
    )
    return customer


async def update_customer(
    ctx: Ctx, customer_id: uuid.UUID, data: schemas.CustomerUpdate, if_match: int | None
) -> Customer:
    repo = CustomerRepository(ctx.session, ctx.principal)
    customer = await repo.get_writable(customer_id, if_match=if_match)
    before = snapshot(customer, CUSTOMER_FIELDS)
    fields = data.model_fields_set - {"force", "custom_fields"}
    if "locked" in fields and not ctx.principal.is_manager:
        raise Forbidden(
            "Only managers and admins lock customers against reclaim.", code="lock_not_allowed"
        )
    await _check_refs(
        ctx,
        level=data.level if "level" in fields else None,
        tag_ids=data.tag_ids if "tag_ids" in fields else None,
        owner_id=None,
    )
    if {"external_source", "external_id"} & fields:
        await CustomerRepository(ctx.session, ctx.principal).ensure_external_id_free(
            data.external_source if "external_source" in fields else customer.external_source,
            data.external_id if "external_id" in fields else customer.external_id,
            customer.id,
        )
    nullable_ok = {
        "short_name",
        "industry",
        "source",
        "level",
        "province",
        "city",
        "district",
        "address",
        "email",
        "website",
        "credit_code",
        "external_source",
        "external_id",
    }
    for name in fields:
        value = getattr(data, name)
        if value is None and name not in nullable_ok:
            raise UnprocessableEntity(
                f"{name} cannot be empty.",
                code="validation_error",
                errors=[FieldError(field=f"body.{name}", message="cannot be null")],
            )
        setattr(customer, name, value.value if hasattr(value, "value") else value)
    if "custom_fields" in data.model_fields_set:
        customer.custom_fields = await validate_values(
            ctx.session,
            "customer",
            data.custom_fields,
            current=customer.custom_fields,
            creating=False,
        )
    identity_changed = {"name", "phones", "email", "credit_code"} & fields
    if identity_changed:
        await _enforce_duplicate_policy(
            ctx,
            name=customer.name if "name" in fields else None,
            phones=customer.phones if "phones" in fields else [],
            email=customer.email if "email" in fields else None,
            credit_code=customer.credit_code if "credit_code" in fields else None,
            exclude_id=customer.id,
            force=data.force,
        )
    _normalize_into(customer)
    await ctx.session.flush()
    await repo.refresh_search_text([customer.id])
    await ctx.session.refresh(customer)
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="customer",
        action="updated",
        entity_id=customer.id,
        sequence=customer.version,
        before=before,
        after=snapshot(customer, CUSTOMER_FIELDS),
    )
    return customer


def _counted(counts: dict[str, int]) -> str:
    """{"contracts": 2, "deals": 1} → "2 contracts, 1 deal"."""

    def noun(name: str, n: int) -> str:
        if n != 1:
            return name
        return name[:-3] + "y" if name.endswith("ies") else name.removesuffix("s")

    return ", ".join(f"{n} {noun(name, n)}" for name, n in counts.items())


async def delete_customer(ctx: Ctx, customer_id: uuid.UUID, if_match: int | None) -> None:
    """Recycle bin, purged after 30 days. Refused (409, nothing written) while the customer
    has records the purge would destroy or orphan (contracts, open deals ...): the domains
    that own them say so through `hooks.customer_delete_guards`."""
    customer = await CustomerRepository(ctx.session, ctx.principal).get_writable(
        customer_id, if_match=if_match
    )
    blocking: dict[str, int] = {}
    for guard in hooks.customer_delete_guards:
        for name, n in (await guard(ctx.session, customer.id)).items():
            if n > 0:
                blocking[name] = blocking.get(name, 0) + n
    if blocking:
        raise Conflict(
            f"Customer {customer.name} has {_counted(blocking)}: move them to another "
            "customer (merging the customer into another moves them all) or remove them "
            "first.",
            code="customer_has_records",
            extra={"records": blocking},
        )
    before = snapshot(customer, CUSTOMER_FIELDS)
    customer.deleted_at = datetime.now(UTC)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="customer",
        action="deleted",
        entity_id=customer.id,
        sequence=customer.version,
        before=before,
        after=None,
    )


async def restore_customer(ctx: Ctx, customer_id: uuid.UUID) -> Customer:
    customer = await CustomerRepository(ctx.session, ctx.principal).get_writable(
        customer_id, include_deleted=True
    )
    if customer.deleted_at is None:
        return customer
    before = snapshot(customer, CUSTOMER_FIELDS)
    customer.deleted_at = None
    customer.merged_into_id = None
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="customer",
        action="restored",
        entity_id=customer.id,
        sequence=customer.version,
        before=before,
        after=snapshot(customer, CUSTOMER_FIELDS),
    )
    return customer


async def get_customer(ctx: Ctx, customer_id: uuid.UUID) -> Customer:
    return await CustomerRepository(ctx.session, ctx.principal).get(customer_id)


_COLUMNS = tuple(c.key for c in Customer.__table__.columns)


async def present(ctx: Ctx, rows: Sequence[Customer | PlainRow]) -> list[schemas.Customer]:
    """Response models of customers (ORM rows, or the list's plain rows) with their RFM
    scores, looked up for all of them at once."""
    fields = [r if isinstance(r, dict) else {k: getattr(r, k) for k in _COLUMNS} for r in rows]
    rfm = await customer_value.rfm_payloads(ctx.session, [f["id"] for f in fields])
    return [schemas.Customer.model_validate({**f, "rfm": rfm.get(f["id"])}) for f in fields]


async def present_one(ctx: Ctx, row: Customer) -> schemas.Customer:
    return (await present(ctx, [row]))[0]


async def get_contact(ctx: Ctx, contact_id: uuid.UUID) -> Contact:
    return await ContactRepository(ctx.session, ctx.principal).get(contact_id)


async def list_tags(
    ctx: Ctx, params: ListParams, sort: str
) -> tuple[Sequence[Tag], str | None, bool]:
    return await TagRepository(ctx.session, ctx.principal).page(params, sort)


# --- list / search -----------------------------------------------------------------------


@dataclass
class CustomerFilters:
    q: str | None = None
    owner_id: uuid.UUID | None = None
    tag: uuid.UUID | None = None
    level: str | None = None
    status: str | None = None
    province: str | None = None
    city: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    followed_after: datetime | None = None
    followed_before: datetime | None = None
    custom: dict[str, str] = field(default_factory=dict)
    rfm_tier: str | None = None


async def customer_conditions(ctx: Ctx, f: CustomerFilters) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.q:
        conds.append((await search_condition(ctx.session, f.q))[0])
    if f.owner_id:
        conds.append(Customer.owner_id == f.owner_id)
    if f.tag:
        conds.append(Customer.tag_ids.contains([f.tag]))
    for col, value in (
        (Customer.level, f.level),
        (Customer.status, f.status),
        (Customer.province, f.province),
        (Customer.city, f.city),
    ):
        if value is not None:
            conds.append(col == value)
    if f.created_after:
        conds.append(Customer.created_at >= f.created_after)
    if f.created_before:
        conds.append(Customer.created_at < f.created_before)
    if f.followed_after:
        conds.append(Customer.last_followed_at >= f.followed_after)
    if f.followed_before:
        conds.append(Customer.last_followed_at < f.followed_before)
    if f.custom:
        conds += await filter_conditions(ctx.session, "customer", Customer.custom_fields, f.custom)
    if f.rfm_tier:
        conds.append(customer_value.tier_condition(Customer.id, f.rfm_tier))
    return conds


RELEVANCE_SORT = "relevance"

#: what the list reads: the columns of the response schema, not the search and
#: normalisation columns kept for matching (a fifth less to fetch and decode per row)
LIST_COLUMNS = tuple(
    Customer.__table__.c[name]
    for name in schemas.Customer.model_fields
    if name in Customer.__table__.c
)


async def list_customers(
    ctx: Ctx, params: ListParams, sort: str | None, f: CustomerFilters
) -> tuple[Sequence[PlainRow], str | None, bool]:
    """The list, as plain rows for the response schema. With `q` and no explicit sort, rows
    come by trigram relevance (newest first when the term is too common to rank, see
    `search_condition`)."""
    repo = CustomerRepository(ctx.session, ctx.principal)
    conds = await customer_conditions(ctx, replace(f, q=None))
    if f.q:
        matches, ranked = await search_condition(ctx.session, f.q)
        conds.append(matches)
        if ranked and sort is None:
            relevance = func.similarity(Customer.search_text, f.q.lower())
            spec = SortSpec(Customer.id, relevance=relevance)
            stmt = repo.readable(include_deleted=params.include_deleted).where(*conds)
            if params.updated_since:
                stmt = stmt.where(Customer.updated_at >= params.updated_since)
            stmt = stmt.with_only_columns(*LIST_COLUMNS)
            return await paginate(ctx.session, stmt, params, spec, "-relevance", plain=True)
    return await repo.page(params, sort or "-updated_at", *conds, columns=LIST_COLUMNS)


def scoped_customers(ctx: Ctx) -> Select[tuple[Customer]]:
    return CustomerRepository(ctx.session, ctx.principal).readable()


# --- contacts ----------------------------------------------------------------------------


async def list_contacts(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    customer_id: uuid.UUID | None,
    q: str | None,
    *,
    customer_must_exist: bool = False,
) -> tuple[Sequence[Contact], str | None, bool]:
    """Contacts in scope; under `/customers/{id}/contacts` an unknown customer is a 404,
    as a filter of `/contacts` it simply matches nothing."""
    conds: list[ColumnElement[bool]] = []
    if customer_id and customer_must_exist:
        await CustomerRepository(ctx.session, ctx.principal).get(customer_id)
    if customer_id:
        conds.append(Contact.customer_id == customer_id)
    if q:
        pattern = contains_pattern(q)
        conds.append(Contact.name.ilike(pattern) | Contact.email.ilike(pattern))
    return await ContactRepository(ctx.session, ctx.principal).page(params, sort, *conds)


async def _contact_customer(ctx: Ctx, customer_id: uuid.UUID) -> Customer:
    return await CustomerRepository(ctx.session, ctx.principal).get_writable(customer_id)


async def _single_primary(ctx: Ctx, contact: Contact) -> None:
    if contact.is_primary:
        await ctx.session.execute(
            update(Contact)
            .where(
                Contact.customer_id == contact.customer_id,
                Contact.id != contact.id,
                Contact.is_primary.is_(True),
            )
            .values(is_primary=False)
            .execution_options(synchronize_session=False)
        )


async def create_contact(ctx: Ctx, customer_id: uuid.UUID, data: schemas.ContactCreate) -> Contact:
    await _contact_customer(ctx, customer_id)
    custom = await validate_values(ctx.session, "contact", data.custom_fields, creating=True)
    contact = Contact(
        workspace_id=ctx.principal.workspace_id,
        customer_id=customer_id,
        custom_fields=custom,
        phones_normalized=normalize_phones(data.phones),
        **data.model_dump(exclude={"custom_fields"}),
    )
    ctx.session.add(contact)
    await ctx.session.flush()
    await _single_primary(ctx, contact)
    await CustomerRepository(ctx.session, ctx.principal).refresh_search_text([customer_id])
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="contact",
        action="created",
        entity_id=contact.id,
        sequence=contact.version,
        before=None,
        after=snapshot(contact, CONTACT_FIELDS),
    )
    return contact


async def update_contact(
    ctx: Ctx, contact_id: uuid.UUID, data: schemas.ContactUpdate, if_match: int | None
) -> Contact:
    contact = await ContactRepository(ctx.session, ctx.principal).get_writable(
        contact_id, if_match=if_match
    )
    before = snapshot(contact, CONTACT_FIELDS)
    for name in data.model_fields_set - {"custom_fields"}:
        value = getattr(data, name)
        if value is None and name in ("name", "phones", "is_primary"):
            raise UnprocessableEntity(
                f"{name} cannot be empty.",
                errors=[FieldError(field=f"body.{name}", message="cannot be null")],
            )
        setattr(contact, name, value)
    if "custom_fields" in data.model_fields_set:
        contact.custom_fields = await validate_values(
            ctx.session,
            "contact",
            data.custom_fields,
            current=contact.custom_fields,
            creating=False,
        )
    contact.phones_normalized = normalize_phones(contact.phones)
    await ctx.session.flush()
    await _single_primary(ctx, contact)
    await CustomerRepository(ctx.session, ctx.principal).refresh_search_text([contact.customer_id])
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="contact",
        action="updated",
        entity_id=contact.id,
        sequence=contact.version,
        before=before,
        after=snapshot(contact, CONTACT_FIELDS),
    )
    return contact


async def delete_contact(ctx: Ctx, contact_id: uuid.UUID) -> None:
    contact = await ContactRepository(ctx.session, ctx.principal).get_writable(contact_id)
    before = snapshot(contact, CONTACT_FIELDS)
    contact.deleted_at = datetime.now(UTC)
    await ctx.session.flush()
    await CustomerRepository(ctx.session, ctx.principal).refresh_search_text([contact.customer_id])
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="contact",
        action="deleted",
        entity_id=contact.id,
        sequence=contact.version,
        before=before,
        after=None,
    )


# --- tags --------------------------------------------------------------------------------


async def create_tag(ctx: Ctx, data: schemas.TagCreate) -> Tag:
    exists = await ctx.session.scalar(
        select(func.count()).select_from(Tag).where(Tag.name == data.name, Tag.deleted_at.is_(None))
    )
    if exists:
        raise Conflict(
            "A tag with this name exists.",
            code="tag_exists",
            errors=[FieldError(field="body.name", message="already in use")],
        )
    tag = Tag(workspace_id=ctx.principal.workspace_id, name=data.name, color=data.color)
    ctx.session.add(tag)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="tag",
        action="created",
        entity_id=tag.id,
        sequence=tag.version,
        before=None,
        after=snapshot(tag, ("name", "color")),
    )
    return tag


async def update_tag(ctx: Ctx, tag_id: uuid.UUID, data: schemas.TagUpdate) -> Tag:
    tag = await TagRepository(ctx.session, ctx.principal).get_writable(tag_id)
    before = snapshot(tag, ("name", "color"))
    if data.name is not None:
        tag.name = data.name
    if data.color is not None:
        tag.color = data.color
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="tag",
        action="updated",
        entity_id=tag.id,
        sequence=tag.version,
        before=before,
        after=snapshot(tag, ("name", "color")),
    )
    return tag


async def delete_tag(ctx: Ctx, tag_id: uuid.UUID) -> None:
    tag = await TagRepository(ctx.session, ctx.principal).get_writable(tag_id)
    before = snapshot(tag, ("name", "color"))
    tag.deleted_at = datetime.now(UTC)
    await ctx.session.execute(
        update(Customer)
        .where(Customer.tag_ids.contains([tag.id]))
        .values(tag_ids=func.array_remove(Customer.tag_ids, tag.id))
        .execution_options(synchronize_session=False)
    )
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="tag",
        action="deleted",
        entity_id=tag.id,
        sequence=tag.version,
        before=before,
        after=None,
    )


async def bulk_tag(ctx: Ctx, data: schemas.BulkTag) -> schemas.BulkResult:
    repo = CustomerRepository(ctx.session, ctx.principal)
    if not ctx.principal.can_write("customers"):
        raise Forbidden("Your role cannot change customers.")
    await _check_refs(ctx, level=None, tag_ids=[*data.add, *data.remove], owner_id=None)
    allowed = await repo.visible_ids(data.customer_ids, for_write=True)
    rows = (
        (
            await ctx.session.execute(
                select(Customer).where(Customer.id.in_(allowed)).with_for_update()
            )
        )
        .scalars()
        .all()
    )
    changed = 0
    for customer in rows:
        new = [t for t in customer.tag_ids if t not in data.remove]
        new += [t for t in data.add if t not in new]
        if new != customer.tag_ids:
            before = snapshot(customer, ("tag_ids",))
            customer.tag_ids = new
            await ctx.session.flush()
            await record_mutation(
                ctx.session,
                ctx.principal,
                entity="customer",
                action="updated",
                entity_id=customer.id,
                sequence=customer.version,
                before=before,
                after=snapshot(customer, ("tag_ids",)),
            )
            changed += 1
    return schemas.BulkResult(
        updated=changed, skipped=[i for i in data.customer_ids if i not in allowed]
    )


# --- account team ------------------------------------------------------------------------


async def set_collaborator(
    ctx: Ctx, customer_id: uuid.UUID, data: schemas.CollaboratorSet
) -> CustomerCollaborator:
    customer = await CustomerRepository(ctx.session, ctx.principal).get_writable(customer_id)
    if not await user_is_active(ctx.session, data.user_id):
        raise UnprocessableEntity(
            "Unknown or inactive user.",
            code="invalid_reference",
            errors=[FieldError(field="body.user_id", message="unknown or inactive user")],
        )
    if data.user_id == customer.owner_id:
        raise Conflict("The owner is already on the account.", code="already_owner")
    existing = (
        await ctx.session.execute(
            select(CustomerCollaborator).where(
                CustomerCollaborator.customer_id == customer_id,
                CustomerCollaborator.user_id == data.user_id,
            )
        )
    ).scalar_one_or_none()
    if existing is None:
        existing = CustomerCollaborator(
            workspace_id=ctx.principal.workspace_id, customer_id=customer_id, user_id=data.user_id
        )
        ctx.session.add(existing)
    existing.access = data.access
    existing.expires_at = data.expires_at
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="customer",
        action="collaborator_set",
        entity_id=customer_id,
        sequence=customer.version,
        before=None,
        after={
            "collaborator": str(data.user_id),
            "access": data.access,
            "expires_at": data.expires_at,
        },
    )
    return existing


async def list_collaborators(ctx: Ctx, customer_id: uuid.UUID) -> list[CustomerCollaborator]:
    await CustomerRepository(ctx.session, ctx.principal).get(customer_id)
    rows = await ctx.session.execute(
        select(CustomerCollaborator)
        .where(CustomerCollaborator.customer_id == customer_id)
        .order_by(CustomerCollaborator.created_at)
    )
    return list(rows.scalars())


async def remove_collaborator(ctx: Ctx, customer_id: uuid.UUID, user_id: uuid.UUID) -> None:
    customer = await CustomerRepository(ctx.session, ctx.principal).get_writable(customer_id)
    row = (
        await ctx.session.execute(
            select(CustomerCollaborator).where(
                CustomerCollaborator.customer_id == customer_id,
                CustomerCollaborator.user_id == user_id,
            )
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("That user is not on the account team.")
    await ctx.session.delete(row)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="customer",
        action="collaborator_removed",
        entity_id=customer_id,
        sequence=customer.version,
        before={"collaborator": str(user_id)},
        after=None,
    )


# --- ownership ---------------------------------------------------------------------------


async def move_owner(
    session: AsyncSession,
    principal: Principal,
    customers: Sequence[Customer],
    *,
    to_user_id: uuid.UUID | None,
    kind: str,
    reason: str | None,
    move_open_tasks: bool = True,
    keep_previous_until: datetime | None = None,
) -> dict[str, int]:
    """The one way a customer changes owner: ledger, tasks, registered hooks, notification.

    Returns counts of related records moved, by entity.
    """
    moved: dict[str, int] = {"customers": 0, "tasks": 0}
    by_previous: dict[uuid.UUID | None, list[Customer]] = {}
    for customer in customers:
        if customer.owner_id == to_user_id:
            continue
        by_previous.setdefault(customer.owner_id, []).append(customer)
    for previous, group in by_previous.items():
        ids = [c.id for c in group]
        for customer in group:
            before = snapshot(customer, ("owner_id",))
            customer.owner_id = to_user_id
            # the reclaim clock restarts with every new owner
            customer.owned_since = datetime.now(UTC) if to_user_id is not None else None
            await session.flush()
            await record_mutation(
                session,
                principal,
                entity="customer",
                action="updated",
                entity_id=customer.id,
                sequence=customer.version,
                before=before,
                after=snapshot(customer, ("owner_id",)),
            )
        await session.execute(
            insert(OwnershipChange),
            [
                {
                    "workspace_id": principal.workspace_id,
                    "customer_id": i,
                    "from_user_id": previous,
                    "to_user_id": to_user_id,
                    "kind": kind,
                    "reason": reason,
                    "actor_id": principal.user_id,
                }
                for i in ids
            ],
        )
        moved["customers"] += len(ids)
        if move_open_tasks and previous is not None:
            result = await session.execute(
                update(Task)
                .where(
                    Task.customer_id.in_(ids),
                    Task.assignee_id == previous,
                    Task.done_at.is_(None),
                    Task.deleted_at.is_(None),
                )
                .values(assignee_id=to_user_id, version=Task.version + 1)
                .execution_options(synchronize_session=False)
            )
            moved["tasks"] += result.rowcount or 0  # type: ignore[attr-defined]
        if keep_previous_until is not None and previous is not None:
            for i in ids:
                session.add(
                    CustomerCollaborator(
                        workspace_id=principal.workspace_id,
                        customer_id=i,
                        user_id=previous,
                        access="read",
                        expires_at=keep_previous_until,
                    )
                )
        move = hooks.OwnershipMove(
            customer_ids=ids, from_user_id=previous, to_user_id=to_user_id, kind=kind
        )
        for hook in hooks.customer_move_hooks:
            for entity, n in (await hook(session, principal, move)).items():
                moved[entity] = moved.get(entity, 0) + n
    if to_user_id is not None and moved["customers"] and to_user_id != principal.user_id:
        names = ", ".join(c.name for c in customers[:3])
        more = f" (+{len(customers) - 3})" if len(customers) > 3 else ""
        session.add(
            Notification(
                workspace_id=principal.workspace_id,
                user_id=to_user_id,
                kind="customer_transferred",
                title=f"{principal.name} transferred {names}{more} to you",
                entity="customer",
                entity_id=customers[0].id if len(customers) == 1 else None,
                data={"count": moved["customers"], "kind": kind},
            )
        )
    await session.flush()
    return moved


async def _check_target(ctx: Ctx, to_user_id: uuid.UUID) -> None:
    if not await user_is_active(ctx.session, to_user_id):
        raise UnprocessableEntity(
            "The new owner is unknown or inactive.",
            code="invalid_reference",
            errors=[FieldError(field="body.to_user_id", message="unknown or inactive user")],
        )


async def transfer(
    ctx: Ctx, customer_ids: Sequence[uuid.UUID], data: schemas.Transfer
) -> schemas.TransferResult:
    # anyone who may change a customer may hand it on; scope decides which ones
    await _check_target(ctx, data.to_user_id)
    repo = CustomerRepository(ctx.session, ctx.principal)
    if not ctx.principal.can_write("customers"):
        raise Forbidden("Your role cannot change customers.")
    allowed = await repo.visible_ids(customer_ids, for_write=True)
    rows = (
        (
            await ctx.session.execute(
                select(Customer)
                .where(Customer.id.in_(allowed), Customer.deleted_at.is_(None))
                .order_by(Customer.id)
                .with_for_update()
            )
        )
        .scalars()
        .all()
    )
    moved = await move_owner(
        ctx.session,
        ctx.principal,
        rows,
        to_user_id=data.to_user_id,
        kind="transfer",
        reason=data.reason,
        move_open_tasks=data.move_open_tasks,
        keep_previous_until=data.keep_previous_until,
    )
    return schemas.TransferResult(
        transferred=moved.pop("customers"),
        moved=moved,
        skipped=[i for i in customer_ids if i not in allowed],
    )


async def transfer_one(
    ctx: Ctx, customer_id: uuid.UUID, data: schemas.Transfer
) -> schemas.TransferResult:
    await CustomerRepository(ctx.session, ctx.principal).get_writable(customer_id)
    return await transfer(ctx, [customer_id], data)


async def handover(ctx: Ctx, user_id: uuid.UUID, data: schemas.Handover) -> schemas.HandoverReport:
    """Everything a departing user owns moves to `to_user_id` in this one transaction."""
    if not ctx.principal.is_manager:
        raise Forbidden("Only managers and admins hand over a user's customers.")
    if user_id == data.to_user_id:
        raise UnprocessableEntity(
            "Hand over to someone else.",
            code="same_user",
            errors=[FieldError(field="body.to_user_id", message="same as the departing user")],
        )
    from app.users.service import get_user

    await get_user(ctx, user_id)
    await _check_target(ctx, data.to_user_id)
    rows = (
        (
            await ctx.session.execute(
                select(Customer)
                .where(Customer.owner_id == user_id)
                .order_by(Customer.id)
                .with_for_update()
            )
        )
        .scalars()
        .all()
    )
    counts = await move_owner(
        ctx.session,
        ctx.principal,
        rows,
        to_user_id=data.to_user_id,
        kind="handover",
        reason=data.reason,
        move_open_tasks=True,
    )
    other_tasks = await ctx.session.execute(
        update(Task)
        .where(Task.assignee_id == user_id, Task.done_at.is_(None), Task.deleted_at.is_(None))
        .values(assignee_id=data.to_user_id, version=Task.version + 1)
        .execution_options(synchronize_session=False)
    )
    counts["tasks"] = counts.get("tasks", 0) + (other_tasks.rowcount or 0)  # type: ignore[attr-defined]
    for hook in hooks.handover_hooks:
        for entity, n in (await hook(ctx.session, ctx.principal, user_id, data.to_user_id)).items():
            counts[entity] = counts.get(entity, 0) + n
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="user",
        action="handed_over",
        entity_id=user_id,
        sequence=0,
        before=None,
        after={"to_user_id": data.to_user_id, "counts": counts},
    )
    return schemas.HandoverReport(
        from_user_id=user_id,
        to_user_id=data.to_user_id,
        counts=counts,
        customers=[c.id for c in rows[:1000]],
    )


async def owned_by(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    customers = await session.scalar(
        select(func.count())
        .select_from(Customer)
        .where(Customer.owner_id == user_id, Customer.deleted_at.is_(None))
    )
    return {"customers": int(customers or 0)}


hooks.owned_counters.append(owned_by)


async def ledger(ctx: Ctx, customer_id: uuid.UUID) -> list[OwnershipChange]:
    await CustomerRepository(ctx.session, ctx.principal).get(customer_id, include_deleted=True)
    rows = await ctx.session.execute(
        select(OwnershipChange)
        .where(OwnershipChange.customer_id == customer_id)
        .order_by(OwnershipChange.occurred_at.desc(), OwnershipChange.id.desc())
    )
    return list(rows.scalars())


# --- merge -------------------------------------------------------------------------------

MERGEABLE = (
    "kind",
    "short_name",
    "industry",
    "source",
    "level",
    "status",
    "province",
    "city",
    "district",
    "address",
    "email",
    "website",
    "credit_code",
)


async def merge(ctx: Ctx, survivor_id: uuid.UUID, data: schemas.Merge) -> Customer:
    """Contacts, follow-ups, tasks, tags, phones, custom fields and external id move to the
    survivor; the duplicate goes to the recycle bin pointing at it (restorable 30 days)."""
    if survivor_id == data.duplicate_id:
        raise UnprocessableEntity("A customer cannot be merged into itself.", code="same_customer")
    repo = CustomerRepository(ctx.session, ctx.principal)
    survivor = await repo.get_writable(survivor_id)
    duplicate = await repo.get_writable(data.duplicate_id)
    unknown = [f for f in data.take_from_duplicate if f not in MERGEABLE]
    if unknown:
        raise UnprocessableEntity(
            "Some fields cannot be merged.",
            code="invalid_merge_field",
            errors=[
                FieldError(
                    field="body.take_from_duplicate", message=f"not mergeable: {', '.join(unknown)}"
                )
            ],
        )
    before = snapshot(survivor, CUSTOMER_FIELDS)
    for name in data.take_from_duplicate:
        setattr(survivor, name, getattr(duplicate, name))
    for name in MERGEABLE:
        if getattr(survivor, name) in (None, "") and getattr(duplicate, name) not in (None, ""):
            setattr(survivor, name, getattr(duplicate, name))
    survivor.phones = list(dict.fromkeys([*survivor.phones, *duplicate.phones]))
    survivor.tag_ids = list(dict.fromkeys([*survivor.tag_ids, *duplicate.tag_ids]))
    survivor.custom_fields = {**duplicate.custom_fields, **survivor.custom_fields}
    if survivor.external_id is None and duplicate.external_id is not None:
        survivor.external_source, survivor.external_id = (
            duplicate.external_source,
            duplicate.external_id,
        )
        duplicate.external_id = None
    if (duplicate.last_followed_at or datetime.min.replace(tzinfo=UTC)) > (
        survivor.last_followed_at or datetime.min.replace(tzinfo=UTC)
    ):
        survivor.last_followed_at = duplicate.last_followed_at
        survivor.last_followed_sort = duplicate.last_followed_sort
    moved: dict[str, list[str]] = {}
    for model in (Contact, Activity, Task):
        ids = (
            (
                await ctx.session.execute(
                    update(model)
                    .where(model.customer_id == duplicate.id)
                    .values(customer_id=survivor.id)
                    .returning(model.id)
                    .execution_options(synchronize_session=False)
                )
            )
            .scalars()
            .all()
        )
        moved[model.__tablename__] = [str(i) for i in ids]
    # deals, contracts, orders...: the domains that point at customers move their own rows
    followed: dict[str, int] = {}
    for hook in hooks.customer_merge_hooks:
        followed.update(await hook(ctx.session, ctx.principal, duplicate.id, survivor.id))
    dup_before = snapshot(duplicate, CUSTOMER_FIELDS)
    duplicate.deleted_at = datetime.now(UTC)
    duplicate.merged_into_id = survivor.id
    _normalize_into(survivor)
    await ctx.session.flush()
    await repo.refresh_search_text([survivor.id])
    ctx.session.add(
        OwnershipChange(
            workspace_id=ctx.principal.workspace_id,
            customer_id=survivor.id,
            from_user_id=duplicate.owner_id,
            to_user_id=survivor.owner_id,
            kind="merge",
            reason=f"merged {duplicate.name} ({duplicate.id})",
            actor_id=ctx.principal.user_id,
        )
    )
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="customer",
        action="merged",
        entity_id=survivor.id,
        sequence=survivor.version,
        before=before,
        after={
            **snapshot(survivor, CUSTOMER_FIELDS),
            "merged_from": str(duplicate.id),
            "moved": moved,
            "moved_by_other_domains": followed,
        },
    )
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="customer",
        action="deleted",
        entity_id=duplicate.id,
        sequence=duplicate.version,
        before=dup_before,
        after=None,
    )
    return survivor
