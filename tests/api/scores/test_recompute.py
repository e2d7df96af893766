"""POST scores/recompute/?as_of=: 202 with a job; the job runs the recompute (in-process here) and
moves queued → running → succeeded or failed; a busy organization is retried; nothing is lost."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError
from kombu.exceptions import OperationalError as KombuOperationalError

from execgap.models import Job, Role
from scoring import jobs as scoring_jobs
from scoring import recompute
from scoring.jobs import recompute_job_task
from scoring.models import ScoreSnapshot
from tests.api.scores.conftest import jobs_url, snapshot_of, url
from tests.factories import ObjectiveFactory, TaskFactory

pytestmark = pytest.mark.django_db

D = date(2027, 1, 1)


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    """In-process retries wait a second in the embedded default; not here."""
    monkeypatch.setattr(scoring_jobs, "EAGER_RETRY_SECONDS", 0)


@pytest.fixture
def half_aligned(org):
    """One aligned 4 h task and one orphan 4 h task: alignment 50."""
    TaskFactory(organization=org, objective=ObjectiveFactory(organization=org), effort_hours=Decimal(4))
    TaskFactory(organization=org, effort_hours=Decimal(4))
    return org


def test_a_recompute_answers_202_then_its_job_succeeds_with_a_new_latest_snapshot(
    half_aligned, client_as, django_capture_on_commit_callbacks
):
    # given an earlier snapshot for another date
    earlier = snapshot_of(half_aligned, date(2026, 12, 1))
    lead = client_as(Role.LEAD)
    # when a lead asks for a recompute for 2027-01-01
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = lead.post(url(half_aligned, "recompute/?as_of=2027-01-01"))
        # then the answer is at once: 202, the job's id, where to poll it; the job is queued
        assert response.status_code == 202
        job_id = response.json()["job"]
        assert response.json() == {"job": job_id}
        assert response["Location"] == jobs_url(half_aligned, job_id)
        assert Job.objects.get(pk=job_id).state == "queued"
    # and once committed, three things were done: the request enqueued the job, and the job (run
    # in-process here) told of its snapshot and of its end
    assert len(callbacks) == 3
    # and once the request has committed, the job ran: it succeeded with the new snapshot
    job = lead.get(jobs_url(half_aligned, job_id)).json()
    assert (job["kind"], job["state"], job["done"], job["total"], job["error"]) == (
        "recompute", "succeeded", 1, 1, "",
    )  # fmt: skip
    latest = ScoreSnapshot.objects.for_org(half_aligned).exclude(pk=earlier.pk).get()
    assert job["result"]["snapshot"] == latest.pk
    assert job["result"]["alignment"] == 50
    assert job["parameters"] == {"as_of": "2027-01-01"}
    # and scores/ shows it
    scores = lead.get(url(half_aligned)).json()
    assert (scores["snapshot"], scores["as_of"], scores["alignment"]["score"]) == (
        latest.pk,
        "2027-01-01",
        50,
    )


def test_without_as_of_the_recompute_is_for_today_utc(org, client_as, recompute_through_api):
    # given the date today in UTC
    today = datetime.now(UTC).date()
    # when a recompute is asked for with no date
    job = recompute_through_api(client_as(Role.EXECUTIVE), org, today)
    response = client_as(Role.EXECUTIVE).post(url(org, "recompute/"))
    # then the job is for today
    assert job.parameters == {"as_of": today.isoformat()}
    assert Job.objects.get(pk=response.json()["job"]).parameters == {"as_of": today.isoformat()}


@pytest.mark.parametrize("bad", ["tomorrow", "2027-02-30", "2027-1-1", "01/01/2027", "2027-01-01T10:00"])
def test_a_bad_as_of_is_400_and_makes_no_job(org, client_as, bad):
    response = client_as(Role.ADMIN).post(url(org, "recompute/"), QUERY_STRING=f"as_of={bad}")
    assert response.status_code == 400
    assert response.json() == {"as_of": ["Enter a date as YYYY-MM-DD."]}
    assert not Job.objects.exists()


@pytest.mark.parametrize("far", ["0001-01-01", "9999-12-31"])
def test_a_date_whose_windows_leave_the_calendar_is_400(org, client_as, far):
    response = client_as(Role.ADMIN).post(url(org, f"recompute/?as_of={far}"))
    assert response.status_code == 400
    assert response.json() == {"as_of": ["Too far in the past or the future to compute."]}
    assert not Job.objects.exists()


def test_while_another_run_holds_the_lock_the_job_retries_then_fails_and_keeps_the_last_snapshot(
    half_aligned, client_as, recompute_through_api
):
    # given a snapshot, and another worker computing the organization (its lock held throughout)
    before = snapshot_of(half_aligned, D)
    cache.add(recompute._running_key(half_aligned.pk), 1)
    # when a recompute is asked for
    job = recompute_through_api(client_as(Role.LEAD), half_aligned, D)
    # then the job was retried, then failed saying why; the previous snapshot is still the latest
    assert job.state == "failed"
    assert job.error == scoring_jobs.BUSY_ERROR
    assert job.finished_at is not None
    assert list(ScoreSnapshot.objects.for_org(half_aligned)) == [before]


def test_a_busy_job_retries_and_succeeds_once_the_lock_is_free(half_aligned, client_as, monkeypatch):
    # given another run that finishes after the first attempt
    cache.add(recompute._running_key(half_aligned.pk), 1)
    attempts = []
    real = scoring_jobs.scores_recompute_locked

    def locked(**kwargs):
        attempts.append(kwargs)
        outcome = real(**kwargs)
        cache.delete(recompute._running_key(half_aligned.pk))  # the other run ends
        return outcome

    monkeypatch.setattr(scoring_jobs, "scores_recompute_locked", locked)
    job = scoring_jobs.scores_recompute_job_request(actor=_lead(half_aligned), as_of=D)
    # when the job runs
    recompute_job_task.apply(args=(job.pk,))
    # then the first attempt found it busy, the retry computed
    job.refresh_from_db()
    assert (len(attempts), job.state, job.result["alignment"]) == (2, "succeeded", 50)


@pytest.fixture
def on_a_worker(monkeypatch):
    """Run the task body as a worker would (not eagerly); Celery's retry is recorded and raised."""
    retries = []

    def retry(**kwargs):
        retries.append(kwargs)
        return Retry("Retry later", when=kwargs.get("countdown"))

    monkeypatch.setattr(recompute_job_task, "retry", retry)

    def run(job_id: int, *, retries_so_far: int = 0, **kwargs):
        recompute_job_task.push_request(retries=retries_so_far, is_eager=False)
        try:
            return recompute_job_task.run(job_id, **kwargs)
        finally:
            recompute_job_task.pop_request()

    run.retries = retries
    return run


