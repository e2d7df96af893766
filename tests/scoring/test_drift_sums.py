"""The staffing drift the database computes (`scoring.fetch_drift`, from the assignee tallies and the
counted allocations) equals the engine's (`drift_calculate`, from the tasks' work per assignee and the
allocation rows), whatever the tasks, their assignees and completion days about the activity window,
the allocations' dates and creation days about D − 14 and the horizon, the initiatives' statuses and
the people's activity (hypothesis draws them), with the tally window at D or elsewhere.

Each example builds its own organization, so that the examples never see each other's rows.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from objectives.tallies import tallies_window_roll
from resources.models import Allocation
from scoring.engine.drift import drift_calculate
from scoring.fetch import InputSource, consistent_read, parameters_fetch, scoring_inputs_fetch
from scoring.fetch_drift import assignee_work_fetch, drift_fetch, drift_lists_fetch
from tests.factories import (
    AllocationFactory,
    InitiativeFactory,
    OrganizationFactory,
    PersonFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db(transaction=False)

D = date(2027, 1, 1)
SLUGS = itertools.count()
# Days about D on every edge: the window's first day (D − 27) and the day before it, D − 14 and
# D − 13 (an allocation begun early enough, or not), D, the horizon's last day (D + 89) and past it.
offsets = st.sampled_from([-60, -28, -27, -15, -14, -13, -1, 0, 1, 30, 89, 90])
days = offsets.map(lambda offset: D + timedelta(days=offset))
optional_day = st.one_of(st.none(), days)

people = st.lists(st.booleans(), min_size=1, max_size=6)  # active or not
initiatives = st.lists(st.sampled_from(["active", "active", "active", "on_hold"]), min_size=1, max_size=3)
tasks = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=5),  # assignee, modulo (5: none)
        st.integers(min_value=0, max_value=3),  # initiative, modulo (3: none)
        st.sampled_from(["todo", "in_progress", "blocked", "done", "done", "cancelled"]),
        st.sampled_from([None, Decimal("0.25"), Decimal("0.1"), Decimal("0.2"), Decimal(3), Decimal("7.5")]),
        days,  # completion day, of a done one
    ),
    max_size=20,
)
allocations = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=5),
        st.integers(min_value=0, max_value=2),
        st.sampled_from([Decimal("0.1"), Decimal("0.2"), Decimal(8), Decimal("12.5")]),
        optional_day,
        optional_day,
        days,  # the day it was created
    ),
    max_size=10,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people, initiatives, tasks, allocations, st.booleans(), st.sampled_from([1, 2, 10]))
def test_the_databases_drift_equals_the_engines(
    drawn_people, drawn_initiatives, drawn_tasks, drawn_allocations, rolled, limit
):
    # given an organization with those people, initiatives, tasks and allocations, its tally window
    # at D's activity window or not rolled at all
    org = OrganizationFactory(slug=f"drift-{next(SLUGS)}")
    persons = [PersonFactory(organization=org, active=active) for active in drawn_people]
    plans = [InitiativeFactory(organization=org, status=status) for status in drawn_initiatives]
    if rolled:
        tallies_window_roll(organization_id=org.pk, first_day=D - timedelta(days=27), last_day=D)
    for assignee, initiative, status, effort, completed in drawn_tasks:
        TaskFactory(
            organization=org,
            assignee=persons[assignee] if assignee < len(persons) else None,
            initiative=plans[initiative] if initiative < len(plans) else None,
            status=status,
            effort_hours=effort,
            completed_at=datetime(completed.year, completed.month, completed.day, 23, 30, tzinfo=UTC)
            if status == "done"
            else None,
        )
    for person, initiative, hours, start, end, created in drawn_allocations:
        if start is not None and end is not None and start > end:
            start, end = end, start
        allocation = AllocationFactory(
            organization=org,
            person=persons[person % len(persons)],
            initiative=plans[initiative % len(plans)],
            hours_per_week=hours,
            start_date=start,
            end_date=end,
        )
        Allocation.objects.filter(pk=allocation.pk).update(
            created_at=datetime(created.year, created.month, created.day, 23, 59, tzinfo=UTC)
        )
    # when the drift is computed by the database and by the engine from the rows
    with consistent_read():
        parameters, _ = parameters_fetch(organization_id=org.pk, as_of=D)
        counted = drift_fetch(organization_id=org.pk, parameters=parameters)
        listed = drift_lists_fetch(
            organization_id=org.pk,
            parameters=parameters,
            initiative_ids=[plan.pk for plan in plans],
            limit=limit,
        )
        rows = scoring_inputs_fetch(organization_id=org.pk, parameters=parameters, source=InputSource.ROWS)
        kept_work = assignee_work_fetch(
            organization_id=org.pk, parameters=parameters, initiative_ids=[plan.pk for plan in plans]
        )
    engine = drift_calculate(
        initiatives=rows.initiatives,
        people=rows.people,
        allocations=rows.allocations,
        work=rows.assignee_work,
        parameters=parameters,
        limit=limit,
    )
    # then they are the same, to the hundredth of an hour: counted for the whole organization, and the
    # lists of people (order included) where asked for
    assert counted.initiatives == drift_calculate(
        initiatives=rows.initiatives,
        people=rows.people,
        allocations=rows.allocations,
        work=rows.assignee_work,
        parameters=parameters,
        limit=0,
    )
    assert listed == engine
    # and the tallies' work per assignee is the tasks' (for every initiative, active or not)
    assert kept_work == rows.assignee_work
