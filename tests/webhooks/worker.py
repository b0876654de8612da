"""A real `rapport worker` process on the webhooks queue, for the crash test and the
browser test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def webhook_worker(database_url: str, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`rapport worker --queue webhooks` against `database_url`, loopback targets allowed."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "RAPPORT_WEBHOOKS_ALLOW_PRIVATE": "true",
        "RAPPORT_LOG_LEVEL": "warning",
    }
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "worker", "--queue", "webhooks"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
