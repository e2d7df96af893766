"""The webhooks' listener on the event bus: a delivery to each endpoint that wants the event."""

from __future__ import annotations

from execgap.events import Event
from webhooks.models import WebhookEndpoint, WebhookKind
from webhooks.services import deliveries_create

KINDS = frozenset(WebhookKind.values)


def on_event(events: list[Event]) -> None:
    """One query per organization for its enabled endpoints, with its slug (the kinds are filtered
    from them: an organization has a handful), and one insert of the deliveries; nothing is written
    nor enqueued when no endpoint wants the events."""
    by_organization: dict[int, list[Event]] = {}
    for event in events:
        by_organization.setdefault(event.organization_id, []).append(event)
    for organization_id, heard in by_organization.items():
        endpoints = list(
            WebhookEndpoint.objects.for_org(organization_id)
            .filter(enabled=True)
            .select_related("organization")
            .only("id", "organization_id", "kinds", "format", "organization__slug")
        )
        wanted = [
            (event.as_json(), wanting)
            for event in heard
            if (wanting := [endpoint for endpoint in endpoints if str(event.kind) in endpoint.kinds])
        ]
        if wanted:
            deliveries_create(wanted, slug=endpoints[0].organization.slug)
