"""Browser end-to-end: a real `rapport serve`, a real Chromium, the built SPA.

The browser scenarios live in tests/e2e/*.e2e.mjs (Playwright driving Debian's Chromium);
this test prepares a fresh database, starts the server on a free port and runs each spec as
its own test case, named after the file (`-k deal_to_cash` runs deal_to_cash.e2e.mjs only).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import LiveServer, live_server
from tests.webhooks.worker import webhook_worker

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "tests" / "e2e").glob("*.e2e.mjs"))
#: specs that sign in to the demo workspace, loaded once into the server's database for them
DEMO_SPECS = {"dashboard"}
#: the demo's manager of 华东销售部 (app/demo.py PEOPLE), whose dashboard the spec checks
DEMO_MANAGER = "wang.fang@demo.rapport.local"


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


@pytest.fixture(scope="module")
def demo(server: LiveServer) -> str:
    """The demo workspace beside the live one (`rapport demo`); returns the reps' password."""
    from app.demo import REP_PASSWORD

    subprocess.run(
        [sys.executable, "-m", "app.cli", "demo"],
        env={**os.environ, "DATABASE_URL": server.database_url, "RAPPORT_LOG_LEVEL": "warning"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return REP_PASSWORD


def test_browser_scenarios_exist() -> None:
    assert SPECS, "no browser scenarios found in tests/e2e"


@pytest.mark.parametrize("spec", SPECS, ids=[p.name.removesuffix(".e2e.mjs") for p in SPECS])
def test_browser_scenarios(server: LiveServer, spec: Path, request: pytest.FixtureRequest) -> None:
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
    if spec.name.removesuffix(".e2e.mjs") in DEMO_SPECS:
        env["RAPPORT_E2E_DEMO_MANAGER"] = DEMO_MANAGER
        env["RAPPORT_E2E_DEMO_PASSWORD"] = request.getfixturevalue("demo")
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
