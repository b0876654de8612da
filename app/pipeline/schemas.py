from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from app.core.schemas import RequestSchema, ResponseSchema

CurrencyCode = Annotated[str, StringConstraints(pattern="^[A-Z]{3}$")]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]


class StageKind(StrEnum):
    open = "open"
    won = "won"
    lost = "lost"


class DealStatus(StrEnum):
    open = "open"
    won = "won"
    lost = "lost"


# --- pipelines and stages ----------------------------------------------------------------


class PipelineStage(ResponseSchema):
    id: uuid.UUID = Field(description="Stage id")
    pipeline_id: uuid.UUID = Field(description="Pipeline")
    name_zh: str = Field(description="Name (zh-CN)")
    name_en: str = Field(description="Name (en)")
    position: int = Field(description="Order on the board (lowest first)")
    probability: int = Field(description="Default win probability of its deals, 0–100 %")
    kind: StageKind = Field(description="open, won (moving here wins) or lost")
    rotting_days: int | None = Field(
        description="A deal longer than this in the stage is rotting; null = never"
    )
    version: int = Field(description="Version")


class PipelineStageCreate(RequestSchema):
    name_zh: str = Field(min_length=1, max_length=60, description="Name (zh-CN)")
    name_en: str = Field(min_length=1, max_length=60, description="Name (en)")
    probability: int = Field(default=0, ge=0, le=100, description="Win probability, %")
    kind: StageKind = Field(default=StageKind.open, description="open, won or lost")
    rotting_days: int | None = Field(
        default=None, ge=1, le=3650, description="Rotting after this many days; null = never"
    )
    position: int | None = Field(
        default=None,
        ge=0,
        le=1000,
        description="Insert at this index (0 = first); default: after the last open stage",
    )


class PipelineStageUpdate(RequestSchema):
    name_zh: str | None = Field(default=None, min_length=1, max_length=60, description="Name")
    name_en: str | None = Field(default=None, min_length=1, max_length=60, description="Name")
    probability: int | None = Field(default=None, ge=0, le=100, description="Probability, %")
    kind: StageKind | None = Field(default=None, description="Kind (only while it holds no deals)")
    rotting_days: int | None = Field(
        default=None, ge=1, le=3650, description="Rotting days; null = never"
    )


class StageOrder(RequestSchema):
    stage_ids: list[uuid.UUID] = Field(
        min_length=1, max_length=100, description="Every stage of the pipeline, in the new order"
    )


class Pipeline(ResponseSchema):
    id: uuid.UUID = Field(description="Pipeline id")
    name: str = Field(description="Name")
    description: str | None = Field(description="Description")
    is_default: bool = Field(description="New deals and converted leads go here by default")
    position: int = Field(description="Order among pipelines")
    stages: list[PipelineStage] = Field(description="Stages in board order")
    created_at: datetime = Field(description="Created at")
    updated_at: datetime = Field(description="Last changed at")
    version: int = Field(description="Version")


class PipelineCreate(RequestSchema):
    name: str = Field(min_length=1, max_length=100, description="Name (unique)")
    description: str | None = Field(default=None, max_length=500, description="Description")
    is_default: bool = Field(default=False, description="Make it the default pipeline")
    stages: list[PipelineStageCreate] | None = Field(
        default=None,
        max_length=30,
        description="Stages in order; default: the standard stages (初步接洽 … 赢单 / 输单). "
        "A pipeline needs at least one open, one won and one lost stage.",
    )


class PipelineUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=100, description="Name")
    description: str | None = Field(default=None, max_length=500, description="Description")
    is_default: bool | None = Field(
        default=None, description="true makes it the default (another default stops being one)"
    )
    position: int | None = Field(default=None, ge=0, le=10_000, description="Order")


# --- the board ---------------------------------------------------------------------------


class BoardTotal(ResponseSchema):
    currency: str = Field(description="ISO 4217 currency of this total")
    count: int = Field(description="Deals in this currency")
    amount: Decimal = Field(description="Sum of their amounts")
    weighted_amount: Decimal = Field(description="Sum of amount × probability, to the cent")


