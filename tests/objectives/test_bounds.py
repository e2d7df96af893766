"""Sane bounds on the cascade's rows (issue 11): each refusal names the field and the bound, and
writes nothing; values at the bound are taken. The same rules hold on the API, the pages, imports
and the admin (their own tests), because they live in the models and the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from objectives.models import TaskStatus
from objectives.services import initiative_create, objective_create, task_create, task_update
from tests.factories import TaskFactory
from tests.objectives.database import nothing_written

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TEN_YEARS_ON = TODAY.replace(year=TODAY.year + 10) if (TODAY.month, TODAY.day) != (2, 29) else None


def refused(call, **kwargs) -> dict[str, list[str]]:
    with nothing_written(), pytest.raises(ValidationError) as raised:
        call(**kwargs)
    return raised.value.message_dict


@pytest.mark.parametrize(
    ("effort", "taken"), [(Decimal(2000), True), (Decimal("2000.01"), False), (Decimal("99999999.99"), False)]
)
def test_a_tasks_effort_is_at_most_the_setting(executive, effort, taken):
    # given the default bound of 2,000 hours a task
    data = {"title": "Estimate", "effort_hours": effort}
    if taken:
        # when a task of exactly 2,000 hours is created / then it is
        assert task_create(actor=executive, data=data).effort_hours == effort
    else:
        # when more / then it is refused, naming the bound
        errors = refused(task_create, actor=executive, data=data)
        assert errors == {"effort_hours": ["Must be at most 2,000 hours (the most a task's effort may be)."]}


def test_the_task_bound_follows_its_setting(executive, settings):
    # given an organization that set the bound to 40 hours
    settings.EXECGAP_MAX_TASK_EFFORT_HOURS = 40
    # when a task of 41 hours is created / then the refusal names the configured bound
    errors = refused(task_create, actor=executive, data={"title": "T", "effort_hours": Decimal(41)})
    assert errors == {"effort_hours": ["Must be at most 40 hours (the most a task's effort may be)."]}


def test_an_initiatives_estimate_is_at_most_its_setting(executive):
    # given the default bound of 20,000 hours an initiative
    # when an initiative of 20,000 hours and one of 20,001 are created
    taken = initiative_create(actor=executive, data={"title": "Big", "estimate_hours": Decimal(20000)})
    errors = refused(initiative_create, actor=executive, data={"title": "Too big", "estimate_hours": 20001})
    # then the first is and the second is refused, naming the bound
    assert taken.estimate_hours == 20000
    assert errors == {
        "estimate_hours": ["Must be at most 20,000 hours (the most an initiative's estimate may be)."]
    }


@pytest.mark.parametrize(
    ("field", "day", "message"),
    [
        ("start_date", datetime.date(1999, 12, 31), "Must be on or after 2000-01-01."),
        ("end_date", datetime.date(2999, 1, 1), "ten years from today"),
    ],
)
def test_objective_and_initiative_dates_lie_between_2000_and_ten_years_on(executive, field, day, message):
    # given a date before 2000 or far in the future
    # when an objective and an initiative are given it
    for create in (objective_create, initiative_create):
        errors = refused(create, actor=executive, data={"title": "Dated", field: day})
        # then each is refused on that field
        assert list(errors) == [field]
        assert message in errors[field][0]


def test_a_plan_date_ten_years_on_is_taken_and_a_day_more_is_not(executive):
    if TEN_YEARS_ON is None:
        pytest.skip("29 February has no date ten years on")
    # given the last day of the plan's range
    last = TEN_YEARS_ON
    # when objectives end on it and the day after
    taken = objective_create(actor=executive, data={"title": "Long", "end_date": last})
    errors = refused(
        objective_create, actor=executive, data={"title": "Longer", "end_date": last + datetime.timedelta(1)}
    )
    # then the first is taken and the second refused, naming the last day
    assert taken.end_date == last
    assert errors == {"end_date": [f"Must be on or before {last.isoformat()} (ten years from today)."]}


def test_a_tasks_due_date_is_a_plan_date(executive):
    # given a due date in 1900
    # when a task is created with it / then it is refused
    errors = refused(
        task_create, actor=executive, data={"title": "Old", "due_date": datetime.date(1900, 1, 1)}
    )
    assert errors == {"due_date": ["Must be on or after 2000-01-01."]}


def test_a_task_is_not_completed_in_2999(executive):
    # given a completion time in 2999
    moment = datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)
    data = {"title": "Done later", "status": TaskStatus.DONE, "completed_at": moment}
    # when a done task is created with it / then it is refused, naming the last day allowed
    errors = refused(task_create, actor=executive, data=data)
    assert list(errors) == ["completed_at"]
    assert errors["completed_at"][0].endswith("(ten years from today).")


@pytest.mark.parametrize("status", [TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED])
def test_only_a_done_task_has_a_completion_time(executive, status):
    # given a task that is not done, with a completion time
    data = {"title": "Half", "status": status, "completed_at": timezone.now()}
    # when it is created / then it is refused on completed_at
    errors = refused(task_create, actor=executive, data=data)
    assert errors == {
        "completed_at": [f"Only a done task has a completion time (this one is '{status}'): leave it empty."]
    }


def test_a_task_leaving_done_loses_its_completion_time(executive, org):
    # given a done task with its completion time
    task = TaskFactory(organization=org, status=TaskStatus.DONE, completed_at=timezone.now())
    # when its status goes back to in progress
    changed = task_update(actor=executive, task=task, data={"status": TaskStatus.IN_PROGRESS})
    # then it has no completion time any more
    task.refresh_from_db()
    assert (changed.completed_at, task.completed_at, task.status) == (None, None, TaskStatus.IN_PROGRESS)


def test_a_task_leaving_done_while_keeping_its_completion_time_is_refused(executive, org):
    # given a done task
    done_at = timezone.now()
    task = TaskFactory(organization=org, status=TaskStatus.DONE, completed_at=done_at)
    # when a change sets it to todo and names a completion time too / then it is refused
    data = {"status": TaskStatus.TODO, "completed_at": done_at}
    errors = refused(task_update, actor=executive, task=task, data=data)
    assert list(errors) == ["completed_at"]


def test_a_change_that_keeps_a_task_done_keeps_its_completion_time(executive, org):
    # given a done task
    done_at = timezone.now()
    task = TaskFactory(organization=org, status=TaskStatus.DONE, completed_at=done_at)
    # when its title changes, and when its status is set to done again
    task_update(actor=executive, task=task, data={"title": "Renamed"})
    task_update(actor=executive, task=task, data={"status": TaskStatus.DONE})
    # then it keeps its completion time
    task.refresh_from_db()
    assert task.completed_at == done_at


def test_the_organizations_default_task_effort_is_bounded_like_a_task(admin):
    # when an admin sets the default effort of an unestimated task to 5,000 hours / then it is refused
    from execgap.services import organization_update

    with pytest.raises(ValidationError) as raised:
        organization_update(actor=admin, data={"default_task_effort_hours": Decimal(5000)})
    assert raised.value.message_dict == {
        "default_task_effort_hours": ["Must be at most 2,000 hours (the most a task's effort may be)."]
    }
