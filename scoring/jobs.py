"""Score recomputes a client asked for (`POST /api/v1/orgs/{org}/scores/recompute/`), as pollable jobs.

`scores_recompute_job_request` creates the job (kind `recompute`) and, once that commits, enqueues
`recompute_job_task`. The task computes the organization at D = the job's `as_of` through
`scores_recompute_locked` (never beside another recompute of the same organization) and moves the
job queued → running → succeeded (its result: the new snapshot's id and scores) or failed (its
error says why). The new snapshot is the newest computed, so `scores/` shows it until the next one.

While another worker holds the organization's lock the task retries every BUSY_COUNTDOWN_SECONDS,
for longer than any run can hold that lock; a lost database or Redis connection is retried a few
times with a growing wait; any other failure ends the job as failed and leaves the previous snapshot
the latest. A running job holds a lease that its worker renews (`scoring.lease`): when the worker
dies, the sweep finds the lease run out and sends the job again, up to MAX_ATTEMPTS times, then
fails it; a job is never `running` for good. A message
delivered again after the job ended does nothing. In the embedded default (tasks run eagerly,
inside the request) the retries are a few short waits in-process, and nothing is raised out of
the request: the job records the outcome.
"""

from __future__ import annotations

import logging
import time
from contextlib import suppress
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from execgap.jobs import job_create, job_fail, job_lease_renew, job_progress, job_start, job_succeed
from execgap.models import Job, JobKind, JobState, Membership
from execgap.roles import Action, Resource, require
from scoring.lease import LEASE_SECONDS, heartbeat
from scoring.models import ScoreSnapshot
from scoring.recompute import TRANSIENT_ERRORS, backoff_seconds, scores_recompute_locked

logger = logging.getLogger(__name__)

BUSY_COUNTDOWN_SECONDS = 5
EAGER_RETRIES = 3
EAGER_RETRY_SECONDS = 1.0
CONNECTION_RETRIES = 6
# A job whose worker died is sent again this many times in all; a sent-again job has this long to be
# taken up by a worker before the sweep counts it lost too.
MAX_ATTEMPTS = 3
REQUEUED_LEASE_SECONDS = 120

BUSY_ERROR = "Another recompute of this organization kept running; ask again in a few minutes."
QUEUE_ERROR = "The job queue could not be reached; nothing was computed. Ask again in a few minutes."
WORKER_LOST_NOTE = "The worker running this job stopped (attempt {attempt}); it was sent again."
WORKER_LOST_ERROR = (
    "The workers running this job stopped {attempts} times; the previous scores stay the latest."
)


def busy_retries() -> int:
    """Retries of a busy job: enough to outlast the lock of the longest run (its time-to-live)."""
    return (int(settings.CELERY_TASK_TIME_LIMIT) + 60) // BUSY_COUNTDOWN_SECONDS + 1


def scores_recompute_job_request(*, actor: Membership, as_of: date) -> Job:
    """Ask for a recompute of the actor's organization at D = `as_of`; returns the queued job.

    Leads and up (`Resource.SCORES`, `Action.RECOMPUTE`). The task is enqueued after the job's
    row commits (at once outside a transaction); should the queue be unreachable, the job is
    marked failed rather than left queued for ever.
    """
    require(actor, Resource.SCORES, Action.RECOMPUTE)
    job = job_create(actor=actor, kind=JobKind.RECOMPUTE, parameters={"as_of": as_of.isoformat()})
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _enqueue(job_id: int) -> None:
    try:
        recompute_job_task.apply_async(args=(job_id,))
    except (RedisError, KombuOperationalError, OSError):
        logger.warning("Could not enqueue recompute job %s.", job_id)
        job_fail(job_id=job_id, error=QUEUE_ERROR)


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def recompute_job_task(
    self: Task, job_id: int, connection_failures: int = 0, attempt: int | None = None
) -> str:
    """Run recompute job `job_id`; returns what became of it (for logs): succeeded, failed or ended.

    `attempt` is the job's send (1 unless the sweep sent it again after its worker died): a message
    of an earlier send, delivered late, does nothing."""
    job = Job.objects.filter(pk=job_id, kind=JobKind.RECOMPUTE).first()
    if job is None or job.state in (JobState.SUCCEEDED, JobState.FAILED):
        return "ended"  # deleted with its organization, or a redelivery after it ended
    if (attempt or 1) < job.attempts:
        return "ended"  # superseded: the sweep sent the job again after this send's worker died
    if self.request.is_eager:
        if job.state == JobState.QUEUED:
            job_start(job_id=job_id, total=1)
        return _run_in_process(job)
    try:
        if job.state == JobState.QUEUED:
            job_start(job_id=job_id, total=1, lease_seconds=LEASE_SECONDS)
        else:
            job_lease_renew(job_id=job_id, seconds=LEASE_SECONDS)
        with heartbeat(lambda: job_lease_renew(job_id=job_id, seconds=LEASE_SECONDS)):
            outcome = _attempt(job)
    except TRANSIENT_ERRORS as error:
        if connection_failures < CONNECTION_RETRIES:
            countdown = backoff_seconds(connection_failures)
            logger.warning("Recompute job %s lost the database or Redis (%r); retrying.", job_id, error)
            return _retry(self, job_id, countdown, attempt, connection_failures + 1)
        return _failed(job_id, error)
    if outcome != "busy":
        return outcome
    if self.request.retries >= busy_retries():
        job_fail(job_id=job_id, error=BUSY_ERROR)
        return "failed"
    return _retry(self, job_id, BUSY_COUNTDOWN_SECONDS, attempt, connection_failures)


