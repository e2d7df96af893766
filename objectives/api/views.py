"""/api/v1/orgs/{org}/objectives/, key-results/, initiatives/ and tasks/: thin views over
`objectives.services`.

Every member reads. Leads write their team's objectives, key results, initiatives and tasks
(and tasks assigned to them), executives and admins any; members create tasks and change the
tasks assigned to them (the rule table decides, the services check it again on the row as it is
and as it would be). `POST tasks/link/` links many tasks to one goal, all of them or none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import filters, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from execgap.api.base import OrgRowViewSet, RowServices
from execgap.api.org_schema import ORG_PARAMETER, errors, org_rows_schema
from execgap.api.parsers import BoundedJSONParser
from execgap.hooks import Hook
from execgap.models import Organization
from execgap.roles import Action, Resource
from execgap.tenancy import OrgOwnedModel
from objectives import services
from objectives.api.filters import InitiativeFilter, KeyResultFilter, ObjectiveFilter, TaskFilter
from objectives.api.serializers import (
    InitiativeSerializer,
    KeyResultSerializer,
    ObjectiveSerializer,
    TaskLinkSerializer,
    TaskSerializer,
)
from objectives.models import Initiative, KeyResult, Objective, Task

LEADS_WRITE = "Leads for their team's rows (and never into another team); executives and admins for any."
TASK_WRITERS = (
    "Members, leads, executives and admins create tasks. Members change and delete the tasks "
    "assigned to them; leads those of their team and those assigned to them; executives and "
    "admins any."
)


class _SearchableViewSet(OrgRowViewSet):
    """`?search=` matches titles (case-insensitive, anywhere in the title)."""

    filter_backends = [DjangoFilterBackend, filters.SearchFilter]
    search_fields = ["title"]

    def get_queryset(self) -> QuerySet[Any]:
        # Links are shown as ids, read from the row's own columns: there is nothing to join. (The
        # base's `select_related(*self.related)` with no names would join every non-null link: the
        # organization on every row of a million-task list, a key result's objective.)
        return self.model.objects.for_org(self.organization).order_by("id")


# The objectives with `latest_progress` and `latest_progress_status` from the organization's latest
# score snapshot, in the list's own query. The scoring app provides it
# (`scoring.selectors.objectives_with_progress`).
objectives_with_progress: Hook[Callable[[QuerySet[Objective], Organization], QuerySet[Objective]]] = Hook(
    "objectives_with_progress"
)


@extend_schema_view(
    **org_rows_schema(
        ObjectiveSerializer,
        tag="objectives",
        noun="objective",
        plural="objectives",
        who_writes=LEADS_WRITE,
        cascades=True,
    )
)
class ObjectiveViewSet(_SearchableViewSet):
    """The cascade's objectives, each with its progress in the latest score snapshot."""

    resource = Resource.OBJECTIVE
    model = Objective
    queryset = Objective.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = ObjectiveSerializer
    filterset_class = ObjectiveFilter
    row_services = RowServices(
        row="objective",
        create=services.objective_create,
        update=services.objective_update,
        delete=services.objective_delete,
    )

    def get_queryset(self) -> QuerySet[Any]:
        return objectives_with_progress.call(super().get_queryset(), self.organization)

    def delete_options(self) -> dict[str, Any]:
        return {"cascade": self.cascade_confirmed()}

    def read_back(self, row: OrgOwnedModel) -> OrgOwnedModel:
        # The service's row has no progress annotations: read it as the list shows it.
        return cast(Objective, self.get_queryset().get(pk=row.pk))


@extend_schema_view(
    **org_rows_schema(
        KeyResultSerializer,
        tag="key-results",
        noun="key result",
        plural="key results",
        who_writes=LEADS_WRITE,
    )
)
class KeyResultViewSet(_SearchableViewSet):
    """Key results of the objectives (a lead's team is that of the key result's objective)."""

    resource = Resource.KEY_RESULT
    model = KeyResult
    queryset = KeyResult.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = KeyResultSerializer
    filterset_class = KeyResultFilter
    row_services = RowServices(
        row="key_result",
        create=services.key_result_create,
        update=services.key_result_update,
        delete=services.key_result_delete,
    )


@extend_schema_view(
    **org_rows_schema(
        InitiativeSerializer,
        tag="initiatives",
        noun="initiative",
        plural="initiatives",
        who_writes=LEADS_WRITE,
        cascades=True,
    )
)
class InitiativeViewSet(_SearchableViewSet):
    """Initiatives: the bodies of work planned for the objectives."""

    resource = Resource.INITIATIVE
    model = Initiative
    queryset = Initiative.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilter
    row_services = RowServices(
        row="initiative",
        create=services.initiative_create,
        update=services.initiative_update,
        delete=services.initiative_delete,
    )

    def delete_options(self) -> dict[str, Any]:
        return {"cascade": self.cascade_confirmed()}


@extend_schema_view(
    **org_rows_schema(TaskSerializer, tag="tasks", noun="task", plural="tasks", who_writes=TASK_WRITERS),
    link=extend_schema(
        tags=["tasks"],
        summary="Link many tasks to one goal",
        description=(
            "Links every task in `tasks` to the `initiative` or the `objective` (exactly one), replacing "
            "each one's previous link: all of them, or, when any one is refused (a missing id, a task "
            "the caller's role may not change, a link that would move it out of a lead's team), none. "
            "Answers the linked tasks, by id. " + TASK_WRITERS
        ),
        parameters=[ORG_PARAMETER],
        request=TaskLinkSerializer,
        responses={
            200: OpenApiResponse(TaskSerializer(many=True), description="The linked tasks, by id."),
            **errors(400, 401, 403, 404),
        },
    ),
)
class TaskViewSet(_SearchableViewSet):
    """Tasks: the daily work, each linked to at most one goal."""

    resource = Resource.TASK
    model = Task
    queryset = Task.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    row_services = RowServices(
        row="task",
        create=services.task_create,
        update=services.task_update,
        delete=services.task_delete,
    )
    # A viewer is refused before the body is read; each task is checked by the service.
    role_actions = {"link": Action.CHANGE}

    # JSON only: a form would need a field per task id, and Django refuses forms of more than
    # DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) fields before the view could answer.
    @action(
        detail=False,
        methods=["post"],
        url_path="link",
        pagination_class=None,
        parser_classes=[BoundedJSONParser],
    )
    def link(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = TaskLinkSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        tasks = services.tasks_link_to_goal(
            actor=self.membership,
            task_ids=body.validated_data["tasks"],
            initiative=body.validated_data.get("initiative"),
            objective=body.validated_data.get("objective"),
        )
        return Response(
            TaskSerializer(tasks, many=True, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK,
        )
