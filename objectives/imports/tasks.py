"""Large imports as background jobs a client polls (`GET /api/v1/orgs/{org}/jobs/{id}/`).

`tasks_import_job_request` stores the rows and options in a job (kind `task_import`) and, once
that commits, enqueues `tasks_import_task`, which runs `tasks_import` as the member who asked
(their role as it is when the job runs) and moves the job queued → running (`total`: the rows;
`done`: the rows judged so far) → succeeded, its result the import's report (read its
`committed`: a commit that a bad row stopped is a report too), or failed when the import could not
run at all (the member left the organization, an unexpected error): nothing was written then.
A message delivered again after the job ended does nothing; one delivered again while it ran
(a worker lost mid-way) runs it again, which is safe: a commit is all or nothing, and a re-import
of committed rows finds them unchanged.
"""

from __future__ import annotations

import logging
from functools import partial

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from execgap.jobs import job_create, job_fail, job_progress, job_start, job_succeed
from execgap.models import Job, JobKind, JobState, Membership
from execgap.roles import Action, Resource, require
from objectives.imports.mapping import JIRA_COLUMNS
from objectives.imports.options import ImportOptions, import_options_from_json
from objectives.imports.rows import ImportRows
from objectives.imports.services import import_options_check, tasks_import

logger = logging.getLogger(__name__)

QUEUE_ERROR = (
    "The job queue could not be reached; nothing was imported. Send the file again in a few minutes."
)
GONE_ERROR = "The member who started this import is no longer in the organization; nothing was imported."


def tasks_import_job_request(
    *, actor: Membership, rows: ImportRows, dry_run: bool, options: ImportOptions
) -> Job:
    """Queue the import of `rows` (leads and up); returns the job, enqueued once its row commits.
    Options naming rows the organization does not have are refused now (ValidationError)."""
    require(actor, Resource.TASK_IMPORT, Action.CREATE)
    import_options_check(organization_id=actor.organization_id, options=options)
    job = job_create(
        actor=actor,
        kind=JobKind.TASK_IMPORT,
        parameters={
            "dry_run": dry_run,
            "options": options.as_json(),
            "rows": rows.as_json(keep=JIRA_COLUMNS),  # the columns an import reads, no others
        },
    )
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _enqueue(job_id: int) -> None:
    try:
        tasks_import_task.apply_async(args=(job_id,))
    except (RedisError, KombuOperationalError, OSError):
        logger.warning("Could not enqueue task import job %s.", job_id)
        job_fail(job_id=job_id, error=QUEUE_ERROR)


@shared_task(acks_late=True, ignore_result=True)
def tasks_import_task(job_id: int) -> str:
    """Run task import job `job_id`; returns what became of it (for logs): succeeded, failed, ended."""
    job = Job.objects.filter(pk=job_id, kind=JobKind.TASK_IMPORT).first()
    if job is None or job.state in (JobState.SUCCEEDED, JobState.FAILED):
        return "ended"  # deleted with its organization, or a redelivery after it ended
    rows = ImportRows.from_json(job.parameters["rows"])
    job_start(job_id=job_id, total=len(rows))
    actor = _member_who_asked(job)
    if actor is None:
        job_fail(job_id=job_id, error=GONE_ERROR)
        return "failed"
    try:
        report = tasks_import(
            actor=actor,
            rows=rows,
            dry_run=bool(job.parameters["dry_run"]),
            options=import_options_from_json(job.parameters["options"]),
            progress=lambda done: job_progress(job_id=job_id, done=done),
        )
    except (PermissionDenied, ValidationError) as error:
        job_fail(job_id=job_id, error=f"{' '.join(_messages(error))} Nothing was imported.")
        return "failed"
    except Exception as error:  # any failure ends the job, and says so, rather than vanish
        logger.exception("Task import job %s failed.", job_id, exc_info=error)
        job_fail(job_id=job_id, error=f"The import failed ({type(error).__name__}); nothing was imported.")
        return "failed"
    job_succeed(job_id=job_id, result=report.as_json())
    return "succeeded"


def _member_who_asked(job: Job) -> Membership | None:
    if job.created_by_id is None:  # the user was deleted since
        return None
    return (
        Membership.objects.select_related("organization", "user")
        .filter(organization_id=job.organization_id, user_id=job.created_by_id)
        .first()
    )


def _messages(error: PermissionDenied | ValidationError) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]
