"""/api/v1/orgs/{org}/alert-rules/ (CRUD, If-Match) and alerts/ (read-only), over `alerts.services`.

Every member reads both; leads write their teams' rules, executives and admins every rule. Alerts
are written only by the evaluation after each snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, filters, permissions, viewsets
from rest_framework.request import Request

from alerts import services
from alerts.api.filters import AlertFilter, AlertRuleFilter
from alerts.api.serializers import AlertRuleSerializer, AlertSerializer
from alerts.models import Alert, AlertRule
from execgap.api.base import OrgRowViewSet, OrgScopedMixin, RolePermission, RowServices
from execgap.api.exceptions import exception_handler
from execgap.api.org_schema import ID_PARAMETER, ORG_PARAMETER, errors, org_rows_schema
from execgap.api.pagination import StablePagination
from execgap.roles import Resource


@extend_schema_view(
    **org_rows_schema(
        AlertRuleSerializer,
        tag="alerts",
        noun="alert rule",
        plural="alert rules",
        who_writes="Leads for their teams (a team is then required); executives and admins for any team "
        "or the whole organization. Disabling or deleting a rule resolves its open alerts.",
    )
)
class AlertRuleViewSet(OrgRowViewSet):
    """The organization's alert rules."""

    resource = Resource.ALERT_RULE
    model = AlertRule
    queryset = AlertRule.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = AlertRuleSerializer
    filterset_class = AlertRuleFilter
    row_services = RowServices(
        row="rule",
        create=services.alert_rule_create,
        update=services.alert_rule_update,
        delete=services.alert_rule_delete,
    )


class NewestFirstPagination(StablePagination):
    ordering = "-opened_at"


ORDERING_PARAMETER = OpenApiParameter(
    "ordering",
    str,
    enum=["opened_at", "-opened_at", "id", "-id"],
    description="The order: by opening time (default newest first, `-opened_at`) or by id.",
)


@extend_schema_view(
    list=extend_schema(
        tags=["alerts"],
        summary="List the alerts",
        description="The organization's alerts, open and resolved (filter by `state`), newest first, "
        "a page at a time (follow `next`).",
        parameters=[ORG_PARAMETER, ORDERING_PARAMETER],
        responses={200: AlertSerializer, **errors(400, 401, 404)},
    ),
    retrieve=extend_schema(
        tags=["alerts"],
        summary="Read an alert",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        responses={200: AlertSerializer, **errors(401, 404)},
    ),
)
class AlertViewSet(OrgScopedMixin, viewsets.ReadOnlyModelViewSet[Alert]):
    resource: ClassVar[Resource] = Resource.ALERT_RULE
    queryset = Alert.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = AlertSerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    pagination_class = NewestFirstPagination
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = AlertFilter
    ordering_fields = ["opened_at", "id"]
    ordering = ["-opened_at"]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Alert]:
        return Alert.objects.for_org(self.organization)

    def get_exception_handler(self) -> Callable[..., Any]:
        return exception_handler

    def check_permissions(self, request: Request) -> None:
        # Alerts are read-only: any write is 405 for every role, not "your role may not".
        if (request.method or "").upper() not in ("GET", "HEAD", "OPTIONS"):
            raise exceptions.MethodNotAllowed(request.method or "")
        super().check_permissions(request)
