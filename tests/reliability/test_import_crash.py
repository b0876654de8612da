"""kill -9 during a running import (real processes, `make reliability`).

`rapport serve` with production settings runs imports in its own process (the in-process
job worker, the default). A 60k-row CSV with bad rows is uploaded; once the run is
writing (status `running`, progress past 20 %), the server is killed with SIGKILL and
started again. Then:

- right after the kill, no row of the import is in the database (its transaction is gone
  with the process) while the import still says `running`;
- after the restart, the interrupted run is detected (its worker stopped sending
  heartbeats: `app.imports.service.recover_interrupted`), queued again and completed: the
  import ends `succeeded` with a message saying it was interrupted and restarted, and the
  database holds exactly the report's rows — every valid row once, no invalid row, one
  ledger entry per created customer, the rejected rows listed with their reasons — and
  no job is left in the queue.

Nothing is faked: the heartbeat runs out in real time (a minute), so the test takes a
few minutes.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from app.imports import service
from tests.imports.test_imports import generated_file
from tests.reliability.server import Server, fresh_database, signed_in

pytestmark = pytest.mark.reliability

ROWS = 60_000
BAD_EVERY = 500


def _wait_for(  # type: ignore[no-untyped-def]
    client, import_id: str, done, seconds: float, server: Server
) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        job = client.get(f"/api/v1/imports/{import_id}").json()
        if done(job):
            return job  # type: ignore[no-any-return]
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:.0f}s, import is {job}\n{server.tail()}")
        time.sleep(0.2)


def test_kill_9_during_an_import_leaves_no_partial_rows(database_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = fresh_database(database_url, "rapport_crash_import")
    content, bad = generated_file(ROWS, BAD_EVERY)
    expected = {f"测试客户{i:06d}有限公司" for i in range(1, ROWS + 1) if i + 1 not in bad}
    server = Server(url, tmp_path / "server.log")
    server.start()
    try:
        client = signed_in(server.base_url)
        r = client.post(
            "/api/v1/imports",
            data={"entity": "customers", "dry_run": "false", "duplicate_policy": "skip"},
            files={"file": ("customers.csv", content)},
        )
        assert r.status_code == 202, r.text
        import_id = r.json()["id"]
        writing = _wait_for(
            client,
            import_id,
            lambda j: (
                (j["status"] == "running" and j["progress"] >= 20)
                or j["status"] in ("succeeded", "failed")
            ),
            300,
            server,
        )
        assert writing["status"] == "running", f"the run ended before the kill: {writing}"
        server.kill()
        client.close()

        with psycopg.connect(url) as conn:
            ws = conn.execute("SELECT id FROM workspaces").fetchone()
            assert ws is not None
            conn.execute("SELECT set_config('app.workspace_id', %s, false)", (str(ws[0]),))
            assert conn.execute("SELECT count(*) FROM customers").fetchone() == (0,)
            status = conn.execute(
                "SELECT status FROM import_jobs WHERE id = %s", (import_id,)
            ).fetchone()
            assert status == ("running",)

        killed_at = time.monotonic()
        server.start()
        client = signed_in(server.base_url)
        job = _wait_for(
            client, import_id, lambda j: j["status"] in ("succeeded", "failed"), 600, server
        )
        recovered_after = time.monotonic() - killed_at
        print(
            f"\nimport of {ROWS} rows killed at {writing['progress']} %; completed "
            f"{recovered_after:.0f}s after the kill"
        )
        assert job["status"] == "succeeded", job
        assert job["message"] == service.INTERRUPTED
        assert job["counts"]["created"] == len(expected)
        assert job["counts"]["invalid"] == len(bad)
    finally:
        server.stop()

    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (str(ws[0]),))
        names = [r[0] for r in conn.execute("SELECT name FROM customers").fetchall()]
        assert len(names) == len(set(names)) == len(expected)
        assert set(names) == expected
        ledger = conn.execute(
            "SELECT count(*) FROM ownership_changes WHERE kind = 'import'"
        ).fetchone()
        assert ledger == (len(expected),)
        errors = conn.execute(
            "SELECT errors FROM import_jobs WHERE id = %s", (import_id,)
        ).fetchone()
        assert errors is not None
        assert {e["row"] for e in errors[0]} == bad
        assert all(e["errors"] for e in errors[0])
        left = conn.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = %s", (service.TASK,)
        ).fetchone()
        assert left == (0,)
