"""Sane bounds on people and allocations (issue 11): a week has 168 hours, and one person is
allocated to one initiative at most once on any day. Each refusal names the field and the bound and
writes nothing. Hours past a person's capacity are over-allocation, shown, not refused."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from resources.services import allocation_create, allocation_update, person_create
from tests.factories import InitiativeFactory, PersonFactory
from tests.objectives.database import nothing_written

pytestmark = pytest.mark.django_db

JAN_1, MAR_31, APR_1, JUN_30 = (
    datetime.date(2027, 1, 1),
    datetime.date(2027, 3, 31),
    datetime.date(2027, 4, 1),
    datetime.date(2027, 6, 30),
)


@pytest.fixture
def initiative(org):
    return InitiativeFactory(organization=org, title="Self-serve onboarding")


@pytest.fixture
def ada(org):
    return PersonFactory(organization=org, name="Ada", weekly_capacity_hours=Decimal(40))


def refused(call, **kwargs) -> dict[str, list[str]]:
    with nothing_written(), pytest.raises(ValidationError) as raised:
        call(**kwargs)
    return raised.value.message_dict


def allocation(ada, initiative, hours="10", start=JAN_1, end=MAR_31):
    return {"person": ada, "initiative": initiative, "hours_per_week": Decimal(hours), "start_date": start,
            "end_date": end}  # fmt: skip


def test_a_capacity_is_at_most_the_hours_in_a_week(admin):
    # when people of 168 and of 1,000 hours a week are created
    taken = person_create(actor=admin, data={"name": "Always on", "weekly_capacity_hours": Decimal(168)})
    errors = refused(person_create, actor=admin, data={"name": "Clone", "weekly_capacity_hours": 1000})
    # then the first is taken and the second refused, naming the bound
    assert taken.weekly_capacity_hours == 168
    assert errors == {"weekly_capacity_hours": ["Must be at most 168 hours (the hours in a week)."]}


def test_an_allocation_is_at_most_the_hours_in_a_week(executive, initiative, org):
    # given someone of the greatest capacity
    person = PersonFactory(organization=org, weekly_capacity_hours=Decimal(168))
    # when they are allocated 10,000 hours a week / then it is refused, naming the bound
    errors = refused(allocation_create, actor=executive, data=allocation(person, initiative, "10000"))
    assert errors == {"hours_per_week": ["Must be at most 168 hours (the hours in a week)."]}


def test_an_allocation_past_its_persons_capacity_is_taken_as_over_allocation(executive, ada, initiative):
    # given Ada, 40 hours a week
    # when she is allocated 50 hours a week / then it is taken: the resources page shows her overloaded
    taken = allocation_create(actor=executive, data=allocation(ada, initiative, "50"))
    assert taken.hours_per_week == 50


def test_several_allocations_may_add_up_past_a_capacity(executive, ada, org, initiative):
    # given Ada allocated 30 hours a week to one initiative
    allocation_create(actor=executive, data=allocation(ada, initiative, "30"))
    # when she is allocated 30 more to another over the same dates
    other = InitiativeFactory(organization=org)
    second = allocation_create(actor=executive, data=allocation(ada, other, "30"))
    # then it is taken: over-allocation is what the resources page shows, not an input error
    assert second.pk is not None


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (JAN_1, MAR_31),  # the same dates
        (MAR_31, JUN_30),  # sharing one day (both ends count)
        (None, JAN_1),  # open start, reaching into it
        (datetime.date(2027, 2, 1), None),  # open end
    ],
)
def test_a_person_is_not_allocated_twice_to_one_initiative_over_overlapping_dates(
    executive, ada, initiative, start, end
):
    # given Ada allocated to the initiative through Q1
    allocation_create(actor=executive, data=allocation(ada, initiative))
    # when she is allocated to it again over dates that meet those / then it is refused, naming the first
    errors = refused(allocation_create, actor=executive, data=allocation(ada, initiative, "5", start, end))
    assert errors == {
        "start_date": [
            "Ada is already allocated to this initiative (from 2027-01-01 to 2027-03-31, 10 h a week): "
            "change that allocation, or choose dates that do not overlap it."
        ]
    }


def test_a_person_may_be_allocated_to_one_initiative_again_after_the_first_ends(executive, ada, initiative):
    # given Ada allocated to the initiative through Q1
    allocation_create(actor=executive, data=allocation(ada, initiative))
    # when she is allocated to it again from the day after
    second = allocation_create(actor=executive, data=allocation(ada, initiative, "20", APR_1, JUN_30))
    # then it is taken
    assert second.start_date == APR_1


def test_moving_an_allocations_dates_onto_another_is_refused(executive, ada, initiative):
    # given Ada on the initiative in Q1 and Q2, separately
    allocation_create(actor=executive, data=allocation(ada, initiative))
    second = allocation_create(actor=executive, data=allocation(ada, initiative, "20", APR_1, JUN_30))
    # when Q2's allocation is moved to start in March / then it is refused
    errors = refused(
        allocation_update, actor=executive, allocation=second, data={"start_date": datetime.date(2027, 3, 1)}
    )
    assert list(errors) == ["start_date"]


def test_an_allocation_in_the_far_future_is_refused(executive, ada, initiative):
    # when Ada is allocated from 2999 / then it is refused on the start date
    errors = refused(
        allocation_create,
        actor=executive,
        data=allocation(ada, initiative, start=datetime.date(2999, 1, 1), end=None),
    )
    assert list(errors) == ["start_date"]
    assert "ten years from today" in errors["start_date"][0]
