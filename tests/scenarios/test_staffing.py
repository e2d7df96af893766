"""A scenario's staffing summed again only where its changes touch it equals the whole sum, exactly.

Pure functions: no database. `staffing_pair` must give the live plan's staffing and the scenario's as
`staffing_calculate` sums each from all its rows (in `canonical`'s order), to the last bit of every
float, whatever the changes: moved hours, people's capacities, initiatives paused or shortened,
allocations added or deleted.
"""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.staffing import staffing_pair
from scoring.engine.calculate import canonical
from scoring.engine.inputs import Parameters, ScoringInputs, Staffing
from scoring.engine.resources import staffing_calculate
from tests.scoring.builders import D, allocation, day, initiative, person


def whole(inputs: ScoringInputs) -> Staffing:
    """The staffing as a recompute of these inputs sums it: every row, in the calculation's order."""
    ordered = canonical(inputs)
    return staffing_calculate(
        initiatives=ordered.initiatives,
        people=ordered.people,
        allocations=ordered.allocations,
        parameters=ordered.parameters,
    )


def test_moving_hours_off_an_overloaded_person_frees_both_of_her_initiatives():
    # given three initiatives ending at D + 6 (a window of 7 days: supply = Σ hours × f_p) and
    # Ann (40 h) given 30 h on I1 and 20 h on I2: a load of 50, f = 40/50 = 0.8; Ben (20 h) 10 h on
    # I2; Cy (40 h) 8 h on I3
    live = ScoringInputs(
        parameters=Parameters(as_of=D),
        initiatives=tuple(initiative(pk, end_date=day(6)) for pk in (1, 2, 3)),
        people=(person(10, capacity=40), person(11, capacity=20), person(12, capacity=40)),
        allocations=(
            allocation(100, 10, 1, 30),
            allocation(101, 10, 2, 20),
            allocation(102, 11, 2, 10),
            allocation(103, 12, 3, 8),
        ),
    )
    # when the scenario gives Ann 20 h on I1 instead of 30 (a load of 40: f = 1)
    scenario = replace(live, allocations=(allocation(100, 10, 1, 20), *live.allocations[1:]))
    before, after = staffing_pair(live, scenario)
    # then I1 goes from 30 × 0.8 = 24 to 20 h, I2 from 20 × 0.8 + 10 = 26 to 30 h, I3 stays at 8 h
    assert before.supply == {1: 24.0, 2: 26.0, 3: 8.0}
    assert after.supply == {1: 20.0, 2: 30.0, 3: 8.0}
    assert [load.person_id for load in before.loaded] == [10]  # over capacity
    assert after.loaded == ()
    # and both are the whole sums of each side
    assert (before, after) == (whole(live), whole(scenario))


PEOPLE = range(10, 16)
INITIATIVES = range(1, 7)
days = st.one_of(st.none(), st.integers(min_value=-20, max_value=120).map(day))
people = st.builds(
    person,
    st.sampled_from(PEOPLE),
    capacity=st.sampled_from([0, 10, 20, 37.5, 40]),
    active=st.booleans(),
)
initiatives = st.builds(
    initiative,
    st.sampled_from(INITIATIVES),
    status=st.sampled_from(["active", "active", "on_hold", "draft"]),
    end_date=days,
)
allocations = st.builds(
    allocation,
    st.integers(min_value=100, max_value=130),
    st.sampled_from(PEOPLE),
    st.sampled_from(INITIATIVES),
    st.sampled_from([2.5, 5, 10, 12.5, 20, 30]),
    start=days,
    end=days,
)


def unique(rows: list, key=lambda row: row.id) -> tuple:
    return tuple({key(row): row for row in rows}.values())


@settings(max_examples=300, deadline=None)
@given(
    st.lists(people, max_size=6),
    st.lists(initiatives, max_size=6),
    st.lists(allocations, max_size=20),
    st.lists(people, max_size=3),
    st.lists(initiatives, max_size=3),
    st.lists(allocations, max_size=6),
    st.sets(st.integers(min_value=100, max_value=130), max_size=5),
)
def test_the_scenario_side_equals_summing_it_whole(
    live_people, live_initiatives, live_allocations, changed_people, changed_initiatives, changed, deleted
):
    # given a live plan (the people and initiatives every allocation names exist on both sides)
    all_people = unique([*(person(pk) for pk in PEOPLE), *live_people])
    all_initiatives = unique([*(initiative(pk) for pk in INITIATIVES), *live_initiatives])
    live = ScoringInputs(
        parameters=Parameters(as_of=D),
        initiatives=all_initiatives,
        people=all_people,
        allocations=unique(live_allocations),
    )
    # when a scenario changes some people, some initiatives and some allocations (added where the id
    # is new), and deletes others
    scenario = replace(
        live,
        people=unique([*live.people, *changed_people]),
        initiatives=unique([*live.initiatives, *changed_initiatives]),
        allocations=tuple(row for row in unique([*live.allocations, *changed]) if row.id not in deleted),
    )
    # then both sides equal their whole sums, to the last bit
    assert staffing_pair(live, scenario) == (whole(live), whole(scenario))
