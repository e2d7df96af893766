"""One attempt at a delivery: claim it, send it signed, record the answer, schedule the next try.

Retried (after 1 min, 5 min, 25 min, 2 h, then 12 h; then failed) on a connection error, a timeout,
a redirect (never followed), 429 or 5xx; any other 4xx fails at once, as does a refused address.
`EXECGAP_WEBHOOK_FAILURES_TO_DISABLE` failed deliveries in a row disable the endpoint and its
organization's admins get an email; a success resets the count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from execgap.models import Membership, Role
from webhooks.delivery import outbound
from webhooks.delivery.payloads import encode, signature_header
from webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint

# Seconds before each retry: the first 1 minute after the first attempt, the last 12 hours after the fifth.
BACKOFF_SECONDS = (60, 300, 1500, 7200, 43200)
USER_AGENT = "ExecGap-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    latency_ms: int
    excerpt: str
    error: str
    succeeded: bool
    retryable: bool


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """The delivery, if it is due, with its attempt counted and its next try pushed past this one's
    time limit (a second task for the same delivery then finds it not due)."""
    lease = timedelta(
        seconds=settings.EXECGAP_WEBHOOK_CONNECT_TIMEOUT_SECONDS
        + settings.EXECGAP_WEBHOOK_READ_TIMEOUT_SECONDS
        + 60
    )
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .filter(
                pk=delivery_id,
                state__in=(DeliveryState.PENDING, DeliveryState.RETRYING),
                next_attempt_at__lte=now,
            )
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + lease
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery.pk)


def _secrets_in_use(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    overlap = (
        endpoint.previous_secret
        and endpoint.previous_secret_expires_at
        and (endpoint.previous_secret_expires_at > now)
    )
    return [endpoint.secret, endpoint.previous_secret] if overlap else [endpoint.secret]


def _send(delivery: WebhookDelivery, now: datetime) -> Outcome:
    body = encode(delivery.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-ExecGap-Event": delivery.kind,
        "X-ExecGap-Delivery": str(delivery.pk),
        "X-ExecGap-Signature": signature_header(
            _secrets_in_use(delivery.endpoint, now), int(time.time()), body
        ),
    }
    started = time.monotonic()

    def outcome(status: int | None, excerpt: str, error: str, *, ok: bool, retry: bool) -> Outcome:
        latency = round((time.monotonic() - started) * 1000)
        return Outcome(status, latency, excerpt, error[:500], ok, retry)

    try:
        answer = outbound.post(delivery.endpoint.url, body=body, headers=headers)
    except outbound.UnsafeURLError as error:
        return outcome(None, "", str(error), ok=False, retry=False)
    except httpx.TimeoutException:
        return outcome(None, "", "The receiver did not answer in time.", ok=False, retry=True)
    except httpx.HTTPError as error:
        return outcome(None, "", f"Could not connect: {error}", ok=False, retry=True)
    status = answer.status_code
    if 200 <= status < 300:
        return outcome(status, answer.text, "", ok=True, retry=False)
    if 300 <= status < 400:
        return outcome(status, answer.text, "A redirect: webhooks never follow one.", ok=False, retry=True)
    retry = status == 429 or status >= 500
    return outcome(status, answer.text, f"The receiver answered {status}.", ok=False, retry=retry)


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> WebhookDelivery | None:
    """Attempt the delivery if it is due at `now` (default: now); None when it was not due."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    result = _send(delivery, now)
    delivery.last_status_code = result.status_code
    delivery.latency_ms = result.latency_ms
    delivery.response_excerpt = result.excerpt
    delivery.error = result.error
    if result.succeeded:
        delivery.state = DeliveryState.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif result.retryable and delivery.attempts <= len(BACKOFF_SECONDS):
        delivery.state = DeliveryState.RETRYING
        delivery.next_attempt_at = now + timedelta(seconds=BACKOFF_SECONDS[delivery.attempts - 1])
    else:
        delivery.state = DeliveryState.FAILED
        delivery.next_attempt_at = None
    with transaction.atomic():
        delivery.save()
        if delivery.state == DeliveryState.SUCCEEDED:
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(consecutive_failures=0)
        elif delivery.state == DeliveryState.FAILED:
            _count_failure(delivery.endpoint_id, now)
    return delivery


def _count_failure(endpoint_id: int, now: datetime) -> None:
    """One more failed delivery in a row; at the limit the endpoint is disabled and its admins told."""
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(consecutive_failures=F("consecutive_failures") + 1)
    limit = settings.EXECGAP_WEBHOOK_FAILURES_TO_DISABLE
    reason = f"{limit} deliveries in a row failed."
    disabled = WebhookEndpoint.objects.filter(
        pk=endpoint_id, enabled=True, consecutive_failures__gte=limit
    ).update(enabled=False, disabled_at=now, disabled_reason=reason, version=F("version") + 1)
    if not disabled:
        return
    WebhookDelivery.objects.filter(endpoint_id=endpoint_id, state=DeliveryState.RETRYING).update(
        state=DeliveryState.FAILED, next_attempt_at=None, error="Not retried: the endpoint was disabled."
    )
    endpoint = WebhookEndpoint.objects.select_related("organization").get(pk=endpoint_id)
    transaction.on_commit(lambda: _tell_admins(endpoint))


def _tell_admins(endpoint: WebhookEndpoint) -> None:
    organization = endpoint.organization
    emails = list(
        Membership.objects.filter(organization_id=organization.pk, role=Role.ADMIN)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not emails:
        return
    link = f"{settings.EXECGAP_BASE_URL}/o/{organization.slug}/settings/webhooks/{endpoint.pk}/"
    send_mail(
        subject=f"ExecGap: the webhook to {endpoint.url} was disabled",
        message=(
            f"ExecGap stopped sending {organization.name}'s events to {endpoint.url}: "
            f"{endpoint.disabled_reason}\n\n"
            f"See its deliveries and enable it again (an admin's action): {link}\n"
        ),
        from_email=None,
        recipient_list=emails,
    )


def due_deliveries(now: datetime, limit: int = 500) -> list[int]:
    """Deliveries of enabled endpoints whose next try is due (and those whose task was lost)."""
    return list(
        WebhookDelivery.objects.filter(
            state__in=(DeliveryState.PENDING, DeliveryState.RETRYING),
            next_attempt_at__lte=now,
            endpoint__enabled=True,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
