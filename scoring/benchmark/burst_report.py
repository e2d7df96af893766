"""BENCHMARKS.md's section on the scores kept current by a real Celery worker, and its targets.

The targets:
- an edit's commit → visible (the latest snapshot reflects it and the organization is current again)
  through a real worker: a median of at most 0.5 s at 10,000 tasks, at most 1 s at 1,000,000 tasks;
- a burst of 1,000 edits costs at most 2 recomputes, at every size measured.
A latency target is "not measured" when its size was not measured or no edit became visible there;
the burst's target is not met when any size exceeds it, and "not measured" when it is met wherever it
could be judged but some size could not be (the scores never caught up, or a burst of another size).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

from scoring.benchmark.burst import BurstResult, SizeBurst

TARGET_LATENCIES = ((10_000, 0.5), (1_000_000, 1.0))  # (tasks, the median commit → visible at most, s)
TARGET_RECOMPUTES = 2
TARGET_BURST_EDITS = 1_000
RECOMPUTES_TARGET = f"At most {TARGET_RECOMPUTES} recomputes per burst of {TARGET_BURST_EDITS:,} edits"
MET, NOT_MET, NOT_MEASURED = "met", "NOT met", "not measured"
MISSING = "—"  # a cell the size has no value for (its notes say why)


def latency_median(result: BurstResult) -> float | None:
    """The median commit → visible time of the single edits (s); None when none became visible."""
    return statistics.median(result.latencies) if result.latencies else None


def markdown_section(bursts: Sequence[SizeBurst]) -> list[str]:
    """The section: one column per organization measured, then each one's notes."""
    out = ["## Scores kept current (a real Celery worker on Redis)", ""]
    if not bursts:
        return [*out, "Not measured in this run (it needs REDIS_URL: run `bin/bench`).", ""]
    ordered = sorted(bursts, key=lambda burst: burst.tasks)
    out += [
        "On each organization measured, one after the other, with one worker (`celery -A execgap worker "
        "--concurrency=1`, on the default queue: webhook deliveries have workers of their own, "
        "docker-compose.yml's `outbound`) and edits through `objectives.services.task_update`, each its "
        "own transaction: "
        "single edits first (commit → visible: the latest snapshot reflects the edit and the organization "
        "is current again), then a burst of edits.",
        "",
        "| | " + " | ".join(f"{burst.tasks:,} tasks" for burst in ordered) + " |",
        "|---|" + "---|" * len(ordered),
        _row("Commit → visible, one edit: median (runs)", ordered, _latency_cell),
        _row("Burst: issued in (rate)", ordered, _burst_cell),
        _row("Recomputes the burst caused", ordered, _recomputes_cell),
        _row("Scores current again, after the last edit's commit", ordered, _catch_up_cell),
        "",
    ]
    notes = [f"- At {burst.tasks:,} tasks: {note}" for burst in ordered for note in burst.result.notes]
    return [*out, *notes, ""] if notes else out


def _row(label: str, bursts: Sequence[SizeBurst], cell: Callable[[BurstResult], str]) -> str:
    return f"| {label} | " + " | ".join(cell(burst.result) for burst in bursts) + " |"


def _latency_cell(result: BurstResult) -> str:
    median = latency_median(result)
    if median is None:
        return MISSING
    runs = ", ".join(f"{latency:.2f}" for latency in result.latencies)
    return f"{median:.2f} s (runs: {runs} s)"


def _burst_cell(result: BurstResult) -> str:
    if not result.edits:
        return MISSING
    rate = result.edits / result.edit_seconds if result.edit_seconds else 0
    return f"{result.edits:,} edits in {result.edit_seconds:.1f} s ({rate:,.0f} edits/s)"


def _recomputes_cell(result: BurstResult) -> str:
    return MISSING if result.recomputes is None else f"{result.recomputes}"


def _catch_up_cell(result: BurstResult) -> str:
    return MISSING if result.catch_up_seconds is None else f"{result.catch_up_seconds:.2f} s"


def targets(bursts: Sequence[SizeBurst]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict): commit → visible at each size of TARGET_LATENCIES, then the burst's
    recomputes at every size measured."""
    by_tasks = {burst.tasks: burst.result for burst in bursts}
    rows = [_latency_target(tasks, limit, by_tasks.get(tasks)) for tasks, limit in TARGET_LATENCIES]
    rows.append(_recomputes_target(sorted(bursts, key=lambda burst: burst.tasks)))
    return rows


def _latency_target(tasks: int, limit: float, result: BurstResult | None) -> tuple[str, str, str]:
    name = f"Commit → visible median ≤ {limit:g} s at {tasks:,} tasks"
    median = None if result is None else latency_median(result)
    if median is None:
        return (name, NOT_MEASURED, NOT_MEASURED)
    return (name, f"{median:.3f} s", MET if median <= limit else NOT_MET)


def _recomputes_target(bursts: Sequence[SizeBurst]) -> tuple[str, str, str]:
    """Each size's recomputes; NOT met if any exceeds TARGET_RECOMPUTES, met only if every size was judged."""
    if not bursts:
        return (RECOMPUTES_TARGET, NOT_MEASURED, NOT_MEASURED)
    measured: list[str] = []
    verdicts: list[str] = []
    for burst in bursts:
        result = burst.result
        if result.recomputes is None:
            measured.append(f"{NOT_MEASURED} at {burst.tasks:,}")
            verdicts.append(NOT_MEASURED)
        elif result.edits != TARGET_BURST_EDITS:
            measured.append(f"{result.recomputes} for a burst of {result.edits:,} edits at {burst.tasks:,}")
            verdicts.append(f"{NOT_MEASURED} at {TARGET_BURST_EDITS:,}")
        else:
            measured.append(f"{result.recomputes} at {burst.tasks:,}")
            verdicts.append(MET if result.recomputes <= TARGET_RECOMPUTES else NOT_MET)
    verdict = NOT_MET if NOT_MET in verdicts else next((v for v in verdicts if v != MET), MET)
    return (RECOMPUTES_TARGET, "; ".join(measured), verdict)
