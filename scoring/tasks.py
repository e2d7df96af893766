"""Celery tasks of the scoring engine: thin, idempotent, bounded (see `scoring.recompute`)."""

from __future__ import annotations

from datetime import date

from celery import Task, shared_task

from execgap.models import Organization
from scoring.jobs import recompute_job_task
from scoring.recompute import (
    BUSY_RETRY_SECONDS,
    SETTLE_RETRY_SECONDS,
    scores_recompute_locked,
    stale_organizations_sweep,
)

# The app's other tasks live beside the code they run; importing them here registers them with the
# worker, which loads `<app>.tasks` of every app.
__all__ = ["recompute_job_task"]

# Retries while another worker computes the organization or changes are still arriving: enough
# to outlast MAX_SETTLE and a long run; past them, the minute-by-minute sweep asks again.
MAX_BUSY_RETRIES = 120


@shared_task(bind=True, acks_late=True, max_retries=MAX_BUSY_RETRIES, ignore_result=False)
def recompute_scores_task(
    self: Task, organization_id: int, as_of: str | None = None, force: bool = False
) -> str:
    """Recompute one organization's scores; while another worker computes it, or changes are still
    arriving, retry shortly after."""
    outcome = scores_recompute_locked(
        organization_id=organization_id,
        as_of=date.fromisoformat(as_of) if as_of else None,
        force=force,
        settle=not self.request.is_eager,  # in-process, the change has committed and nothing else is coming
    )
    if outcome == "busy":
        raise self.retry(countdown=BUSY_RETRY_SECONDS)
    if outcome == "settling":
        raise self.retry(countdown=SETTLE_RETRY_SECONDS)
    return outcome


@shared_task(acks_late=True, ignore_result=True)
def sweep_stale_scores_task() -> int:
    """Every minute: recompute what is still stale (a lost request is only ever a delay)."""
    return len(stale_organizations_sweep())


@shared_task(acks_late=True, ignore_result=True)
def daily_snapshots_task() -> int:
    """Every day: one snapshot per organization, so the trend lines have a point for each day."""
    organization_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    for organization_id in organization_ids:
        recompute_scores_task.apply_async(args=(organization_id,), kwargs={"force": True})
    return len(organization_ids)
