"""The shapes of the score answers (the schema's components), built from a snapshot's rows and JSON.

Units as SCORING.md: scores 0 to 100; shares, coverage, progress 0 to 1; efforts, demand and supply in
hours; load and capacity in hours per week. An undefined number is null, never 0.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from objectives.models import ProgressStatusChoices
from scoring.api.drift import IdleAllocationSerializer, UnallocatedWorkerSerializer
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot, TeamScore

SCORE_FIELDS = ("execution_health", "alignment", "resources", "adaptability", "people")
HEADLINE_FIELDS = ("as_of", "computed_at", *SCORE_FIELDS)
PARAMETER_FIELDS = (
    "activity_window_days",
    "planning_horizon_days",
    "checkin_cadence_days",
    "default_task_effort_hours",
    "spread_thin_allocations",
)


class ScoreParametersSerializer(serializers.Serializer[Any]):
    activity_window_days = serializers.IntegerField(help_text="W (days).")
    planning_horizon_days = serializers.IntegerField(help_text="H (days).")
    checkin_cadence_days = serializers.IntegerField(help_text="C (days).")
    default_task_effort_hours = serializers.FloatField(help_text="E (hours).")
    spread_thin_allocations = serializers.IntegerField(help_text="K (allocations).")


class RootShareSerializer(serializers.Serializer[Any]):
    objective_id = serializers.IntegerField(help_text="An active root objective (in R).")
    title = serializers.CharField()
    intended_share = serializers.FloatField(help_text="p_r, 0 to 1.")
    actual_share = serializers.FloatField(allow_null=True, help_text="a_r, 0 to 1; null: no aligned effort.")


class RootCoverageSerializer(serializers.Serializer[Any]):
    objective_id = serializers.IntegerField(help_text="An active root objective (in R).")
    title = serializers.CharField()
    intended_share = serializers.FloatField(help_text="p_r, 0 to 1: its weight in the score.")
    coverage = serializers.FloatField(help_text="coverage(r), 0 to 1.")


class WithoutTeamSerializer(serializers.Serializer[Any]):
    aligned_effort = serializers.FloatField(help_text="Hours.")
    misaligned_effort = serializers.FloatField(help_text="Hours.")
    orphan_effort = serializers.FloatField(help_text="Hours.")
    misaligned_tasks = serializers.IntegerField()
    orphan_tasks = serializers.IntegerField()


class AlignmentPartsSerializer(serializers.Serializer[Any]):
    tasks_in_scope = serializers.IntegerField()
    aligned_tasks = serializers.IntegerField()
    misaligned_tasks = serializers.IntegerField()
    orphan_tasks = serializers.IntegerField()
    aligned_effort = serializers.FloatField(help_text="Hours.")
    misaligned_effort = serializers.FloatField(help_text="Hours.")
    orphan_effort = serializers.FloatField(help_text="Hours.")
    total_effort = serializers.FloatField(help_text="Hours of the tasks in scope.")
    effort_without_team = serializers.FloatField(help_text="Hours of tasks in scope with no team.")
    without_team = WithoutTeamSerializer(
        required=False, help_text="The tasks in scope with no team, by class (absent from older snapshots)."
    )
    traceability = serializers.FloatField(allow_null=True, help_text="T, 0 to 1; null: no effort in scope.")
    priority_fit = serializers.FloatField(
        allow_null=True, help_text="F, 0 to 1; null: no active root or no aligned effort."
    )
    roots = RootShareSerializer(many=True)


class ResourcesPartsSerializer(serializers.Serializer[Any]):
    active_roots = serializers.IntegerField()
    active_initiatives = serializers.IntegerField()
    demand = serializers.FloatField(help_text="Hours needed inside the windows, all active initiatives.")
    supply = serializers.FloatField(help_text="Hours allocated inside the windows.")
    covered = serializers.FloatField(help_text="Σ min(supply, demand), hours.")
    people_over_capacity = serializers.IntegerField()
    people_spread_thin = serializers.IntegerField()
    off_strategy_capacity = serializers.FloatField(help_text="Hours per week allocated off the live plan.")
    roots = RootCoverageSerializer(many=True)


class AdaptabilityPartsSerializer(serializers.Serializer[Any]):
    tracked_items = serializers.IntegerField()
    fresh_items = serializers.IntegerField()
    freshness = serializers.FloatField(allow_null=True, help_text="0 to 1; null: nothing tracked.")
    feedback_due = serializers.IntegerField()
    feedback_answered = serializers.IntegerField()
    responsiveness = serializers.FloatField(allow_null=True, help_text="0 to 1; null: nothing due.")


class PeoplePartsSerializer(serializers.Serializer[Any]):
    tracked_items = serializers.IntegerField()
    owned_items = serializers.IntegerField(help_text="Tracked items owned by an active person.")
    ownership = serializers.FloatField(allow_null=True, help_text="0 to 1; null: nothing tracked.")
    owners = serializers.IntegerField(help_text="Distinct active people who own a tracked item.")
    owners_checked_in = serializers.IntegerField()
    participation = serializers.FloatField(allow_null=True, help_text="0 to 1; null: no owner.")


SCORE_HELP = "0 to 100; null when undefined (SCORING.md)."
PARTS_HELP = "Null only before the first snapshot."


class AlignmentScoreSerializer(serializers.Serializer[Any]):
    score = serializers.FloatField(allow_null=True, help_text=SCORE_HELP)
    parts = AlignmentPartsSerializer(allow_null=True, help_text=PARTS_HELP)


class ResourcesScoreSerializer(serializers.Serializer[Any]):
    score = serializers.FloatField(allow_null=True, help_text=SCORE_HELP)
    parts = ResourcesPartsSerializer(allow_null=True, help_text=PARTS_HELP)


class AdaptabilityScoreSerializer(serializers.Serializer[Any]):
    score = serializers.FloatField(allow_null=True, help_text=SCORE_HELP)
    parts = AdaptabilityPartsSerializer(allow_null=True, help_text=PARTS_HELP)


class PeopleScoreSerializer(serializers.Serializer[Any]):
    score = serializers.FloatField(allow_null=True, help_text=SCORE_HELP)
    parts = PeoplePartsSerializer(allow_null=True, help_text=PARTS_HELP)


class ScoresSerializer(serializers.Serializer[Any]):
    snapshot = serializers.IntegerField(allow_null=True, help_text="The snapshot's id.")
    as_of = serializers.DateField(allow_null=True, help_text="D, the date the scores are for.")
    computed_at = serializers.DateTimeField(allow_null=True, help_text="When the snapshot was stored.")
    stale = serializers.BooleanField(
        help_text="A change is not reflected yet (a recompute is on its way), or there is no snapshot yet."
    )
    stale_since = serializers.DateTimeField(allow_null=True, help_text="The first change not reflected.")
    execution_health = serializers.FloatField(allow_null=True, help_text="Mean of the defined scores.")
    alignment = AlignmentScoreSerializer()
    resources = ResourcesScoreSerializer()
    adaptability = AdaptabilityScoreSerializer()
    people = PeopleScoreSerializer()
    parameters = ScoreParametersSerializer(allow_null=True, help_text="Those the snapshot used.")


SCORE_NAMES = ("alignment", "resources", "adaptability", "people")
# The answer is built as plain data, not through the serializers (a nested DRF serializer costs more
# than the rest of the request); the serializers' declared fields are what it holds, so the schema
# they describe stays the answer's (the API tests check the one against the other).
PART_KEYS = {
    name: tuple(serializer._declared_fields)
    for name, serializer in zip(
        SCORE_NAMES,
        (
            AlignmentPartsSerializer,
            ResourcesPartsSerializer,
            AdaptabilityPartsSerializer,
            PeoplePartsSerializer,
        ),
        strict=True,
    )
}
ROOT_KEYS = {
    "alignment": tuple(RootShareSerializer._declared_fields),
    "resources": tuple(RootCoverageSerializer._declared_fields),
}


def scores_of(body: dict[str, Any] | None, organization: Any) -> dict[str, Any]:
    """The `scores/` answer (the shape of `ScoresSerializer`): a snapshot's `snapshot_body` (None
    before the first snapshot) and the organization's stale mark as it is now."""
    stale = {
        "stale": body is None or organization.scores_stale_since is not None,
        "stale_since": organization.scores_stale_since,
    }
    if body is None:
        return {
            "snapshot": None, "as_of": None, "computed_at": None, **stale, "execution_health": None,
            **{name: {"score": None, "parts": None} for name in SCORE_NAMES}, "parameters": None,
        }  # fmt: skip
    head = {name: body[name] for name in ("snapshot", "as_of", "computed_at")}
    return {**head, **stale, **{name: value for name, value in body.items() if name not in head}}


