"""The machine the benchmark ran on, and BENCHMARKS.md: the table, the targets, where the time goes."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import django
from django.conf import settings
from django.db import connection

from scoring.benchmark.api_rate import ApiRate
from scoring.benchmark.api_rate import markdown_section as api_markdown_section
from scoring.benchmark.api_rate import target as api_target
from scoring.benchmark.burst import SizeBurst
from scoring.benchmark.burst_report import markdown_section as burst_markdown_section
from scoring.benchmark.burst_report import targets as burst_targets
from scoring.benchmark.loader import Generated
from scoring.benchmark.measure import BASELINE_SQL, Memory, QueryProfile, Timing
from scoring.benchmark.pages_report import markdown_section as pages_markdown_section
from scoring.benchmark.pages_report import targets as pages_targets
from scoring.benchmark.pages_run import PagesResult
from scoring.benchmark.scenario import ScenarioResult

TARGET_RATIO, STRETCH_RATIO = 2.0, 1.0  # R ≤ 2 × B, stretch R ≤ B
TARGET_MEMORY_KIB = 1024 * 1024  # 1 GiB
TARGET_TASKS = 1_000_000
SQL_CHARACTERS = 1_500
# The code whose speed the benchmark reports: the engine, its scheduling, the write path of an edit,
# and every page and API endpoint (so every app, its templates and the server's settings).
MEASURED_PATHS = ("execgap", "objectives", "resources", "feedback", "accounts", "scoring", "templates")


@dataclass
class SizeResult:
    generated: Generated
    baseline: Timing  # B
    recompute: Timing  # R
    memory: Memory | None
    profile: QueryProfile
    api: ApiRate | None = None  # the scores API's requests per second against a trivial endpoint's
    pages: PagesResult | None = None  # every page and API collection: time, bytes, queries, memory
    scenario: ScenarioResult | None = None  # a drafted rebalance, and its evaluation against R
    # R after a write to the plan's nodes, which a worker then reads again (R itself follows no write)
    recompute_after_node_write: Timing | None = None

    @property
    def ratio(self) -> float:
        return self.recompute.median / self.baseline.median


@dataclass
class Run:
    machine: dict[str, str]
    sizes: list[SizeResult]
    bursts: list[SizeBurst]  # the Celery measurements, one per organization measured (none: skipped)
    started: datetime
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def machine() -> dict[str, str]:
    """CPU model and count, memory, PostgreSQL (and its memory settings), Python, Django, kernel."""
    cpu = _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown"
    memory = _proc_field("/proc/meminfo", "MemTotal")
    memory_text = f"{int(memory.split()[0]) / 1024 / 1024:.1f} GiB" if memory else "unknown"
    database = connection.vendor
    if database == "postgresql":
        with connection.cursor() as cursor:
            pg: dict[str, str] = {}
            for name in ("server_version", "shared_buffers", "work_mem", "max_parallel_workers_per_gather"):
                cursor.execute(f"SHOW {name}")
                pg[name] = str(cursor.fetchone()[0])
        database = (
            f"PostgreSQL {pg['server_version']} (shared_buffers {pg['shared_buffers']}, "
            f"work_mem {pg['work_mem']}, max_parallel_workers_per_gather "
            f"{pg['max_parallel_workers_per_gather']})"
        )
    return {
        "CPU": f"{cpu}, {os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable)",
        "Memory": memory_text,
        "Database": database,
        "Python": f"{platform.python_version()}, Django {django.get_version()}",
        "Kernel": f"{platform.system()} {platform.release()}",
        "ExecGap": revision(),
        "Load average at the start": load_average(),
    }


def load_average() -> str:
    """The 1, 5 and 15-minute load averages: anything else running on the machine shows here."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f} (on {os.cpu_count()} CPUs)"


def revision() -> str:
    """The commit measured, and whether the measured code (MEASURED_PATHS) differed from it."""
    try:
        head = _git("rev-parse", "--short", "HEAD")
        changed = _git("status", "--porcelain", "--untracked-files=normal", "--", *MEASURED_PATHS)
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{head}, with uncommitted changes to the measured code" if changed else head


