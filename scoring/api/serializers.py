"""The shapes of the other score answers (the schema's components): a snapshot's node rows, the
history, the drivers and the recompute request.

Units as SCORING.md: scores 0 to 100; shares, coverage, progress 0 to 1; efforts, demand and supply in
hours; load and capacity in hours per week. An undefined number is null, never 0. Scores are rounded
to 2 decimal places, every other fractional number to 10 significant digits (`scoring.api.numbers`).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from objectives.models import ProgressStatusChoices
from scoring.api.changes import SCORE_FIELDS
from scoring.api.drift import IdleAllocationSerializer, UnallocatedWorkerSerializer
from scoring.api.headline import SCORE_HELP
from scoring.api.numbers import MeasureField, RoundedModelSerializer, ScoreField
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot, TeamScore


class BlankAsNullChoiceField(serializers.ChoiceField):
    """Stored as "" when there is nothing to say; answered as null."""

    def to_representation(self, value: Any) -> Any:
        return None if value == "" else super().to_representation(value)


class ObjectiveScoreSerializer(RoundedModelSerializer):
    id = serializers.IntegerField(
        source="objective_id", allow_null=True, help_text="The objective (null: deleted since)."
    )
    parent_id = serializers.IntegerField(source="parent_objective_id", allow_null=True)
    snapshot = serializers.IntegerField(source="snapshot_id")
    progress_status = BlankAsNullChoiceField(
        choices=ProgressStatusChoices.choices,
        allow_null=True,
        help_text="Against the time elapsed between its dates; null when it has no dates.",
    )

    class Meta:
        model = ObjectiveScore
        fields = (
            "id", "parent_id", "title", "status", "live", "intended_share", "actual_share", "share_gap",
            "aligned_effort", "misaligned_effort", "total_effort", "active_initiatives", "demand",
            "covered", "coverage", "progress", "expected_progress", "progress_status", "over_invested",
            "snapshot",
        )  # fmt: skip
        extra_kwargs = {
            "over_invested": {
                "help_text": "Live, and its actual share exceeds the intended by more than 0.05."
            },
            "intended_share": {"help_text": "0 to 1."},
            "actual_share": {"help_text": "0 to 1 of the aligned effort; null: no aligned effort."},
            "share_gap": {"help_text": "actual - intended; null with the actual share."},
            "demand": {"help_text": "Hours needed by the active initiatives at or below it."},
            "covered": {"help_text": "Σ min(supply, demand), hours."},
            "coverage": {"help_text": "0 to 1; 0 when no active initiative is at or below it."},
            "progress": {"help_text": "0 to 1."},
            "expected_progress": {"help_text": "0 to 1; null when it has no dates."},
        }


class InitiativeScoreSerializer(RoundedModelSerializer):
    id = serializers.IntegerField(
        source="initiative_id", allow_null=True, help_text="The initiative (null: deleted since)."
    )
    objective_id = serializers.IntegerField(source="parent_objective_id", allow_null=True)
    snapshot = serializers.IntegerField(source="snapshot_id")
    drift_unallocated = UnallocatedWorkerSerializer(many=True, help_text="The first ten, most effort first.")
    drift_idle = IdleAllocationSerializer(many=True, help_text="The first ten, most hours first.")

    class Meta:
        model = InitiativeScore
        fields = (
            "id", "objective_id", "title", "end_date", "days_left", "window_days", "remaining", "demand",
            "supply", "coverage", "surplus", "over_staffed", "throughput", "forecast_finish", "forecast_late",
            "drift_unallocated_people", "unplanned_effort", "drift_unallocated", "drift_idle_people",
            "drift_idle_allocations", "drift_idle_hours", "drift_idle", "snapshot",
        )  # fmt: skip
        extra_kwargs = {
            "remaining": {"help_text": "Hours of work left."},
            "demand": {"help_text": "Hours needed inside the window."},
            "supply": {"help_text": "Hours allocated inside the window."},
            "coverage": {"help_text": "min(1, supply / demand); 1 when nothing is needed."},
            "surplus": {
                "help_text": "max(0, supply - demand): hours allocated beyond the need, in the window."
            },
            "over_staffed": {"help_text": "The surplus is at least max(8 h, a quarter of the demand)."},
            "throughput": {"help_text": "Hours of its work done per day over the activity window."},
            "forecast_finish": {
                "help_text": "D + remaining / throughput, in whole days; D with nothing left; null: no "
                "recent progress with work left."
            },
            "forecast_late": {
                "help_text": "It has an end date and the forecast passes it, or there is none."
            },
            "drift_unallocated_people": {"help_text": "Active people working on it without an allocation."},
            "unplanned_effort": {"help_text": "Hours of their open and recently done tasks of it."},
            "drift_idle_people": {"help_text": "People allocated to it without work (for 14 days or more)."},
            "drift_idle_allocations": {"help_text": "Their allocations to it."},
        }


class TeamScoreSerializer(RoundedModelSerializer):
    id = serializers.IntegerField(
        source="team_id", allow_null=True, help_text="The team (null: deleted since)."
    )
    parent_id = serializers.IntegerField(source="parent_team_id", allow_null=True)
    snapshot = serializers.IntegerField(source="snapshot_id")
    score = ScoreField(
        allow_null=True, help_text="100 x T, 0 to 100, to 2 decimal places; null: no work in scope."
    )

    class Meta:
        model = TeamScore
        fields = (
            *("id", "parent_id", "name", "score", "aligned_effort", "misaligned_effort", "orphan_effort"),
            *("total_effort", "misaligned_tasks", "orphan_tasks", "snapshot"),
        )
        extra_kwargs = {
            "aligned_effort": {
                "help_text": "Hours of aligned work in scope, of the team and every team below."
            },
            "misaligned_effort": {"help_text": "Hours of misaligned work in scope, of the team and below."},
            "orphan_effort": {"help_text": "Hours of orphan work in scope, of the team and below."},
            "total_effort": {"help_text": "Hours of work in scope, of the team and every team below."},
            "misaligned_tasks": {"help_text": "Misaligned tasks in scope, of the team and below."},
            "orphan_tasks": {"help_text": "Orphan tasks in scope, of the team and below."},
        }


class HistoryRowSerializer(RoundedModelSerializer):
    snapshot = serializers.IntegerField(source="pk", help_text="Its node rows: `?snapshot=` on the lists.")
    execution_health = ScoreField(allow_null=True, help_text=SCORE_HELP)
    alignment = ScoreField(allow_null=True, help_text=SCORE_HELP)
    resources = ScoreField(allow_null=True, help_text=SCORE_HELP)
    adaptability = ScoreField(allow_null=True, help_text=SCORE_HELP)
    people = ScoreField(allow_null=True, help_text=SCORE_HELP)

    class Meta:
        model = ScoreSnapshot
        fields = ("snapshot", "as_of", "computed_at", *SCORE_FIELDS)


class TaskDriverSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    effort = MeasureField(help_text="Hours.")
    team_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    objective_id = serializers.IntegerField(allow_null=True)
    initiative_id = serializers.IntegerField(allow_null=True)


class MisalignedTaskDriverSerializer(TaskDriverSerializer):
    reason = serializers.CharField(help_text="What breaks its link to a live objective.")


class InitiativeDriverSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    objective_id = serializers.IntegerField(allow_null=True)
    coverage = MeasureField()
    demand = MeasureField(help_text="Hours.")
    supply = MeasureField(help_text="Hours.")


class PersonDriverSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    team_id = serializers.IntegerField(allow_null=True)
    load = MeasureField(help_text="Hours per week allocated.")
    capacity = MeasureField(help_text="Hours per week.")
    allocations = serializers.IntegerField(help_text="Current allocations.")


class StaleItemDriverSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=[("objective", "Objective"), ("initiative", "Initiative")])
    id = serializers.IntegerField()
    title = serializers.CharField()
    owner_id = serializers.IntegerField(allow_null=True)
    last_check_in = serializers.DateField(allow_null=True)


class FeedbackDriverSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="blocker or risk.")
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    text = serializers.CharField(allow_blank=True, help_text="Its first 200 characters.")


DRIVER_LISTS = (
    "orphan_tasks", "misaligned_tasks", "least_covered_initiatives", "people_over_capacity",
    "people_spread_thin", "stale_items", "unanswered_feedback",
)  # fmt: skip


class DriversSerializer(serializers.Serializer[Any]):
    snapshot = serializers.IntegerField(allow_null=True)
    as_of = serializers.DateField(allow_null=True)
    computed_at = serializers.DateTimeField(allow_null=True)
    orphan_tasks = TaskDriverSerializer(many=True, help_text="Alignment: largest first.")
    misaligned_tasks = MisalignedTaskDriverSerializer(many=True, help_text="Alignment: largest first.")
    least_covered_initiatives = InitiativeDriverSerializer(many=True, help_text="Resources.")
    people_over_capacity = PersonDriverSerializer(many=True, help_text="Resources: most over first.")
    people_spread_thin = PersonDriverSerializer(many=True, help_text="Resources.")
    stale_items = StaleItemDriverSerializer(many=True, help_text="Adaptability and people.")
    unanswered_feedback = FeedbackDriverSerializer(many=True, help_text="Adaptability: oldest first.")


def drivers_of(snapshot: ScoreSnapshot | None) -> dict[str, Any]:
    drivers = snapshot.drivers if snapshot is not None else {}
    return {
        "snapshot": snapshot.pk if snapshot else None,
        "as_of": snapshot.as_of if snapshot else None,
        "computed_at": snapshot.computed_at if snapshot else None,
        **{name: drivers.get(name, []) for name in DRIVER_LISTS},
    }


class RecomputeAcceptedSerializer(serializers.Serializer[Any]):
    job = serializers.IntegerField(help_text="Poll it at `jobs/{id}/`.")
