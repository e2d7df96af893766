"""The capacity cut line (`scoring.engine.cut_line`), rule by rule, on pure inputs (D = 2027-01-01)."""

import pytest

from scoring.engine.cut_line import cut_line_calculate
from scoring.engine.inputs import Parameters, ScoringInputs
from tests.scoring.builders import D, day, done_work, initiative, objective, open_work, person


def cut_line(*, objectives=(), initiatives=(), people=(), groups=(), **parameters):
    return cut_line_calculate(
        ScoringInputs(
            parameters=Parameters(as_of=parameters.pop("as_of", D), **parameters),
            objectives=tuple(objectives),
            initiatives=tuple(initiatives),
            people=tuple(people),
            task_groups=tuple(groups),
        )
    )


def ranked(line):
    return [entry.initiative_id for entry in line.entries]


def test_candidates_are_the_active_and_proposed_initiatives():
    # given one initiative of every status
    statuses = ["proposed", "active", "on_hold", "done", "cancelled"]
    # when the cut line is drawn
    line = cut_line(initiatives=[initiative(n, status=status) for n, status in enumerate(statuses, 1)])
    # then only the proposed (1) and the active (2) are ranked
    assert ranked(line) == [1, 2]
    assert [entry.status for entry in line.entries] == ["proposed", "active"]


def test_initiatives_rank_by_their_objectives_intended_share():
    # given roots r1 (weight 3) and r2 (weight 1): intended 0.75 and 0.25; under r1, c1 and c2 (weight
    # 1 each): 0.375 each, and c3 a draft: 0; r3 is cancelled (0), and c4 is active under it (0)
    objectives = [
        objective(1, weight=3, title="r1"), objective(2, weight=1),
        objective(3, status="cancelled", weight=5),
        objective(11, parent=1), objective(12, parent=1), objective(13, parent=1, status="draft", weight=2),
        objective(14, parent=3),
    ]  # fmt: skip
    # and initiatives on each (ids chosen against the expected order)
    initiatives = [
        initiative(101, 11, title="on c1"),  # 0.375
        initiative(102, 2, status="proposed"),  # 0.25
        initiative(103, 1),  # 0.75
        initiative(104, 13),  # a draft objective: 0
        initiative(105, None),  # no objective: 0
        initiative(106, 14),  # an active objective under a cancelled root: 0
    ]
    # when
    line = cut_line(objectives=objectives, initiatives=initiatives)
    # then the highest intended share comes first, and the priority-0 ones last, by id
    assert ranked(line) == [103, 101, 102, 104, 105, 106]
    assert [entry.priority for entry in line.entries] == [0.75, 0.375, 0.25, 0, 0, 0]
    assert (line.entries[1].objective_id, line.entries[1].title) == (11, "on c1")
    assert line.entries[0].objective_title == "r1"
    assert (line.entries[4].objective_id, line.entries[4].objective_title) == (None, "")


def test_an_ended_objective_is_not_live():
    # given r1 active but ended yesterday, r2 active: r2 is the only active root (share 1)
    objectives = [objective(1, end_date=day(-1)), objective(2)]
    line = cut_line(objectives=objectives, initiatives=[initiative(1, 1), initiative(2, 2)])
    # then the initiative on r2 comes first, the one on the ended r1 has priority 0
    assert [(entry.initiative_id, entry.priority) for entry in line.entries] == [(2, 1.0), (1, 0.0)]


def test_ties_go_to_the_earliest_end_date_then_the_id():
    # given four initiatives of one objective: ends D + 10, none, D + 5, and two more with no end
    initiatives = [
        initiative(1, 1, end_date=day(10)),
        initiative(2, 1),
        initiative(3, 1, end_date=day(5)),
        initiative(5, 1),
        initiative(4, 1),
    ]
    line = cut_line(objectives=[objective(1)], initiatives=initiatives)
    # then: D + 5, D + 10, then those without an end date by id
    assert ranked(line) == [3, 1, 2, 4, 5]


