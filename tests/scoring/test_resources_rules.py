"""SCORING.md "Resources", rule by rule, on pure inputs (D = 2027-01-01, H = 90 unless given)."""

import pytest

from scoring.engine.resources import current_allocations, people_load
from tests.scoring.builders import (
    D,
    allocation,
    calculate,
    day,
    done_work,
    initiative,
    objective,
    open_work,
    person,
)


def staffing(**kwargs):
    return calculate(**kwargs).resources.initiatives


def loads(**kwargs):
    """Every person's load_p, counted allocations and f_p, as the engine computes them for supply."""
    inputs = calculate(**kwargs).inputs
    active = {node.id: node for node in inputs.initiatives if node.status == "active"}
    return people_load(
        people=inputs.people, current=current_allocations(inputs.allocations, active, inputs.parameters)
    )


def test_demand_without_an_estimate_is_the_open_effort_at_an_even_pace():
    # ends D + 29: days_left 30, window min(30, 90) = 30; remaining = open 12 h → demand 12 × 30/30
    # (done work never counts without an estimate)
    item = staffing(
        initiatives=[initiative(1, end_date=day(29))],
        groups=[open_work(12, initiative_id=1), done_work(50, initiative_id=1)],
    )[1]
    assert (item.days_left, item.window_days, item.remaining, item.demand) == (30, 30, 12, 12)


def test_demand_with_an_estimate_subtracts_all_done_work():
    # open-ended: days_left = window = 90, so demand = remaining.
    # 2: estimate 40, done 20 + 5 (one long ago) = 25, open 10 → max(10, 15) = 15
    # 3: estimate 40, done 35, open 10 → max(10, 5) = 10
    # 4: estimate 20, done 30, nothing open → max(0, −10) = 0, coverage 1
    items = staffing(
        initiatives=[
            initiative(2, estimate_hours=40),
            initiative(3, estimate_hours=40),
            initiative(4, estimate_hours=20),
        ],
        groups=[
            done_work(20, initiative_id=2), done_work(5, recent=False, initiative_id=2),
            open_work(10, initiative_id=2),
            done_work(35, initiative_id=3), open_work(10, initiative_id=3),
            done_work(30, recent=False, initiative_id=4),
        ],
    )  # fmt: skip
    assert {key: item.demand for key, item in items.items()} == {2: 15, 3: 10, 4: 0}
    assert items[4].coverage == 1


def test_the_window_is_cut_at_the_horizon():
    # H = 30, ends D + 59: days_left 60, window 30; remaining 60 → demand 60 × 30/60 = 30
    item = staffing(
        initiatives=[initiative(1, end_date=day(59))],
        groups=[open_work(60, initiative_id=1)],
        planning_horizon_days=30,
    )[1]
    assert (item.days_left, item.window_days, item.demand) == (60, 30, 30)


def test_overdue_and_short_initiatives_get_seven_days():
    # ended D − 10: days([D, D − 10]) = 0 → days_left 7; ends on D: 1 → 7; ends D + 6: 7; ends D + 7: 8
    items = staffing(
        initiatives=[
            initiative(1, end_date=day(-10)), initiative(2, end_date=D),
            initiative(3, end_date=day(6)), initiative(4, end_date=day(7)),
        ],
        groups=[open_work(14, initiative_id=1)],
    )  # fmt: skip
    assert [items[key].days_left for key in (1, 2, 3, 4)] == [7, 7, 7, 8]
    assert items[1].window_days == 7
    assert items[1].demand == 14  # all of it within the week


def test_open_ended_initiatives_end_at_the_horizon():
    # no end date: end D + H − 1; H = 90 → days_left 90. With H = 5: days_left max(7, 5) = 7,
    # window min(7, 5) = 5, so 7 h remaining → demand 7 × 5/7 = 5
    assert staffing(initiatives=[initiative(1)])[1].end_date == day(89)
    short = staffing(
        initiatives=[initiative(1)], groups=[open_work(7, initiative_id=1)], planning_horizon_days=5
    )[1]
    assert (short.end_date, short.days_left, short.window_days, short.demand) == (
        day(4),
        7,
        5,
        pytest.approx(5),
    )


def test_capacity_scales_every_allocation_of_an_overloaded_person():
    # capacity 30 h, allocations 20 + 40 = 60 h → f = 0.5; open-ended initiatives (window 90 days):
    # supply_1 = 20 × 0.5 × 90/7 = 128.57, supply_2 = 40 × 0.5 × 90/7 = 257.14
    given = {
        "initiatives": [initiative(1), initiative(2)],
        "people": [person(1, capacity=30)],
        "allocations": [allocation(1, 1, 1, 20), allocation(2, 1, 2, 40)],
    }
    result = calculate(**given).resources
    assert loads(**given)[1].factor == 0.5
    assert result.loaded[1].factor == 0.5  # over capacity: named with its load
    assert result.initiatives[1].supply == pytest.approx(128.5714, abs=1e-4)
    assert result.initiatives[2].supply == pytest.approx(257.1429, abs=1e-4)
    assert result.over_capacity == (1,)


def test_people_within_capacity_give_all_their_hours():
    # capacity 40, load 40 (not over) → f = 1: 40 × 90/7
    given = {"initiatives": [initiative(1)], "people": [person(1)], "allocations": [allocation(1, 1, 1, 40)]}
    result = calculate(**given)
    assert loads(**given)[1].factor == 1
    assert result.resources.loaded == {}  # neither over capacity nor spread thin
    assert result.resources.initiatives[1].supply == pytest.approx(40 * 90 / 7)
    assert result.resources.over_capacity == ()


