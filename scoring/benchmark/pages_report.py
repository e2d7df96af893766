"""BENCHMARKS.md's tables of every page and API collection × organization size, and their verdicts.

The targets (issue "Scale: every page flat in organization size"), at TARGET_TASKS:
- every page and API collection at most 1.5 × its median time at 10,000 tasks, and under 300 ms;
- no answer over 500 KB (1 KB = 1,000 bytes) at any size;
- a gunicorn worker's RSS under 300 MiB after serving every page and collection.
A row's verdict is taken at the largest size measured (so that a quick run says something too); the
targets table only judges at TARGET_TASKS, and says "not measured" when that size was not run.

A table's CSV download (`….csv`) is the whole list its filters select: it grows with the organization
by design, streamed a chunk at a time. Its time, bytes and queries are shown in a table of their own,
judged by none of the page targets: the workers' memory after serving them (with the pages) is what
says the stream stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scoring.benchmark.pages import MAX_RUNS, SAMPLE_SECONDS, Measured
from scoring.benchmark.pages_run import PagesResult

TARGET_TASKS = 1_000_000
BASE_TASKS = 10_000
TARGET_RATIO = 1.5
TARGET_SECONDS = 0.300
TARGET_BYTES = 500_000
TARGET_WORKER_KIB = 300 * 1024
MET, NOT_MET, NOT_MEASURED = "met", "NOT met", "not measured"
TIMES = "\N{MULTIPLICATION SIGN}"


@dataclass(frozen=True)
class Row:
    """One target across the sizes: what each size measured (None where it was not run)."""

    label: str
    by_size: dict[int, Measured]

    @property
    def is_api(self) -> bool:
        return any(measured.target.is_api for measured in self.by_size.values())

    @property
    def is_download(self) -> bool:
        """A table's CSV download: the whole list, growing with it (see the module)."""
        return self.label.endswith(".csv")

    @property
    def is_action(self) -> bool:
        """Every size answered GET with 405: an action (a form's POST), not a page."""
        return all(measured.is_action for measured in self.by_size.values())


def rows_of(results: Sequence[PagesResult]) -> list[Row]:
    """One row per target (pages, then the API, in the order measured), actions left out."""
    rows: dict[str, dict[int, Measured]] = {}
    for result in sorted(results, key=lambda r: r.tasks):
        for measured in result.results:
            rows.setdefault(measured.target.label, {})[result.tasks] = measured
    every = [Row(label, by_size) for label, by_size in rows.items()]
    return [row for row in every if not row.is_action]


def actions_of(results: Sequence[PagesResult]) -> list[str]:
    every: dict[str, list[bool]] = {}
    for result in results:
        for measured in result.results:
            every.setdefault(measured.target.label, []).append(measured.is_action)
    return [label for label, actions in every.items() if all(actions)]


def ratio(row: Row, large: int) -> float | None:
    small, big = row.by_size.get(BASE_TASKS), row.by_size.get(large)
    if small is None or big is None or small.median is None or big.median is None or large == BASE_TASKS:
        return None
    return big.median / small.median


def time_verdict(row: Row, large: int) -> str:
    """≤ 1.5 × the time at 10,000 tasks and under 300 ms, at `large` tasks."""
    measured = row.by_size.get(large)
    if measured is None:
        return NOT_MEASURED
    if measured.median is None:
        problem = measured.problem()
        return problem if problem.startswith(NOT_MEASURED) else f"{NOT_MET} ({problem})"
    if measured.median >= TARGET_SECONDS:
        return NOT_MET
    if large == BASE_TASKS:  # its own time at 10,000 tasks: only the 300 ms can fail
        return MET
    found = ratio(row, large)
    if found is None:
        return f"{NOT_MEASURED} (no time at {BASE_TASKS:,} tasks)"
    return MET if found <= TARGET_RATIO else NOT_MET


def size_verdict(row: Row) -> str:
    """No answer over 500 KB, at any size measured."""
    sizes = [measured.bytes for measured in row.by_size.values() if measured.answered]
    if any(size is not None and size > TARGET_BYTES for size in sizes):
        return NOT_MET
    if len(sizes) < len(row.by_size) or any(size is None for size in sizes):
        return NOT_MEASURED
    return MET


def memory_verdict(result: PagesResult) -> tuple[int, str]:
    """(KiB judged, verdict): the largest worker's RSS after every page; when workers were replaced
    during the run (a timeout restarts the server), the most any worker held, as theirs is gone."""
    memory = result.memory
    if memory is None or not memory.rss_kib:
        return 0, NOT_MEASURED
    judged = memory.highest_kib if memory.replaced else memory.final_rss_kib
    return judged, MET if judged < TARGET_WORKER_KIB else NOT_MET


