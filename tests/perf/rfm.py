"""Time the RFM recompute on the benchmark workspace: `python -m tests.perf.rfm [--runs 3]
[--fresh] [--database-url URL]`.

Runs the recompute the way the nightly job does (one transaction, as the application role,
under row-level security) on the "Bench" workspace that tests.perf.seed loads, and prints
for each run the wall time and the CPU time the database backend spent (read from /proc, so
a loaded machine's queueing can be told apart from the work itself). `--fresh` deletes the
workspace's scores and history first, so the first run writes every buyer's row (the
costliest case: a new workspace, or the first run after an upgrade); later runs rewrite
only what changed (the usual night).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

import psycopg
from sqlalchemy import text

from app.analytics.value import service
from app.analytics.value.schemas import RfmRunTrigger
from app.config import Settings
from app.db import create_app_engine, create_sessionmaker, workspace_session
from tests.perf.seed import WORKSPACE_NAME, bench_database_url

_TICK = os.sysconf("SC_CLK_TCK")


def _backend_cpu(pid: int) -> float:
    """User + system seconds the PostgreSQL backend `pid` has used (same host only)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


async def measure(url: str, runs: int) -> None:
    engine = create_app_engine(url, Settings(database_url=url), pool_size=1)
    maker = create_sessionmaker(engine)
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT id FROM workspaces WHERE name = %s", (WORKSPACE_NAME,)
        ).fetchone()
    assert row is not None, "no Bench workspace: run python -m tests.perf.seed first"
    bench = row[0]
    for n in range(runs):
        async with workspace_session(maker, bench) as session:
            pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            cpu, started = _backend_cpu(pid), time.perf_counter()
            run = await service.run_inline(session, bench, RfmRunTrigger.manual)
        wall, cpu = time.perf_counter() - started, _backend_cpu(pid) - cpu
        print(
            f"run {n + 1}: {run.customers:,} buyers scored, {run.changed:,} rows written, "
            f"{run.tier_changes:,} tier changes; wall {wall:.1f} s (statement "
            f"{(run.duration_ms or 0) / 1000:.1f} s), backend CPU {cpu:.1f} s, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="delete scores and history first")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    url = bench_database_url(args.database_url)
    if args.fresh:
        with psycopg.connect(url, autocommit=True) as conn:
            for table in ("customer_rfm_changes", "customer_rfm", "rfm_runs"):
                conn.execute(
                    f"DELETE FROM {table} WHERE workspace_id = "
                    "(SELECT id FROM workspaces WHERE name = %s)",
                    (WORKSPACE_NAME,),
                )
    asyncio.run(measure(url, args.runs))


if __name__ == "__main__":
    main()
