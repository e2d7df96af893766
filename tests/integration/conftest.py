"""Real services for the integration tests: a Redis server and Celery worker processes.

The worker processes use the test database (PostgreSQL: a second process cannot see SQLite's
in-memory test database), so these tests use `transactional_db` and commit for real.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from execgap.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def _needs_postgresql(request: pytest.FixtureRequest) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: a worker process cannot share an in-memory test database (run `make test`)"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], Any], *, timeout: float, what: str, interval: float = 0.1) -> Any:
    """Poll `condition` until it returns something truthy; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


@dataclass
class RedisServer:
    """A throwaway redis-server that a test may stop and start again (same port, no persistence)."""

    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (the test command installs it)")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="redis-server to accept connections")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer(port=free_port())
    server.start()
    yield server
    server.stop()


def database_url() -> str:
    """The URL of the test database this process uses, for the worker processes."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Worker:
    """One `celery worker` process on the test database and the throwaway Redis."""

    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = field(default=None)

    def start(self) -> None:
        self.log.write_text("")
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "execgap", "worker", "--loglevel=INFO", "--concurrency=1",
             "--pool=prefork", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: "ready." in self.log.read_text(), timeout=30, what="the Celery worker to be ready")

    def kill(self) -> None:
        """Kill the worker and its pool at once (SIGKILL to the process group), as a crash would."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


@pytest.fixture
def celery_stack(
    redis_server: RedisServer, transactional_db: None, settings: Any, tmp_path: Path
) -> Iterator[Worker]:
    """This process and one worker process, both on the throwaway Redis and the test database."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_server.url}
    }
    settings.EXECGAP_SCORES_SWEEP_GRACE_SECONDS = 0
    saved = {key: celery_app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    celery_app.conf.update(
        broker_url=redis_server.url, result_backend=redis_server.url, task_always_eager=False
    )
    _forget_broker_connections()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_server.url,
        "EXECGAP_SCORES_SWEEP_GRACE_SECONDS": "0",
    }
    worker = Worker(env=env, log=tmp_path / "worker.log")
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        celery_app.conf.update(saved)
        _forget_broker_connections()


def _forget_broker_connections() -> None:
    """Make this process connect anew to the (changed) broker, as Celery does after a fork."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
