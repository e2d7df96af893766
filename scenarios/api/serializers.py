"""The scenarios' REST shapes: a scenario, its changes, its evaluation and an apply's answer."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from execgap.api.base import OrgRowSerializer
from scenarios.models import ChangeKind, Scenario, ScenarioChange


class ScenarioSerializer(OrgRowSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)
    applied_by = serializers.CharField(source="applied_by.username", read_only=True, allow_null=True)
    changes = serializers.IntegerField(source="change_count", read_only=True, help_text="How many changes.")
    evaluated = serializers.BooleanField(
        read_only=True, help_text="Whether an evaluation is kept (read it at evaluation/)."
    )
    snapshot_after = serializers.IntegerField(
        read_only=True, allow_null=True,
        help_text="An applied scenario: the first score snapshot computed after it was applied.",
    )  # fmt: skip

    class Meta:
        model = Scenario
        fields = [
            "id", "version", "name", "description", "status", "created_by", "created_at", "updated_at",
            "changes", "evaluated", "evaluated_at", "evaluated_as_of", "applied_at", "applied_by",
            "applied_reason", "snapshot_after",
        ]  # fmt: skip
        read_only_fields = [
            "version", "status", "created_at", "updated_at", "evaluated_at", "evaluated_as_of", "applied_at",
            "applied_reason",
        ]  # fmt: skip


class ScenarioChangeSerializer(serializers.ModelSerializer[ScenarioChange]):
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    values = serializers.JSONField(
        required=False,
        help_text=(
            "What the change sets. allocation_add: person, initiative, hours_per_week, start_date, end_date; "
            "allocation_change: hours_per_week, start_date, end_date; allocation_end: nothing; "
            "hours_move: initiative, hours_per_week, into (the person's allocation there, or null); "
            "initiative_change: status, estimate_hours, end_date; objective_change: status, priority_weight; "
            "person_change: weekly_capacity_hours; tasks_relink: tasks (ids) and initiative or objective."
        ),
    )

    class Meta:
        model = ScenarioChange
        fields = ["id", "position", "kind", "kind_label", "target_id", "values", "reason", "base_versions"]
        read_only_fields = ["position", "base_versions"]
        extra_kwargs = {
            "target_id": {"help_text": "The allocation, initiative, objective or person it changes."},
            "base_versions": {"help_text": "The version of every row it reads, when drafted or rebased."},
        }


class ApplySerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=500, help_text="Why the plan changes: kept with every revision the scenario makes."
    )


class ConflictSerializer(serializers.Serializer[Any]):
    change = serializers.IntegerField(help_text="The change's id.")
    position = serializers.IntegerField()
    row = serializers.CharField(help_text='The row, as "allocation:12".')
    drafted_version = serializers.IntegerField()
    current_version = serializers.IntegerField(allow_null=True, help_text="Null: the row no longer exists.")
    message = serializers.CharField()


class ConflictsSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    conflicts = ConflictSerializer(many=True)


class RebaseSerializer(serializers.Serializer[Any]):
    dropped = serializers.ListField(child=serializers.CharField(), help_text="The changes dropped, and why.")
    scenario = ScenarioSerializer()


class PairSerializer(serializers.Serializer[Any]):
    baseline = serializers.JSONField(allow_null=True)
    scenario = serializers.JSONField(allow_null=True)
    difference = serializers.FloatField(allow_null=True)


class EvaluationSerializer(serializers.Serializer[Any]):
    scenario = serializers.IntegerField()
    evaluated_at = serializers.DateTimeField()
    as_of = serializers.DateField(help_text="D: the date both sides are computed for.")
    current = serializers.BooleanField(
        help_text="False when the plan or the scenario changed since, or D is no longer today."
    )
    scores = serializers.DictField(child=PairSerializer(), help_text="execution_health and the four scores.")
    objectives = serializers.ListField(child=serializers.DictField(), help_text="Moved ones, and every root.")
    objective_count = serializers.IntegerField()
    initiatives = serializers.ListField(child=serializers.DictField(), help_text="Changed or moved ones.")
    initiative_count = serializers.IntegerField()
    people = serializers.DictField(help_text="over_capacity and spread_thin: counts, added, removed.")
    off_strategy_capacity = PairSerializer()
    signals = serializers.DictField(child=PairSerializer())
    explanation = serializers.ListField(child=serializers.CharField())