def snapshot_body(snapshot: ScoreSnapshot, titles: dict[int, str]) -> dict[str, Any]:
    """What `scores/` says of one snapshot, which never changes (`titles` names its roots)."""
    parameters: dict[str, Any] = {name: getattr(snapshot, name) for name in PARAMETER_FIELDS}
    parameters["default_task_effort_hours"] = float(parameters["default_task_effort_hours"])
    return {
        "snapshot": snapshot.pk,
        "as_of": snapshot.as_of,
        "computed_at": snapshot.computed_at,
        "execution_health": snapshot.execution_health,
        **{
            name: {
                "score": getattr(snapshot, name),
                "parts": _parts(snapshot.parts.get(name) or {}, name, titles),
            }
            for name in SCORE_NAMES
        },
        "parameters": parameters,
    }


def _parts(stored: dict[str, Any], name: str, titles: dict[int, str]) -> dict[str, Any]:
    parts = {key: stored.get(key) for key in PART_KEYS[name]}
    if name in ROOT_KEYS:
        parts["roots"] = [
            {
                key: titles.get(root["objective_id"], "") if key == "title" else root.get(key)
                for key in ROOT_KEYS[name]
            }
            for root in stored.get("roots", [])
        ]
    return parts


class BlankAsNullChoiceField(serializers.ChoiceField):
    """Stored as "" when there is nothing to say; answered as null."""

    def to_representation(self, value: Any) -> Any:
        return None if value == "" else super().to_representation(value)