class BoardDeal(ResponseSchema):
    id: uuid.UUID = Field(description="Opportunity id")
    name: str = Field(description="Name")
    customer_id: uuid.UUID = Field(description="Customer")
    customer_name: str | None = Field(
        description="The customer's name; null when the customer is outside your data scope"
    )
    amount: Decimal = Field(description="Amount")
    currency: str = Field(description="Currency")
    probability: int = Field(description="Win probability, %")
    expected_close_date: date | None = Field(description="Expected close date")
    owner_id: uuid.UUID | None = Field(description="Owner")
    status: DealStatus = Field(description="open, won, lost")
    stage_entered_at: datetime = Field(description="Entered its stage at")
    rotting: bool = Field(description="Longer in the stage than its rotting days")
    updated_at: datetime = Field(description="Last changed at")
    version: int = Field(description="Version")


class BoardColumn(ResponseSchema):
    stage: PipelineStage = Field(description="The stage")
    count: int = Field(description="Deals in the column (all pages)")
    totals: list[BoardTotal] = Field(description="Amount totals per currency (all pages)")
    deals: list[BoardDeal] = Field(description="The first deals, most recently changed first")
    next_cursor: str | None = Field(
        description="Pass with `stage_id` as `cursor` to load more of this column"
    )
    has_more: bool = Field(description="More deals follow in this column")


class PipelineBoard(ResponseSchema):
    pipeline_id: uuid.UUID = Field(description="Pipeline")
    closed_since: datetime = Field(description="Won/lost columns show deals closed since then")
    columns: list[BoardColumn] = Field(description="One column per stage, in board order")


# --- opportunities -----------------------------------------------------------------------


class OpportunityLine(ResponseSchema):
    id: uuid.UUID = Field(description="Line id")
    product_id: uuid.UUID | None = Field(description="Product, if from the catalogue")
    name: str = Field(description="What is sold")
    position: int = Field(description="Order")
    quantity: Decimal = Field(description="Quantity")
    unit: str | None = Field(description="Unit")
    unit_price: Decimal = Field(description="Unit price in the deal's currency")
    discount: Decimal = Field(description="Discount, % (0–100)")
    line_total: Decimal = Field(
        description="quantity × unit price × (1 − discount %), half-up to the cent"
    )


class OpportunityLineInput(RequestSchema):
    product_id: uuid.UUID | None = Field(default=None, description="Catalogue product")
    name: str | None = Field(
        default=None, min_length=1, max_length=200, description="Name (default: the product's)"
    )
    quantity: Decimal = Field(gt=0, max_digits=18, decimal_places=4, description="Quantity")
    unit: str | None = Field(default=None, max_length=20, description="Unit (default: product's)")
    unit_price: Money | None = Field(
        default=None, description="Unit price (default: the product's list price)"
    )
    discount: Decimal = Field(
        default=Decimal(0), ge=0, le=100, max_digits=5, decimal_places=2, description="Discount %"
    )
    currency: CurrencyCode | None = Field(
        default=None,
        description="Currency of the unit price (default: the product's, else the deal's); "
        "must equal the deal's currency",
    )


class Opportunity(ResponseSchema):
    id: uuid.UUID = Field(description="Opportunity id")
    name: str = Field(description="Name")
    customer_id: uuid.UUID = Field(description="Customer")
    customer_name: str | None = Field(
        description="The customer's name; null when the customer is outside your data scope"
    )
    contact_id: uuid.UUID | None = Field(description="Contact person")
    amount: Decimal = Field(
        description="Amount; with line items it is the sum of their line totals"
    )
    currency: str = Field(description="ISO 4217 currency (one per deal)")
    expected_close_date: date | None = Field(description="Expected close date")
    pipeline_id: uuid.UUID = Field(description="Pipeline")
    stage_id: uuid.UUID = Field(description="Current stage")
    status: DealStatus = Field(description="open, won or lost (the kind of its stage)")
    probability: int = Field(description="Win probability, %")
    probability_manual: bool = Field(
        description="Set by hand; otherwise it follows the stage's default"
    )
    stage_entered_at: datetime = Field(description="Entered the current stage at")
    rotting: bool = Field(description="Open and longer in its stage than the stage's rotting days")
    owner_id: uuid.UUID | None = Field(description="Owner")
    source: str | None = Field(description="Source")
    campaign_id: uuid.UUID | None = Field(description="Campaign")
    lead_id: uuid.UUID | None = Field(description="Lead it was converted from")
    lost_reason_id: uuid.UUID | None = Field(description="Why it was lost")
    lost_note: str | None = Field(description="Loss note")
    won_at: datetime | None = Field(description="Won at")
    lost_at: datetime | None = Field(description="Lost at")
    notes: str | None = Field(description="Notes")
    items: list[OpportunityLine] = Field(description="Line items")
    custom_fields: dict[str, Any] = Field(description="Custom fields")
    external_source: str | None = Field(description="Integration source")
    external_id: str | None = Field(description="Id in the integration source")
    created_at: datetime = Field(description="Created at")
    updated_at: datetime = Field(description="Last changed at")
    version: int = Field(description="Version")