def test_equal_shares_from_different_chains_tie():
    # given roots r1 (weight 0.3) and r2 (weight 0.7): 0.3 and 0.7; under r2, c1 (weight 3) and c2
    # (weight 4): c1 = 0.7 × 3/7 = 0.3, the same share as r1 (0.29999999999999993 in floating point)
    objectives = [
        objective(1, weight=0.3),
        objective(2, weight=0.7),
        objective(3, 2, weight=3),
        objective(4, 2, weight=4),
    ]
    # and an initiative on r1 ending D + 20, one on c1 ending D + 10
    initiatives = [initiative(1, 1, end_date=day(20)), initiative(2, 3, end_date=day(10))]
    line = cut_line(objectives=objectives, initiatives=initiatives)
    # then they tie on priority and the earlier end date ranks first
    assert ranked(line) == [2, 1]
    assert [entry.priority for entry in line.entries] == pytest.approx([0.3, 0.3])


def test_demand_is_resources_demand_over_the_horizon():
    # given H = 90 and
    # 1: ends D + 29 (days_left 30, window 30), open 12 h (done work without an estimate never counts)
    # 2: ends D + 179 (days_left 180, window 90), estimate 100, done 20 → remaining max(10, 80) = 80,
    #    demand 80 × 90/180 = 40
    # 3: proposed, open-ended (window = days_left = 90), open 6 + 4 h in two groups → 10
    # 4: ended D − 10: days_left 7, window 7 → demand = remaining 5
    # 5: estimate 20, done 30 (long ago), nothing open → 0
    initiatives = [
        initiative(1, end_date=day(29)),
        initiative(2, end_date=day(179), estimate_hours=100),
        initiative(3, status="proposed"),
        initiative(4, end_date=day(-10)),
        initiative(5, estimate_hours=20),
    ]
    groups = [
        open_work(12, initiative_id=1), done_work(50, initiative_id=1),
        open_work(10, initiative_id=2), done_work(15, initiative_id=2),
        done_work(5, recent=False, initiative_id=2),
        open_work(6, initiative_id=3), open_work(4, initiative_id=3),
        open_work(5, initiative_id=4),
        done_work(30, recent=False, initiative_id=5),
        open_work(99, objective_id=1),  # a task on an objective is no initiative's demand
        open_work(99, initiative_id=6),  # nor is one of an initiative that is not a candidate
    ]  # fmt: skip
    line = cut_line(initiatives=[*initiatives, initiative(6, status="on_hold")], groups=groups)
    demands = {entry.initiative_id: (entry.remaining, entry.demand) for entry in line.entries}
    assert demands == {1: (12, 12), 2: (80, 40), 3: (10, 10), 4: (5, 5), 5: (0, 0)}
    assert line.total_demand == 67


def test_capacity_is_the_active_peoples_weekly_hours_over_the_horizon():
    # given 40 h and 30 h a week of active people, 40 h inactive, H = 90
    people = [person(1, 40), person(2, 30), person(3, 40, active=False)]
    line = cut_line(people=people)
    # then capacity = 70 × 90/7 = 900 h, and with nothing to do nothing is ranked
    assert line.capacity == pytest.approx(900)
    assert (line.entries, line.total_demand, line.line_index, line.first_below) == ((), 0, 0, None)


