"""Pipelines, stages, opportunities (商机), products and lost reasons.

Invariants kept here:
- a live pipeline always has at least one open, one won and one lost stage, and a workspace
  with pipelines always has exactly one default pipeline;
- an opportunity's `status` is the kind of its stage; entering a won stage sets `won_at`,
  a lost stage sets `lost_at` and needs a lost reason, an open stage clears both (reopen);
- every stay in a stage is one history row (entered_at, left_at); `stage_entered_at` is
  the current row's entered_at;
- with line items, the amount is the sum of the line totals (each half-up to the cent).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import Ctx
from app.core import hooks
from app.core.audit import jsonable, record_mutation, snapshot
from app.core.filtering import contains_pattern
from app.core.ids import uuid7
from app.core.pagination import ListParams
from app.core.principal import Principal
from app.core.repository import check_version
from app.core.scope import team_members
from app.customers.repository import CustomerRepository, user_is_active
from app.customfields.service import filter_conditions, validate_values
from app.errors import (
    AppError,
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    UnprocessableEntity,
)
from app.models.customer import Contact, Customer
from app.models.lead import Campaign, Lead
from app.models.pipeline import (
    LostReason,
    Opportunity,
    OpportunityItem,
    OpportunityStageVisit,
    Pipeline,
    PipelineStage,
    Product,
)
from app.pipeline import schemas
from app.pipeline.repository import (
    LostReasonRepository,
    OpportunityRepository,
    PipelineRepository,
    ProductRepository,
    StageRepository,
    live_deals_of_customer,
    open_deals_owned,
    rotting_condition,
    won_by_campaign,
)

CENT = Decimal("0.01")

#: the standard pipeline every new workspace starts with: (zh, en, probability, kind, rotting)
DEFAULT_PIPELINE_NAME = "标准销售流程 Standard sales"
DEFAULT_STAGES: tuple[tuple[str, str, int, str, int | None], ...] = (
    ("初步接洽", "Initial contact", 10, "open", 14),
    ("需求确认", "Needs confirmed", 30, "open", 14),
    ("方案报价", "Proposal & quote", 50, "open", 21),
    ("谈判审核", "Negotiation & approval", 80, "open", 21),
    ("赢单", "Won", 100, "won", None),
    ("输单", "Lost", 0, "lost", None),
)
DEFAULT_LOST_REASONS: tuple[tuple[str, str], ...] = (
    ("价格过高", "Price too high"),
    ("选择了竞争对手", "Chose a competitor"),
    ("预算不足", "No budget"),
    ("需求取消", "Need went away"),
    ("联系不上", "Stopped responding"),
    ("其他", "Other"),
)

PIPELINE_FIELDS = ("name", "description", "is_default", "position")
STAGE_FIELDS = (
    "pipeline_id",
    "name_zh",
    "name_en",
    "position",
    "probability",
    "kind",
    "rotting_days",
)
OPPORTUNITY_FIELDS = (
    "name",
    "customer_id",
    "contact_id",
    "amount",
    "currency",
    "expected_close_date",
    "pipeline_id",
    "stage_id",
    "status",
    "probability",
    "probability_manual",
    "stage_entered_at",
    "owner_id",
    "source",
    "campaign_id",
    "lead_id",
    "lost_reason_id",
    "lost_note",
    "won_at",
    "lost_at",
    "notes",
    "custom_fields",
    "external_source",
    "external_id",
)
PRODUCT_FIELDS = (
    "sku",
    "name",
    "category",
    "unit",
    "list_price",
    "currency",
    "active",
    "description",
    "external_source",
    "external_id",
)
REASON_FIELDS = ("label_zh", "label_en", "position", "active")


class StageNotEmpty(Conflict):
    code = "stage_not_empty"


class PipelineNotEmpty(Conflict):
    code = "pipeline_not_empty"


class AlreadyClosed(Conflict):
    code = "already_closed"


def now_utc() -> datetime:
    return datetime.now(UTC)


def _invalid(field: str, message: str, detail: str, code: str = "invalid_reference") -> AppError:
    return UnprocessableEntity(detail, code=code, errors=[FieldError(field=field, message=message)])


def _require_manager(principal: Principal, what: str) -> None:
    if not principal.is_manager:
        raise Forbidden(f"Only managers and admins change {what}.")


# --- presenting --------------------------------------------------------------------------


def is_rotting(opp: Opportunity, stage: PipelineStage | None, now: datetime) -> bool:
    if opp.status != "open" or stage is None or stage.rotting_days is None:
        return False
    return now - opp.stage_entered_at > timedelta(days=stage.rotting_days)


def _columns(row: Any, model: type[Any]) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in model.__table__.columns}


async def present(
    ctx: Ctx, rows: Sequence[Opportunity], now: datetime | None = None
) -> list[schemas.Opportunity]:
    """Response models for deals: line items, rotting flag and customer names, in three
    queries."""
    now = now or now_utc()
    repo = OpportunityRepository(ctx.session, ctx.principal)
    items = await repo.items_of([r.id for r in rows])
    stages = await StageRepository(ctx.session, ctx.principal).by_ids({r.stage_id for r in rows})
    names = await CustomerRepository(ctx.session, ctx.principal).names_in_scope(
        {r.customer_id for r in rows}
    )
    return [
        schemas.Opportunity.model_validate(
            {
                **_columns(r, Opportunity),
                "customer_name": names.get(r.customer_id),
                "rotting": is_rotting(r, stages.get(r.stage_id), now),
                "items": [schemas.OpportunityLine.model_validate(i) for i in items[r.id]],
            }
        )
        for r in rows
    ]


async def present_one(ctx: Ctx, row: Opportunity) -> schemas.Opportunity:
    return (await present(ctx, [row]))[0]


def _pipeline_out(pipeline: Pipeline, stages: Iterable[PipelineStage]) -> schemas.Pipeline:
    return schemas.Pipeline.model_validate(
        {
            **_columns(pipeline, Pipeline),
            "stages": [schemas.PipelineStage.model_validate(s) for s in stages],
        }
    )


async def present_pipelines(ctx: Ctx, rows: Sequence[Pipeline]) -> list[schemas.Pipeline]:
    stages = await StageRepository(ctx.session, ctx.principal).of_pipelines([p.id for p in rows])
    by_pipeline: dict[uuid.UUID, list[PipelineStage]] = {p.id: [] for p in rows}
    for stage in stages:
        by_pipeline[stage.pipeline_id].append(stage)
    return [_pipeline_out(p, by_pipeline[p.id]) for p in rows]


# --- pipelines ---------------------------------------------------------------------------


async def create_default_pipeline(
    session: AsyncSession, workspace_id: uuid.UUID, principal: Principal | None
) -> Pipeline:
    """The standard pipeline (初步接洽 → 需求确认 → 方案报价 → 谈判审核 → 赢单 / 输单) as the
    default, and the standard lost reasons when the workspace has none."""
    pipeline = Pipeline(
        workspace_id=workspace_id,
        name=DEFAULT_PIPELINE_NAME,
        is_default=True,
        position=1,
        created_by=principal.user_id if principal else None,
    )
    session.add(pipeline)
    await session.flush()
    for position, (zh, en, probability, kind, rotting) in enumerate(DEFAULT_STAGES):
        session.add(
            PipelineStage(
                workspace_id=workspace_id,
                pipeline_id=pipeline.id,
                name_zh=zh,
                name_en=en,
                position=position,
                probability=probability,
                kind=kind,
                rotting_days=rotting,
            )
        )
    has_reasons = (await session.execute(select(LostReason.id).limit(1))).first() is not None
    if not has_reasons:
        for position, (zh, en) in enumerate(DEFAULT_LOST_REASONS, start=1):
            session.add(
                LostReason(workspace_id=workspace_id, label_zh=zh, label_en=en, position=position)
            )
    await session.flush()
    await record_mutation(
        session,
        principal,
        entity="pipeline",
        action="created",
        entity_id=pipeline.id,
        sequence=pipeline.version,
        before=None,
        after=snapshot(pipeline, PIPELINE_FIELDS),
        workspace_id=workspace_id,
    )
    return pipeline


async def default_pipeline(session: AsyncSession, principal: Principal) -> Pipeline:
    """The default pipeline; a workspace without any pipeline gets the standard one now
    (workspaces created before the pipeline module existed)."""
    repo = PipelineRepository(session, principal)
    found = await repo.default()
    if found is not None:
        return found
    live = (
        await session.execute(
            select(Pipeline)
            .where(Pipeline.deleted_at.is_(None))
            .order_by(Pipeline.position, Pipeline.id)
        )
    ).scalar()
    if live is not None:
        return live
    return await create_default_pipeline(session, principal.workspace_id, principal)


async def list_pipelines(
    ctx: Ctx, params: ListParams
) -> tuple[list[schemas.Pipeline], str | None, bool]:
    rows, cursor, more = await PipelineRepository(ctx.session, ctx.principal).page(
        params, "position"
    )
    return await present_pipelines(ctx, rows), cursor, more


async def get_pipeline(ctx: Ctx, pipeline_id: uuid.UUID) -> schemas.Pipeline:
    pipeline = await PipelineRepository(ctx.session, ctx.principal).get(pipeline_id)
    return (await present_pipelines(ctx, [pipeline]))[0]


def _check_stage_kinds(kinds: Sequence[str], field: str) -> None:
    missing = [k for k in ("open", "won", "lost") if k not in kinds]
    if missing:
        raise _invalid(
            field,
            f"needs at least one {', '.join(missing)} stage",
            "A pipeline needs at least one open, one won and one lost stage.",
            code="pipeline_stages_incomplete",
        )


async def create_pipeline(ctx: Ctx, data: schemas.PipelineCreate) -> schemas.Pipeline:
    _require_manager(ctx.principal, "pipelines")
    repo = PipelineRepository(ctx.session, ctx.principal)
    if await repo.name_taken(data.name):
        raise Conflict(
            "Another pipeline has this name.",
            code="name_taken",
            errors=[FieldError(field="body.name", message="already in use")],
        )
    if data.stages is not None:
        stage_specs = [
            (s.name_zh, s.name_en, s.probability, s.kind.value, s.rotting_days) for s in data.stages
        ]
    else:
        stage_specs = list(DEFAULT_STAGES)
    _check_stage_kinds([s[3] for s in stage_specs], "body.stages")
    first = await repo.default() is None
    if data.is_default and not first:
        await repo.clear_default()
    pipeline = Pipeline(
        workspace_id=ctx.principal.workspace_id,
        name=data.name,
        description=data.description,
        is_default=data.is_default or first,
        position=await repo.next_position(),
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(pipeline)
    await ctx.session.flush()
    stages = [
        PipelineStage(
            workspace_id=ctx.principal.workspace_id,
            pipeline_id=pipeline.id,
            name_zh=zh,
            name_en=en,
            position=i,
            probability=probability,
            kind=kind,
            rotting_days=rotting,
            created_by=ctx.principal.user_id,
        )
        for i, (zh, en, probability, kind, rotting) in enumerate(stage_specs)
    ]
    ctx.session.add_all(stages)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="pipeline",
        action="created",
        entity_id=pipeline.id,
        sequence=pipeline.version,
        before=None,
        after={
            **snapshot(pipeline, PIPELINE_FIELDS),
            "stages": [snapshot(s, STAGE_FIELDS) for s in stages],
        },
    )
    return _pipeline_out(pipeline, stages)


async def update_pipeline(
    ctx: Ctx, pipeline_id: uuid.UUID, data: schemas.PipelineUpdate, if_match: int | None
) -> schemas.Pipeline:
    _require_manager(ctx.principal, "pipelines")
    repo = PipelineRepository(ctx.session, ctx.principal)
    pipeline = await repo.get_writable(pipeline_id, if_match=if_match)
    before = snapshot(pipeline, PIPELINE_FIELDS)
    fields = data.model_fields_set
    if "name" in fields:
        if data.name is None:
            raise _invalid(
                "body.name", "cannot be null", "name cannot be empty.", "validation_error"
            )
        if await repo.name_taken(data.name, exclude=pipeline.id):
            raise Conflict(
                "Another pipeline has this name.",
                code="name_taken",
                errors=[FieldError(field="body.name", message="already in use")],
            )
        pipeline.name = data.name
    if "description" in fields:
        pipeline.description = data.description
    if "position" in fields and data.position is not None:
        pipeline.position = data.position
    if "is_default" in fields and data.is_default is not pipeline.is_default:
        if not data.is_default:
            raise _invalid(
                "body.is_default",
                "make another pipeline the default instead",
                "A workspace always has a default pipeline.",
                "default_required",
            )
        await repo.clear_default()
        pipeline.is_default = True
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="pipeline",
        action="updated",
        entity_id=pipeline.id,
        sequence=pipeline.version,
        before=before,
        after=snapshot(pipeline, PIPELINE_FIELDS),
    )
    return (await present_pipelines(ctx, [pipeline]))[0]


async def delete_pipeline(ctx: Ctx, pipeline_id: uuid.UUID, if_match: int | None) -> None:
    """Bin an empty pipeline and its stages.

    Its stages are locked before the deals are counted: a deal entering one of them (move,
    create, win, lose share-lock the target stage) either commits first and is counted, or
    waits for this transaction and then finds the pipeline deleted.
    """
    _require_manager(ctx.principal, "pipelines")
    pipeline = await PipelineRepository(ctx.session, ctx.principal).get_writable(
        pipeline_id, if_match=if_match
    )
    if pipeline.is_default:
        raise Conflict(
            "The default pipeline cannot be deleted; make another one the default first.",
            code="default_pipeline",
        )
    stages = await StageRepository(ctx.session, ctx.principal).of_pipelines(
        [pipeline.id], for_update=True
    )
    deals = await OpportunityRepository(ctx.session, ctx.principal).count_in_pipeline(pipeline.id)
    if deals:
        raise PipelineNotEmpty(
            f"The pipeline holds {deals} deal(s); move them to another pipeline first."
        )
    before = snapshot(pipeline, PIPELINE_FIELDS)
    now = now_utc()
    pipeline.deleted_at = now
    for stage in stages:
        # binned with the pipeline: the purge removes them once no history names them
        stage.deleted_at = now
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="pipeline",
        action="deleted",
        entity_id=pipeline.id,
        sequence=pipeline.version,
        before=before,
        after=None,
    )


# --- stages ------------------------------------------------------------------------------


async def _locked_pipeline(
    ctx: Ctx, pipeline_id: uuid.UUID
) -> tuple[Pipeline, list[PipelineStage]]:
    """The pipeline row-locked (serialising stage edits) with its live stages in order."""
    _require_manager(ctx.principal, "stages")
    pipeline = await PipelineRepository(ctx.session, ctx.principal).get_writable(pipeline_id)
    stages = list(
        await StageRepository(ctx.session, ctx.principal).of_pipelines(
            [pipeline.id], for_update=True
        )
    )
    return pipeline, stages


def _stage_in(stages: Sequence[PipelineStage], stage_id: uuid.UUID) -> PipelineStage:
    for stage in stages:
        if stage.id == stage_id:
            return stage
    raise NotFound(f"No stage with id {stage_id} in this pipeline.")


def _renumber(stages: Sequence[PipelineStage]) -> None:
    for i, stage in enumerate(stages):
        if stage.position != i:
            stage.position = i


async def _stage_mutation(
    ctx: Ctx, stage: PipelineStage, action: str, before: dict[str, Any] | None
) -> None:
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="pipeline_stage",
        action=action,
        entity_id=stage.id,
        sequence=stage.version,
        before=before,
        after=None if action == "deleted" else snapshot(stage, STAGE_FIELDS),
    )


async def list_stages(ctx: Ctx, pipeline_id: uuid.UUID) -> list[schemas.PipelineStage]:
    pipeline = await PipelineRepository(ctx.session, ctx.principal).get(pipeline_id)
    stages = await StageRepository(ctx.session, ctx.principal).of_pipelines([pipeline.id])
    return [schemas.PipelineStage.model_validate(s) for s in stages]


async def create_stage(
    ctx: Ctx, pipeline_id: uuid.UUID, data: schemas.PipelineStageCreate
) -> schemas.PipelineStage:
    pipeline, stages = await _locked_pipeline(ctx, pipeline_id)
    stage = PipelineStage(
        workspace_id=ctx.principal.workspace_id,
        pipeline_id=pipeline.id,
        name_zh=data.name_zh,
        name_en=data.name_en,
        probability=data.probability,
        kind=data.kind.value,
        rotting_days=data.rotting_days,
        created_by=ctx.principal.user_id,
    )
    if data.position is not None:
        index = min(data.position, len(stages))
    else:
        open_indexes = [i for i, s in enumerate(stages) if s.kind == "open"]
        index = open_indexes[-1] + 1 if open_indexes else 0
    ordered = [*stages[:index], stage, *stages[index:]]
    ctx.session.add(stage)
    _renumber(ordered)
    await ctx.session.flush()
    await _stage_mutation(ctx, stage, "created", None)
    return schemas.PipelineStage.model_validate(stage)


async def update_stage(
    ctx: Ctx,
    pipeline_id: uuid.UUID,
    stage_id: uuid.UUID,
    data: schemas.PipelineStageUpdate,
    if_match: int | None,
) -> schemas.PipelineStage:
    """Name, probability (for deals entering the stage from now on), kind (only while the
    stage holds no deals), rotting days."""
    _, stages = await _locked_pipeline(ctx, pipeline_id)
    stage = _stage_in(stages, stage_id)
    check_version(stage, if_match)
    before = snapshot(stage, STAGE_FIELDS)
    fields = data.model_fields_set
    for name in ("name_zh", "name_en", "probability"):
        if name in fields:
            value = getattr(data, name)
            if value is None:
                raise _invalid(
                    f"body.{name}", "cannot be null", f"{name} cannot be empty.", "validation_error"
                )
            setattr(stage, name, value)
    if "rotting_days" in fields:
        stage.rotting_days = data.rotting_days
    if "kind" in fields and data.kind is not None and data.kind.value != stage.kind:
        deals = await OpportunityRepository(ctx.session, ctx.principal).count_in_stage(stage.id)
        if deals:
            raise StageNotEmpty(
                f"The stage holds {deals} deal(s) (recycle bin included); "
                "its kind can change only while it is empty."
            )
        kinds = [data.kind.value if s.id == stage.id else s.kind for s in stages]
        _check_stage_kinds(kinds, "body.kind")
        stage.kind = data.kind.value
    await ctx.session.flush()
    await _stage_mutation(ctx, stage, "updated", before)
    return schemas.PipelineStage.model_validate(stage)


async def reorder_stages(
    ctx: Ctx, pipeline_id: uuid.UUID, data: schemas.StageOrder
) -> list[schemas.PipelineStage]:
    pipeline, stages = await _locked_pipeline(ctx, pipeline_id)
    if len(set(data.stage_ids)) != len(data.stage_ids) or set(data.stage_ids) != {
        s.id for s in stages
    }:
        raise _invalid(
            "body.stage_ids",
            "list every stage of the pipeline exactly once",
            "The new order must list every stage of the pipeline exactly once.",
            "validation_error",
        )
    by_id = {s.id: s for s in stages}
    ordered = [by_id[i] for i in data.stage_ids]
    before = {"stage_ids": [str(s.id) for s in stages]}
    _renumber(ordered)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="pipeline",
        action="stages_reordered",
        entity_id=pipeline.id,
        sequence=pipeline.version,
        before=before,
        after={"stage_ids": [str(s.id) for s in ordered]},
    )
    return [schemas.PipelineStage.model_validate(s) for s in ordered]


async def delete_stage(
    ctx: Ctx, pipeline_id: uuid.UUID, stage_id: uuid.UUID, move_to: uuid.UUID | None
) -> None:
    """Delete a stage; its deals (if any) move to `move_to`, a stage of the same kind in the
    same pipeline, each with a history entry, an audit row and a `stage_changed` event.
    Closed deals stay closed as they were (won_at; lost_at, lost reason and note)."""
    _, stages = await _locked_pipeline(ctx, pipeline_id)
    stage = _stage_in(stages, stage_id)
    remaining = [s for s in stages if s.id != stage.id]
    _check_stage_kinds([s.kind for s in remaining], "path.stage_id")
    repo = OpportunityRepository(ctx.session, ctx.principal)
    deals = await repo.in_stage_for_update(stage.id)
    target: PipelineStage | None = None
    if move_to is not None:
        target = next((s for s in remaining if s.id == move_to), None)
        if target is None:
            raise _invalid(
                "query.move_to_stage_id",
                "not another stage of this pipeline",
                "The target must be another stage of the same pipeline.",
            )
        if target.kind != stage.kind:
            raise _invalid(
                "query.move_to_stage_id",
                f"must be a {stage.kind} stage",
                "Deals can only move to a stage of the same kind.",
                "stage_kind_mismatch",
            )
    if deals and target is None:
        raise StageNotEmpty(
            f"The stage holds {len(deals)} deal(s) (recycle bin included); "
            "pass move_to_stage_id to move them.",
            errors=[FieldError(field="query.move_to_stage_id", message="required")],
        )
    now = now_utc()
    if deals:
        assert target is not None
        befores = {deal.id: snapshot(deal, OPPORTUNITY_FIELDS) for deal in deals}
        moved = await repo.move_stage_contents(stage, target, now, ctx.principal.user_id)
        for deal in moved:
            after = snapshot(deal, OPPORTUNITY_FIELDS)
            after["previous_stage_id"] = str(stage.id)
            await record_mutation(
                ctx.session,
                ctx.principal,
                entity="opportunity",
                action="stage_changed",
                entity_id=deal.id,
                sequence=deal.version,
                before=befores[deal.id],
                after=after,
            )
    before = snapshot(stage, STAGE_FIELDS)
    stage.deleted_at = now
    _renumber(remaining)
    await ctx.session.flush()
    await _stage_mutation(ctx, stage, "deleted", before)


# --- line items and amounts --------------------------------------------------------------


#: NUMERIC(18,2) holds amounts below this
MONEY_LIMIT = Decimal("1e16")


def line_total(quantity: Decimal, unit_price: Decimal, discount: Decimal) -> Decimal:
    """quantity × unit price × (1 − discount %), rounded half-up to the cent."""
    with localcontext() as exact_context:
        exact_context.prec = 60  # wide enough for any NUMERIC(18,4) × NUMERIC(18,2) product
        exact = quantity * unit_price * (Decimal(100) - discount) / Decimal(100)
        return exact.quantize(CENT, rounding=ROUND_HALF_UP)


async def _build_items(
    ctx: Ctx,
    lines: Sequence[schemas.OpportunityLineInput],
    currency: str,
    opportunity_id: uuid.UUID,
) -> list[OpportunityItem]:
    products = await ProductRepository(ctx.session, ctx.principal).by_ids(
        {line.product_id for line in lines if line.product_id is not None}
    )
    errors: list[FieldError] = []
    items: list[OpportunityItem] = []
    for i, line in enumerate(lines):
        prefix = f"body.items.{i}"
        product = products.get(line.product_id) if line.product_id is not None else None
        if line.product_id is not None and product is None:
            errors.append(FieldError(field=f"{prefix}.product_id", message="unknown product"))
            continue
        line_currency = line.currency or (product.currency if product else currency)
        if line_currency != currency:
            errors.append(
                FieldError(
                    field=f"{prefix}.currency",
                    message=f"{line_currency} differs from the deal's currency {currency}",
                )
            )
            continue
        name = line.name or (product.name if product else None)
        if name is None:
            errors.append(FieldError(field=f"{prefix}.name", message="required without product"))
            continue
        unit_price = line.unit_price
        if unit_price is None:
            if product is None:
                errors.append(
                    FieldError(field=f"{prefix}.unit_price", message="required without product")
                )
                continue
            unit_price = product.list_price
        total = line_total(line.quantity, unit_price, line.discount)
        if total >= MONEY_LIMIT:
            errors.append(FieldError(field=f"{prefix}.quantity", message="line total too large"))
            continue
        items.append(
            OpportunityItem(
                workspace_id=ctx.principal.workspace_id,
                opportunity_id=opportunity_id,
                product_id=line.product_id,
                name=name,
                position=i,
                quantity=line.quantity,
                unit=line.unit or (product.unit if product else None),
                unit_price=unit_price,
                discount=line.discount,
                line_total=total,
            )
        )
    if errors:
        codes = {"currency_mismatch" if e.field.endswith(".currency") else "" for e in errors}
        raise UnprocessableEntity(
            "Some line items are invalid.",
            code="currency_mismatch" if codes == {"currency_mismatch"} else "invalid_line_items",
            errors=errors,
        )
    if sum((item.line_total for item in items), Decimal(0)) >= MONEY_LIMIT:
        raise _invalid(
            "body.items", "total too large", "The line items add up to too much.", "value_too_large"
        )
    return items


def _items_snapshot(items: Sequence[OpportunityItem]) -> list[dict[str, Any]]:
    return [
        jsonable(
            {
                "product_id": i.product_id,
                "name": i.name,
                "quantity": i.quantity,
                "unit": i.unit,
                "unit_price": i.unit_price,
                "discount": i.discount,
                "line_total": i.line_total,
            }
        )
        for i in items
    ]


# --- opportunities -----------------------------------------------------------------------


async def _check_refs(
    ctx: Ctx,
    *,
    customer_id: uuid.UUID | None,
    contact_id: uuid.UUID | None,
    campaign_id: uuid.UUID | None,
    owner_id: uuid.UUID | None,
    check_customer: bool = True,
) -> None:
    """422 for references the caller may not use. `customer_id` is the customer a contact
    must belong to; it is itself checked (readable by the caller) only with
    `check_customer`, i.e. when it is being set, not when an edit leaves it as it was."""
    errors: list[FieldError] = []
    if customer_id is not None and check_customer:
        # key-share lock: a concurrent customer deletion (which counts the customer's deals
        # under a row lock) either waits for this deal or is seen here as gone
        found = await ctx.session.scalar(
            CustomerRepository(ctx.session, ctx.principal)
            .readable()
            .where(Customer.id == customer_id)
            .with_only_columns(Customer.id)
            .with_for_update(read=True, key_share=True, of=Customer)
        )
        if found is None:
            errors.append(FieldError(field="body.customer_id", message="unknown customer"))
    if contact_id is not None:
        belongs = await ctx.session.scalar(
            select(func.count())
            .select_from(Contact)
            .where(
                Contact.id == contact_id,
                Contact.customer_id == customer_id,
                Contact.deleted_at.is_(None),
            )
        )
        if not belongs:
            errors.append(
                FieldError(field="body.contact_id", message="not a contact of the customer")
            )
    if campaign_id is not None:
        found = await ctx.session.scalar(
            select(func.count())
            .select_from(Campaign)
            .where(Campaign.id == campaign_id, Campaign.deleted_at.is_(None))
        )
        if not found:
            errors.append(FieldError(field="body.campaign_id", message="unknown campaign"))
    if owner_id is not None and not await user_is_active(ctx.session, owner_id):
        errors.append(FieldError(field="body.owner_id", message="unknown or inactive user"))
    if errors:
        raise UnprocessableEntity(
            "Some fields are invalid.", errors=errors, code="invalid_reference"
        )


async def _pipeline_still_live(ctx: Ctx, pipeline_id: uuid.UUID, field: str) -> None:
    """422 when the pipeline was deleted while the caller waited for a stage lock.

    A pipeline deletion locks its stages, counts their deals and bins them together with
    the pipeline; a share lock on a stage that is still live afterwards therefore proves
    the pipeline live too, and only a stage that vanished needs this read.
    """
    try:
        await PipelineRepository(ctx.session, ctx.principal).get(pipeline_id)
    except NotFound:
        raise _invalid(field, "its pipeline was deleted", "The pipeline was deleted.") from None


async def _resolve_stage(
    ctx: Ctx, pipeline_id: uuid.UUID | None, stage_id: uuid.UUID | None
) -> tuple[Pipeline, PipelineStage]:
    """The pipeline and open stage a new deal starts in."""
    stages_repo = StageRepository(ctx.session, ctx.principal)
    if pipeline_id is not None:
        try:
            pipeline = await PipelineRepository(ctx.session, ctx.principal).get(pipeline_id)
        except NotFound:
            raise _invalid(
                "body.pipeline_id", "unknown pipeline", "The pipeline does not exist."
            ) from None
    elif stage_id is not None:
        try:
            stage = await stages_repo.get(stage_id)
        except NotFound:
            raise _invalid("body.stage_id", "unknown stage", "The stage does not exist.") from None
        pipeline = await PipelineRepository(ctx.session, ctx.principal).get(stage.pipeline_id)
    else:
        pipeline = await default_pipeline(ctx.session, ctx.principal)
    stages = await stages_repo.of_pipelines([pipeline.id])
    if stage_id is None:
        first_open = next((s for s in stages if s.kind == "open"), None)
        locked = await stages_repo.get_shared(first_open.id) if first_open else None
        if locked is None:
            await _pipeline_still_live(ctx, pipeline.id, "body.pipeline_id")
            raise Conflict("The pipeline has no open stage.", code="pipeline_stages_incomplete")
        return pipeline, locked
    chosen = next((s for s in stages if s.id == stage_id), None)
    if chosen is not None:
        chosen = await stages_repo.get_shared(chosen.id)
        if chosen is None:
            await _pipeline_still_live(
                ctx, pipeline.id, "body.pipeline_id" if pipeline_id else "body.stage_id"
            )
    if chosen is None:
        raise _invalid(
            "body.stage_id", "not a stage of the pipeline", "The stage is not in the pipeline."
        )
    if chosen.kind != "open":
        raise _invalid(
            "body.stage_id",
            "must be an open stage",
            "New deals start in an open stage; win or lose them afterwards.",
            "stage_not_open",
        )
    return pipeline, chosen


async def create_opportunity(
    ctx: Ctx, data: schemas.OpportunityCreate, *, lead_id: uuid.UUID | None = None
) -> Opportunity:
    owner_id = data.owner_id or ctx.principal.user_id
    if owner_id != ctx.principal.user_id and not ctx.principal.is_manager:
        raise Forbidden("You can only create deals you own.", code="owner_not_allowed")
    return await _create(ctx, data, owner_id=owner_id, lead_id=lead_id)


async def _create(
    ctx: Ctx,
    data: schemas.OpportunityCreate,
    *,
    owner_id: uuid.UUID,
    lead_id: uuid.UUID | None,
) -> Opportunity:
    await _check_refs(
        ctx,
        customer_id=data.customer_id,
        contact_id=data.contact_id,
        campaign_id=data.campaign_id,
        owner_id=owner_id,
    )
    await OpportunityRepository(ctx.session, ctx.principal).ensure_external_id_free(
        data.external_source, data.external_id, None
    )
    custom = await validate_values(ctx.session, "opportunity", data.custom_fields, creating=True)
    pipeline, stage = await _resolve_stage(ctx, data.pipeline_id, data.stage_id)
    now = now_utc()
    opp = Opportunity(
        workspace_id=ctx.principal.workspace_id,
        created_by=ctx.principal.user_id,
        customer_id=data.customer_id,
        contact_id=data.contact_id,
        name=data.name,
        amount=data.amount,
        currency=data.currency,
        expected_close_date=data.expected_close_date,
        pipeline_id=pipeline.id,
        stage_id=stage.id,
        status="open",
        probability=data.probability if data.probability is not None else stage.probability,
        probability_manual=data.probability is not None,
        stage_entered_at=now,
        owner_id=owner_id,
        source=data.source,
        campaign_id=data.campaign_id,
        lead_id=lead_id,
        notes=data.notes,
        custom_fields=custom,
        external_source=data.external_source,
        external_id=data.external_id,
    )
    opp.id = uuid7()  # the line items reference it before the flush
    items = await _build_items(ctx, data.items, data.currency, opp.id)
    if items:
        opp.amount = sum((i.line_total for i in items), Decimal(0))
        opp.has_items = True
    ctx.session.add(opp)
    await ctx.session.flush()
    ctx.session.add_all(items)
    ctx.session.add(
        OpportunityStageVisit(
            workspace_id=ctx.principal.workspace_id,
            opportunity_id=opp.id,
            stage_id=stage.id,
            entered_at=now,
            moved_by=ctx.principal.user_id,
        )
    )
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="opportunity",
        action="created",
        entity_id=opp.id,
        sequence=opp.version,
        before=None,
        after={**snapshot(opp, OPPORTUNITY_FIELDS), "items": _items_snapshot(items)},
    )
    return opp


@dataclass(frozen=True)
class OpportunityFilters:
    q: str | None = None
    pipeline_id: uuid.UUID | None = None
    stage_id: uuid.UUID | None = None
    status: str | None = None
    owner_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    campaign_id: uuid.UUID | None = None
    rotting: bool | None = None
    close_after: Any = None
    close_before: Any = None
    custom: dict[str, str] | None = None


async def list_opportunities(
    ctx: Ctx, params: ListParams, sort: str, f: OpportunityFilters
) -> tuple[list[schemas.Opportunity], str | None, bool]:
    now = now_utc()
    conds: list[ColumnElement[bool]] = []
    if f.q:
        conds.append(Opportunity.name.ilike(contains_pattern(f.q)))
    for column, value in (
        (Opportunity.pipeline_id, f.pipeline_id),
        (Opportunity.stage_id, f.stage_id),
        (Opportunity.status, f.status),
        (Opportunity.owner_id, f.owner_id),
        (Opportunity.customer_id, f.customer_id),
        (Opportunity.campaign_id, f.campaign_id),
    ):
        if value is not None:
            conds.append(column == value)
    if f.team_id is not None:
        # its own CTE name: a manager's team scope already uses the default one
        conds.append(Opportunity.owner_id.in_(team_members(f.team_id, "filter_team_tree")))
    if f.rotting is not None:
        rot = rotting_condition(now)
        conds.append(rot if f.rotting else ~rot)
    if f.close_after is not None:
        conds.append(Opportunity.expected_close_date >= f.close_after)
    if f.close_before is not None:
        conds.append(Opportunity.expected_close_date < f.close_before)
    if f.custom:
        conds += await filter_conditions(
            ctx.session, "opportunity", Opportunity.custom_fields, f.custom
        )
    rows, cursor, more = await OpportunityRepository(ctx.session, ctx.principal).page(
        params, sort, *conds
    )
    return await present(ctx, rows, now), cursor, more


async def get_opportunity(ctx: Ctx, opportunity_id: uuid.UUID) -> schemas.Opportunity:
    opp = await OpportunityRepository(ctx.session, ctx.principal).get(opportunity_id)
    return await present_one(ctx, opp)


async def update_opportunity(
    ctx: Ctx, opportunity_id: uuid.UUID, data: schemas.OpportunityUpdate, if_match: int | None
) -> schemas.Opportunity:
    repo = OpportunityRepository(ctx.session, ctx.principal)
    opp = await repo.get_writable(opportunity_id, if_match=if_match)
    before = snapshot(opp, OPPORTUNITY_FIELDS)
    fields = data.model_fields_set
    for name in ("name", "amount", "currency"):
        if name in fields and getattr(data, name) is None:
            raise _invalid(
                f"body.{name}", "cannot be null", f"{name} cannot be empty.", "validation_error"
            )
    if "owner_id" in fields:
        if data.owner_id is None:
            raise _invalid(
                "body.owner_id", "cannot be null", "A deal needs an owner.", "validation_error"
            )
        if data.owner_id != opp.owner_id and not ctx.principal.is_manager:
            raise Forbidden("Only managers and admins reassign deals.", code="owner_not_allowed")
    await _check_refs(
        ctx,
        customer_id=opp.customer_id,
        contact_id=data.contact_id if "contact_id" in fields else None,
        campaign_id=data.campaign_id if "campaign_id" in fields else None,
        owner_id=data.owner_id if "owner_id" in fields else None,
        # the customer may have moved out of the caller's scope since (transfer, pool);
        # the deal is still theirs to edit
        check_customer=False,
    )
    if {"external_source", "external_id"} & fields:
        await OpportunityRepository(ctx.session, ctx.principal).ensure_external_id_free(
            data.external_source if "external_source" in fields else opp.external_source,
            data.external_id if "external_id" in fields else opp.external_id,
            opp.id,
        )
    for name in (
        "name",
        "contact_id",
        "currency",
        "expected_close_date",
        "owner_id",
        "source",
        "campaign_id",
        "notes",
        "external_source",
        "external_id",
    ):
        if name in fields:
            setattr(opp, name, getattr(data, name))
    if "probability" in fields:
        if data.probability is None:
            stage = await StageRepository(ctx.session, ctx.principal).by_ids({opp.stage_id})
            opp.probability = stage[opp.stage_id].probability
            opp.probability_manual = False
        else:
            opp.probability = data.probability
            opp.probability_manual = True
    items_after: list[OpportunityItem] | None = None
    if "items" in fields and data.items is not None:
        items_after = await _build_items(ctx, data.items, opp.currency, opp.id)
        await repo.replace_items(opp.id, items_after)
        opp.has_items = bool(items_after)
        if items_after:
            opp.amount = sum((i.line_total for i in items_after), Decimal(0))
    elif "currency" in fields and opp.has_items and opp.currency != before["currency"]:
        raise _invalid(
            "body.currency",
            "send the line items in the new currency with it",
            "Changing the currency of a deal with line items needs new line items.",
            "currency_mismatch",
        )
    if "amount" in fields and data.amount is not None:
        if opp.has_items:
            raise _invalid(
                "body.amount",
                "the amount is the sum of the line items",
                "A deal with line items takes its amount from them.",
                "amount_from_items",
            )
        opp.amount = data.amount
    if "custom_fields" in fields:
        opp.custom_fields = await validate_values(
            ctx.session,
            "opportunity",
            data.custom_fields,
            current=opp.custom_fields,
            creating=False,
        )
    await ctx.session.flush()
    after = snapshot(opp, OPPORTUNITY_FIELDS)
    if items_after is not None:
        after["items"] = _items_snapshot(items_after)
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="opportunity",
        action="updated",
        entity_id=opp.id,
        sequence=opp.version,
        before=before,
        after=after,
    )
    return await present_one(ctx, opp)


async def delete_opportunity(ctx: Ctx, opportunity_id: uuid.UUID, if_match: int | None) -> None:
    opp = await OpportunityRepository(ctx.session, ctx.principal).get_writable(
        opportunity_id, if_match=if_match
    )
    before = snapshot(opp, OPPORTUNITY_FIELDS)
    opp.deleted_at = now_utc()
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="opportunity",
        action="deleted",
        entity_id=opp.id,
        sequence=opp.version,
        before=before,
        after=None,
    )


async def restore_opportunity(ctx: Ctx, opportunity_id: uuid.UUID) -> schemas.Opportunity:
    opp = await OpportunityRepository(ctx.session, ctx.principal).get_writable(
        opportunity_id, include_deleted=True
    )
    if opp.deleted_at is not None:
        stage = (await StageRepository(ctx.session, ctx.principal).by_ids({opp.stage_id}))[
            opp.stage_id
        ]
        pipeline = await ctx.session.get(Pipeline, (opp.workspace_id, opp.pipeline_id))
        if stage.deleted_at is not None or pipeline is None or pipeline.deleted_at is not None:
            raise Conflict(
                "The deal's stage or pipeline was deleted; it cannot come back.",
                code="stage_deleted",
            )
        before = snapshot(opp, OPPORTUNITY_FIELDS)
        opp.deleted_at = None
        await ctx.session.flush()
        await record_mutation(
            ctx.session,
            ctx.principal,
            entity="opportunity",
            action="restored",
            entity_id=opp.id,
            sequence=opp.version,
            before=before,
            after=snapshot(opp, OPPORTUNITY_FIELDS),
        )
    return await present_one(ctx, opp)


# --- stage moves: move, win, lose, reopen ------------------------------------------------


async def _enter_stage(
    ctx: Ctx,
    opp: Opportunity,
    stage: PipelineStage,
    now: datetime,
    *,
    action: str,
    audit: bool,
    lost_reason_id: uuid.UUID | None = None,
    lost_note: str | None = None,
) -> None:
    """Put the deal into `stage`: history, status, won/lost times, probability."""
    before = snapshot(opp, OPPORTUNITY_FIELDS)
    repo = OpportunityRepository(ctx.session, ctx.principal)
    await repo.close_visit(opp.id, now)
    ctx.session.add(
        OpportunityStageVisit(
            workspace_id=opp.workspace_id,
            opportunity_id=opp.id,
            stage_id=stage.id,
            entered_at=now,
            moved_by=ctx.principal.user_id,
        )
    )
    opp.pipeline_id = stage.pipeline_id
    opp.stage_id = stage.id
    opp.stage_entered_at = now
    opp.status = stage.kind
    if stage.kind == "won":
        if opp.won_at is None:
            opp.won_at = now
        opp.lost_at = None
        opp.lost_reason_id = None
        opp.lost_note = None
    elif stage.kind == "lost":
        if opp.lost_at is None:
            opp.lost_at = now
        opp.won_at = None
        opp.lost_reason_id = lost_reason_id
        opp.lost_note = lost_note
    else:
        opp.won_at = None
        opp.lost_at = None
        opp.lost_reason_id = None
        opp.lost_note = None
    if stage.kind != "open":
        opp.probability = stage.probability
        opp.probability_manual = False
    elif not opp.probability_manual:
        opp.probability = stage.probability
    await ctx.session.flush()
    if not audit:
        return
    after = snapshot(opp, OPPORTUNITY_FIELDS)
    after["previous_stage_id"] = str(before["stage_id"])
    if action == "won":
        # what the contracts side needs to offer a contract: customer, amount, items
        items = (await repo.items_of([opp.id]))[opp.id]
        after["items"] = _items_snapshot(items)
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="opportunity",
        action=action,
        entity_id=opp.id,
        sequence=opp.version,
        before=before,
        after=after,
    )


async def _lost_reason(ctx: Ctx, reason_id: uuid.UUID | None) -> uuid.UUID:
    if reason_id is None:
        raise _invalid(
            "body.lost_reason_id",
            "required when losing a deal",
            "Say why the deal was lost (see /lost-reasons).",
            "lost_reason_required",
        )
    reason = await ctx.session.scalar(
        select(LostReason).where(LostReason.id == reason_id, LostReason.deleted_at.is_(None))
    )
    if reason is None or not reason.active:
        raise _invalid("body.lost_reason_id", "unknown lost reason", "Unknown lost reason.")
    return reason_id


async def _target_stage(ctx: Ctx, stage_id: uuid.UUID) -> PipelineStage:
    stage = await StageRepository(ctx.session, ctx.principal).get_shared(stage_id)
    if stage is None:
        raise _invalid("body.stage_id", "unknown stage", "The stage does not exist.")
    return stage


async def _transition(
    ctx: Ctx,
    opp: Opportunity,
    target: PipelineStage,
    lost_reason_id: uuid.UUID | None,
    lost_note: str | None,
) -> Opportunity:
    if target.id == opp.stage_id and target.kind != "lost":
        return opp
    try:
        await PipelineRepository(ctx.session, ctx.principal).get(target.pipeline_id)
    except NotFound:
        raise _invalid(
            "body.stage_id", "its pipeline was deleted", "The stage's pipeline was deleted."
        ) from None
    reason = await _lost_reason(ctx, lost_reason_id) if target.kind == "lost" else None
    if target.id == opp.stage_id:  # a lost deal's reason or note changes
        before = snapshot(opp, OPPORTUNITY_FIELDS)
        opp.lost_reason_id, opp.lost_note = reason, lost_note
        await ctx.session.flush()
        await record_mutation(
            ctx.session,
            ctx.principal,
            entity="opportunity",
            action="updated",
            entity_id=opp.id,
            sequence=opp.version,
            before=before,
            after=snapshot(opp, OPPORTUNITY_FIELDS),
        )
        return opp
    if target.kind == opp.status:  # open → open, or between two won (lost) stages
        action = "stage_changed"
    elif target.kind == "open":
        action = "reopened"
    else:
        action = target.kind  # "won" / "lost"
    await _enter_stage(
        ctx,
        opp,
        target,
        now_utc(),
        action=action,
        audit=True,
        lost_reason_id=reason,
        lost_note=lost_note,
    )
    return opp


async def move(
    ctx: Ctx, opportunity_id: uuid.UUID, data: schemas.OpportunityMove
) -> schemas.Opportunity:
    # lock order: the stage before the deal, as stage deletion does (no deadlock)
    repo = OpportunityRepository(ctx.session, ctx.principal)
    await repo.visible_pipeline(opportunity_id)
    target = await _target_stage(ctx, data.stage_id)
    opp = await repo.get_writable(opportunity_id)
    await _transition(ctx, opp, target, data.lost_reason_id, data.lost_note)
    return await present_one(ctx, opp)


def _not_in_pipeline() -> AppError:
    return _invalid(
        "body.stage_id",
        "not a stage of the deal's pipeline",
        "Win or lose a deal in its own pipeline; move it to change pipelines.",
        "stage_not_in_pipeline",
    )


async def _closing_stage(
    ctx: Ctx, pipeline_id: uuid.UUID, stage_id: uuid.UUID | None, kind: str
) -> PipelineStage:
    """The won (lost) stage of the deal's pipeline: the one named, or its first."""
    if stage_id is not None:
        stage = await _target_stage(ctx, stage_id)
        if stage.pipeline_id != pipeline_id:
            raise _not_in_pipeline()
        if stage.kind != kind:
            raise _invalid(
                "body.stage_id",
                f"must be a {kind} stage",
                f"Pick a {kind} stage.",
                "stage_kind_mismatch",
            )
        return stage
    repo = StageRepository(ctx.session, ctx.principal)
    stages = await repo.of_pipelines([pipeline_id])
    first = next((s for s in stages if s.kind == kind), None)
    found = await repo.get_shared(first.id) if first else None
    if found is None:
        raise Conflict(f"The pipeline has no {kind} stage.", code="pipeline_stages_incomplete")
    return found


