"""How long an import of a large Jira export takes, for the benchmark (`tasks_import_timing`).

Usable from `python manage.py shell` as well as from the benchmark command:

    from objectives.imports.benchmark import tasks_import_timing
    tasks_import_timing(actor=membership, rows=10_000)

It WRITES to the actor's organization (a throwaway one, in the benchmark): `rows` new tasks, then
updates a tenth of them.
"""

from __future__ import annotations

import csv
import io
import time
from typing import Any

from execgap.models import Membership
from objectives.imports.options import ImportOptions
from objectives.imports.rows import read_jira_csv
from objectives.imports.services import tasks_import
from objectives.models import Initiative, Objective
from resources.models import Person

_HEADER = (
    "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Assignee", "Resolved", "Due Date",
    "Labels", "Original Estimate", "Parent", "Parent summary",
)  # fmt: skip
_STATUSES = ("To Do", "In Progress", "In Review", "Blocked", "Done", "Won't Do", "Backlog")


def jira_export_generate(
    *, organization_id: int, rows: int, key_prefix: str = "BENCH", revision: int = 0
) -> str:
    """A Jira-like CSV of `rows` issues under the organization's goals (by title), a fifth of them
    sub-tasks of an earlier row, assigned round robin to its people. `revision` changes the
    summary of every tenth row (a re-export after some edits)."""
    titles = list(Initiative.objects.for_org(organization_id).values_list("title", flat=True)[:200])
    titles += list(Objective.objects.for_org(organization_id).values_list("title", flat=True)[:50])
    people = list(Person.objects.for_org(organization_id).values_list("name", flat=True)[:200])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_HEADER)
    for n in range(1, rows + 1):
        status = _STATUSES[n % len(_STATUSES)]
        sub_task = n % 5 == 0 and n > 5
        edited = revision and n % 10 == 0
        writer.writerow(
            [
                f"Work item {n}{f' (revision {revision})' if edited else ''}, with a comma",
                f"{key_prefix}-{n}",
                str(100_000 + n),
                "Sub-task" if sub_task else "Story",
                status,
                people[n % len(people)] if people else "",
                "2024-03-01 10:00" if status == "Done" else "",
                f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}" if n % 3 == 0 else "",
                "benchmark",
                str(3600 * (n % 9)) if n % 4 else "",
                f"{key_prefix}-{n - 3}" if sub_task else "",
                "" if sub_task or not titles else titles[n % len(titles)],
            ]
        )
    return out.getvalue()


def tasks_import_timing(*, actor: Membership, rows: int = 10_000) -> dict[str, Any]:
    """Seconds to read, dry-run and commit a `rows`-row export, then to commit a re-export in which
    a tenth of the rows changed (the others unchanged). The actor must be a lead or above."""
    organization_id = actor.organization_id
    export = jira_export_generate(organization_id=organization_id, rows=rows)
    timings: dict[str, Any] = {"rows": rows}
    started = time.perf_counter()
    parsed = read_jira_csv(export)
    timings["read_s"] = time.perf_counter() - started
    started = time.perf_counter()
    report = tasks_import(actor=actor, rows=parsed, dry_run=True, options=ImportOptions())
    timings["dry_run_s"] = time.perf_counter() - started
    started = time.perf_counter()
    report = tasks_import(
        actor=actor, rows=read_jira_csv(export), dry_run=False, options=ImportOptions(all_or_nothing=True)
    )
    timings["commit_s"] = time.perf_counter() - started
    timings["created"] = report.summary["created"]
    timings["errors"] = report.summary["error"]
    again = jira_export_generate(organization_id=organization_id, rows=rows, revision=1)
    started = time.perf_counter()
    report = tasks_import(actor=actor, rows=read_jira_csv(again), dry_run=False)
    timings["reimport_s"] = time.perf_counter() - started
    timings["updated"] = report.summary["updated"]
    timings["unchanged"] = report.summary["unchanged"]
    return timings
