"""Celery tasks of notifications: thin, idempotent (a redelivered task tells nobody twice)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils import timezone

from notifications import digest, emails, services
from notifications.models import Notification


@shared_task(acks_late=True, ignore_result=True, max_retries=3, default_retry_delay=30)
def notify_task(events: list[dict[str, Any]]) -> int:
    """Make the notifications of some events: each `{"event": Event.as_json(), "actor_user_id"}`."""
    return services.notify_events(events)


@shared_task(acks_late=True, ignore_result=True)
def email_batch_send_task(organization_id: int, user_id: int, kind: str) -> int:
    """Send one person's waiting notification emails of one kind, as one email."""
    return emails.email_batch_send(organization_id=organization_id, user_id=user_id, kind=kind)


@shared_task(acks_late=True, ignore_result=True)
def email_sweep_task() -> int:
    """Send the waiting emails older than a batch window (their scheduled send was lost)."""
    due = (
        Notification.objects.filter(
            email_pending=True, created_at__lt=timezone.now() - services.batch_window()
        )
        .values_list("organization_id", "recipient_id", "kind")
        .distinct()
    )
    return sum(
        emails.email_batch_send(organization_id=org_id, user_id=user_id, kind=kind)
        for org_id, user_id, kind in due
    )


@shared_task(acks_late=True, ignore_result=True)
def weekly_digest_task() -> int:
    """Monday morning: the executive digest to each executive and admin who wants it by email."""
    return digest.digests_send(as_of=timezone.now())
