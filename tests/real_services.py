"""Real services for the tests that need them: a throwaway Redis server and Celery worker processes.

Shared by the integration tests (tests/integration) and the browser tests (tests/e2e). The worker
processes use the test database, so these tests need PostgreSQL (a second process cannot see
SQLite's in-memory test database) and commit for real (`transactional_db`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from execgap.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]

NEEDS_POSTGRESQL = (
    "needs PostgreSQL: a worker process cannot share an in-memory test database (run `make test`)"
)


# Loaded now: the child of a fork must not import anything (another thread may hold the import lock).
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before it runs: Linux sends it SIGTERM when the test process dies, even by SIGKILL,
    so that no worker or Redis outlives a test run that was killed."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


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
            preexec_fn=_die_with_parent,
        )
        wait_for(self._answers, timeout=10, what="redis-server to accept connections")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def kill(self) -> None:
        """Kill the server outright (SIGKILL), as a crash would: every connection drops, nothing is saved."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def flush(self) -> None:
        """Forget every key (queued jobs, locks, cached scores): each test starts from an empty Redis."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
            conn.sendall(b"FLUSHALL\r\n")
            conn.recv(16)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextlib.contextmanager
def redis_server_running() -> Iterator[RedisServer]:
    server = RedisServer(port=free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def database_url() -> str:
    """The URL of the test database this process uses, for the worker processes."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_environment(redis_url: str) -> dict[str, str]:
    """The environment of a worker process: this one's, on the test database and the given Redis."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "EXECGAP_SCORES_SWEEP_GRACE_SECONDS": "0",
    }
    # Only the test process runs Django beside an event loop (the browser driver's); the worker must not.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


@dataclass
class Worker:
    """One `celery worker` process on the test database and the throwaway Redis.

    `as_deployed`: with gossip, mingle and heartbeats, as docker-compose.yml runs it (the tests leave
    them out otherwise: quicker to start). `store_delay`: its recomputes stop that many seconds in the
    middle of storing a snapshot, saying STORING in the log first (`tests.integration.slow_worker`).
    """

    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = field(default=None)
    as_deployed: bool = False
    store_delay: float = 0

    def start(self) -> None:
        self.log.write_text("")
        program = ["-m", "tests.integration.slow_worker"] if self.store_delay else ["-m", "celery"]
        options = [] if self.as_deployed else ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        env = {**self.env, "EXECGAP_TEST_STORE_DELAY": str(self.store_delay)}
        with self.log.open("ab") as handle:
            self.process = subprocess.Popen(
                [sys.executable, *program, "-A", "execgap", "worker", "--loglevel=INFO",
                 "--concurrency=1", "--pool=prefork", f"--queues=celery,{settings.OUTBOUND_QUEUE}", *options],
                cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=_die_with_parent,
            )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while not self._ready_or_gone() and time.monotonic() < deadline:
                time.sleep(0.1)
        except BaseException:  # interrupted: leave no worker behind
            self.kill()
            raise
        if self.process is None or self.process.poll() is not None or not self._ready_or_gone():
            self.kill()
            tail = "\n".join(self.log.read_text().splitlines()[-15:])
            pytest.fail(f"the Celery worker did not start within 30 s; the end of its log:\n{tail}")

    def _ready_or_gone(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            return True  # it has exited: no use waiting
        return "ready." in self.log.read_text()

    def kill(self) -> None:
        """Kill the worker and its pool at once (SIGKILL to the process group), as a crash would."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
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


@dataclass
class Beat:
    """One `celery beat` process (the database scheduler, as deployed) on the test database and Redis."""

    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = field(default=None)

    def start(self) -> None:
        self.log.write_text("")
        with self.log.open("ab") as handle:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "execgap", "beat", "--loglevel=INFO",
                 "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"],
                cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=_die_with_parent,
            )  # fmt: skip
        wait_for(lambda: "beat: Starting" in self.log.read_text(), timeout=30, what="celery beat to start")

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None


@contextlib.contextmanager
def celery_on(redis_url: str) -> Iterator[None]:
    """This process sends its Celery tasks to the given Redis (not in-process), until the block ends."""
    keys = ("broker_url", "result_backend", "task_always_eager")
    saved = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    forget_broker_connections()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        forget_broker_connections()


def redis_cache_settings(redis_url: str) -> dict[str, Any]:
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}


def forget_broker_connections() -> None:
    """Make this process connect anew to the (changed) broker and result store, as Celery does after a
    fork. The result backend is kept per app, or per thread (the live server's thread outlives a test
    module): a module's backend would otherwise go on listening to the Redis of the module before it,
    stopped since, until Celery gives up on it ("Retry limit exceeded ... result store")."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local = threading.local()
