"""Everything an import compares its rows with, read in a few queries, within the organization only.

The organization's goals (by id and by title), teams and people (by name and email), the tasks the
file's keys name, and the tasks its parents name. Goals are loaded with the columns the role check
reads (team, and an initiative's objective), and each loaded task holds its goal, so that deciding
what a team-scoped lead may change asks the database nothing more.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from objectives.imports.options import GoalKind, normalized
from objectives.models import Initiative, Objective, Task
from resources.models import Person, Team

CHUNK = 900  # ids or keys per IN (...): SQLite's historical limit on a query's parameters

Goal = tuple[GoalKind, int]


@dataclass
class Lookups:
    initiatives: dict[int, Initiative] = field(default_factory=dict)
    objectives: dict[int, Objective] = field(default_factory=dict)
    goals_by_title: dict[str, list[Goal]] = field(default_factory=dict)
    team_ids: frozenset[int] = frozenset()
    person_ids: frozenset[int] = frozenset()
    people_by_email: dict[str, list[int]] = field(default_factory=dict)
    people_by_name: dict[str, list[int]] = field(default_factory=dict)
    tasks_by_key: dict[str, Task] = field(default_factory=dict)
    parent_tasks: dict[str, Goal | None] = field(default_factory=dict)

    def goal_row(self, goal: Goal) -> Initiative | Objective | None:
        kind, pk = goal
        return self.initiatives.get(pk) if kind == "initiative" else self.objectives.get(pk)

    def goal_title(self, goal: Goal) -> str:
        row = self.goal_row(goal)
        return row.title if row is not None else ""

    def person_named(self, name: str) -> list[int]:
        """The people a Jira assignee stands for: by email when it looks like one, else by name."""
        key = normalized(name)
        if "@" in key:
            return self.people_by_email.get(key, [])
        return self.people_by_name.get(key, []) or self.people_by_email.get(key, [])


def lookups_load(
    *, organization_id: int, keys: Collection[str], parent_refs: Collection[str], lock: bool = False
) -> Lookups:
    """Read what the rows need. `keys` are the rows' external keys (their tasks are read whole, and
    locked with `lock`, for the rows that update them); `parent_refs` the parents the rows name,
    of which those that are the keys of other tasks give their goal."""
    found = Lookups()
    objectives = Objective.objects.for_org(organization_id).only("id", "organization_id", "title", "team_id")
    found.objectives = {row.pk: row for row in objectives}
    initiatives = Initiative.objects.for_org(organization_id).only(
        "id", "organization_id", "title", "team_id", "objective_id"
    )
    for initiative in initiatives:
        if initiative.objective_id is not None:
            initiative.objective = found.objectives[initiative.objective_id]
        found.initiatives[initiative.pk] = initiative
    for kind, rows in (("initiative", found.initiatives), ("objective", found.objectives)):
        for pk, row in rows.items():
            found.goals_by_title.setdefault(normalized(row.title), []).append((kind, pk))  # type: ignore[arg-type]
    found.team_ids = frozenset(Team.objects.for_org(organization_id).values_list("id", flat=True))
    people = list(Person.objects.for_org(organization_id).values_list("id", "name", "email"))
    found.person_ids = frozenset(pk for pk, _, _ in people)
    for pk, name, email in people:
        found.people_by_name.setdefault(normalized(name), []).append(pk)
        if email:
            found.people_by_email.setdefault(normalized(email), []).append(pk)
    # Not blank: the condition of the unique (organization, external_key) index, so that it serves.
    tasks: QuerySet[Task] = Task.objects.for_org(organization_id).exclude(external_key="")
    if lock:
        tasks = tasks.select_for_update()
    for chunk in _chunks(sorted(set(keys) - {""})):
        for task in tasks.filter(external_key__in=chunk):
            _hold_goal(task, found)
            found.tasks_by_key[task.external_key] = task
    wanted = sorted(
        ref
        for ref in set(parent_refs) - set(keys)
        if normalized(ref) not in found.goals_by_title  # a goal's title is no task's key to look up
    )
    for chunk in _chunks(wanted):
        parents = (
            Task.objects.for_org(organization_id).exclude(external_key="").filter(external_key__in=chunk)
        )
        for key, initiative_id, objective_id in parents.values_list(
            "external_key", "initiative_id", "objective_id"
        ):
            found.parent_tasks[key] = _goal_of(initiative_id, objective_id)
    return found


def goal_of_task(task: Task) -> Goal | None:
    return _goal_of(task.initiative_id, task.objective_id)


def _goal_of(initiative_id: int | None, objective_id: int | None) -> Goal | None:
    if initiative_id is not None:
        return ("initiative", initiative_id)
    if objective_id is not None:
        return ("objective", objective_id)
    return None


def _hold_goal(task: Task, found: Lookups) -> None:
    """Give the task its goal rows (already loaded), for the role check's team lookup."""
    if task.initiative_id is not None:
        task.initiative = found.initiatives[task.initiative_id]
    if task.objective_id is not None:
        task.objective = found.objectives[task.objective_id]


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