async def win(
    ctx: Ctx, opportunity_id: uuid.UUID, data: schemas.OpportunityWin
) -> schemas.Opportunity:
    """Win the deal (its `opportunity.won` event carries customer, amount, currency and items,
    what the contracts side needs to offer a contract)."""
    repo = OpportunityRepository(ctx.session, ctx.principal)
    stage = await _closing_stage(
        ctx, await repo.visible_pipeline(opportunity_id), data.stage_id, "won"
    )
    opp = await repo.get_writable(opportunity_id)
    if opp.pipeline_id != stage.pipeline_id:  # moved to another pipeline meanwhile
        raise _not_in_pipeline()
    if opp.status == "won":
        raise AlreadyClosed("This deal is already won.")
    await _transition(ctx, opp, stage, None, None)
    return await present_one(ctx, opp)


async def lose(
    ctx: Ctx, opportunity_id: uuid.UUID, data: schemas.OpportunityLose
) -> schemas.Opportunity:
    repo = OpportunityRepository(ctx.session, ctx.principal)
    stage = await _closing_stage(
        ctx, await repo.visible_pipeline(opportunity_id), data.stage_id, "lost"
    )
    opp = await repo.get_writable(opportunity_id)
    if opp.pipeline_id != stage.pipeline_id:  # moved to another pipeline meanwhile
        raise _not_in_pipeline()
    if opp.status == "lost":
        raise AlreadyClosed("This deal is already lost.")
    await _transition(ctx, opp, stage, data.lost_reason_id, data.lost_note)
    return await present_one(ctx, opp)


