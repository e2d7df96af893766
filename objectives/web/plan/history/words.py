"""The plan history page's records in words, grouped by change set.

Only the page's records are loaded, two queries per kind (`feedback.selectors` computes each
record's diff against the record before it). Every id a diff shows (a parent, a team, an owner) is
turned into its name with one query per linked model for the whole page, so the queries do not grow
with the rows shown. Consecutive records of one change set (one person's request, a scenario's apply)
form a group.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import formats, timezone

from execgap.models import Organization
from feedback.selectors import (
    PLAN_HISTORY_MODELS,
    FieldChange,
    PlanRevision,
    plan_revisions_by_record,
)
from objectives.models import Initiative, KeyResult, Objective
from objectives.web.plan.history.query import KIND_NOUNS
from resources.models import Allocation, Person, Team

# Where the model's own name for a field reads poorly out of context.
_FIELD_LABELS: Mapping[str, str] = {
    "parent": "Parent objective",
    "estimate_hours": "Estimate (hours)",
    "activity_window_days": "Activity window (days)",
    "planning_horizon_days": "Planning horizon (days)",
    "checkin_cadence_days": "Check-in cadence (days)",
    "default_task_effort_hours": "Default task effort (hours)",
    "spread_thin_allocations": "Spread thin above (allocations)",
}
_NAME_FIELD: Mapping[type[models.Model], str] = {
    Objective: "title",
    Initiative: "title",
    KeyResult: "title",
    Team: "name",
    Person: "name",
}


@dataclass(frozen=True)
class ShownChange:
    """One field's change as a reader sees it: values in words, None where there was none."""

    field: str  # the field's label
    before: str | None
    after: str | None


@dataclass(frozen=True)
class HistoryEntry:
    revision: PlanRevision
    noun: str  # "key result"
    user_name: str  # "" when the change was made by no user (a data migration, the shell)
    changes: tuple[ShownChange, ...]
    # The page where the object is seen now, as a URL name and its pk (None once deleted).
    page_name: str | None
    page_pk: int | None

    @property
    def action(self) -> str:
        return str(self.revision.action)

    @property
    def anchor(self) -> str:
        return f"change-{self.revision.kind}-{self.revision.history_id}"


@dataclass(frozen=True)
class HistoryGroup:
    """The records of one change set shown on the page, newest first. `continues` and `continued`:
    more of its records are on the next or the previous page."""

    entries: tuple[HistoryEntry, ...]
    change_set: uuid.UUID | None
    continues: bool = False
    continued: bool = False

    @property
    def first(self) -> HistoryEntry:
        return self.entries[0]

    @property
    def at(self) -> datetime.datetime:
        return self.first.revision.at

    @property
    def user_name(self) -> str:
        return self.first.user_name

    @property
    def reason(self) -> str:
        """The reason, when every record of the group gives the same one; else "" (each says its own)."""
        reasons = {entry.revision.reason for entry in self.entries}
        return reasons.pop() if len(reasons) == 1 else ""

    @property
    def reasons_given(self) -> bool:
        return any(entry.revision.reason for entry in self.entries)

    @property
    def summary(self) -> str:
        """ "2 key results created, 1 objective changed", in the order first seen."""
        counts: dict[tuple[str, str], int] = {}
        for entry in self.entries:
            key = (entry.action, entry.noun)
            counts[key] = counts.get(key, 0) + 1
        return ", ".join(
            f"{count} {_plural(noun, count)} {action}" for (action, noun), count in counts.items()
        )

    @property
    def open(self) -> bool:
        """Shown open: a small group; a large one (a scenario's apply) opens on demand."""
        return len(self.entries) <= 5


def _plural(noun: str, count: int) -> str:
    return noun if count == 1 or noun.endswith("settings") else f"{noun}s"


def history_groups(
    entries: list[HistoryEntry], *, continues: uuid.UUID | None, continued: uuid.UUID | None
) -> list[HistoryGroup]:
    """Consecutive entries of one change set as a group (a record without one is alone).
    `continues` / `continued`: the change set of the record just after / before the page."""
    runs: list[list[HistoryEntry]] = []
    for entry in entries:
        change_set = entry.revision.change_set
        if runs and change_set is not None and runs[-1][-1].revision.change_set == change_set:
            runs[-1].append(entry)
        else:
            runs.append([entry])
    groups = [HistoryGroup(tuple(run), run[0].revision.change_set) for run in runs]
    if groups and groups[0].change_set is not None and groups[0].change_set == continued:
        groups[0] = HistoryGroup(groups[0].entries, groups[0].change_set, groups[0].continues, True)
    if groups and groups[-1].change_set is not None and groups[-1].change_set == continues:
        groups[-1] = HistoryGroup(groups[-1].entries, groups[-1].change_set, True, groups[-1].continued)
    return groups


