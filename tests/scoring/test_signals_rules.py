"""SCORING.md "Signals beyond the scores", rule by rule, on pure inputs (D = 2027-01-01, W = 28, H = 90
unless given): surplus and over-staffing, over-invested objectives, forecasts."""

import pytest

from scoring.engine.explain import parts_of
from tests.scoring.builders import (
    allocation,
    calculate,
    day,
    done_work,
    initiative,
    objective,
    open_work,
    person,
)


def test_surplus_is_supply_beyond_demand_and_over_staffing_starts_at_8_hours_or_a_quarter_of_demand():
    # open-ended initiatives (window 90 of 90 days: demand = remaining), one person of 40 h each (f = 1):
    #   1: demand 70,  10 h/week → supply 10 × 90/7 = 128.57, surplus 58.57 ≥ max(8, 17.5): over-staffed
    #   2: demand 900, 10 h/week → supply 128.57,              surplus 0
    #   3: demand 100,  9 h/week → supply 115.71, surplus 15.71 < max(8, 25): not over-staffed
    #   4: demand 0,  0.7 h/week → supply 9,      surplus 9 ≥ max(8, 0): over-staffed
    result = calculate(
        initiatives=[initiative(n) for n in (1, 2, 3, 4)],
        people=[person(n) for n in (1, 2, 3, 4)],
        allocations=[allocation(n, n, n, hours) for n, hours in ((1, 10), (2, 10), (3, 9), (4, 0.7))],
        groups=[
            open_work(70, initiative_id=1),
            open_work(900, initiative_id=2),
            open_work(100, initiative_id=3),
        ],
    )
    signals = result.signals
    assert signals.surplus == pytest.approx({1: 900 / 7 - 70, 2: 0, 3: 810 / 7 - 100, 4: 9})
    # listed by surplus, largest first; the organization's surplus is theirs summed
    assert signals.over_staffed == (1, 4)
    assert signals.total_surplus == pytest.approx(900 / 7 - 70 + 9)
    assert parts_of(result)["signals"]["over_staffed_initiatives"] == 2


def test_an_objective_is_over_invested_beyond_5_points_above_its_intended_share():
    # roots 1, 2, 3 of equal weight: intended 1/3 each. Aligned effort 45 / 30 / 25 of 100:
    #   1: 0.45 − 0.333 = +0.117 → over-invested; 2: 0.30 − 0.333 < 0; 3: 0.25 − 0.333 < 0
    # root 4 is a draft (not live): its tasks are misaligned, and it is never listed
    result = calculate(
        objectives=[objective(1), objective(2), objective(3), objective(4, status="draft")],
        groups=[
            open_work(45, objective_id=1),
            open_work(30, objective_id=2),
            open_work(25, objective_id=3),
            open_work(500, objective_id=4),
        ],
    )
    assert result.signals.over_invested == (1,)


def test_over_invested_objectives_are_listed_by_how_far_above_they_are():
    # roots 1, 2 and 3 of equal weight: intended 1/3 each.
    # efforts 40 / 42 / 18: gaps +0.067 (1), +0.087 (2), −0.153 (3) → (2, 1)
    result = calculate(
        objectives=[objective(1), objective(2), objective(3)],
        groups=[open_work(40, objective_id=1), open_work(42, objective_id=2), open_work(18, objective_id=3)],
    )
    assert result.signals.over_invested == (2, 1)


def test_the_forecast_finish_is_remaining_work_at_the_recent_pace():
    # W = 28; throughput = effort done in the window / 28 (hours per day)
    #   1: ends D + 9, 30 h open, 28 h done recently → 1 h/day → D + 30: late
    #   2: no end date, 10 h open, nothing done recently → no forecast, not late (no end to miss)
    #   3: ends D + 9, 10 h open, nothing done recently → no forecast: late
    #   4: ends D + 5, nothing open → finishes D: on time
    #   5: ends D + 28, 3 h open, 3 h done recently → 3 / (3/28) = exactly 28 days → D + 28: on time
    #   6: ends D + 40, 5 h open, 20 h done long ago (outside the window) → no forecast: late
    result = calculate(
        initiatives=[
            initiative(1, end_date=day(9)),
            initiative(2),
            initiative(3, end_date=day(9)),
            initiative(4, end_date=day(5)),
            initiative(5, end_date=day(28)),
            initiative(6, end_date=day(40)),
        ],
        groups=[
            open_work(30, initiative_id=1), done_work(28, initiative_id=1),
            open_work(10, initiative_id=2),
            open_work(10, initiative_id=3),
            done_work(4, initiative_id=4),
            open_work(3, initiative_id=5), done_work(3, initiative_id=5),
            open_work(5, initiative_id=6), done_work(20, recent=False, initiative_id=6),
        ],
    )  # fmt: skip
    forecasts = result.signals.forecasts
    assert {n: forecasts[n].finish for n in range(1, 7)} == {
        1: day(30),
        2: None,
        3: None,
        4: day(0),
        5: day(28),
        6: None,
    }
    assert forecasts[1].throughput == 1
    assert result.signals.forecast_late == (1, 3, 6)


def test_only_active_initiatives_have_signals():
    # an on-hold initiative, however over-staffed or late, is neither listed nor forecast
    result = calculate(
        initiatives=[initiative(1, status="on_hold", end_date=day(1))],
        people=[person(1)],
        allocations=[allocation(1, 1, 1, 40)],
        groups=[open_work(10, initiative_id=1)],
    )
    assert (result.signals.surplus, result.signals.forecasts, result.signals.over_staffed) == ({}, {}, ())
