"""A real `rapport serve` process the reliability tests start, kill (SIGKILL), restart and
measure, against a fresh database of its own beside the test database.

Production settings: `RAPPORT_ENV=production`, JSON logs at the default level, the job
worker inside the server process (the default, so imports and jobs run where they run in
production), one uvicorn worker; only the cookies stay usable over plain HTTP on the
loopback (`RAPPORT_COOKIE_SECURE=false`; TLS is a proxy's business).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

from tests.live_server import EMAIL, PASSWORD, _free_port

ROOT = Path(__file__).resolve().parents[2]
RAPPORT = [sys.executable, "-m", "app.cli"]
PRODUCTION = {
    "RAPPORT_ENV": "production",
    "RAPPORT_LOG_JSON": "true",
    "RAPPORT_IN_PROCESS_WORKER": "true",
    "RAPPORT_WORKERS": "1",
    "RAPPORT_COOKIE_SECURE": "false",
}


def fresh_database(test_database_url: str, name: str, *, workspace: bool = True) -> str:
    """Drop and create `name` on the test server, migrate it and (by default) create one
    workspace whose owner is tests.live_server's EMAIL / PASSWORD; returns its URL."""
    base = test_database_url.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    url = f"{base}/{name}"
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([*RAPPORT, "migrate"], env=env, check=True, cwd=ROOT, capture_output=True)
    if workspace:
        subprocess.run(
            [
                *RAPPORT,
                "create-workspace",
                "Reliability 公司",
                "--email",
                EMAIL,
                "--password",
                PASSWORD,
                "--owner-name",
                "Reliability Owner",
            ],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
    return url


@dataclass
class Server:
    database_url: str
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=_free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> None:
        env = {
            **os.environ,
            **PRODUCTION,
            "DATABASE_URL": self.database_url,
            **self.env,
        }
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [*RAPPORT, "serve", "--port", str(self.port)],
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.base_url + "/readyz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{self.tail()}")
            time.sleep(0.3)

    def kill(self) -> None:
        """kill -9: no shutdown of any kind."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def rss_bytes(self) -> int:
        """Resident memory of the server process (VmRSS)."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")

    def tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


def signed_in(base_url: str, email: str = EMAIL, password: str = PASSWORD) -> httpx.Client:
    """A client with the session cookie and the CSRF header of a fresh sign-in."""
    client = httpx.Client(base_url=base_url, timeout=120)
    r = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    r.raise_for_status()
    client.headers["X-CSRF-Token"] = client.cookies["rapport_csrf"]
    return client