def test_on_a_worker_a_busy_job_comes_back_later_until_the_lock_could_not_be_held_any_longer(
    half_aligned, on_a_worker
):
    # given another worker computing the organization
    cache.add(recompute._running_key(half_aligned.pk), 1)
    job = scoring_jobs.scores_recompute_job_request(actor=_lead(half_aligned), as_of=D)
    # when the job runs, then it is retried after the countdown, still running
    with pytest.raises(Retry):
        on_a_worker(job.pk)
    assert on_a_worker.retries == [
        {
            "kwargs": {"job_id": job.pk, "connection_failures": 0, "attempt": None},
            "countdown": scoring_jobs.BUSY_COUNTDOWN_SECONDS,
        }
    ]
    job.refresh_from_db()
    assert (job.state, job.started_at is not None) == ("running", True)
    # and after as many retries as outlast the lock's time-to-live, it fails saying why
    assert scoring_jobs.busy_retries() * scoring_jobs.BUSY_COUNTDOWN_SECONDS > settings.CELERY_TASK_TIME_LIMIT
    assert on_a_worker(job.pk, retries_so_far=scoring_jobs.busy_retries()) == "failed"
    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", scoring_jobs.BUSY_ERROR)


def test_on_a_worker_a_lost_connection_comes_back_a_few_times_then_fails(
    half_aligned, on_a_worker, monkeypatch
):
    def lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(scoring_jobs, "scores_recompute_locked", lost)
    job = scoring_jobs.scores_recompute_job_request(actor=_lead(half_aligned), as_of=D)
    with pytest.raises(Retry):
        on_a_worker(job.pk)
    assert on_a_worker.retries[0]["kwargs"] == {"job_id": job.pk, "connection_failures": 1, "attempt": None}
    assert on_a_worker.retries[0]["countdown"] == 1  # then 2, 4, 8, ... seconds
    assert on_a_worker(job.pk, connection_failures=scoring_jobs.CONNECTION_RETRIES) == "failed"
    job.refresh_from_db()
    assert job.error == "The recompute failed (OperationalError); the previous scores stay the latest."


