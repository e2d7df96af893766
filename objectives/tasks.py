"""Celery tasks of the plan. They live beside the code they run, or here; importing them here registers
them with the worker, which loads `<app>.tasks` of every app."""

from __future__ import annotations

from celery import shared_task

from execgap.models import Organization
from objectives.imports.tasks import tasks_import_task
from objectives.tallies import tallies_of_deleted_organizations_remove, tallies_repair

__all__ = ["daily_tally_repair_task", "tasks_import_task"]


@shared_task(acks_late=True, ignore_result=True, time_limit=3600)
def daily_tally_repair_task() -> int:
    """Every night: check each organization's task tallies against its tasks and rebuild any that
    drifted (logged; the scores are then recomputed); drop the tallies of deleted organizations.
    Returns the number of organizations repaired."""
    tallies_of_deleted_organizations_remove()
    organization_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    return sum(1 for organization_id in organization_ids if tallies_repair(organization_id=organization_id))
