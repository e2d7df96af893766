"""An alert opens on crossing a rule's line, stays open while the condition holds, resolves when it
clears; hand-worked numbers per rule kind."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from alerts.evaluation.evaluate import alerts_evaluate
from alerts.models import Alert
from tests.alerts.conftest import D0, initiative_row, objective_row, snapshot_at
from tests.factories import (
    AllocationFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    ObjectiveFactory,
    PersonFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


def test_a_score_below_opens_once_holds_and_resolves_with_its_values(org, rule):
    # given "resources below 65"
    below = rule("score_below", score="resources", threshold=65)

    # when resources is 61.2: one alert opens, saying so
    opened, _ = alerts_evaluate(snapshot=snapshot_at(org, D0, resources=61.2))
    assert [(a.rule_id, a.subject_kind, a.value_at_open, a.threshold) for a in opened] == [
        (below.pk, "organization", 61.2, 65.0)
    ]
    assert opened[0].message == "Resources 61.2 is below 65"

    # when it stays below (60) the next day: nothing new, the alert stays open
    assert alerts_evaluate(snapshot=snapshot_at(org, D0 + timedelta(days=1), resources=60)) == ([], [])

    # when it is back to 65 (not below): the alert resolves at 65
    _, resolved = alerts_evaluate(snapshot=snapshot_at(org, D0 + timedelta(days=2), resources=65))
    alert = Alert.objects.get()
    assert resolved == [alert]
    assert (alert.state, alert.value_at_open, alert.value_at_resolve) == ("resolved", 61.2, 65.0)


def test_only_the_latest_snapshot_is_evaluated(org, rule):
    # given a snapshot on D0 + 5 and a backfilled one on D0 with health 10
    rule("score_below", score="execution_health", threshold=50)
    snapshot_at(org, D0 + timedelta(days=5))
    backfilled = snapshot_at(org, D0, execution_health=10)
    # then the backfilled one opens nothing
    assert alerts_evaluate(snapshot=backfilled) == ([], [])
    assert not Alert.objects.exists()


def test_a_drop_compares_with_the_latest_snapshot_on_or_before_d_minus_days(org, rule):
    # given "resources down 10 points in 28 days" and resources 80 on D0 − 30, 75 on D0 − 27
    rule("score_drop", score="resources", points=10, days=28)
    snapshot_at(org, D0 - timedelta(days=30), resources=80)
    snapshot_at(org, D0 - timedelta(days=27), resources=75)
    # when resources is 69.5 on D0: against D0 − 30 (80), down 10.5 ≥ 10 (D0 − 27 is too recent)
    opened, _ = alerts_evaluate(snapshot=snapshot_at(org, D0, resources=69.5))
    assert [a.message for a in opened] == ["Resources fell 10.5 points in 28 days (80 → 69.5)"]


def test_no_earlier_snapshot_means_no_drop(org, rule):
    rule("score_drop", score="people", points=5, days=7)
    snapshot_at(org, D0 - timedelta(days=3), people=90)
    assert alerts_evaluate(snapshot=snapshot_at(org, D0, people=10)) == ([], [])


def test_a_share_off_by_more_than_the_points(org, rule):
    # given "share off by 15 points" and objectives off by 16 (over) and 15 (not more than 15)
    rule("share_off", points=15)
    snapshot = snapshot_at(org, D0)
    over = ObjectiveFactory(organization=org, title="Grow")
    even = ObjectiveFactory(organization=org, title="Keep")
    objective_row(snapshot, over, intended_share=0.30, actual_share=0.46, share_gap=0.16)
    objective_row(snapshot, even, intended_share=0.40, actual_share=0.25, share_gap=-0.15)
    opened, _ = alerts_evaluate(snapshot=snapshot)
    assert [(a.subject_id, a.message) for a in opened] == [
        (over.pk, "Grow gets 46% of the effort, 16 points above its intended 30%")
    ]


def test_forecast_late_and_over_staffed_follow_the_snapshot_flags(org, rule):
    # given both rules, initiative A late and B over-staffed on the first snapshot
    late_rule = rule("forecast_late")
    rule("over_staffed")
    a = InitiativeFactory(organization=org, title="A", end_date=D0 + timedelta(days=10))
    b = InitiativeFactory(organization=org, title="B")
    first = snapshot_at(org, D0)
    initiative_row(first, a, forecast_late=True, forecast_finish=D0 + timedelta(days=20))
    initiative_row(first, b, over_staffed=True, surplus=12.0)
    opened, _ = alerts_evaluate(snapshot=first)
    assert sorted(a_.message for a_ in opened) == [
        f"A is forecast to finish {D0 + timedelta(days=20)}, after its end date {D0 + timedelta(days=10)}",
        "B has 12 hours more staffed than its work needs",
    ]
    # when A is no longer late on the next snapshot: only A's alert resolves
    second = snapshot_at(org, D0 + timedelta(days=1))
    initiative_row(second, a)
    initiative_row(second, b, over_staffed=True, surplus=12.0)
    _, resolved = alerts_evaluate(snapshot=second)
    assert [(x.rule_id, x.subject_id) for x in resolved] == [(late_rule.pk, a.pk)]


def test_a_rule_team_narrows_to_that_team_and_the_teams_below(org, rule):
    # given teams top > sub and other; a late initiative in each
    top = TeamFactory(organization=org, name="top")
    sub = TeamFactory(organization=org, name="sub", parent=top)
    other = TeamFactory(organization=org, name="other")
    rule("forecast_late", team=top)
    snapshot = snapshot_at(org, D0)
    initiatives = [InitiativeFactory(organization=org, title=t.name, team=t) for t in (top, sub, other)]
    for initiative in initiatives:
        initiative_row(snapshot, initiative, forecast_late=True)
    # then only top's and sub's open
    opened, _ = alerts_evaluate(snapshot=snapshot)
    assert sorted(a.subject_title for a in opened) == ["sub", "top"]


def test_unstaffed_or_under_covered_near_its_start(org, rule):
    # given "under 50 % within 14 days of start"; D0 + 14 starts in time, D0 + 15 does not
    rule("understaffed_start", threshold=50, days=14)
    soon = InitiativeFactory(
        organization=org, title="Soon", status="active", start_date=D0 + timedelta(days=14)
    )
    later = InitiativeFactory(
        organization=org, title="Later", status="active", start_date=D0 + timedelta(days=15)
    )
    covered = InitiativeFactory(organization=org, title="Covered", status="active", start_date=D0)
    snapshot = snapshot_at(org, D0)
    initiative_row(snapshot, soon, supply=0.0, coverage=0.0)
    initiative_row(snapshot, later, supply=0.0, coverage=0.0)
    initiative_row(snapshot, covered, supply=5.0, coverage=0.5)  # 50 % is not under 50 %
    opened, _ = alerts_evaluate(snapshot=snapshot)
    assert [a.message for a in opened] == [
        f"Soon has nobody allocated (under 50%), starting {D0 + timedelta(days=14)}"
    ]


def test_a_person_over_capacity(org, rule):
    # given Ann (10 h a week) allocated 6 + 6 = 12 h to two active initiatives, Bo 8 of 40
    rule("over_capacity")
    ann = PersonFactory(organization=org, name="Ann", weekly_capacity_hours=Decimal(10))
    bo = PersonFactory(organization=org, name="Bo", weekly_capacity_hours=Decimal(40))
    for title in ("X", "Y"):
        initiative = InitiativeFactory(organization=org, title=title, status="active")
        AllocationFactory(organization=org, person=ann, initiative=initiative, hours_per_week=Decimal(6))
    AllocationFactory(
        organization=org, person=bo, initiative=InitiativeFactory(organization=org, status="active"),
        hours_per_week=Decimal(8),
    )  # fmt: skip
    opened, _ = alerts_evaluate(snapshot=snapshot_at(org, D0))
    assert [(a.subject_id, a.message) for a in opened] == [
        (ann.pk, "Ann is allocated 12 hours a week, over their 10")
    ]


def test_a_blocker_unanswered_for_days(org, rule):
    # given "blocker unanswered 3 days"; the snapshot is computed D0 06:00
    rule("blocker_unanswered", days=3)
    now = datetime(2027, 3, 1, 6, tzinfo=UTC)
    waited = FeedbackItemFactory(
        organization=org, kind="blocker", text="No access", created_at=now - timedelta(days=3)
    )
    FeedbackItemFactory(organization=org, kind="blocker", text="Recent", created_at=now - timedelta(days=2))
    FeedbackItemFactory(
        organization=org, kind="blocker", text="Seen", created_at=now - timedelta(days=9),
        status="acknowledged", acknowledged_at=now - timedelta(days=8),
    )  # fmt: skip
    FeedbackItemFactory(organization=org, kind="idea", text="Idea", created_at=now - timedelta(days=9))
    opened, _ = alerts_evaluate(snapshot=snapshot_at(org, D0))
    assert [(a.subject_id, a.message) for a in opened] == [
        (waited.pk, "Blocker “No access” has waited 3 days without an answer")
    ]
