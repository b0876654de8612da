"""The dashboards' analytics under load, and the RFM recompute:

    python -m tests.perf.analytics [--scale S|M|L] [--period month|quarter|year]
                                   [--duration 10] [--concurrency 4] [--only funnel pareto ...]
                                   [--no-recompute] [--output FILE]

1. Uses the benchmark data set in `rapport_bench` (tests.perf.seed; seeded when the scale is
   not there, topped up with pools, pipeline to cash and the sales targets of
   `seed.add_targets` when it predates them) and migrates it to this code's head.
2. Starts `rapport serve` against it as tests/perf/bench.py does (one uvicorn worker, warning
   logs, no in-process worker) and signs in as the regional manager of 华东 (team scope) and
   as the admin (all data).
3. RFM recompute: `POST /analytics/rfm/recompute` as the admin with one `rapport worker`
   process running, polling `GET /analytics/rfm/runs/{id}` until the run has finished; the
   wall time from the request to `finished_at` and the run's own `duration_ms` (the SQL).
   Run first, so the RFM distribution below has scores to read.
4. Every endpoint a home dashboard calls (targets progress, funnel, forecast, leaderboard,
   receivables aging, revenue, RFM distribution, Pareto) for the quarter of the data set's
   anchor day (`--period`: a dashboard switched to the quarter; the month of the anchor
   may have begun only that day), as the manager and as the admin: a warm-up, a latency
   phase (one request at a time) and a throughput phase (`--concurrency` clients in a
   closed loop); p50/p95/p99 and req/s each (the load generator of tests/perf/bench.py).
5. Prints a markdown section (or writes it to --output) with the figures against the
   issue's targets: dashboard endpoints p95 ≤ 300 ms, RFM recompute ≤ 60 s (at scale L).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg

from tests.perf import cash as cashing
from tests.perf import pools as pooling
from tests.perf import seed as seeding
from tests.perf.bench import (
    API,
    ROOT,
    Endpoint,
    Measured,
    _client,
    _ms,
    _report_line,
    load_average,
    log,
    run_load,
    server,
    sign_in,
)
from tests.perf.upsert import lift_rate_limits

#: the issue's targets at the reference scale (L)
P95_TARGET_MS = 300.0
RECOMPUTE_TARGET_S = 60.0
#: how long to wait for a recompute run before giving up
RECOMPUTE_TIMEOUT_S = 900.0


# --- the data set -------------------------------------------------------------------------


def ensure_data(url: str, scale: str, reseed: bool) -> dict[str, Any]:
    """The data set at `scale` with everything the dashboards read; returns the marker."""
    marker = seeding.read_marker(url)
    if marker:
        seeding.migrate(url)
    if not marker or marker.get("scale") != scale or reseed:
        log(f"no data set at scale {scale}: seeding")
        return seeding.seed(scale, url)
    log(f"data set at scale {scale} present (seeded {marker.get('anchor')})")
    marker = pooling.ensure_pools(url, marker)
    marker = cashing.ensure_cash(url, marker)
    if (marker.get("targets") or {}).get("version") != seeding.TARGETS_VERSION:
        log("the data set has no sales targets yet: adding them (top-up)")
        day = datetime.fromisoformat(str(marker["anchor"]))
        anchor = datetime(day.year, day.month, day.day, tzinfo=UTC)
        marker = {
            **marker,
            "targets": seeding.add_targets(url, str(marker["workspace_id"]), anchor),
        }
        with psycopg.connect(url, autocommit=True) as conn:
            seeding._set_marker(conn, marker)
    return marker


@dataclass
class Sizes:
    """What the endpoints work through, for the report."""

    customers: int
    buyers: int
    orders: int
    deals: int
    targets: int
    manager_team_users: int


def sizes(url: str, workspace_id: str, kind: str, first_day: date) -> Sizes:
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (workspace_id,))
        row = conn.execute(
            """
            SELECT (SELECT count(*) FROM customers WHERE workspace_id = %(ws)s
                      AND deleted_at IS NULL),
                   (SELECT count(DISTINCT customer_id) FROM orders WHERE workspace_id = %(ws)s
                      AND customer_id IS NOT NULL AND deleted_at IS NULL),
                   (SELECT count(*) FROM orders WHERE workspace_id = %(ws)s),
                   (SELECT count(*) FROM opportunities WHERE workspace_id = %(ws)s),
                   (SELECT count(*) FROM targets WHERE workspace_id = %(ws)s
                      AND period_kind = %(kind)s AND period_start = %(first)s),
                   (SELECT count(*) FROM users u WHERE u.workspace_id = %(ws)s
                      AND u.team_id IN (
                        WITH RECURSIVE tree AS (
                          SELECT t.id FROM teams t JOIN users m
                            ON m.workspace_id = t.workspace_id AND m.team_id = t.id
                          WHERE t.workspace_id = %(ws)s AND lower(m.email) = %(manager)s
                          UNION ALL
                          SELECT t.id FROM teams t JOIN tree ON t.parent_id = tree.id
                          WHERE t.workspace_id = %(ws)s)
                        SELECT id FROM tree))
            """,
            {
                "ws": workspace_id,
                "kind": kind,
                "first": first_day,
                "manager": seeding.MANAGER_EMAIL,
            },
        ).fetchone()
    assert row
    return Sizes(*(int(v) for v in row))


# --- the endpoints ------------------------------------------------------------------------


def period_of(kind: str, day: date) -> tuple[str, str]:
    """(period label, first month YYYY-MM) of the period of `kind` containing `day`."""
    if kind == "month":
        return f"{day:%Y-%m}", f"{day:%Y-%m}"
    if kind == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}", f"{day.year}-{first:02d}"
    return str(day.year), f"{day.year}-01"


#: (name, path and query, what the figure means); each is sent as manager and as admin
def dashboard_requests(period: str, first_month: str) -> list[tuple[str, str, str]]:
    return [
        ("targets", f"/targets/progress?period={period}", "targets progress"),
        ("funnel", f"/analytics/funnel?period={period}", "funnel of the default pipeline"),
        ("forecast", f"/analytics/forecast?from={first_month}&months=6", "forecast, 6 months"),
        (
            "leaderboard",
            f"/analytics/leaderboard?metric=won_amount&period={period}&limit=10",
            "leaderboard by won amount, top 10",
        ),
        ("aging", "/receivables/aging?group_by=owner&limit=1", "aging totals and DSO"),
        (
            "revenue",
            f"/analytics/revenue?period={first_month[:4]}&granularity=month",
            "revenue of the year by month (orders, payments), as the dashboard's trend",
        ),
        ("rfm", "/analytics/rfm", "RFM cube and tier distribution"),
        ("pareto", f"/analytics/pareto?period={period}", "Pareto curve and top-20 % share"),
    ]


def endpoints(period: str, first_month: str) -> list[Endpoint]:
    out: list[Endpoint] = []
    for name, path, label in dashboard_requests(period, first_month):
        for user, suffix in (("manager", ""), ("admin", "_all")):

            def make(i: int, path: str = path) -> tuple[str, str, None]:
                return ("GET", f"{API}{path}", None)

            who = "manager, team scope" if user == "manager" else "admin, all data"
            out.append(
                Endpoint(f"{name}{suffix}", f"GET {path} — {label} ({who})", make, user=user)
            )
    return out


#: one line about what an answer holds, so the report shows the work was real
DESCRIBE: dict[str, Callable[[dict[str, Any]], str]] = {
    "targets": lambda b: f"{len(b.get('items', []))} targets",
    "funnel": lambda b: f"cohort {b.get('created')} deals, {len(b.get('stages', []))} stages",
    "forecast": lambda b: f"{len(b.get('months', []))} months",
    "leaderboard": lambda b: f"{len(b.get('rows', []))} rows",
    "aging": lambda b: f"{len(b.get('totals', []))} currencies",
    "revenue": lambda b: f"{len(b.get('buckets', []))} buckets",
    "rfm": lambda b: f"{len(b.get('tiers', []))} tiers, {len(b.get('cube', []))} cube cells",
    "pareto": lambda b: f"{b.get('customers')} customers, top 20 % = {b.get('top_share')} %",
}


async def probe(client: httpx.AsyncClient, ep: Endpoint) -> str:
    """One request before the measurement: its status and what the answer holds."""
    _, url, _ = ep.make(0)
    response = await client.get(url)
    if response.status_code != 200:
        return f"HTTP {response.status_code} ({_first_line(response.text)})"
    base = ep.name.removesuffix("_all")
    try:
        return DESCRIBE[base](response.json())
    except (ValueError, TypeError, AttributeError) as exc:
        return f"200, unexpected body ({exc})"


def _first_line(text: str | None, limit: int = 160) -> str:
    """The first line of an error, short enough for a table cell."""
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


# --- RFM recompute ------------------------------------------------------------------------


@contextlib.contextmanager
def worker(env: dict[str, str]) -> Iterator[None]:
    """One `rapport worker` process for the block (its own process group, stopped after)."""
    with tempfile.NamedTemporaryFile(prefix="rapport-worker-", suffix=".log") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "worker", "--concurrency", "1"],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
        )
        try:
            time.sleep(1.0)
            if proc.poll() is not None:
                raise SystemExit(f"worker exited:\n{Path(out.name).read_text()[-3000:]}")
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@dataclass
class Recompute:
    status: str
    wall_s: float
    duration_ms: int | None
    customers: int | None
    changed: int | None
    tier_changes: int | None
    error: str | None = None


async def recompute(admin: httpx.AsyncClient) -> Recompute:
    """POST the recompute, then poll its run until it has finished."""
    started = time.perf_counter()
    response = await admin.post(f"{API}/analytics/rfm/recompute")
    if response.status_code != 202:
        return Recompute(
            f"HTTP {response.status_code}", 0.0, None, None, None, None, _first_line(response.text)
        )
    run = response.json()
    deadline = started + RECOMPUTE_TIMEOUT_S
    while run.get("status") not in ("succeeded", "failed"):
        if time.perf_counter() > deadline:
            return Recompute("timeout", time.perf_counter() - started, None, None, None, None)
        await asyncio.sleep(0.2)
        polled = await admin.get(f"{API}/analytics/rfm/runs/{run['id']}")
        polled.raise_for_status()
        run = polled.json()
    return Recompute(
        run["status"],
        time.perf_counter() - started,
        run.get("duration_ms"),
        run.get("customers"),
        run.get("changed"),
        run.get("tier_changes"),
        _first_line(run.get("error")) or None,
    )


# --- the run ------------------------------------------------------------------------------


async def drive(
    base: str, args: argparse.Namespace, period: tuple[str, str], env: dict[str, str]
) -> tuple[list[Recompute], list[Measured], dict[str, str]]:
    runs: list[Recompute] = []
    measured: list[Measured] = []
    probes: dict[str, str] = {}
    async with _client(base, args.concurrency) as manager, _client(base, args.concurrency) as admin:
        await sign_in(manager)
        await sign_in(admin, seeding.ADMIN_EMAIL)
        if args.recompute:
            log("RFM recompute: POST /analytics/rfm/recompute, one worker, twice")
            with worker(env):
                for n in range(2):
                    run = await recompute(admin)
                    runs.append(run)
                    log(
                        f"  run {n + 1}: {run.status} in {run.wall_s:.1f}s (SQL "
                        f"{run.duration_ms} ms, {run.customers} customers, {run.changed} "
                        f"written)" + (f" — {run.error}" if run.error else "")
                    )
        for ep in endpoints(*period):
            if args.only and ep.name.removesuffix("_all") not in args.only:
                continue
            client = admin if ep.user == "admin" else manager
            probes[ep.name] = await probe(client, ep)
            await run_load(client, ep.make, concurrency=args.concurrency, duration=args.warmup)
            latency = await run_load(client, ep.make, concurrency=1, duration=args.latency_duration)
            load = await run_load(
                client, ep.make, concurrency=args.concurrency, duration=args.duration
            )
            measured.append(Measured(ep, latency, load))
            _report_line(measured[-1], args)
    return runs, measured, probes


def render(
    args: argparse.Namespace,
    marker: dict[str, Any],
    period: str,
    size: Sizes,
    runs: list[Recompute],
    measured: list[Measured],
    probes: dict[str, str],
    loads: tuple[str, str],
    took: float,
) -> str:
    c = args.concurrency
    scale = marker.get("scale")
    lines = [
        "## Analytics: the dashboards and the RFM recompute",
        "",
        f"`python -m tests.perf.analytics --scale {scale} --duration {args.duration:g} "
        f"--concurrency {c}`, {took / 60:.1f} min, load average {loads[0]} at start and "
        f"{loads[1]} at the end (2 cores shared by the app, PostgreSQL and the load generator).",
        "",
        f"Data set: scale **{scale}** (anchor {marker.get('anchor')}): {size.customers:,} "
        f"customers, {size.buyers:,} of them with orders, {size.orders:,} orders, "
        f"{size.deals:,} deals, {size.targets:,} targets for {period} "
        "(`seed.add_targets`: every rep, team and the workspace, four metrics). Period of "
        f"every request: {period}, the {args.period} of the anchor day (a dashboard switched "
        f"to it). The manager ({seeding.MANAGER_EMAIL}) has team scope over "
        f"{size.manager_team_users:,} users; the admin sees everything.",
        "",
    ]
    if runs:
        lines += [
            "### RFM recompute",
            "",
            "`POST /analytics/rfm/recompute` as the admin, one `rapport worker` running; wall "
            "time from the request until `GET /analytics/rfm/runs/{id}` reports the run "
            "finished (queueing and polling every 0.2 s included), and the run's own "
            "`duration_ms` (the set-based statement). The second run scores the same data "
            "again (rows are written only where a score changed).",
            "",
            "| run | status | wall s | SQL ms | customers scored | rows written | tier changes "
            "| target |",
            "|---|---|---:|---:|---:|---:|---:|---|",
        ]
        for n, run in enumerate(runs, start=1):
            ok = run.status == "succeeded" and run.wall_s <= RECOMPUTE_TARGET_S
            lines.append(
                f"| {n} | {run.status} | {run.wall_s:.1f} | {run.duration_ms or '–'} | "
                f"{run.customers if run.customers is not None else '–'} | "
                f"{run.changed if run.changed is not None else '–'} | "
                f"{run.tier_changes if run.tier_changes is not None else '–'} | "
                f"≤ {RECOMPUTE_TARGET_S:g} s: {'pass' if ok else '**FAIL**'} |"
            )
        errors = [f"- run {n}: {r.error}" for n, r in enumerate(runs, start=1) if r.error]
        if errors:
            lines += ["", *errors]
        lines.append("")
    lines += [
        "### Dashboard endpoints",
        "",
        f"Latency phase one request at a time for {args.latency_duration:g} s, throughput "
        f"phase {c} clients in a closed loop for {args.duration:g} s, after "
        f"{args.warmup:g} s of warm-up. Target: p95 ≤ {P95_TARGET_MS:g} ms at scale L "
        "(judged on the latency phase; indicative at smaller scales).",
        "",
        f"| endpoint | request | answer | c=1 p50 | c=1 p95 | c=1 p99 | c={c} p50 | c={c} p95 "
        f"| c={c} p99 | c={c} req/s | failed | p95 target |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for m in measured:
        lat, load = m.latency, m.load
        failed = lat.failed + load.failed
        ok = lat.pct(95) <= P95_TARGET_MS and failed == 0
        lines.append(
            f"| {m.endpoint.name} | `{m.endpoint.label}` | {probes.get(m.endpoint.name, '')} "
            f"| {_ms(lat.pct(50))} | {_ms(lat.pct(95))} | {_ms(lat.pct(99))} "
            f"| {_ms(load.pct(50))} | {_ms(load.pct(95))} | {_ms(load.pct(99))} "
            f"| {load.rps:.1f} | {failed} | {'pass' if ok else '**FAIL**'} |"
        )
    lines += ["", "Latencies in ms."]
    failures = [
        f"- {m.endpoint.name}: "
        + "; ".join(_first_line(e) for e in (m.latency.errors + m.load.errors)[:2])
        for m in measured
        if m.latency.failed + m.load.failed
    ]
    if failures:
        lines += ["", "Failed requests:", "", *failures]
    return "\n".join(lines) + "\n"


async def run(args: argparse.Namespace) -> str:
    clock = time.perf_counter()
    url = seeding.bench_database_url(args.database_url)
    marker = ensure_data(url, args.scale, args.reseed)
    workspace_id = str(marker["workspace_id"])
    lift_rate_limits(url, workspace_id)
    anchor = datetime.fromisoformat(str(marker["anchor"]))
    period = period_of(args.period, anchor.date())
    first = datetime.strptime(period[1], "%Y-%m").date()
    size = sizes(url, workspace_id, args.period, first)
    env = {
        "DATABASE_URL": url,
        "RAPPORT_LOG_LEVEL": "warning",
        "RAPPORT_IN_PROCESS_WORKER": "false",
    }
    loads_start = load_average()
    with server(
        "app", [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1"], env, "/healthz"
    ) as base:
        runs, measured, probes = await drive(base, args, period, env)
    return render(
        args,
        marker,
        period[0],
        size,
        runs,
        measured,
        probes,
        (loads_start, load_average()),
        time.perf_counter() - clock,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.analytics", description=__doc__)
    parser.add_argument(
        "--scale", choices=sorted(seeding.SCALES), default=os.environ.get("BENCH_SCALE", "M")
    )
    parser.add_argument(
        "--period",
        choices=("month", "quarter", "year"),
        default="quarter",
        help="period kind of the requests: the one containing the anchor day",
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds per throughput phase")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--latency-duration", type=float, default=8, help="seconds per one-at-a-time phase"
    )
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per endpoint")
    parser.add_argument("--database-url", help="owner URL of the benchmark database")
    parser.add_argument("--reseed", action="store_true", help="seed again even if present")
    parser.add_argument(
        "--only",
        nargs="*",
        help="only these endpoints: targets funnel forecast leaderboard aging revenue rfm pareto "
        "(each as manager and admin)",
    )
    parser.add_argument(
        "--no-recompute", dest="recompute", action="store_false", help="skip the RFM recompute"
    )
    parser.add_argument("--output", default="", help="write the markdown here (default: print)")
    args = parser.parse_args(argv)
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    report = asyncio.run(run(args))
    if args.output:
        Path(args.output).write_text(report)
        log(f"wrote {args.output}")
    else:
        print(report, flush=True)


if __name__ == "__main__":
    main()
