"""What each row will do: created, updated, unchanged, goal or error, decided in Python over bulk lookups.

A row is judged by the rules the task services apply one at a time: the model's own field checks
(`clean_fields`) and cross-field rules (`validation_errors`), links only to rows of the
organization, a unique external key, and the role table (may the actor create this task; may they
change it as it is and as it would be). Nothing here writes.

The goal a row's task links to is `objectives.imports.links`' to decide: its parents never make a
row an error. A row that stands for a goal (an epic mapped to one, or titled like one) is no task:
its action is `goal` (unless a task of its key was imported before: that task is linked to it).
A row that cannot be judged at all (a fault, not a value) is an error on that row, not a failed import.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from django.core.exceptions import ValidationError
from django.db import models

from execgap.models import Membership
from execgap.roles import Action, Resource, is_allowed
from execgap.validators import as_required
from objectives.imports.inputs import RowInput, RowIssue
from objectives.imports.links import LinkResolver, Mappable
from objectives.imports.lookups import Goal, Lookups, goal_of_task
from objectives.imports.options import ImportOptions
from objectives.models import Task, TaskStatus

RowAction = Literal["created", "updated", "unchanged", "goal", "error"]
Progress = Callable[[int], None]

# The fields an import may write, as the report names them.
MANAGED = (
    "title", "status", "effort_hours", "due_date", "completed_at", "external_key", "external_url",
    "team", "assignee", "initiative", "objective",
)  # fmt: skip
_LINK_FIELDS = frozenset({"team", "assignee", "initiative", "objective"})
_CHECKED_FIELDS = tuple(
    cast("models.Field[Any, Any]", Task._meta.get_field(name)) for name in MANAGED if name not in _LINK_FIELDS
)
PROGRESS_EVERY = 500

logger = logging.getLogger(__name__)


@dataclass
class RowPlan:
    number: int
    external_key: str
    action: RowAction
    task: Task | None = None
    changes: list[str] = field(default_factory=list)
    goal: Goal | None = None
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)


def rows_plan(
    *,
    actor: Membership,
    inputs: Sequence[RowInput],
    lookups: Lookups,
    options: ImportOptions,
    progress: Progress | None = None,
) -> tuple[list[RowPlan], list[Mappable]]:
    """Judge every row (see the module's docstring); `progress(done)` is told every few hundred rows.
    Returns the plans, and what the rows named that a lead may map to goals."""
    first_row: dict[str, int] = {}
    duplicates: dict[int, RowIssue] = {}
    for given in inputs:
        key = given.external_key
        if not key:
            duplicates[given.number] = RowIssue(given.columns.get("external_key"), "This field is required.")
        elif key in first_row:
            duplicates[given.number] = RowIssue(
                given.columns.get("external_key"),
                f"{key} appears more than once: first in row {first_row[key]}.",
            )
        else:
            first_row[key] = given.number
    links = LinkResolver(inputs, lookups, options)
    plans = []
    for done, given in enumerate(inputs, start=1):
        duplicate = duplicates.get(given.number)
        if duplicate is not None:
            given.errors.append(duplicate)
        try:
            plans.append(_row_plan(actor, given, lookups, links, skip=duplicate is not None))
        except Exception as error:  # a fault on one row is that row's error, naming it, not a lost import
            logger.exception("Import row %s could not be judged.", given.number, exc_info=error)
            plans.append(_faulty_plan(given, error))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    return plans, links.mappables()


def _faulty_plan(given: RowInput, error: Exception) -> RowPlan:
    issue = RowIssue(None, f"This row could not be judged ({type(error).__name__}); it is not imported.")
    return RowPlan(
        number=given.number, external_key=given.external_key, action="error", errors=[*given.errors, issue],
        warnings=given.warnings,
    )  # fmt: skip


def _row_plan(
    actor: Membership, given: RowInput, lookups: Lookups, links: LinkResolver, *, skip: bool
) -> RowPlan:
    plan = RowPlan(
        number=given.number, external_key=given.external_key, action="error",
        errors=given.errors, warnings=given.warnings,
    )  # fmt: skip
    if skip:
        return plan
    existing = lookups.tasks_by_key.get(given.external_key)
    resolution = links.of_row(given)
    if resolution.stands_for and existing is None:
        # An epic that stands for a goal is that goal's link, not a task: its own values do not matter.
        plan.action, plan.goal, plan.errors = "goal", resolution.goal, []
        return plan
    task = existing or Task(organization_id=actor.organization_id, external_key=given.external_key)
    before = _state(task) if existing else None
    may_change_before = existing is None or is_allowed(actor, Resource.TASK, Action.CHANGE, existing)
    _apply_values(task, given, lookups)
    _apply_assignee(task, given, lookups)
    _apply_link(task, resolution.goal, lookups)
    _apply_completion(task, given)
    _validate(task, given)
    if plan.errors:
        return plan
    plan.goal = goal_of_task(task)
    after = _state(task)
    plan.task = task
    if before is not None:
        plan.changes = [name for name, old, new in zip(MANAGED, before, after, strict=True) if old != new]
        if not plan.changes:
            plan.action = "unchanged"
        elif may_change_before and is_allowed(actor, Resource.TASK, Action.CHANGE, task):
            plan.action = "updated"
        else:
            plan.errors.append(RowIssue(None, f"Your role ({actor.role}) may not change this task."))
            plan.action = "error"
    elif is_allowed(actor, Resource.TASK, Action.CREATE, task):
        plan.action = "created"
    else:
        plan.errors.append(RowIssue(None, f"Your role ({actor.role}) may not create this task."))
    return plan


def _state(task: Task) -> tuple[Any, ...]:
    return tuple(getattr(task, f"{name}_id" if name in _LINK_FIELDS else name) for name in MANAGED)


def missing_message(field_name: str, pk: Any) -> str:
    """Django's own message for a link to a row that does not exist (the same for another
    organization's row, whose existence is never revealed)."""
    model_field = cast("models.ForeignKey[Any, Any]", Task._meta.get_field(field_name))
    return str(model_field.error_messages["invalid"]) % {
        "model": model_field.related_model._meta.verbose_name,
        "pk": pk,
        "field": "id",
        "value": pk,
    }


def _apply_values(task: Task, given: RowInput, lookups: Lookups) -> None:
    for name, value in given.values.items():
        if not name.endswith("_id"):
            setattr(task, name, value)
            continue
        relation = name.removesuffix("_id")
        column = given.columns.get(relation, relation)
        if value is None:
            setattr(task, relation, None)
        elif relation == "initiative" and value in lookups.initiatives:
            task.initiative = lookups.initiatives[value]
        elif relation == "objective" and value in lookups.objectives:
            task.objective = lookups.objectives[value]
        elif (relation == "team" and value in lookups.team_ids) or (
            relation == "assignee" and value in lookups.person_ids
        ):
            setattr(task, name, value)
        else:
            given.errors.append(RowIssue(column, missing_message(relation, value)))


def _apply_assignee(task: Task, given: RowInput, lookups: Lookups) -> None:
    name = given.assignee_name
    if name is None:
        return
    if not name:
        task.assignee_id = None
        return
    found = lookups.person_named(name)
    if len(found) == 1:
        task.assignee_id = found[0]
        return
    why = (
        "No person of the organization has" if not found else f"{len(found)} people of the organization have"
    )
    given.warnings.append(
        RowIssue(
            given.columns.get("assignee"), f"{why} the name or email {name!r}: the assignee is left as it is."
        )
    )


def _apply_link(task: Task, goal: Goal | None, lookups: Lookups) -> None:
    """Link the task to `goal` (None: leave its link as it is)."""
    if goal is None:
        return
    kind, pk = goal
    task.initiative = lookups.initiatives[pk] if kind == "initiative" else None
    task.objective = lookups.objectives[pk] if kind == "objective" else None


def _apply_completion(task: Task, given: RowInput) -> None:
    """A Jira row's Resolved is the completion of a done task; a task not done has none."""
    if not given.derive_completed:
        return
    if task.status != TaskStatus.DONE:
        task.completed_at = None
    elif given.resolved is not None:
        task.completed_at = given.resolved
    elif task.completed_at is None:
        given.warnings.append(
            RowIssue(
                given.columns.get("completed_at"),
                "Done, with no Resolved date: the task does not count as recent work.",
            )
        )


def _validate(task: Task, given: RowInput) -> None:
    """The model's own checks (`Model.clean_fields`, field by field, and `validation_errors`) on the
    fields an import sets; the links are checked against the lookups instead (no query per row)."""
    errors: dict[str, list[str]] = {}
    for model_field in _CHECKED_FIELDS:
        raw = getattr(task, model_field.attname)
        if model_field.blank and raw in model_field.empty_values:
            continue  # as Model.clean_fields skips an optional field left empty
        try:
            setattr(task, model_field.attname, model_field.clean(raw, task))
        except ValidationError as error:
            errors[model_field.name] = [
                message for e in error.error_list for message in as_required(e).messages
            ]
    for name, message in task.validation_errors().items():
        errors.setdefault(name, []).append(message)
    reported = {issue.column for issue in given.errors}  # a value refused already is not also "required"
    for name, messages in errors.items():
        column = given.link_refs[0][0] if name in ("initiative", "objective") and given.link_refs else None
        column = column or given.columns.get(name, name)
        if column not in reported:
            given.errors.extend(RowIssue(column, message) for message in messages)
