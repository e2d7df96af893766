"""Celery tasks: send one delivery; send again the deliveries whose retry is due."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from webhooks.delivery.attempt import delivery_attempt, due_deliveries


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=100, time_limit=120)
def deliver_task(delivery_id: int) -> None:
    delivery_attempt(delivery_id=delivery_id)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=50, time_limit=60)
def send_due_deliveries_task() -> None:
    for delivery_id in due_deliveries(timezone.now()):
        deliver_task.delay(delivery_id)