def test_a_lost_database_connection_is_retried(half_aligned, monkeypatch):
    real = scoring_jobs.scores_recompute_locked
    failures = [OperationalError("server closed the connection unexpectedly")]

    def flaky(**kwargs):
        if failures:
            raise failures.pop()
        return real(**kwargs)

    monkeypatch.setattr(scoring_jobs, "scores_recompute_locked", flaky)
    job = scoring_jobs.scores_recompute_job_request(actor=_lead(half_aligned), as_of=D)
    recompute_job_task.apply(args=(job.pk,))
    job.refresh_from_db()
    assert job.state == "succeeded"


def test_a_failing_recompute_fails_the_job_and_not_the_request(
    half_aligned, client_as, recompute_through_api, monkeypatch
):
    # given a recompute that breaks
    def broken(**kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(scoring_jobs, "scores_recompute_locked", broken)
    # when it is asked for, then the request still answers 202 and the job says it failed
    job = recompute_through_api(client_as(Role.LEAD), half_aligned, D)
    assert job.state == "failed"
    assert job.error == "The recompute failed (ZeroDivisionError); the previous scores stay the latest."
    assert not ScoreSnapshot.objects.exists()


def test_with_the_queue_unreachable_the_job_fails_rather_than_wait_for_ever(
    org, client_as, recompute_through_api, monkeypatch
):
    def refuse(*args, **kwargs):
        raise KombuOperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(recompute_job_task, "apply_async", refuse)
    job = recompute_through_api(client_as(Role.LEAD), org, D)
    assert (job.state, job.error) == ("failed", scoring_jobs.QUEUE_ERROR)


def test_a_job_delivered_again_after_it_ended_does_nothing(half_aligned, client_as, recompute_through_api):
    # given a job that succeeded
    job = recompute_through_api(client_as(Role.LEAD), half_aligned, D)
    assert job.state == "succeeded"
    # when its message is delivered again (acks_late after a lost worker), then nothing more is computed
    assert recompute_job_task.apply(args=(job.pk,)).get() == "ended"
    assert ScoreSnapshot.objects.for_org(half_aligned).count() == 1
    job.refresh_from_db()
    assert job.state == "succeeded"


def test_a_worker_registers_the_job_task():
    # given a fresh process set up as a Celery worker is (Django, then each app's tasks module), without
    # the system checks that happen to import the URLconf (and the views, which import the task)
    program = (
        "import django; django.setup(); from execgap.celery import app; app.loader.import_default_modules(); "
        "print('scoring.jobs.recompute_job_task' in app.tasks)"
    )
    environment = {**os.environ, "CELERY_SKIP_CHECKS": "1", "DJANGO_SETTINGS_MODULE": "execgap.settings"}
    # when it lists its tasks, then the job task is among them
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, env=environment
    )
    assert result.stdout.strip().splitlines()[-1] == "True"


def _lead(organization):
    from tests.factories import MembershipFactory

    return MembershipFactory(organization=organization, role=Role.LEAD)
