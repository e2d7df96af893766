"""A scenario's changes resolved against the live plan: the rows as they would be.

`plan_edits` reads the live rows the changes touch (one query per kind of row) and plays the changes
on copies of them, in order: what comes out (`PlanEdits`) is both what the evaluation overlays on the
scoring inputs and what applying writes through the services, so the two cannot disagree. Nothing is
saved here. Each change is checked as it is played: a value the plan would refuse (a negative
capacity, an end before the start) is a `ValidationError` naming the change.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models

from execgap.text import with_article
from objectives.models import Initiative, InitiativeStatus, Objective, ObjectiveStatus, Task
from resources.models import Allocation, Person
from scenarios.models import ChangeKind, ScenarioChange

# How many tasks one relink may move (a relink of more is a bulk edit, not a what-if).
MAX_RELINKED_TASKS = 500

# The fields each kind of change may set, and the model they belong to.
CHANGEABLE: Mapping[str, tuple[type[models.Model], frozenset[str]]] = {
    ChangeKind.ALLOCATION_CHANGE: (Allocation, frozenset({"hours_per_week", "start_date", "end_date"})),
    ChangeKind.INITIATIVE_CHANGE: (Initiative, frozenset({"status", "estimate_hours", "end_date"})),
    ChangeKind.OBJECTIVE_CHANGE: (Objective, frozenset({"status", "priority_weight"})),
    ChangeKind.PERSON_CHANGE: (Person, frozenset({"weekly_capacity_hours"})),
}
TARGET_MODEL: Mapping[str, type[models.Model]] = {
    ChangeKind.ALLOCATION_CHANGE: Allocation,
    ChangeKind.ALLOCATION_END: Allocation,
    ChangeKind.HOURS_MOVE: Allocation,
    ChangeKind.INITIATIVE_CHANGE: Initiative,
    ChangeKind.OBJECTIVE_CHANGE: Objective,
    ChangeKind.PERSON_CHANGE: Person,
}
ROW_LABELS: Mapping[type[models.Model], str] = {
    Allocation: "allocation",
    Initiative: "initiative",
    Objective: "objective",
    Person: "person",
    Task: "task",
}
MODEL_OF_LABEL = {label: model for model, label in ROW_LABELS.items()}
STATUS_CHOICES = {Initiative: InitiativeStatus.values, Objective: ObjectiveStatus.values}


def row_key(model: type[models.Model], pk: int) -> str:
    """ "allocation:12": how `base_versions` name a row."""
    return f"{ROW_LABELS[model]}:{pk}"


@dataclass
class PlanEdits:
    """The live rows a scenario changes, as they would be (unsaved copies), and what they were.

    `rows` maps (model, id) to the changed copy, or None for an allocation the scenario deletes;
    `originals` holds the live rows as read; `created` the allocations it adds (unsaved, in order);
    `task_links` each relinked task's new (objective id, initiative id), `task_links_before` its live one."""

    as_of: date
    originals: dict[tuple[type[models.Model], int], Any] = field(default_factory=dict)
    rows: dict[tuple[type[models.Model], int], Any] = field(default_factory=dict)
    created: list[Allocation] = field(default_factory=list)
    task_links: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)
    task_links_before: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)
    goals: dict[tuple[type[models.Model], int | None], Any] = field(default_factory=dict)
    origin: dict[int, ScenarioChange] = field(default_factory=dict)  # id() of a row → the change that made it

    def changed(self, model: type[models.Model]) -> dict[int, Any]:
        return {pk: row for (kind, pk), row in self.rows.items() if kind is model}

    def changed_fields(self, model: type[models.Model], pk: int) -> dict[str, Any]:
        """The fields of one changed row that differ from the live row."""
        before, after = self.originals[(model, pk)], self.rows[(model, pk)]
        return {
            name: getattr(after, name)
            for name in CHANGEABLE_FIELDS[model]
            if getattr(after, name) != getattr(before, name)
        }


CHANGEABLE_FIELDS: Mapping[type[models.Model], tuple[str, ...]] = {
    Allocation: ("hours_per_week", "start_date", "end_date"),
    Initiative: ("status", "estimate_hours", "end_date"),
    Objective: ("status", "priority_weight"),
    Person: ("weekly_capacity_hours",),
}


def _refuse(change: ScenarioChange | None, message: str, name: str = "values") -> ValidationError:
    where = f"Change {change.position}: " if change is not None and change.position else ""
    return ValidationError({name: f"{where}{message}"})


