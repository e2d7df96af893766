"""/api/v1/orgs/{org}/check-ins/, feedback/ and recognitions/: thin views over `feedback.services`.

Every member reads; members and up create (as themselves by default); executives and admins
change and delete. Leads answer (acknowledge, respond to, resolve) their team's feedback,
executives and admins any feedback: those actions ask the rule table for `Action.ANSWER`.
Recognitions are not changed once given (no PUT or PATCH).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from execgap.api.base import OrgRowViewSet, RowServices
from execgap.api.org_schema import (
    ETAG_HEADER,
    ID_PARAMETER,
    IF_MATCH_PARAMETER,
    ORG_PARAMETER,
    errors,
    org_rows_schema,
)
from execgap.roles import Action, Resource
from feedback import services
from feedback.api.filters import CheckInFilter, FeedbackFilter, RecognitionFilter
from feedback.api.serializers import (
    CheckInSerializer,
    FeedbackAnswerSerializer,
    FeedbackResponseSerializer,
    FeedbackSerializer,
    RecognitionSerializer,
)
from feedback.models import CheckIn, FeedbackItem, Recognition

MEMBERS_CREATE = (
    "Members, leads, executives and admins create (as themselves by default); "
    "executives and admins change and delete."
)

Answer = Callable[..., FeedbackItem]


@extend_schema_view(
    **org_rows_schema(
        CheckInSerializer, tag="check-ins", noun="check-in", plural="check-ins", who_writes=MEMBERS_CREATE
    )
)
class CheckInViewSet(OrgRowViewSet):
    """Check-ins on objectives, initiatives and key results."""

    resource = Resource.CHECK_IN
    model = CheckIn
    queryset = CheckIn.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = CheckInSerializer
    filterset_class = CheckInFilter
    row_services = RowServices(
        row="check_in",
        create=services.check_in_create,
        update=services.check_in_update,
        delete=services.check_in_delete,
    )


def _answer_schema(summary: str, description: str, request: type[Serializer[Any]]) -> Any:
    return extend_schema(
        tags=["feedback"],
        summary=summary,
        description=f"{description} Leads for their team's feedback; executives and admins for any.",
        parameters=[ORG_PARAMETER, ID_PARAMETER, IF_MATCH_PARAMETER, ETAG_HEADER],
        request=request,
        responses={200: FeedbackSerializer, **errors(400, 401, 403, 404, 412)},
    )


@extend_schema_view(
    **org_rows_schema(
        FeedbackSerializer,
        tag="feedback",
        noun="feedback item",
        plural="feedback items",
        who_writes=MEMBERS_CREATE,
    ),
    acknowledge=_answer_schema(
        "Acknowledge a feedback item",
        "Open → acknowledged (`acknowledged_at` is now unless already set); resolved feedback is "
        "not reopened (400). A non-empty `response` replaces the response.",
        FeedbackAnswerSerializer,
    ),
    respond=_answer_schema(
        "Respond to a feedback item",
        "Sets the response; the status stays as it is.",
        FeedbackResponseSerializer,
    ),
    resolve=_answer_schema(
        "Resolve a feedback item",
        "Open or acknowledged → resolved (`resolved_at` is now unless already set). A non-empty "
        "`response` replaces the response.",
        FeedbackAnswerSerializer,
    ),
)
class FeedbackViewSet(OrgRowViewSet):
    """Blockers, risks, ideas and concerns, and their answers."""

    resource = Resource.FEEDBACK
    model = FeedbackItem
    queryset = FeedbackItem.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilter
    row_services = RowServices(
        row="item",
        create=services.feedback_create,
        update=services.feedback_update,
        delete=services.feedback_delete,
    )
    role_actions = {"acknowledge": Action.ANSWER, "respond": Action.ANSWER, "resolve": Action.ANSWER}

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(request, services.feedback_acknowledge, FeedbackAnswerSerializer)

    @action(detail=True, methods=["post"])
    def respond(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(request, services.feedback_respond, FeedbackResponseSerializer)

    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(request, services.feedback_resolve, FeedbackAnswerSerializer)

    def _answer(self, request: Request, answer: Answer, body_class: type[Serializer[Any]]) -> Response:
        item = self.get_object()  # 404 outside the organization; 403 unless the role may answer it
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        item = answer(
            actor=self.membership, item=item, expected_version=self.expected_version(), **body.validated_data
        )
        return Response(self.get_serializer(item).data)


@extend_schema_view(
    **org_rows_schema(
        RecognitionSerializer,
        tag="recognitions",
        noun="recognition",
        plural="recognitions",
        who_writes="Members, leads, executives and admins give recognition (as themselves by default); "
        "executives and admins delete it.",
        operations=("list", "retrieve", "create", "destroy"),
    )
)
class RecognitionViewSet(OrgRowViewSet):
    """Recognitions between colleagues (given once: created and deleted, never changed)."""

    resource = Resource.RECOGNITION
    model = Recognition
    queryset = Recognition.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = RecognitionSerializer
    filterset_class = RecognitionFilter
    row_services = RowServices(
        row="recognition",
        create=services.recognition_create,
        delete=services.recognition_delete,
    )
    http_method_names = ["get", "post", "delete", "head", "options"]