def test_the_line_falls_where_the_cumulative_demand_first_exceeds_the_capacity():
    # given H = 70 and one active person of 40 h a week: capacity 40 × 70/7 = 400 h
    # and open-ended initiatives (window = days_left = 70, so demand = remaining), ranked 1..5 by
    # their objectives' shares 0.5, 0.3, 0.1, 0.06, 0.04 (weights 50, 30, 10, 6, 4)
    weights = [50, 30, 10, 6, 4]
    objectives = [objective(n, weight=w) for n, w in enumerate(weights, 1)]
    demands = [150, 250, 10, 0, 5]
    initiatives = [initiative(n, n, title=f"i{n}") for n in range(1, 6)]
    groups = [open_work(hours, initiative_id=n) for n, hours in enumerate(demands, 1) if hours]
    # when
    line = cut_line(
        objectives=objectives, initiatives=initiatives, groups=groups, people=[person(1, 40)],
        planning_horizon_days=70,
    )  # fmt: skip
    # then 150 and 250 fit exactly (cumulative 400 ≤ 400); the third takes it to 410: below the line,
    # and so is everything after it, even the initiative that needs nothing (cumulative still 410)
    assert line.capacity == 400
    assert [entry.cumulative_demand for entry in line.entries] == [150, 400, 410, 410, 415]
    assert [entry.above_line for entry in line.entries] == [True, True, False, False, False]
    assert [entry.rank for entry in line.entries] == [1, 2, 3, 4, 5]
    assert (line.line_index, line.below_count, line.total_demand, line.shortfall) == (2, 3, 415, 15)
    assert line.first_below is not None
    assert line.first_below.title == "i3"


def test_everything_fits_and_nothing_fits():
    initiatives = [initiative(1, end_date=day(89)), initiative(2, end_date=day(89))]
    groups = [open_work(10, initiative_id=1), open_work(20, initiative_id=2)]
    # given 7 h a week over 90 days (90 h): both fit
    roomy = cut_line(initiatives=initiatives, groups=groups, people=[person(1, 7)])
    assert (roomy.line_index, roomy.below_count, roomy.first_below, roomy.shortfall) == (2, 0, None, 0)
    # given nobody active: capacity 0, so the first initiative with any demand is already below
    none = cut_line(initiatives=initiatives, groups=groups, people=[person(1, 7, active=False)])
    assert (none.capacity, none.line_index, none.below_count) == (0, 0, 2)


def test_the_worked_example():
    # SCORING.md's worked example: i1 → c1 (active, intended 0.375), ends D + 29, estimate 50, open
    # 10 h: demand 50; i2 is on hold (not a candidate); i3 serves no objective (priority 0), open 3 h,
    # open-ended: demand 3. Capacity: p1 40 + p2 10 (p3 inactive) = 50 h × 90/7 = 642.86 h: both fit.
    objectives = [
        objective(1, weight=3), objective(2, weight=1), objective(3, status="cancelled", weight=5),
        objective(11, 1), objective(12, 1), objective(13, 1, status="draft", weight=2),
    ]  # fmt: skip
    initiatives = [
        initiative(1, 11, end_date=day(29), estimate_hours=50),
        initiative(2, 2, status="on_hold"),
        initiative(3, None),
    ]
    groups = [open_work(10, initiative_id=1), open_work(6, initiative_id=2), open_work(3, initiative_id=3)]
    people = [person(1, 40), person(2, 10), person(3, 40, active=False)]
    line = cut_line(objectives=objectives, initiatives=initiatives, groups=groups, people=people)
    assert [(e.initiative_id, e.priority, e.demand, e.cumulative_demand) for e in line.entries] == [
        (1, 0.375, 50, 50),
        (3, 0, 3, 53),
    ]
    assert line.capacity == pytest.approx(642.857142857)
    assert (line.line_index, line.below_count, line.as_of, line.horizon_days) == (2, 0, D, 90)


def test_the_demand_above_the_line():
    # given capacity 7 h a week × 90 / 7 = 90 h and open-ended initiatives needing 50, 30 and 20 h
    initiatives = [initiative(n) for n in (1, 2, 3)]
    groups = [open_work(hours, initiative_id=n) for n, hours in zip((1, 2, 3), (50, 30, 20), strict=True)]
    line = cut_line(initiatives=initiatives, groups=groups, people=[person(1, 7)])
    # then the first two fit (80 h); the third takes the demand to 100 h
    assert (line.line_index, line.demand_above, line.total_demand, line.shortfall) == (2, 80, 100, 10)
    # and with nothing above the line, nothing is needed above it
    assert cut_line(initiatives=initiatives, groups=groups).demand_above == 0