def parse_value(model: type[models.Model], name: str, value: Any) -> Any:
    """A JSON value of a changeable field as the model holds it (a decimal, a date, a status)."""
    field_ = cast("models.Field[Any, Any]", model._meta.get_field(name))
    if value is None or value == "":
        if not field_.null:
            raise ValidationError({name: "This field is required."})
        return None
    try:
        parsed = field_.to_python(value)
    except (ValidationError, InvalidOperation, TypeError) as error:
        raise ValidationError({name: f"Not a valid value: {value!r}."}) from error
    if isinstance(parsed, Decimal) and not parsed.is_finite():
        raise ValidationError({name: f"Not a valid value: {value!r}."})
    return parsed


def rows_read(
    organization_id: int, changes: Sequence[ScenarioChange]
) -> dict[tuple[type[models.Model], int], Any]:
    """The live rows the changes name, one query per kind of row, keyed by (model, id)."""
    return live_rows_for(organization_id, (key for change in changes for key in rows_named(change)))


def plan_edits(
    *,
    organization_id: int,
    changes: Sequence[ScenarioChange],
    as_of: date,
    live: Mapping[Any, Any] | None = None,
) -> PlanEdits:
    """Play `changes` in order on copies of the live rows they touch (read here unless given)."""
    live = rows_read(organization_id, changes) if live is None else live
    edits = PlanEdits(as_of=as_of)
    for change in changes:
        _play(edits, change, live, organization_id)
    _links_check(
        organization_id, [row for row in edits.rows.values() if row is not None] + edits.created, edits
    )
    return edits


def _current(edits: PlanEdits, live: Mapping[Any, Any], model: type[models.Model], pk: int | None,
             change: ScenarioChange) -> Any:  # fmt: skip
    """The row as the changes so far leave it (a copy, registered as changed)."""
    if pk is None or (model, pk) not in live:
        raise _refuse(change, f"The {ROW_LABELS[model]} {pk} no longer exists.")
    key = (model, pk)
    if key in edits.rows:
        if edits.rows[key] is None:
            raise _refuse(change, f"The {ROW_LABELS[model]} {pk} is already ended by an earlier change.")
        return edits.rows[key]
    edits.originals[key] = live[key]
    edits.rows[key] = copy.copy(live[key])
    return edits.rows[key]


def _end(edits: PlanEdits, allocation: Allocation, pk: int, change: ScenarioChange) -> None:
    """An allocation ended at D: it stops the day before D, or, where it had not started by D, goes."""
    as_of = edits.as_of
    if allocation.end_date is not None and allocation.end_date < as_of:
        raise _refuse(change, f"The allocation {pk} already ended on {allocation.end_date.isoformat()}.")
    if allocation.start_date is None or allocation.start_date < as_of:
        allocation.end_date = as_of - timedelta(days=1)
    else:
        edits.rows[(Allocation, pk)] = None


def _play(edits: PlanEdits, change: ScenarioChange, live: Mapping[Any, Any], organization_id: int) -> None:
    """Play one change, and check the rows it leaves (their links all at once, in `_links_check`)."""
    created_before = len(edits.created)
    _play_one(edits, change, live, organization_id)
    touched = [edits.rows.get(_key_of(key)) for key in rows_named(change)]
    for row in [*touched, *edits.created[created_before:]]:
        if row is not None:
            _validate(row, change)
            if isinstance(row, Allocation):
                _overlap_check(edits, row, change)
            edits.origin[id(row)] = change  # the last change to touch a row answers for its links


def _play_one(
    edits: PlanEdits, change: ScenarioChange, live: Mapping[Any, Any], organization_id: int
) -> None:
    values = change.values or {}
    kind = change.kind
    if kind in CHANGEABLE:
        model, allowed = CHANGEABLE[kind]
        unknown = sorted(set(values) - allowed)
        if unknown or not values:
            names = ", ".join(sorted(allowed))
            raise _refuse(change, f"A {ChangeKind(kind).label.lower()} sets one or more of: {names}.")
        row = _current(edits, live, model, change.target_id, change)
        for name, value in values.items():
            setattr(row, name, parse_value(model, name, value))
    elif kind == ChangeKind.ALLOCATION_END:
        allocation = _current(edits, live, Allocation, change.target_id, change)
        _end(edits, allocation, allocation.pk, change)
    elif kind == ChangeKind.ALLOCATION_ADD:
        edits.created.append(_new_allocation(organization_id, values, change))
    elif kind == ChangeKind.HOURS_MOVE:
        _move(edits, change, live, organization_id)
    elif kind == ChangeKind.TASKS_RELINK:
        _relink(edits, change, live)
    else:
        raise _refuse(change, f"Unknown kind of change: {kind!r}.", "kind")


