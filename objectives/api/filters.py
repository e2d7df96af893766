"""Filters of the objectives, key results, initiatives and tasks lists.

Links are filtered by id against the organization's own rows (the view's queryset is already
scoped), so an id of another organization's row finds nothing, exactly like an id that does not
exist, and costs no lookup. Each task filter is an equality on a column that an index on
(organization, column) serves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from objectives.models import (
    Initiative,
    InitiativeStatus,
    KeyResult,
    Objective,
    ObjectiveStatus,
    Task,
    TaskStatus,
)
from resources.api.filters import IdFilter, TrueOrFalseFilter, UpdatedSinceFilterSet


class ObjectiveFilter(UpdatedSinceFilterSet):
    status = filters.ChoiceFilter(choices=ObjectiveStatus.choices, label="Only objectives in this status.")
    team = IdFilter(field_name="team", label="Only the objectives of this team (its id).")
    owner = IdFilter(field_name="owner", label="Only the objectives this person owns (their id).")
    parent = IdFilter(field_name="parent", label="Only the objectives directly below this one (its id).")
    root = TrueOrFalseFilter(
        method="filter_root",
        label="Only the roots of the cascade, with no parent (true), or only those below one (false).",
    )

    class Meta:
        model = Objective
        fields = ("status", "team", "owner", "parent", "root", "updated_since")

    def filter_root(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return queryset.filter(parent__isnull=value)


class KeyResultFilter(UpdatedSinceFilterSet):
    objective = IdFilter(field_name="objective", label="Only the key results of this objective (its id).")

    class Meta:
        model = KeyResult
        fields = ("objective", "updated_since")


class InitiativeFilter(UpdatedSinceFilterSet):
    status = filters.ChoiceFilter(choices=InitiativeStatus.choices, label="Only initiatives in this status.")
    team = IdFilter(field_name="team", label="Only the initiatives of this team (its id).")
    objective = IdFilter(field_name="objective", label="Only the initiatives of this objective (its id).")
    owner = IdFilter(field_name="owner", label="Only the initiatives this person owns (their id).")
    unlinked = TrueOrFalseFilter(
        method="filter_unlinked",
        label="Only initiatives serving no objective (true), or only those serving one (false).",
    )

    class Meta:
        model = Initiative
        fields = ("status", "team", "objective", "owner", "unlinked", "updated_since")

    def filter_unlinked(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return queryset.filter(objective__isnull=value)


class TaskFilter(UpdatedSinceFilterSet):
    status = filters.ChoiceFilter(choices=TaskStatus.choices, label="Only tasks in this status.")
    team = IdFilter(field_name="team", label="Only the tasks of this team (its id).")
    objective = IdFilter(
        field_name="objective", label="Only the tasks linked directly to this objective (its id)."
    )
    initiative = IdFilter(field_name="initiative", label="Only the tasks of this initiative (its id).")
    assignee = IdFilter(field_name="assignee", label="Only the tasks assigned to this person (their id).")
    unlinked = TrueOrFalseFilter(
        method="filter_unlinked",
        label="Only tasks linked to no goal, neither an initiative nor an objective (true), or only "
        "tasks linked to one (false).",
    )
    external_key = filters.CharFilter(
        field_name="external_key", label="Only the task with this key in the tool it came from (exact)."
    )

    class Meta:
        model = Task
        fields = (
            "status", "team", "objective", "initiative", "assignee", "unlinked", "external_key",
            "updated_since",
        )  # fmt: skip

    def filter_unlinked(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        if value:
            return queryset.filter(initiative__isnull=True, objective__isnull=True)
        return queryset.filter(Q(initiative__isnull=False) | Q(objective__isnull=False))
