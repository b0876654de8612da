"""Soak (`make reliability`): a real `rapport serve` with production settings (see
tests/reliability/server.py) on the benchmark data set at scale S, driven at a fixed
request rate for RAPPORT_SOAK_SECONDS (default 600) over a mixed workload.

The load is open-loop: a request starts every 1/RATE seconds whether or not earlier ones
have answered (a closed loop would slow down with the server and hide a degradation), as
the regional manager of 华东 (team scope), 20 reps of 华东 and a service agent:

    customer list (filter + sort), search, detail, timeline, create, update;
    follow-ups list and create; pool claim and release (each customer by reps in turn,
    never back to a rep within the pool's cool-down); board of the default pipeline;
    ticket list (team queue), detail, dashboard, create, update, internal note.

Pass criteria, checked at the end:

- zero errors: every response is the status its request expects (200/201); no 5xx, no
  unexpected 4xx, no timeout or connection error, and the client never fell behind the
  schedule (more than MAX_IN_FLIGHT requests waiting);
- memory: the server's resident set (VmRSS of the process, which also runs the job
  worker) grows by less than 10 % from the end of the warm-up (the first tenth, at most a
  minute) to the end;
- latency stable: the p95 of the last window (the last minute; a third of the measured
  time in shorter runs) is at most 1.5 × the p95 of the first window after the warm-up
  plus 10 ms (the allowance keeps a few milliseconds of scheduler noise on a shared
  machine from failing a run whose p95 is itself a few milliseconds).

The figures go to `.rapport/soak.md` (a section in the shape of docs/performance.md:
the command, the machine, the criteria, a row per minute) and to stdout.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import math
import os
import platform
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.perf import seed as seeding
from tests.perf import words as W
from tests.reliability.server import ROOT, Server, fresh_database

pytestmark = pytest.mark.reliability

SECONDS = float(os.environ.get("RAPPORT_SOAK_SECONDS", "600"))
RATE = float(os.environ.get("RAPPORT_SOAK_RATE", "10"))
WARMUP = min(60.0, SECONDS / 10)
WINDOW = min(60.0, (SECONDS - WARMUP) / 3)
MAX_IN_FLIGHT = 64
RSS_GROWTH = 0.10
P95_FACTOR = 1.5
P95_ALLOWANCE_MS = 10.0
REPS = [f"rep{n:03d}@bench.example.com" for n in range(1, 21)]  # 华东一部 … 四部
SERVICE_EMAIL = "service1@bench.example.com"
API = "/api/v1"
REPORT = ROOT / ".rapport" / "soak.md"


@dataclass
class Sample:
    at: float  # seconds since the start
    op: str
    status: int
    ms: float
    note: str = ""


@dataclass
class State:
    """What the workload knows of the data, to ask only for what must succeed."""

    customers: list[str]
    pools: list[str]
    default_pipeline: str
    tickets: list[str]
    created_customers: list[str] = field(default_factory=list)
    created_tickets: list[str] = field(default_factory=list)
    #: pool customers free to claim, and who may not claim which (cool-down)
    claimable: list[str] = field(default_factory=list)
    held: list[tuple[str, int]] = field(default_factory=list)
    gave_up: set[tuple[str, int]] = field(default_factory=set)
    turn: itertools.count[int] = field(default_factory=itertools.count)


Op = Callable[[random.Random], Awaitable[tuple[str, int, str]]]


def _pct(values: list[float], p: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


async def _client(base: str, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(
        base_url=base,
        timeout=30,
        # idle connections are dropped before the server's keep-alive (5 s) would close
        # them, so a request never goes out on a connection the server is closing
        limits=httpx.Limits(max_connections=16, max_keepalive_connections=16, keepalive_expiry=2.0),
    )
    r = await client.post(f"{API}/auth/login", json={"email": email, "password": seeding.PASSWORD})
    r.raise_for_status()
    client.headers["X-CSRF-Token"] = client.cookies["rapport_csrf"]
    return client


async def _all(client: httpx.AsyncClient, path: str, limit: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    cursor = None
    while len(rows) < limit:
        sep = "&" if "?" in path else "?"
        url = f"{path}{sep}limit=200" + (f"&cursor={cursor}" if cursor else "")
        r = await client.get(url)
        r.raise_for_status()
        body = r.json()
        rows += body["data"]
        cursor = body["next_cursor"]
        if not cursor:
            break
    return rows[:limit]


class Workload:
    def __init__(
        self,
        manager: httpx.AsyncClient,
        service: httpx.AsyncClient,
        reps: list[httpx.AsyncClient],
        state: State,
        run: str,
    ) -> None:
        self.manager, self.service, self.reps, self.s, self.run = manager, service, reps, state, run
        self.serial = itertools.count(1)
        self.ops: list[tuple[str, int, Op]] = [
            ("customer_list", 12, self.customer_list),
            ("customer_search", 7, self.customer_search),
            ("customer_detail", 9, self.customer_detail),
            ("customer_timeline", 4, self.customer_timeline),
            ("customer_create", 4, self.customer_create),
            ("customer_update", 5, self.customer_update),
            ("followup_list", 6, self.followup_list),
            ("followup_create", 6, self.followup_create),
            ("pool_claim", 4, self.pool_claim),
            ("pool_release", 4, self.pool_release),
            ("board", 5, self.board),
            ("ticket_list", 9, self.ticket_list),
            ("ticket_detail", 7, self.ticket_detail),
            ("ticket_dashboard", 3, self.ticket_dashboard),
            ("ticket_create", 2, self.ticket_create),
            ("ticket_update", 2, self.ticket_update),
            ("ticket_note", 1, self.ticket_note),
        ]
        self.names = [o[0] for o in self.ops]
        self.cum = list(itertools.accumulate(o[1] for o in self.ops))

    def pick(self, rng: random.Random) -> tuple[str, Op]:
        i = bisect.bisect_right(self.cum, rng.random() * self.cum[-1])
        return self.ops[i][0], self.ops[i][2]

    @staticmethod
    async def _call(
        client: httpx.AsyncClient, method: str, url: str, expect: int, **kw: Any
    ) -> tuple[str, int, str, httpx.Response | None]:
        try:
            r = await client.request(method, url, **kw)
        except httpx.HTTPError as exc:
            return url, 0, f"{type(exc).__name__}: {exc}", None
        note = "" if r.status_code == expect else r.text[:300]
        return url, r.status_code, note, r

    async def _get(self, client: httpx.AsyncClient, url: str) -> tuple[str, int, str]:
        u, code, note, _ = await self._call(client, "GET", url, 200)
        return u, code, note

    async def customer_list(self, rng: random.Random) -> tuple[str, int, str]:
        status = rng.choice(["active", "potential", "dormant"])
        level = rng.choice(["A", "B", "C"])
        return await self._get(
            self.manager, f"{API}/customers?status={status}&level={level}&sort=-updated_at&limit=50"
        )

    async def customer_search(self, rng: random.Random) -> tuple[str, int, str]:
        term = rng.choice(["科技", "贸易", "杭州", "Trading", "138", "有限公司", "制造"])
        return await self._get(self.manager, f"{API}/customers?q={term}&limit=20")

    async def customer_detail(self, rng: random.Random) -> tuple[str, int, str]:
        return await self._get(self.manager, f"{API}/customers/{rng.choice(self.s.customers)}")

    async def customer_timeline(self, rng: random.Random) -> tuple[str, int, str]:
        cid = rng.choice(self.s.customers)
        return await self._get(self.manager, f"{API}/customers/{cid}/timeline?limit=20")

    async def customer_create(self, rng: random.Random) -> tuple[str, int, str]:
        """A new company; when it looks like an existing one (409 duplicate_customer, a
        warning), saved anyway as the form's "save anyway" does."""
        brand = "".join(rng.choice(W.BRAND_CHARS)[0] for _ in range(3))
        trade = rng.choice(W.TRADES)[0]
        body: dict[str, Any] = {
            "name": f"{rng.choice(['杭州', '宁波', '苏州', '上海'])}{brand}{trade}有限公司",
            "phones": [f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"],
            "level": rng.choice(["A", "B", "C"]),
            "city": "杭州",
        }
        u, code, note, r = await self._call(
            self.manager, "POST", f"{API}/customers", 201, json=body
        )
        if r is not None and code == 409 and r.json().get("code") == "duplicate_customer":
            u, code, note, r = await self._call(
                self.manager, "POST", f"{API}/customers", 201, json={**body, "force": True}
            )
        if r is not None and code == 201:
            self.s.created_customers.append(r.json()["id"])
        return u, code, note

    async def customer_update(self, rng: random.Random) -> tuple[str, int, str]:
        pool = self.s.created_customers or self.s.customers
        cid = rng.choice(pool)
        body = {"address": f"杭州市西湖区文三路{rng.randint(1, 999)}号"}
        u, code, note, _ = await self._call(
            self.manager, "PATCH", f"{API}/customers/{cid}", 200, json=body
        )
        return u, code, note

    async def followup_list(self, rng: random.Random) -> tuple[str, int, str]:
        cid = rng.choice(self.s.customers)
        return await self._get(self.manager, f"{API}/activities?customer_id={cid}&limit=20")

    async def followup_create(self, rng: random.Random) -> tuple[str, int, str]:
        body = {
            "customer_id": rng.choice(self.s.created_customers or self.s.customers),
            "kind": rng.choice(["call", "visit", "wechat", "email", "note"]),
            "content": rng.choice(["电话沟通了报价", "客户要求下周再联系", "Sent the proposal"]),
        }
        u, code, note, _ = await self._call(
            self.manager, "POST", f"{API}/activities", 201, json=body
        )
        return u, code, note

    async def pool_claim(self, rng: random.Random) -> tuple[str, int, str]:
        s = self.s
        for _ in range(len(s.claimable)):
            cid = s.claimable.pop(0)
            # the reps take turns; none claims back what it gave up (the pool's cool-down)
            start = next(s.turn)
            rep = next(
                (
                    r % len(self.reps)
                    for r in range(start, start + len(self.reps))
                    if (cid, r % len(self.reps)) not in s.gave_up
                ),
                None,
            )
            if rep is None:  # every rep gave it up within the cool-down: retire it
                continue
            u, code, note, _ = await self._call(
                self.reps[rep], "POST", f"{API}/customers/{cid}/claim", 200
            )
            if code == 200:
                s.held.append((cid, rep))
            else:
                s.claimable.append(cid)
            return u, code, note
        return await self.pool_release(rng)

    async def pool_release(self, rng: random.Random) -> tuple[str, int, str]:
        s = self.s
        if not s.held:
            return await self.board(rng)
        cid, rep = s.held.pop(0)
        u, code, note, _ = await self._call(
            self.reps[rep],
            "POST",
            f"{API}/customers/{cid}/release",
            200,
            json={"reason": "暂无需求，退回公海"},
        )
        if code == 200:
            s.gave_up.add((cid, rep))
            s.claimable.append(cid)
        return u, code, note

    async def board(self, rng: random.Random) -> tuple[str, int, str]:
        return await self._get(self.manager, f"{API}/pipelines/{self.s.default_pipeline}/board")

    async def ticket_list(self, rng: random.Random) -> tuple[str, int, str]:
        query = rng.choice(
            [
                "queue=team&open=true&sort=-priority",
                "queue=mine",
                "queue=breaching",
                "status=resolved&sort=-created_at",
                "q=GD-0001",
            ]
        )
        return await self._get(self.service, f"{API}/tickets?{query}&limit=50")

    async def ticket_detail(self, rng: random.Random) -> tuple[str, int, str]:
        return await self._get(self.service, f"{API}/tickets/{rng.choice(self.s.tickets)}")

    async def ticket_dashboard(self, rng: random.Random) -> tuple[str, int, str]:
        return await self._get(self.service, f"{API}/tickets/dashboard")

    async def ticket_create(self, rng: random.Random) -> tuple[str, int, str]:
        n = next(self.serial)
        body = {
            "requester_name": "浸泡测试客户",
            "requester_phone": f"139{rng.randrange(10**8):08d}",
            "subject": f"浸泡测试工单 {self.run}-{n}",
            "description": "设备运行异响，需要上门检查。",
            "channel": rng.choice(["phone", "email", "wechat"]),
            "type": rng.choice(["question", "repair"]),
            "priority": rng.choice(["low", "normal", "high"]),
        }
        u, code, note, r = await self._call(self.service, "POST", f"{API}/tickets", 201, json=body)
        if r is not None and code == 201:
            self.s.created_tickets.append(r.json()["id"])
        return u, code, note

    async def ticket_update(self, rng: random.Random) -> tuple[str, int, str]:
        if not self.s.created_tickets:
            return await self.ticket_detail(rng)
        tid = rng.choice(self.s.created_tickets)
        body = {"priority": rng.choice(["low", "normal", "high", "urgent"])}
        u, code, note, _ = await self._call(
            self.service, "PATCH", f"{API}/tickets/{tid}", 200, json=body
        )
        return u, code, note

    async def ticket_note(self, rng: random.Random) -> tuple[str, int, str]:
        if not self.s.created_tickets:
            return await self.ticket_detail(rng)
        tid = rng.choice(self.s.created_tickets)
        body = {"visibility": "internal", "body": "已联系客户，约好明天上门。"}
        u, code, note, _ = await self._call(
            self.service, "POST", f"{API}/tickets/{tid}/comments", 201, json=body
        )
        return u, code, note


async def _prepare(base: str) -> tuple[Workload, list[httpx.AsyncClient]]:
    manager = await _client(base, seeding.MANAGER_EMAIL)
    service = await _client(base, SERVICE_EMAIL)
    reps = [await _client(base, email) for email in REPS]
    # without a home pool: the reclaim job (every 30 minutes) never takes them out of scope
    customers = [
        c["id"]
        for c in await _all(manager, f"{API}/customers?sort=-updated_at", 600)
        if c["pool_id"] is None
    ][:400]
    pipelines = [p for p in await _all(manager, f"{API}/pipelines", 50) if p["is_default"]]
    tickets = [t["id"] for t in await _all(service, f"{API}/tickets", 400)]
    pools = [p["id"] for p in await _all(reps[0], f"{API}/pools", 50)]
    # in the pool for longer than any cool-down: nobody gave them up recently
    settled = datetime.now(UTC) - timedelta(days=8)
    claimable: list[str] = []
    for pool in pools:
        claimable += [
            c["id"]
            for c in await _all(reps[0], f"{API}/pools/{pool}/customers", 300)
            if datetime.fromisoformat(c["updated_at"]) < settled
        ]
    for found in (customers, pipelines, tickets, claimable):
        assert found, "the data set is not seeded"
    state = State(
        customers=customers,
        pools=pools,
        default_pipeline=pipelines[0]["id"],
        tickets=tickets,
        claimable=claimable,
    )
    run = datetime.now(UTC).strftime("%H%M%S")
    return Workload(manager, service, reps, state, run), [manager, service, *reps]


async def _drive(
    server: Server, workload: Workload
) -> tuple[list[Sample], list[tuple[float, int]], int]:
    """Open loop at RATE for SECONDS; returns the samples, (time, RSS) every 5 s, and how
    many requests could not start because MAX_IN_FLIGHT were still waiting."""
    rng = random.Random(20_261_201)
    samples: list[Sample] = []
    rss: list[tuple[float, int]] = []
    skipped = 0
    in_flight: set[asyncio.Task[None]] = set()
    started = time.perf_counter()

    async def one(name: str, op: Op, op_rng: random.Random) -> None:
        t0 = time.perf_counter()
        _, code, note = await op(op_rng)
        samples.append(Sample(t0 - started, name, code, (time.perf_counter() - t0) * 1000, note))

    async def watch_memory() -> None:
        while True:
            rss.append((time.perf_counter() - started, server.rss_bytes()))
            await asyncio.sleep(5)

    watcher = asyncio.create_task(watch_memory())
    k = 0
    while True:
        due = started + k / RATE
        if due - started >= SECONDS:
            break
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        name, op = workload.pick(rng)
        if len(in_flight) >= MAX_IN_FLIGHT:
            skipped += 1
        else:
            task = asyncio.create_task(one(name, op, random.Random(rng.random())))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        k += 1
    if in_flight:
        await asyncio.wait(in_flight, timeout=60)
    rss.append((time.perf_counter() - started, server.rss_bytes()))
    watcher.cancel()
    return samples, rss, skipped


def _report(
    samples: list[Sample], rss: list[tuple[float, int]], skipped: int, seconds: float
) -> tuple[str, dict[str, Any]]:
    ok = [s for s in samples if s.status in (200, 201) and not s.note]
    errors = [s for s in samples if s not in ok]
    measured = [s for s in ok if s.at >= WARMUP]
    first = [s.ms for s in measured if s.at < WARMUP + WINDOW]
    last = [s.ms for s in measured if s.at >= SECONDS - WINDOW]
    rss_warm = next(v for t, v in rss if t >= WARMUP)
    rss_end = rss[-1][1]
    growth = (rss_end - rss_warm) / rss_warm
    p95_first, p95_last = _pct(first, 95), _pct(last, 95)
    limit = P95_FACTOR * p95_first + P95_ALLOWANCE_MS
    figures = {
        "requests": len(samples),
        "errors": len(errors),
        "skipped": skipped,
        "rate": len(samples) / seconds,
        "rss_warm_mb": rss_warm / 2**20,
        "rss_end_mb": rss_end / 2**20,
        "rss_growth": growth,
        "p95_first": p95_first,
        "p95_last": p95_last,
        "p95_limit": limit,
    }
    load = os.getloadavg()
    lines = [
        "## Soak",
        "",
        f"`RAPPORT_SOAK_SECONDS={SECONDS:.0f} RAPPORT_SOAK_RATE={RATE:g} "
        "make reliability` (tests/reliability/test_soak.py): `rapport serve` with production "
        "settings (RAPPORT_ENV=production, JSON logs at level info, the job worker in the "
        "server process, one uvicorn worker) on the benchmark data set at scale S "
        "(10k customers, 2k tickets), driven open-loop at a fixed rate over a mixed workload "
        "(customer list/search/detail/timeline/create/update, follow-ups list/create, pool "
        "claim/release by 20 reps in turn, board, tickets list/detail/dashboard/create/update/"
        "note) from an asyncio + httpx client on the same machine.",
        "",
        f"Run at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; load average at the "
        f"end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (other work shared the machine).",
        "",
        "| criterion | required | measured | |",
        "|---|---|---|---|",
        f"| errors (5xx, unexpected 4xx, timeouts; requests the client could not start) "
        f"| 0 | {len(errors)} of {len(samples):,} ({skipped} not started) | "
        f"{'PASS' if not errors and not skipped else 'FAIL'} |",
        f"| server RSS growth, end of warm-up ({WARMUP:.0f} s) → end | < {RSS_GROWTH:.0%} | "
        f"{rss_warm / 2**20:.0f} MB → {rss_end / 2**20:.0f} MB ({growth:+.1%}) | "
        f"{'PASS' if growth < RSS_GROWTH else 'FAIL'} |",
        f"| p95 of the last {WINDOW:.0f} s ≤ {P95_FACTOR} × p95 of the first {WINDOW:.0f} s "
        f"after warm-up + {P95_ALLOWANCE_MS:.0f} ms | ≤ {limit:.1f} ms | {p95_first:.1f} ms → "
        f"{p95_last:.1f} ms | {'PASS' if p95_last <= limit else 'FAIL'} |",
        "",
        f"{len(samples):,} requests in {seconds:.0f} s ({len(samples) / seconds:.1f}/s, "
        f"target {RATE:g}/s). Per minute (all requests; RSS at the minute's end):",
        "",
        "| minute | requests | p50 ms | p95 ms | p99 ms | errors | RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for minute in range(math.ceil(seconds / 60)):
        inside = [s for s in samples if minute * 60 <= s.at < (minute + 1) * 60]
        ms = [s.ms for s in inside if s in ok]
        mem = [v for t, v in rss if t <= (minute + 1) * 60]
        lines.append(
            f"| {minute + 1} | {len(inside)} | {_pct(ms, 50):.1f} | {_pct(ms, 95):.1f} | "
            f"{_pct(ms, 99):.1f} | {sum(1 for s in inside if s not in ok)} | "
            f"{(mem[-1] if mem else 0) / 2**20:.0f} |"
        )
    lines += [
        "",
        "Per request type (after warm-up):",
        "",
        "| request | count | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    by_op: dict[str, list[float]] = {}
    for s in measured:
        by_op.setdefault(s.op, []).append(s.ms)
    for op, values in sorted(by_op.items()):
        lines.append(
            f"| {op} | {len(values)} | {_pct(values, 50):.1f} | {_pct(values, 95):.1f} | "
            f"{_pct(values, 99):.1f} |"
        )
    if errors:
        lines += ["", "Errors (first 10):", ""]
        counts = Counter((s.op, s.status) for s in errors)
        lines += [f"- {op}: {status} × {n}" for (op, status), n in counts.most_common()]
        lines += [f"- {s.op} {s.status}: {s.note}" for s in errors[:10]]
    return "\n".join(lines) + "\n", figures


def test_soak(database_url, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = fresh_database(database_url, "rapport_soak", workspace=False)
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.perf.seed", "--scale", "S", "--database-url", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert seeded.returncode == 0, seeded.stdout[-3000:] + seeded.stderr[-3000:]
    server = Server(url, tmp_path / "server.log")
    server.start()
    try:

        async def go() -> tuple[list[Sample], list[tuple[float, int]], int, float]:
            workload, clients = await _prepare(server.base_url)
            try:
                started = time.perf_counter()
                samples, rss, skipped = await _drive(server, workload)
                return samples, rss, skipped, time.perf_counter() - started
            finally:
                for c in clients:
                    await c.aclose()

        samples, rss, skipped, seconds = asyncio.run(go())
    finally:
        server.stop()
    text, figures = _report(samples, rss, skipped, min(seconds, SECONDS))
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(text)
    print("\n" + text)
    assert figures["errors"] == 0, text
    assert figures["skipped"] == 0, text
    assert figures["rss_growth"] < RSS_GROWTH, text
    assert figures["p95_last"] <= figures["p95_limit"], text
