"""/api/v1/orgs/{org}/jobs/: the background jobs of the organization (score recomputes, imports).

Every member of the organization reads them (a viewer too); they are written only by the code that
runs them (`execgap.jobs`). Another organization's job is a 404, as every row of another
organization is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.request import Request

from execgap.api.base import OrgScopedMixin, RolePermission
from execgap.api.exceptions import exception_handler
from execgap.api.org_schema import ID_PARAMETER, ORG_PARAMETER, errors
from execgap.api.pagination import StablePagination
from execgap.models import Job, JobKind, JobState
from execgap.roles import Resource


class JobSerializer(serializers.ModelSerializer[Job]):
    # An import keeps the rows it works on with its parameters (megabytes for a large file): the
    # client sent them and polls often, so they are not sent back.
    OMITTED_PARAMETERS = frozenset({"rows"})

    def to_representation(self, instance: Job) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        data["parameters"] = {
            key: value
            for key, value in (data["parameters"] or {}).items()
            if key not in self.OMITTED_PARAMETERS
        }
        return data

    class Meta:
        model = Job
        fields = (
            "id", "kind", "state", "parameters", "done", "total", "result", "error", "created_at",
            "started_at", "finished_at",
        )  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {
            "parameters": {
                "help_text": "What was asked (a recompute: `as_of`; an import: its options, not its rows)."
            },
            "done": {
                "help_text": "Units of work done so far (rows of an import; 1 for a finished recompute)."
            },
            "total": {"help_text": "Units of work in all; null until the job knows."},
            "result": {
                "help_text": "The job's answer once it succeeded (a recompute: the new snapshot's id, "
                "`as_of`, `computed_at` and scores); null until then."
            },
            "error": {"help_text": "What went wrong, when it failed; empty otherwise."},
            "started_at": {"help_text": "Null while queued."},
            "finished_at": {"help_text": "Null until it succeeded or failed."},
        }


class JobFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=JobKind.choices)
    state = filters.ChoiceFilter(choices=JobState.choices)

    class Meta:
        model = Job
        fields = ("kind", "state")


class NewestFirstPagination(StablePagination):
    ordering = "-id"


@extend_schema_view(
    list=extend_schema(
        tags=["jobs"],
        summary="List the jobs",
        description="The organization's jobs, newest first, a page at a time (follow `next`).",
        parameters=[ORG_PARAMETER],
        responses={200: JobSerializer, **errors(400, 401, 404)},
    ),
    retrieve=extend_schema(
        tags=["jobs"],
        summary="Read a job",
        description="Poll it until `state` is `succeeded` or `failed`.",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        responses={200: JobSerializer, **errors(401, 404)},
    ),
)
class JobViewSet(OrgScopedMixin, viewsets.ReadOnlyModelViewSet[Job]):
    resource: ClassVar[Resource] = Resource.JOB
    queryset = Job.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = JobSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    pagination_class = NewestFirstPagination
    filterset_class = JobFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Job]:
        return Job.objects.for_org(self.organization)

    def get_exception_handler(self) -> Callable[..., Any]:
        return exception_handler

    def check_permissions(self, request: Request) -> None:
        # Jobs are read-only: any write is 405 for every role, not "your role may not".
        if (request.method or "").upper() not in ("GET", "HEAD", "OPTIONS"):
            raise exceptions.MethodNotAllowed(request.method or "")
        super().check_permissions(request)
