"""Dates of what happened (issue 11): check-ins, feedback and recognitions are dated from 2000-01-01
to ten years after today (the one range of every date), refused on the field otherwise."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback.services import check_in_create, feedback_create, recognition_create
from tests.conftest import person_of
from tests.factories import ObjectiveFactory, PersonFactory
from tests.objectives.database import nothing_written

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
FAR_AHEAD = datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)


def refused(call, **kwargs) -> dict[str, list[str]]:
    with nothing_written(), pytest.raises(ValidationError) as raised:
        call(**kwargs)
    return raised.value.message_dict


@pytest.fixture
def objective(org):
    return ObjectiveFactory(organization=org)


def test_a_check_in_is_not_dated_2999(executive, objective):
    # when a check-in is dated 2999 / then it is refused on its date, naming the last day allowed
    data = {"objective": objective, "date": datetime.date(2999, 1, 1), "confidence": 5}
    errors = refused(check_in_create, actor=executive, data=data)
    assert list(errors) == ["date"]
    assert errors["date"][0].endswith("(ten years from today).")


def test_a_check_in_dated_within_the_range_is_taken(executive, objective):
    # given a date next year (a what-if, or a time zone ahead)
    later = timezone.localdate() + datetime.timedelta(days=300)
    # when a check-in is dated then / then it is taken
    check_in = check_in_create(actor=executive, data={"objective": objective, "date": later})
    assert check_in.date == later


def test_a_check_in_before_2000_is_refused(executive, objective):
    errors = refused(
        check_in_create, actor=executive, data={"objective": objective, "date": datetime.date(1999, 12, 31)}
    )
    assert errors == {"date": ["Must be on or after 2000-01-01."]}


@pytest.mark.parametrize(("field", "moment"), [("created_at", LONG_AGO), ("created_at", FAR_AHEAD)])
def test_feedback_is_not_created_in_1900_or_2999(executive, objective, field, moment):
    # when feedback is raised with a created time out of range / then it is refused on that field
    data = {"kind": "blocker", "objective": objective, "text": "Stuck", field: moment}
    errors = refused(feedback_create, actor=executive, data=data)
    assert list(errors) == [field]


def test_a_recognition_is_not_dated_1900(executive, org):
    # when a recognition is dated 1900 / then it is refused on created_at
    data = {
        "from_person": person_of(executive),
        "to_person": PersonFactory(organization=org),
        "message": "Thanks",
        "created_at": LONG_AGO,
    }
    errors = refused(recognition_create, actor=executive, data=data)
    assert errors == {"created_at": ["Must be on or after 2000-01-01."]}
