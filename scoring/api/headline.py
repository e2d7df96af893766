"""The `scores/` answer: execution health and the four scores, each with its band, its change over 7
and 28 days and the parts it is computed from, and the parameters used (the schema's components and the
plain data the view answers with).

Units as SCORING.md: scores 0 to 100; shares, coverage, progress 0 to 1; efforts, demand and supply in
hours; capacity in hours per week. An undefined number is null, never 0. Scores are rounded to 2
decimal places, every other fractional number to 10 significant digits (`scoring.api.numbers`).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from scoring.api.changes import (
    PARAMETER_FIELDS,
    SCORE_FIELDS,
    WINDOWS,
    Compared,
    changes_of,
    compared_of,
)
from scoring.api.numbers import (
    BAND_HELP,
    MeasureField,
    ScoreBand,
    ScoreField,
    band_of,
    measures_rounded,
    score_rounded,
)
from scoring.models import ScoreSnapshot


class ScoreParametersSerializer(serializers.Serializer[Any]):
    activity_window_days = serializers.IntegerField(help_text="W (days).")
    planning_horizon_days = serializers.IntegerField(help_text="H (days).")
    checkin_cadence_days = serializers.IntegerField(help_text="C (days).")
    default_task_effort_hours = MeasureField(help_text="E (hours).")
    spread_thin_allocations = serializers.IntegerField(help_text="K (allocations).")


class RootShareSerializer(serializers.Serializer[Any]):
    objective_id = serializers.IntegerField(help_text="An active root objective (in R).")
    title = serializers.CharField()
    intended_share = MeasureField(help_text="p_r, 0 to 1.")
    actual_share = MeasureField(allow_null=True, help_text="a_r, 0 to 1; null: no aligned effort.")


class RootCoverageSerializer(serializers.Serializer[Any]):
    objective_id = serializers.IntegerField(help_text="An active root objective (in R).")
    title = serializers.CharField()
    intended_share = MeasureField(help_text="p_r, 0 to 1: its weight in the score.")
    coverage = MeasureField(help_text="coverage(r), 0 to 1.")


class WithoutTeamSerializer(serializers.Serializer[Any]):
    aligned_effort = MeasureField(help_text="Hours.")
    misaligned_effort = MeasureField(help_text="Hours.")
    orphan_effort = MeasureField(help_text="Hours.")
    misaligned_tasks = serializers.IntegerField()
    orphan_tasks = serializers.IntegerField()


class AlignmentPartsSerializer(serializers.Serializer[Any]):
    tasks_in_scope = serializers.IntegerField()
    aligned_tasks = serializers.IntegerField()
    misaligned_tasks = serializers.IntegerField()
    orphan_tasks = serializers.IntegerField()
    aligned_effort = MeasureField(help_text="Hours.")
    misaligned_effort = MeasureField(help_text="Hours.")
    orphan_effort = MeasureField(help_text="Hours.")
    total_effort = MeasureField(help_text="Hours of the tasks in scope.")
    effort_without_team = MeasureField(help_text="Hours of tasks in scope with no team.")
    without_team = WithoutTeamSerializer(
        required=False, help_text="The tasks in scope with no team, by class (absent from older snapshots)."
    )
    traceability = MeasureField(allow_null=True, help_text="T, 0 to 1; null: no effort in scope.")
    priority_fit = MeasureField(
        allow_null=True, help_text="F, 0 to 1; null: no active root or no aligned effort."
    )
    roots = RootShareSerializer(many=True)


class ResourcesPartsSerializer(serializers.Serializer[Any]):
    active_roots = serializers.IntegerField()
    active_initiatives = serializers.IntegerField()
    demand = MeasureField(help_text="Hours needed inside the windows, all active initiatives.")
    supply = MeasureField(help_text="Hours allocated inside the windows.")
    covered = MeasureField(help_text="Σ min(supply, demand), hours.")
    people_over_capacity = serializers.IntegerField()
    people_spread_thin = serializers.IntegerField()
    off_strategy_capacity = MeasureField(help_text="Hours per week allocated off the live plan.")
    roots = RootCoverageSerializer(many=True)


class AdaptabilityPartsSerializer(serializers.Serializer[Any]):
    tracked_items = serializers.IntegerField()
    fresh_items = serializers.IntegerField()
    freshness = MeasureField(allow_null=True, help_text="0 to 1; null: nothing tracked.")
    feedback_due = serializers.IntegerField()
    feedback_answered = serializers.IntegerField()
    responsiveness = MeasureField(allow_null=True, help_text="0 to 1; null: nothing due.")


class PeoplePartsSerializer(serializers.Serializer[Any]):
    tracked_items = serializers.IntegerField()
    owned_items = serializers.IntegerField(help_text="Tracked items owned by an active person.")
    ownership = MeasureField(allow_null=True, help_text="0 to 1; null: nothing tracked.")
    owners = serializers.IntegerField(help_text="Distinct active people who own a tracked item.")
    owners_checked_in = serializers.IntegerField()
    participation = MeasureField(allow_null=True, help_text="0 to 1; null: no owner.")


SCORE_HELP = "0 to 100, to 2 decimal places; null when undefined (SCORING.md)."
PARTS_HELP = "Null only before the first snapshot."
CHANGE_HELP = (
    "This score minus the same score of the snapshot named in `compared_{window}` (the latest computed "
    "at or before {days} days before now, or before the snapshot read with `?snapshot=`), each to 2 "
    "decimal places; null when there is no such snapshot or either score is null."
)


def _change_field(window: str) -> ScoreField:
    return ScoreField(allow_null=True, help_text=CHANGE_HELP.format(window=window, days=window[:-1]))


class ScoreHeadSerializer(serializers.Serializer[Any]):
    """A score, its band and its change over 7 and 28 days."""

    score = ScoreField(allow_null=True, help_text=SCORE_HELP)
    band = serializers.ChoiceField(choices=ScoreBand.choices, allow_null=True, help_text=BAND_HELP)
    change_7d = _change_field("7d")
    change_28d = _change_field("28d")


class AlignmentScoreSerializer(ScoreHeadSerializer):
    parts = AlignmentPartsSerializer(allow_null=True, help_text=PARTS_HELP)


class ResourcesScoreSerializer(ScoreHeadSerializer):
    parts = ResourcesPartsSerializer(allow_null=True, help_text=PARTS_HELP)


class AdaptabilityScoreSerializer(ScoreHeadSerializer):
    parts = AdaptabilityPartsSerializer(allow_null=True, help_text=PARTS_HELP)


class PeopleScoreSerializer(ScoreHeadSerializer):
    parts = PeoplePartsSerializer(allow_null=True, help_text=PARTS_HELP)


class ComparedSnapshotSerializer(serializers.Serializer[Any]):
    snapshot = serializers.IntegerField(help_text="Its id (`?snapshot=` reads it).")
    as_of = serializers.DateField(help_text="Its date D.")
    computed_at = serializers.DateTimeField()
    parameters_changed = serializers.BooleanField(
        help_text="It was computed with other parameters (W, H, C, E or K): part of the change is the "
        "settings', not the work's."
    )


def _compared_field(window: str) -> ComparedSnapshotSerializer:
    return ComparedSnapshotSerializer(
        allow_null=True,
        help_text=f"The snapshot the `change_{window}` numbers compare with: the latest computed at or "
        f"before {window[:-1]} x 24 hours before now (with `?snapshot=`, before that snapshot's "
        "`computed_at`), by `computed_at` then id; null when there is none.",
    )


class ScoresSerializer(serializers.Serializer[Any]):
    snapshot = serializers.IntegerField(allow_null=True, help_text="The snapshot's id.")
    as_of = serializers.DateField(allow_null=True, help_text="D, the date the scores are for.")
    computed_at = serializers.DateTimeField(allow_null=True, help_text="When the snapshot was stored.")
    stale = serializers.BooleanField(
        help_text="A change is not reflected yet (a recompute is on its way), or there is no snapshot yet."
    )
    stale_since = serializers.DateTimeField(allow_null=True, help_text="The first change not reflected.")
    execution_health = ScoreField(
        allow_null=True, help_text="Mean of the defined scores, to 2 decimal places."
    )
    execution_health_band = serializers.ChoiceField(
        choices=ScoreBand.choices, allow_null=True, help_text=BAND_HELP
    )
    execution_health_change_7d = _change_field("7d")
    execution_health_change_28d = _change_field("28d")
    alignment = AlignmentScoreSerializer()
    resources = ResourcesScoreSerializer()
    adaptability = AdaptabilityScoreSerializer()
    people = PeopleScoreSerializer()
    parameters = ScoreParametersSerializer(allow_null=True, help_text="Those the snapshot used.")
    compared_7d = _compared_field("7d")
    compared_28d = _compared_field("28d")


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


def scores_of(body: dict[str, Any] | None, organization: Any, compared: Compared) -> dict[str, Any]:
    """The `scores/` answer (the shape of `ScoresSerializer`): a snapshot's `snapshot_body` (None
    before the first snapshot), its changes against the `compared` snapshots and the organization's
    stale mark as it is now."""
    stale = {
        "stale": body is None or organization.scores_stale_since is not None,
        "stale_since": organization.scores_stale_since,
    }
    if body is None:
        unchanged = dict.fromkeys(f"change_{window}" for window in WINDOWS)
        return {
            "snapshot": None, "as_of": None, "computed_at": None, **stale,
            "execution_health": None, "execution_health_band": None,
            **{f"execution_health_{key}": None for key in unchanged},
            **{name: {"score": None, "band": None, **unchanged, "parts": None} for name in SCORE_NAMES},
            "parameters": None, **{f"compared_{window}": None for window in WINDOWS},
        }  # fmt: skip
    changes = changes_of({name: body[name]["score"] for name in SCORE_FIELDS}, compared)
    health = {f"execution_health_{key}": value for key, value in changes["execution_health"].items()}
    return {
        **{name: body[name] for name in ("snapshot", "as_of", "computed_at")},
        **stale,
        "execution_health": body["execution_health"]["score"],
        "execution_health_band": body["execution_health"]["band"],
        **health,
        **{
            name: {
                "score": body[name]["score"],
                "band": body[name]["band"],
                **changes[name],
                "parts": body[name]["parts"],
            }
            for name in SCORE_NAMES
        },
        "parameters": body["parameters"],
        **{
            f"compared_{window}": compared_of(stamp, body["parameters"]) for window, stamp in compared.items()
        },
    }


def snapshot_body(snapshot: ScoreSnapshot, titles: dict[int, str]) -> dict[str, Any]:
    """What `scores/` says of one snapshot, which never changes (`titles` names its roots): each
    score rounded with its band, the parts' numbers rounded, the parameters used."""
    parameters: dict[str, Any] = {name: getattr(snapshot, name) for name in PARAMETER_FIELDS}
    parameters["default_task_effort_hours"] = float(parameters["default_task_effort_hours"])
    scores = {
        name: {"score": score_rounded(getattr(snapshot, name)), "band": band_of(getattr(snapshot, name))}
        for name in SCORE_FIELDS
    }
    return {
        "snapshot": snapshot.pk,
        "as_of": snapshot.as_of,
        "computed_at": snapshot.computed_at,
        **scores,
        **{
            name: {**scores[name], "parts": _parts(snapshot.parts.get(name) or {}, name, titles)}
            for name in SCORE_NAMES
        },
        "parameters": parameters,
    }


def _parts(stored: dict[str, Any], name: str, titles: dict[int, str]) -> dict[str, Any]:
    parts = {key: measures_rounded(stored.get(key)) for key in PART_KEYS[name]}
    if name in ROOT_KEYS:
        parts["roots"] = [
            {
                key: titles.get(root["objective_id"], "")
                if key == "title"
                else measures_rounded(root.get(key))
                for key in ROOT_KEYS[name]
            }
            for root in stored.get("roots", [])
        ]
    return parts
