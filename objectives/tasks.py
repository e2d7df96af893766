"""Celery tasks of the plan. They live beside the code they run, or here; importing them here registers
them with the worker, which loads `<app>.tasks` of every app."""

from __future__ import annotations

from datetime import UTC, timedelta

from celery import shared_task
from django.utils import timezone

from execgap.models import Organization
from objectives.imports.tasks import tasks_import_task
from objectives.tallies import tallies_of_deleted_organizations_remove, tallies_repair, tallies_window_ensure

__all__ = ["daily_tally_repair_task", "tasks_import_task"]


@shared_task(acks_late=True, ignore_result=True, time_limit=3600)
def daily_tally_repair_task() -> int:
    """Every night: roll each organization's tally window to its activity window ending today (UTC),
    check its task tallies against its tasks and rebuild any that drifted (logged; the scores are then
    recomputed); drop the tallies of deleted organizations. Returns the number of organizations
    repaired."""
    tallies_of_deleted_organizations_remove()
    today = timezone.now().astimezone(UTC).date()
    repaired = 0
    for organization_id, window_days in Organization.objects.order_by("pk").values_list(
        "pk", "activity_window_days"
    ):
        tallies_window_ensure(
            organization_id=organization_id, first_day=today - timedelta(days=window_days - 1), last_day=today
        )
        repaired += bool(tallies_repair(organization_id=organization_id))
    return repaired
