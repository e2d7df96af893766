"""Jira-like CSV exports, written by the tests: the header Jira Cloud writes (a repeated Labels
column, custom fields as "Custom field (...)"), quoted fields with commas, quotes and line breaks.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

HEADER = (
    "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Priority", "Assignee", "Reporter",
    "Created", "Resolved", "Due Date", "Labels", "Labels", "Original Estimate", "Parent",
    "Parent summary", "Custom field (Epic Link)", "Sprint",
)  # fmt: skip


@dataclass
class Issue:
    key: str
    summary: str
    status: str = "To Do"
    issue_type: str = "Task"
    assignee: str = ""
    estimate: str = ""  # seconds, as Jira exports Original Estimate
    parent: str = ""
    parent_summary: str = ""
    epic_link: str = ""
    resolved: str = ""
    due: str = ""
    labels: tuple[str, str] = ("", "")
    issue_id: str = ""
    priority: str = "Medium"
    created: str = "01/Feb/24 9:00 AM"
    sprint: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def cells(self) -> list[str]:
        return [
            self.summary, self.key, self.issue_id, self.issue_type, self.status, self.priority,
            self.assignee, "Jira Admin", self.created, self.resolved, self.due, *self.labels,
            self.estimate, self.parent, self.parent_summary, self.epic_link, self.sprint,
        ]  # fmt: skip


def jira_export(issues: Iterable[Issue], *, header: tuple[str, ...] = HEADER) -> str:
    """The CSV text of an export of `issues` (CRLF line ends, as Jira writes them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for issue in issues:
        writer.writerow(issue.cells())
    return out.getvalue()


def realistic_issues() -> list[Issue]:
    """A project's export: an epic, stories and a sub-task under it, work under other goals, and the
    usual mistakes. The comment on each is its row as a spreadsheet shows it (the header is row 1).

    Goals it names (see `plan` in conftest): the initiatives "Checkout revamp" and "Faster builds",
    the objective "Grow revenue"; "Payments platform" is another organization's initiative.
    """
    return [
        # 2: an epic: a task of its own, linked to nothing
        Issue("SHOP-1", "Checkout revamp", "In Progress", "Epic", "Ada Lovelace", issue_id="10001"),
        # 3: a story under the epic; its Parent summary is an initiative's title
        Issue(
            "SHOP-2",
            'Pay with saved cards, "one click"',
            "In Review",
            "Story",
            "Ada Lovelace",
            "14400",
            parent="SHOP-1",
            parent_summary="Checkout revamp",
            labels=("payments", "q3"),
            issue_id="10002",
        ),
        # 4: a multi-line summary; under the objective
        Issue(
            "SHOP-3",
            "Refund flow\nfor partial orders, with notes",
            "To Do",
            "Story",
            parent_summary="Grow revenue",
            issue_id="10003",
        ),
        # 5: a sub-task: it links where its story links; assignee by email
        Issue(
            "SHOP-4",
            "Card vault: tokenise, store",
            "Backlog",
            "Sub-task",
            "grace@acme.test",
            "5400",
            parent="SHOP-2",
            issue_id="10004",
        ),
        # 6: done, with Jira's date format; an assignee ExecGap does not know
        Issue(
            "OPS-1",
            "Cache Docker layers",
            "Done",
            "Story",
            "Linus Unknown",
            "28800",
            parent_summary="Faster builds",
            resolved="12/Mar/24 4:15 PM",
        ),
        # 7: blocked, with a due date
        Issue("OPS-2", "Flaky test quarantine", "Blocked", parent_summary="Faster builds", due="2024-04-30"),
        # 8: a status the status map does not know
        Issue("OPS-3", "Nightly builds\n\nfor release branches", "QA Review"),
        # 9: a negative estimate
        Issue("OPS-4", "Shard the test suite", estimate="-3600"),
        # 10: no key
        Issue("", "Note without a key"),
        # 11: a parent only another organization has
        Issue("OPS-5", "Migrate to the new payments provider", parent_summary="Payments platform"),
        # 12: two parents, two goals: the epic link's story is under the objective
        Issue("OPS-6", "Release train dashboard", parent_summary="Faster builds", epic_link="SHOP-3"),
        # 13: won't do
        Issue("OPS-7", "Retire the old CI", "Won't Do"),
        # 14: commas and quotes; the parent's title in another case and spacing
        Issue(
            "OPS-8",
            'Upgrade CI runners, caches and "build" images',
            "Closed",
            estimate="7200",
            parent_summary="faster  BUILDS",
            resolved="2024-03-01 09:30",
        ),
        # 15: done with no Resolved date; an empty estimate
        Issue("OPS-9", "Document the release process", "Done"),
    ]


BAD_ROWS = {"OPS-3", "OPS-4", "", "OPS-5", "OPS-6"}


def clean_issues() -> list[Issue]:
    """The realistic export without its bad rows."""
    return [issue for issue in realistic_issues() if issue.key not in BAD_ROWS]
