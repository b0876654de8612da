"""Schemathesis against the committed contract, on a real server with a signed-in key:
no 5xx, and every response (status, content type, body) matches openapi/openapi.json."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.live_server import LiveServer, live_server

ROOT = Path(__file__).resolve().parents[1]
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance"
)


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[LiveServer]:
    with live_server(database_url, "rapport_fuzz") as live:
        yield live


def _api_key(server: LiveServer) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = urllib.request.Request(
        server.base_url + "/api/v1/auth/login",
        method="POST",
        data=json.dumps({"email": server.email, "password": server.password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    opener.open(login).read()
    csrf = next(c.value for c in jar if c.name == "rapport_csrf")
    create = urllib.request.Request(
        server.base_url + "/api/v1/api-keys",
        method="POST",
        data=json.dumps({"name": "fuzz", "scopes": ["*"]}).encode(),
        headers={"Content-Type": "application/json", "X-CSRF-Token": csrf},
    )
    # the contract is under test here, not the rate limiter (tests/integrations is)
    limits = {b: {"limit": 1_000_000, "window_seconds": 60} for b in ("read", "write", "batch")}
    lift = urllib.request.Request(
        server.base_url + "/api/v1/settings/rate-limits",
        method="PATCH",
        data=json.dumps(limits).encode(),
        headers={"Content-Type": "application/json", "X-CSRF-Token": csrf},
    )
    opener.open(lift).read()
    return str(json.loads(opener.open(create).read())["key"])


def test_contract_holds_under_generated_requests(server: LiveServer) -> None:
    key = _api_key(server)
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "st"),
            "run",
            str(ROOT / "openapi" / "openapi.json"),
            "--url",
            server.base_url,
            "-H",
            f"Authorization: Bearer {key}",
            "--checks",
            CHECKS,
            "--max-examples",
            "3",
            "--seed",
            "20261130",
            "--phases",
            "examples,coverage,fuzzing",
            "--exclude-path",
            "/readyz",
            "--exclude-path",
            "/metrics",
            # fuzzed limits would throttle the rest of the run
            "--exclude-path",
            "/api/v1/settings/rate-limits",
            "--request-timeout",
            "10",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    summary = result.stdout[result.stdout.find("SUMMARY") :] if "SUMMARY" in result.stdout else ""
    print(summary)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