def revisions_by_key(keys: list[tuple[str, int]]) -> dict[tuple[str, int], PlanRevision]:
    """The revisions of the given (kind, record id)s: two queries per kind present."""
    found: dict[tuple[str, int], PlanRevision] = {}
    for kind in PLAN_HISTORY_MODELS:
        ids = [history_id for key_kind, history_id in keys if key_kind == kind]
        if ids:
            for revision in plan_revisions_by_record(kind=kind, history_ids=ids):
                found[(kind, revision.history_id)] = revision
    return found


def history_entries(organization: Organization, revisions: list[PlanRevision]) -> list[HistoryEntry]:
    """The revisions in words: names for link ids and users, labels for choices, each object's page."""
    wanted: dict[type[models.Model], set[int]] = {}

    def want(model: type[models.Model], ids: Iterable[Any]) -> None:
        wanted.setdefault(model, set()).update(int(i) for i in ids if i is not None)

    for revision in revisions:
        model = PLAN_HISTORY_MODELS[revision.kind]
        if revision.kind != "settings":  # the organization's own settings: no page of a row to link
            want(model, [revision.object_id])
        for change in revision.changes:
            field = model._meta.get_field(change.field)
            if field.is_relation and field.related_model in _NAME_FIELD:
                want(field.related_model, [change.before, change.after])  # type: ignore[arg-type]
    users = {revision.user.pk for revision in revisions if revision.user is not None}
    names, pages = _names_and_pages(organization, wanted, users)
    return [
        HistoryEntry(
            revision=revision,
            noun=KIND_NOUNS[revision.kind],
            user_name=_user_name(revision, names),
            changes=_shown_changes(PLAN_HISTORY_MODELS[revision.kind], revision.changes, names),
            page_name=pages.get((revision.kind, revision.object_id), (None, None))[0],
            page_pk=pages.get((revision.kind, revision.object_id), (None, None))[1],
        )
        for revision in revisions
    ]


Names = dict[tuple[Any, int], str]


def _names_and_pages(
    organization: Organization, wanted: dict[type[models.Model], set[int]], user_ids: set[int]
) -> tuple[Names, dict[tuple[str, int], tuple[str, int]]]:
    """One query per model: the names of the wanted rows that still exist (keyed by (model, id)),
    the people's names of the users (keyed by ("user", id)), and the page of each existing plan row
    (keyed by (kind, id)): an objective's or initiative's own page, a key result's objective,
    an allocation's initiative."""
    names: Names = {}
    pages: dict[tuple[str, int], tuple[str, int]] = {}
    for model, ids in wanted.items():
        if not ids:
            continue
        rows = model.objects.for_org(organization).filter(pk__in=ids)  # type: ignore[attr-defined]
        if model is Allocation:
            for pk, initiative_id in rows.values_list("pk", "initiative_id"):
                pages[("allocation", pk)] = ("initiative_detail", initiative_id)
            continue
        extra = ("objective_id",) if model is KeyResult else ()
        for pk, name, *rest in rows.values_list("pk", _NAME_FIELD[model], *extra):
            names[(model, pk)] = name
            if model is Objective:
                pages[("objective", pk)] = ("objective_detail", pk)
            elif model is Initiative:
                pages[("initiative", pk)] = ("initiative_detail", pk)
            elif model is KeyResult:
                pages[("key_result", pk)] = ("objective_detail", rest[0])
    if user_ids:
        people = Person.objects.for_org(organization).filter(user_id__in=user_ids)
        for user_id, name in people.values_list("user_id", "name"):
            names[("user", user_id)] = name
    return names, pages


def _user_name(revision: PlanRevision, names: Names) -> str:
    user = revision.user
    if user is None:
        return ""
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return names.get(("user", user.pk)) or full_name or user.get_username()


def _shown_changes(
    model: type[models.Model], changes: Iterable[FieldChange], names: Names
) -> tuple[ShownChange, ...]:
    return tuple(
        ShownChange(
            field=_label_of(model, change.field),
            before=_shown(model, change.field, change.before, names),
            after=_shown(model, change.field, change.after, names),
        )
        for change in _in_form_order(model, changes)
    )


def _in_form_order(model: type[models.Model], changes: Iterable[FieldChange]) -> list[FieldChange]:
    """The changes in the order of the model's fields (the history tables put the links last)."""
    order = {field.name: position for position, field in enumerate(model._meta.fields)}
    return sorted(changes, key=lambda change: order.get(change.field, len(order)))


def _label_of(model: type[models.Model], name: str) -> str:
    if name in _FIELD_LABELS:
        return _FIELD_LABELS[name]
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


def _shown(model: type[models.Model], name: str, value: Any, names: Names) -> str | None:
    """A field's value as a reader sees it; None for no value."""
    if value is None or value == "":
        return None
    field = model._meta.get_field(name)
    if field.is_relation:
        found = names.get((field.related_model, int(value)))
        noun = field.related_model._meta.verbose_name  # type: ignore[union-attr]
        return found if found is not None else f"{noun} #{value} (deleted)"
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"  # 3.5000 → 3.5, 100.0000 → 100
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j M Y")
    return str(value)