def test_capacity_zero_and_inactive_people_supply_nothing():
    # person 1: capacity 0, 10 h allocated → f = 0 and over capacity; person 2 inactive → f = 0
    given = {
        "initiatives": [initiative(1)],
        "people": [person(1, capacity=0), person(2, active=False)],
        "allocations": [allocation(1, 1, 1, 10), allocation(2, 2, 1, 10)],
    }
    result = calculate(**given).resources
    assert (loads(**given)[1].factor, loads(**given)[2].factor) == (0, 0)
    assert result.initiatives[1].supply == 0
    assert result.over_capacity == (1,)


def test_allocations_count_for_the_days_they_overlap_the_window():
    # initiative ends D + 29 (window [D, D + 29], 30 days); one person per allocation, 7 h/week each:
    #   open-ended                  → 30 days → 30 h
    #   D − 30 … D + 9              → 10 days → 10 h
    #   D + 20 …                    → 10 days → 10 h
    #   … D − 1 (ended)             → not in load, 0 h
    #   D + 89 … (last day of H)    → in load (it overlaps [D, D + 89]), outside the window: 0 h
    #   D + 90 …                    → not in load
    rows = [
        (None, None),
        (day(-30), day(9)),
        (day(20), None),
        (None, day(-1)),
        (day(89), None),
        (day(90), None),
    ]
    given = {
        "initiatives": [initiative(1, end_date=day(29))],
        "people": [person(n) for n in range(1, 7)],
        "allocations": [allocation(n, n, 1, 7, start, end) for n, (start, end) in enumerate(rows, start=1)],
    }
    result = calculate(**given).resources
    assert result.initiatives[1].supply == pytest.approx(30 + 10 + 10)
    assert [loads(**given)[n].allocations for n in range(1, 7)] == [1, 1, 1, 0, 1, 0]


def test_only_active_initiatives_take_part():
    # the on-hold initiative is not staffed, and its allocation is not in the person's load
    given = {
        "initiatives": [initiative(1), initiative(2, status="on_hold")],
        "people": [person(1, capacity=10)],
        "allocations": [allocation(1, 1, 1, 10), allocation(2, 1, 2, 30)],
    }
    result = calculate(**given).resources
    assert set(result.initiatives) == {1}
    assert (loads(**given)[1].load, loads(**given)[1].factor) == (10, 1)


def test_objective_coverage_and_the_resources_score():
    # roots A and B (p = 0.5 each). Under A: initiative 1 (demand 10, supply 5) on A and
    # initiative 2 (demand 30, supply 60) on A's child → coverage(A) = (5 + 30) / 40 = 0.875.
    # B has no active initiative (only an on-hold one) → 0. Resources = 100 × 0.5 × 0.875 = 43.75.
    # Both initiatives end D + 6 (7-day windows), so supply = hours per week × 7/7.
    result = calculate(
        objectives=[objective(1), objective(2), objective(11, parent=1)],
        initiatives=[
            initiative(1, 1, end_date=day(6)), initiative(2, 11, end_date=day(6)),
            initiative(3, 2, "on_hold"),
        ],
        people=[person(1), person(2)],
        allocations=[allocation(1, 1, 1, 5), allocation(2, 2, 2, 60)],
        groups=[open_work(10, initiative_id=1), open_work(30, initiative_id=2)],
    ).resources  # fmt: skip
    a = result.objectives[1]
    assert (a.initiatives, a.demand, a.covered, a.coverage) == (2, 40, 35, 0.875)
    assert result.objectives[2].coverage == 0
    assert result.score == pytest.approx(43.75)


def test_an_active_root_with_no_initiatives_is_not_covered():
    # one root, no initiatives: coverage 0, resources 0 (not undefined)
    result = calculate(objectives=[objective(1)]).resources
    assert result.objectives[1].coverage == 0
    assert result.score == 0


def test_an_initiative_with_no_demand_covers_its_objective():
    result = calculate(objectives=[objective(1)], initiatives=[initiative(1, 1)]).resources
    assert result.objectives[1].coverage == 1
    assert result.score == 100


def test_resources_are_undefined_without_active_roots():
    assert (
        calculate(objectives=[objective(1, status="draft")], initiatives=[initiative(1)]).resources.score
        is None
    )


def test_spread_thin_counts_the_allocations_in_the_load():
    # K = 3: person 1 has 4 current allocations → spread thin; person 2 has 3 current and one ended
    initiatives = [initiative(n) for n in range(1, 5)]
    allocations = [allocation(n, 1, n, 1) for n in range(1, 5)]
    allocations += [allocation(10 + n, 2, n, 1) for n in range(1, 4)] + [allocation(20, 2, 4, 1, end=day(-1))]
    result = calculate(initiatives=initiatives, people=[person(1), person(2)], allocations=allocations)
    assert result.resources.spread_thin == (1,)


def test_off_strategy_capacity_is_scaled_current_time_on_initiatives_off_a_live_chain():
    # capacity 20, load 10 (no objective) + 10 (cancelled objective) + 20 (live) = 40 → f = 0.5;
    # off-strategy = (10 + 10) × 0.5 = 10 h/week; an ended allocation never counts
    result = calculate(
        objectives=[objective(1), objective(2, status="cancelled")],
        initiatives=[initiative(1, None), initiative(2, 2), initiative(3, 1)],
        people=[person(1, capacity=20)],
        allocations=[
            allocation(1, 1, 1, 10), allocation(2, 1, 2, 10), allocation(3, 1, 3, 20),
            allocation(4, 1, 1, 50, end=day(-1)),
        ],
    )  # fmt: skip
    assert result.resources.off_strategy_capacity == pytest.approx(10)
