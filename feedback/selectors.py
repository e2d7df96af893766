"""Reads of the plan history: what changed in the plan, when, by whom and why.

The history is django-simple-history's records of objectives, key results, initiatives,
allocations and the organization's settings (name and scoring parameters). A record holds the row's
values after the change (for a delete: at the delete), so a change's "before" is the previous record
of the same row, fetched in bulk. The settings' first record (the organization's creation) is only
what the first change is measured against: it is not listed as a change. The records written
together share a change set (`execgap.history`).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery

from execgap.models import Organization
from objectives.models import Initiative, KeyResult, Objective
from resources.models import Allocation

PLAN_HISTORY_MODELS: Mapping[str, type[models.Model]] = {
    "objective": Objective,
    "key_result": KeyResult,
    "initiative": Initiative,
    "allocation": Allocation,
    "settings": Organization,
}
SETTINGS_LABEL = "Scoring settings"
# The settings that move scores (SCORING.md "Inputs and parameters"); the name moves none.
SCORING_SETTINGS = (
    "activity_window_days",
    "planning_horizon_days",
    "checkin_cadence_days",
    "default_task_effort_hours",
    "spread_thin_allocations",
)

# Bookkeeping, not plan content: the id never changes and the version changes with every edit.
_NOT_SHOWN = frozenset({"id", "organization", "version", "slug"})


def history_of_organization(kind: str, organization_id: int) -> Q:
    """The condition that keeps one organization's records of a kind's history table (the settings'
    table is the organization's own: its row id is the organization; its creation is no change)."""
    if kind == "settings":
        return Q(id=organization_id) & ~Q(history_type="+")
    return Q(organization_id=organization_id)


class HistoryAction(enum.StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"


_ACTION_OF_TYPE = {"+": HistoryAction.CREATED, "~": HistoryAction.CHANGED, "-": HistoryAction.DELETED}


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after; links are ids. None where the row did not exist."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class PlanRevision:
    kind: str  # a key of PLAN_HISTORY_MODELS
    object_id: int
    label: str  # the row's title as of this revision (for an allocation: "person on initiative")
    action: HistoryAction
    at: datetime
    user: AbstractBaseUser | None
    reason: str
    changes: tuple[FieldChange, ...]
    history_id: int  # the record's id, unique within its kind
    # The records written together share it; None for a record older than change sets (alone).
    change_set: uuid.UUID | None = None


def plan_history_list(
    *,
    organization: Organization | int,
    since: datetime | None = None,
    kinds: Collection[str] | None = None,
    limit: int = 100,
) -> list[PlanRevision]:
    """The organization's latest plan revisions, newest first: at most `limit`, made at or after
    `since`, of the given kinds (every kind by default: the plan's four and the settings). At most two
    queries per kind."""
    unknown = sorted(set(kinds or ()) - set(PLAN_HISTORY_MODELS))
    if unknown:
        raise ValueError(f"Unknown plan history kinds {unknown}: choose from {sorted(PLAN_HISTORY_MODELS)}.")
    org_id = organization if isinstance(organization, int) else organization.pk
    revisions: list[PlanRevision] = []
    for kind in PLAN_HISTORY_MODELS:
        if kinds is None or kind in kinds:
            revisions += _revisions(kind=kind, organization_id=org_id, since=since, limit=limit)
    revisions.sort(key=lambda revision: (revision.at, revision.history_id), reverse=True)
    return revisions[:limit]


def plan_history_for(*, organization: Organization | int, obj: models.Model) -> list[PlanRevision]:
    """Every revision of one objective, key result, initiative or allocation, newest first
    (empty when `obj` belongs to another organization)."""
    plan_models = {kind: model for kind, model in PLAN_HISTORY_MODELS.items() if kind != "settings"}
    kind = next((kind for kind, model in plan_models.items() if isinstance(obj, model)), None)
    if kind is None:
        raise ValueError(f"{type(obj).__name__} has no plan history.")
    org_id = organization if isinstance(organization, int) else organization.pk
    return _revisions(kind=kind, organization_id=org_id, object_id=obj.pk)


def _revisions(
    *,
    kind: str,
    organization_id: int,
    since: datetime | None = None,
    limit: int | None = None,
    object_id: int | None = None,
) -> list[PlanRevision]:
    history = PLAN_HISTORY_MODELS[kind].history.model  # type: ignore[attr-defined]
    records = history.objects.filter(history_of_organization(kind, organization_id))
    if since is not None:
        records = records.filter(history_date__gte=since)
    if object_id is not None:
        records = records.filter(id=object_id)
    return _revisions_of(kind, records.order_by("-history_date", "-history_id"), limit=limit)


def plan_revisions_by_record(*, kind: str, history_ids: Collection[int]) -> list[PlanRevision]:
    """The revisions of these history records of one kind (a page of a longer list), newest first.

    The caller has scoped `history_ids` to its organization. Two queries.
    """
    history = PLAN_HISTORY_MODELS[kind].history.model  # type: ignore[attr-defined]
    records = history.objects.filter(history_id__in=history_ids).order_by("-history_date", "-history_id")
    return _revisions_of(kind, records)


def _revisions_of(kind: str, records: QuerySet[Any], *, limit: int | None = None) -> list[PlanRevision]:
    history = records.model
    previous = (
        history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    records = records.select_related(
        "history_user", *(("person", "initiative") if kind == "allocation" else ())
    ).annotate(previous_history_id=Subquery(previous))
    rows = list(records if limit is None else records[:limit])
    previous_ids = [row.previous_history_id for row in rows if row.history_type == "~"]
    previous_rows = (
        {row.history_id: row for row in history.objects.filter(history_id__in=previous_ids)}
        if previous_ids
        else {}
    )
    fields = [field for field in history._meta.concrete_fields if field.name in _shown_field_names(history)]
    return [
        PlanRevision(
            kind=kind,
            object_id=row.id,
            label=_label(kind, row),
            action=_ACTION_OF_TYPE[row.history_type],
            at=row.history_date,
            user=row.history_user,
            reason=row.history_change_reason or "",
            changes=_changes(fields, row, previous_rows.get(row.previous_history_id)),
            history_id=row.history_id,
            change_set=row.history_change_set,
        )
        for row in rows
    ]


def _shown_field_names(history: Any) -> set[str]:
    return {field.name for field in history.tracked_fields if field.editable} - _NOT_SHOWN


def _changes(fields: list[models.Field[Any, Any]], row: Any, previous: Any) -> tuple[FieldChange, ...]:
    """The fields whose value differs between the previous record and this one.

    A create has no "before" and a delete no "after": then only the fields with a value are listed.
    """
    values = {field.name: getattr(row, field.attname) for field in fields}
    no_values: dict[str, Any] = {}
    if row.history_type == "+":
        before, after = no_values, values
    elif row.history_type == "-":
        before, after = values, no_values
    elif previous is not None:
        before, after = {field.name: getattr(previous, field.attname) for field in fields}, values
    else:  # a change whose earlier records were never kept: nothing to compare with
        before, after = values, values
    return tuple(
        FieldChange(field=name, before=before.get(name), after=after.get(name))
        for name in (field.name for field in fields)
        if before.get(name) != after.get(name) and not (_empty(before.get(name)) and _empty(after.get(name)))
    )


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _label(kind: str, row: Any) -> str:
    if kind == "settings":
        return SETTINGS_LABEL
    if kind != "allocation":
        return str(row.title)
    if row.person is None or row.initiative is None:  # deleted since
        return f"Allocation {row.id}"
    return f"{row.person.name} on {row.initiative.title}"


def settings_change_between(
    *, organization: Organization | int, after: datetime, until: datetime
) -> PlanRevision | None:
    """The latest change to a scoring setting made after `after` and at or before `until` (the
    times two snapshots were computed), or None. A change of name only moves no score and is
    passed over. Two queries."""
    org_id = organization if isinstance(organization, int) else organization.pk
    history = Organization.history.model
    records = history.objects.filter(
        history_of_organization("settings", org_id), history_date__gt=after, history_date__lte=until
    ).order_by("-history_date", "-history_id")
    # A window between two snapshots holds a few changes at most; renames among them are rare.
    for revision in _revisions_of("settings", records, limit=20):
        if any(change.field in SCORING_SETTINGS for change in revision.changes):
            return revision
    return None
