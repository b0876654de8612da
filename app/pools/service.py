"""Claim (领取), release (退回), assign (分配) and the rules that keep the pool fair.

Concurrency (抢单): a claim locks the claiming rep's user row, then the customer row, and
only then reads counts and the owner — so 50 reps racing for one customer produce one
owner and 49 clear 409s, and one rep firing claims in parallel cannot pass their cap or
daily limit. No read-then-write without a lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.activities.service import end_of_today
from app.auth.dependencies import Ctx
from app.core.audit import record_mutation, snapshot
from app.core.pagination import ListParams, SortSpec, paginate
from app.customers.repository import search_condition
from app.customers.service import move_owner
from app.errors import Conflict, FieldError, Forbidden, NotFound, UnprocessableEntity
from app.models.customer import Customer
from app.models.pool import Pool
from app.pools import repository, schemas
from app.pools.repository import PoolRepository

POOL_FIELDS = ("name", "description", "member_team_ids", "is_default", "rules")


def rules_of(pool: Pool | None) -> schemas.PoolRules:
    return schemas.PoolRules.model_validate(pool.rules if pool else {})


class ClaimRefused(Conflict):
    code = "claim_refused"
    title = "The customer cannot be claimed"


# --- pools -------------------------------------------------------------------------------


async def list_pools(
    ctx: Ctx, params: ListParams, sort: str
) -> tuple[Sequence[Pool], str | None, bool]:
    return await PoolRepository(ctx.session, ctx.principal).page(params, sort)


def _require_manager(ctx: Ctx) -> None:
    if not ctx.principal.is_manager:
        raise Forbidden("Managers and admins manage pools and assign from them.")


async def _unset_other_defaults(ctx: Ctx, keep: uuid.UUID) -> None:
    for pool in await repository.pools(ctx.session):
        if pool.is_default and pool.id != keep:
            pool.is_default = False
    await ctx.session.flush()


async def create_pool(ctx: Ctx, data: schemas.PoolCreate) -> Pool:
    if not ctx.principal.is_admin:
        raise Forbidden("Owners and admins create pools.")
    pool = Pool(
        workspace_id=ctx.principal.workspace_id,
        name=data.name,
        description=data.description,
        member_team_ids=data.member_team_ids,
        is_default=False,
        rules=data.rules.model_dump(),
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(pool)
    await ctx.session.flush()
    if data.is_default or await PoolRepository(ctx.session, ctx.principal).default_pool() is None:
        await _unset_other_defaults(ctx, pool.id)
        pool.is_default = True
        await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="pool",
        action="created",
        entity_id=pool.id,
        sequence=pool.version,
        before=None,
        after=snapshot(pool, POOL_FIELDS),
    )
    return pool


async def update_pool(
    ctx: Ctx, pool_id: uuid.UUID, data: schemas.PoolUpdate, if_match: int | None
) -> Pool:
    if not ctx.principal.is_admin:
        raise Forbidden("Owners and admins change pools.")
    pool = await PoolRepository(ctx.session, ctx.principal).get_writable(pool_id, if_match=if_match)
    before = snapshot(pool, POOL_FIELDS)
    for name in ("name", "description", "member_team_ids"):
        if name in data.model_fields_set and getattr(data, name) is not None:
            setattr(pool, name, getattr(data, name))
    if data.rules is not None:
        pool.rules = data.rules.model_dump()
    if data.is_default:
        await _unset_other_defaults(ctx, pool.id)
        pool.is_default = True
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="pool",
        action="updated",
        entity_id=pool.id,
        sequence=pool.version,
        before=before,
        after=snapshot(pool, POOL_FIELDS),
    )
    return pool


async def get_pool(ctx: Ctx, pool_id: uuid.UUID) -> Pool:
    return await PoolRepository(ctx.session, ctx.principal).get(pool_id)


def _mask_phone(phone: str) -> str:
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 7:
        return "****"
    return f"{''.join(digits[:3])}****{''.join(digits[-4:])}"


def _mask_email(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None if not email else "***"
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


async def pool_customers(
    ctx: Ctx, pool_id: uuid.UUID, params: ListParams, q: str | None
) -> tuple[list[schemas.PoolCustomer], str | None, bool]:
    pool = await get_pool(ctx, pool_id)
    masked = rules_of(pool).mask_contacts
    stmt = await repository.pool_customers(ctx.session, pool.id)
    if q:
        stmt = stmt.where((await search_condition(ctx.session, q))[0])
    rows, cursor, more = await paginate(
        ctx.session,
        stmt,
        params,
        SortSpec(Customer.id, updated_at=Customer.updated_at),
        "-updated_at",
    )
    out = [
        schemas.PoolCustomer(
            id=c.id,
            pool_id=c.pool_id,
            name=c.name,
            short_name=c.short_name,
            industry=c.industry,
            level=c.level,
            province=c.province,
            city=c.city,
            phones=[_mask_phone(p) for p in c.phones] if masked else c.phones,
            email=_mask_email(c.email) if masked else c.email,
            masked=masked,
            last_followed_at=c.last_followed_at,
            updated_at=c.updated_at,
        )
        for c in rows
    ]
    return out, cursor, more


# --- claim / release / assign ------------------------------------------------------------


async def claim(ctx: Ctx, customer_id: uuid.UUID) -> Customer:
    if not ctx.principal.can_write("pools"):
        raise Forbidden("Your role cannot claim from pools.")
    me = ctx.principal.user_id
    await repository.lock_user(ctx.session, me)
    customer = await repository.lock_customer(ctx.session, customer_id)
    if customer is None:
        raise NotFound(f"No customer with id {customer_id}.")
    if customer.owner_id is not None:
        if customer.owner_id == me:
            raise ClaimRefused("You already own this customer.", code="already_yours")
        owner = await repository.user_name(ctx.session, customer.owner_id)
        raise ClaimRefused(
            f"{owner or 'Someone'} claimed this customer first.",
            code="already_claimed",
            extra={"owner_id": str(customer.owner_id), "owner_name": owner},
        )
    repo = PoolRepository(ctx.session, ctx.principal)
    pool = None
    if customer.pool_id is not None:
        visible = (
            await ctx.session.execute(repo.readable().where(Pool.id == customer.pool_id))
        ).scalar_one_or_none()
        if visible is None:
            raise NotFound(f"No customer with id {customer_id}.")
        pool = visible
    rules = rules_of(pool or await repo.default_pool())
    now = datetime.now(UTC)
    if rules.cooldown_days:
        left = await repository.last_left_by(ctx.session, customer.id, me)
        if left is not None and left > now - timedelta(days=rules.cooldown_days):
            until = left + timedelta(days=rules.cooldown_days)
            raise ClaimRefused(
                f"You gave this customer up recently; you may claim it again "
                f"after {until:%Y-%m-%d}.",
                code="cooldown",
                extra={"available_at": until.isoformat()},
            )
    if rules.holding_cap is not None:
        owned = await repository.owned_count(ctx.session, me, count_won=rules.cap_counts_won)
        if owned >= rules.holding_cap:
            raise ClaimRefused(
                f"You already own {owned} customers; the pool allows {rules.holding_cap}.",
                code="holding_cap_reached",
                extra={"owned": owned, "cap": rules.holding_cap},
            )
    if rules.daily_claim_limit is not None:
        start = await end_of_today(ctx) - timedelta(days=1)
        today = await repository.claims_since(ctx.session, me, start)
        if today >= rules.daily_claim_limit:
            raise ClaimRefused(
                f"You claimed {today} customers today; the limit is {rules.daily_claim_limit}.",
                code="daily_claim_limit",
                extra={"claimed_today": today, "limit": rules.daily_claim_limit},
            )
    await move_owner(
        ctx.session, ctx.principal, [customer], to_user_id=me, kind="claim", reason=None
    )
    await ctx.session.flush()
    return customer


async def _target_pool(ctx: Ctx, customer: Customer, pool_id: uuid.UUID | None) -> Pool:
    repo = PoolRepository(ctx.session, ctx.principal)
    wanted = pool_id or customer.pool_id
    if wanted is not None:
        pool = (
            await ctx.session.execute(
                select(Pool).where(Pool.id == wanted, Pool.deleted_at.is_(None))
            )
        ).scalar_one_or_none()
        if pool is None:
            raise UnprocessableEntity(
                "Unknown pool.",
                code="invalid_reference",
                errors=[FieldError(field="body.pool_id", message="unknown pool")],
            )
        return pool
    default = await repo.default_pool()
    if default is None:
        raise Conflict("The workspace has no pool yet; an admin creates one first.", code="no_pool")
    return default


async def release(ctx: Ctx, customer_id: uuid.UUID, data: schemas.Release) -> Customer:
    from app.customers.repository import CustomerRepository

    customer = await CustomerRepository(ctx.session, ctx.principal).get_writable(customer_id)
    if customer.owner_id is None:
        raise Conflict("This customer is already in a pool.", code="already_in_pool")
    pool = await _target_pool(ctx, customer, data.pool_id)
    customer.pool_id = pool.id  # written with the owner change, in one UPDATE
    await move_owner(
        ctx.session,
        ctx.principal,
        [customer],
        to_user_id=None,
        kind="release",
        reason=data.reason,
        move_open_tasks=False,
    )
    return customer


async def assign(ctx: Ctx, customer_id: uuid.UUID, data: schemas.Assign) -> Customer:
    _require_manager(ctx)
    from app.customers.repository import user_is_active

    if not await user_is_active(ctx.session, data.to_user_id):
        raise UnprocessableEntity(
            "Unknown or inactive user.",
            code="invalid_reference",
            errors=[FieldError(field="body.to_user_id", message="unknown or inactive user")],
        )
    customer = await repository.lock_customer(ctx.session, customer_id)
    if customer is None or customer.owner_id is not None:
        # owned customers move by transfer; pool customers are assigned
        raise NotFound(f"No pool customer with id {customer_id}.")
    if customer.pool_id is not None:
        await get_pool(ctx, customer.pool_id)
    await move_owner(
        ctx.session,
        ctx.principal,
        [customer],
        to_user_id=data.to_user_id,
        kind="assign",
        reason=data.reason,
    )
    return customer
