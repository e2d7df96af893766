"""Background jobs a client can poll: create one, then move it queued → running → succeeded/failed.

The work itself runs in a Celery task that takes the job's id (see `scoring.tasks`); these
functions are the only writes to a job, each one short and committed on its own so that a
poller sees progress while the work goes on.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from execgap.models import Job, JobKind, JobState, Membership


def job_create(*, actor: Membership, kind: JobKind, parameters: dict[str, Any] | None = None) -> Job:
    return Job.objects.create(
        organization_id=actor.organization_id, kind=kind, created_by=actor.user, parameters=parameters or {}
    )


def job_start(*, job_id: int, total: int | None = None) -> None:
    Job.objects.filter(pk=job_id).update(
        state=JobState.RUNNING, started_at=timezone.now(), total=total, done=0
    )


def job_progress(*, job_id: int, done: int) -> None:
    Job.objects.filter(pk=job_id).update(done=done)


def job_advance(*, job_id: int, by: int) -> None:
    Job.objects.filter(pk=job_id).update(done=F("done") + by)


def job_succeed(*, job_id: int, result: Any) -> None:
    Job.objects.filter(pk=job_id).update(state=JobState.SUCCEEDED, result=result, finished_at=timezone.now())


def job_fail(*, job_id: int, error: str) -> None:
    Job.objects.filter(pk=job_id).update(state=JobState.FAILED, error=error, finished_at=timezone.now())
