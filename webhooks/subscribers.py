"""The webhooks' listener on the event bus: a delivery to each endpoint that wants the event."""

from __future__ import annotations

from execgap.events import Event
from webhooks.models import WebhookEndpoint, WebhookKind
from webhooks.services import deliveries_create

KINDS = frozenset(WebhookKind.values)


def on_event(event: Event) -> None:
    """One query for the organization's enabled endpoints, with its slug (the kinds are filtered from
    them: an organization has a handful); nothing is written nor enqueued when none wants the event."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.for_org(event.organization_id)
        .filter(enabled=True)
        .select_related("organization")
        .only("id", "organization_id", "kinds", "format", "organization__slug")
        if str(event.kind) in endpoint.kinds
    ]
    if endpoints:
        deliveries_create(event.as_json(), slug=endpoints[0].organization.slug, endpoints=endpoints)
