"""Background jobs a client can poll: create one, then move it queued → running → succeeded/failed.

The work itself runs in a Celery task that takes the job's id (see `scoring.tasks`); these
functions are the only writes to a job, each one short and committed on its own so that a
poller sees progress while the work goes on.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from execgap.events import Event, EventKind, publish
from execgap.models import Job, JobKind, JobState, Membership


def job_create(*, actor: Membership, kind: JobKind, parameters: dict[str, Any] | None = None) -> Job:
    return Job.objects.create(
        organization_id=actor.organization_id, kind=kind, created_by=actor.user, parameters=parameters or {}
    )


def job_start(*, job_id: int, total: int | None = None, lease_seconds: float | None = None) -> None:
    """Running from now; with `lease_seconds`, only for that long unless renewed (`job_lease_renew`)."""
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(
        state=JobState.RUNNING,
        started_at=now,
        total=total,
        done=0,
        lease_expires_at=None if lease_seconds is None else now + timedelta(seconds=lease_seconds),
    )


def job_lease_renew(*, job_id: int, seconds: float) -> None:
    """A running job's worker is still at it (or will be, after a retry's wait) for `seconds` more."""
    Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
        lease_expires_at=timezone.now() + timedelta(seconds=seconds)
    )


def job_progress(*, job_id: int, done: int) -> None:
    Job.objects.filter(pk=job_id).update(done=done)


def job_advance(*, job_id: int, by: int) -> None:
    Job.objects.filter(pk=job_id).update(done=F("done") + by)


def job_succeed(*, job_id: int, result: Any) -> None:
    Job.objects.filter(pk=job_id).update(
        state=JobState.SUCCEEDED, result=result, error="", finished_at=timezone.now(), lease_expires_at=None
    )
    _finished(job_id)


def job_fail(*, job_id: int, error: str) -> None:
    Job.objects.filter(pk=job_id).update(
        state=JobState.FAILED, error=error, finished_at=timezone.now(), lease_expires_at=None
    )
    _finished(job_id)


def _finished(job_id: int) -> None:
    """Tell the listeners that a job ended (the person who asked for it is told by notifications)."""
    job = (
        Job.objects.filter(pk=job_id)
        .values("organization_id", "kind", "state", "created_by_id", "error")
        .first()
    )
    if job is None:
        return
    publish(
        Event(
            kind=EventKind.JOB_FINISHED,
            organization_id=job["organization_id"],
            data={
                "job_id": job_id,
                "kind": job["kind"],
                "state": job["state"],
                "created_by_user_id": job["created_by_id"],
                "error": job["error"],
            },
        )
    )