async def history(ctx: Ctx, opportunity_id: uuid.UUID) -> list[schemas.StageVisit]:
    repo = OpportunityRepository(ctx.session, ctx.principal)
    opp = await repo.get(opportunity_id, include_deleted=True)
    visits = await repo.history(opp.id)
    stages = await StageRepository(ctx.session, ctx.principal).by_ids({v.stage_id for v in visits})
    now = now_utc()
    out = []
    for v in visits:
        stage = stages[v.stage_id]
        end = v.left_at or now
        out.append(
            schemas.StageVisit(
                id=v.id,
                stage_id=v.stage_id,
                stage_name_zh=stage.name_zh,
                stage_name_en=stage.name_en,
                stage_kind=schemas.StageKind(stage.kind),
                entered_at=v.entered_at,
                left_at=v.left_at,
                seconds_in_stage=max(0, int((end - v.entered_at).total_seconds())),
                moved_by=v.moved_by,
            )
        )
    return out


# --- the board ---------------------------------------------------------------------------


async def board(
    ctx: Ctx,
    pipeline_id: uuid.UUID,
    *,
    limit: int,
    stage_id: uuid.UUID | None,
    cursor: str | None,
    owner_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    closed_days: int,
) -> schemas.PipelineBoard:
    """Per stage: the first `limit` deals in the caller's scope (most recently changed first),
    their count and amount totals per currency. Open stages hold open deals; won and lost
    stages hold the deals closed within the last `closed_days` days."""
    pipeline = await PipelineRepository(ctx.session, ctx.principal).get(pipeline_id)
    stages = list(await StageRepository(ctx.session, ctx.principal).of_pipelines([pipeline.id]))
    if stage_id is not None:
        stages = [s for s in stages if s.id == stage_id]
        if not stages:
            raise NotFound(f"No stage with id {stage_id} in this pipeline.")
    elif cursor is not None:
        raise _invalid(
            "query.cursor",
            "a cursor belongs to one column; pass its stage_id",
            "Load more of one column with stage_id and cursor.",
            "invalid_parameter",
        )
    now = now_utc()
    closed_since = now - timedelta(days=closed_days)
    repo = OpportunityRepository(ctx.session, ctx.principal)
    base = repo.board_scope(pipeline.id, owner_id, team_id)
    totals = await repo.board_totals(
        pipeline.id, base, stages, owner_id=owner_id, team_id=team_id, closed_since=closed_since
    )
    pages = [
        (
            stage,
            *await repo.board_column(
                base, stage, closed_since=closed_since, limit=limit, cursor=cursor
            ),
        )
        for stage in stages
    ]
    names = await CustomerRepository(ctx.session, ctx.principal).names_in_scope(
        {d.customer_id for _, deals, _, _ in pages for d in deals}
    )
    columns = []
    for stage, deals, next_cursor, more in pages:
        stage_totals = totals.get(stage.id, [])
        columns.append(
            schemas.BoardColumn(
                stage=schemas.PipelineStage.model_validate(stage),
                count=sum(t[1] for t in stage_totals),
                totals=[
                    schemas.BoardTotal(
                        currency=currency,
                        count=n,
                        amount=amount.quantize(CENT),
                        weighted_amount=weighted.quantize(CENT, rounding=ROUND_HALF_UP),
                    )
                    for currency, n, amount, weighted in stage_totals
                ],
                deals=[
                    schemas.BoardDeal.model_validate(
                        {
                            **_columns(d, Opportunity),
                            "customer_name": names.get(d.customer_id),
                            "rotting": is_rotting(d, stage, now),
                        }
                    )
                    for d in deals
                ],
                next_cursor=next_cursor,
                has_more=more,
            )
        )
    return schemas.PipelineBoard(
        pipeline_id=pipeline.id, closed_since=closed_since, columns=columns
    )