def _new_allocation(organization_id: int, values: Mapping[str, Any], change: ScenarioChange) -> Allocation:
    allowed = {"person", "initiative", "hours_per_week", "start_date", "end_date"}
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise _refuse(change, f"Unknown fields: {', '.join(unknown)}.")
    fields: dict[str, Any] = {
        "person_id": values.get("person"),
        "initiative_id": values.get("initiative"),
        **{name: parse_value(Allocation, name, values.get(name)) for name in CHANGEABLE_FIELDS[Allocation]},
    }
    return Allocation(organization_id=organization_id, **fields)


def _move(edits: PlanEdits, change: ScenarioChange, live: Mapping[Any, Any], organization_id: int) -> None:
    """Move hours of one allocation to another initiative: into the person's allocation there named
    when drafted (`into`), else into a new allocation from D to the source's end."""
    values = change.values or {}
    source = _current(edits, live, Allocation, change.target_id, change)
    hours = parse_value(Allocation, "hours_per_week", values.get("hours_per_week"))
    if hours is None or hours <= 0:
        raise _refuse(change, "Move a positive number of hours.")
    if hours > source.hours_per_week:
        raise _refuse(change, f"The allocation has {source.hours_per_week} h a week: move at most that many.")
    target_initiative = values.get("initiative")
    if target_initiative == source.initiative_id:
        raise _refuse(change, "Move the hours to another initiative than the one they are on.")
    if source.end_date is not None and source.end_date < edits.as_of:
        raise _refuse(
            change, f"The allocation ended on {source.end_date.isoformat()}: it has no hours to move."
        )
    start = max(edits.as_of, source.start_date) if source.start_date else edits.as_of
    end = source.end_date
    source.hours_per_week -= hours
    if source.hours_per_week == 0:
        _end(edits, source, source.pk, change)
    into = values.get("into")
    if into is not None:
        target = _current(edits, live, Allocation, into, change)
        if target.person_id != source.person_id or target.initiative_id != target_initiative:
            raise _refuse(change, f"The allocation {into} is not this person's on that initiative.")
        target.hours_per_week += hours
        return
    new = {"person": source.person_id, "initiative": target_initiative, "hours_per_week": str(hours)}
    new |= {"start_date": start.isoformat(), "end_date": end and end.isoformat()}
    edits.created.append(_new_allocation(organization_id, new, change))


def _relink(edits: PlanEdits, change: ScenarioChange, live: Mapping[Any, Any]) -> None:
    values = change.values or {}
    task_ids = values.get("tasks") or []
    initiative, objective = values.get("initiative"), values.get("objective")
    if (initiative is None) == (objective is None):
        raise _refuse(change, "Link the tasks to exactly one initiative or objective.")
    if not task_ids or len(task_ids) > MAX_RELINKED_TASKS:
        raise _refuse(change, f"Relink between 1 and {MAX_RELINKED_TASKS} tasks at once.", "tasks")
    goal_model: type[models.Model] = Initiative if initiative is not None else Objective
    goal = int(values["initiative"] if initiative is not None else values["objective"])
    if (goal_model, goal) not in live:
        raise _refuse(change, f"No such {ROW_LABELS[goal_model]} in this organization: {goal}.")
    edits.goals[(goal_model, goal)] = live[(goal_model, goal)]
    missing = [pk for pk in task_ids if (Task, pk) not in live]
    if missing:
        raise _refuse(change, f"No such tasks in this organization: {missing[:10]}.", "tasks")
    for pk in task_ids:
        task = live[(Task, pk)]
        edits.task_links_before.setdefault(pk, (task.objective_id, task.initiative_id))
        edits.task_links[pk] = (objective, initiative)


