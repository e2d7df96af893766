"""A scenario's changes in words ("Move 10 h/week of Ana Ruiz from “Legacy console” to “Self-healing
firmware”"), with the rows they name read once for the whole list: one query per kind of row, however
many changes there are."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models

from objectives.models import Initiative, InitiativeStatus, Objective, ObjectiveStatus, Task
from resources.models import Allocation, Person
from scenarios.models import ChangeKind, ScenarioChange
from scenarios.web.search import hours_text

TASKS_NAMED = 3  # a relink names its first few tasks, then says how many more

STATUS_WORDS = {**dict(InitiativeStatus.choices), **dict(ObjectiveStatus.choices)}

Rows = Mapping[type[models.Model], Mapping[int, Any]]


@dataclass(frozen=True)
class ChangeLine:
    change: ScenarioChange
    text: str

    @property
    def reason(self) -> str:
        return self.change.reason


def _id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _wanted(changes: Iterable[ScenarioChange]) -> dict[type[models.Model], set[int]]:
    wanted: dict[type[models.Model], set[int]] = {
        model: set() for model in (Allocation, Initiative, Objective, Person, Task)
    }

    def want(model: type[models.Model], value: Any) -> None:
        pk = _id(value)
        if pk is not None:
            wanted[model].add(pk)

    for change in changes:
        values = change.values or {}
        kind = change.kind
        if kind in (ChangeKind.ALLOCATION_CHANGE, ChangeKind.ALLOCATION_END, ChangeKind.HOURS_MOVE):
            want(Allocation, change.target_id)
        if kind in (ChangeKind.ALLOCATION_ADD, ChangeKind.HOURS_MOVE, ChangeKind.TASKS_RELINK):
            want(Initiative, values.get("initiative"))
        if kind == ChangeKind.ALLOCATION_ADD:
            want(Person, values.get("person"))
        elif kind == ChangeKind.INITIATIVE_CHANGE:
            want(Initiative, change.target_id)
        elif kind == ChangeKind.OBJECTIVE_CHANGE:
            want(Objective, change.target_id)
        elif kind == ChangeKind.PERSON_CHANGE:
            want(Person, change.target_id)
        elif kind == ChangeKind.TASKS_RELINK:
            want(Objective, values.get("objective"))
            for task in (values.get("tasks") or [])[:TASKS_NAMED]:
                want(Task, task)
    return wanted


def rows_of(organization_id: int, changes: Sequence[ScenarioChange]) -> Rows:
    """The rows the changes name, by model and id: one query per kind of row named."""
    found: dict[type[models.Model], dict[int, Any]] = {}
    for model, ids in _wanted(changes).items():
        if not ids:
            found[model] = {}
            continue
        rows = model.objects.for_org(organization_id).filter(pk__in=sorted(ids))  # type: ignore[attr-defined]
        if model is Allocation:
            rows = rows.select_related("person", "initiative")
        elif model in (Initiative, Objective, Task):
            rows = rows.only("id", "title", "status", *(("version",) if model is Initiative else ()))
        found[model] = {row.pk: row for row in rows}
    return found


def _quoted(row: Any, noun: str, pk: Any) -> str:
    return f"“{row.title}”" if row is not None else f"the {noun} {pk} (no longer in the plan)"


def _person(row: Any, pk: Any) -> str:
    return row.name if row is not None else f"the person {pk} (no longer in the plan)"


def _allocation(row: Allocation | None, pk: Any) -> str:
    if row is None:
        return f"the allocation {pk} (no longer in the plan)"
    return f"{row.person.name} on “{row.initiative.title}” ({hours_text(row.hours_per_week)} h/week)"


def _dates(values: Mapping[str, Any]) -> str:
    start, end = values.get("start_date"), values.get("end_date")
    if start and end:
        return f", from {start} to {end}"
    if start:
        return f", from {start}"
    return f", until {end}" if end else ""


def _settings(values: Mapping[str, Any]) -> str:
    """What a change of a row sets, in words: "status Paused, estimate 120 h"."""
    words = {
        "status": lambda v: "status " + str(STATUS_WORDS.get(v, v)),
        "estimate_hours": lambda v: f"estimate {hours_text(v)} h",
        "end_date": lambda v: f"end date {v}" if v else "no end date",
        "start_date": lambda v: f"start date {v}" if v else "no start date",
        "priority_weight": lambda v: f"priority weight {hours_text(v)}",
        "hours_per_week": lambda v: f"{hours_text(v)} h/week",
        "weekly_capacity_hours": lambda v: f"capacity {hours_text(v)} h/week",
    }
    return ", ".join(
        words[name](value) if name in words else f"{name} {value}" for name, value in values.items()
    )


def change_text(change: ScenarioChange, rows: Rows) -> str:
    values = change.values or {}
    kind, target = change.kind, change.target_id

    def initiative(pk: Any) -> str:
        return _quoted(rows[Initiative].get(_id(pk) or 0), "initiative", pk)

    def objective(pk: Any) -> str:
        return _quoted(rows[Objective].get(_id(pk) or 0), "objective", pk)

    allocation = rows[Allocation].get(target or 0)
    if kind == ChangeKind.HOURS_MOVE:
        hours, to = hours_text(values.get("hours_per_week")), initiative(values.get("initiative"))
        if allocation is None:
            return f"Move {hours} h/week of the allocation {target} (no longer in the plan) to {to}"
        return f"Move {hours} h/week of {allocation.person.name} from “{allocation.initiative.title}” to {to}"
    if kind == ChangeKind.ALLOCATION_ADD:
        person = _person(rows[Person].get(_id(values.get("person")) or 0), values.get("person"))
        hours = hours_text(values.get("hours_per_week"))
        return (
            f"Allocate {person} to {initiative(values.get('initiative'))} for {hours} h/week{_dates(values)}"
        )
    if kind == ChangeKind.ALLOCATION_CHANGE:
        return f"Change the allocation of {_allocation(allocation, target)}: {_settings(values)}"
    if kind == ChangeKind.ALLOCATION_END:
        return f"End the allocation of {_allocation(allocation, target)}"
    if kind == ChangeKind.INITIATIVE_CHANGE:
        return f"Change the initiative {initiative(target)}: {_settings(values)}"
    if kind == ChangeKind.OBJECTIVE_CHANGE:
        return f"Change the objective {objective(target)}: {_settings(values)}"
    if kind == ChangeKind.PERSON_CHANGE:
        someone = rows[Person].get(target or 0)
        hours = hours_text(values.get("weekly_capacity_hours"))
        now = f" (now {hours_text(someone.weekly_capacity_hours)})" if someone is not None else ""
        return f"Set the capacity of {_person(someone, target)} to {hours} h/week{now}"
    if kind == ChangeKind.TASKS_RELINK:
        tasks = list(values.get("tasks") or [])
        named = [_quoted(rows[Task].get(_id(pk) or 0), "task", pk) for pk in tasks[:TASKS_NAMED]]
        more = len(tasks) - len(named)
        listed = ", ".join(named) + (f" and {more} more" if more > 0 else "")
        if values.get("initiative") is not None:
            goal = f"the initiative {initiative(values['initiative'])}"
        else:
            goal = f"the objective {objective(values.get('objective'))}"
        noun = "the task" if len(tasks) == 1 else f"{len(tasks)} tasks,"
        return f"Link {noun} {listed} to {goal}"
    return ChangeKind(kind).label if kind in ChangeKind.values else str(kind)


def change_lines(organization_id: int, changes: Sequence[ScenarioChange]) -> list[ChangeLine]:
    rows = rows_of(organization_id, changes)
    return [ChangeLine(change, change_text(change, rows)) for change in changes]
