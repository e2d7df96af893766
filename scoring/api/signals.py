"""/api/v1/orgs/{org}/signals/: SCORING.md's signals beyond the scores, where to act, from a snapshot."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from execgap.api.org_schema import ORG_PARAMETER, errors
from scoring.api.drift import StaffingDriftSerializer, staffing_drift_of
from scoring.api.numbers import MeasureField
from scoring.api.views import SNAPSHOT_PARAMETER, TAG, ScoresView
from scoring.models import ScoreSnapshot


class OverStaffedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    surplus = MeasureField(help_text="max(0, supply - demand), hours in its window.")
    supply = MeasureField(help_text="Hours.")
    demand = MeasureField(help_text="Hours.")


class OverInvestedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    intended_share = MeasureField(help_text="0 to 1.")
    actual_share = MeasureField(help_text="0 to 1 of the aligned effort.")


class ForecastLateSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    end_date = serializers.DateField()
    forecast_finish = serializers.DateField(allow_null=True, help_text="Null: no recent progress.")
    throughput = MeasureField(help_text="Hours a day over the activity window.")
    remaining = MeasureField(help_text="Hours.")


class SignalsSerializer(serializers.Serializer[Any]):
    snapshot = serializers.IntegerField(allow_null=True)
    as_of = serializers.DateField(allow_null=True)
    computed_at = serializers.DateTimeField(allow_null=True)
    total_surplus = MeasureField(
        allow_null=True, help_text="Hours: the over-staffed initiatives' surplus summed."
    )
    over_staffed_count = serializers.IntegerField(allow_null=True)
    over_invested_count = serializers.IntegerField(allow_null=True)
    forecast_late_count = serializers.IntegerField(allow_null=True)
    over_staffed = OverStaffedSerializer(many=True, help_text="Largest surplus first.")
    over_invested = OverInvestedSerializer(many=True, help_text="Furthest above its intended share first.")
    forecast_late = ForecastLateSerializer(many=True, help_text="Soonest end date first.")
    staffing_drift = StaffingDriftSerializer(
        help_text="People working without an allocation, and allocations without work."
    )


SIGNAL_LISTS = {
    "over_staffed": ("over_staffed_initiatives", "over_staffed_initiatives"),
    "over_invested": ("over_invested_objectives", "over_invested_objectives"),
    "forecast_late": ("forecast_late_initiatives", "forecast_late_initiatives"),
}


def signals_of(snapshot: ScoreSnapshot | None) -> dict[str, Any]:
    """The snapshot's signals (its parts and drivers); counts null in a snapshot older than them."""
    parts = (snapshot.parts.get("signals") if snapshot is not None else None) or {}
    drivers = snapshot.drivers if snapshot is not None else {}
    return {
        "snapshot": snapshot.pk if snapshot else None,
        "as_of": snapshot.as_of if snapshot else None,
        "computed_at": snapshot.computed_at if snapshot else None,
        "total_surplus": parts.get("total_surplus"),
        **{f"{name}_count": parts.get(counted) for name, (counted, _) in SIGNAL_LISTS.items()},
        **{name: drivers.get(listed, []) for name, (_, listed) in SIGNAL_LISTS.items()},
        "staffing_drift": staffing_drift_of(parts, drivers),
    }


class SignalsView(ScoresView):
    serializer_class = SignalsSerializer

    @extend_schema(
        tags=[TAG],
        summary="Where to act: the signals beyond the scores",
        description=(
            "From the latest snapshot (or `?snapshot=`), as SCORING.md defines them: the over-staffed "
            "active initiatives (surplus of at least max(8 h, a quarter of the demand)), the live "
            "objectives getting more than 5 points above their intended share of the effort, and the "
            "active initiatives forecast to miss their end date at their recent pace, and the staffing "
            "drift (the active people assigned open or recently done tasks of an active initiative "
            "without an allocation to it counted at D, and the people allocated to one for 14 days or "
            "more without such a task); how many there are "
            "of each, and at most ten of each. Every initiative's and objective's signals are in "
            "`scores/initiatives/` and `scores/objectives/`."
        ),
        parameters=[ORG_PARAMETER, SNAPSHOT_PARAMETER],
        responses={200: SignalsSerializer, **errors(400, 401, 404)},
    )
    def get(self, request: Request, org: str) -> Response:
        snapshot = self.snapshot("as_of", "computed_at", "parts", "drivers")
        return Response(SignalsSerializer(signals_of(snapshot)).data)
