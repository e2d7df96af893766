"""The benchmark reads a gunicorn server's workers and their memory from /proc: the master's children, each
one's resident memory now (VmRSS) and the most it ever held (VmHWM), sampled while the server serves."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from scoring.benchmark.server import MemoryWatch, children_of, gunicorn_server, memory_kib

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's /proc")


@pytest.fixture
def child() -> Iterator[subprocess.Popen[bytes]]:
    """A child process that holds about 50 MiB for a few seconds, then lets it go."""
    code = "import time; block = bytearray(50 * 1024 * 1024); time.sleep(0.6); del block; time.sleep(5)"
    process = subprocess.Popen([sys.executable, "-c", code])  # this interpreter
    time.sleep(0.3)
    yield process
    process.kill()
    process.wait()


class OneWorker:
    """Stands for a server whose only worker is `pid`."""

    restarts = 0

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def worker_pids(self) -> list[int]:
        return [self.pid]


def test_the_children_of_a_process_are_found(child):
    # given a child of this process
    # when this process's children are listed
    # then it is among them, and it has no children of its own
    assert child.pid in children_of(os.getpid())
    assert children_of(child.pid) == []


def test_a_process_memory_is_read_and_none_once_it_ended(child):
    # given a live child holding about 50 MiB
    reading = memory_kib(child.pid)
    # then its resident memory is read, and the most it held is at least that
    assert reading is not None
    rss, peak = reading
    assert rss > 40 * 1024
    assert peak >= rss
    # and once it has ended, there is nothing to read
    child.kill()
    child.wait()
    assert memory_kib(child.pid) is None


def test_the_watch_keeps_the_peak_a_worker_let_go_of(child):
    # given a worker that holds 50 MiB, then frees it, watched meanwhile
    with MemoryWatch(OneWorker(child.pid), interval=0.05) as watch:  # type: ignore[arg-type]
        time.sleep(1.0)
    # then its resident memory after the block is below the most it held, which the watch kept
    memory = watch.memory
    assert memory.final_pids == [child.pid]
    assert memory.highest_kib > 40 * 1024
    assert memory.final_rss_kib < memory.highest_kib
    assert memory.replaced == 0


def test_gunicorn_serves_with_two_workers_and_restarts_them_all(tmp_path):
    # given the benchmark's server: the production settings file, 2 workers
    with gunicorn_server(log=tmp_path / "gunicorn.log") as server:
        first_url, first_workers = server.base_url, server.worker_pids()
        master = server.pid
        assert master is not None
        # when it is restarted (as after a page that never answered)
        server.restart()
        # then a new master on a new port serves with 2 fresh workers, and the old ones are gone
        assert len(first_workers) == 2
        assert server.base_url != first_url
        assert len(server.worker_pids()) == 2
        assert not set(server.worker_pids()) & set(first_workers)
        assert all(memory_kib(pid) is None for pid in [master, *first_workers])
        assert server.restarts == 1
        last = [server.pid, *server.worker_pids()]
    # and once the block ends, nothing of it is left
    assert all(memory_kib(pid) is None for pid in last if pid is not None)
