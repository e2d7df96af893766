"""SCORING.md "Adaptability", "People" and "Execution health", rule by rule (D = 2027-01-01, C = 14)."""

from datetime import timedelta

import pytest

from scoring.engine.inputs import CheckInFacts
from tests.scoring.builders import (
    allocation,
    calculate,
    day,
    feedback,
    initiative,
    moment,
    objective,
    open_work,
    person,
)


def test_tracked_items_are_objectives_active_at_d_and_active_initiatives():
    # tracked: objective 1, initiative 10; not: draft 2, ended 3, initiative on hold 11
    result = calculate(
        objectives=[objective(1), objective(2, status="draft"), objective(3, end_date=day(-1))],
        initiatives=[initiative(10), initiative(11, status="on_hold")],
    )
    assert [(item.kind, item.id) for item in result.adaptability.tracked] == [
        ("objective", 1),
        ("initiative", 10),
    ]


def test_freshness_window_edges():
    # C = 14 → window [D − 13, D]. Fresh: objective 1 (D − 13), initiative 10 (D);
    # stale: objective 2 (D − 14), initiative 11 (never) → 2/4
    result = calculate(
        objectives=[objective(1), objective(2)],
        initiatives=[initiative(10), initiative(11)],
        check_ins=CheckInFacts(objective_last={1: day(-13), 2: day(-14)}, initiative_last={10: day(0)}),
    )
    assert {(item.kind, item.id): item.fresh for item in result.adaptability.tracked} == {
        ("objective", 1): True,
        ("objective", 2): False,
        ("initiative", 10): True,
        ("initiative", 11): False,
    }
    assert result.adaptability.freshness == 0.5
    assert result.adaptability.score == 50  # responsiveness undefined: mean of freshness alone


@pytest.mark.parametrize(
    ("created", "due"),
    [
        (moment(-7 + 0.9999), True),  # D − 7, late in the day
        (moment(-6), False),  # D − 6: too recent to be due
        (moment(-89), True),  # D − 89 at midnight
        (moment(-89 - 0.0001), False),  # D − 90, just before midnight
    ],
)
def test_responsiveness_window_edges(created, due):
    # a blocker never answered: responsiveness 0 when due, undefined when not
    result = calculate(feedback_rows=[feedback(1, "blocker", created)])
    assert result.adaptability.responsiveness == (0 if due else None)


def test_answered_means_acknowledged_or_else_resolved_within_seven_days():
    created = moment(-30)
    week = timedelta(days=7)
    rows = [
        feedback(1, "blocker", created, acknowledged=created + week),  # exactly 7 days: answered
        feedback(2, "risk", created, acknowledged=created + week + timedelta(seconds=1)),  # just late
        feedback(3, "risk", created, resolved=created + timedelta(days=2)),  # resolved in time, no ack
        feedback(
            4, "blocker", created, acknowledged=created + timedelta(days=9), resolved=created
        ),  # ack wins
        feedback(5, "blocker", created),  # never answered
        feedback(6, "idea", created),  # ideas and concerns are never due
        feedback(7, "concern", created),
    ]
    result = calculate(feedback_rows=rows).adaptability
    assert [item.id for item in result.due] == [1, 2, 3, 4, 5]
    assert result.answered == {1, 3}
    assert result.responsiveness == pytest.approx(2 / 5)


def test_adaptability_is_the_mean_of_the_defined_parts():
    # freshness 1/2, responsiveness 1/1 → 100 × (0.5 + 1) / 2 = 75
    result = calculate(
        objectives=[objective(1), objective(2)],
        check_ins=CheckInFacts(objective_last={1: day(-1)}),
        feedback_rows=[feedback(1, "risk", moment(-20), acknowledged=moment(-19))],
    )
    assert result.adaptability.score == pytest.approx(75)


def test_ownership_and_participation():
    # tracked: objective 1 (owner p1), objective 2 (p3), initiative 10 (p2, inactive), initiative 11
    # (no owner), initiative 12 (p1) → owned by an active person 3/5.
    # Active owners p1, p3; p1 checked in on D − 13 (in the window), p3 on D − 14 (not) → 1/2.
    # People = 100 × (0.6 + 0.5) / 2 = 55
    result = calculate(
        objectives=[objective(1, owner_id=1), objective(2, owner_id=3)],
        initiatives=[initiative(10, owner_id=2), initiative(11), initiative(12, owner_id=1)],
        people=[person(1), person(2, active=False), person(3)],
        check_ins=CheckInFacts(author_last={1: day(-13), 2: day(0), 3: day(-14)}),
    ).people
    assert (result.owned, result.tracked, result.ownership) == (3, 5, 0.6)
    assert (result.owners, result.owners_checked_in, result.participation) == ((1, 3), (1,), 0.5)
    assert result.score == pytest.approx(55)


def test_people_with_no_active_owner_is_ownership_alone():
    # one tracked item owned by an inactive person: ownership 0, participation undefined → 0
    result = calculate(objectives=[objective(1, owner_id=1)], people=[person(1, active=False)]).people
    assert (result.ownership, result.participation, result.score) == (0, None, 0)


def test_health_is_the_mean_of_the_defined_scores():
    # no objectives → resources undefined. An active initiative with no objective, owned by p1 who
    # checked in on it today; one orphan task. Alignment 0 (T = 0), adaptability 100, people 100
    # → health = (0 + 100 + 100) / 3 = 66.67
    result = calculate(
        initiatives=[initiative(1, owner_id=1)],
        people=[person(1)],
        allocations=[allocation(1, 1, 1, 10)],
        groups=[open_work(4, initiative_id=1)],
        check_ins=CheckInFacts(initiative_last={1: day(0)}, author_last={1: day(0)}),
    )
    assert (result.alignment.score, result.resources.score) == (0, None)
    assert (result.adaptability.score, result.people.score) == (100, 100)
    assert result.execution_health == pytest.approx(200 / 3)


def test_an_empty_organization_has_no_scores_at_all():
    # nothing to measure: every score and health undefined, not 0
    result = calculate()
    assert result.alignment.score is None
    assert result.resources.score is None
    assert result.adaptability.score is None
    assert result.people.score is None
    assert result.execution_health is None