class OpportunityCreate(RequestSchema):
    customer_id: uuid.UUID = Field(description="Customer")
    contact_id: uuid.UUID | None = Field(default=None, description="Contact of that customer")
    name: str = Field(min_length=1, max_length=200, description="Name")
    amount: Money = Field(
        default=Decimal(0), description="Amount; ignored when line items are given"
    )
    currency: CurrencyCode = Field(default="CNY", description="ISO 4217 currency")
    expected_close_date: date | None = Field(default=None, description="Expected close date")
    pipeline_id: uuid.UUID | None = Field(
        default=None, description="Pipeline (default: the default pipeline)"
    )
    stage_id: uuid.UUID | None = Field(
        default=None, description="An open stage of the pipeline (default: its first)"
    )
    probability: int | None = Field(
        default=None, ge=0, le=100, description="Override the stage's default probability"
    )
    owner_id: uuid.UUID | None = Field(
        default=None, description="Owner (default: you; others: managers and admins)"
    )
    source: str | None = Field(default=None, max_length=100, description="Source")
    campaign_id: uuid.UUID | None = Field(default=None, description="Campaign")
    notes: str | None = Field(default=None, max_length=10_000, description="Notes")
    items: list[OpportunityLineInput] = Field(
        default_factory=list, max_length=200, description="Line items"
    )
    custom_fields: dict[str, Any] | None = Field(default=None, description="Custom fields")
    external_source: str | None = Field(default=None, max_length=60, description="Source")
    external_id: str | None = Field(default=None, max_length=120, description="External id")


class OpportunityUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=1, max_length=200, description="Name")
    contact_id: uuid.UUID | None = Field(default=None, description="Contact")
    amount: Money | None = Field(default=None, description="Amount (deals without line items)")
    currency: CurrencyCode | None = Field(default=None, description="Currency")
    expected_close_date: date | None = Field(default=None, description="Expected close date")
    probability: int | None = Field(
        default=None, ge=0, le=100, description="Probability; null returns to the stage default"
    )
    owner_id: uuid.UUID | None = Field(default=None, description="Owner (managers and admins)")
    source: str | None = Field(default=None, max_length=100, description="Source")
    campaign_id: uuid.UUID | None = Field(default=None, description="Campaign")
    notes: str | None = Field(default=None, max_length=10_000, description="Notes")
    items: list[OpportunityLineInput] | None = Field(
        default=None, max_length=200, description="Replace all line items ([] removes them)"
    )
    custom_fields: dict[str, Any] | None = Field(default=None, description="Custom fields")
    external_source: str | None = Field(default=None, max_length=60, description="Source")
    external_id: str | None = Field(default=None, max_length=120, description="External id")


class OpportunityMove(RequestSchema):
    stage_id: uuid.UUID = Field(
        description="Target stage (any pipeline): a won stage wins, a lost stage loses, "
        "an open stage reopens a closed deal"
    )
    lost_reason_id: uuid.UUID | None = Field(
        default=None, description="Required when the target is a lost stage"
    )
    lost_note: str | None = Field(default=None, max_length=2000, description="Loss note")


class OpportunityWin(RequestSchema):
    stage_id: uuid.UUID | None = Field(
        default=None, description="Won stage (default: the pipeline's first won stage)"
    )