# --- lost reasons ------------------------------------------------------------------------


async def list_lost_reasons(
    ctx: Ctx, params: ListParams, active: bool | None
) -> tuple[Sequence[LostReason], str | None, bool]:
    conds = [] if active is None else [LostReason.active.is_(active)]
    return await LostReasonRepository(ctx.session, ctx.principal).page(params, "position", *conds)


async def create_lost_reason(ctx: Ctx, data: schemas.LostReasonCreate) -> LostReason:
    _require_manager(ctx.principal, "lost reasons")
    repo = LostReasonRepository(ctx.session, ctx.principal)
    reason = LostReason(
        workspace_id=ctx.principal.workspace_id,
        label_zh=data.label_zh,
        label_en=data.label_en,
        position=data.position if data.position is not None else await repo.next_position(),
        created_by=ctx.principal.user_id,
    )
    ctx.session.add(reason)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="lost_reason",
        action="created",
        entity_id=reason.id,
        sequence=reason.version,
        before=None,
        after=snapshot(reason, REASON_FIELDS),
    )
    return reason


async def update_lost_reason(
    ctx: Ctx, reason_id: uuid.UUID, data: schemas.LostReasonUpdate, if_match: int | None
) -> LostReason:
    _require_manager(ctx.principal, "lost reasons")
    reason = await LostReasonRepository(ctx.session, ctx.principal).get_writable(
        reason_id, if_match=if_match
    )
    before = snapshot(reason, REASON_FIELDS)
    for name in data.model_fields_set:
        value = getattr(data, name)
        if value is None:
            raise _invalid(
                f"body.{name}", "cannot be null", f"{name} cannot be empty.", "validation_error"
            )
        setattr(reason, name, value)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="lost_reason",
        action="updated",
        entity_id=reason.id,
        sequence=reason.version,
        before=before,
        after=snapshot(reason, REASON_FIELDS),
    )
    return reason


