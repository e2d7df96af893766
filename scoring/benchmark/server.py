"""gunicorn serving ExecGap for the benchmark, as production serves it, and its workers' memory.

The server runs with the production settings file (`execgap/gunicorn_config.py`: gthread workers,
their timeouts, keep-alive, max-requests) and 2 workers on a free port of 127.0.0.1, in its own
process group, on this process's database and Redis (DATABASE_URL, REDIS_URL). Its workers are the
master's children; their memory is read from /proc (`VmRSS`: resident now, `VmHWM`: the most ever
resident), by a `MemoryWatch` thread while the server serves.

    with gunicorn_server() as server, MemoryWatch(server) as watch:
        get(server.base_url + "/o/acme/")
        server.restart()  # fresh workers (after a request that never answered)
    watch.memory.final_rss_kib
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Self

WORKERS = 2
CONFIG = "python:execgap.gunicorn_config"
SERVER_READY_SECONDS = 60.0
SERVER_STOP_SECONDS = 20.0
MEMORY_SAMPLE_SECONDS = 0.2


class ServerError(RuntimeError):
    """gunicorn did not start, or does not answer as ExecGap should."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment() -> dict[str, str]:
    """This process's environment (DATABASE_URL, REDIS_URL, the secret key...), served directly on
    127.0.0.1: no TLS redirect, no proxy in front, throttles off (they would refuse a load test)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "execgap.settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_NUM_PROXIES": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "EXECGAP_THROTTLE_USER": "off",
        "EXECGAP_THROTTLE_ANON": "off",
    }


class Server:
    """One gunicorn master (and its workers) on a port of 127.0.0.1; `restart` replaces them all."""

    def __init__(self, *, workers: int = WORKERS, log: Path | None = None) -> None:
        self.workers = workers
        self.log = log
        self.restarts = 0
        self.base_url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._handle: IO[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def worker_pids(self) -> list[int]:
        return children_of(self.pid) if self.pid else []

    def start(self) -> None:
        from django.conf import settings

        port = free_port()
        self._handle = self.log.open("ab") if self.log else None
        self._process = subprocess.Popen(  # noqa: S603  # this interpreter, running gunicorn
            [
                sys.executable, "-m", "gunicorn", f"--config={CONFIG}", "execgap.wsgi:application",
                f"--bind=127.0.0.1:{port}", f"--workers={self.workers}", "--log-level=warning",
                "--access-logfile=/dev/null",  # the benchmark counts requests itself
            ],
            cwd=settings.BASE_DIR, env=server_environment(), stdout=self._handle or subprocess.DEVNULL,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.base_url = f"http://127.0.0.1:{port}"
        try:
            self._wait_until_serving()
        except BaseException:
            self.stop()
            raise

    def stop(self, *, quick: bool = False) -> None:
        """Stop the master and its workers: gracefully (requests in flight finish, within gunicorn's
        graceful_timeout), or at once with `quick` (gunicorn's QUIT)."""
        process, self._process = self._process, None
        if process is not None:
            os.killpg(process.pid, signal.SIGQUIT if quick else signal.SIGTERM)
            try:
                process.wait(timeout=SERVER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def restart(self) -> None:
        """Stop every worker at once (a request that never answered may still be running in one) and
        start a fresh server, on a new port: `base_url` changes."""
        self.stop(quick=True)
        self.start()
        self.restarts += 1

    def _wait_until_serving(self) -> None:
        import http.client

        deadline = time.monotonic() + SERVER_READY_SECONDS
        while time.monotonic() < deadline:
            process = self._process
            if process is None or process.poll() is not None:
                code = process.returncode if process else None
                raise ServerError(f"gunicorn exited with {code} before serving.")
            connection = http.client.HTTPConnection(self.base_url.removeprefix("http://"), timeout=30)
            try:
                connection.request("GET", "/api/v1/orgs/")
                status = connection.getresponse().status
            except OSError:
                time.sleep(0.1)
                continue
            finally:
                connection.close()
            if status in (200, 401, 403):
                return
            raise ServerError(f"gunicorn answers {status} on /api/v1/orgs/: is its environment right?")
        raise ServerError(f"gunicorn did not serve within {SERVER_READY_SECONDS:.0f} s.")


@contextmanager
def gunicorn_server(*, workers: int = WORKERS, log: Path | None = None) -> Iterator[Server]:
    """A started `Server`, stopped (workers and all) when the block ends, whatever happens."""
    server = Server(workers=workers, log=log)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc/<n>/stat: the field after the command's
    closing parenthesis is the state, then the parent's id)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            children.append(int(entry.name))
    return sorted(children)


def memory_kib(pid: int) -> tuple[int, int] | None:
    """(VmRSS, VmHWM) of a process in KiB, from /proc/<pid>/status; None once it has ended."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    values = {}
    for line in lines:
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(value.split()[0])
    if len(values) < 2:  # a zombie has no memory left to read
        return None
    return values["VmRSS"], values["VmHWM"]


@dataclass
class WorkerMemory:
    """The workers' memory over one run: each worker's latest VmRSS and its highest VmHWM (KiB)."""

    rss_kib: dict[int, int] = field(default_factory=dict)
    peak_kib: dict[int, int] = field(default_factory=dict)
    final_pids: list[int] = field(default_factory=list)  # the workers alive at the end
    restarts: int = 0  # the server restarted by the benchmark (after a timeout)

    @property
    def final_rss_kib(self) -> int:
        """The largest VmRSS among the workers alive at the end: after serving every page."""
        return max((self.rss_kib.get(pid, 0) for pid in self.final_pids), default=0)

    @property
    def highest_kib(self) -> int:
        """The most any worker ever held, including workers replaced during the run."""
        return max(self.peak_kib.values(), default=0)

    @property
    def replaced(self) -> int:
        """Workers seen during the run that were gone at the end (restarted by gunicorn or by us)."""
        return len(set(self.peak_kib) - set(self.final_pids))


class MemoryWatch:
    """Samples the server's workers' memory every MEMORY_SAMPLE_SECONDS on a thread, following the
    server across restarts; `memory` holds the readings, final once the block has ended."""

    def __init__(self, server: Server, *, interval: float = MEMORY_SAMPLE_SECONDS) -> None:
        self.server, self.interval = server, interval
        self.memory = WorkerMemory()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-memory", daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.memory.final_pids = self.sample()
        self.memory.restarts = self.server.restarts

    def sample(self) -> list[int]:
        """Read every worker's memory now; returns the workers read."""
        read = []
        for pid in self.server.worker_pids():
            reading = memory_kib(pid)
            if reading is None:
                continue
            rss, peak = reading
            self.memory.rss_kib[pid] = rss
            self.memory.peak_kib[pid] = max(peak, self.memory.peak_kib.get(pid, 0))
            read.append(pid)
        return read

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()
