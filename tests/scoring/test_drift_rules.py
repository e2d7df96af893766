"""SCORING.md "Signals beyond the scores", staffing drift, rule by rule on pure inputs (D = 2027-01-01,
W = 28, H = 90: allocations count when they overlap [D, 2027-03-31]; an allocation without work counts
once it began on or before D − 14 = 2026-12-18)."""

import pytest

from scoring.engine.drift import drift_calculate
from scoring.engine.explain import parts_of, signal_drivers
from scoring.engine.inputs import IdleAllocation, InitiativeDrift, Parameters, UnallocatedWorker
from tests.scoring.builders import D, allocation, calculate, day, initiative, person, work

ANA, BO, CY, DI, ED, FAY, GUS, HAL = 1, 2, 3, 4, 5, 6, 7, 8


def test_people_working_without_allocation_and_allocated_without_work():
    # given Firmware (1) and Billing (2), active, and Archive (3), on hold;
    # work: Ana 6 h (2 tasks) and Bo 3.5 h on Firmware, none allocated to it; Cy 8 h on Firmware
    # (inactive: not counted); Di 2 h on Firmware, allocated to it; Ana 5 h on Archive (on hold)
    # allocations to Firmware: Di 10 h (no start: long before D); Ed 20 h from D − 14 and 5 h from
    # 2026-12-01 (no work: allocated without work, twice); Fay 8 h created D − 13 (too recent);
    # Gus 10 h from 2027-05-01 (past the horizon: not counted)
    # allocations to Billing, where nobody works: Bo 12 h (open); Hal 6 h (inactive, still allocated)
    result = calculate(
        initiatives=[initiative(1), initiative(2), initiative(3, status="on_hold")],
        people=[person(n, active=n not in (CY, HAL)) for n in (ANA, BO, CY, DI, ED, FAY, GUS, HAL)],
        assignee_work=[
            work(1, ANA, 6, tasks=2), work(1, BO, 3.5), work(1, CY, 8), work(1, DI, 2), work(3, ANA, 5),
        ],
        allocations=[
            allocation(1, DI, 1, 10),
            allocation(2, ED, 1, 20, start=day(-14)),
            allocation(3, ED, 1, 5, start=day(-31)),
            allocation(4, FAY, 1, 8, began=day(-13)),
            allocation(5, GUS, 1, 10, start=day(120)),
            allocation(6, BO, 2, 12),
            allocation(7, HAL, 2, 6),
        ],
    )  # fmt: skip
    # then Firmware: 2 people working without allocation, 6 + 3.5 = 9.5 h unplanned; Ed allocated
    # without work on 2 allocations, 20 + 5 = 25 h/week. Billing: Bo (12 h) and Hal (6 h) idle.
    assert result.signals.drift == {
        1: InitiativeDrift(
            initiative_id=1, unallocated_people=2, unplanned_effort=9.5,
            idle_people=1, idle_allocations=2, idle_hours=25,
            unallocated=(UnallocatedWorker(ANA, 6, 2), UnallocatedWorker(BO, 3.5, 1)),
            idle=(IdleAllocation(ED, 25, 2),),
        ),
        2: InitiativeDrift(
            initiative_id=2, idle_people=2, idle_allocations=2, idle_hours=18,
            idle=(IdleAllocation(BO, 12, 1), IdleAllocation(HAL, 6, 1)),
        ),
    }  # fmt: skip
    assert result.signals.unplanned_work == (1,)
    assert result.signals.idle_allocations == (1, 2)  # 25 h/week, then 18
    assert result.signals.total_unplanned_effort == 9.5
    # and the snapshot's parts count them
    expected = {
        "unplanned_work_initiatives": 1,
        "people_working_without_allocation": 2,
        "total_unplanned_effort": 9.5,
        "idle_allocation_initiatives": 2,
        "people_allocated_without_work": 3,
        "allocations_without_work": 4,
    }
    signals = parts_of(result)["signals"]
    assert {key: signals[key] for key in expected} == expected


