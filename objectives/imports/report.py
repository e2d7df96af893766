"""The answer of an import: per row what it does (or would do), what it links to, and what is wrong.

`as_json()` is what the API answers and what a background job keeps as its result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from objectives.imports.lookups import Lookups
from objectives.imports.mapping import RowIssue
from objectives.imports.planning import RowPlan
from objectives.imports.rows import SourceKind

ACTIONS = ("created", "updated", "unchanged", "error")


@dataclass
class ImportReport:
    source: SourceKind
    dry_run: bool
    committed: bool
    skip_errors: bool
    rows: list[dict[str, Any]] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row["action"]] += 1
        return {
            "rows": len(self.rows),
            **counts,
            "linked": sum(1 for row in self.rows if row["link"] is not None),
            "warnings": sum(len(row["warnings"]) for row in self.rows),
        }

    @property
    def has_errors(self) -> bool:
        return any(row["action"] == "error" for row in self.rows)

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "skip_errors": self.skip_errors,
            "summary": self.summary,
            "ignored_columns": list(self.ignored_columns),
            "rows": self.rows,
        }


def report_rows(plans: Sequence[RowPlan], lookups: Lookups) -> list[dict[str, Any]]:
    return [
        {
            "row": plan.number,
            "external_key": plan.external_key,
            "action": plan.action,
            "task": plan.task.pk if plan.task is not None else None,
            "link": (
                {"kind": plan.goal[0], "id": plan.goal[1], "title": lookups.goal_title(plan.goal)}
                if plan.goal is not None
                else None
            ),
            "changes": plan.changes,
            "errors": [_issue(plan.number, issue) for issue in plan.errors],
            "warnings": [_issue(plan.number, issue) for issue in plan.warnings],
        }
        for plan in plans
    ]


def _issue(number: int, issue: RowIssue) -> dict[str, Any]:
    return {"row": number, "column": issue.column, "message": issue.message}
