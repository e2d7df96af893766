"""/api/v1/orgs/{org}/scores/objectives/, initiatives/ and teams/: one snapshot's rows of a node kind,
a page at a time (see `scoring.api.views` for what every scores read promises)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from execgap.api.org_schema import ORG_PARAMETER, errors
from execgap.api.pagination import StablePagination
from scoring.api.serializers import InitiativeScoreSerializer, ObjectiveScoreSerializer, TeamScoreSerializer
from scoring.api.views import SNAPSHOT_PARAMETER, TAG, ScoresView
from scoring.drift_people import initiative_drift_people
from scoring.models import (
    SNAPSHOT_PARAMETER_FIELDS,
    InitiativeScore,
    ObjectiveScore,
    ScoreSnapshot,
    TeamScore,
)
from scoring.selectors import initiative_scores_of, objective_scores_of, team_scores_of


class SnapshotPagination(StablePagination):
    """Keyset pages of one snapshot's rows: the `next` and `previous` links name the snapshot, so
    paging through never mixes two snapshots when a recompute lands meanwhile."""

    snapshot_id: int | None = None

    def encode_cursor(self, cursor: Any) -> str:
        url = super().encode_cursor(cursor)
        return url if self.snapshot_id is None else replace_query_param(url, "snapshot", self.snapshot_id)


class NodeScoresView(ScoresView, generics.ListAPIView[Any]):
    """One snapshot's rows of a node kind, a page at a time by row (the node's id is `id`)."""

    rows_of: ClassVar[Callable[..., QuerySet[Any]]]  # a selector: the snapshot's rows
    snapshot_fields: ClassVar[tuple[str, ...]] = ("organization_id",)  # what the rows are read with
    pagination_class = SnapshotPagination
    snapshot_read: ScoreSnapshot | None = None

    def get_queryset(self) -> QuerySet[Any]:
        snapshot = self.snapshot_read = self.snapshot(*self.snapshot_fields)
        if snapshot is None:
            return super().get_queryset()  # the class's none()
        paginator = self.paginator
        assert isinstance(paginator, SnapshotPagination)
        paginator.snapshot_id = snapshot.pk
        return type(self).rows_of(snapshot=snapshot)


def _node_list_schema(plural: str, description: str, serializer: type[serializers.Serializer[Any]]) -> Any:
    return extend_schema(
        tags=[TAG],
        summary=f"The {plural}' scores",
        description=(
            f"{description} Rows of the latest snapshot (or `?snapshot=`), a page at a time (follow "
            "`next`); empty before the first snapshot."
        ),
        parameters=[ORG_PARAMETER, SNAPSHOT_PARAMETER],
        responses={200: serializer, **errors(400, 401, 404)},
    )


class ObjectiveScoresView(NodeScoresView):
    rows_of = staticmethod(objective_scores_of)
    queryset = ObjectiveScore.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = ObjectiveScoreSerializer

    @_node_list_schema(
        "objectives",
        "Every objective: intended and actual share of the aligned effort, the efforts resolving into its "
        "subtree, the staffing of the active initiatives at or below it, and its progress.",
        ObjectiveScoreSerializer,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class InitiativeScoresView(NodeScoresView):
    rows_of = staticmethod(initiative_scores_of)
    queryset = InitiativeScore.objects.none()
    serializer_class = InitiativeScoreSerializer
    # The drift's people of a page are listed at the snapshot's D and parameters.
    snapshot_fields = ("organization_id", "as_of", *SNAPSHOT_PARAMETER_FIELDS)

    def paginate_queryset(self, queryset: QuerySet[Any] | Sequence[Any]) -> list[Any] | None:
        rows = super().paginate_queryset(queryset)
        if rows and self.snapshot_read is not None:
            initiative_drift_people(snapshot=self.snapshot_read, scores=rows)
        return rows

    @_node_list_schema(
        "initiatives",
        "Every active initiative: its demand inside its window, the supply allocated to it, coverage.",
        InitiativeScoreSerializer,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class TeamScoresView(NodeScoresView):
    rows_of = staticmethod(team_scores_of)
    queryset = TeamScore.objects.none()
    serializer_class = TeamScoreSerializer

    @_node_list_schema(
        "teams",
        "Every team: alignment (100 x T) over the work of the team and every team below it.",
        TeamScoreSerializer,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