def _validate(row: models.Model, change: ScenarioChange | None) -> None:
    """The model's own checks (field validators, `validation_errors`); its links are checked at once
    for every row by `_links_check`."""
    links = [field.name for field in row._meta.concrete_fields if isinstance(field, models.ForeignKey)]
    try:
        row.full_clean(exclude=links, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        label = ROW_LABELS[type(row)]
        messages = "; ".join(f"{name}: {' '.join(texts)}" for name, texts in error.message_dict.items())
        raise _refuse(change, f"the {label} would be refused ({messages})") from error


def _overlap_check(edits: PlanEdits, row: Allocation, change: ScenarioChange) -> None:
    """The model checks an allocation against the plan's; this checks it against the scenario's own
    (those it changes and those it creates), which the plan does not hold yet: two moves of one
    person's hours to one initiative must not make two allocations that meet."""
    for other in (*edits.rows.values(), *edits.created):
        if (
            other is row
            or not isinstance(other, Allocation)
            or (other.person_id, other.initiative_id) != (row.person_id, row.initiative_id)
        ):
            continue
        if (row.start_date is None or other.end_date is None or row.start_date <= other.end_date) and (
            other.start_date is None or row.end_date is None or other.start_date <= row.end_date
        ):
            start = other.start_date.isoformat() if other.start_date else "the start"
            end = other.end_date.isoformat() if other.end_date else "no end"
            raise _refuse(
                change,
                f"The person would be allocated to this initiative twice at once: an earlier change of"
                f" this scenario already allocates them from {start} to {end}"
                f" ({other.hours_per_week.normalize():f} h a week); move the hours into that allocation,"
                " or choose dates that do not overlap it.",
            )


def _links_check(organization_id: int, rows: Sequence[models.Model], edits: PlanEdits) -> None:
    """Every link of the rows names a row of the organization: one query per kind of row linked."""
    wanted: dict[type[models.Model], set[int]] = {}
    for row in rows:
        for field_ in row._meta.concrete_fields:
            if isinstance(field_, models.ForeignKey) and field_.name != "organization":
                value = getattr(row, field_.attname)
                if value is not None:
                    wanted.setdefault(field_.related_model, set()).add(value)
    found: dict[type[models.Model], set[int]] = {}
    for model, ids in wanted.items():
        manager = model.objects  # type: ignore[attr-defined]
        found[model] = set(
            manager.for_org(organization_id).filter(pk__in=sorted(ids)).values_list("pk", flat=True)
        )
    for row in rows:
        for field_ in row._meta.concrete_fields:
            if isinstance(field_, models.ForeignKey) and field_.name != "organization":
                value = getattr(row, field_.attname)
                if value is None and not field_.null:
                    message = f"the {ROW_LABELS[type(row)]} needs {with_article(str(field_.verbose_name))}"
                    raise _refuse(edits.origin.get(id(row)), f"{message}.")
                if value is not None and value not in found[field_.related_model]:
                    message = f"no such {field_.verbose_name} in this organization: {value}"
                    raise _refuse(edits.origin.get(id(row)), f"{message}.")


def base_versions_of(change: ScenarioChange, live: Mapping[Any, Any]) -> dict[str, int]:
    """The version of every live row the change reads (refreshed when a scenario is rebased)."""
    return {key: live[_key_of(key)].version for key in rows_named(change) if _key_of(key) in live}


def rows_named(change: ScenarioChange) -> list[str]:
    """The rows a change reads, as `row_key`s: its target, a move's `into`, a relink's tasks and goal."""
    values = change.values or {}
    keys: list[str] = []
    if change.kind in TARGET_MODEL and change.target_id is not None:
        keys.append(row_key(TARGET_MODEL[change.kind], change.target_id))
    if change.kind == ChangeKind.HOURS_MOVE and values.get("into") is not None:
        keys.append(row_key(Allocation, int(values["into"])))
    if change.kind == ChangeKind.TASKS_RELINK:
        keys += [row_key(Task, int(pk)) for pk in values.get("tasks") or []]
        for label, model in (("initiative", Initiative), ("objective", Objective)):
            if values.get(label) is not None:
                keys.append(row_key(model, int(values[label])))
    return keys


def _key_of(key: str) -> tuple[type[models.Model], int]:
    label, _, pk = key.partition(":")
    return MODEL_OF_LABEL[label], int(pk)


def live_rows_for(organization_id: int, keys: Iterable[str]) -> dict[tuple[type[models.Model], int], Any]:
    """The live rows named by `row_key`s, one query per kind of row."""
    wanted: dict[type[models.Model], set[int]] = {}
    for key in keys:
        model, pk = _key_of(key)
        wanted.setdefault(model, set()).add(pk)
    rows: dict[tuple[type[models.Model], int], Any] = {}
    for model, ids in wanted.items():
        manager = model.objects  # type: ignore[attr-defined]
        for row in manager.for_org(organization_id).filter(pk__in=sorted(ids)).order_by("pk"):
            rows[(model, row.pk)] = row
    return rows
