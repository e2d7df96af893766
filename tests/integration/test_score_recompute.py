"""Scores stay current through real Celery workers on Redis and PostgreSQL (issue: scoring engine).

Each test commits for real (transactional_db): services mark the organization stale and, after
commit, ask the worker for a recompute.
"""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.utils import timezone

from execgap.models import Membership, Organization, Role
from objectives.models import Objective, ObjectiveStatus, Task
from objectives.services import task_link_to_goal, task_update
from scoring.models import ScoreSnapshot
from scoring.recompute import stale_organizations_sweep
from scoring.services import scores_recompute
from tests.factories import MembershipFactory, ObjectiveFactory, OrganizationFactory, TaskFactory
from tests.integration.conftest import RedisServer, Worker, wait_for


@pytest.fixture
def scored_org() -> tuple[Organization, Membership]:
    """An organization with one live root objective, one aligned and one orphan task, scored once."""
    organization = OrganizationFactory()
    executive = MembershipFactory(organization=organization, role=Role.EXECUTIVE)
    root = ObjectiveFactory(organization=organization, status=ObjectiveStatus.ACTIVE)
    TaskFactory(organization=organization, objective=root, effort_hours=Decimal(6))
    TaskFactory(organization=organization, effort_hours=Decimal(2))  # orphan
    scores_recompute(organization_id=organization.pk)
    return organization, executive


def snapshots_of(organization: Organization) -> int:
    return ScoreSnapshot.objects.for_org(organization).count()


def is_current(organization: Organization) -> bool:
    organization.refresh_from_db()
    return organization.scores_stale_since is None


def test_a_change_through_a_service_shows_in_the_latest_snapshot_within_seconds(
    celery_stack: Worker, scored_org: tuple[Organization, Membership]
) -> None:
    # given alignment 100 × 6/8 × 1 = 75 (the orphan task is 2 of 8 hours)
    organization, executive = scored_org
    assert ScoreSnapshot.objects.for_org(organization).latest("computed_at").alignment == pytest.approx(75)
    orphan = organization_orphan_task(organization)
    root = orphan_root(organization)
    # when the lead links the orphan task to the root objective
    task_link_to_goal(actor=executive, task=orphan, objective=root)
    # then within seconds the worker has stored a snapshot with every hour aligned: 100 × 8/8 × 1
    wait_for(lambda: is_current(organization), timeout=20, what="the worker to recompute")
    latest = ScoreSnapshot.objects.for_org(organization).latest("computed_at")
    assert latest.alignment == pytest.approx(100)


def test_a_burst_of_200_changes_causes_at_most_two_recomputes(
    celery_stack: Worker, scored_org: tuple[Organization, Membership]
) -> None:
    # given a scored organization
    organization, executive = scored_org
    before = snapshots_of(organization)
    task = organization_orphan_task(organization)
    # when 200 changes land one after another, each in its own transaction
    for hours in range(1, 201):
        task = task_update(actor=executive, task=task, data={"effort_hours": Decimal(hours)})
    # then the scores catch up with the last change, after one or two recomputes
    wait_for(lambda: is_current(organization), timeout=30, what="the scores to catch up with the burst")
    time.sleep(3)  # a further request would have started by now
    assert 1 <= snapshots_of(organization) - before <= 2
    latest = ScoreSnapshot.objects.for_org(organization).latest("computed_at")
    assert latest.alignment == pytest.approx(100 * 6 / 206)  # 6 aligned hours of 6 + 200


def test_with_redis_down_changes_succeed_and_the_sweep_catches_up_when_it_returns(
    celery_stack: Worker, redis_server: RedisServer, scored_org: tuple[Organization, Membership]
) -> None:
    # given a scored organization, and then Redis goes down
    organization, executive = scored_org
    redis_server.stop()
    try:
        # when changes are saved while there is no broker
        orphan = organization_orphan_task(organization)
        started = time.monotonic()
        task_link_to_goal(actor=executive, task=orphan, objective=orphan_root(organization))
        # then they succeed at once, and the organization is marked stale in the database
        assert time.monotonic() - started < 5
        assert not is_current(organization)
    finally:
        redis_server.start()
    # when Redis is back and the periodic sweep runs
    wait_for(lambda: stale_organizations_sweep(), timeout=10, what="the sweep to find the stale organization")
    # then the worker brings the scores up to date
    wait_for(lambda: is_current(organization), timeout=60, what="the worker to recompute after the outage")
    latest = ScoreSnapshot.objects.for_org(organization).latest("computed_at")
    assert latest.alignment == pytest.approx(100)
    assert latest.computed_at > timezone.now() - timezone.timedelta(minutes=1)


def organization_orphan_task(organization: Organization) -> Task:
    return Task.objects.for_org(organization).get(objective__isnull=True, initiative__isnull=True)


def orphan_root(organization: Organization) -> Objective:
    return Objective.objects.for_org(organization).get(parent__isnull=True)
