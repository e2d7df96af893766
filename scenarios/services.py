"""Writes to scenarios: draft, change, rebase, apply and discard.

A scenario never changes the plan until it is applied: drafting and editing it writes only the
scenario's own rows and never marks the scores stale. Each change is checked when it is added (it
is played with the changes before it on the live plan, `scenarios.edits`) and records the version
of every plan row it reads. Applying makes every change through the plan's own services, in one
transaction, each revision carrying the scenario's name and the reason given; a change whose row
changed since it was drafted is not overwritten: the apply is refused with every conflict named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from execgap.history import change_set
from execgap.models import Membership
from execgap.roles import Action, Resource, require
from execgap.services import org_row_create, org_row_delete, org_row_update
from objectives.models import Initiative, Objective
from objectives.services import initiative_update, objective_update, tasks_link_to_goal
from resources.models import Allocation, Person
from resources.services import allocation_create, allocation_delete, allocation_update, person_update
from scenarios.edits import ROW_LABELS, PlanEdits, base_versions_of, live_rows_for, plan_edits, rows_named
from scenarios.models import ChangeKind, Scenario, ScenarioChange, ScenarioStatus

Data = Mapping[str, Any]
CHANGE_FIELDS = frozenset({"kind", "target_id", "values", "reason"})


@dataclass(frozen=True)
class Conflict:
    """A row a change reads that changed (or went) since the change was drafted."""

    change_id: int
    position: int
    row: str  # "allocation:12"
    drafted_version: int
    current_version: int | None  # None: the row no longer exists

    @property
    def message(self) -> str:
        label, _, pk = self.row.partition(":")
        if self.current_version is None:
            return f"Change {self.position}: the {label} {pk} no longer exists."
        return (
            f"Change {self.position}: the {label} {pk} changed since this scenario was drafted "
            f"(version {self.current_version}, drafted on {self.drafted_version})."
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "change": self.change_id, "position": self.position, "row": self.row,
            "drafted_version": self.drafted_version, "current_version": self.current_version,
            "message": self.message,
        }  # fmt: skip


class ScenarioConflictError(Exception):
    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__(" ".join(conflict.message for conflict in conflicts))
        self.conflicts = conflicts


def _require_draft(scenario: Scenario) -> None:
    if scenario.status != ScenarioStatus.DRAFT:
        raise ValidationError(
            {"status": f"This scenario is {scenario.get_status_display().lower()}: it can no longer change."}
        )


def scenario_create(*, actor: Membership, data: Data) -> Scenario:
    unknown = sorted(set(data) - {"name", "description"})
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown or read-only field."))
    return org_row_create(
        actor=actor, resource=Resource.SCENARIO, model=Scenario,
        data={**data, "created_by": actor.user}, marks_stale=False,
    )  # fmt: skip


def scenario_update(
    *, actor: Membership, scenario: Scenario, data: Data, expected_version: int | None = None
) -> Scenario:
    unknown = sorted(set(data) - {"name", "description"})
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown or read-only field."))
    return org_row_update(
        actor=actor, resource=Resource.SCENARIO, instance=scenario, data=data,
        expected_version=expected_version, marks_stale=False,
    )  # fmt: skip


def scenario_delete(*, actor: Membership, scenario: Scenario, expected_version: int | None = None) -> None:
    """Delete a scenario (an applied one stays: it is part of the plan's story)."""
    if scenario.status == ScenarioStatus.APPLIED:
        raise ValidationError({"status": "An applied scenario is kept: it explains the plan history."})
    org_row_delete(
        actor=actor, resource=Resource.SCENARIO, instance=scenario, expected_version=expected_version,
        marks_stale=False,
    )  # fmt: skip


def scenario_discard(*, actor: Membership, scenario: Scenario) -> Scenario:
    with transaction.atomic():
        row = Scenario.objects.for_org(actor.organization_id).select_for_update().get(pk=scenario.pk)
        _require_draft(row)
        return org_row_update(
            actor=actor, resource=Resource.SCENARIO, instance=row,
            data={"status": ScenarioStatus.DISCARDED}, marks_stale=False,
        )  # fmt: skip


def _changes(scenario: Scenario) -> list[ScenarioChange]:
    return list(scenario.changes.order_by("position", "pk"))


def _today() -> date:
    return timezone.now().astimezone(UTC).date()


def _checked(actor: Membership, changes: list[ScenarioChange], as_of: date | None) -> dict[Any, Any]:
    """Play the changes on the live plan at D (raises ValidationError naming the first refused one);
    the live rows they read."""
    keys = [key for change in changes for key in rows_named(change)]
    live = live_rows_for(actor.organization_id, keys)
    plan_edits(organization_id=actor.organization_id, changes=changes, as_of=as_of or _today(), live=live)
    return live


def change_add(
    *, actor: Membership, scenario: Scenario, data: Data, as_of: date | None = None
) -> ScenarioChange:
    """Add a change at the end of the scenario, checked with the changes before it at D (today's
    UTC date unless given)."""
    unknown = sorted(set(data) - CHANGE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown or read-only field."))
    if data.get("kind") not in ChangeKind.values:
        raise ValidationError({"kind": f"Choose one of: {', '.join(ChangeKind.values)}."})
    if not isinstance(data.get("values", {}), dict):
        raise ValidationError({"values": "An object of the fields this change sets."})
    with transaction.atomic():
        row = Scenario.objects.for_org(actor.organization_id).select_for_update().get(pk=scenario.pk)
        require(actor, Resource.SCENARIO, Action.CHANGE, row)
        _require_draft(row)
        changes = _changes(row)
        position = (row.changes.aggregate(last=Max("position"))["last"] or 0) + 1
        change = ScenarioChange(
            organization_id=actor.organization_id, scenario=row, position=position,
            kind=data["kind"], target_id=data.get("target_id"), values=dict(data.get("values") or {}),
            reason=data.get("reason") or "",
        )  # fmt: skip
        change.full_clean(exclude=["scenario", "base_versions", "values"])  # values: checked as played
        live = _checked(actor, [*changes, change], as_of)
        change.base_versions = base_versions_of(change, live)
        change.save()
        _touch(row)
    return change


def change_remove(
    *, actor: Membership, scenario: Scenario, change: ScenarioChange, as_of: date | None = None
) -> None:
    """Remove a change; the changes after it must still hold without it."""
    with transaction.atomic():
        row = Scenario.objects.for_org(actor.organization_id).select_for_update().get(pk=scenario.pk)
        require(actor, Resource.SCENARIO, Action.CHANGE, row)
        _require_draft(row)
        rest = [other for other in _changes(row) if other.pk != change.pk]
        _checked(actor, rest, as_of)
        ScenarioChange.objects.for_org(actor.organization_id).filter(pk=change.pk, scenario=row).delete()
        _touch(row)


def _touch(scenario: Scenario) -> None:
    """A changed scenario's evaluation no longer holds."""
    Scenario.objects.filter(pk=scenario.pk).update(
        evaluation=None, evaluated_at=None, updated_at=timezone.now(), version=scenario.version + 1
    )


def scenario_conflicts(*, scenario: Scenario) -> list[Conflict]:
    """Every row a change reads whose version moved since it was drafted (or that is gone)."""
    changes = _changes(scenario)
    live = live_rows_for(
        scenario.organization_id, [key for change in changes for key in change.base_versions]
    )
    conflicts = []
    for change in changes:
        for key, drafted in sorted(change.base_versions.items()):
            label, _, pk = key.partition(":")
            model = next(model for model, name in ROW_LABELS.items() if name == label)
            row = live.get((model, int(pk)))
            current = None if row is None else row.version
            if current != drafted:
                conflicts.append(Conflict(change.pk, change.position, key, drafted, current))
    return conflicts


def scenario_rebase(*, actor: Membership, scenario: Scenario, as_of: date | None = None) -> list[str]:
    """Take the plan as it is now as the scenario's base: every change keeps what it sets and reads
    the current rows' versions; a change whose row is gone is dropped. The messages of what was
    dropped; refused (nothing changes) when the changes no longer hold on the current plan."""
    with transaction.atomic():
        row = Scenario.objects.for_org(actor.organization_id).select_for_update().get(pk=scenario.pk)
        require(actor, Resource.SCENARIO, Action.CHANGE, row)
        _require_draft(row)
        dropped = [
            conflict for conflict in scenario_conflicts(scenario=row) if conflict.current_version is None
        ]
        gone = {conflict.change_id for conflict in dropped}
        kept = [change for change in _changes(row) if change.pk not in gone]
        live = _checked(actor, kept, as_of)
        ScenarioChange.objects.filter(pk__in=sorted(gone)).delete()
        for change in kept:
            change.base_versions = base_versions_of(change, live)
            change.save(update_fields=["base_versions", "updated_at"])
        _touch(row)
    return [conflict.message for conflict in dropped]


def scenario_apply(
    *, actor: Membership, scenario: Scenario, reason: str, as_of: date | None = None
) -> Scenario:
    """Make every change of the scenario through the plan's services, in one transaction, as of D
    (today's UTC date unless given: the day an ended allocation stops and a moved one starts).

    Raises ScenarioConflictError (nothing is written) when a row a change reads changed since it
    was drafted; PermissionDenied or ValidationError (nothing is written) when a service refuses.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the plan changes: it is kept with every revision."})
    with change_set(), transaction.atomic():  # its revisions read as one change set in the plan history
        row = Scenario.objects.for_org(actor.organization_id).select_for_update().get(pk=scenario.pk)
        require(actor, Resource.SCENARIO, Action.CHANGE, row)
        _require_draft(row)
        changes = _changes(row)
        if not changes:
            raise ValidationError({"changes": "This scenario has no changes to apply."})
        conflicts = scenario_conflicts(scenario=row)
        if conflicts:
            raise ScenarioConflictError(conflicts)
        edits = plan_edits(organization_id=actor.organization_id, changes=changes, as_of=as_of or _today())
        why = f"Scenario “{row.name}”: {reason}"
        _write(actor, edits, why)
        row.status = ScenarioStatus.APPLIED
        row.applied_at = timezone.now()
        row.applied_by = actor.user
        row.applied_reason = reason
        row.version += 1
        row.save(
            update_fields=["status", "applied_at", "applied_by", "applied_reason", "version", "updated_at"]
        )
    return row


def _write(actor: Membership, edits: PlanEdits, why: str) -> None:
    """The edits through the services, each row once, in a fixed order."""
    for objective_id in sorted(edits.changed(Objective)):
        objective = edits.originals[(Objective, objective_id)]
        data = edits.changed_fields(Objective, objective_id)
        if data:
            objective_update(actor=actor, objective=objective, data=data, reason=why)
    for initiative_id in sorted(edits.changed(Initiative)):
        data = edits.changed_fields(Initiative, initiative_id)
        if data:
            initiative_update(
                actor=actor, initiative=edits.originals[(Initiative, initiative_id)], data=data, reason=why
            )
    for person_id in sorted(edits.changed(Person)):
        data = edits.changed_fields(Person, person_id)
        if data:
            person_update(actor=actor, person=edits.originals[(Person, person_id)], data=data)
    for allocation_id, allocation in sorted(edits.changed(Allocation).items()):
        original = edits.originals[(Allocation, allocation_id)]
        if allocation is None:
            allocation_delete(actor=actor, allocation=original, reason=why)
        elif data := edits.changed_fields(Allocation, allocation_id):
            allocation_update(actor=actor, allocation=original, data=data, reason=why)
    for allocation in edits.created:
        allocation_create(
            actor=actor,
            data={
                "person_id": allocation.person_id, "initiative_id": allocation.initiative_id,
                "hours_per_week": allocation.hours_per_week, "start_date": allocation.start_date,
                "end_date": allocation.end_date,
            },
            reason=why,
        )  # fmt: skip
    targets: dict[tuple[int | None, int | None], list[int]] = {}
    for task_id, link in sorted(edits.task_links.items()):
        targets.setdefault(link, []).append(task_id)
    for (objective_goal, initiative_goal), task_ids in targets.items():
        tasks_link_to_goal(
            actor=actor,
            task_ids=task_ids,
            initiative=edits.goals.get((Initiative, initiative_goal)),
            objective=edits.goals.get((Objective, objective_goal)),
        )
