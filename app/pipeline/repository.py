from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.ids import uuid7
from app.core.pagination import SortSpec, decode_cursor, encode_cursor
from app.core.repository import RepositoryBase
from app.core.scope import scope_condition, team_members
from app.errors import NotFound
from app.models.pipeline import (
    LostReason,
    Opportunity,
    OpportunityBoardTotal,
    OpportunityItem,
    OpportunityStageVisit,
    Pipeline,
    PipelineStage,
    Product,
)


class PipelineRepository(RepositoryBase[Pipeline]):
    model = Pipeline
    entity = "pipeline"
    sorting: ClassVar[SortSpec] = SortSpec(Pipeline.id, position=Pipeline.position)

    async def default(self) -> Pipeline | None:
        return (
            await self.session.execute(
                self.readable().where(Pipeline.is_default.is_(True)).limit(1)
            )
        ).scalar_one_or_none()

    async def any_exists(self) -> bool:
        """Whether the workspace ever had a pipeline (deleted ones count)."""
        return (await self.session.execute(select(Pipeline.id).limit(1))).first() is not None

    async def name_taken(self, name: str, exclude: uuid.UUID | None = None) -> bool:
        stmt = select(Pipeline.id).where(Pipeline.name == name, Pipeline.deleted_at.is_(None))
        if exclude is not None:
            stmt = stmt.where(Pipeline.id != exclude)
        return (await self.session.execute(stmt.limit(1))).first() is not None

    async def clear_default(self) -> None:
        await self.session.execute(
            update(Pipeline)
            .where(Pipeline.is_default.is_(True), Pipeline.deleted_at.is_(None))
            .values(is_default=False, version=Pipeline.version + 1)
            .execution_options(synchronize_session=False)
        )

    async def next_position(self) -> int:
        top = await self.session.scalar(
            select(func.max(Pipeline.position)).where(Pipeline.deleted_at.is_(None))
        )
        return int(top or 0) + 1


class StageRepository(RepositoryBase[PipelineStage]):
    model = PipelineStage
    entity = "stage"
    sorting: ClassVar[SortSpec] = SortSpec(PipelineStage.id, position=PipelineStage.position)

    async def of_pipelines(
        self, pipeline_ids: Sequence[uuid.UUID], *, for_update: bool = False
    ) -> Sequence[PipelineStage]:
        """Live stages of the pipelines, in board order."""
        if not pipeline_ids:
            return []
        stmt = (
            self.readable()
            .where(PipelineStage.pipeline_id.in_(pipeline_ids))
            .order_by(PipelineStage.pipeline_id, PipelineStage.position, PipelineStage.id)
        )
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalars().all()

    async def get_shared(self, stage_id: uuid.UUID) -> PipelineStage | None:
        """The live stage, share-locked: a concurrent deletion of the stage waits for the
        caller's transaction, or this waits for the deletion and then finds nothing."""
        stmt = self.readable().where(PipelineStage.id == stage_id).with_for_update(read=True)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_ids(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, PipelineStage]:
        """Stages by id, deleted ones included (history still names them)."""
        if not ids:
            return {}
        rows = await self.session.execute(select(PipelineStage).where(PipelineStage.id.in_(ids)))
        return {s.id: s for s in rows.scalars()}


class LostReasonRepository(RepositoryBase[LostReason]):
    model = LostReason
    entity = "lost_reason"
    sorting: ClassVar[SortSpec] = SortSpec(LostReason.id, position=LostReason.position)

    async def next_position(self) -> int:
        top = await self.session.scalar(
            select(func.max(LostReason.position)).where(LostReason.deleted_at.is_(None))
        )
        return int(top or 0) + 1


class ProductRepository(RepositoryBase[Product]):
    model = Product
    entity = "product"
    sorting: ClassVar[SortSpec] = SortSpec(
        Product.id,
        name=Product.name,
        sku=Product.sku,
        list_price=Product.list_price,
        created_at=Product.created_at,
        updated_at=Product.updated_at,
    )

    async def sku_taken(self, sku: str, exclude: uuid.UUID | None = None) -> bool:
        stmt = select(Product.id).where(Product.sku == sku, Product.deleted_at.is_(None))
        if exclude is not None:
            stmt = stmt.where(Product.id != exclude)
        return (await self.session.execute(stmt.limit(1))).first() is not None

    async def by_ids(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Product]:
        if not ids:
            return {}
        rows = await self.session.execute(
            self.readable().where(Product.id.in_(ids), Product.deleted_at.is_(None))
        )
        return {p.id: p for p in rows.scalars()}


