"""Every page and API collection of every organization size, measured side by side.

The organizations are measured together, page by page, and each page's requests in turn: one at
10,000 tasks, one at 1,000,000, again, so that whatever else the machine does at a moment (a test
suite, a backup) weighs on both sizes of a page alike and their ratio stays honest. Each size has its own
gunicorn server (the production settings, 2 workers) and its own `MemoryWatch`, so that the
memory of its workers after serving every page is that size's; the queries are counted once all
pages are served (see `pages`).

    results = pages_benchmark({10_000: small_org_id, 1_000_000: large_org_id})
    results[-1].memory.final_rss_kib  # the largest size's workers after serving every page
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from execgap import gunicorn_config
from scoring.benchmark.pages import (
    BUDGET_SECONDS,
    RUNS,
    Measured,
    Sampler,
    queries_count,
    samplers_run,
    targets_of,
)
from scoring.benchmark.routes import api_collections, organization_pages
from scoring.benchmark.server import MemoryWatch, WorkerMemory, gunicorn_server
from scoring.benchmark.visitors import visitors_prepare


@dataclass
class PagesResult:
    """Every target of one organization, and its server's workers' memory after serving them all."""

    tasks: int
    results: list[Measured]
    memory: WorkerMemory | None
    seconds: float = 0.0  # the whole measurement (of every size, side by side)
    runs: int = RUNS
    budget: float = BUDGET_SECONDS
    timeout: float = 0.0


def pages_benchmark(
    organizations: Mapping[int, int],
    *,
    runs: int = RUNS,
    budget: float = BUDGET_SECONDS,
    timeout: float | None = None,
    say: Callable[[str], None] = lambda _: None,
) -> list[PagesResult]:
    """Measure every page and API collection of each organization (`{tasks: organization id}`), page
    by page across the sizes, each size on a server of its own; then count each one's queries.
    `timeout` defaults to the server's own (gunicorn's `timeout` of its settings file). One result
    per size, smallest first."""
    timeout = float(gunicorn_config.timeout) if timeout is None else timeout
    sizes = sorted(organizations)
    started = time.perf_counter()
    logs = Path(tempfile.mkdtemp(prefix="execgap-bench-pages-"))
    pages, api = organization_pages(), api_collections()  # the same targets, in the same order, at every size
    results: dict[int, list[Measured]] = {tasks: [] for tasks in sizes}
    with ExitStack() as signed_in:
        visitors = {tasks: signed_in.enter_context(visitors_prepare(organizations[tasks])) for tasks in sizes}
        targets = {tasks: targets_of(visitors[tasks], pages, api) for tasks in sizes}
        say(f"{len(targets[sizes[0]])} pages and API collections at {len(sizes)} size(s), side by side")
        with ExitStack() as serving:  # closed last in, first out: the watches read, then the servers stop
            servers = {
                tasks: serving.enter_context(gunicorn_server(log=logs / f"{tasks}.log")) for tasks in sizes
            }
            watches = {tasks: serving.enter_context(MemoryWatch(servers[tasks])) for tasks in sizes}
            for index in range(len(targets[sizes[0]])):
                samplers = [
                    Sampler(
                        servers[tasks],
                        targets[tasks][index],
                        visitors[tasks],
                        runs=runs,
                        budget=budget,
                        timeout=timeout,
                        say=_prefixed(say, f"{tasks:,} tasks: "),
                    )
                    for tasks in sizes
                ]
                for tasks, measured in zip(sizes, samplers_run(samplers), strict=True):
                    results[tasks].append(measured)
        say("counting each one's queries")
        for tasks in sizes:
            queries_count(results[tasks], visitors[tasks])
    failed = [
        m for measured in results.values() for m in measured if m.status is not None and m.status >= 500
    ]
    if failed:
        say(f"{len(failed)} answered with a server error: see the servers' logs in {logs}")
    else:
        shutil.rmtree(logs)
    seconds = time.perf_counter() - started
    return [
        PagesResult(
            tasks=tasks,
            results=results[tasks],
            memory=watches[tasks].memory,
            seconds=seconds,
            runs=runs,
            budget=budget,
            timeout=timeout,
        )
        for tasks in sizes
    ]


def _prefixed(say: Callable[[str], None], prefix: str) -> Callable[[str], None]:
    return lambda message: say(prefix + message)
