"""Registering, changing and trying webhook endpoints (admins only, through `execgap.services`).

The secret is made here (`secrets.token_urlsafe`) and handed back once, by `webhook_create` and
`webhook_rotate_secret`; a rotation keeps the previous secret signing for `SECRET_OVERLAP`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from execgap.events import Event
from execgap.models import Membership
from execgap.roles import Action, Resource, require
from execgap.services import StaleVersionError, org_row_create, org_row_delete, org_row_update
from webhooks.delivery.outbound import UnsafeURLError, resolve_checked
from webhooks.delivery.payloads import event_body, render
from webhooks.models import TEST_KIND, WebhookDelivery, WebhookEndpoint

SECRET_OVERLAP = timedelta(hours=24)

Data = Mapping[str, Any]


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def _check_url(data: Data) -> None:
    """A clear error beside `url` for a URL ExecGap would refuse to call (before anything is written)."""
    url = data.get("url")
    if not url:
        return
    try:
        resolve_checked(str(url))
    except UnsafeURLError as error:
        raise ValidationError({"url": str(error)}) from error


def webhook_create(*, actor: Membership, data: Data) -> WebhookEndpoint:
    """Register an endpoint; its new secret is on the returned row (show it once)."""
    require(actor, Resource.WEBHOOK, Action.CREATE)
    _check_url(data)

    def made_by(row: WebhookEndpoint) -> None:
        row.secret = new_secret()
        row.created_by_id = actor.user_id

    return org_row_create(
        actor=actor,
        resource=Resource.WEBHOOK,
        model=WebhookEndpoint,
        data=data,
        marks_stale=False,
        check=made_by,
    )


def webhook_update(
    *, actor: Membership, endpoint: WebhookEndpoint, data: Data, expected_version: int | None = None
) -> WebhookEndpoint:
    require(actor, Resource.WEBHOOK, Action.CHANGE, endpoint)
    _check_url(data)
    return org_row_update(
        actor=actor,
        resource=Resource.WEBHOOK,
        instance=endpoint,
        data=data,
        expected_version=expected_version,
        marks_stale=False,
    )


def webhook_delete(
    *, actor: Membership, endpoint: WebhookEndpoint, expected_version: int | None = None
) -> None:
    org_row_delete(
        actor=actor,
        resource=Resource.WEBHOOK,
        instance=endpoint,
        expected_version=expected_version,
        marks_stale=False,
    )


def _locked(actor: Membership, endpoint: WebhookEndpoint, expected_version: int | None) -> WebhookEndpoint:
    """The endpoint, locked, in the actor's organization; the role and version checked."""
    row = WebhookEndpoint.objects.for_org(actor.organization_id).select_for_update().get(pk=endpoint.pk)
    if expected_version is not None and row.version != expected_version:
        raise StaleVersionError(expected=expected_version, current=row.version)
    require(actor, Resource.WEBHOOK, Action.CHANGE, row)
    return row


def webhook_rotate_secret(
    *, actor: Membership, endpoint: WebhookEndpoint, expected_version: int | None = None
) -> WebhookEndpoint:
    """A new secret (returned on the row, shown once); the old one still signs for 24 hours."""
    with transaction.atomic():
        row = _locked(actor, endpoint, expected_version)
        row.previous_secret = row.secret
        row.previous_secret_expires_at = timezone.now() + SECRET_OVERLAP
        row.secret = new_secret()
        row.version += 1
        row.save()
    return row


def webhook_set_enabled(
    *, actor: Membership, endpoint: WebhookEndpoint, enabled: bool, expected_version: int | None = None
) -> WebhookEndpoint:
    """Enable (the failure count starts again from 0) or disable an endpoint by hand."""
    with transaction.atomic():
        row = _locked(actor, endpoint, expected_version)
        row.enabled = enabled
        row.consecutive_failures = 0 if enabled else row.consecutive_failures
        row.disabled_at = None if enabled else timezone.now()
        row.disabled_reason = "" if enabled else f"Disabled by {actor.user.get_username()}."
        row.version += 1
        row.save()
    return row


def _enqueue(delivery_ids: list[int]) -> None:
    from webhooks.tasks import deliver_task  # the task module imports the delivery, which imports these

    for delivery_id in delivery_ids:
        deliver_task.delay(delivery_id)


def deliveries_create(events: list[tuple[dict[str, Any], list[WebhookEndpoint]]], *, slug: str) -> list[int]:
    """A pending delivery of each event (`Event.as_json()`) to each of its endpoints, in one insert,
    each sent by a task once committed."""
    now = timezone.now()
    rows: list[WebhookDelivery] = []
    for event_json, endpoints in events:
        body = event_body(event_json, slug=slug)
        rows.extend(
            WebhookDelivery(
                organization_id=endpoint.organization_id,
                endpoint=endpoint,
                event_id=body["id"],
                kind=body["kind"],
                payload=render(body, fmt=endpoint.format),
                next_attempt_at=now,
            )
            for endpoint in endpoints
        )
    ids = [row.pk for row in WebhookDelivery.objects.bulk_create(rows)]
    transaction.on_commit(lambda: _enqueue(ids))
    return ids


def webhook_send_test(*, actor: Membership, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send a `webhook.test` event now, whatever kinds the endpoint subscribes to."""
    require(actor, Resource.WEBHOOK, Action.CHANGE, endpoint)
    event = Event(
        kind=TEST_KIND,  # type: ignore[arg-type]  # a kind of its own, never published on the bus
        organization_id=actor.organization_id,
        actor_user_id=actor.user_id,
        data={"endpoint_id": endpoint.pk, "sent_by_user_id": actor.user_id},
    )
    with transaction.atomic():
        (delivery_id,) = deliveries_create([(event.as_json(), [endpoint])], slug=actor.organization.slug)
    return WebhookDelivery.objects.get(pk=delivery_id)


def delivery_redeliver(*, actor: Membership, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery's payload again now, as a new delivery (same event id) with its own retries."""
    require(actor, Resource.WEBHOOK, Action.CHANGE, delivery.endpoint)
    with transaction.atomic():
        again = WebhookDelivery.objects.create(
            organization_id=delivery.organization_id,
            endpoint_id=delivery.endpoint_id,
            event_id=delivery.event_id,
            kind=delivery.kind,
            payload=delivery.payload,
            next_attempt_at=timezone.now(),
        )
        transaction.on_commit(lambda: _enqueue([again.pk]))
    return again
