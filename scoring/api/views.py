"""/api/v1/orgs/{org}/scores/...: the stored score snapshots, read, never recomputed on a read.

Every read costs a fixed handful of queries whatever the organization's size (the membership, the
snapshot, its rows): the numbers were computed by the engine (`scoring`) and stored.
Numbers mean exactly what SCORING.md says: scores 0 to 100; shares, coverage, progress 0 to 1; efforts,
demand and supply in hours; load and capacity in hours per week. An undefined number is `null`,
never 0. Before the first recompute there is no snapshot: `scores/` answers 200 with every number
`null` and `computed_at` `null`, the node lists and `history/` are empty, `drivers/` lists nothing.

Every member reads; leads, executives and admins ask for a recompute (`Action.RECOMPUTE`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, ClassVar, cast

from django.core.cache import cache
from django.db.models import QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from redis.exceptions import RedisError
from rest_framework import exceptions, generics, permissions, status
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from execgap.api.base import OrgScopedMixin, RolePermission
from execgap.api.exceptions import exception_handler
from execgap.api.org_schema import ORG_PARAMETER, errors
from execgap.roles import Action, Resource
from scoring.api.changes import (
    NOTHING_COMPARED,
    PARAMETER_FIELDS,
    SCORE_FIELDS,
    compared_before,
    latest_and_compared,
)
from scoring.api.headline import ScoresSerializer, scores_of, snapshot_body
from scoring.api.serializers import (
    DriversSerializer,
    HistoryRowSerializer,
    RecomputeAcceptedSerializer,
    drivers_of,
)
from scoring.jobs import scores_recompute_job_request
from scoring.models import (
    ObjectiveScore,
    ScoreSnapshot,
)
from scoring.selectors import (
    snapshot_history,
)

logger = logging.getLogger(__name__)

TAG = "scores"
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DATE_MESSAGE = "Enter a date as YYYY-MM-DD."
MAX_ID = 2**63 - 1
HEADLINE_FIELDS = ("as_of", "computed_at", *SCORE_FIELDS)
SNAPSHOT_PARAMETER = OpenApiParameter(
    "snapshot",
    {"type": "integer", "minimum": 0, "maximum": MAX_ID},
    OpenApiParameter.QUERY,
    description="A snapshot's id (see `history/`) to read instead of the latest; another organization's "
    "or an unknown id answers 404.",
)


def parse_date(raw: str, field: str) -> date:
    """A YYYY-MM-DD date, or a 400 naming `field`."""
    if ISO_DATE.match(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise exceptions.ValidationError({field: [DATE_MESSAGE]})


class ScoresPermission(RolePermission):
    """The rule table's answer for the scores: a view's `method_actions` name the action of a method
    (the recompute's POST is `Action.RECOMPUTE`); refusals are worded for the scores as a whole."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if super().has_permission(request, view):
            return True
        self.message = (
            f"Your role ({view.membership.role}) may not {self._action(request, view).value} the scores."
        )
        return False

    @staticmethod
    def _action(request: Request, view: Any) -> Action:
        explicit = getattr(view, "method_actions", {}).get(request.method)
        return explicit or RolePermission._action(request, view)


class ScoresView(OrgScopedMixin, generics.GenericAPIView[Any]):
    """The base of the score endpoints: the rule table's `scores` resource, the API's error answers."""

    resource: ClassVar[Resource] = Resource.SCORES
    queryset: QuerySet[Any] = ScoreSnapshot.objects.none()  # the schema's model
    pagination_class: type[BasePagination] | None = None  # the node lists page; the rest are one answer
    permission_classes = [permissions.IsAuthenticated, ScoresPermission]

    def get_exception_handler(self) -> Callable[..., Any]:
        return exception_handler

    def check_permissions(self, request: Request) -> None:
        # An operation the endpoint does not have is 405 for every role, not "your role may not".
        if getattr(self, (request.method or "").lower(), None) is None:
            raise exceptions.MethodNotAllowed(request.method or "")
        super().check_permissions(request)

    def snapshot_key(self) -> int | Subquery:
        """`?snapshot=` (a whole number, else 400), or a subquery for the latest snapshot's id."""
        raw = self.request.query_params.get("snapshot", "")
        if raw == "":
            latest = ScoreSnapshot.objects.for_org(self.organization).order_by("-computed_at", "-id")
            return Subquery(latest.values("id")[:1])
        if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_ID:
            raise exceptions.ValidationError({"snapshot": ["A snapshot id is a whole number."]})
        return int(raw)

    def snapshot(self, *fields: str) -> ScoreSnapshot | None:
        """`?snapshot=` (404 unless the organization's), else the latest (None before the first);
        loads only `fields`, in one query."""
        key = self.snapshot_key()
        snapshot = ScoreSnapshot.objects.for_org(self.organization).only(*fields).filter(pk=key).first()
        if snapshot is None and isinstance(key, int):
            raise exceptions.NotFound("No such snapshot.")
        return snapshot


class LatestScoresView(ScoresView):
    serializer_class = ScoresSerializer

    @extend_schema(
        tags=[TAG],
        summary="The organization's scores",
        description=(
            "The latest snapshot (or `?snapshot=`): execution health and the four scores, each with its "
            "band, its change over 7 and 28 days and the parts it is computed from (SCORING.md), and the "
            "parameters used. Bands: healthy at 70 or more, watch from 50, critical below 50. A change "
            "compares with the snapshot named in `compared_7d` (`compared_28d`): the latest computed at "
            "or before 7 (28) days before now, or before the named snapshot's `computed_at`. Scores and "
            "changes are rounded to 2 decimal places, every other fractional number to 10 significant "
            "digits. `stale` is true while a change is not reflected yet (a recompute is on its way) or "
            "before the first snapshot, when every number, band, `as_of`, `computed_at`, the parts, the "
            "parameters and the compared snapshots are null."
        ),
        parameters=[ORG_PARAMETER, SNAPSHOT_PARAMETER],
        responses={200: ScoresSerializer, **errors(400, 401, 404)},
    )
    def get(self, request: Request, org: str) -> Response:
        key = self.snapshot_key()
        organization = self.organization
        if isinstance(key, int):  # a named snapshot compares with those before its computation
            body = self._body(key)
            compared = compared_before(organization_id=organization.pk, computed_at=body["computed_at"])
            return Response(scores_of(body, organization, compared))
        # the latest compares with those before now, read with its id in one query
        latest_id, compared = latest_and_compared(organization_id=organization.pk, now=timezone.now())
        if latest_id is None:
            return Response(scores_of(None, organization, NOTHING_COMPARED))
        return Response(scores_of(self._body(latest_id), organization, compared))

    def _body(self, snapshot_id: int) -> dict[str, Any]:
        """What `scores/` says of the snapshot, from the cache or else read and cached."""
        body = _cached_body(self.organization.pk, snapshot_id)
        if body is None:
            body = self._snapshot_body(snapshot_id)
            _cache_body(self.organization.pk, snapshot_id, body)
        return body

    def _snapshot_body(self, snapshot_id: int) -> dict[str, Any]:
        """Read the snapshot and the titles of its active roots (the rows of R) in one query, a row
        carrying its snapshot; only without any active root is the snapshot read on its own."""
        fields = ("as_of", "computed_at", "parts", *SCORE_FIELDS, *PARAMETER_FIELDS)
        roots = list(
            ObjectiveScore.objects.for_org(self.organization)
            .filter(snapshot_id=snapshot_id, parent_objective_id__isnull=True, live=True)
            .select_related("snapshot")
            .only("objective_id", "title", "snapshot", *(f"snapshot__{name}" for name in fields))
        )
        snapshot = roots[0].snapshot if roots else self.snapshot(*fields)
        if snapshot is None:  # deleted since its id was read
            raise exceptions.NotFound("No such snapshot.")
        titles = {row.objective_id: row.title for row in roots if row.objective_id is not None}
        return snapshot_body(snapshot, titles)


# A snapshot never changes, so what `scores/` says of it is kept in the shared cache by its id (and
# the organization's: a key is found only by the organization it was made for); the stale mark is
# added on every request. A cache that cannot be reached only costs the reads it would have saved.
BODY_CACHE_SECONDS = 24 * 60 * 60
BODY_CACHE_VERSION = 2  # raise it when the answer's shape changes


def _body_key(organization_id: int, snapshot_id: int) -> str:
    return f"execgap:scores:body:{BODY_CACHE_VERSION}:{organization_id}:{snapshot_id}"


def _cached_body(organization_id: int, snapshot_id: int) -> dict[str, Any] | None:
    try:
        return cast(dict[str, Any] | None, cache.get(_body_key(organization_id, snapshot_id)))
    except (RedisError, OSError):
        return None


def _cache_body(organization_id: int, snapshot_id: int, body: dict[str, Any]) -> None:
    try:
        cache.set(_body_key(organization_id, snapshot_id), body, BODY_CACHE_SECONDS)
    except (RedisError, OSError):
        logger.warning("Could not cache the scores of snapshot %s.", snapshot_id)


class DriversView(ScoresView):
    serializer_class = DriversSerializer

    @extend_schema(
        tags=[TAG],
        summary="What drives the scores",
        description=(
            "From the latest snapshot (or `?snapshot=`), at most ten of each, worst first. Alignment: the "
            "largest orphan and misaligned tasks in scope (with what breaks the link). Resources: the least "
            "covered active initiatives, the people over capacity and those spread thin. Adaptability and "
            "people: tracked items without a fresh check-in (oldest first) and blockers and risks due but "
            "not answered within 7 days."
        ),
        parameters=[ORG_PARAMETER, SNAPSHOT_PARAMETER],
        responses={200: DriversSerializer, **errors(400, 401, 404)},
    )
    def get(self, request: Request, org: str) -> Response:
        snapshot = self.snapshot("as_of", "computed_at", "drivers")
        return Response(DriversSerializer(drivers_of(snapshot)).data)


class HistoryView(ScoresView):
    serializer_class = HistoryRowSerializer

    @extend_schema(
        tags=[TAG],
        summary="The scores over time",
        description=(
            "One row per date D in [`from`, `to`] (either end may be left open) that has a snapshot: the "
            "latest computed for that date, oldest date first."
        ),
        parameters=[
            ORG_PARAMETER,
            OpenApiParameter("from", {"type": "string", "format": "date"}, description="First date."),
            OpenApiParameter("to", {"type": "string", "format": "date"}, description="Last date."),
        ],
        responses={
            200: HistoryRowSerializer(many=True),
            400: OpenApiResponse(errors(400)[400].response, description="A bad date, or `to` before `from`."),
            **errors(401, 404),
        },
    )
    def get(self, request: Request, org: str) -> Response:
        bounds = {
            name: parse_date(raw, name)
            for name in ("from", "to")
            if (raw := request.query_params.get(name, "")) != ""
        }
        if "from" in bounds and "to" in bounds and bounds["to"] < bounds["from"]:
            raise exceptions.ValidationError({"to": ["Must not be before `from`."]})
        rows = snapshot_history(
            organization=self.organization, date_from=bounds.get("from"), date_to=bounds.get("to")
        ).only(*HEADLINE_FIELDS)
        return Response(HistoryRowSerializer(rows, many=True).data)


class RecomputeView(ScoresView):
    serializer_class = RecomputeAcceptedSerializer
    method_actions = {"POST": Action.RECOMPUTE}

    @extend_schema(
        tags=[TAG],
        summary="Recompute the scores",
        description=(
            "Leads, executives and admins. Queues a recompute of the organization at D = `as_of` (default: "
            "today, UTC) and answers at once with the job to poll at `jobs/{id}/` (also in `Location`). "
            "When it succeeds its snapshot is the newest, so `scores/` shows it."
        ),
        parameters=[
            ORG_PARAMETER,
            OpenApiParameter("as_of", {"type": "string", "format": "date"}, description="The date D."),
        ],
        request=None,
        responses={
            202: RecomputeAcceptedSerializer,
            400: OpenApiResponse(errors(400)[400].response, description="A bad `as_of`."),
            **errors(401, 403, 404),
        },
    )
    def post(self, request: Request, org: str) -> Response:
        raw = request.query_params.get("as_of", "")
        as_of = parse_date(raw, "as_of") if raw else timezone.now().date()
        _check_computable(as_of, self.organization)
        job = scores_recompute_job_request(actor=self.membership, as_of=as_of)
        location = reverse("job-detail", kwargs={"org": org, "pk": job.pk})
        return Response({"job": job.pk}, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


def _check_computable(as_of: date, organization: Any) -> None:
    """D's windows (the feedback window 89 days back, the horizon ahead) must be calendar dates."""
    back = max(90, organization.activity_window_days, organization.checkin_cadence_days)
    try:
        as_of - timedelta(days=back)
        as_of + timedelta(days=organization.planning_horizon_days)
    except OverflowError:
        raise exceptions.ValidationError(
            {"as_of": ["Too far in the past or the future to compute."]}
        ) from None