async def delete_lost_reason(ctx: Ctx, reason_id: uuid.UUID) -> None:
    """Deals lost for this reason keep it (it stays readable with include_deleted)."""
    _require_manager(ctx.principal, "lost reasons")
    reason = await LostReasonRepository(ctx.session, ctx.principal).get_writable(reason_id)
    before = snapshot(reason, REASON_FIELDS)
    reason.deleted_at = now_utc()
    reason.active = False
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="lost_reason",
        action="deleted",
        entity_id=reason.id,
        sequence=reason.version,
        before=before,
        after=None,
    )


# --- products ----------------------------------------------------------------------------


async def list_products(
    ctx: Ctx,
    params: ListParams,
    sort: str,
    *,
    q: str | None,
    category: str | None,
    active: bool | None,
) -> tuple[Sequence[Product], str | None, bool]:
    conds: list[ColumnElement[bool]] = []
    if q:
        pattern = contains_pattern(q)
        conds.append(Product.name.ilike(pattern) | Product.sku.ilike(pattern))
    if category:
        conds.append(Product.category == category)
    if active is not None:
        conds.append(Product.active.is_(active))
    return await ProductRepository(ctx.session, ctx.principal).page(params, sort, *conds)


async def get_product(ctx: Ctx, product_id: uuid.UUID) -> Product:
    return await ProductRepository(ctx.session, ctx.principal).get(product_id)


