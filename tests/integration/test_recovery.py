"""Jobs recover by themselves (issue 11): a worker outlives Redis being killed under it, and a worker
killed mid-recompute leaves the previous snapshot served until a new one lands, within a minute, with
nobody restarting or sweeping anything by hand: beat runs as deployed."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from execgap.models import Job, Membership, Organization, Role
from objectives.models import Objective, ObjectiveStatus, Task
from objectives.services import task_link_to_goal, task_update
from scoring.jobs import scores_recompute_job_request
from scoring.models import ScoreSnapshot
from scoring.services import scores_recompute
from tests.factories import MembershipFactory, ObjectiveFactory, OrganizationFactory, TaskFactory
from tests.real_services import (
    Beat,
    RedisServer,
    Worker,
    celery_on,
    redis_cache_settings,
    wait_for,
    worker_environment,
)


@pytest.fixture
def stack(
    redis_server: RedisServer, transactional_db: None, settings: Any, tmp_path: Path
) -> Iterator[Callable[..., Any]]:
    """Start workers and beat on the throwaway Redis and the test database; all stopped at the end."""
    redis_server.flush()
    settings.CACHES = redis_cache_settings(redis_server.url)
    started: list[Worker | Beat] = []

    def start(kind: str, name: str, **options: Any) -> Any:
        env = worker_environment(redis_server.url)
        process = (Beat if kind == "beat" else Worker)(env=env, log=tmp_path / f"{name}.log", **options)
        process.start()
        started.append(process)
        return process

    with celery_on(redis_server.url):
        try:
            yield start
        finally:
            for process in reversed(started):
                process.stop()


@pytest.fixture
def scored_org() -> tuple[Organization, Membership]:
    """One live root objective, a 6 h aligned task and a 2 h orphan: alignment 75, scored once."""
    organization = OrganizationFactory()
    executive = MembershipFactory(organization=organization, role=Role.EXECUTIVE)
    root = ObjectiveFactory(organization=organization, status=ObjectiveStatus.ACTIVE)
    TaskFactory(organization=organization, objective=root, effort_hours=Decimal(6))
    TaskFactory(organization=organization, effort_hours=Decimal(2))
    scores_recompute(organization_id=organization.pk)
    return organization, executive


def is_current(organization: Organization) -> bool:
    organization.refresh_from_db()
    return organization.scores_stale_since is None


def latest(organization: Organization) -> ScoreSnapshot:
    return ScoreSnapshot.objects.for_org(organization).latest("computed_at")


def served(organization: Organization, member: Membership) -> dict[str, Any]:
    client = APIClient()
    client.force_authenticate(member.user)
    response = client.get(f"/api/v1/orgs/{organization.slug}/scores/")
    assert response.status_code == 200, response.content
    return dict(response.json())


def test_a_worker_survives_redis_killed_under_it_and_the_scores_catch_up_by_themselves(
    stack: Callable[..., Any], redis_server: RedisServer, scored_org: tuple[Organization, Membership]
) -> None:
    # given a worker as deployed (gossip, mingle, heartbeats) whose recomputes take a few seconds, and beat
    organization, executive = scored_org
    worker = stack("worker", "worker", as_deployed=True, store_delay=4)
    stack("beat", "beat")
    orphan = Task.objects.for_org(organization).get(objective__isnull=True)
    root = Objective.objects.for_org(organization).get(parent__isnull=True)
    # when a change starts a recompute, and Redis is killed while the worker is storing its snapshot
    task_link_to_goal(actor=executive, task=orphan, objective=root)
    wait_for(lambda: "STORING" in worker.log.read_text(), timeout=30, what="the recompute to start storing")
    redis_server.kill()
    # and another change is saved while Redis is down (it commits: the stale mark is in the database)
    aligned = Task.objects.for_org(organization).exclude(pk=orphan.pk).get()
    task_update(actor=executive, task=aligned, data={"effort_hours": Decimal(10)})
    assert not is_current(organization)
    time.sleep(8)  # the worker has lost its broker, its cache and its running task's acknowledgement
    redis_server.start()
    back = time.monotonic()
    # then nobody restarts anything: the worker is still there and the scores catch up with both changes
    wait_for(
        lambda: is_current(organization), timeout=90, what="the scores to catch up after Redis came back"
    )
    caught_up = time.monotonic() - back
    assert worker.process is not None
    assert worker.process.poll() is None, worker.log.read_text()[-3000:]
    assert "Unrecoverable error" not in worker.log.read_text()
    assert latest(organization).alignment == pytest.approx(100)  # 12 of 12 hours aligned
    print(f"scores caught up {caught_up:.1f} s after Redis came back")  # noqa: T201


def test_a_worker_killed_mid_recompute_leaves_the_previous_scores_served_and_new_ones_land_within_a_minute(
    stack: Callable[..., Any], scored_org: tuple[Organization, Membership]
) -> None:
    # given a recompute job a lead asked for, taken by a worker that stops while storing its snapshot
    organization, executive = scored_org
    previous = latest(organization)
    doomed = stack("worker", "doomed", store_delay=3600)
    lead = MembershipFactory(organization=organization, role=Role.LEAD)
    job = scores_recompute_job_request(actor=lead, as_of=date.today())
    wait_for(lambda: "STORING" in doomed.log.read_text(), timeout=30, what="the job's recompute to store")
    # when that worker is killed (SIGKILL, pool and all), and a new worker and beat run as deployed
    doomed.kill()
    killed = time.monotonic()
    stack("worker", "replacement")
    stack("beat", "beat")
    # then the previous snapshot is still the one served, nothing of the killed run shows
    assert served(organization, executive)["computed_at"] == previous.computed_at.isoformat().replace(
        "+00:00", "Z"
    )
    assert list(ScoreSnapshot.objects.for_org(organization)) == [previous]
    # and within a minute the job, sent again, has stored a new snapshot: never `running` for good
    wait_for(
        lambda: Job.objects.filter(pk=job.pk, state="succeeded").exists(),
        timeout=60 - (time.monotonic() - killed),
        what="the job to be sent again and succeed",
    )
    landed = time.monotonic() - killed
    job.refresh_from_db()
    assert job.attempts == 2
    assert job.result["snapshot"] != previous.pk
    assert latest(organization).pk == job.result["snapshot"]
    assert latest(organization).computed_at > timezone.now() - timezone.timedelta(minutes=1)
    print(f"a new snapshot landed {landed:.1f} s after the worker was killed")  # noqa: T201