def _git(*args: str) -> str:
    completed = subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607  # git from PATH, as a developer runs it
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def _proc_field(path: str, name: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == name:
                return value.strip()
    except OSError:
        pass
    return ""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def results_table(sizes: Sequence[SizeResult]) -> list[str]:
    lines = [
        "| Tasks | Rows | Generated in | B (median) | R (median) | R / B | R after a node write "
        "| Recompute peak RSS | Baseline child | Recompute's own | Queries |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        memory = size.memory
        peak, baseline, own = (
            (mib(memory.recompute_kib), mib(memory.baseline_kib), mib(memory.difference_kib))
            if memory
            else ("n/a", "n/a", "n/a")
        )
        after_write = size.recompute_after_node_write
        after_write_cell = (
            f"{ms(after_write.median)} (R / B {after_write.median / size.baseline.median:,.1f})"
            if after_write
            else "n/a"
        )
        lines.append(
            f"| {size.generated.shape.tasks:,} | {size.generated.shape.rows():,} "
            f"| {size.generated.seconds:,.1f} s (+ {size.generated.analyze_seconds:,.1f} s VACUUM ANALYZE) "
            f"| {ms(size.baseline.median)} | {ms(size.recompute.median)} | {size.ratio:,.1f} "
            f"| {after_write_cell} | {peak} | {baseline} | {own} | {size.profile.count} |"
        )
    return lines


R_TARGET = f"R / B ≤ {TARGET_RATIO:g} at {TARGET_TASKS:,} tasks (stretch: {STRETCH_RATIO:g})"


def targets(run: Run) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for each target."""
    top = next((s for s in run.sizes if s.generated.shape.tasks == TARGET_TASKS), None)
    rows = []
    if top is None:
        rows.append((R_TARGET, "not run at this size", "not measured"))
        rows.append(
            ("Recompute peak memory under 1 GB at 1,000,000 tasks", "not run at this size", "not measured")
        )
    else:
        ratio = top.ratio
        verdict = (
            "met (stretch too)" if ratio <= STRETCH_RATIO else "met" if ratio <= TARGET_RATIO else "NOT met"
        )
        rows.append((R_TARGET, f"{ratio:,.1f}", verdict))
        if top.memory is None:
            rows.append(
                ("Recompute peak memory under 1 GB at 1,000,000 tasks", "not measured", "not measured")
            )
        else:
            peak = top.memory.recompute_kib
            rows.append((
                "Recompute peak memory under 1 GB at 1,000,000 tasks",
                f"{mib(peak)} peak RSS ({mib(top.memory.difference_kib)} above a bare child)",
                "met" if peak < TARGET_MEMORY_KIB else "NOT met",
            ))  # fmt: skip
    rows += burst_targets(run.bursts)
    rows.append(_scenario_target(top))
    rows.append(api_target([size.api for size in run.sizes if size.api is not None]))
    rows += pages_targets([size.pages for size in run.sizes if size.pages is not None])
    return rows


SCENARIO_TARGET = f"A scenario's evaluation costs at most one recompute at {TARGET_TASKS:,} tasks"


def _scenario_target(top: SizeResult | None) -> tuple[str, str, str]:
    if top is None or top.scenario is None:
        return (SCENARIO_TARGET, "not measured", "not measured")
    ratio = top.scenario.ratio(top.recompute)
    return (SCENARIO_TARGET, f"{ratio:,.2f} of R", "met" if ratio <= 1 else "NOT met")


def _scenario_section(sizes: Sequence[SizeResult]) -> list[str]:
    measured = [size for size in sizes if size.scenario is not None]
    if not measured:
        return []
    lines = [
        "## What-if scenarios against a recompute",
        "",
        "The organization's own rebalance (at most fifty hours moves), drafted once by an executive; then "
        "its evaluation (one consistent read of the plan, the moves laid over it, both sides calculated), "
        "warm, the median of several runs, against R.",
        "",
        "| Tasks | Changes | Drafting the rebalance | Evaluation (median) | R (median) | Evaluation / R |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for size in measured:
        scenario = size.scenario
        assert scenario is not None
        lines.append(
            f"| {size.generated.shape.tasks:,} | {scenario.changes} | {ms(scenario.draft_seconds)} "
            f"| {ms(scenario.evaluation.median)} | {ms(size.recompute.median)} "
            f"| {scenario.ratio(size.recompute):,.2f} |"
        )
    return [*lines, ""]


def markdown(run: Run) -> str:
    """BENCHMARKS.md."""
    b = run.sizes[0].baseline if run.sizes else Timing([])
    r = run.sizes[0].recompute if run.sizes else Timing([])
    out = [
        "# ExecGap benchmark",
        "",
        f"Written by `bin/bench` (`python manage.py benchmark`) on {run.started:%Y-%m-%d %H:%M} UTC; "
        f"the whole run took {run.seconds / 60:,.1f} minutes. Each organization is generated into a "
        "throwaway PostgreSQL with COPY (a proportionate cascade, see `scoring/benchmark/shape.py`), then "
        "VACUUM ANALYZEd (as autovacuum would soon leave it).",
        "",
        f"- **B**: `{BASELINE_SQL}`, warm: the median of {len(b.runs)} runs after {b.warmups} warm-up "
        "runs, rows fetched.",
        "- **R**: a full `scores_recompute` of the organization (fetch, calculate, store a snapshot), warm: "
        f"the median of {len(r.runs)} runs after {r.warmups} warm-up run(s), with no write between them: "
        "as after a task edit or a check-in, the worker uses the plan's nodes it kept "
        "(`scoring/nodes_kept.py`).",
        "- **R after a node write**: the same, with a person renamed (untimed) before each run, so that "
        "every run reads the plan's nodes again, as the first recompute after a change of people, teams, "
        "objectives or initiatives does.",
        "- **Peak RSS**: `ru_maxrss` of a fresh child process that sets up Django and recomputes once; the "
        "baseline child only sets up Django, imports the engine and connects.",
        "- **Queries**: the number of queries of one recompute.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in run.machine.items()),
        "",
        "## Recompute against the baseline query",
        "",
        *results_table(run.sizes),
        "",
    ]
    out += _scenario_section(run.sizes)
    out += burst_markdown_section(run.bursts)
    out += api_markdown_section([size.api for size in run.sizes if size.api is not None])
    out += pages_markdown_section([size.pages for size in run.sizes if size.pages is not None])
    out += [
        "## Targets",
        "",
        "| Target | Measured | Verdict |",
        "|---|---|---|",
        *(f"| {target} | {measured} | {verdict} |" for target, measured, verdict in targets(run)),
        "",
    ]
    if run.notes:
        out += ["## Notes", "", *(f"- {note}" for note in run.notes), ""]
    if run.sizes:
        out += _time_section(max(run.sizes, key=lambda s: s.generated.shape.tasks))
    return "\n".join(out).rstrip() + "\n"


def _time_section(size: SizeResult) -> list[str]:
    profile = size.profile
    out = [
        f"## Where the recompute's time goes ({size.generated.shape.tasks:,} tasks)",
        "",
        f"One profiled recompute: {profile.seconds:,.2f} s in all, {profile.count} queries taking "
        f"{profile.database_seconds:,.2f} s as the client saw them (sent, executed, rows fetched), so "
        f"{max(0.0, profile.seconds - profile.database_seconds):,.2f} s in Python between the queries.",
        "",
    ]
    if profile.stages:
        out += ["| Engine stage (same run) | Seconds |", "|---|---:|"]
        out += [f"| `{name}` | {seconds:,.2f} |" for name, seconds in profile.stages.items()]
        out.append("")
    for number, query in enumerate(profile.slowest, start=1):
        sql = query.sql if len(query.sql) <= SQL_CHARACTERS else query.sql[:SQL_CHARACTERS] + " …"
        out += [f"### {number}. {ms(query.seconds)}", "", "```sql", sql, "```", ""]
        if query.plan:
            out += ["```", query.plan, "```", ""]
    return out
