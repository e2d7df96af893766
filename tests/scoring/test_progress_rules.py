"""SCORING.md "Progress": key results, objectives, expected progress and the status (D = 2027-01-01)."""

import pytest

from scoring.engine.progress import (
    ProgressStatus,
    expected_progress,
    key_result_progress,
    progress_status,
)
from tests.scoring.builders import D, calculate, day, done_work, initiative, key_result, objective, open_work


@pytest.mark.parametrize(
    ("start", "target", "current", "expected"),
    [
        (0, 100, 40, 0.4),
        (0, 100, 150, 1.0),  # clamped above
        (10, 20, 5, 0.0),  # clamped below
        (100, 50, 75, 0.5),  # a target below the start (reduce something)
        (5, 5, 5, 1.0),  # target = start, reached
        (5, 5, 4, 0.0),  # target = start, not reached
    ],
)
def test_key_result_progress(start, target, current, expected):
    assert key_result_progress(key_result(1, 1, start, target, current)) == pytest.approx(expected)


def test_objective_progress_is_weighted_over_key_results_and_active_or_achieved_children():
    # A: key result 0.5 (weight 2); children B (weight 1, progress 1.0 from its key result),
    # C (cancelled, weight 5, ignored), D (a draft at 0.88, weight 3, ignored), E (weight 1, no key
    # result, no children: 3 h done of 3 + 1 = 0.75), F (achieved, weight 1, its key result at 0.2)
    # → A = (2 × 0.5 + 1 × 1.0 + 1 × 0.75 + 1 × 0.2) / 5 = 0.59
    result = calculate(
        objectives=[
            objective(1), objective(2, parent=1), objective(3, parent=1, status="cancelled", weight=5),
            objective(4, parent=1), objective(5, parent=1, status="draft", weight=3),
            objective(6, parent=1, status="achieved"),
        ],
        key_results=[
            key_result(1, 1, 0, 10, 5, weight=2), key_result(2, 2, 0, 1, 1), key_result(3, 5, 0, 100, 88),
            key_result(4, 6, 0, 10, 2),
        ],
        groups=[done_work(3, recent=False, objective_id=4), open_work(1, objective_id=4)],
    )  # fmt: skip
    assert result.progress[4].progress == pytest.approx(0.75)
    assert result.progress[5].progress == pytest.approx(0.88)
    assert result.progress[1].progress == pytest.approx(0.59)


def test_without_key_results_or_children_progress_is_done_effort_of_the_subtree():
    # 1 has only a cancelled child 2; tasks resolving into 1's subtree: 2 h done on 1 (long ago
    # counts too), 6 h open in an initiative of 2, a cancelled task never reaches the aggregates
    # → 2 / (2 + 6) = 0.25. Objective 3 has no task at all → 0.
    result = calculate(
        objectives=[objective(1), objective(2, parent=1, status="cancelled"), objective(3)],
        initiatives=[initiative(20, 2)],
        groups=[done_work(2, recent=False, objective_id=1), open_work(6, initiative_id=20)],
    )
    assert result.progress[1].progress == pytest.approx(0.25)
    assert result.progress[3].progress == 0


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (day(-10), day(10), 0.5),
        (day(-30), day(-10), 1.0),  # clamped: past the end
        (day(5), day(25), 0.0),  # clamped: not started
        (D, D, 1.0),  # end = start, on the day
        (day(1), day(1), 0.0),  # end = start, not yet
        (None, day(10), None),  # no start date
        (day(-10), None, None),  # no end date
    ],
)
def test_expected_progress(start, end, expected):
    assert expected_progress(start, end, D) == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("progress", "status"),
    [
        (0.40, ProgressStatus.ON_TRACK),  # ≥ 0.5 − 0.10 (the edge)
        (0.39, ProgressStatus.BEHIND),
        (0.25, ProgressStatus.BEHIND),  # ≥ 0.5 − 0.25 (the edge)
        (0.24, ProgressStatus.AT_RISK),
    ],
)
def test_status_against_an_expected_half(progress, status):
    assert progress_status(progress, 0.5) is status


def test_status_of_objectives_in_the_calculation():
    # 1: starts D − 10, ends D + 10 → expected 0.5; key result at 0.3 → behind.
    # 2: start = end = D → expected 1; key result at 0.85 → behind; 0.9 would be on track.
    # 3: no dates → no status.
    result = calculate(
        objectives=[
            objective(1, start_date=day(-10), end_date=day(10)),
            objective(2, start_date=D, end_date=D),
            objective(3),
        ],
        key_results=[key_result(1, 1, 0, 10, 3), key_result(2, 2, 0, 100, 85), key_result(3, 3, 0, 1, 0)],
    )
    assert (result.progress[1].expected, result.progress[1].status) == (0.5, ProgressStatus.BEHIND)
    assert (result.progress[2].expected, result.progress[2].status) == (1.0, ProgressStatus.BEHIND)
    assert (result.progress[3].expected, result.progress[3].status) == (None, None)
    assert progress_status(0.9, 1.0) is ProgressStatus.ON_TRACK


@pytest.mark.parametrize("status", ["draft", "achieved", "cancelled"])
def test_only_an_active_objective_has_a_progress_status(status):
    # given an objective with dates (expected 0.5) and a key result at 0.0: active, it would be at risk
    result = calculate(
        objectives=[objective(1, status=status, start_date=day(-10), end_date=day(10))],
        key_results=[key_result(1, 1, 0, 10, 0)],
    )
    # then it has progress and an expected progress, but no status
    assert (result.progress[1].progress, result.progress[1].expected) == (0.0, 0.5)
    assert result.progress[1].status is None
