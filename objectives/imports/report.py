"""The answer of an import: per row what it does (or would do), what it links to, and what is wrong;
and what a lead may map: the statuses the file uses and the parents (epics, titles, milestones,
labels) it names, each with what it maps to now.

`as_json()` is what the API answers and what a background job keeps as its result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from objectives.imports.inputs import RowInput, RowIssue
from objectives.imports.links import Mappable
from objectives.imports.lookups import Goal, Lookups
from objectives.imports.options import ImportOptions, normalized
from objectives.imports.planning import RowPlan
from objectives.imports.rows import SourceKind

ACTIONS = ("created", "updated", "unchanged", "goal", "error")


@dataclass
class ImportReport:
    source: SourceKind
    dry_run: bool
    committed: bool
    all_or_nothing: bool
    rows: list[dict[str, Any]] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    statuses: list[dict[str, Any]] = field(default_factory=list)
    parents: list[dict[str, Any]] = field(default_factory=list)

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
            "all_or_nothing": self.all_or_nothing,
            "skip_errors": not self.all_or_nothing,
            "summary": self.summary,
            "ignored_columns": list(self.ignored_columns),
            "to_map": {"statuses": self.statuses, "parents": self.parents},
            "rows": self.rows,
        }


def report_rows(plans: Sequence[RowPlan], lookups: Lookups) -> list[dict[str, Any]]:
    return [
        {
            "row": plan.number,
            "external_key": plan.external_key,
            "action": plan.action,
            "task": plan.task.pk if plan.task is not None else None,
            "link": _goal(plan.goal, lookups),
            "changes": plan.changes,
            "errors": [_issue(plan.number, issue) for issue in plan.errors],
            "warnings": [_issue(plan.number, issue) for issue in plan.warnings],
        }
        for plan in plans
    ]


def _issue(number: int, issue: RowIssue) -> dict[str, Any]:
    return {"row": number, "column": issue.column, "message": issue.message}


def _goal(goal: Goal | None, lookups: Lookups) -> dict[str, Any] | None:
    if goal is None:
        return None
    return {"kind": goal[0], "id": goal[1], "title": lookups.goal_title(goal)}


def report_statuses(inputs: Sequence[RowInput], options: ImportOptions) -> list[dict[str, Any]]:
    """Each status the file uses (as first written), the task status it maps to (None: unknown) and
    how many rows have it; the unknown ones first."""
    found: dict[str, dict[str, Any]] = {}
    for given in inputs:
        if given.status_name:
            entry = found.setdefault(
                normalized(given.status_name),
                {"name": given.status_name, "status": options.status_for(given.status_name), "rows": 0},
            )
            entry["rows"] += 1
    return sorted(found.values(), key=lambda entry: (entry["status"] is not None, -entry["rows"]))


def report_parents(mappables: Sequence[Mappable], lookups: Lookups) -> list[dict[str, Any]]:
    return [
        {
            "kind": item.kind,
            "refs": list(item.refs),
            "label": item.label,
            "rows": item.rows,
            "goal": _goal(item.goal, lookups),
        }
        for item in mappables
    ]
