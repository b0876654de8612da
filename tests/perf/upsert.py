"""Batch upsert throughput: items per second through `POST /{resource}/batch/upsert`.

    python -m tests.perf.upsert [--batches 20] [--size 1000] [--clients 1] [--database-url URL]

Starts `rapport serve` (production-like: one worker, warning logs, no in-process worker)
on a fresh database `rapport_upsert_bench` beside the benchmark database, signs in, makes
an API key and drives it from `--clients` clients (threads, each with its own connection),
each sending its share of the batches one after another (closed loop):

- orders: `--batches` batches of `--size` new orders (each with one line and a buyer phone
  and e-mail to match among 1,000 customers), then the same orders again with a changed
  status (every item an update);
- customers: `--batches` batches of `--size` new customers under the Customers 360
  duplicate policy, 4 % of them duplicates of existing customers or of an earlier item of
  the same batch (`_customers`: 2 % per 100 refused, shown as failed).

Sustained throughput = items / wall time of the phase, measured at the client (JSON
encoding, HTTP, validation, writes, audit rows and outbox events, commit, response).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg

from app.customers.normalize import _CODE_CHARS, _CODE_WEIGHTS
from tests.live_server import live_server
from tests.perf import seed as seeding

DB = "rapport_upsert_bench"


def lift_rate_limits(url: str, workspace_id: str) -> None:
    """Benchmarks measure endpoints, not refusals: the workspace's limits go out of the way
    (every request is still counted, so the limiter's cost stays in the figures)."""
    limits = {b: {"limit": 10_000_000, "window_seconds": 60} for b in ("read", "write", "batch")}
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.workspace_id', %s, false)", (workspace_id,))
        conn.execute(
            "UPDATE workspaces SET settings = settings || jsonb_build_object('rate_limits', "
            "%s::jsonb) WHERE id = %s",
            (json.dumps(limits), workspace_id),
        )


def _orders(start: int, size: int, status: str) -> list[dict[str, Any]]:
    base = datetime(2026, 3, 1, tzinfo=UTC)
    return [
        {
            "external_source": "bench-shop",
            "external_id": f"O-{n}",
            "order_number": f"BS{n:08d}",
            "channel": "tmall",
            "status": status,
            "ordered_at": (base + timedelta(minutes=n)).isoformat(),
            "customer_phone": f"1380000{n % 1000:04d}",
            "customer_email": f"buyer{n % 1000}@bench.example.com",
            "items": [{"sku": "TEA-1", "name": "龙井", "quantity": "2", "unit_price": "49.50"}],
        }
        for n in range(start, start + size)
    ]


def _credit_code(n: int) -> str:
    """A valid unified social credit code (GB 32100-2015 check character) for n."""
    base = f"91{n:015d}"
    total = sum(_CODE_CHARS.index(c) * w for c, w in zip(base, _CODE_WEIGHTS, strict=True))
    return base + _CODE_CHARS[(31 - total % 31) % 31]


def _seed_customers(size: int) -> list[dict[str, Any]]:
    """The buyers orders match (by phone and e-mail) and new customers may duplicate."""
    return [
        {
            "external_source": "bench-erp",
            "external_id": f"C-{n}",
            "name": f"基准客户 Bench customer {n}",
            "phones": [f"1380000{n:04d}"],
            "email": f"buyer{n}@bench.example.com",
            "credit_code": _credit_code(n),
        }
        for n in range(size)
    ]


def _customers(start: int, size: int) -> list[dict[str, Any]]:
    """New customers as an ERP sends them: unique, except 2 % with the phone of an existing
    customer (a shared switchboard: `force`, saved with a warning), 1 % with the credit code
    of an existing one (refused: `duplicate_blocked`) and 1 % with the e-mail of the item
    before them in the same batch (refused without `force`: `duplicate_customer`)."""
    items: list[dict[str, Any]] = []
    for n in range(start, start + size):
        item: dict[str, Any] = {
            "external_source": "bench-erp",
            "external_id": f"C-{n}",
            "name": f"新客户 New customer {n} 有限公司",
            "phones": [f"139{n:08d}"],
            "email": f"contact{n}@customer{n}.example.com",
            "city": "上海",
        }
        # each duplicate names another existing customer
        if n % 50 == 0:
            item.update(phones=[f"1380000{n // 50 % 1000:04d}"], force=True)
        elif n % 100 == 1:
            item["credit_code"] = _credit_code(n // 100 % 1000)
        elif n % 100 == 51:
            item["email"] = items[-1]["email"]
        items.append(item)
    return items


#: items of a `_customers` batch the duplicate policy refuses
REFUSED_PER_100 = 2


def _phase(
    clients: list[httpx.Client], path: str, batches: list[list[dict[str, Any]]]
) -> tuple[int, float, int]:
    """Every batch once, spread over the clients; (items, wall seconds, failed items)."""

    def send(client: httpx.Client, share: list[list[dict[str, Any]]]) -> tuple[int, int]:
        items = failed = 0
        for batch in share:
            r = client.post(path, json={"items": batch}, timeout=300)
            r.raise_for_status()
            items += len(batch)
            failed += r.json()["failed"]
        return items, failed

    shares = [batches[i :: len(clients)] for i in range(len(clients))]
    started = time.perf_counter()
    with ThreadPoolExecutor(len(clients)) as pool:
        done = list(pool.map(send, clients, shares))
    seconds = time.perf_counter() - started
    return sum(i for i, _ in done), seconds, sum(f for _, f in done)


def run(url: str, batches: int, size: int, clients: int = 1) -> str:
    rows: list[str] = []
    with live_server(url, DB) as server:
        owner = server.database_url
        with psycopg.connect(owner) as conn:
            workspace_id = str(conn.execute("SELECT id FROM workspaces").fetchone()[0])  # type: ignore[index]
        lift_rate_limits(owner, workspace_id)
        with httpx.Client(base_url=server.base_url) as web:
            web.post(
                "/api/v1/auth/login", json={"email": server.email, "password": server.password}
            ).raise_for_status()
            key = web.post(
                "/api/v1/api-keys",
                json={"name": "bench", "scopes": ["*"]},
                headers={"X-CSRF-Token": web.cookies["rapport_csrf"]},
            ).json()["key"]
        with contextlib.ExitStack() as stack:
            client = [
                stack.enter_context(
                    httpx.Client(
                        base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}
                    )
                )
                for _ in range(clients)
            ]
            # buyers to match, and a warm-up batch of each resource
            _phase(client[:1], "/api/v1/customers/batch/upsert", [_seed_customers(1000)])
            _phase(client[:1], "/api/v1/orders/batch/upsert", [_orders(10**7, size, "paid")])
            _phase(client[:1], "/api/v1/customers/batch/upsert", [_customers(10**7, size)])
            # the database is minutes old: give the planner the statistics autovacuum would
            # gather by itself shortly, instead of measuring plans made for empty tables
            with psycopg.connect(owner, autocommit=True) as conn:
                conn.execute("ANALYZE")
            plan = [
                ("orders, new", "/api/v1/orders/batch/upsert", "paid"),
                ("orders, all changed", "/api/v1/orders/batch/upsert", "shipped"),
            ]
            for label, path, status in plan:
                work = [_orders(b * size, size, status) for b in range(batches)]
                items, seconds, failed = _phase(client, path, work)
                rows.append(_row(label, size, items, seconds, failed))
            work = [_customers(10_000 + b * size, size) for b in range(batches)]
            items, seconds, failed = _phase(client, "/api/v1/customers/batch/upsert", work)
            rows.append(_row("customers, new (4 % duplicates)", size, items, seconds, failed))
    return "\n".join(
        [
            "| phase | batch size | items | seconds | items/s | failed |",
            "|---|---:|---:|---:|---:|---:|",
            *rows,
        ]
    )


def _row(label: str, size: int, items: int, seconds: float, failed: int) -> str:
    return f"| {label} | {size:,} | {items:,} | {seconds:.1f} | {items / seconds:,.0f} | {failed} |"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.upsert", description=__doc__)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=1, help="concurrent clients")
    parser.add_argument("--database-url", help="owner URL of a database on the server to use")
    args = parser.parse_args(argv)
    url = seeding.bench_database_url(args.database_url)
    print(run(url, args.batches, args.size, args.clients), flush=True)


if __name__ == "__main__":
    main()
