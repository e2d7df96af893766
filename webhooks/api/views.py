"""/api/v1/orgs/{org}/webhooks/ and webhook-deliveries/: thin views over `webhooks.services`.

Admins only, reads included (the rule table's `Resource.WEBHOOK`). The secret is answered only by
create and rotate-secret.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from execgap.api.base import OrgRowViewSet, OrgScopedMixin, RolePermission, RowServices
from execgap.api.jobs import NewestFirstPagination
from execgap.api.org_schema import (
    ETAG_HEADER,
    ID_PARAMETER,
    IF_MATCH_PARAMETER,
    ORG_PARAMETER,
    errors,
    org_rows_schema,
)
from execgap.roles import Action, Resource
from webhooks import services
from webhooks.api.payloads import CALLBACKS
from webhooks.api.serializers import (
    WebhookDeliverySerializer,
    WebhookEndpointSecretSerializer,
    WebhookEndpointSerializer,
)
from webhooks.models import WebhookDelivery, WebhookEndpoint

TAG = "webhooks"
ADMINS = "Admins only (reads included)."


def _endpoint_action(summary: str, description: str, answer: Any) -> Any:
    """An action on an endpoint that changes it (with `If-Match`, the version read)."""
    return extend_schema(
        tags=[TAG],
        summary=summary,
        description=f"{description} {ADMINS}",
        parameters=[ORG_PARAMETER, ID_PARAMETER, IF_MATCH_PARAMETER, ETAG_HEADER],
        request=None,
        responses={200: answer, **errors(400, 401, 403, 404, 412)},
    )


_schema = org_rows_schema(
    WebhookEndpointSerializer, tag=TAG, noun="webhook endpoint", plural="webhook endpoints", who_writes=ADMINS
)
_schema["create"] = extend_schema(
    tags=[TAG],
    summary="Register a webhook endpoint",
    description=f"The answer carries the endpoint's `secret`, shown only this once. {ADMINS} A URL that is "
    "not http(s) or whose host is a private, loopback or link-local address is refused (400 on `url`).",
    parameters=[ORG_PARAMETER, ETAG_HEADER],
    request=WebhookEndpointSerializer,
    responses={201: WebhookEndpointSecretSerializer, **errors(400, 401, 403, 404)},
    callbacks=CALLBACKS,
)


@extend_schema_view(
    **_schema,
    rotate_secret=_endpoint_action(
        "Rotate a webhook endpoint's secret",
        "A new secret, in the answer only; the previous one still signs (a second `v1`) for 24 hours.",
        WebhookEndpointSecretSerializer,
    ),
    test=extend_schema(
        tags=[TAG],
        summary="Send a test event",
        description="Sends a `webhook.test` event now, whatever kinds the endpoint receives (202: the "
        f"delivery, queued). {ADMINS}",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        request=None,
        responses={202: WebhookDeliverySerializer, **errors(401, 403, 404)},
    ),
    enable=_endpoint_action(
        "Enable a webhook endpoint", "Its failure count starts again from 0.", WebhookEndpointSerializer
    ),
    disable=_endpoint_action(
        "Disable a webhook endpoint", "No events are sent to it until enabled.", WebhookEndpointSerializer
    ),
    deliveries=extend_schema(
        tags=[TAG],
        summary="List a webhook endpoint's deliveries",
        description=f"Newest first, a page at a time. {ADMINS}",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        request=None,
        responses={200: WebhookDeliverySerializer(many=True), **errors(400, 401, 403, 404)},
    ),
)
class WebhookEndpointViewSet(OrgRowViewSet):
    """Endpoints that receive the organization's events."""

    resource = Resource.WEBHOOK
    model = WebhookEndpoint
    queryset = WebhookEndpoint.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = WebhookEndpointSerializer
    row_services = RowServices(
        row="endpoint",
        create=services.webhook_create,
        update=services.webhook_update,
        delete=services.webhook_delete,
    )
    role_actions = {
        "rotate_secret": Action.CHANGE,
        "test": Action.CHANGE,
        "enable": Action.CHANGE,
        "disable": Action.CHANGE,
        "deliveries": Action.VIEW,
    }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        answer = WebhookEndpointSecretSerializer(serializer.instance, context=self.get_serializer_context())
        return Response(answer.data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        endpoint = services.webhook_rotate_secret(
            actor=self.membership, endpoint=self.get_object(), expected_version=self.expected_version()
        )
        return Response(WebhookEndpointSecretSerializer(endpoint, context=self.get_serializer_context()).data)

    @action(detail=True, methods=["post"])
    def test(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        delivery = services.webhook_send_test(actor=self.membership, endpoint=self.get_object())
        delivery.refresh_from_db()
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["post"])
    def enable(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._set_enabled(enabled=True)

    @action(detail=True, methods=["post"])
    def disable(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._set_enabled(enabled=False)

    def _set_enabled(self, *, enabled: bool) -> Response:
        endpoint = services.webhook_set_enabled(
            actor=self.membership,
            endpoint=self.get_object(),
            enabled=enabled,
            expected_version=self.expected_version(),
        )
        return Response(self.get_serializer(endpoint).data)

    @action(detail=True, methods=["get"], pagination_class=NewestFirstPagination)
    def deliveries(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        endpoint = self.get_object()
        rows = WebhookDelivery.objects.for_org(self.organization).filter(endpoint=endpoint)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)


@extend_schema_view(
    retrieve=extend_schema(
        tags=[TAG],
        summary="Read a webhook delivery",
        description=f"The payload sent and what the last attempt got back. {ADMINS}",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        responses={200: WebhookDeliverySerializer, **errors(401, 403, 404)},
    ),
    redeliver=extend_schema(
        tags=[TAG],
        summary="Redeliver a webhook delivery",
        description=f"Sends the same event again now, as a new delivery with its own retries (202). {ADMINS}",
        parameters=[ORG_PARAMETER, ID_PARAMETER],
        request=None,
        responses={202: WebhookDeliverySerializer, **errors(401, 403, 404)},
    ),
)
class WebhookDeliveryViewSet(OrgScopedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """Deliveries, listed under their endpoint (webhooks/{id}/deliveries/), read and redelivered by id."""

    resource = Resource.WEBHOOK
    queryset = WebhookDelivery.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = WebhookDeliverySerializer
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    lookup_value_regex = r"\d+"
    role_actions = {"redeliver": Action.CHANGE}

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no organization
            return WebhookDelivery.objects.none()
        return WebhookDelivery.objects.for_org(self.organization).select_related("endpoint")

    @action(detail=True, methods=["post"])
    def redeliver(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        again = services.delivery_redeliver(actor=self.membership, delivery=self.get_object())
        again.refresh_from_db()
        return Response(WebhookDeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)
