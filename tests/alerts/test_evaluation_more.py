"""Check-ins overdue, the evaluation's fixed query count, the recompute's job, and default rules."""

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.evaluation.evaluate import alerts_evaluate
from alerts.models import Alert, AlertRule
from alerts.services import DEFAULT_RULES
from alerts.tasks import alerts_evaluate_task
from execgap.celery import app as celery_app
from execgap.services import organization_create
from objectives.models import Initiative
from scoring.services import scores_recompute
from tests.alerts.conftest import D0, initiative_row, snapshot_at
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    ObjectiveFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_check_in_overdue_by_days_past_the_cadence(org, rule):
    # given a 14-day cadence (the snapshot's) and "overdue by 7 days": D0 − 21 is 7 days past, D0 − 20 is 6
    rule("check_in_overdue", days=7)
    late = ObjectiveFactory(organization=org, title="Late", status="active")
    fresh = InitiativeFactory(organization=org, title="Fresh", status="active")
    ObjectiveFactory(organization=org, title="Draft", status="draft")
    CheckInFactory(organization=org, objective=late, date=D0 - timedelta(days=21))
    CheckInFactory(organization=org, initiative=fresh, date=D0 - timedelta(days=20))
    opened, _ = alerts_evaluate(snapshot=snapshot_at(org, D0))
    assert [(a.subject_kind, a.subject_id, a.value_at_open, a.message) for a in opened] == [
        (
            "objective",
            late.pk,
            7.0,
            f"Late: last checked in {D0 - timedelta(days=21)}, 7 days past its 14-day check-in cadence",
        )
    ]


def _everything(org, times: int) -> None:
    """`times` more of every subject a rule looks at, each one offending."""
    for index in range(times):
        team = TeamFactory(organization=org)
        person = PersonFactory(organization=org, team=team, weekly_capacity_hours=Decimal(1))
        objective = ObjectiveFactory(organization=org, team=team, status="active")
        initiative = InitiativeFactory(
            organization=org, objective=objective, team=team, status="active", start_date=D0
        )
        AllocationFactory(organization=org, person=person, initiative=initiative, hours_per_week=Decimal(5))
        FeedbackItemFactory(
            organization=org,
            kind="blocker",
            initiative=initiative,
            created_at=timezone.now() - timedelta(days=900),
        )
        AlertRule.objects.create(organization=org, name=f"Late {index}", kind="forecast_late", team=team)


def test_the_evaluation_takes_a_fixed_number_of_queries(org):
    # given every kind of rule, and a few offending subjects of each
    for rule in DEFAULT_RULES:
        AlertRule.objects.create(organization=org, **rule)
    AlertRule.objects.create(organization=org, name="Over-staffed", kind="over_staffed")
    _everything(org, 2)

    def evaluate(as_of):
        snapshot = snapshot_at(org, as_of, execution_health=10)
        for initiative in Initiative.objects.for_org(org):
            initiative_row(
                snapshot, initiative, forecast_late=True, over_staffed=True, supply=0.0, coverage=0.0
            )
        with CaptureQueriesContext(connection) as queries:
            opened, _ = alerts_evaluate(snapshot=snapshot)
        return len(queries), len(opened)

    small, opened_small = evaluate(D0)
    # when there are four times as many subjects and rules (and their alerts are open already)
    _everything(org, 6)
    large, opened_large = evaluate(D0 + timedelta(days=1))
    # then more alerts open, with the same number of queries
    assert opened_large > opened_small > 0
    assert large == small


@pytest.fixture
def in_process() -> Iterator[None]:
    """The jobs a commit sends run in this process, as they do without REDIS_URL."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


def test_a_recompute_sends_its_snapshot_to_be_evaluated_once_committed(
    org, in_process, django_capture_on_commit_callbacks
):
    # given "health below 100" (any real score is)
    AlertRule.objects.create(
        organization=org, name="Always", kind="score_below", score="adaptability", threshold=100.0
    )
    ObjectiveFactory(organization=org, status="active")
    # when the scores are recomputed: nothing is evaluated before the snapshot commits
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        snapshot = scores_recompute(organization_id=org.pk, as_of=timezone.localdate())
    assert not Alert.objects.exists()
    # then, once it commits, its job opens an alert on that snapshot (adaptability: no check-in, 0)
    for callback in callbacks:
        callback()
    alert = Alert.objects.get()
    assert (alert.opened_snapshot_id, alert.state) == (snapshot.pk, "open")


def test_the_evaluation_job_changes_nothing_for_a_snapshot_not_the_latest_or_gone(org):
    # given an alert rule every snapshot crosses, and two snapshots, the second the latest
    AlertRule.objects.create(
        organization=org, name="Always", kind="score_below", score="people", threshold=100.0
    )
    older = snapshot_at(org, D0, people=10)
    latest = snapshot_at(org, D0 + timedelta(days=1), people=10)
    # when the job is run for the older snapshot, and for a snapshot id that is not there
    # then neither opens an alert; the latest's job opens it, and running it again changes nothing
    assert alerts_evaluate_task(org.pk, older.pk) == 0
    assert alerts_evaluate_task(org.pk, latest.pk + 1000) == 0
    assert not Alert.objects.exists()
    assert alerts_evaluate_task(org.pk, latest.pk) == 1
    assert alerts_evaluate_task(org.pk, latest.pk) == 0
    assert Alert.objects.get().opened_snapshot_id == latest.pk


def test_a_new_organization_gets_the_default_rules():
    organization = organization_create(user=UserFactory(), slug="newco", name="NewCo")
    rules = AlertRule.objects.for_org(organization)
    assert rules.count() == len(DEFAULT_RULES) == 12  # health, a drop of each of the 5 scores, 6 others
    assert set(rules.values_list("kind", flat=True)) == {
        "score_below", "score_drop", "share_off", "understaffed_start", "forecast_late", "over_capacity",
        "blocker_unanswered", "check_in_overdue",
    }  # fmt: skip
    health = rules.get(kind="score_below")
    assert (health.score, health.threshold) == ("execution_health", 50.0)