async def _product_unique(
    ctx: Ctx,
    sku: str | None,
    source: str | None,
    external_id: str | None,
    exclude: uuid.UUID | None,
) -> None:
    repo = ProductRepository(ctx.session, ctx.principal)
    if sku is not None and await repo.sku_taken(sku, exclude):
        raise Conflict(
            "Another product has this SKU.",
            code="sku_taken",
            errors=[FieldError(field="body.sku", message="already in use")],
        )
    await repo.ensure_external_id_free(source, external_id, exclude)


async def create_product(ctx: Ctx, data: schemas.ProductCreate) -> Product:
    _require_manager(ctx.principal, "products")
    await _product_unique(ctx, data.sku, data.external_source, data.external_id, None)
    product = Product(
        workspace_id=ctx.principal.workspace_id,
        created_by=ctx.principal.user_id,
        **data.model_dump(),
    )
    ctx.session.add(product)
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="product",
        action="created",
        entity_id=product.id,
        sequence=product.version,
        before=None,
        after=snapshot(product, PRODUCT_FIELDS),
    )
    return product


async def update_product(
    ctx: Ctx, product_id: uuid.UUID, data: schemas.ProductUpdate, if_match: int | None
) -> Product:
    _require_manager(ctx.principal, "products")
    product = await ProductRepository(ctx.session, ctx.principal).get_writable(
        product_id, if_match=if_match
    )
    before = snapshot(product, PRODUCT_FIELDS)
    fields = data.model_fields_set
    for name in ("sku", "name", "list_price", "currency", "active"):
        if name in fields and getattr(data, name) is None:
            raise _invalid(
                f"body.{name}", "cannot be null", f"{name} cannot be empty.", "validation_error"
            )
    await _product_unique(
        ctx,
        data.sku if "sku" in fields else None,
        data.external_source if "external_source" in fields else product.external_source,
        data.external_id if "external_id" in fields else product.external_id,
        product.id,
    )
    for name in fields:
        setattr(product, name, getattr(data, name))
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="product",
        action="updated",
        entity_id=product.id,
        sequence=product.version,
        before=before,
        after=snapshot(product, PRODUCT_FIELDS),
    )
    return product