class ObjectiveScoreSerializer(serializers.ModelSerializer[ObjectiveScore]):
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


class InitiativeScoreSerializer(serializers.ModelSerializer[InitiativeScore]):
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


class TeamScoreSerializer(serializers.ModelSerializer[TeamScore]):
    id = serializers.IntegerField(
        source="team_id", allow_null=True, help_text="The team (null: deleted since)."
    )
    parent_id = serializers.IntegerField(source="parent_team_id", allow_null=True)
    snapshot = serializers.IntegerField(source="snapshot_id")

    class Meta:
        model = TeamScore
        fields = (
            *("id", "parent_id", "name", "score", "aligned_effort", "misaligned_effort", "orphan_effort"),
            *("total_effort", "misaligned_tasks", "orphan_tasks", "snapshot"),
        )
        extra_kwargs = {
            "score": {"help_text": "100 x T, 0 to 100; null: no work in scope."},
            "aligned_effort": {
                "help_text": "Hours of aligned work in scope, of the team and every team below."
            },
            "misaligned_effort": {"help_text": "Hours of misaligned work in scope, of the team and below."},
            "orphan_effort": {"help_text": "Hours of orphan work in scope, of the team and below."},
            "total_effort": {"help_text": "Hours of work in scope, of the team and every team below."},
            "misaligned_tasks": {"help_text": "Misaligned tasks in scope, of the team and below."},
            "orphan_tasks": {"help_text": "Orphan tasks in scope, of the team and below."},
        }


class HistoryRowSerializer(serializers.ModelSerializer[ScoreSnapshot]):
    snapshot = serializers.IntegerField(source="pk", help_text="Its node rows: `?snapshot=` on the lists.")

    class Meta:
        model = ScoreSnapshot
        fields = ("snapshot", "as_of", "computed_at", *SCORE_FIELDS)


class TaskDriverSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    effort = serializers.FloatField(help_text="Hours.")
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
    coverage = serializers.FloatField()
    demand = serializers.FloatField(help_text="Hours.")
    supply = serializers.FloatField(help_text="Hours.")


class PersonDriverSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    team_id = serializers.IntegerField(allow_null=True)
    load = serializers.FloatField(help_text="Hours per week allocated.")
    capacity = serializers.FloatField(help_text="Hours per week.")
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
