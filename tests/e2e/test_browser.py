"""Browser end-to-end: a real `rapport serve`, a real Chromium, the built SPA.

The browser scenarios live in tests/e2e/*.e2e.mjs (Playwright driving Debian's Chromium);
this test prepares a fresh database, starts the server on a free port and runs them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
E2E_DB = "rapport_e2e"
EMAIL = "e2e-owner@example.com"
PASSWORD = "e2e-password-1"


def _chromium() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[str]:
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {E2E_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {E2E_DB}")
    url = database_url.rsplit("/", 1)[0] + f"/{E2E_DB}"
    env = {**os.environ, "DATABASE_URL": url, "RAPPORT_LOG_LEVEL": "warning"}
    rapport = [sys.executable, "-m", "app.cli"]
    subprocess.run([*rapport, "migrate"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run(
        [
            *rapport,
            "create-workspace",
            "E2E 公司",
            "--email",
            EMAIL,
            "--password",
            PASSWORD,
            "--owner-name",
            "E2E Owner",
        ],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    port = _free_port()
    log = (ROOT / ".rapport").resolve()
    log.mkdir(exist_ok=True)
    with open(log / "e2e-server.log", "w") as out:
        proc = subprocess.Popen(
            [*rapport, "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(base + "/readyz", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((log / "e2e-server.log").read_text()[-3000:])
                time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def test_browser_scenarios(server: str) -> None:
    chromium = _chromium()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required for the browser tests in CI (set CHROMIUM_PATH)")
        pytest.skip("Chromium not installed; install Debian's chromium to run browser tests")
    env = {
        **os.environ,
        "RAPPORT_E2E_BASE_URL": server,
        "RAPPORT_E2E_EMAIL": EMAIL,
        "RAPPORT_E2E_PASSWORD": PASSWORD,
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
