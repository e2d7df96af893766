"""A Jira Cloud "all fields" CSV export, as Jira writes it: a byte-order mark, CRLF line ends, the
columns Jira repeats (Labels, Sprint, Watchers), multi-line quoted descriptions, dates such as
`18/Nov/26 2:35 PM`, estimates in seconds, and the hierarchy by id: each story's Parent is its
epic's Issue id and each sub-task's its story's, with the parent's title in Parent summary.

`cloud_export()` is the realistic 200-row project the tests import: six epics (two titled exactly
like goals of the `plan` fixture, "Checkout revamp" and "Faster builds"; "Mobile app v2", which a
lead maps; three no goal is titled like), 150 stories under them and 44 sub-tasks, in every status
of Jira's default workflows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

# Jira Software's templates, its classic workflow, Service Management's and Work Management's.
DEFAULT_WORKFLOW_STATUSES = (
    "To Do", "In Progress", "Done", "Backlog", "Selected for Development", "In Review", "Code Review",
    "Won't Do", "Open", "Reopened", "Resolved", "Closed", "Waiting for support", "Waiting for customer",
    "Pending", "Escalated", "Work in progress", "Canceled", "Declined", "Under review", "Planning",
    "Awaiting approval", "Awaiting implementation", "Implementing", "Under investigation", "Completed",
    "Blocked",
)  # fmt: skip

HEADER = (
    "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Project key", "Project name", "Priority",
    "Resolution", "Assignee", "Reporter", "Created", "Updated", "Resolved", "Due date", "Labels",
    "Labels", "Labels", "Description", "Watchers", "Watchers", "Original estimate",
    "Remaining Estimate", "Σ Original Estimate", "Sprint", "Sprint", "Custom field (Story point estimate)",
    "Parent", "Parent summary", "Status Category",
)  # fmt: skip

EPICS = (
    ("Checkout revamp", "initiative"),
    ("Faster builds", "initiative"),
    ("Mobile app v2", None),
    ("Partner portal", None),
    ("Data warehouse migration", None),
    ("Support tooling", None),
)
STORIES_PER_EPIC = 25
SUB_TASKS = 44
ROWS = len(EPICS) + len(EPICS) * STORIES_PER_EPIC + SUB_TASKS  # 200
PEOPLE = ("Ada Lovelace", "grace@acme.test", "Linus Unknown", "")


@dataclass(frozen=True)
class Row:
    key: str
    issue_id: str
    issue_type: str
    summary: str
    status: str
    parent_id: str = ""
    parent_summary: str = ""


def cloud_rows() -> list[Row]:
    rows: list[Row] = []
    for number, (title, _) in enumerate(EPICS, start=1):
        rows.append(Row(f"SHOP-{number}", str(10_000 + number), "Epic", title, "In Progress"))
    stories: list[Row] = []
    for epic in list(rows):
        for n in range(STORIES_PER_EPIC):
            number = len(rows) + 1
            status = DEFAULT_WORKFLOW_STATUSES[number % len(DEFAULT_WORKFLOW_STATUSES)]
            story = Row(
                f"SHOP-{number}", str(10_000 + number), "Story" if n % 4 else "Bug",
                f"{epic.summary}: story {n + 1}, with a comma", status, epic.issue_id, epic.summary,
            )  # fmt: skip
            rows.append(story)
            stories.append(story)
    for n in range(SUB_TASKS):
        story = stories[(n * 7) % len(stories)]
        number = len(rows) + 1
        status = DEFAULT_WORKFLOW_STATUSES[(number * 5) % len(DEFAULT_WORKFLOW_STATUSES)]
        rows.append(
            Row(
                f"SHOP-{number}",
                str(10_000 + number),
                "Sub-task",
                f"Sub-task {n + 1} of {story.key}",
                status,
                story.issue_id,
                story.summary,
            )
        )
    return rows


def cloud_export(rows: list[Row] | None = None) -> bytes:
    """The export's bytes (UTF-8 with a byte-order mark, as Jira Cloud writes it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for index, row in enumerate(rows if rows is not None else cloud_rows()):
        done = row.status in ("Done", "Resolved", "Closed", "Completed")
        writer.writerow(
            [
                row.summary,
                row.key,
                row.issue_id,
                row.issue_type,
                row.status,
                "SHOP",
                "Shop",
                "Medium",
                "Done" if done else "",
                PEOPLE[index % len(PEOPLE)],
                "Jira Admin",
                "18/Nov/25 2:35 PM",
                "02/Dec/25 9:05 AM",
                "18/Nov/26 2:35 PM" if done else "",
                "30/Jan/27" if index % 9 == 0 else "",
                "payments" if index % 2 else "",
                "q3",
                "",
                f"As a customer, I want {row.summary.lower()}.\n\nAcceptance:\n"
                '- it works, "quoted"\n- on mobile',
                "ada",
                "grace" if index % 3 else "",
                str(3600 * (index % 8)) if index % 5 else "",
                "3600",
                "",
                "SHOP Sprint 7" if index % 2 else "",
                "SHOP Sprint 8",
                str(index % 5),
                row.parent_id,
                row.parent_summary,
                "In Progress",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()
