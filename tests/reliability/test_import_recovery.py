"""Imports whose run died with its process (fast, in-process): what a dead run leaves —
the import `running` and the queue's job `doing` for a worker that stopped sending
heartbeats — is found by `recover_interrupted`, queued again and completed with every row
accounted for, or given up after `MAX_RUNS` runs with nothing written; a run presumed dead
that is only slow cannot commit once a newer run has claimed the import.

The real thing (kill -9 of `rapport serve` during a large import) is
tests/reliability/test_import_crash.py, in `make reliability`.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select, text, update

from app.imports import service
from app.models.customer import Customer, OwnershipChange
from app.models.imports import ImportJob
from tests.factories import use
from tests.imports.test_imports import (
    URL,
    _run_worker_until_idle,
    generated_file,
    queued_client,  # noqa: F401  (fixture)
    upload,
)


@pytest.fixture
async def clean_queue(owner_engine) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    """Leave no import job and no fake worker in the queue for the tests that follow."""
    yield
    async with owner_engine.begin() as conn:
        await conn.execute(
            text("DELETE FROM procrastinate_jobs WHERE task_name = :t"), {"t": service.TASK}
        )
        await conn.execute(
            text(
                "DELETE FROM procrastinate_workers "
                "WHERE last_heartbeat < now() - interval '4 minutes'"
            )
        )


async def _queue_row(maker, import_id: str) -> Any:  # type: ignore[no-untyped-def]
    async with maker() as s, s.begin():
        return (
            await s.execute(
                text(
                    "SELECT id, status, attempts FROM procrastinate_jobs "
                    "WHERE task_name = :t AND args->>'job_id' = :id"
                ),
                {"t": service.TASK, "id": import_id},
            )
        ).one()


async def _die_mid_run(maker, tenant_id: uuid.UUID, import_id: str, *, runs: int = 1) -> None:  # type: ignore[no-untyped-def]
    """What a run leaves when its process is killed while writing: the import claimed and
    `running` (its rows were in a transaction PostgreSQL rolled back), the queue's job
    `doing` for a worker whose last heartbeat is minutes old."""
    async with maker() as s, s.begin():
        worker = (
            await s.execute(
                text(
                    "INSERT INTO procrastinate_workers (last_heartbeat) "
                    "VALUES (now() - interval '5 minutes') RETURNING id"
                )
            )
        ).scalar_one()
        await s.execute(
            text(
                "UPDATE procrastinate_jobs SET status = 'doing', worker_id = :w, "
                "attempts = :a WHERE task_name = :t AND args->>'job_id' = :id"
            ),
            {"w": worker, "a": runs - 1, "t": service.TASK, "id": import_id},
        )
        await use(s, tenant_id)
        await s.execute(
            update(ImportJob)
            .where(ImportJob.id == uuid.UUID(import_id))
            .values(status="running", started_at=datetime.now(UTC), progress=40)
        )


async def _customers(maker, tenant_id: uuid.UUID) -> int:  # type: ignore[no-untyped-def]
    async with maker() as s, s.begin():
        await use(s, tenant_id)
        return int(await s.scalar(select(func.count()).select_from(Customer)) or 0)


async def test_an_interrupted_run_is_queued_again_and_completes(  # type: ignore[no-untyped-def]
    queued_client,  # noqa: F811
    settings,
    database_url,
    clean_queue,
) -> None:
    client, tenant, maker = queued_client
    content, bad = generated_file(1_200, 100)
    r = await upload(client, content)
    assert r.status_code == 202, r.text
    import_id = r.json()["id"]
    await _die_mid_run(maker, tenant.id, import_id)

    assert await service.recover_interrupted(maker) == 1
    assert await service.recover_interrupted(maker) == 0  # handled once
    job = (await client.get(f"{URL}/{import_id}")).json()
    assert job["status"] == "queued"
    assert job["message"] == service.INTERRUPTED
    queued = await _queue_row(maker, import_id)
    assert (queued.status, queued.attempts) == ("todo", 1)
    assert await _customers(maker, tenant.id) == 0

    await _run_worker_until_idle(settings, database_url)
    job = (await client.get(f"{URL}/{import_id}")).json()
    assert job["status"] == "succeeded", job
    assert job["message"] == service.INTERRUPTED  # the report says what happened
    assert job["counts"]["created"] == 1_200 - len(bad)
    assert {e["row"] for e in job["errors"]} == bad
    # every valid row exactly once, no invalid one
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        names = (await s.execute(select(Customer.name))).scalars().all()
        ledger = await s.scalar(
            select(func.count())
            .select_from(OwnershipChange)
            .where(OwnershipChange.kind == "import")
        )
    expected = {f"测试客户{i:06d}有限公司" for i in range(1, 1_201) if i + 1 not in bad}
    assert sorted(names) == sorted(expected)
    assert ledger == len(names)


async def test_a_run_interrupted_too_often_fails_with_nothing_written(  # type: ignore[no-untyped-def]
    queued_client,  # noqa: F811
    clean_queue,
) -> None:
    client, tenant, maker = queued_client
    content, _ = generated_file(300, 50)
    import_id = (await upload(client, content)).json()["id"]
    await _die_mid_run(maker, tenant.id, import_id, runs=service.MAX_RUNS)

    assert await service.recover_interrupted(maker) == 1
    job = (await client.get(f"{URL}/{import_id}")).json()
    assert job["status"] == "failed"
    assert f"interrupted {service.MAX_RUNS} times" in job["message"]
    assert "nothing was written" in job["message"]
    assert (await _queue_row(maker, import_id)).status == "failed"
    assert await _customers(maker, tenant.id) == 0


async def test_a_live_worker_is_left_alone(queued_client, clean_queue) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client, tenant, maker = queued_client
    content, _ = generated_file(50, 10)
    import_id = (await upload(client, content)).json()["id"]
    await _die_mid_run(maker, tenant.id, import_id)
    async with maker() as s, s.begin():  # the worker is alive after all
        await s.execute(
            text(
                "UPDATE procrastinate_workers SET last_heartbeat = now() WHERE id = "
                "(SELECT worker_id FROM procrastinate_jobs WHERE args->>'job_id' = :id)"
            ),
            {"id": import_id},
        )
    assert await service.recover_interrupted(maker) == 0
    assert (await client.get(f"{URL}/{import_id}")).json()["status"] == "running"


async def test_a_superseded_run_rolls_back_what_it_wrote(  # type: ignore[no-untyped-def]
    queued_client,  # noqa: F811
    monkeypatch,
    clean_queue,
) -> None:
    """A run presumed dead (no heartbeat for a minute) but only slow: the import was queued
    again and claimed by a new run meanwhile. The old run's rows never commit."""
    client, tenant, maker = queued_client
    content, _ = generated_file(400, 1_000)
    import_id = uuid.UUID((await upload(client, content)).json()["id"])
    original = service.apply
    newer = datetime.now(UTC)

    async def slow_apply(*args: Any, **kwargs: Any) -> None:
        await original(*args, **kwargs)  # the rows are written, not yet committed
        async with maker() as s, s.begin():  # meanwhile: recovered and claimed again
            await use(s, tenant.id)
            await s.execute(
                update(ImportJob)
                .where(ImportJob.id == import_id)
                .values(status="validating", started_at=newer, progress=0)
            )

    monkeypatch.setattr(service, "apply", slow_apply)
    assert await service.run_import(maker, import_id, tenant.id) == "superseded"
    assert await _customers(maker, tenant.id) == 0
    job = (await client.get(f"{URL}/{import_id}")).json()
    assert job["status"] == "validating"  # the newer run's, untouched by the old one
    async with maker() as s, s.begin():
        await use(s, tenant.id)
        started = await s.scalar(select(ImportJob.started_at).where(ImportJob.id == import_id))
    assert started == newer
