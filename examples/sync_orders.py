"""Sync a shop's orders into Rapport CRM with batch upserts — a scripted client example.

Reads a CSV export of shop orders (one row per order line), groups the lines by order and
sends them to `POST /api/v1/orders/batch/upsert` in batches of up to 1,000 orders. Each
batch carries an `Idempotency-Key` derived from its content, so a retry after a timeout
never records anything twice; a 429 is retried after its `Retry-After`. Orders are keyed by
(source, order id): running the sync again updates what changed and leaves the rest alone.
Items the server refuses are printed with their field errors; the others are written.

It also shows how a webhook receiver checks Rapport's Standard Webhooks signature
(`verify_webhook`), with nothing but the standard library.

Usage:
    python sync_orders.py orders.csv --base-url http://127.0.0.1:8000 \
        --api-key rpk_... --source myshop

Needs `httpx` (pip install httpx). The API key needs the `orders:write` scope.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import hmac
import json
import sys
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import httpx

BATCH_SIZE = 1000
MAX_ATTEMPTS = 5


# --- reading the export ------------------------------------------------------------------


def read_orders(path: str, source: str) -> list[dict[str, Any]]:
    """Orders as the upsert API takes them, one per order id, lines in file order."""
    orders: dict[str, dict[str, Any]] = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            order = orders.get(row["order_id"])
            if order is None:
                order = orders[row["order_id"]] = {
                    "external_source": source,
                    "external_id": row["order_id"],
                    "order_number": row["order_number"],
                    "ordered_at": row["ordered_at"],
                    "status": row["status"] or "paid",
                    "channel": row["channel"],
                    "currency": row["currency"] or "CNY",
                    "items": [],
                }
                # buyer fields: Rapport matches the customer by buyer id, phone, then e-mail
                for field, column in (
                    ("customer_external_id", "buyer_id"),
                    ("customer_name", "buyer_name"),
                    ("customer_phone", "buyer_phone"),
                    ("customer_email", "buyer_email"),
                ):
                    if row[column]:
                        order[field] = row[column]
            order["items"].append(
                {
                    "sku": row["sku"] or None,
                    "name": row["item_name"],
                    "quantity": row["quantity"],
                    "unit_price": row["unit_price"],
                }
            )
    return list(orders.values())


def batches(items: list[dict[str, Any]], size: int = BATCH_SIZE) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- sending -----------------------------------------------------------------------------


def idempotency_key(run: str, body: bytes) -> str:
    """One key per batch of one run: a retried request is answered from the first attempt
    (nothing written twice); the next run sends its batches afresh."""
    return f"sync-orders-{run}-{hashlib.sha256(body).hexdigest()[:32]}"


def send_batch(client: httpx.Client, run: str, orders: list[dict[str, Any]]) -> dict[str, Any]:
    body = json.dumps({"items": orders}, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": idempotency_key(run, body)}
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            r = client.post("/api/v1/orders/batch/upsert", content=body, headers=headers)
        except httpx.TransportError:
            if attempt == MAX_ATTEMPTS:
                raise
            time.sleep(2**attempt)
            continue
        if r.status_code == 429 or r.status_code == 409:
            # rate limited, or our own earlier attempt still in flight: wait and resend
            time.sleep(float(r.headers.get("Retry-After", 2**attempt)))
            continue
        if r.status_code >= 400:
            problem = r.json()
            code, detail = problem.get("code"), problem.get("detail")
            raise SystemExit(f"batch refused: {r.status_code} {code}: {detail}")
        result: dict[str, Any] = r.json()
        return result
    raise SystemExit("batch not accepted after retries")


def sync(client: httpx.Client, orders: list[dict[str, Any]], out: Any = sys.stdout) -> int:
    """Send every order; print per-item errors; return how many failed."""
    totals = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
    run = uuid.uuid4().hex[:12]
    for chunk in batches(orders):
        result = send_batch(client, run, chunk)
        for name in totals:
            totals[name] += result[name]
        for item in result["items"]:
            if item["code"]:
                order = chunk[item["index"]]
                print(f"order {order['external_id']}: {item['code']}: {item['detail']}", file=out)
                for error in item["errors"]:
                    print(f"    {error['field']}: {error['message']}", file=out)
    print(
        "synced {n} orders: {created} created, {updated} updated, {unchanged} unchanged, "
        "{failed} failed".format(n=len(orders), **totals),
        file=out,
    )
    return totals["failed"]


# --- webhooks ----------------------------------------------------------------------------


def verify_webhook(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    tolerance: int = 300,
    now: float | None = None,
) -> bool:
    """True when a webhook request is signed with `secret` (Standard Webhooks).

    The signature is base64(HMAC-SHA256(key, f"{webhook-id}.{webhook-timestamp}.{body}"))
    where the key is the base64 part of the `whsec_...` secret; `webhook-signature` holds
    one or more space-separated `v1,<signature>` entries (several during a secret
    rotation). Requests older or newer than `tolerance` seconds are refused (replays).
    """
    lower = {k.lower(): v for k, v in headers.items()}
    msg_id = lower.get("webhook-id")
    timestamp = lower.get("webhook-timestamp")
    signatures = lower.get("webhook-signature")
    if not msg_id or not timestamp or not signatures:
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        version == "v1" and hmac.compare_digest(expected, value)
        for version, _, value in (entry.partition(",") for entry in signatures.split())
    )


# --- command line ------------------------------------------------------------------------


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", help="the shop's order export")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--api-key", required=True, help="rpk_... with orders:write")
    parser.add_argument("--source", default="shop", help="name of the shop system")
    args = parser.parse_args(list(argv) if argv is not None else None)
    orders = read_orders(args.csv, args.source)
    with httpx.Client(
        base_url=args.base_url,
        headers={"Authorization": f"Bearer {args.api_key}"},
        timeout=60,
    ) as client:
        failed = sync(client, orders)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
