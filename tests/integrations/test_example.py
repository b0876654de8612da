"""The scripted example client (examples/sync_orders.py) against a real server."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from standardwebhooks import Webhook

from tests.live_server import LiveServer, live_server

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "sync_orders.py"


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sync_orders", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[LiveServer]:
    with live_server(database_url, "rapport_example") as live:
        yield live


def _api_key(server: LiveServer) -> str:
    with httpx.Client(base_url=server.base_url) as client:
        r = client.post(
            "/api/v1/auth/login", json={"email": server.email, "password": server.password}
        )
        r.raise_for_status()
        r = client.post(
            "/api/v1/api-keys",
            json={"name": "shop sync", "scopes": ["orders:write"]},
            headers={"X-CSRF-Token": client.cookies["rapport_csrf"]},
        )
        r.raise_for_status()
        return str(r.json()["key"])


def _run(server: LiveServer, key: str, csv: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            str(csv),
            "--base-url",
            server.base_url,
            "--api-key",
            key,
            "--source",
            "tmall-shop",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_example_syncs_the_csv_and_a_rerun_changes_nothing(
    server: LiveServer, tmp_path: Path
) -> None:
    key = _api_key(server)
    first = _run(server, key, ROOT / "examples" / "orders.csv")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "synced 5 orders: 5 created, 0 updated, 0 unchanged, 0 failed" in first.stdout
    with httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}
    ) as client:
        orders = client.get("/api/v1/orders", params={"limit": 50}).json()["data"]
    by_id = {o["external_id"]: o for o in orders if o["external_source"] == "tmall-shop"}
    assert set(by_id) == {
        "T-20260301-001",
        "T-20260301-002",
        "J-20260302-001",
        "W-20260302-001",
        "W-20260303-001",
    }
    first_order = by_id["T-20260301-001"]
    assert first_order["amount"] == "575.00"  # 2 × 268.00 + 39.00
    assert [i["name"] for i in first_order["items"]] == ["明前龙井 250g", "玻璃茶杯"]
    assert by_id["W-20260303-001"]["status"] == "refunded"

    again = _run(server, key, ROOT / "examples" / "orders.csv")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "0 created, 0 updated, 5 unchanged, 0 failed" in again.stdout

    # a bad row is reported with its field, the good ones are still written
    bad = tmp_path / "bad.csv"
    lines = (ROOT / "examples" / "orders.csv").read_text(encoding="utf-8").splitlines()
    bad.write_text(
        "\n".join(
            [
                lines[0],
                lines[3].replace("T-20260301-002", "T-NEW-1"),
                lines[3].replace("T-20260301-002", "T-NEW-2").replace("2026-03-01T10:40", "soon"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    partial = _run(server, key, bad)
    assert partial.returncode == 1
    assert "order T-NEW-2: validation_error" in partial.stdout
    assert "body.items.1.ordered_at" in partial.stdout
    assert "1 created, 0 updated, 0 unchanged, 1 failed" in partial.stdout


def test_webhook_verification_agrees_with_the_reference_library() -> None:
    example = _example()
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = '{"type":"order.created","data":{"id":"0193"}}'
    sent = datetime.now(UTC)
    signature = Webhook(secret).sign("msg_1", sent, body)
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(sent.timestamp())),
        "webhook-signature": f"v1,bm90IHRoaXMgb25l {signature}",
    }
    assert example.verify_webhook(secret, headers, body.encode())
    # the reference library accepts what ours accepts
    Webhook(secret).verify(body, headers)
    assert not example.verify_webhook(secret, headers, body.replace("0193", "0194").encode())
    assert not example.verify_webhook("whsec_" + "A" * 32, headers, body.encode())
    stale = time.time() + 3600
    assert not example.verify_webhook(secret, headers, body.encode(), now=stale)
    assert not example.verify_webhook(secret, {}, body.encode())
