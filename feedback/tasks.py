"""Celery tasks of the feedback app: thin, idempotent per week."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from execgap.models import Organization
from feedback.reminders import checkin_reminders_send


@shared_task(acks_late=True, ignore_result=True)
def weekly_checkin_reminders_task() -> int:
    """Every week: remind each owner of the items that have gone without a check-in."""
    today = timezone.now().date()
    return sum(
        checkin_reminders_send(organization=organization, as_of=today)
        for organization in Organization.objects.order_by("pk")
    )
