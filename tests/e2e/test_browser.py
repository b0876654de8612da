"""Browser end-to-end: a real `rapport serve`, a real Chromium, the built SPA.

The browser scenarios live in tests/e2e/*.e2e.mjs (Playwright driving Debian's Chromium);
this test prepares a fresh database, starts the server on a free port and runs each spec as
its own test case, named after the file (`-k deal_to_cash` runs deal_to_cash.e2e.mjs only).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import LiveServer, live_server
from tests.webhooks.worker import webhook_worker

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "tests" / "e2e").glob("*.e2e.mjs"))


def _chromium() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[LiveServer]:
    with (
        live_server(database_url, "rapport_e2e") as live,
        webhook_worker(live.database_url, ROOT / ".rapport" / "rapport_e2e-worker.log"),
    ):
        yield live


def test_browser_scenarios_exist() -> None:
    assert SPECS, "no browser scenarios found in tests/e2e"


@pytest.mark.parametrize("spec", SPECS, ids=[p.name.removesuffix(".e2e.mjs") for p in SPECS])
def test_browser_scenarios(server: LiveServer, spec: Path) -> None:
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
    result = subprocess.run(
        ["node", "--test", str(spec)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(result.stdout[-5000:])
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert "# fail 0" in result.stdout
