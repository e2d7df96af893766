"""Webhook endpoints and deliveries as the API reads and writes them (the secret only when it is new)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from execgap.api.base import OrgRowSerializer
from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookKind

_READ_ONLY: tuple[str, ...] = (
    "enabled", "consecutive_failures", "disabled_at", "disabled_reason", "previous_secret_expires_at",
    "created_by", "version", "created_at", "updated_at",
)  # fmt: skip


class WebhookEndpointSerializer(OrgRowSerializer):
    """An endpoint: where events go, which kinds, in which format, and whether it is enabled."""

    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookKind.choices),
        allow_empty=True,
        max_length=len(WebhookKind.choices),
        help_text="The event kinds sent to this endpoint (none: only test events).",
    )

    class Meta:
        model = WebhookEndpoint
        fields: tuple[str, ...] = ("id", "url", "description", "kinds", "format", *_READ_ONLY)
        read_only_fields: tuple[str, ...] = _READ_ONLY


class WebhookEndpointSecretSerializer(WebhookEndpointSerializer):
    """The endpoint with its new secret: answered once, at creation and at each rotation."""

    secret = serializers.CharField(read_only=True, help_text="Signs every request; shown only this once.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = (*WebhookEndpointSerializer.Meta.fields, "secret")
        read_only_fields = (*_READ_ONLY, "secret")


class WebhookDeliverySerializer(serializers.ModelSerializer[Any]):
    """One event sent (or to be sent) to an endpoint, and what its last attempt got back."""

    class Meta:
        model = WebhookDelivery
        fields = (
            "id", "endpoint", "event_id", "kind", "payload", "state", "attempts", "next_attempt_at",
            "last_status_code", "latency_ms", "response_excerpt", "error", "created_at", "delivered_at",
        )  # fmt: skip
        read_only_fields = fields
