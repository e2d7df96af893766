"""Celery tasks of the scoring engine: thin, idempotent, bounded (see `scoring.recompute`)."""

from __future__ import annotations

import logging
from datetime import date

from celery import Task, shared_task
from celery.exceptions import MaxRetriesExceededError, Retry

from execgap.models import Organization
from scoring.drift_kept import drift_kept_as_of, drift_kept_repair, kept_of_deleted_organizations_remove
from scoring.fetch import parameters_at
from scoring.jobs import jobs_orphaned_requeue, recompute_job_task
from scoring.recompute import (
    BUSY_RETRY_SECONDS,
    SETTLE_RETRY_SECONDS,
    TRANSIENT_ERRORS,
    backoff_seconds,
    scores_recompute_locked,
    scores_request_forget,
    stale_organizations_sweep,
)
from scoring.staffing_kept import staffing_kept_as_of, staffing_kept_repair
from scoring.task_sums_kept import task_sums_kept_as_of, task_sums_kept_repair

logger = logging.getLogger(__name__)

# The app's other tasks live beside the code they run; importing them here registers them with the
# worker, which loads `<app>.tasks` of every app.
__all__ = ["recompute_job_task"]

# Retries while another worker computes the organization or changes are still arriving: enough
# to outlast MAX_SETTLE (a retry every SETTLE_RETRY_SECONDS) and a long run; past them, the sweep
# asks again.
MAX_BUSY_RETRIES = 240
# The database or Redis gone for a moment: retried with a growing wait (`backoff_seconds`), about two
# minutes in all; past them the stale mark waits for the sweep.
MAX_FAILURES = 8


# Sent ahead of every other job waiting on the broker (CELERY_TASK_ROUTES gives it the highest priority).
@shared_task(bind=True, acks_late=True, max_retries=MAX_BUSY_RETRIES + MAX_FAILURES, ignore_result=False)
def recompute_scores_task(
    self: Task, organization_id: int, as_of: str | None = None, force: bool = False, failures: int = 0
) -> str:
    """Recompute one organization's scores; while another worker computes it, or changes are still
    arriving, retry shortly after; when the database or Redis is gone, retry with a growing wait.
    A run that gives up forgets its request, so the next change (or the sweep) asks again."""
    kwargs: dict[str, object] = {
        "organization_id": organization_id,
        "as_of": as_of,
        "force": force,
        "failures": failures,
    }
    try:
        outcome = scores_recompute_locked(
            organization_id=organization_id,
            as_of=date.fromisoformat(as_of) if as_of else None,
            force=force,
            # in-process, the change has committed and nothing else is coming
            settle=not self.request.is_eager,
        )
    except TRANSIENT_ERRORS as error:
        if self.request.is_eager or failures >= MAX_FAILURES:
            logger.warning("Recompute of %s gave up (%r); the sweep asks.", organization_id, error)
            scores_request_forget(organization_id=organization_id)
            return "failed"
        logger.warning("Recompute of organization %s lost a service (%r); retrying.", organization_id, error)
        return _retry(self, {**kwargs, "failures": failures + 1}, backoff_seconds(failures), organization_id)
    if outcome == "busy":
        return _retry(self, kwargs, BUSY_RETRY_SECONDS, organization_id)
    if outcome == "settling":
        return _retry(self, kwargs, SETTLE_RETRY_SECONDS, organization_id)
    return outcome


def _retry(task: Task, kwargs: dict[str, object], countdown: float, organization_id: int) -> str:
    """Send the run again after `countdown` seconds; when that cannot be sent (retries used up, or the
    broker gone), forget the request instead of leaving it to block the next change's."""
    try:
        raise task.retry(kwargs=kwargs, countdown=countdown)
    except Retry:
        raise
    except (MaxRetriesExceededError, *TRANSIENT_ERRORS):
        logger.warning("Could not retry the recompute of organization %s; the sweep asks.", organization_id)
        scores_request_forget(organization_id=organization_id)
        return "failed"


@shared_task(acks_late=True, ignore_result=True)
def sweep_stale_scores_task() -> int:
    """Every half minute: recompute what is still stale (a lost request is only ever a delay), and
    send again the clients' recompute jobs whose worker died."""
    jobs_orphaned_requeue()
    return len(stale_organizations_sweep())


@shared_task(acks_late=True, ignore_result=True, time_limit=3600)
def daily_snapshots_task() -> int:
    """Every day: one snapshot per organization, so the trend lines have a point for each day. First
    each organization's kept staffing drift, staffing and task sums are checked at the D they were
    last kept for (a difference is logged and counted again; the day's recompute then counts them
    whole for the new D), and the kept rows of deleted organizations are dropped."""
    kept_of_deleted_organizations_remove()
    organizations = list(Organization.objects.order_by("pk"))
    for organization in organizations:
        kept_as_of = drift_kept_as_of(organization_id=organization.pk)
        if kept_as_of is not None:
            drift_kept_repair(
                organization_id=organization.pk,
                parameters=parameters_at(organization=organization, as_of=kept_as_of),
            )
        staffing_as_of = staffing_kept_as_of(organization_id=organization.pk)
        if staffing_as_of is not None:
            staffing_kept_repair(
                organization_id=organization.pk,
                parameters=parameters_at(organization=organization, as_of=staffing_as_of),
            )
        task_sums_as_of = task_sums_kept_as_of(organization_id=organization.pk)
        if task_sums_as_of is not None:
            task_sums_kept_repair(
                organization_id=organization.pk,
                parameters=parameters_at(organization=organization, as_of=task_sums_as_of),
            )
        recompute_scores_task.apply_async(args=(organization.pk,), kwargs={"force": True})
    return len(organizations)
