"""Writes to the cascade: objectives, key results, initiatives and tasks.

Each function is the one way in for its change (pages, API, admin, imports and jobs call it);
`execgap.services` does the role check, validation, revision record and stale mark. `data` maps
field names (or `<link>_id`) to values; `reason` is kept in the plan history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from execgap.models import Membership, Organization
from execgap.roles import Action, Resource, require
from execgap.services import org_row_create, org_row_delete, org_row_update
from objectives.deletion import deletion_check
from objectives.models import Initiative, KeyResult, Objective, Task, TaskStatus

Data = Mapping[str, Any]


def objective_create(*, actor: Membership, data: Data, reason: str = "") -> Objective:
    return org_row_create(actor=actor, resource=Resource.OBJECTIVE, model=Objective, data=data, reason=reason)


def objective_update(
    *,
    actor: Membership,
    objective: Objective,
    data: Data,
    expected_version: int | None = None,
    reason: str = "",
) -> Objective:
    """Change an objective. A move in the tree (a new `parent`) holds a lock on the organization
    while it checks for a cycle, so that two moves at once cannot together make one."""
    with transaction.atomic():
        if {"parent", "parent_id"} & set(data):
            Organization.objects.select_for_update().filter(pk=actor.organization_id).first()
        return org_row_update(
            actor=actor, resource=Resource.OBJECTIVE, instance=objective, data=data,
            expected_version=expected_version, reason=reason,
        )  # fmt: skip


def objective_delete(
    *,
    actor: Membership,
    objective: Objective,
    expected_version: int | None = None,
    reason: str = "",
    cascade: bool | str = False,
) -> None:
    """Delete an objective. Refused (ValidationError) while it has child objectives, initiatives or
    open blockers; refused (DeletionNotConfirmedError) while key results, check-ins or feedback would go
    with it, unless `cascade` is True or the `deletion_fingerprint` of exactly what the caller showed.
    """
    org_row_delete(
        actor=actor, resource=Resource.OBJECTIVE, instance=objective, expected_version=expected_version,
        reason=reason, check=lambda row: deletion_check(row, cascade),
    )  # fmt: skip


def key_result_create(*, actor: Membership, data: Data, reason: str = "") -> KeyResult:
    return org_row_create(
        actor=actor, resource=Resource.KEY_RESULT, model=KeyResult, data=data, reason=reason
    )


def key_result_update(
    *,
    actor: Membership,
    key_result: KeyResult,
    data: Data,
    expected_version: int | None = None,
    reason: str = "",
) -> KeyResult:
    return org_row_update(
        actor=actor, resource=Resource.KEY_RESULT, instance=key_result, data=data,
        expected_version=expected_version, reason=reason,
    )  # fmt: skip


def key_result_delete(
    *, actor: Membership, key_result: KeyResult, expected_version: int | None = None, reason: str = ""
) -> None:
    org_row_delete(
        actor=actor, resource=Resource.KEY_RESULT, instance=key_result, expected_version=expected_version,
        reason=reason,
    )  # fmt: skip


def initiative_create(*, actor: Membership, data: Data, reason: str = "") -> Initiative:
    return org_row_create(
        actor=actor, resource=Resource.INITIATIVE, model=Initiative, data=data, reason=reason
    )


def initiative_update(
    *,
    actor: Membership,
    initiative: Initiative,
    data: Data,
    expected_version: int | None = None,
    reason: str = "",
) -> Initiative:
    return org_row_update(
        actor=actor, resource=Resource.INITIATIVE, instance=initiative, data=data,
        expected_version=expected_version, reason=reason,
    )  # fmt: skip


def initiative_delete(
    *,
    actor: Membership,
    initiative: Initiative,
    expected_version: int | None = None,
    reason: str = "",
    cascade: bool | str = False,
) -> None:
    """Delete an initiative: refused while it has open blockers, and unless confirmed (`cascade`, as
    for `objective_delete`) while allocations, check-ins or feedback would go with it."""
    org_row_delete(
        actor=actor, resource=Resource.INITIATIVE, instance=initiative, expected_version=expected_version,
        reason=reason, check=lambda row: deletion_check(row, cascade),
    )  # fmt: skip


def task_create(*, actor: Membership, data: Data) -> Task:
    return org_row_create(actor=actor, resource=Resource.TASK, model=Task, data=data)


def task_update(*, actor: Membership, task: Task, data: Data, expected_version: int | None = None) -> Task:
    """Change a task. A status that leaves done clears `completed_at` (unless `data` sets it, which
    is then refused: only a done task has a completion time)."""
    if "status" in data and data["status"] != TaskStatus.DONE and "completed_at" not in data:
        data = {**data, "completed_at": None}
    return org_row_update(
        actor=actor, resource=Resource.TASK, instance=task, data=data, expected_version=expected_version
    )


def task_delete(*, actor: Membership, task: Task, expected_version: int | None = None) -> None:
    org_row_delete(actor=actor, resource=Resource.TASK, instance=task, expected_version=expected_version)


def task_link_to_goal(
    *, actor: Membership, task: Task, initiative: Initiative | None = None, objective: Objective | None = None
) -> Task:
    """Link a task to one goal (an initiative or an objective), replacing its previous link."""
    if (initiative is None) == (objective is None):
        raise ValidationError({"__all__": "Link the task to exactly one initiative or objective."})
    return task_update(actor=actor, task=task, data={"initiative": initiative, "objective": objective})


def tasks_link_to_goal(
    *,
    actor: Membership,
    task_ids: Sequence[int],
    initiative: Initiative | None = None,
    objective: Objective | None = None,
) -> list[Task]:
    """Link many tasks at once: all of them or, where any one is refused, none."""
    with transaction.atomic():
        tasks = list(Task.objects.for_org(actor.organization_id).filter(pk__in=task_ids).order_by("pk"))
        missing = sorted(set(task_ids) - {task.pk for task in tasks})
        if missing:
            raise ValidationError({"tasks": f"No such tasks in this organization: {missing}."})
        for task in tasks:
            require(actor, Resource.TASK, Action.CHANGE, task)
        return [
            task_link_to_goal(actor=actor, task=task, initiative=initiative, objective=objective)
            for task in tasks
        ]
