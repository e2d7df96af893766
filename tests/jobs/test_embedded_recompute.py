"""The embedded default (no REDIS_URL): the same recompute runs in-process right after commit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from execgap.celery import app as celery_app
from execgap.models import Organization, Role
from execgap.services import organization_mark_scores_stale
from objectives.models import ObjectiveStatus
from objectives.services import task_link_to_goal
from scoring import recompute
from scoring.models import ScoreSnapshot
from scoring.services import scores_recompute
from tests.factories import MembershipFactory, ObjectiveFactory, TaskFactory


@pytest.fixture
def in_process(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.clear()
    yield
    celery_app.conf.task_always_eager = saved


@pytest.mark.usefixtures("in_process", "transactional_db")
def test_a_committed_change_is_scored_before_the_request_ends(org):
    # given an organization with an aligned 6 h task and an orphan 2 h task: alignment 100 × 6/8 = 75
    executive = MembershipFactory(organization=org, role=Role.EXECUTIVE)
    root = ObjectiveFactory(organization=org, status=ObjectiveStatus.ACTIVE)
    TaskFactory(organization=org, objective=root, effort_hours=Decimal(6))
    orphan = TaskFactory(organization=org, effort_hours=Decimal(2))
    assert scores_recompute(organization_id=org.pk).alignment == pytest.approx(75)
    # when the orphan task is linked to the root objective
    task_link_to_goal(actor=executive, task=orphan, objective=root)
    # then, with no broker, the recompute already ran in-process after the commit: 100 × 8/8
    org.refresh_from_db()
    assert org.scores_stale_since is None
    assert ScoreSnapshot.objects.for_org(org).latest("computed_at").alignment == pytest.approx(100)


@pytest.mark.usefixtures("in_process")
@pytest.mark.django_db
def test_a_second_worker_finds_the_organization_busy_and_a_current_one_is_skipped(org):
    # given another worker holds the organization's lock
    cache.add(recompute._running_key(org.pk), 1)
    # when a recompute is attempted, then it steps back (and is retried later)
    assert recompute.scores_recompute_locked(organization_id=org.pk) == "busy"
    assert not ScoreSnapshot.objects.for_org(org).exists()
    # given the lock is free and the organization was scored today and has not changed since
    cache.delete(recompute._running_key(org.pk))
    assert recompute.scores_recompute_locked(organization_id=org.pk) == "computed"
    # when asked again, then nothing is computed unless forced (the daily snapshot forces)
    assert recompute.scores_recompute_locked(organization_id=org.pk) == "current"
    assert recompute.scores_recompute_locked(organization_id=org.pk, force=True) == "computed"
    assert ScoreSnapshot.objects.for_org(org).count() == 2


@pytest.mark.usefixtures("in_process")
@pytest.mark.django_db
def test_a_lone_change_is_scored_at_once(org):
    # given one change landed just now, after a quiet while
    organization_mark_scores_stale(organization_id=org.pk)
    # when a worker picks up the request, then it computes without waiting
    assert recompute.scores_recompute_locked(organization_id=org.pk) == "computed"


@pytest.mark.usefixtures("in_process")
@pytest.mark.django_db
def test_a_run_waits_while_a_burst_is_still_arriving(org):
    # given two changes since the scores went stale, the last one just now
    organization_mark_scores_stale(organization_id=org.pk)
    Organization.objects.filter(pk=org.pk).update(
        scores_stale_since=timezone.now() - timedelta(milliseconds=300)
    )
    organization_mark_scores_stale(organization_id=org.pk)
    # when a worker picks up the request, then it waits for the burst to end instead of computing
    assert recompute.scores_recompute_locked(organization_id=org.pk) == "settling"
    assert not ScoreSnapshot.objects.for_org(org).exists()
    # given the changes stopped a second ago
    Organization.objects.filter(pk=org.pk).update(scores_changed_at=timezone.now() - recompute.QUIET)
    # then the run goes ahead
    assert recompute.scores_recompute_locked(organization_id=org.pk) == "computed"


@pytest.mark.usefixtures("in_process")
@pytest.mark.django_db
def test_a_change_just_after_a_run_ended_waits_for_the_stream_to_pause(org):
    # given a run that scored a stream of changes when it paused, and the stream resuming at once
    organization_mark_scores_stale(organization_id=org.pk)
    assert recompute.scores_recompute_locked(organization_id=org.pk) == "computed"
    organization_mark_scores_stale(organization_id=org.pk)
    # when a worker picks up the request of that one change, then it waits for the stream to pause
    # (else a stream that paused once would cost a run at the pause, one at the resumption and one
    # at its end)
    assert recompute.scores_recompute_locked(organization_id=org.pk) == "settling"
    # given the run ended longer than QUIET before the change, then the change is a lone one
    org.refresh_from_db()
    ScoreSnapshot.objects.for_org(org).update(computed_at=org.scores_changed_at - recompute.QUIET)
    assert recompute.scores_recompute_locked(organization_id=org.pk) == "computed"
    assert ScoreSnapshot.objects.for_org(org).count() == 2


@pytest.mark.usefixtures("in_process")
@pytest.mark.django_db
def test_a_stream_of_changes_waits_again_after_each_run(org):
    # given scores stale for longer than the longest wait, changes still arriving, and a run that
    # started 5 s ago (it scored what came before it)
    organization_mark_scores_stale(organization_id=org.pk)
    assert recompute.scores_recompute_locked(organization_id=org.pk) == "computed"
    ScoreSnapshot.objects.for_org(org).update(started_at=timezone.now() - timedelta(seconds=5))
    organization_mark_scores_stale(organization_id=org.pk)
    Organization.objects.filter(pk=org.pk).update(
        scores_stale_since=timezone.now() - recompute.MAX_SETTLE - timedelta(seconds=5)
    )
    organization_mark_scores_stale(organization_id=org.pk)
    # when a worker picks up the next request, then it waits for the stream to pause: the wait is
    # counted from the last run, not from the first change (else every run would follow the last)
    assert recompute.scores_recompute_locked(organization_id=org.pk) == "settling"
    assert ScoreSnapshot.objects.for_org(org).count() == 1
    # given that run started longer ago than the longest wait, then the next run goes ahead
    ScoreSnapshot.objects.for_org(org).update(started_at=timezone.now() - recompute.MAX_SETTLE)
    assert recompute.scores_recompute_locked(organization_id=org.pk) == "computed"


@pytest.mark.usefixtures("in_process")
@pytest.mark.django_db
def test_a_burst_that_never_ends_is_scored_after_the_longest_wait(org):
    # given changes keep arriving, but the first one is older than the longest wait
    organization_mark_scores_stale(organization_id=org.pk)
    Organization.objects.filter(pk=org.pk).update(scores_stale_since=timezone.now() - recompute.MAX_SETTLE)
    organization_mark_scores_stale(organization_id=org.pk)
    # when a worker picks up the request, then it computes anyway
    assert recompute.scores_recompute_locked(organization_id=org.pk) == "computed"
