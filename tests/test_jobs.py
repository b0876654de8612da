"""Jobs run on the real queue: enqueued in a transaction, executed by a procrastinate worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from app.core.jobs import build_job_app, enqueue, runtime
from app.models.idempotency import IdempotencyKey
from app.models.user import Team, UserSession
from app.ops.jobs import soft_delete_tables
from tests.factories import create_team, use


async def _run_worker_until_idle(settings, database_url) -> None:  # type: ignore[no-untyped-def]
    job_app = build_job_app(settings, database_url)
    async with job_app.open_async():
        await job_app.run_worker_async(
            wait=False, install_signal_handlers=False, queues=["maintenance"]
        )


async def test_purge_job_removes_only_what_has_expired(committed, settings, database_url) -> None:
    _, tenant, maker = committed
    runtime.sessionmaker = maker
    now = datetime.now(UTC)
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        old_team = await create_team(s, tenant.id, "binned long ago")
        recent_team = await create_team(s, tenant.id, "binned yesterday")
        await create_team(s, tenant.id, "alive")
        old_team.deleted_at = now - timedelta(days=31)
        recent_team.deleted_at = now - timedelta(days=1)
        s.add_all(
            [
                UserSession(
                    workspace_id=tenant.id,
                    user_id=tenant.owner.id,
                    token_hash="a" * 64,
                    csrf_hash="b" * 64,
                    expires_at=now - timedelta(minutes=1),
                ),
                UserSession(
                    workspace_id=tenant.id,
                    user_id=tenant.owner.id,
                    token_hash="c" * 64,
                    csrf_hash="d" * 64,
                    expires_at=now + timedelta(days=1),
                ),
                IdempotencyKey(
                    workspace_id=tenant.id,
                    principal_id=tenant.owner.id,
                    key="old",
                    request_hash="x",
                    status_code=201,
                    created_at=now - timedelta(hours=25),
                ),
                IdempotencyKey(
                    workspace_id=tenant.id,
                    principal_id=tenant.owner.id,
                    key="new",
                    request_hash="x",
                    status_code=201,
                ),
            ]
        )
    async with maker() as s, s.begin():
        job_id = await enqueue(
            s, "purge_expired", {"timestamp": int(now.timestamp())}, queue="maintenance"
        )
    assert job_id > 0
    await _run_worker_until_idle(settings, database_url)

    async with maker() as s, s.begin():
        left = (
            await s.execute(
                text("SELECT status FROM procrastinate_jobs WHERE id = :id"), {"id": job_id}
            )
        ).all()
        assert left == []  # successful jobs are deleted; a failed one would stay
        await use(s, tenant.id)
        teams = set((await s.execute(select(Team.name))).scalars())
        assert teams == {"binned yesterday", "alive"}
        hashes = set((await s.execute(select(UserSession.token_hash))).scalars())
        assert hashes == {"c" * 64}
        keys = set((await s.execute(select(IdempotencyKey.key))).scalars())
        assert keys == {"new"}


async def test_rolled_back_transaction_enqueues_nothing(committed) -> None:
    _, _, maker = committed
    async with maker() as s:
        await s.begin()
        job_id = await enqueue(s, "purge_expired", {"timestamp": 0}, queue="maintenance")
        await s.rollback()
    async with maker() as s:
        n = (
            await s.execute(
                text("SELECT count(*) FROM procrastinate_jobs WHERE id = :id"), {"id": job_id}
            )
        ).scalar_one()
    assert n == 0


async def test_purge_is_registered_as_a_periodic_task(settings, database_url) -> None:
    job_app = build_job_app(settings, database_url)
    periodic = {t.task.name for t in job_app.periodic_registry.periodic_tasks.values()}
    assert "purge_expired" in periodic
    assert "purge_expired" in job_app.tasks


def test_every_recycle_bin_table_is_purged() -> None:
    from app.models import Base

    with_bin = {t.name for t in Base.metadata.sorted_tables if "deleted_at" in t.c}
    assert set(soft_delete_tables()) == with_bin
    assert {"teams", "users"} <= with_bin