class OpportunityLose(RequestSchema):
    lost_reason_id: uuid.UUID = Field(description="Why it was lost (see /lost-reasons)")
    lost_note: str | None = Field(default=None, max_length=2000, description="Loss note")
    stage_id: uuid.UUID | None = Field(
        default=None, description="Lost stage (default: the pipeline's first lost stage)"
    )


class StageVisit(ResponseSchema):
    id: uuid.UUID = Field(description="History row id")
    stage_id: uuid.UUID = Field(description="Stage")
    stage_name_zh: str = Field(description="Stage name (zh-CN)")
    stage_name_en: str = Field(description="Stage name (en)")
    stage_kind: StageKind = Field(description="Kind of the stage")
    entered_at: datetime = Field(description="Entered at")
    left_at: datetime | None = Field(description="Left at; null while the deal is there")
    seconds_in_stage: int = Field(description="Time in the stage (until now while current)")
    moved_by: uuid.UUID | None = Field(description="Who moved it there")


# --- lost reasons and products -----------------------------------------------------------


class LostReason(ResponseSchema):
    id: uuid.UUID = Field(description="Lost reason id")
    label_zh: str = Field(description="Label (zh-CN)")
    label_en: str = Field(description="Label (en)")
    position: int = Field(description="Order")
    active: bool = Field(description="Offered when losing a deal")
    version: int = Field(description="Version")


class LostReasonCreate(RequestSchema):
    label_zh: str = Field(min_length=1, max_length=100, description="Label (zh-CN)")
    label_en: str = Field(min_length=1, max_length=100, description="Label (en)")
    position: int | None = Field(default=None, ge=0, le=10_000, description="Order (default last)")


class LostReasonUpdate(RequestSchema):
    label_zh: str | None = Field(default=None, min_length=1, max_length=100, description="Label")
    label_en: str | None = Field(default=None, min_length=1, max_length=100, description="Label")
    position: int | None = Field(default=None, ge=0, le=10_000, description="Order")
    active: bool | None = Field(default=None, description="Offered when losing a deal")


class Product(ResponseSchema):
    id: uuid.UUID = Field(description="Product id")
    sku: str = Field(description="SKU (unique)")
    name: str = Field(description="Name")
    category: str | None = Field(description="Category")
    unit: str | None = Field(description="Unit (套, 年, user/year, ...)")
    list_price: Decimal = Field(description="List price")
    currency: str = Field(description="ISO 4217 currency of the list price")
    active: bool = Field(description="Offered on new line items")
    description: str | None = Field(description="Description")
    external_source: str | None = Field(description="Integration source")
    external_id: str | None = Field(description="Id in the integration source")
    created_at: datetime = Field(description="Created at")
    updated_at: datetime = Field(description="Last changed at")
    version: int = Field(description="Version")


class ProductCreate(RequestSchema):
    sku: str = Field(min_length=1, max_length=60, description="SKU (unique)")
    name: str = Field(min_length=1, max_length=200, description="Name")
    category: str | None = Field(default=None, max_length=100, description="Category")
    unit: str | None = Field(default=None, max_length=20, description="Unit")
    list_price: Money = Field(description="List price")
    currency: CurrencyCode = Field(default="CNY", description="ISO 4217 currency")
    active: bool = Field(default=True, description="Offered on new line items")
    description: str | None = Field(default=None, max_length=5000, description="Description")
    external_source: str | None = Field(default=None, max_length=60, description="Source")
    external_id: str | None = Field(default=None, max_length=120, description="External id")


class ProductUpdate(RequestSchema):
    sku: str | None = Field(default=None, min_length=1, max_length=60, description="SKU")
    name: str | None = Field(default=None, min_length=1, max_length=200, description="Name")
    category: str | None = Field(default=None, max_length=100, description="Category")
    unit: str | None = Field(default=None, max_length=20, description="Unit")
    list_price: Money | None = Field(default=None, description="List price")
    currency: CurrencyCode | None = Field(default=None, description="Currency")
    active: bool | None = Field(default=None, description="Active")
    description: str | None = Field(default=None, max_length=5000, description="Description")
    external_source: str | None = Field(default=None, max_length=60, description="Source")
    external_id: str | None = Field(default=None, max_length=120, description="External id")
