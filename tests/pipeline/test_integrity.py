"""Deals and their history survive deletes, the recycle-bin purge and concurrent writers."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.dependencies import Ctx
from app.core.jobs import runtime
from app.core.principal import Principal, Role
from app.db import set_workspace
from app.errors import AppError
from app.models.customer import Customer
from app.models.pipeline import (
    LostReason,
    Opportunity,
    OpportunityStageVisit,
    Pipeline,
    PipelineStage,
)
from app.models.user import Team
from app.ops.jobs import purge
from app.pipeline import schemas, service
from tests.factories import create_team, create_workspace, login_as, use

API = "/api/v1"
LONG_AGO = timedelta(days=31)


def owner_of(tenant: Any) -> Principal:
    return Principal(workspace_id=tenant.id, user_id=tenant.owner.id, role=Role.owner, team_id=None)


@asynccontextmanager
async def open_transaction(
    maker: async_sessionmaker[AsyncSession], workspace_id: uuid.UUID
) -> AsyncIterator[AsyncSession]:
    """A transaction the test commits itself, to hold its locks while another one runs."""
    session = maker()
    try:
        await session.begin()
        await set_workspace(session, workspace_id)
        yield session
    finally:
        await session.close()


async def two_pipelines(maker: async_sessionmaker[AsyncSession], tenant: Any) -> dict[str, Any]:
    """The standard pipeline with one deal in it, and a second pipeline "Projects"."""
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        standard = await service.create_default_pipeline(s, tenant.id, None)
        customer = Customer(workspace_id=tenant.id, name="并发 Race Co", owner_id=tenant.owner.id)
        s.add(customer)
        await s.flush()
        ctx = Ctx(s, owner_of(tenant))
        projects = await service.create_pipeline(ctx, schemas.PipelineCreate(name="Projects"))
        deal = await service.create_opportunity(
            ctx, schemas.OpportunityCreate(customer_id=customer.id, name="Deal")
        )
    return {
        "standard": standard.id,
        "projects": projects.id,
        "projects_open": next(st.id for st in projects.stages if st.kind == "open"),
        "deal": deal.id,
        "customer": customer.id,
    }


async def deals_in(maker: async_sessionmaker[AsyncSession], tenant: Any, pipeline_id: Any) -> int:
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        return int(
            await s.scalar(
                select(func.count())
                .select_from(Opportunity)
                .where(Opportunity.pipeline_id == pipeline_id)
            )
            or 0
        )


class TestPipelineDeletionRaces:
    """A pipeline is deleted only while no deal is in it, whoever commits first."""

    @pytest.mark.parametrize("writer", ["move", "create"])
    async def test_a_deal_entering_a_pipeline_being_deleted_waits_and_is_refused(
        self, committed, writer
    ) -> None:
        _, tenant, maker = committed
        runtime.sessionmaker = maker
        ids = await two_pipelines(maker, tenant)
        principal = owner_of(tenant)

        async def enter() -> Any:
            async with maker() as s, s.begin():
                await set_workspace(s, tenant.id)
                ctx = Ctx(s, principal)
                if writer == "move":
                    return await service.move(
                        ctx, ids["deal"], schemas.OpportunityMove(stage_id=ids["projects_open"])
                    )
                return await service.create_opportunity(
                    ctx,
                    schemas.OpportunityCreate(
                        customer_id=ids["customer"], name="Late", pipeline_id=ids["projects"]
                    ),
                )

        async with open_transaction(maker, tenant.id) as deleting:
            await service.delete_pipeline(Ctx(deleting, principal), ids["projects"], None)
            entering = asyncio.create_task(enter())
            await asyncio.sleep(0.5)
            await deleting.commit()
        with pytest.raises(AppError) as refused:
            await entering
        assert (refused.value.status, refused.value.code) == (422, "invalid_reference")
        assert refused.value.errors[0].field.startswith("body.")
        assert await deals_in(maker, tenant, ids["projects"]) == 0
        # nothing points into the binned pipeline, so the nightly purge can remove it
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            await s.execute(
                update(Pipeline)
                .where(Pipeline.id == ids["projects"])
                .values(deleted_at=datetime.now(UTC) - LONG_AGO)
            )
            await s.execute(
                update(PipelineStage)
                .where(PipelineStage.pipeline_id == ids["projects"])
                .values(deleted_at=datetime.now(UTC) - LONG_AGO)
            )
        counts = await purge()
        assert counts["pipelines"] >= 1
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            assert await s.get(Pipeline, (tenant.id, ids["projects"])) is None

    async def test_a_deletion_waits_for_a_deal_moving_in_and_then_refuses(self, committed) -> None:
        _, tenant, maker = committed
        ids = await two_pipelines(maker, tenant)
        principal = owner_of(tenant)

        async def delete() -> None:
            async with maker() as s, s.begin():
                await set_workspace(s, tenant.id)
                await service.delete_pipeline(Ctx(s, principal), ids["projects"], None)

        async with open_transaction(maker, tenant.id) as moving:
            await service.move(
                Ctx(moving, principal),
                ids["deal"],
                schemas.OpportunityMove(stage_id=ids["projects_open"]),
            )
            deleting = asyncio.create_task(delete())
            await asyncio.sleep(0.5)
            await moving.commit()
        with pytest.raises(AppError) as refused:
            await deleting
        assert (refused.value.status, refused.value.code) == (409, "pipeline_not_empty")
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            live = await s.scalar(select(Pipeline.deleted_at).where(Pipeline.id == ids["projects"]))
            assert live is None
        assert await deals_in(maker, tenant, ids["projects"]) == 1


async def test_a_deal_created_while_its_customer_is_deleted_is_refused(committed) -> None:
    from app.customers import service as customers

    _, tenant, maker = committed
    ids = await two_pipelines(maker, tenant)
    principal = owner_of(tenant)
    async with maker() as s, s.begin():
        await set_workspace(s, tenant.id)
        await service.delete_opportunity(Ctx(s, principal), ids["deal"], None)

    async def create() -> Any:
        async with maker() as s, s.begin():
            await set_workspace(s, tenant.id)
            return await service.create_opportunity(
                Ctx(s, principal), schemas.OpportunityCreate(customer_id=ids["customer"], name="x")
            )

    async with open_transaction(maker, tenant.id) as deleting:
        await customers.delete_customer(Ctx(deleting, principal), ids["customer"], None)
        creating = asyncio.create_task(create())
        await asyncio.sleep(0.5)
        await deleting.commit()
    with pytest.raises(AppError) as refused:
        await creating
    assert (refused.value.status, refused.value.code) == (422, "invalid_reference")
    assert [e.field for e in refused.value.errors] == ["body.customer_id"]
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        live = select(func.count()).select_from(Opportunity).where(Opportunity.deleted_at.is_(None))
        assert await s.scalar(live) == 0


async def signed_in(app: Any, maker: async_sessionmaker[AsyncSession], user: Any) -> Any:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    async with maker() as s:
        await login_as(s, client, user)
    return client


async def age_the_bin(maker: async_sessionmaker[AsyncSession], workspace_id: uuid.UUID) -> None:
    """Everything binned in the workspace was binned 31 days ago."""
    old = datetime.now(UTC) - LONG_AGO
    async with maker() as s, s.begin():
        await use(s, workspace_id)
        for model in (Opportunity, PipelineStage, LostReason, Pipeline, Team):
            await s.execute(
                update(model).where(model.deleted_at.is_not(None)).values(deleted_at=old)
            )


class TestPurge:
    async def test_binned_stages_and_lost_reasons_stay_while_deals_name_them(
        self, committed
    ) -> None:
        app, tenant, maker = committed
        runtime.sessionmaker = maker
        async with maker() as s, s.begin():
            await use(s, tenant.id)
            await service.create_default_pipeline(s, tenant.id, None)
            customer = Customer(workspace_id=tenant.id, name="History Co", owner_id=tenant.owner.id)
            s.add(customer)
        client = await signed_in(app, maker, tenant.owner)
        try:
            pipeline = (await client.get(f"{API}/pipelines")).json()["data"][0]
            stages = {st["name_en"]: st["id"] for st in pipeline["stages"]}
            deal = (
                await client.post(
                    f"{API}/opportunities",
                    json={"customer_id": str(customer.id), "name": "Lost one", "amount": "1.00"},
                )
            ).json()
            did = deal["id"]
            r = await client.post(
                f"{API}/opportunities/{did}/move", json={"stage_id": stages["Needs confirmed"]}
            )
            assert r.status_code == 200, r.text
            reason = (await client.get(f"{API}/lost-reasons")).json()["data"][0]["id"]
            r = await client.post(
                f"{API}/opportunities/{did}/lose",
                json={"lost_reason_id": reason, "lost_note": "太贵 too pricey"},
            )
            assert r.status_code == 200, r.text
            history_before = (await client.get(f"{API}/opportunities/{did}/history")).json()
            assert len(history_before) == 3
            r = await client.delete(
                f"{API}/pipelines/{pipeline['id']}/stages/{stages['Initial contact']}"
            )
            assert r.status_code == 204, r.text
            r = await client.delete(f"{API}/lost-reasons/{reason}")
            assert r.status_code == 204, r.text
            await age_the_bin(maker, tenant.id)

            await purge()

            assert (await client.get(f"{API}/opportunities/{did}/history")).json() == history_before
            after = (await client.get(f"{API}/opportunities/{did}")).json()
            assert (after["lost_reason_id"], after["lost_note"]) == (reason, "太贵 too pricey")

            # once the deal itself has left the bin, nothing holds them any more
            r = await client.delete(f"{API}/opportunities/{did}")
            assert r.status_code == 204, r.text
            await age_the_bin(maker, tenant.id)
            counts = await purge()
            assert counts["opportunities"] >= 1
            assert counts["pipeline_stages"] >= 1
            assert counts["lost_reasons"] >= 1
            async with maker() as s, s.begin():
                await use(s, tenant.id)
                gone = [
                    await s.get(PipelineStage, (tenant.id, uuid.UUID(stages["Initial contact"]))),
                    await s.get(LostReason, (tenant.id, uuid.UUID(reason))),
                ]
                assert gone == [None, None]
                assert await s.scalar(select(func.count()).select_from(OpportunityStageVisit)) == 0
        finally:
            await client.aclose()

    async def test_one_workspace_failing_does_not_stop_the_others(
        self, committed, owner_engine, caplog
    ) -> None:
        """A row the purge cannot delete (here: one referenced from a table it does not know
        about) fails that table of that workspace only, and is tried again the next night."""
        _, tenant, maker = committed
        runtime.sessionmaker = maker
        async with maker() as s, s.begin():
            other = await create_workspace(s, "Other")
        try:
            teams: dict[uuid.UUID, uuid.UUID] = {}
            for workspace_id in (tenant.id, other.id):
                async with maker() as s, s.begin():
                    await use(s, workspace_id)
                    team = await create_team(s, workspace_id, "binned")
                    team.deleted_at = datetime.now(UTC)
                    reason = LostReason(workspace_id=workspace_id, label_zh="旧", label_en="Old")
                    reason.deleted_at = datetime.now(UTC)
                    s.add(reason)
                    teams[workspace_id] = team.id
                await age_the_bin(maker, workspace_id)
            async with owner_engine.begin() as conn:
                await conn.execute(
                    text(
                        "CREATE TABLE purge_blocker (workspace_id uuid, team_id uuid, "
                        "FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id))"
                    )
                )
                await conn.execute(
                    text("INSERT INTO purge_blocker VALUES (:w, :t)"),
                    {"w": tenant.id, "t": teams[tenant.id]},
                )
            try:
                with caplog.at_level(logging.WARNING, logger="rapport.jobs.purge"):
                    counts = await purge()
            finally:
                async with owner_engine.begin() as conn:
                    await conn.execute(text("DROP TABLE purge_blocker"))
            failures = [r for r in caplog.records if r.levelno >= logging.WARNING]
            assert len(failures) == 1, [r.getMessage() for r in failures]
            assert str(tenant.id) in failures[0].getMessage()
            assert "teams" in failures[0].getMessage()
            assert counts["teams"] >= 1
            assert counts["lost_reasons"] >= 2  # the failing workspace's other tables went on

            async def left(workspace_id: uuid.UUID) -> tuple[set[uuid.UUID], int]:
                async with maker() as s, s.begin():
                    await use(s, workspace_id)
                    ids = set((await s.execute(select(Team.id))).scalars())
                    reasons = await s.scalar(select(func.count()).select_from(LostReason))
                    return ids, int(reasons or 0)

            assert await left(other.id) == (set(), 0)
            assert await left(tenant.id) == ({teams[tenant.id]}, 0)

            await purge()  # the next night, with the blocker gone
            assert await left(tenant.id) == (set(), 0)
        finally:
            async with owner_engine.begin() as conn:
                await conn.execute(text("DELETE FROM workspaces WHERE id = :id"), {"id": other.id})