def test_only_allocations_counted_at_d_make_a_person_allocated():
    # given Ana working 4 h on Firmware with an allocation that ended before D, Bo 2 h with one that
    # starts within the horizon (2027-02-01), and Cy 1 h with one that starts after it (2027-05-01)
    result = calculate(
        initiatives=[initiative(1)],
        people=[person(n) for n in (ANA, BO, CY)],
        assignee_work=[work(1, ANA, 4), work(1, BO, 2), work(1, CY, 1)],
        allocations=[
            allocation(1, ANA, 1, 10, start=day(-60), end=day(-1)),
            allocation(2, BO, 1, 10, start=day(31)),
            allocation(3, CY, 1, 10, start=day(120)),
        ],
    )
    # then Ana and Cy work on it without an allocation (4 + 1 = 5 h), Bo does not; Bo's allocation
    # has not begun 14 days before D, so it is not idle either (and he works)
    drift = result.signals.drift[1]
    assert [worker.person_id for worker in drift.unallocated] == [ANA, CY]
    assert (drift.unplanned_effort, drift.idle_people) == (5, 0)


def test_the_lists_hold_the_first_ten_by_effort_then_person():
    # given 12 people working on Firmware without allocation: person n works n % 4 hours (+1)
    people = [person(n) for n in range(1, 13)]
    result = calculate(
        initiatives=[initiative(1)],
        people=people,
        assignee_work=[work(1, n, n % 4 + 1) for n in range(1, 13)],
    )
    drift = result.signals.drift[1]
    # then all 12 are counted, with 3 × (1 + 2 + 3 + 4) = 30 h, and the first ten listed: the 4 h
    # ones (3, 7, 11), the 3 h ones (2, 6, 10), the 2 h ones (1, 5, 9), and 4 of the 1 h ones
    assert (drift.unallocated_people, drift.unplanned_effort) == (12, 30)
    assert [worker.person_id for worker in drift.unallocated] == [3, 7, 11, 2, 6, 10, 1, 5, 9, 4]


def test_drift_of_some_initiatives_alone_from_their_rows():
    # given the rows of Firmware only (as a scenario recomputes the initiatives it touches), though
    # Billing's are passed too
    drift = drift_calculate(
        initiatives=[initiative(1)],
        people=[person(ANA), person(BO)],
        allocations=[allocation(1, BO, 1, 10), allocation(2, ANA, 2, 10)],
        work=[work(1, ANA, 3), work(2, BO, 7)],
        parameters=Parameters(as_of=D),
    )
    # then only Firmware's drift is computed: Ana works on it unallocated, Bo is allocated idle
    assert drift == {
        1: InitiativeDrift(
            initiative_id=1, unallocated_people=1, unplanned_effort=3, idle_people=1, idle_allocations=1,
            idle_hours=10, unallocated=(UnallocatedWorker(ANA, 3, 1),), idle=(IdleAllocation(BO, 10, 1),),
        )
    }  # fmt: skip


def test_the_drivers_name_the_people():
    # given Ana (named) working 6 h on Firmware without allocation, and Bo allocated idle to it
    result = calculate(
        initiatives=[initiative(1, title="Firmware")],
        people=[person(ANA, name="Ana"), person(BO, name="Bo")],
        assignee_work=[work(1, ANA, 6, tasks=2)],
        allocations=[allocation(1, BO, 1, 15)],
    )
    drivers = signal_drivers(result)
    # then the drivers list the initiative with the people by name
    assert drivers["unplanned_work_initiatives"] == [
        {
            "id": 1,
            "title": "Firmware",
            "unallocated_people": 1,
            "unplanned_effort": 6,
            "people": [{"id": ANA, "name": "Ana", "effort": 6, "tasks": 2}],
        }
    ]
    assert drivers["idle_allocation_initiatives"] == [
        {
            "id": 1,
            "title": "Firmware",
            "idle_people": 1,
            "idle_allocations": 1,
            "idle_hours": 15,
            "people": [{"id": BO, "name": "Bo", "hours_per_week": 15, "allocations": 1}],
        }
    ]


def test_inactive_initiatives_have_no_drift():
    result = calculate(
        initiatives=[initiative(1, status="proposed")],
        people=[person(ANA), person(BO)],
        assignee_work=[work(1, ANA, 6)],
        allocations=[allocation(1, BO, 1, 15)],
    )
    assert result.signals.drift == {}
    assert pytest.approx(result.signals.total_unplanned_effort) == 0
