"""/api/v1/orgs/{org}/scenarios/: what-if scenarios, their changes, evaluation, apply and rebalance.

Thin views over `scenarios.services`: every member reads; leads, executives and admins draft, apply,
rebase and discard (members and viewers cannot draft). An evaluation is a background job (POST
evaluation/ answers 202 with the job to poll); GET evaluation/ answers the latest one kept, with
whether it still describes the plan. An apply refused because rows changed since the scenario was
drafted answers 409 naming each conflict; rebase/ then takes the current plan as its base.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import filters as drf_filters
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from execgap.api.base import OrgRowViewSet, RowServices
from execgap.api.jobs import JobSerializer
from execgap.api.org_schema import ID_PARAMETER, ORG_PARAMETER, errors, org_rows_schema
from execgap.roles import Action, Resource
from scenarios import services
from scenarios.api.examples import CONFLICTS_EXAMPLE, EVALUATION_EXAMPLE
from scenarios.api.serializers import (
    ApplySerializer,
    ConflictsSerializer,
    EvaluationSerializer,
    RebaseSerializer,
    ScenarioChangeSerializer,
    ScenarioSerializer,
)
from scenarios.models import Scenario, ScenarioChange, ScenarioStatus
from scenarios.rebalance import rebalance_draft
from scenarios.tasks import scenario_evaluation_request
from scoring.models import ScoreSnapshot

TAG = "scenarios"
WHO_WRITES = "Leads, executives and admins (members and viewers read)."


class ScenarioFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ScenarioStatus.choices)

    class Meta:
        model = Scenario
        fields = ["status"]


def evaluation_is_current(scenario: Scenario) -> bool:
    """Whether the kept evaluation still describes the plan: same D, and no plan change since."""
    if scenario.evaluation is None:
        return False
    today = timezone.now().date()
    changed_at = scenario.organization.scores_changed_at
    return scenario.evaluated_as_of == today and (
        changed_at is None
        or (scenario.evaluated_plan_at is not None and changed_at <= scenario.evaluated_plan_at)
    )


@extend_schema_view(
    **org_rows_schema(ScenarioSerializer, tag=TAG, noun="scenario", plural="scenarios", who_writes=WHO_WRITES)
)
class ScenarioViewSet(OrgRowViewSet):
    """What-if scenarios; `?search=` matches names, `?status=` filters."""

    resource = Resource.SCENARIO
    model = Scenario
    queryset = Scenario.objects.none()
    serializer_class = ScenarioSerializer
    filter_backends = [filters.DjangoFilterBackend, drf_filters.SearchFilter]
    filterset_class = ScenarioFilter
    search_fields = ["name"]
    related = ("created_by", "applied_by", "organization")
    row_services = RowServices(
        row="scenario",
        create=services.scenario_create,
        update=services.scenario_update,
        delete=services.scenario_delete,
    )
    # changes/ reads (GET) or adds (POST: create) by its method; these name their own action.
    role_actions = {
        "apply": Action.CHANGE,
        "rebase": Action.CHANGE,
        "discard": Action.CHANGE,
        "rebalance": Action.CREATE,
        "evaluation": Action.VIEW,
    }

    def get_queryset(self) -> QuerySet[Any]:
        rows = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return rows
        after = ScoreSnapshot.objects.filter(
            organization_id=OuterRef("organization_id"), started_at__gte=OuterRef("applied_at")
        ).order_by("started_at", "id")
        evaluated = ExpressionWrapper(Q(evaluation__isnull=False), output_field=BooleanField())
        rows = rows.annotate(
            change_count=Count("changes"),
            snapshot_after=Subquery(after.values("pk")[:1]),
            evaluated=evaluated,
        )
        if self.action not in ("evaluation",):  # the evaluation is large: only its own endpoint reads it
            rows = rows.defer("evaluation")
        return rows.order_by("-updated_at", "-id")

    def read_back(self, row: Any) -> Any:
        return self.get_queryset().get(pk=row.pk)

    def _scenario(self) -> Scenario:
        scenario: Scenario = self.get_object()
        return scenario

    # One operation per method, each with its own answers (a list for GET, the new change for POST).
    @extend_schema(
        methods=["GET"],
        tags=[TAG],
        summary="List a scenario's changes",
        description="The changes in order, a page at a time.",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        request=None,
        responses={200: ScenarioChangeSerializer(many=True), **errors(400, 401, 404)},
    )
    @extend_schema(
        methods=["POST"],
        tags=[TAG],
        summary="Add a change to a scenario",
        description="Leads and up, to a draft: adds one at the end, checked with the changes before it on "
        "the live plan; a change the plan would refuse is 400.",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        request=ScenarioChangeSerializer,
        responses={201: ScenarioChangeSerializer, **errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def changes(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scenario = self._scenario()
        if request.method == "GET":
            rows = ScenarioChange.objects.for_org(self.organization).filter(scenario=scenario)
            page = self.paginate_queryset(rows.order_by("position", "pk"))
            return self.get_paginated_response(ScenarioChangeSerializer(page, many=True).data)
        serializer = ScenarioChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = services.change_add(actor=self.membership, scenario=scenario, data=serializer.validated_data)
        return Response(ScenarioChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        tags=[TAG],
        summary="Read a scenario's evaluation",
        description="The latest evaluation kept (404 until one is), baseline against scenario at the same "
        "D, with `current` false when it no longer describes the plan.",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        request=None,
        responses={200: EvaluationSerializer, **errors(401, 404)},
        examples=[
            OpenApiExample(
                "An evaluation", value=EVALUATION_EXAMPLE, response_only=True, status_codes=["200"]
            )
        ],
    )
    @extend_schema(
        methods=["POST"],
        tags=[TAG],
        summary="Evaluate a scenario",
        description="Leads and up: starts an evaluation job (202); poll the job, then read the evaluation.",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        request=None,
        responses={202: JobSerializer, **errors(401, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def evaluation(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scenario = self._scenario()
        if request.method == "POST":  # leads and up (scenario_evaluation_request checks the role)
            job = scenario_evaluation_request(actor=self.membership, scenario=scenario)
            return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        if scenario.evaluation is None:
            return Response(
                {"detail": "Not evaluated yet: POST to evaluate it."}, status=status.HTTP_404_NOT_FOUND
            )
        return Response(
            {
                "scenario": scenario.pk,
                "evaluated_at": scenario.evaluated_at,
                "current": evaluation_is_current(scenario),
                **scenario.evaluation,
            }
        )

    @extend_schema(
        tags=[TAG],
        summary="Apply a scenario to the live plan",
        description="Every change through the plan's services in one transaction, each revision carrying the "
        "scenario's name and the reason. 409 (nothing written) when a row a change reads changed since it "
        "was "
        "drafted: rebase/ then apply again. 403 or 400 (nothing written) when a service refuses a change.",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        request=ApplySerializer,
        responses={200: ScenarioSerializer, 409: ConflictsSerializer, **errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample("Conflicts", value=CONFLICTS_EXAMPLE, response_only=True, status_codes=["409"])
        ],
    )
    @action(detail=True, methods=["post"])
    def apply(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scenario = self._scenario()
        serializer = ApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            applied = services.scenario_apply(
                actor=self.membership, scenario=scenario, reason=serializer.validated_data["reason"]
            )
        except services.ScenarioConflictError as refused:
            return Response(
                {
                    "detail": "Rows changed since this scenario was drafted: rebase it on the current plan.",
                    "conflicts": [conflict.as_dict() for conflict in refused.conflicts],
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(self.get_serializer(self.read_back(applied)).data)

    @extend_schema(
        tags=[TAG],
        summary="Rebase a scenario on the current plan",
        description="Every change keeps what it sets and reads the current rows' versions; a change whose "
        "row "
        "is gone is dropped (listed). 400 when the changes no longer hold on the current plan.",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        request=None,
        responses={200: RebaseSerializer, **errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def rebase(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scenario = self._scenario()
        dropped = services.scenario_rebase(actor=self.membership, scenario=scenario)
        return Response({"dropped": dropped, "scenario": self.get_serializer(self.read_back(scenario)).data})

    @extend_schema(
        tags=[TAG],
        summary="Discard a draft scenario",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        request=None,
        responses={200: ScenarioSerializer, **errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def discard(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scenario = services.scenario_discard(actor=self.membership, scenario=self._scenario())
        return Response(self.get_serializer(self.read_back(scenario)).data)

    @extend_schema(
        tags=[TAG],
        summary="Draft a rebalance",
        description="Drafts and evaluates a scenario of hours moved, person by person, from off-strategy "
        "allocations and surplus to the under-covered initiatives of the highest-priority live objectives, "
        "never past anyone's capacity, each move with its reason (README: Rebalance).",
        parameters=[ORG_PARAMETER],
        request=None,
        responses={201: ScenarioSerializer, **errors(401, 403, 404)},
    )
    @action(detail=False, methods=["post"])
    def rebalance(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scenario = rebalance_draft(actor=self.membership)
        return Response(self.get_serializer(self.read_back(scenario)).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=[TAG],
    summary="Remove a change from a draft scenario",
    description="Refused (400) when a later change depends on it.",
    parameters=[ORG_PARAMETER, ID_PARAMETER],
    responses={204: None, **errors(400, 401, 403, 404)},
)
class ScenarioChangeViewSet(OrgRowViewSet):
    resource = Resource.SCENARIO
    model = ScenarioChange
    queryset = ScenarioChange.objects.none()
    serializer_class = ScenarioChangeSerializer
    http_method_names = ["delete"]
    role_actions = {"destroy": Action.CHANGE}
    row_services = RowServices(row="change", create=services.change_add, delete=services.change_remove)

    def perform_destroy(self, instance: Any) -> None:
        services.change_remove(actor=self.membership, scenario=instance.scenario, change=instance)
