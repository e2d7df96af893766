"""python manage.py benchmark [--sizes 10000,100000,1000000] [--output BENCHMARKS.md]

Run by `bin/bench` on a throwaway PostgreSQL and Redis: generates organizations of each size,
measures the baseline query B and the full recompute R, the recompute's peak memory and queries,
the scores API's rate, every page and API collection served by gunicorn (time, bytes, queries, the
workers' memory), then (with REDIS_URL) the commit-to-visible time and a burst of edits through a
real Celery worker, on the 10,000-task organization and the largest; prints the tables and writes
BENCHMARKS.md. It writes a great deal into the database it is given: never point it at one that matters.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from alerts.evaluation.evaluate import alerts_evaluate
from execgap.celery import app as celery_app
from scoring.benchmark import api_rate, measure, pages, pages_run
from scoring.benchmark.burst import SizeBurst, burst_and_latency, celery_worker
from scoring.benchmark.loader import organization_generate
from scoring.benchmark.pages_report import memory_table, time_verdict
from scoring.benchmark.pages_report import rows_of as page_rows
from scoring.benchmark.report import (
    TARGET_TASKS,
    Run,
    SizeResult,
    load_average,
    machine,
    markdown,
    results_table,
    targets,
)
from scoring.benchmark.scenario import scenario_timing
from scoring.selectors import snapshot_latest

DEFAULT_SIZES = "10000,100000,1000000"
BURST_TASKS = 10_000


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError as error:
        raise CommandError(f"--sizes takes task counts separated by commas, not {text!r}.") from error
    if not sizes or sizes[0] < 1:
        raise CommandError("--sizes needs at least one positive task count.")
    return sizes


def burst_sizes(sizes: list[SizeResult]) -> list[SizeResult]:
    """The organizations the Celery measurements run on: the 10,000-task one (the first size when
    10,000 was not run) and the largest, or the only one."""
    first = next((s for s in sizes if s.generated.shape.tasks == BURST_TASKS), sizes[0])
    largest = max(sizes, key=lambda s: s.generated.shape.tasks)
    return [first] if largest is first else [first, largest]


class Command(BaseCommand):
    help = (
        "Benchmark the score recompute, the scores API, every page and API collection on generated "
        "organizations (PostgreSQL)."
    )
    _notes: list[str]  # the run's notes, for what could not be measured

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"task counts (default {DEFAULT_SIZES})")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "BENCHMARKS.md"))
        parser.add_argument("--seed", type=int, default=0, help="the generator's seed")
        parser.add_argument(
            "--baseline-runs", type=int, default=7, help="measured runs of B (after 2 warm-ups)"
        )
        parser.add_argument(
            "--recompute-runs", type=int, default=3, help="measured runs of R (after 1 warm-up)"
        )
        parser.add_argument("--burst-edits", type=int, default=1_000)
        parser.add_argument("--latency-runs", type=int, default=5)
        parser.add_argument("--no-burst", action="store_true", help="skip the Celery worker measurements")
        parser.add_argument(
            "--page-runs", type=int, default=pages.RUNS, help="timed requests per page (after 1 warm-up)"
        )
        parser.add_argument(
            "--page-budget",
            type=float,
            default=pages.BUDGET_SECONDS,
            help="seconds of timed requests per page at most (a slow page gets fewer runs)",
        )
        parser.add_argument(
            "--page-timeout",
            type=float,
            default=None,
            help="seconds a page may take before it counts as a timeout (default: gunicorn's timeout)",
        )
        parser.add_argument("--no-pages", action="store_true", help="skip the pages and API collections")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "The benchmark needs PostgreSQL (COPY, EXPLAIN): run bin/bench, which starts a throwaway one."
            )
        sizes = _sizes(options["sizes"])
        run = Run(machine=machine(), sizes=[], bursts=[], started=timezone.now())
        self._notes = run.notes
        clock, load_at_start = time.perf_counter(), os.getloadavg()[0]
        for tasks in sizes:
            run.sizes.append(self._measure_size(tasks, options, explain=tasks == sizes[-1]))
        if options["no_pages"]:
            run.notes.append("The pages and API collections were skipped (--no-pages).")
        else:
            self._pages(run, options)
        if options["no_burst"]:
            run.notes.append("The Celery measurements were skipped (--no-burst).")
        elif not settings.REDIS_URL:
            run.notes.append("The Celery measurements need REDIS_URL (bin/bench starts a throwaway Redis).")
        else:
            self._burst(run, options)
        if TARGET_TASKS not in sizes:
            run.notes.append("A quick run (--sizes): the targets at 1,000,000 tasks were not measured.")
        run.seconds = time.perf_counter() - clock
        run.machine["Load average at the end"] = load_average()
        busiest = max(load_at_start, os.getloadavg()[0])
        if busiest > (os.cpu_count() or 1):
            run.notes.append(
                f"Other work shared the machine (a 1-minute load average of {busiest:.1f} on "
                f"{os.cpu_count()} CPUs): the times are inflated, the ratios less reliable than when quiet."
            )
        Path(options["output"]).write_text(markdown(run))
        self._print(run)
        self.stdout.write(f"Wrote {options['output']} ({run.seconds / 60:.1f} minutes).")

    def _measure_size(self, tasks: int, options: dict[str, Any], *, explain: bool) -> SizeResult:
        self._say(f"{tasks:,} tasks: generating")
        slug = f"benchmark-{tasks}-{timezone.now():%Y%m%d%H%M%S}"
        generated = organization_generate(tasks=tasks, seed=options["seed"], slug=slug)
        organization_id = generated.organization_id
        self._say(
            f"{tasks:,} tasks: {generated.shape.rows():,} rows in {generated.seconds:.1f} s "
            f"(+ {generated.analyze_seconds:.1f} s VACUUM ANALYZE); measuring B and R"
        )
        baseline = measure.baseline_query_timing(organization_id, runs=options["baseline_runs"])
        recompute = measure.recompute_timing(organization_id, runs=options["recompute_runs"])
        after_write = measure.recompute_after_node_write_timing(
            organization_id, runs=options["recompute_runs"]
        )
        self._say(
            f"{tasks:,} tasks: B {baseline.median * 1000:,.1f} ms, R {recompute.median * 1000:,.1f} ms, "
            f"R after a node write {after_write.median * 1000:,.1f} ms"
        )
        profile = measure.recompute_profile(organization_id, explain=explain)
        memory = measure.recompute_memory(organization_id)
        self._say(
            f"{tasks:,} tasks: {profile.count} queries, peak RSS {memory.recompute_kib / 1024:,.0f} MiB"
        )
        self._say(f"{tasks:,} tasks: drafting a rebalance and evaluating it")
        scenario = scenario_timing(organization_id, runs=options["recompute_runs"])
        self._say(
            f"{tasks:,} tasks: {scenario.changes} changes drafted in "
            f"{scenario.draft_seconds * 1000:,.0f} ms, evaluated in "
            f"{scenario.evaluation.median * 1000:,.1f} ms ({scenario.ratio(recompute):.2f} of R)"
        )
        self._say(f"{tasks:,} tasks: the scores API against a trivial endpoint")
        api: api_rate.ApiRate | None = None
        try:
            api = api_rate.api_rate(organization_id)
        except api_rate.LoadError as error:  # the rest of the run is still worth having
            self._notes.append(f"The scores API's rate at {tasks:,} tasks was not measured: {error}")
            self._say(f"{tasks:,} tasks: the scores API's rate was not measured: {error}")
        else:
            self._say(
                f"{tasks:,} tasks: scores/ {api.scores_rps:,.0f} req/s, trivial {api.trivial_rps:,.0f} req/s"
            )
        return SizeResult(
            generated,
            baseline,
            recompute,
            memory,
            profile,
            api,
            scenario=scenario,
            recompute_after_node_write=after_write,
        )

    def _pages(self, run: Run, options: dict[str, Any]) -> None:
        """Every page and API collection of every size, side by side (see `pages_run`)."""
        self._say("Every page and API collection, each size on its own gunicorn server, page by page")
        organizations = {size.generated.shape.tasks: size.generated.organization_id for size in run.sizes}
        results = pages_run.pages_benchmark(
            organizations,
            runs=options["page_runs"],
            budget=options["page_budget"],
            timeout=options["page_timeout"],
            say=self._say,
        )
        for size, result in zip(
            sorted(run.sizes, key=lambda s: s.generated.shape.tasks), results, strict=True
        ):
            size.pages = result
            answered = [m for m in result.results if m.median is not None]
            slowest = max(answered, key=lambda m: m.median or 0.0, default=None)
            self._say(
                f"{result.tasks:,} tasks: {len(answered)} answered"
                + (f"; slowest {slowest.target.label} {slowest.median:.3f} s" if slowest else "")
            )
        self._say(f"Pages measured in {results[0].seconds:.0f} s" if results else "No pages measured")

    def _burst(self, run: Run, options: dict[str, Any]) -> None:
        """The Celery measurements on each organization of `burst_sizes`, one after the other, by one
        worker."""
        chosen = burst_sizes(run.sizes)
        if chosen[0].generated.shape.tasks != BURST_TASKS:
            run.notes.append(
                f"The Celery measurements ran on the {chosen[0].generated.shape.tasks:,}-task organization "
                f"in place of the {BURST_TASKS:,}-task one (not run)."
            )
        # The page walk above made the organizations' default alert rules, never evaluated: the first
        # evaluation opens every alert they find (tens of thousands at a million tasks) and would hold
        # the one worker for a minute, behind which the edits below would wait. It runs here (its
        # notifications' jobs are cleared below), so that the worker measures the edits with the
        # alerts as they stand, as in a running installation.
        for size in chosen:
            latest = snapshot_latest(organization=size.generated.organization_id)
            if latest is not None:
                opened, _ = alerts_evaluate(snapshot=latest)
                if opened:
                    tasks = size.generated.shape.tasks
                    run.notes.append(
                        f"{tasks:,} tasks: the alerts' first evaluation ({len(opened):,} opened by the rules)"
                        " ran before the worker started."
                    )
        # The in-process measurements above left the jobs of their snapshots on the broker (each
        # snapshot's alert evaluation, the notifications of the alerts a first one opened): the worker
        # starts on an empty queue, so that it measures the edits below and not that backlog.
        purged = celery_app.control.purge()
        if purged:
            run.notes.append(
                f"{purged:,} jobs the in-process measurements had left on the broker (their snapshots' "
                "alert evaluations and notifications) were cleared before the worker started."
            )
        log = Path(tempfile.mkdtemp(prefix="execgap-bench-")) / "worker.log"
        self._say(f"Celery: cleared {purged:,} waiting job(s); starting a worker (log: {log})")
        with celery_worker(log):
            for size in chosen:
                tasks = size.generated.shape.tasks
                self._say(f"{tasks:,} tasks: {options['latency_runs']} single edit(s), then a burst")
                result = burst_and_latency(
                    size.generated.organization_id,
                    edits=options["burst_edits"],
                    latency_runs=options["latency_runs"],
                )
                run.bursts.append(SizeBurst(tasks, result))
        shutil.rmtree(log.parent)  # kept only when something failed, for its log

    def _print(self, run: Run) -> None:
        self.stdout.write("")
        for line in results_table(run.sizes):
            self.stdout.write(line)
        for burst in run.bursts:
            result = burst.result
            if result.latencies:
                latencies = ", ".join(f"{latency:.2f}" for latency in result.latencies)
                self.stdout.write(f"{burst.tasks:,} tasks: commit to visible (s): {latencies}")
            if result.recomputes is not None:
                self.stdout.write(
                    f"{burst.tasks:,} tasks: burst of {result.edits:,} edits in {result.edit_seconds:.1f} s "
                    f"caused {result.recomputes} recompute(s); current again "
                    f"{result.catch_up_seconds or 0:.1f} s after the last edit"
                )
            for note in result.notes:
                self.stdout.write(f"{burst.tasks:,} tasks: {note}")
        measured_pages = [size.pages for size in run.sizes if size.pages is not None]
        if measured_pages:
            largest = max(result.tasks for result in measured_pages)
            self.stdout.write("")
            for row in page_rows(measured_pages):
                times = "  ".join(
                    f"{m.median * 1000:,.0f} ms" if m.median is not None else m.problem()
                    for _, m in sorted(row.by_size.items())
                )
                self.stdout.write(f"{row.label}: {times} ({time_verdict(row, largest)})")
            for line in memory_table(measured_pages):
                self.stdout.write(line)
        self.stdout.write("")
        for target, measured, verdict in targets(run):
            self.stdout.write(f"{target}: {measured} ({verdict})")

    def _say(self, message: str) -> None:
        self.stderr.write(f"[{timezone.now():%H:%M:%S}] {message}")
