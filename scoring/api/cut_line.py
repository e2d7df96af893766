"""/api/v1/orgs/{org}/capacity/cut-line/: which active and proposed initiatives fit in the capacity.

Drawn from the plan as it is now (`scoring.cut_line`), not from a snapshot: the rules are in
`scoring.engine.cut_line`. The answer holds the totals, where the line falls, the first
initiative below it and the first `limit` initiatives of the ranking.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from execgap.api.org_schema import ORG_PARAMETER, errors
from scoring.api.numbers import MeasureField
from scoring.api.views import TAG, ScoresView, parse_date
from scoring.cut_line import cut_line_read
from scoring.engine.cut_line import CANDIDATE_STATUSES, CutLine, CutLineEntry

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class CutLineInitiativeSerializer(serializers.Serializer[Any]):
    rank = serializers.IntegerField(help_text="1 for the highest priority.")
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=CANDIDATE_STATUSES)
    objective = serializers.IntegerField(allow_null=True)
    objective_title = serializers.CharField(help_text="Empty without an objective.")
    priority = MeasureField(
        help_text="Its objective's intended share, 0 to 1; 0 without an objective or with a chain that is "
        "not live."
    )
    end_date = serializers.DateField(allow_null=True)
    remaining = MeasureField(help_text="Hours: remaining_i of SCORING.md.")
    demand = MeasureField(help_text="Hours needed inside the horizon at an even pace.")
    cumulative_demand = MeasureField(help_text="Hours: its demand and that of all ranked above it.")
    above_line = serializers.BooleanField(help_text="True: it fits in the capacity.")


class CutLineSerializer(serializers.Serializer[Any]):
    as_of = serializers.DateField(help_text="The date D.")
    horizon_days = serializers.IntegerField(help_text="H: the horizon is [D, D + H - 1].")
    capacity = MeasureField(help_text="Hours: the active people's weekly capacity x H / 7.")
    total_demand = MeasureField(help_text="Hours: every candidate's demand summed.")
    shortfall = MeasureField(help_text="Hours of demand beyond the capacity (0 when all fit).")
    initiative_count = serializers.IntegerField(help_text="How many initiatives are ranked.")
    line_index = serializers.IntegerField(
        help_text="How many initiatives are above the line: it falls after rank `line_index`."
    )
    below_count = serializers.IntegerField(help_text="How many initiatives do not fit.")
    limit = serializers.IntegerField(help_text="At most this many initiatives are listed.")
    first_below = CutLineInitiativeSerializer(
        allow_null=True, help_text="The highest-ranked initiative that does not fit (null: all fit)."
    )
    initiatives = CutLineInitiativeSerializer(many=True, help_text="The first `limit` of the ranking.")


def entry_of(entry: CutLineEntry) -> dict[str, Any]:
    return {
        "rank": entry.rank,
        "id": entry.initiative_id,
        "title": entry.title,
        "status": entry.status,
        "objective": entry.objective_id,
        "objective_title": entry.objective_title,
        "priority": entry.priority,
        "end_date": entry.end_date,
        "remaining": entry.remaining,
        "demand": entry.demand,
        "cumulative_demand": entry.cumulative_demand,
        "above_line": entry.above_line,
    }


def cut_line_body(line: CutLine, limit: int) -> dict[str, Any]:
    first_below = line.first_below
    return {
        "as_of": line.as_of,
        "horizon_days": line.horizon_days,
        "capacity": line.capacity,
        "total_demand": line.total_demand,
        "shortfall": line.shortfall,
        "initiative_count": len(line.entries),
        "line_index": line.line_index,
        "below_count": line.below_count,
        "limit": limit,
        "first_below": entry_of(first_below) if first_below is not None else None,
        "initiatives": [entry_of(entry) for entry in line.entries[:limit]],
    }


EXAMPLE_ENTRY = {
    "objective": 12,
    "objective_title": "Win the mid-market",
    "end_date": "2027-03-31",
    "status": "active",
}
EXAMPLE = OpenApiExample(
    "Two of three fit",
    response_only=True,
    status_codes=["200"],
    value={
        "as_of": "2027-01-01",
        "horizon_days": 90,
        "capacity": 642.86,
        "total_demand": 802.5,
        "shortfall": 159.64,
        "initiative_count": 3,
        "line_index": 2,
        "below_count": 1,
        "limit": 50,
        "first_below": {
            **EXAMPLE_ENTRY,
            "rank": 3,
            "id": 7,
            "title": "Self-serve onboarding",
            "status": "proposed",
            "priority": 0.25,
            "remaining": 300.0,
            "demand": 300.0,
            "cumulative_demand": 802.5,
            "above_line": False,
        },
        "initiatives": [
            {
                **EXAMPLE_ENTRY,
                "rank": 1,
                "id": 3,
                "title": "Partner channel",
                "priority": 0.375,
                "remaining": 402.5,
                "demand": 402.5,
                "cumulative_demand": 402.5,
                "above_line": True,
            },
            {
                **EXAMPLE_ENTRY,
                "rank": 2,
                "id": 5,
                "title": "Pricing page",
                "priority": 0.375,
                "end_date": None,
                "remaining": 100.0,
                "demand": 100.0,
                "cumulative_demand": 502.5,
                "above_line": True,
            },
            {
                **EXAMPLE_ENTRY,
                "rank": 3,
                "id": 7,
                "title": "Self-serve onboarding",
                "status": "proposed",
                "priority": 0.25,
                "remaining": 300.0,
                "demand": 300.0,
                "cumulative_demand": 802.5,
                "above_line": False,
            },
        ],
    },
)


def parse_limit(raw: str) -> int:
    """`?limit=`: a whole number from 1 to MAX_LIMIT (default DEFAULT_LIMIT), else a 400."""
    if raw == "":
        return DEFAULT_LIMIT
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_LIMIT:
        return int(raw)
    raise exceptions.ValidationError({"limit": [f"A whole number from 1 to {MAX_LIMIT}."]})


class CutLineView(ScoresView):
    serializer_class = CutLineSerializer

    @extend_schema(
        tags=[TAG],
        summary="The capacity cut line",
        description=(
            "Not all initiatives can be prioritized at once. The active and proposed initiatives, ranked "
            "by their objective's intended share (highest first; no objective or a chain that is not live: "
            "0), then by end date (earliest first, none last), then by id; each one's demand over the "
            "planning horizon (SCORING.md's demand_i, a proposed one counted as if active) accumulated "
            "down the ranking against the organization's capacity (the active people's weekly capacity x "
            "H / 7). Every initiative whose cumulative demand is at most the capacity is above the line; "
            "the first that exceeds it and all after it are below. Drawn from the plan as it is now at D "
            "= `as_of` (default: today, UTC); the first `limit` initiatives are listed."
        ),
        parameters=[
            ORG_PARAMETER,
            OpenApiParameter("as_of", {"type": "string", "format": "date"}, description="The date D."),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
                description="How many initiatives to list, from the top of the ranking.",
            ),
        ],
        responses={
            200: CutLineSerializer,
            400: OpenApiResponse(errors(400)[400].response, description="A bad `as_of` or `limit`."),
            **errors(401, 404),
        },
        examples=[EXAMPLE],
    )
    def get(self, request: Request, org: str) -> Response:
        raw = request.query_params.get("as_of", "")
        as_of = parse_date(raw, "as_of") if raw else timezone.now().date()
        limit = parse_limit(request.query_params.get("limit", ""))
        try:
            as_of + timedelta(days=self.organization.planning_horizon_days)
        except OverflowError:
            raise exceptions.ValidationError(
                {"as_of": ["Too far in the future to look ahead from."]}
            ) from None
        line = cut_line_read(organization=self.organization, as_of=as_of)
        return Response(CutLineSerializer(cut_line_body(line, limit)).data)
