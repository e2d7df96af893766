"""The tasks on the strategy map: never a task row, only their counts and hours by class (open: to do,
in progress, blocked; done), per initiative and per objective that tasks link to directly.

Read from the kept task tallies (`objectives.tallies`, the sums the scores are computed from), in one
grouped query for every node a page of the map shows: the task table is never read. Cancelled tasks
count nowhere, as in SCORING.md.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q

from execgap.models import Organization
from objectives.models import TaskTally
from scoring.fetch_tallies import count_and_effort, tally_sums
from scoring.sql import rows_of


@dataclass(frozen=True)
class TaskSums:
    """The tasks of one goal by class: how many, and their hours (an estimate, else the organization's
    default effort E)."""

    open_tasks: int
    open_hours: float
    done_tasks: int
    done_hours: float

    @property
    def tasks(self) -> int:
        return self.open_tasks + self.done_tasks

    @property
    def done_share(self) -> float | None:
        """The done hours against all of them (0–1): how far the work is; None without hours."""
        whole = self.open_hours + self.done_hours
        return self.done_hours / whole if whole else None


def task_sums_fetch(
    *, organization: Organization, initiative_ids: Collection[int], objective_ids: Collection[int]
) -> tuple[dict[int, TaskSums], dict[int, TaskSums]]:
    """The task sums of the initiatives, and of the tasks linked directly to the objectives (not
    through an initiative), by id; a goal without tasks is left out. One query (none without ids)."""
    if not initiative_ids and not objective_ids:
        return {}, {}
    is_open, is_done = Q(kind="open"), Q(kind="done")
    linked = Q(initiative_id__in=sorted(initiative_ids)) | Q(
        initiative_id=0, objective_id__in=sorted(objective_ids)
    )
    open_sums = tally_sums("open", organization.default_task_effort_hours, is_open)
    done_sums = tally_sums("done", organization.default_task_effort_hours, is_done)
    rows = (
        TaskTally.objects.for_org(organization)
        .filter(linked, is_open | is_done)
        .values("objective_id", "initiative_id")
        .annotate(**open_sums, **done_sums)
        .values_list("objective_id", "initiative_id", *open_sums, *done_sums)
        .order_by()
    )
    by_initiative: dict[int, TaskSums] = {}
    by_objective: dict[int, TaskSums] = {}
    for objective_id, initiative_id, *sums in rows_of(rows):
        open_tasks, open_hours = count_and_effort(*sums[:2])
        done_tasks, done_hours = count_and_effort(*sums[2:])
        found = TaskSums(
            open_tasks=open_tasks, open_hours=open_hours, done_tasks=done_tasks, done_hours=done_hours
        )
        if not found.tasks:
            continue
        if initiative_id:
            by_initiative[initiative_id] = found
        else:
            by_objective[objective_id] = found
    return by_initiative, by_objective
