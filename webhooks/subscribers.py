"""The webhooks' listener on the event bus: a delivery to each endpoint that wants the event."""

from __future__ import annotations

from execgap.events import Event
from execgap.models import Organization
from webhooks.models import WebhookEndpoint, WebhookKind
from webhooks.services import deliveries_create

KINDS = frozenset(WebhookKind.values)


def on_event(event: Event) -> None:
    """One query for the organization's enabled endpoints (the kinds are filtered from them); nothing
    is enqueued when none wants the event."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.for_org(event.organization_id)
        .filter(enabled=True)
        .only("id", "organization_id", "kinds", "format")
        if str(event.kind) in endpoint.kinds
    ]
    if not endpoints:
        return
    slug = Organization.objects.values_list("slug", flat=True).get(pk=event.organization_id)
    deliveries_create(event.as_json(), slug=slug, endpoints=endpoints)
