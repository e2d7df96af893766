"""/api/v1/orgs/{org}/notifications/ and notification-preferences/: the requesting user's own.

Every member reads and marks their own notifications and chooses their own channels; another
user's notification, like another organization's, is a 404.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from execgap.api.base import OrgScopedMixin
from execgap.api.org_schema import ETAG_HEADER, ID_PARAMETER, IF_MATCH_PARAMETER, ORG_PARAMETER, errors
from notifications import preferences, services
from notifications.api.serializers import (
    MarkAllReadSerializer,
    NotificationPreferenceSerializer,
    NotificationSerializer,
)
from notifications.models import Channel, Notification, NotificationKind

TAG = "notifications"
_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')
KIND_PARAMETER = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, enum=NotificationKind.values, description="The kind of notification."
)


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="Only the unread (true) or the read (false)."
    )
    kind = filters.ChoiceFilter(choices=NotificationKind.choices, label="Only notifications of this kind.")

    class Meta:
        model = Notification
        fields = ("unread", "kind")


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="List your notifications",
        description="Your in-app notifications in the organization, newest first, a page at a time.",
        parameters=[ORG_PARAMETER],
        responses={200: NotificationSerializer, **errors(400, 401, 404)},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="Read a notification",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        responses={200: NotificationSerializer, **errors(401, 404)},
    ),
    partial_update=extend_schema(
        tags=[TAG],
        summary="Mark a notification read",
        description='Send `{"read": true}`.',
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        request=NotificationSerializer,
        responses={200: NotificationSerializer, **errors(400, 401, 404)},
    ),
)
class NotificationViewSet(
    OrgScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Notification],
):
    queryset = Notification.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "patch", "post", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return (
            Notification.objects.for_org(self.organization)
            .filter(recipient_id=self.request.user.pk, in_app=True)
            .order_by("-created_at", "-id")
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.notification_mark_read(notification=serializer.instance)

    @extend_schema(
        tags=[TAG],
        summary="Mark all your notifications read",
        parameters=[ORG_PARAMETER],
        request=None,
        responses={200: MarkAllReadSerializer, **errors(401, 404)},
    )
    @action(detail=False, methods=["post"], url_path="mark-all-read")
    def mark_all_read(self, request: Request, org: str) -> Response:
        count = services.notifications_mark_all_read(
            organization=self.organization, user_id=self.membership.user_id
        )
        return Response({"marked": count})


class PreferenceViewSet(OrgScopedMixin, viewsets.ViewSet):
    """Your channel for every kind (the default for your role where you chose none)."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "kind"
    lookup_value_regex = "|".join(NotificationKind.values)
    serializer_class = NotificationPreferenceSerializer

    def _rows(self) -> list[dict[str, Any]]:
        membership = self.membership
        return [
            {
                "kind": kind.value,
                "title": kind.label,
                "channel": channel.value,
                "chosen": version > 0,
                "version": version,
            }
            for kind, channel, version in preferences.preferences_of(
                organization_id=membership.organization_id, user_id=membership.user_id, role=membership.role
            )
        ]

    @extend_schema(
        tags=[TAG],
        summary="List your notification preferences",
        description="Every kind of notification with your channel for it.",
        parameters=[ORG_PARAMETER],
        responses={200: NotificationPreferenceSerializer(many=True), **errors(401, 404)},
    )
    def list(self, request: Request, org: str) -> Response:
        return Response(NotificationPreferenceSerializer(self._rows(), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="Choose your channel for a kind",
        parameters=[ORG_PARAMETER, KIND_PARAMETER, IF_MATCH_PARAMETER, ETAG_HEADER],
        request=NotificationPreferenceSerializer,
        responses={200: NotificationPreferenceSerializer, **errors(400, 401, 404, 412)},
    )
    def partial_update(self, request: Request, org: str, kind: str) -> Response:
        if kind not in NotificationKind.values:
            raise exceptions.NotFound("No such kind of notification.")
        serializer = NotificationPreferenceSerializer(data=request.data, partial=False)
        serializer.is_valid(raise_exception=True)
        services.preference_set(
            organization=self.organization,
            user_id=self.membership.user_id,
            kind=NotificationKind(kind),
            channel=Channel(serializer.validated_data["channel"]),
            expected_version=_if_match(request),
        )
        row = next(row for row in self._rows() if row["kind"] == kind)
        return Response(NotificationPreferenceSerializer(row).data, headers={"ETag": f'"{row["version"]}"'})


def _if_match(request: Request) -> int | None:
    """The version the client last read (`If-Match`), or None when it sent none (or `*`)."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    match = _IF_MATCH.match(header)
    if match is None:
        raise exceptions.ValidationError({"If-Match": ["Send the choice's version, as its ETag gives it."]})
    return int(match.group(1))
