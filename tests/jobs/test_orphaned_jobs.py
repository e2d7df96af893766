"""A client's recompute job whose worker died (running, its lease run out) is sent again by the sweep,
at most MAX_ATTEMPTS sends in all, then failed saying why: never `running` for good."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from execgap.jobs import job_create, job_start
from execgap.models import Job, JobKind, Role
from scoring import jobs as scoring_jobs
from tests.factories import MembershipFactory


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(scoring_jobs.recompute_job_task, "apply_async", lambda **kwargs: calls.append(kwargs))
    return calls


def running_job(org, *, lease_left: timedelta, attempts: int = 1) -> Job:
    job = job_create(actor=MembershipFactory(organization=org, role=Role.LEAD), kind=JobKind.RECOMPUTE)
    job_start(job_id=job.pk, total=1, lease_seconds=30)
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() + lease_left, attempts=attempts)
    return job


@pytest.mark.django_db
def test_a_job_whose_lease_ran_out_is_sent_again_and_one_still_renewed_is_left_alone(org, sent):
    # given a job whose worker died a minute ago, and one whose worker is still renewing its lease
    dead = running_job(org, lease_left=-timedelta(minutes=1))
    alive = running_job(org, lease_left=timedelta(seconds=20))
    # when the sweep runs
    assert scoring_jobs.jobs_orphaned_requeue() == [dead.pk]
    # then the dead one is sent again as its second attempt, saying why, and given time to be taken up
    assert sent == [{"kwargs": {"job_id": dead.pk, "attempt": 2}}]
    dead.refresh_from_db()
    assert (dead.state, dead.attempts) == ("running", 2)
    assert "stopped" in dead.error
    assert dead.lease_expires_at > timezone.now() + timedelta(seconds=60)
    alive.refresh_from_db()
    assert (alive.attempts, alive.error) == (1, "")
    # and a second sweep at once sends nothing more
    assert scoring_jobs.jobs_orphaned_requeue() == []


@pytest.mark.django_db
def test_a_job_whose_workers_died_every_time_fails_saying_so(org, sent):
    job = running_job(org, lease_left=-timedelta(seconds=1), attempts=scoring_jobs.MAX_ATTEMPTS)
    assert scoring_jobs.jobs_orphaned_requeue() == []
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.error.startswith(f"The workers running this job stopped {scoring_jobs.MAX_ATTEMPTS} times")
    assert sent == []


@pytest.mark.django_db
def test_a_late_message_of_an_earlier_send_does_nothing(org):
    # given a job the sweep sent again (its second attempt), when the first send's message arrives late
    job = running_job(org, lease_left=timedelta(seconds=30), attempts=2)
    # then it does nothing: the second send is the one that runs it
    assert scoring_jobs.recompute_job_task.run(job.pk, attempt=1) == "ended"
    job.refresh_from_db()
    assert job.state == "running"
