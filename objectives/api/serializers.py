"""Objectives, key results, initiatives and tasks as the API reads and writes them (fields as SPEC.md
names them, plus `id`, `version`, `created_at` and `updated_at`).

Links are ids of rows of the caller's organization (`OrgRowSerializer` scopes them); `owner` and
`assignee` are ids of people of the organization. Plan rows (objectives, key results,
initiatives) take a write-only `reason`, kept in the plan history.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from execgap.api.base import OrgRowSerializer, PlanRowSerializer
from objectives.models import Initiative, KeyResult, Objective, ProgressStatusChoices, Task
from resources.api.filters import MAX_ID

ROW_FIELDS = ("version", "created_at", "updated_at")


class ObjectiveSerializer(PlanRowSerializer):
    """A goal in the cascade; one without a parent is a root (a boardroom objective). `progress` and
    `progress_status` are those of the latest score snapshot."""

    # Annotated by the view on every row it reads (`objectives_with_progress`): one query per page.
    progress = serializers.FloatField(
        source="latest_progress", read_only=True, allow_null=True,
        help_text="Progress from 0 to 1 in the latest score snapshot; null before the objective's "
        "first snapshot.",
    )  # fmt: skip
    progress_status = serializers.ChoiceField(
        source="latest_progress_status", choices=ProgressStatusChoices.choices, read_only=True,
        allow_null=True,
        help_text="Progress against the time elapsed between start_date and end_date, in the latest "
        "score snapshot; null before the first snapshot or when the objective has no dates.",
    )  # fmt: skip

    class Meta:
        model = Objective
        fields = (
            "id", "title", "description", "parent", "team", "owner", "status", "priority_weight",
            "start_date", "end_date", "progress", "progress_status", "reason", *ROW_FIELDS,
        )  # fmt: skip
        read_only_fields = ROW_FIELDS
        extra_kwargs = {
            "parent": {
                "help_text": "The objective this one serves (the cascade is a tree); null for a root."
            },
            "team": {"help_text": "The team that owns the objective."},
            "owner": {"help_text": "The person accountable for the objective."},
            "priority_weight": {
                "help_text": "Relative weight among its siblings (greater than 0; default 1): its "
                "intended share of effort."
            },
            "start_date": {"help_text": "First day of the objective; null when open."},
            "end_date": {"help_text": "Last day of the objective (not before start_date); null when open."},
        }


class KeyResultSerializer(PlanRowSerializer):
    """A measurable result of an objective: progress runs from `start_value` to `target_value`."""

    class Meta:
        model = KeyResult
        fields = (
            "id", "objective", "title", "unit", "start_value", "target_value", "current_value", "weight",
            "reason", *ROW_FIELDS,
        )  # fmt: skip
        read_only_fields = ROW_FIELDS
        extra_kwargs = {
            "objective": {"help_text": "The objective this key result measures."},
            "unit": {"help_text": "The unit of the values (%, users, EUR, ...)."},
            "start_value": {"help_text": "The value when the work started (default 0)."},
            "target_value": {"help_text": "The value that means done."},
            "current_value": {"help_text": "The value now (default 0)."},
            "weight": {"help_text": "Weight among the objective's key results (greater than 0; default 1)."},
        }


class InitiativeSerializer(PlanRowSerializer):
    """A body of work planned for an objective; people are allocated to it."""

    class Meta:
        model = Initiative
        fields = (
            "id", "title", "description", "objective", "team", "owner", "status", "start_date", "end_date",
            "estimate_hours", "reason", *ROW_FIELDS,
        )  # fmt: skip
        read_only_fields = ROW_FIELDS
        extra_kwargs = {
            "objective": {"help_text": "The objective the initiative serves; null when it serves none yet."},
            "team": {"help_text": "The team that runs the initiative."},
            "owner": {"help_text": "The person accountable for the initiative."},
            "start_date": {"help_text": "First day of the initiative; null when open."},
            "end_date": {"help_text": "Last day of the initiative (not before start_date); null when open."},
            "estimate_hours": {"help_text": "Hours of work the initiative needs in all (not negative)."},
        }


class TaskSerializer(OrgRowSerializer):
    """A unit of daily work, linked to at most one goal: an initiative or an objective."""

    class Meta:
        model = Task
        fields = (
            "id", "title", "initiative", "objective", "team", "assignee", "status", "effort_hours",
            "due_date", "completed_at", "external_key", "external_url", *ROW_FIELDS,
        )  # fmt: skip
        read_only_fields = ROW_FIELDS
        extra_kwargs = {
            "initiative": {"help_text": "The initiative the task serves (give it or objective, not both)."},
            "objective": {
                "help_text": "The objective the task serves directly (give it or initiative, not both)."
            },
            "team": {"help_text": "The team doing the task; null: the team of its goal."},
            "assignee": {"help_text": "The person doing the task."},
            "effort_hours": {
                "help_text": "Hours of work (not negative); null: no estimate (scores use the "
                "organization's default effort)."
            },
            "completed_at": {
                "help_text": "When the task was finished (writable, so that past work can be loaded)."
            },
            "external_key": {
                "help_text": "The task's key in the tool it came from (a Jira issue key, say); unique in "
                "the organization when given."
            },
            "external_url": {"help_text": "The task's address in the tool it came from."},
        }

    def validate_external_key(self, value: str) -> str:
        # The database's constraint would only say that it "is violated", on no field.
        organization = self.context.get("organization")
        if value and organization is not None:
            others = Task.objects.for_org(organization).filter(external_key=value)
            if self.instance is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise serializers.ValidationError("A task with this external key already exists.")
        return value


class TaskLinkSerializer(OrgRowSerializer):
    """Link many tasks to one goal at once: give `tasks` and exactly one of `initiative`, `objective`."""

    MAX_TASKS = 1000

    tasks = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), allow_empty=False,
        max_length=MAX_TASKS,
        help_text=f"Ids of the tasks to link (at most {MAX_TASKS}); each one's previous link is replaced.",
    )  # fmt: skip
    initiative = serializers.PrimaryKeyRelatedField(
        queryset=Initiative.objects.none(), required=False, allow_null=True,
        help_text="The initiative to link the tasks to (or give objective).",
    )  # fmt: skip
    objective = serializers.PrimaryKeyRelatedField(
        queryset=Objective.objects.none(), required=False, allow_null=True,
        help_text="The objective to link the tasks to directly (or give initiative).",
    )  # fmt: skip

    class Meta:
        model = Task
        fields = ("tasks", "initiative", "objective")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("initiative") is None) == (attrs.get("objective") is None):
            raise serializers.ValidationError(
                {"non_field_errors": ["Give exactly one of initiative and objective."]}
            )
        return attrs