def rotting_condition(now: datetime) -> ColumnElement[bool]:
    """Open deals that sat in their stage longer than the stage's rotting days."""
    return (Opportunity.status == "open") & exists().where(
        PipelineStage.id == Opportunity.stage_id,
        PipelineStage.rotting_days.is_not(None),
        Opportunity.stage_entered_at
        < literal(now) - func.make_interval(0, 0, 0, PipelineStage.rotting_days),
    )


class OpportunityRepository(RepositoryBase[Opportunity]):
    model = Opportunity
    entity = "opportunity"
    sorting: ClassVar[SortSpec] = SortSpec(
        Opportunity.id,
        updated_at=Opportunity.updated_at,
        created_at=Opportunity.created_at,
        amount=Opportunity.amount,
        name=Opportunity.name,
        stage_entered_at=Opportunity.stage_entered_at,
        expected_close_date=func.coalesce(
            Opportunity.expected_close_date, text("'infinity'::date")
        ),
    )

    async def visible_pipeline(self, opportunity_id: uuid.UUID) -> uuid.UUID:
        """The pipeline of a deal the principal may read (404 otherwise), without loading or
        locking the deal."""
        found = await self.session.scalar(
            self.readable()
            .where(Opportunity.id == opportunity_id)
            .with_only_columns(Opportunity.pipeline_id)
        )
        if found is None:
            raise NotFound(f"No opportunity with id {opportunity_id}.")
        return found

    async def items_of(
        self, opportunity_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[OpportunityItem]]:
        out: dict[uuid.UUID, list[OpportunityItem]] = {i: [] for i in opportunity_ids}
        if not opportunity_ids:
            return out
        rows = await self.session.execute(
            select(OpportunityItem)
            .where(OpportunityItem.opportunity_id.in_(opportunity_ids))
            .order_by(OpportunityItem.opportunity_id, OpportunityItem.position)
        )
        for item in rows.scalars():
            out[item.opportunity_id].append(item)
        return out

    async def replace_items(self, opportunity_id: uuid.UUID, items: list[OpportunityItem]) -> None:
        await self.session.execute(
            delete(OpportunityItem)
            .where(OpportunityItem.opportunity_id == opportunity_id)
            .execution_options(synchronize_session=False)
        )
        self.session.add_all(items)

    async def history(self, opportunity_id: uuid.UUID) -> Sequence[OpportunityStageVisit]:
        rows = await self.session.execute(
            select(OpportunityStageVisit)
            .where(OpportunityStageVisit.opportunity_id == opportunity_id)
            .order_by(OpportunityStageVisit.entered_at, OpportunityStageVisit.id)
        )
        return rows.scalars().all()

    async def close_visit(self, opportunity_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(OpportunityStageVisit)
            .where(
                OpportunityStageVisit.opportunity_id == opportunity_id,
                OpportunityStageVisit.left_at.is_(None),
            )
            .values(left_at=func.greatest(at, OpportunityStageVisit.entered_at))
            .execution_options(synchronize_session=False)
        )

    async def count_in_stage(self, stage_id: uuid.UUID) -> int:
        """Deals in a stage, whoever owns them, the recycle bin included."""
        return int(
            await self.session.scalar(
                select(func.count())
                .select_from(Opportunity)
                .where(Opportunity.stage_id == stage_id)
            )
            or 0
        )

    async def count_in_pipeline(self, pipeline_id: uuid.UUID) -> int:
        return int(
            await self.session.scalar(
                select(func.count())
                .select_from(Opportunity)
                .where(Opportunity.pipeline_id == pipeline_id, Opportunity.deleted_at.is_(None))
            )
            or 0
        )

    async def in_stage_for_update(self, stage_id: uuid.UUID) -> Sequence[Opportunity]:
        """Every deal in a stage, locked, deleted ones too (they keep a valid stage)."""
        rows = await self.session.execute(
            select(Opportunity)
            .where(Opportunity.stage_id == stage_id)
            .order_by(Opportunity.id)
            .with_for_update()
        )
        return rows.scalars().all()

    async def move_stage_contents(
        self, source: PipelineStage, target: PipelineStage, at: datetime, by: uuid.UUID | None
    ) -> Sequence[Opportunity]:
        """Every deal of `source` (the recycle bin included) into `target`, a stage of the
        same kind, in three statements whatever the number of deals: their current stays
        close, the deals move (returned, refreshed), the new stays open.

        Moving between stages of one kind keeps what closed the deal: won_at, or lost_at
        with its lost reason and note. The caller holds the locks of both stages.
        """
        assert source.kind == target.kind
        closing: dict[str, Any]
        if target.kind == "won":
            closing = {
                "won_at": func.coalesce(Opportunity.won_at, at),
                "lost_at": None,
                "lost_reason_id": None,
                "lost_note": None,
            }
        elif target.kind == "lost":
            closing = {"won_at": None, "lost_at": func.coalesce(Opportunity.lost_at, at)}
        else:
            closing = {"won_at": None, "lost_at": None, "lost_reason_id": None, "lost_note": None}
        if target.kind == "open":
            probability: dict[str, Any] = {
                "probability": case(
                    (Opportunity.probability_manual, Opportunity.probability),
                    else_=target.probability,
                )
            }
        else:
            probability = {"probability": target.probability, "probability_manual": False}
        in_source = select(Opportunity.id).where(Opportunity.stage_id == source.id)
        await self.session.execute(
            update(OpportunityStageVisit)
            .where(
                OpportunityStageVisit.opportunity_id.in_(in_source),
                OpportunityStageVisit.left_at.is_(None),
            )
            .values(left_at=func.greatest(at, OpportunityStageVisit.entered_at))
            .execution_options(synchronize_session=False)
        )
        moved = (
            (
                await self.session.execute(
                    update(Opportunity)
                    .where(Opportunity.stage_id == source.id)
                    .values(
                        pipeline_id=target.pipeline_id,
                        stage_id=target.id,
                        stage_entered_at=at,
                        status=target.kind,
                        version=Opportunity.version + 1,
                        **closing,
                        **probability,
                    )
                    .returning(Opportunity)
                    .execution_options(synchronize_session=False, populate_existing=True)
                )
            )
            .scalars()
            .all()
        )
        if moved:
            await self.session.execute(
                insert(OpportunityStageVisit),
                [
                    {
                        "id": uuid7(),
                        "workspace_id": deal.workspace_id,
                        "opportunity_id": deal.id,
                        "stage_id": target.id,
                        "entered_at": at,
                        "moved_by": by,
                    }
                    for deal in moved
                ],
            )
        return moved

    # --- the board ------------------------------------------------------------------------

    def board_scope(
        self, pipeline_id: uuid.UUID, owner_id: uuid.UUID | None, team_id: uuid.UUID | None
    ) -> Select[tuple[Opportunity]]:
        stmt = self.readable().where(Opportunity.pipeline_id == pipeline_id)
        if owner_id is not None:
            stmt = stmt.where(Opportunity.owner_id == owner_id)
        if team_id is not None:
            # its own CTE name: a manager's team scope already uses the default one
            stmt = stmt.where(Opportunity.owner_id.in_(team_members(team_id, "filter_team_tree")))
        return stmt

    async def board_column(
        self,
        base: Select[tuple[Opportunity]],
        stage: PipelineStage,
        *,
        closed_since: datetime,
        limit: int,
        cursor: str | None,
    ) -> tuple[Sequence[Opportunity], str | None, bool]:
        """One column: deals of `stage`, most recently changed first, keyset-paged."""
        stmt = base.where(Opportunity.stage_id == stage.id)
        stmt = _column_window(stmt, stage, closed_since)
        if cursor:
            value, last_id = decode_cursor(cursor, BOARD_SORT)
            stmt = stmt.where(
                tuple_(Opportunity.updated_at, Opportunity.id) < tuple_(value, last_id)
            )
        stmt = stmt.order_by(Opportunity.updated_at.desc(), Opportunity.id.desc()).limit(limit + 1)
        rows = (await self.session.execute(stmt)).scalars().all()
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = encode_cursor(BOARD_SORT, rows[-1].updated_at, rows[-1].id) if more else None
        return rows, next_cursor, more

    async def board_totals(
        self,
        pipeline_id: uuid.UUID,
        base: Select[tuple[Opportunity]],
        stages: Sequence[PipelineStage],
        *,
        owner_id: uuid.UUID | None,
        team_id: uuid.UUID | None,
        closed_since: datetime,
    ) -> dict[uuid.UUID, list[tuple[str, int, Decimal, Decimal]]]:
        """Per stage and currency: (currency, deals, amount, weighted amount).

        Open columns add up the per-owner totals the deal triggers keep (ADR 8), a few
        rows per stage instead of every open deal; the caller's scope and the owner/team
        filter apply to their owner column as they do to the deals. Won and lost columns,
        small by their time window, are summed from the covering closed-deal index.
        """
        out: dict[uuid.UUID, list[tuple[str, int, Decimal, Decimal]]] = {}
        open_ids = [s.id for s in stages if s.kind == "open"]
        closed_ids = [s.id for s in stages if s.kind != "open"]
        rows: list[Any] = []
        if open_ids:
            T = OpportunityBoardTotal
            stmt = select(
                T.stage_id, T.currency, func.sum(T.deals), func.sum(T.amount), func.sum(T.weighted)
            ).where(
                scope_condition(T, self.principal, "opportunities"),
                T.pipeline_id == pipeline_id,
                T.stage_id.in_(open_ids),
            )
            if owner_id is not None:
                stmt = stmt.where(T.owner_id == owner_id)
            if team_id is not None:
                stmt = stmt.where(T.owner_id.in_(team_members(team_id, "filter_team_tree")))
            rows += (
                await self.session.execute(
                    stmt.group_by(T.stage_id, T.currency)
                    .having(func.sum(T.deals) > 0)
                    .order_by(T.stage_id, T.currency)
                )
            ).all()
        if closed_ids:
            rows += (
                await self.session.execute(
                    _closed_window(base.where(Opportunity.stage_id.in_(closed_ids)), closed_since)
                    .with_only_columns(
                        Opportunity.stage_id,
                        Opportunity.currency,
                        func.count(),
                        func.sum(Opportunity.amount),
                        func.sum(Opportunity.amount * Opportunity.probability),
                    )
                    .group_by(Opportunity.stage_id, Opportunity.currency)
                    .order_by(Opportunity.stage_id, Opportunity.currency)
                )
            ).all()
        for stage_id, currency, n, amount, weight in rows:
            out.setdefault(stage_id, []).append(
                (currency, int(n), Decimal(amount or 0), Decimal(weight or 0) / 100)
            )
        return out

    # --- ownership moves ------------------------------------------------------------------

    async def move_open_of_customers(
        self,
        customer_ids: Sequence[uuid.UUID],
        from_user_id: uuid.UUID | None,
        to_user_id: uuid.UUID,
    ) -> Sequence[Any]:
        """Open deals of the customers held by the previous owner → the new owner;
        returns (id, version, customer_id) of each moved deal."""
        owner = (
            Opportunity.owner_id.is_(None)
            if from_user_id is None
            else Opportunity.owner_id == from_user_id
        )
        result = await self.session.execute(
            update(Opportunity)
            .where(
                Opportunity.customer_id.in_(customer_ids),
                owner,
                Opportunity.status == "open",
                Opportunity.deleted_at.is_(None),
            )
            .values(owner_id=to_user_id, version=Opportunity.version + 1)
            .returning(Opportunity.id, Opportunity.version, Opportunity.customer_id)
            .execution_options(synchronize_session=False)
        )
        return result.all()

    async def move_open_of_owner(self, from_user_id: uuid.UUID, to_user_id: uuid.UUID) -> Any:
        result = await self.session.execute(
            update(Opportunity)
            .where(
                Opportunity.owner_id == from_user_id,
                Opportunity.status == "open",
                Opportunity.deleted_at.is_(None),
            )
            .values(owner_id=to_user_id, version=Opportunity.version + 1)
            .returning(Opportunity.id, Opportunity.version, Opportunity.customer_id)
            .execution_options(synchronize_session=False)
        )
        return result.all()