def _retry(task: Task, job_id: int, countdown: float, attempt: int | None, failures: int) -> str:
    """Send the job again after `countdown` seconds, its lease lasting until then; should the broker
    be gone, the lease runs out instead and the sweep sends the job again."""
    with suppress(*TRANSIENT_ERRORS):  # else a retry that comes after the sweep's send does nothing
        job_lease_renew(job_id=job_id, seconds=countdown + LEASE_SECONDS)
    try:
        raise task.retry(
            kwargs={"job_id": job_id, "connection_failures": failures, "attempt": attempt},
            countdown=countdown,
        )
    except (RedisError, KombuOperationalError, OSError):
        logger.warning("Could not send recompute job %s again; the sweep will.", job_id)
        return "retrying"


def jobs_orphaned_requeue() -> list[int]:
    """Send again the recompute jobs whose worker died (running, their lease run out); a job that has
    had MAX_ATTEMPTS sends fails, saying so. Returns the ids of the jobs sent again."""
    now = timezone.now()
    orphaned = Job.objects.filter(kind=JobKind.RECOMPUTE, state=JobState.RUNNING, lease_expires_at__lt=now)
    sent: list[int] = []
    for job_id, attempts in orphaned.order_by("pk").values_list("pk", "attempts"):
        claim = orphaned.filter(pk=job_id, attempts=attempts)
        if attempts >= MAX_ATTEMPTS:
            claim.update(
                state=JobState.FAILED,
                error=WORKER_LOST_ERROR.format(attempts=attempts),
                finished_at=now,
                lease_expires_at=None,
            )
            continue
        if not claim.update(
            attempts=F("attempts") + 1,
            error=WORKER_LOST_NOTE.format(attempt=attempts),
            lease_expires_at=now + timedelta(seconds=REQUEUED_LEASE_SECONDS),
        ):
            continue  # another sweep claimed it
        logger.warning("Recompute job %s lost its worker; sending it again.", job_id)
        try:
            recompute_job_task.apply_async(kwargs={"job_id": job_id, "attempt": attempts + 1})
        except (RedisError, KombuOperationalError, OSError):
            continue  # its lease runs out again, and a later sweep tries again
        sent.append(job_id)
    return sent


def _run_in_process(job: Job) -> str:
    """The embedded default runs tasks eagerly, inside the request: there is no queue to come back
    through (Celery's retry would raise out of the request), so a few short waits here instead."""
    for attempt in range(1 + EAGER_RETRIES):
        if attempt:
            time.sleep(EAGER_RETRY_SECONDS)
        try:
            outcome = _attempt(job)
        except TRANSIENT_ERRORS as error:
            if attempt == EAGER_RETRIES:
                return _failed(job.pk, error)
            continue
        if outcome != "busy":
            return outcome
    job_fail(job_id=job.pk, error=BUSY_ERROR)
    return "failed"


def _attempt(job: Job) -> str:
    """One try: "busy" (another run holds the lock), else the job's end, recorded: succeeded or failed.
    A lost database or Redis connection is raised, for the caller to retry."""
    as_of = date.fromisoformat(job.parameters["as_of"])
    attempt_started = timezone.now()
    try:
        outcome = scores_recompute_locked(organization_id=job.organization_id, as_of=as_of, force=True)
    except TRANSIENT_ERRORS:
        raise
    except Exception as error:  # noqa: BLE001  (any failure ends the job, and says so, rather than vanish)
        return _failed(job.pk, error)
    if outcome == "busy":
        return outcome
    job_progress(job_id=job.pk, done=1)
    job_succeed(job_id=job.pk, result=_result(job.organization_id, as_of, attempt_started))
    return "succeeded"


def _failed(job_id: int, error: BaseException) -> str:
    logger.exception("Recompute job %s failed.", job_id, exc_info=error)
    job_fail(
        job_id=job_id,
        error=f"The recompute failed ({type(error).__name__}); the previous scores stay the latest.",
    )
    return "failed"


RESULT_FIELDS = (
    "as_of",
    "computed_at",
    "execution_health",
    "alignment",
    "resources",
    "adaptability",
    "people",
)


def _result(organization_id: int, as_of: date, attempt_started: datetime) -> dict[str, Any]:
    """The snapshot this run stored: for D, started after the attempt did (the lock kept others out)."""
    snapshot = (
        ScoreSnapshot.objects.for_org(organization_id)
        .filter(as_of=as_of, started_at__gte=attempt_started)
        .order_by("computed_at", "id")
        .only(*RESULT_FIELDS)
        .first()
    )
    if snapshot is None:
        return {"snapshot": None, "as_of": as_of.isoformat()}
    return {
        "snapshot": snapshot.pk,
        "as_of": snapshot.as_of.isoformat(),
        "computed_at": snapshot.computed_at.isoformat(),
        "execution_health": snapshot.execution_health,
        "alignment": snapshot.alignment,
        "resources": snapshot.resources,
        "adaptability": snapshot.adaptability,
        "people": snapshot.people,
    }
