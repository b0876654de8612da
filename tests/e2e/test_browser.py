"""Browser end-to-end: a real `rapport serve`, a real Chromium, the built SPA.

The browser scenarios live in tests/e2e/*.e2e.mjs (Playwright driving Debian's Chromium);
this test prepares a fresh database, starts the server on a free port and runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import LiveServer, live_server

ROOT = Path(__file__).resolve().parents[2]


def _chromium() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[LiveServer]:
    with live_server(database_url, "rapport_e2e") as live:
        yield live


def test_browser_scenarios(server: LiveServer) -> None:
    chromium = _chromium()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required for the browser tests in CI (set CHROMIUM_PATH)")
        pytest.skip("Chromium not installed; install Debian's chromium to run browser tests")
    env = {
        **os.environ,
        "RAPPORT_E2E_BASE_URL": server.base_url,
        "RAPPORT_E2E_EMAIL": server.email,
        "RAPPORT_E2E_PASSWORD": server.password,
        "CHROMIUM_PATH": chromium,
    }
    scripts = sorted(str(p) for p in (ROOT / "tests" / "e2e").glob("*.e2e.mjs"))
    assert scripts, "no browser scenarios found in tests/e2e"
    result = subprocess.run(
        ["node", "--test", *scripts], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    print(result.stdout[-5000:])
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert "# fail 0" in result.stdout
