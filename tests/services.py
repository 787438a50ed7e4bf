"""Private PostgreSQL and Redis servers for one test session.

The tests that cover PostgreSQL and Redis use them for real, but never a server the tests did
not start: each test session runs its own, from Debian's binaries, in a temporary directory on a
free port of 127.0.0.1, and removes them at the end. ``NEWSMON_TEST_POSTGRES`` (a SQLAlchemy
URL) and ``NEWSMON_TEST_REDIS`` (a redis URL) point the tests at servers of your own instead;
the tests then create and drop their own schemas and key prefixes there.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT_S = 60.0
POSTGRES_ENV = "NEWSMON_TEST_POSTGRES"
REDIS_ENV = "NEWSMON_TEST_REDIS"


def postgres_server_url() -> str:
    """The PostgreSQL the tests use: the private one (or ``NEWSMON_TEST_POSTGRES``)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        raise ServiceError(f"no test PostgreSQL: {POSTGRES_ENV} is not set (tests/conftest.py starts one)")
    return url


def redis_server_url() -> str:
    """The Redis the tests use: the private one (or ``NEWSMON_TEST_REDIS``)."""
    url = os.environ.get(REDIS_ENV)
    if not url:
        raise ServiceError(f"no test Redis: {REDIS_ENV} is not set (tests/conftest.py starts one)")
    return url


class ServiceError(RuntimeError):
    """A private server could not be started; the message says what to install or set."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, name: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceError(f"{name} exited while starting: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise ServiceError(f"{name} did not listen on 127.0.0.1:{port} within {START_TIMEOUT_S:.0f} s")


def _launch(command: list[str], port: int, log: Path, name: str) -> subprocess.Popen[bytes]:
    """Start a server in a session of its own, its output in ``log``; return once it listens (a
    server that does not is killed, not left behind)."""
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for_port(port, process, log, name)
    except ServiceError:
        process.kill()
        process.wait()
        raise
    return process


def _stop(process: subprocess.Popen[bytes] | None, timeout: float) -> None:
    """Wait for a server that was asked to stop; kill it if it does not."""
    if process is None:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise ServiceError(
        "the PostgreSQL server binaries (initdb, postgres) are missing: install Debian's postgresql "
        "(make test does: scripts/system-deps.sh), or set NEWSMON_TEST_POSTGRES to a server of yours"
    )


@dataclass
class PrivatePostgres:
    """``initdb`` + ``postgres`` in a temporary directory; trust auth, database ``test``."""

    port: int = field(default_factory=free_port)
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="newsmon-pg-")))
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/test"

    def _as_owner(self) -> list[str]:
        # initdb and postgres refuse to run as root: run them as the postgres system user.
        if os.geteuid() != 0:
            return []
        runuser = shutil.which("runuser")
        if runuser is None:
            raise ServiceError("running the tests as root needs runuser to start PostgreSQL as postgres")
        return [runuser, "-u", "postgres", "--"]

    def start(self) -> PrivatePostgres:
        binaries = _postgres_bin()
        data = self.directory / "data"
        log = self.directory / "postgres.log"
        if os.geteuid() == 0:
            shutil.chown(self.directory, user="postgres")
            os.chmod(self.directory, 0o700)
        subprocess.run(
            [*self._as_owner(), str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            check=True, capture_output=True,
        )
        self.process = _launch(
            [*self._as_owner(), str(binaries / "postgres"), "-D", str(data), "-p", str(self.port),
             "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.directory}",
             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
             "-c", "max_connections=200"],
            self.port, log, "PostgreSQL",
        )
        self._create_database()
        return self

    def _create_database(self) -> None:
        import psycopg

        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with psycopg.connect(
                    host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
                ) as connection:
                    connection.execute("CREATE DATABASE test")
                    return
            except psycopg.OperationalError:  # still starting up
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            pg_ctl = str(_postgres_bin() / "pg_ctl")
            subprocess.run(
                [*self._as_owner(), pg_ctl, "stop", "-D", str(self.directory / "data"), "-m", "fast", "-w"],
                capture_output=True, timeout=60,
            )
            _stop(self.process, 30)
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class PrivateRedis:
    """``redis-server`` on a free port, keeping nothing on disk."""

    port: int = field(default_factory=free_port)
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="newsmon-redis-")))
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        server = shutil.which("redis-server")
        if server is None:
            raise ServiceError(
                "redis-server is missing: install Debian's redis-server (make test does: "
                "scripts/system-deps.sh), or set NEWSMON_TEST_REDIS to a server of yours"
            )
        self.process = _launch(
            [server, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            self.port, self.directory / "redis.log", "Redis",
        )
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            _stop(self.process, 10)
        shutil.rmtree(self.directory, ignore_errors=True)
