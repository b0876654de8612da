"""A real `rapport serve` on a free port against its own fresh database, for the browser
and contract-fuzzing tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
EMAIL = "live-owner@example.com"
PASSWORD = "live-password-1"


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    email: str
    password: str
    database_url: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(test_database_url: str, name: str) -> Iterator[LiveServer]:
    """Fresh database `name` beside the test database, migrated, one workspace, a server."""
    base = test_database_url.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    url = f"{base}/{name}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "RAPPORT_LOG_LEVEL": "warning",
        "RAPPORT_IN_PROCESS_WORKER": "false",
        # webhook receivers in tests listen on 127.0.0.1
        "RAPPORT_WEBHOOKS_ALLOW_PRIVATE": "true",
    }
    rapport = [sys.executable, "-m", "app.cli"]
    subprocess.run([*rapport, "migrate"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run(
        [
            *rapport,
            "create-workspace",
            "Live 公司",
            "--email",
            EMAIL,
            "--password",
            PASSWORD,
            "--owner-name",
            "Live Owner",
        ],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    port = _free_port()
    logs = ROOT / ".rapport"
    logs.mkdir(exist_ok=True)
    log_path = logs / f"{name}-server.log"
    with open(log_path, "w") as out:
        proc = subprocess.Popen(
            [*rapport, "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(base_url + "/readyz", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text()[-3000:])
                time.sleep(0.3)
            yield LiveServer(base_url, EMAIL, PASSWORD, url)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
