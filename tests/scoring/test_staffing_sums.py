"""The staffing the database sums (`scoring.fetch_staffing`) equals the engine's own sums from the
allocation rows (`staffing_calculate`), whatever the allocations, their dates about D and the window,
the initiatives' ends and statuses, and the people's capacities (hypothesis draws them).

Each example builds its own organization, so that the examples never see each other's rows.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from objectives.models import InitiativeStatus
from scoring.engine.resources import staffing_calculate
from scoring.fetch import InputSource, consistent_read, parameters_fetch, scoring_inputs_fetch
from scoring.fetch_staffing import staffing_fetch
from tests.factories import AllocationFactory, InitiativeFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=False)

D = date(2027, 1, 1)
SLUGS = itertools.count()
# Days about D that land on every edge: before D, D itself, inside the horizon, its last day (D + 89
# with H = 90), past it; the initiatives' ends also fall inside the 7-day minimum.
offsets = st.sampled_from([-40, -1, 0, 1, 3, 6, 7, 20, 88, 89, 90, 200])
optional_day = st.one_of(st.none(), offsets.map(lambda days: D + timedelta(days=days)))

people = st.lists(
    st.tuples(st.sampled_from([0, 8, 20, 40]), st.booleans().map(lambda inactive: not inactive)),
    min_size=1,
    max_size=5,
)
initiatives = st.lists(
    st.tuples(st.sampled_from([InitiativeStatus.ACTIVE, InitiativeStatus.ACTIVE, "done"]), optional_day),
    min_size=1,
    max_size=4,
)
allocations = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=4),  # person, modulo their number
        st.integers(min_value=0, max_value=3),  # initiative, modulo their number
        st.sampled_from([Decimal("0.5"), Decimal(4), Decimal("12.25"), Decimal(30)]),
        optional_day,
        optional_day,
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people, initiatives, allocations, st.sampled_from([1, 2, 3]))
def test_the_databases_staffing_sums_equal_the_engines(drawn_people, drawn_initiatives, drawn_allocations, k):
    # given an organization with those people, initiatives and allocations (a start after the end is
    # swapped: the plan never holds one), and K
    org = OrganizationFactory(slug=f"staffing-{next(SLUGS)}", spread_thin_allocations=k)
    persons = [
        PersonFactory(organization=org, weekly_capacity_hours=Decimal(capacity), active=active)
        for capacity, active in drawn_people
    ]
    plans = [
        InitiativeFactory(organization=org, status=status, end_date=end) for status, end in drawn_initiatives
    ]
    for person, initiative, hours, start, end in drawn_allocations:
        if start is not None and end is not None and start > end:
            start, end = end, start
        AllocationFactory(
            organization=org,
            person=persons[person % len(persons)],
            initiative=plans[initiative % len(plans)],
            hours_per_week=hours,
            start_date=start,
            end_date=end,
        )
    # when the staffing is summed by the database and by the engine from the rows
    with consistent_read():
        parameters, _ = parameters_fetch(organization_id=org.pk, as_of=D)
        summed = staffing_fetch(organization_id=org.pk, parameters=parameters)
        rows = scoring_inputs_fetch(organization_id=org.pk, parameters=parameters, source=InputSource.ROWS)
    engine = staffing_calculate(
        initiatives=rows.initiatives, people=rows.people, allocations=rows.allocations, parameters=parameters
    )
    # then they name the same initiatives and people, with the same numbers (to the last rounding)
    assert summed.supply == pytest.approx(engine.supply, rel=1e-12, abs=1e-9)
    assert summed.factored_hours == pytest.approx(engine.factored_hours, rel=1e-12, abs=1e-9)
    by_person = {load.person_id: load for load in engine.loaded}
    assert sorted(load.person_id for load in summed.loaded) == sorted(by_person)
    for load in summed.loaded:
        expected = by_person[load.person_id]
        assert (load.allocations, load.capacity) == (expected.allocations, expected.capacity)
        assert (load.load, load.factor) == (pytest.approx(expected.load), pytest.approx(expected.factor))