async def delete_product(ctx: Ctx, product_id: uuid.UUID, if_match: int | None) -> None:
    """Soft delete; line items keep their copy of name and price."""
    _require_manager(ctx.principal, "products")
    product = await ProductRepository(ctx.session, ctx.principal).get_writable(
        product_id, if_match=if_match
    )
    before = snapshot(product, PRODUCT_FIELDS)
    product.deleted_at = now_utc()
    await ctx.session.flush()
    await record_mutation(
        ctx.session,
        ctx.principal,
        entity="product",
        action="deleted",
        entity_id=product.id,
        sequence=product.version,
        before=before,
        after=None,
    )


# --- registered reactions ----------------------------------------------------------------


async def _record_owner_moves(
    session: AsyncSession,
    principal: Principal,
    moved: Sequence[Any],
    from_user_id: uuid.UUID | None,
    to_user_id: uuid.UUID,
) -> None:
    for deal_id, version, customer_id in moved:
        await record_mutation(
            session,
            principal,
            entity="opportunity",
            action="updated",
            entity_id=deal_id,
            sequence=version,
            before={"owner_id": from_user_id, "customer_id": customer_id},
            after={"owner_id": to_user_id, "customer_id": customer_id},
        )


async def move_with_customers(
    session: AsyncSession, principal: Principal, move_: hooks.OwnershipMove
) -> dict[str, int]:
    """Open deals the previous owner held on the moved customers follow them to the new
    owner. Closed deals stay with whoever closed them; a release to the pool moves none."""
    if move_.to_user_id is None or not move_.customer_ids:
        return {}
    moved = await OpportunityRepository(session, principal).move_open_of_customers(
        move_.customer_ids, move_.from_user_id, move_.to_user_id
    )
    await _record_owner_moves(session, principal, moved, move_.from_user_id, move_.to_user_id)
    return {"opportunities": len(moved)}