def seconds_text(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def bytes_text(size: int | None) -> str:
    if size is None:
        return "—"
    if size < 1_000:
        return f"{size} B"
    return f"{size / 1_000:,.1f} KB" if size < 1_000_000 else f"{size / 1_000_000:,.1f} MB"


def mib_text(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def _time_cell(measured: Measured | None, runs: int) -> str:
    if measured is None:
        return ""
    if measured.median is None:
        return measured.problem().removeprefix("no answer: ")
    fewer = f" ({len(measured.seconds)}{TIMES})" if len(measured.seconds) < runs else ""
    return seconds_text(measured.median) + fewer


def markdown_section(results: Sequence[PagesResult]) -> list[str]:
    """BENCHMARKS.md's section: time, bytes and queries of every target at every size; memory."""
    if not results:
        return []
    sizes = sorted(result.tasks for result in results)
    large = sizes[-1]
    first = results[0]
    every = rows_of(results)
    rows = [row for row in every if not row.is_download]
    downloads = [row for row in every if row.is_download]
    header = " | ".join(f"{tasks:,}" for tasks in sizes)
    align = "|".join("---:" for _ in sizes)
    out = [
        "## Every page and API collection",
        "",
        "Every GET page under `/o/<slug>/` (from the URL configuration; its ids filled from the "
        "generated organization: the team with the most people, the objective with the most "
        "initiatives, the initiative with the most tasks, rows of those for the rest, a finished import "
        "job, an invitation; some also with a query string) and every GET endpoint of the API without a "
        "row id (from its OpenAPI schema), requested over HTTP on 127.0.0.1 from gunicorn with the "
        "production settings (`execgap/gunicorn_config.py`) and 2 workers: a page with the session of "
        "the member it is for (a lead for alignment and the teams' pages, the admin where an executive "
        "is refused, else an executive), the API with an executive's token (the admin's where refused). "
        f"**Time**: the median of {first.runs} to {MAX_RUNS} requests after one warm-up (as many as fit "
        f"in {SAMPLE_SECONDS:.0f} s; fewer, shown as (n{TIMES}), for a page slower than "
        f"{first.budget:.0f} s in all); no answer within "
        f"{first.timeout:.0f} s is a timeout, after which the server is restarted. **Bytes**: the body "
        "as sent, uncompressed. **Queries**: one more request in this process through Django's test "
        "client (`CaptureQueriesContext`).",
        "",
        f"### Median time (target at {TARGET_TASKS:,} tasks: ≤ {TARGET_RATIO}{TIMES} the time at "
        f"{BASE_TASKS:,} and under {TARGET_SECONDS * 1000:.0f} ms)",
        "",
        f"| Page or endpoint | As | {header} | {large:,} / {BASE_TASKS:,} | Verdict at {large:,} |",
        f"|---|---|{align}|---:|---|",
    ]
    for row in rows:
        cells = " | ".join(_time_cell(row.by_size.get(tasks), first.runs) for tasks in sizes)
        found = ratio(row, large)
        reader = next(iter(row.by_size.values())).reader
        out.append(
            f"| `{row.label}` | {reader} | {cells} | {'—' if found is None else f'{found:,.2f}'} "
            f"| {time_verdict(row, large)} |"
        )
    out += ["", f"### Bytes of the answer (target: none over {TARGET_BYTES // 1000} KB)", ""]
    out += _table(rows, sizes, "Verdict", lambda m: bytes_text(m.bytes if m.answered else None), size_verdict)
    out += ["", "### Queries per request (the same at every size: flat)", ""]
    out += _table(rows, sizes, "Flat", _queries_cell, _flat)
    if downloads:
        out += ["", *_downloads_table(downloads, sizes, first.runs)]
    out += ["", _memory_intro(), "", *memory_table(results), ""]
    actions = actions_of(results)
    if actions:
        listed = ", ".join(f"`{action}`" for action in actions)
        out += [f"Answering GET with 405 (actions a form posts to, not pages): {listed}.", ""]
    return out


def _table(
    rows: Sequence[Row],
    sizes: Sequence[int],
    last: str,
    cell: Callable[[Measured], str],
    judge: Callable[[Row], str],
) -> list[str]:
    out = [
        f"| Page or endpoint | {' | '.join(f'{tasks:,}' for tasks in sizes)} | {last} |",
        f"|---|{'|'.join('---:' for _ in sizes)}|---|",
    ]
    for row in rows:
        cells = " | ".join(cell(row.by_size[tasks]) if tasks in row.by_size else "" for tasks in sizes)
        out.append(f"| `{row.label}` | {cells} | {judge(row)} |")
    return out


def _downloads_table(rows: Sequence[Row], sizes: Sequence[int], runs: int) -> list[str]:
    """The CSV downloads: the whole list each time, so their time, bytes and queries grow with it."""
    columns = " | ".join(f"{tasks:,}" for tasks in sizes)
    out = [
        "### Downloads (CSV of a whole list: growing with it by design, streamed; judged by the workers' "
        "memory below)",
        "",
        f"| Download | Time at {columns.replace(' | ', ', ')} | Bytes | Queries |",
        "|---|---|---|---|",
    ]
    for row in rows:

        def at(cell: Callable[[Measured], str], row: Row = row) -> str:
            return " / ".join(cell(row.by_size[tasks]) if tasks in row.by_size else "" for tasks in sizes)

        times = at(lambda measured: _time_cell(measured, runs))
        sizes_text = at(lambda measured: bytes_text(measured.bytes if measured.answered else None))
        out.append(f"| `{row.label}` | {times} | {sizes_text} | {at(_queries_cell)} |")
    return out


def _queries_cell(measured: Measured) -> str:
    if measured.queries is not None:
        return str(measured.queries)
    return f"— ({measured.queries_problem})" if measured.queries_problem else "—"


def _flat(row: Row) -> str:
    counts = [measured.queries for measured in row.by_size.values() if measured.queries is not None]
    if len(counts) < max(2, len(row.by_size)):
        return "—"
    return "yes" if len(set(counts)) == 1 else f"no ({min(counts)} → {max(counts)})"


def _memory_intro() -> str:
    return (
        f"### gunicorn workers' memory (target: under {mib_text(TARGET_WORKER_KIB)} after serving every "
        "page and collection)\n\n"
        "Read from `/proc/<pid>/status` of each worker: `VmRSS` when all were served, `VmHWM` (the most "
        "it ever held) sampled every 0.2 s, also of workers replaced meanwhile."
    )


def memory_table(results: Sequence[PagesResult]) -> list[str]:
    out = [
        "| Tasks | Largest worker after every page (VmRSS) | Most any worker held (VmHWM) "
        "| Workers replaced | Verdict |",
        "|---:|---:|---:|---:|---|",
    ]
    for result in sorted(results, key=lambda r: r.tasks):
        memory = result.memory
        if memory is None:
            out.append(f"| {result.tasks:,} | — | — | — | {NOT_MEASURED} |")
            continue
        _, verdict = memory_verdict(result)
        out.append(
            f"| {result.tasks:,} | {mib_text(memory.final_rss_kib)} | {mib_text(memory.highest_kib)} "
            f"| {memory.replaced} | {verdict} |"
        )
    return out


def targets(results: Sequence[PagesResult]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) rows for the targets table, judged at TARGET_TASKS."""
    time_name = (
        f"Every page ≤ {TARGET_RATIO}{TIMES} its time at {BASE_TASKS:,} tasks and under "
        f"{TARGET_SECONDS * 1000:.0f} ms median at {TARGET_TASKS:,}"
    )
    api_name = time_name.replace("Every page", "Every API collection")
    size_name = f"No page over {TARGET_BYTES // 1000} KB"
    memory_name = (
        f"A gunicorn worker under {mib_text(TARGET_WORKER_KIB)} after serving every page at {TARGET_TASKS:,}"
    )
    top = next((result for result in results if result.tasks == TARGET_TASKS), None)
    if top is None:
        missing = "not run at this size" if results else "not measured"
        return [(name, missing, NOT_MEASURED) for name in (time_name, api_name, size_name, memory_name)]
    rows = [row for row in rows_of(results) if not row.is_download]
    out = []
    for name, group in (
        (time_name, [r for r in rows if not r.is_api]),
        (api_name, [r for r in rows if r.is_api]),
    ):
        verdicts = {row.label: time_verdict(row, TARGET_TASKS) for row in group}
        out.append((name, *_summary(verdicts, len(group))))
    sizes = {row.label: size_verdict(row) for row in rows if not row.is_api}
    out.append((size_name, *_summary(sizes, len(sizes))))
    judged, verdict = memory_verdict(top)
    out.append((memory_name, mib_text(judged) if judged else "not measured", verdict))
    return out


def _summary(verdicts: dict[str, str], total: int) -> tuple[str, str]:
    failed = [label for label, verdict in verdicts.items() if verdict.startswith(NOT_MET)]
    unknown = [label for label, verdict in verdicts.items() if verdict.startswith(NOT_MEASURED)]
    met = total - len(failed) - len(unknown)
    measured = f"{met} of {total} met"
    if failed:
        measured += f"; not: {', '.join(f'`{label}`' for label in failed)}"
    if unknown:
        measured += f"; not measured: {', '.join(f'`{label}`' for label in unknown)}"
    return measured, NOT_MET if failed else NOT_MEASURED if unknown else MET
