"""The measurements of one organization: B, R, the recompute's queries and its peak memory.

B is the warm time of the simplest honest question about the organization's work (the effort per
initiative: one GROUP BY over its tasks, the same table the recompute reads); R is the warm time
of a full `scores_recompute`. Both are medians of several runs after warm-up runs, timed from the
client (the query's rows are fetched), in this process. Memory is read from fresh child processes.
"""

from __future__ import annotations

import functools
import itertools
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from objectives.models import Task
from resources.models import Person
from scoring import services as scoring_services
from scoring.services import scores_recompute

BASELINE_SQL = (
    f"SELECT initiative_id, sum(effort_hours) FROM {Task._meta.db_table} "  # noqa: S608  # a model's table
    "WHERE organization_id = %s GROUP BY 1"
)
EXPLAINED_QUERIES = 4
PLAN_LINES = 40


@dataclass
class Timing:
    """Seconds of each measured run (warm-up runs excluded)."""

    runs: list[float]
    warmups: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


@dataclass
class Query:
    seconds: float
    sql: str
    plan: str = ""  # EXPLAIN (ANALYZE, BUFFERS), for the slowest reads


@dataclass
class QueryProfile:
    """One recompute seen query by query: how many, how long in the database, the slowest ones."""

    seconds: float  # the whole recompute, as profiled
    count: int
    database_seconds: float  # the sum of the queries' own times (client side)
    slowest: list[Query] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)  # seconds in each engine stage


@dataclass
class Memory:
    """Peak resident set sizes in KiB: a child that only sets up Django and connects, and one that
    also recomputes."""

    baseline_kib: int
    recompute_kib: int

    @property
    def difference_kib(self) -> int:
        return self.recompute_kib - self.baseline_kib


def timed_runs(
    run: Callable[[], object], *, runs: int, warmups: int, before: Callable[[], object] | None = None
) -> Timing:
    """`run` timed `runs` times after `warmups` untimed runs; `before` (untimed) ahead of each timed one."""
    for _ in range(warmups):
        run()
    seconds = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    return Timing(seconds, warmups)


def baseline_query_timing(organization_id: int, *, runs: int = 7, warmups: int = 2) -> Timing:
    """B: the effort per initiative of the organization's tasks."""

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, [organization_id])
            cursor.fetchall()

    return timed_runs(run, runs=runs, warmups=warmups)


def recompute_timing(organization_id: int, *, runs: int = 3, warmups: int = 1) -> Timing:
    """R: a full recompute (fetch, calculate, store a snapshot), as the worker runs it."""
    return timed_runs(lambda: scores_recompute(organization_id=organization_id), runs=runs, warmups=warmups)


def recompute_after_node_write_timing(organization_id: int, *, runs: int = 3) -> Timing:
    """R after a write to the plan's nodes (a person renamed, untimed, before each run): what the first
    recompute after a change of people, teams, objectives or initiatives costs, which reads them all
    again (`scoring.nodes_kept`). R's own runs follow no write, as after a task edit or a check-in."""
    person_id = Person.objects.for_org(organization_id).earliest("pk").pk
    renames = itertools.count()

    def rename() -> None:
        Person.objects.filter(pk=person_id).update(name=f"Renamed person {next(renames)}")

    return timed_runs(
        lambda: scores_recompute(organization_id=organization_id), runs=runs, warmups=0, before=rename
    )


def recompute_profile(organization_id: int, *, explain: bool = False) -> QueryProfile:
    """One more recompute, with every query recorded; with `explain`, the plans of the slowest reads."""
    stages: dict[str, float] = {}
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured, _stages_timed(stages):
        scores_recompute(organization_id=organization_id)
    seconds = time.perf_counter() - started
    queries = [Query(float(q["time"]), q["sql"]) for q in captured.captured_queries]
    slowest = sorted(queries, key=lambda q: q.seconds, reverse=True)[:EXPLAINED_QUERIES]
    if explain and connection.vendor == "postgresql":
        for query in slowest:
            query.plan = explain_analyze(query.sql)
    return QueryProfile(seconds, len(queries), sum(q.seconds for q in queries), slowest, stages)


@contextmanager
def _stages_timed(stages: dict[str, float]) -> Iterator[None]:
    """Time the engine's stages: the `*_fetch`, `*_calculate` and `*_store` functions that the
    service calls are wrapped for the duration (whatever they are named, as long as they end so)."""
    originals = {
        name: value
        for name, value in vars(scoring_services).items()
        if callable(value) and name.endswith(("_fetch", "_calculate", "_store"))
    }

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                stages[name] = stages.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    for name, function in originals.items():
        setattr(scoring_services, name, timed(name, function))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(scoring_services, name, function)


def explain_analyze(sql: str) -> str:
    """The executed plan of a read (empty for anything else), at most PLAN_LINES lines."""
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return ""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        lines = [str(row[0]) for row in cursor.fetchall()]
    if len(lines) > PLAN_LINES:
        lines = [*lines[:PLAN_LINES], f"... ({len(lines) - PLAN_LINES} more lines)"]
    return "\n".join(lines)


def recompute_memory(organization_id: int) -> Memory:
    """Peak RSS of a fresh child that recomputes the organization, and of one that does not."""
    return Memory(
        baseline_kib=_child_peak_kib("baseline", organization_id),
        recompute_kib=_child_peak_kib("recompute", organization_id),
    )


def _child_peak_kib(mode: str, organization_id: int) -> int:
    """Peak RSS (KiB, Linux's `ru_maxrss`) of a fresh `scoring.benchmark.child` process in `mode`,
    read through the module's small launcher (see there why not straight from this process)."""
    completed = subprocess.run(  # noqa: S603  # this interpreter, a module of ours, a number
        [sys.executable, "-m", "scoring.benchmark.child", "peak", mode, str(organization_id)],
        cwd=settings.BASE_DIR,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"The {mode} child for organization {organization_id} failed ({completed.returncode}): "
            f"{completed.stderr.strip()[-2000:]}"
        )
    return int(completed.stdout.split()[-1])