BOARD_SORT = "board"


def _column_window(
    stmt: Select[tuple[Opportunity]], stage: PipelineStage, closed_since: datetime
) -> Select[tuple[Opportunity]]:
    if stage.kind == "open":
        return stmt.where(Opportunity.status == "open")
    return _closed_window(stmt, closed_since)


def _closed_window(stmt: Select[Any], closed_since: datetime) -> Select[Any]:
    """Deals closed within the window: the status condition lets the closed-deal index
    serve, and a closed deal's updated_at is never before its closing, which bounds the
    index range."""
    return stmt.where(
        Opportunity.status != "open",
        Opportunity.stage_entered_at >= closed_since,
        Opportunity.updated_at >= closed_since,
    )


async def open_deals_owned(session: AsyncSession, user_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Opportunity)
            .where(
                Opportunity.owner_id == user_id,
                Opportunity.status == "open",
                Opportunity.deleted_at.is_(None),
            )
        )
        or 0
    )


async def live_deals_of_customer(session: AsyncSession, customer_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Opportunity)
            .where(Opportunity.customer_id == customer_id, Opportunity.deleted_at.is_(None))
        )
        or 0
    )


async def won_by_campaign(
    session: AsyncSession, campaign_id: uuid.UUID
) -> list[tuple[str, int, Decimal]]:
    """Won deals of a campaign per currency: (currency, deals, amount)."""
    rows = await session.execute(
        select(Opportunity.currency, func.count(), func.sum(Opportunity.amount))
        .where(
            Opportunity.campaign_id == campaign_id,
            Opportunity.status == "won",
            Opportunity.deleted_at.is_(None),
        )
        .group_by(Opportunity.currency)
        .order_by(Opportunity.currency)
    )
    return [(currency, int(n), Decimal(amount)) for currency, n, amount in rows.all()]
