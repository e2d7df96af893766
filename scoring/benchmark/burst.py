"""Scores kept current by a real Celery worker on Redis: recomputes per burst, commit-to-visible time.

Edits go through the services (`task_update`), each in its own transaction, exactly as the pages
and the API make them: each marks the organization stale and, on commit, asks for a recompute. No
beat runs here, so every recompute counted was asked for by an edit, not by the stale sweep.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max

from execgap.models import Membership, Organization, Role
from objectives.models import Task
from objectives.services import task_update
from scoring.models import ScoreSnapshot
from scoring.recompute import QUIET, SETTLE_RETRY_SECONDS

# An organization counts as settled when it is current and no snapshot has appeared for this long:
# longer than a burst's settling, so a run asked for at the very end would have started by then.
QUIET_SECONDS = QUIET.total_seconds() + SETTLE_RETRY_SECONDS + 2
POLL_SECONDS = 0.01
# How long the scores may take to settle, or to catch up with a burst: ample at 1,000,000 tasks too,
# where a recompute takes about 4 s and a burst costs two, the second at most MAX_SETTLE (60 s) later.
TIMEOUT_SECONDS = 300.0
# How long one edit may take to show in a new snapshot (about one recompute after its commit).
EDIT_VISIBLE_SECONDS = 60.0
WORKER_READY_SECONDS = 60
WORKER_STOP_SECONDS = 45


@dataclass
class BurstResult:
    edits: int = 0
    edit_seconds: float = 0.0  # issuing the edits, one transaction each
    recomputes: int | None = None  # new snapshots once settled (None: the scores never caught up)
    catch_up_seconds: float | None = None  # last edit's commit → the organization current again
    latencies: list[float] = field(default_factory=list)  # commit → a snapshot that reflects it (s)
    notes: list[str] = field(default_factory=list)


@dataclass
class SizeBurst:
    """The Celery measurements on one organization: its task count, and what they found."""

    tasks: int
    result: BurstResult


@contextmanager
def celery_worker(log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A `celery worker` process on this process's database and Redis (DATABASE_URL, REDIS_URL)."""
    handle = log.open("wb")
    process = subprocess.Popen(  # this interpreter, running Celery
        [sys.executable, "-m", "celery", "-A", "execgap", "worker", "--loglevel=INFO", "--concurrency=1",
         "--pool=prefork", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=settings.BASE_DIR, env=os.environ.copy(), stdout=handle, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        ready = _wait(lambda: process.poll() is not None or "ready." in log.read_text(), WORKER_READY_SECONDS)
        if not ready or process.poll() is not None:
            raise RuntimeError(f"The Celery worker did not start; see {log}.")
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        handle.close()


def burst_and_latency(
    organization_id: int, *, edits: int = 1_000, latency_runs: int = 5, timeout: float = TIMEOUT_SECONDS
) -> BurstResult:
    """With a worker running: `latency_runs` single edits (commit → visible), then a burst of `edits`."""
    result = BurstResult()
    actor = benchmark_actor(organization_id)
    tasks = list(Task.objects.for_org(organization_id).order_by("pk")[: max(edits, latency_runs)])
    if not _settled(organization_id, timeout):
        result.notes.append("The organization never settled before the edits (still stale).")
        return result
    for task in tasks[:latency_runs]:
        wait = min(timeout, EDIT_VISIBLE_SECONDS)
        latency = _one_edit_latency(actor, task, timeout=wait)
        if latency is None:
            result.notes.append(
                f"An edit was never reflected in a new snapshot within {wait:.0f} s: no recompute was asked "
                "for (does the services' stale mark request one on commit?). Burst skipped."
            )
            return result
        result.latencies.append(latency)
        _settled(organization_id, timeout)
    before = _snapshots(organization_id)
    started = time.perf_counter()
    for task in tasks[:edits]:
        task_update(actor=actor, task=task, data={"effort_hours": (task.effort_hours or Decimal(0)) + 1})
    last_commit = time.perf_counter()
    result.edits, result.edit_seconds = len(tasks[:edits]), last_commit - started
    if _wait(lambda: _is_current(organization_id), timeout):
        result.catch_up_seconds = time.perf_counter() - last_commit
        _settled(organization_id, timeout)
        result.recomputes = _snapshots(organization_id) - before
    else:
        result.notes.append(f"The scores had not caught up with the burst {timeout:.0f} s after it.")
    return result


def _one_edit_latency(actor: Membership, task: Task, *, timeout: float) -> float | None:
    """Seconds from the edit's commit until the latest snapshot is one computed after it."""
    organization_id = actor.organization_id
    last = ScoreSnapshot.objects.for_org(organization_id).aggregate(last=Max("pk"))["last"] or 0
    committed: list[float] = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append(time.perf_counter()))  # runs before the service's
        task_update(actor=actor, task=task, data={"effort_hours": (task.effort_hours or Decimal(0)) + 1})

    def visible() -> bool:
        newer = ScoreSnapshot.objects.for_org(organization_id).filter(pk__gt=last).exists()
        return newer and _is_current(organization_id)

    if not _wait(visible, timeout):
        return None
    return time.perf_counter() - committed[0]


def benchmark_actor(organization_id: int) -> Membership:
    """An executive of the organization (may change any task), made for the benchmark."""
    user, _ = get_user_model().objects.get_or_create(username=f"benchmark-{organization_id}")
    membership, _ = Membership.objects.get_or_create(
        organization_id=organization_id, user=user, defaults={"role": Role.EXECUTIVE}
    )
    return membership


def _snapshots(organization_id: int) -> int:
    return ScoreSnapshot.objects.for_org(organization_id).count()


def _is_current(organization_id: int) -> bool:
    return Organization.objects.filter(pk=organization_id, scores_stale_since__isnull=True).exists()


def _settled(organization_id: int, timeout: float) -> bool:
    """Wait until the organization is current and no new snapshot appeared for QUIET_SECONDS."""
    deadline = time.monotonic() + timeout
    seen, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = _snapshots(organization_id)
        if count != seen or not _is_current(organization_id):
            seen, since = count, time.monotonic()
        elif time.monotonic() - since >= QUIET_SECONDS:
            return True
        time.sleep(0.1)
    return False


def _wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(POLL_SECONDS)
    return False
