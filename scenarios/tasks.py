"""Scenario evaluations as background jobs a client polls (`GET /api/v1/orgs/{org}/jobs/{id}/`).

An evaluation reads the whole plan's scoring inputs: at a million tasks it takes as long as a
recompute, so pages and clients ask for it and are told when it lands. `scenario_evaluation_request`
creates a job (kind `scenario_evaluation`) and, once that commits, enqueues `scenario_evaluate_task`,
which moves it queued → running → succeeded, its result the
comparison (also kept on the scenario), or failed, saying why. A redelivered message after the job
ended does nothing; an evaluation run twice is harmless (it writes only the scenario's evaluation).
"""

from __future__ import annotations

import logging
from functools import partial

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from execgap.jobs import job_create, job_fail, job_progress, job_start, job_succeed
from execgap.models import Job, JobKind, JobState, Membership
from execgap.roles import Action, Resource, require
from scenarios.models import Scenario

logger = logging.getLogger(__name__)

QUEUE_ERROR = (
    "The job queue could not be reached; the scenario was not evaluated. Try again in a few minutes."
)


def scenario_evaluation_request(*, actor: Membership, scenario: Scenario) -> Job:
    """Queue the evaluation of `scenario` (leads and up: those who draft; everyone reads the result);
    the job, enqueued once its row commits. Where no broker is configured, Celery runs it at once."""
    require(actor, Resource.SCENARIO, Action.CHANGE, scenario)
    job = job_create(actor=actor, kind=JobKind.SCENARIO_EVALUATION, parameters={"scenario": scenario.pk})
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _enqueue(job_id: int) -> None:
    try:
        scenario_evaluate_task.apply_async(args=(job_id,))
    except (RedisError, KombuOperationalError, OSError):
        logger.warning("Could not enqueue scenario evaluation job %s.", job_id)
        job_fail(job_id=job_id, error=QUEUE_ERROR)


@shared_task(acks_late=True, ignore_result=True)
def scenario_evaluate_task(job_id: int) -> str:
    """Run scenario evaluation job `job_id`; returns what became of it: succeeded, failed, ended."""
    from scenarios.evaluate import scenario_evaluate

    job = Job.objects.filter(pk=job_id, kind=JobKind.SCENARIO_EVALUATION).first()
    if job is None or job.state in (JobState.SUCCEEDED, JobState.FAILED):
        return "ended"
    job_start(job_id=job_id, total=1)
    scenario = Scenario.objects.for_org(job.organization_id).filter(pk=job.parameters.get("scenario")).first()
    if scenario is None:
        job_fail(job_id=job_id, error="This scenario was deleted before it could be evaluated.")
        return "failed"
    try:
        comparison = scenario_evaluate(scenario=scenario)
    except ValidationError as error:
        job_fail(job_id=job_id, error=" ".join(error.messages))
        return "failed"
    except Exception as error:  # any failure ends the job, and says so, rather than vanish
        logger.exception("Scenario evaluation job %s failed.", job_id, exc_info=error)
        job_fail(job_id=job_id, error=f"The evaluation failed ({type(error).__name__}).")
        return "failed"
    job_progress(job_id=job_id, done=1)
    job_succeed(job_id=job_id, result={"scenario": scenario.pk, "as_of": comparison["as_of"]})
    return "succeeded"