async def hand_over(
    session: AsyncSession, principal: Principal, from_user_id: uuid.UUID, to_user_id: uuid.UUID
) -> dict[str, int]:
    """A departing user's remaining open deals (on customers owned by others) move too."""
    moved = await OpportunityRepository(session, principal).move_open_of_owner(
        from_user_id, to_user_id
    )
    await _record_owner_moves(session, principal, moved, from_user_id, to_user_id)
    return {"opportunities": len(moved)}


async def owned_open_deals(session: AsyncSession, user_id: uuid.UUID) -> dict[str, int]:
    return {"opportunities": await open_deals_owned(session, user_id)}


async def deals_of_customer(session: AsyncSession, customer_id: uuid.UUID) -> dict[str, int]:
    """A customer with deals, open or closed, is not deleted: the purge would take the
    deals and their history with it. Whoever owns them, the recycle bin aside."""
    return {"opportunities": await live_deals_of_customer(session, customer_id)}


async def deal_from_lead(
    session: AsyncSession, principal: Principal, lead: Lead, customer_id: uuid.UUID
) -> dict[str, Any]:
    """Lead conversion: an opportunity in the default pipeline's first stage, owned by the
    lead's owner, carrying its source and campaign."""
    if not principal.can_write("opportunities"):
        return {}
    ctx = Ctx(session, principal)
    contact_id = await session.scalar(
        select(Contact.id)
        .where(Contact.customer_id == customer_id, Contact.name == lead.name)
        .order_by(Contact.created_at.desc(), Contact.id.desc())
        .limit(1)
    )
    opp = await _create(
        ctx,
        schemas.OpportunityCreate(
            customer_id=customer_id,
            contact_id=contact_id,
            name=lead.company or lead.name,
            source=lead.source,
            campaign_id=lead.campaign_id,
        ),
        owner_id=lead.owner_id or principal.user_id,
        lead_id=lead.id,
    )
    return {"opportunity_id": str(opp.id)}


async def follow_merge(
    session: AsyncSession, principal: Principal, duplicate_id: uuid.UUID, survivor_id: uuid.UUID
) -> dict[str, int]:
    """A merged-away customer's deals, open or closed, belong to the survivor; their owners
    and stage history stay as they were."""
    rows = (
        await session.execute(
            update(Opportunity)
            .where(Opportunity.customer_id == duplicate_id)
            .values(customer_id=survivor_id, version=Opportunity.version + 1)
            .returning(Opportunity.id, Opportunity.version)
            .execution_options(synchronize_session=False)
        )
    ).all()
    for opportunity_id, version in rows:
        await record_mutation(
            session,
            principal,
            entity="opportunity",
            action="updated",
            entity_id=opportunity_id,
            sequence=version,
            before={"customer_id": duplicate_id},
            after={"customer_id": survivor_id},
        )
    return {"opportunities": len(rows)} if rows else {}


def won_since(since: Any) -> ColumnElement[bool]:
    """The customer (correlated) has a deal won at or after `since`."""
    return (
        select(Opportunity.id)
        .where(
            Opportunity.workspace_id == Customer.workspace_id,
            Opportunity.customer_id == Customer.id,
            Opportunity.status == "won",
            Opportunity.won_at >= since,
            Opportunity.deleted_at.is_(None),
        )
        .exists()
    )


def _register() -> None:
    from app.leads.service import campaign_won_hooks, convert_hooks

    if move_with_customers not in hooks.customer_move_hooks:
        hooks.customer_move_hooks.append(move_with_customers)
    if hand_over not in hooks.handover_hooks:
        hooks.handover_hooks.append(hand_over)
    if owned_open_deals not in hooks.owned_counters:
        hooks.owned_counters.append(owned_open_deals)
    if deals_of_customer not in hooks.customer_delete_guards:
        hooks.customer_delete_guards.append(deals_of_customer)
    if won_since not in hooks.customer_won_since:
        hooks.customer_won_since.append(won_since)
    if follow_merge not in hooks.customer_merge_hooks:
        hooks.customer_merge_hooks.append(follow_merge)
    if won_by_campaign not in campaign_won_hooks:
        campaign_won_hooks.append(won_by_campaign)
    if deal_from_lead not in convert_hooks:
        convert_hooks.append(deal_from_lead)


_register()
