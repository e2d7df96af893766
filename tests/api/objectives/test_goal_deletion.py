"""Deleting a goal over the API loses nothing without saying so (issue 11): a goal with key results,
check-ins, feedback or allocations is deleted only with `?cascade=true` (else 409, listing them), and
never while open blockers are raised on it."""

from __future__ import annotations

import pytest

from feedback.models import CheckIn, FeedbackItem, FeedbackStatus
from objectives.models import Initiative, KeyResult, Objective
from resources.models import Allocation
from tests.api.resources.support import client_for, url
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
)
from tests.objectives.database import nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(admin):
    return client_for(admin)


@pytest.fixture
def objective(org):
    return ObjectiveFactory(organization=org, title="Grow revenue")


def test_an_objective_with_key_results_and_check_ins_is_not_deleted_without_cascade(org, client, objective):
    # given an objective with two key results and a check-in
    results = KeyResultFactory.create_batch(2, organization=org, objective=objective)
    check_in = CheckInFactory(organization=org, objective=objective)
    # when it is deleted without ?cascade=true
    with nothing_written():
        response = client.delete(url(org, f"objectives/{objective.pk}/"))
    # then nothing is deleted and the answer lists what would have gone
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Deleting this objective also deletes 2 key results and 1 check-in. "
        "Send ?cascade=true to delete them with it.",
        "cascade": [
            {"kind": "key_results", "noun": "key result", "count": 2, "ids": sorted(r.pk for r in results)},
            {"kind": "check_ins", "noun": "check-in", "count": 1, "ids": [check_in.pk]},
        ],
    }


def test_with_cascade_the_objective_goes_with_its_key_results_and_check_ins(org, client, objective):
    # given an objective with a key result, a check-in and resolved feedback
    KeyResultFactory(organization=org, objective=objective)
    CheckInFactory(organization=org, objective=objective)
    FeedbackItemFactory(organization=org, objective=objective, status=FeedbackStatus.RESOLVED)
    # when it is deleted with ?cascade=true
    response = client.delete(url(org, f"objectives/{objective.pk}/?cascade=true"))
    # then it is gone, with them
    assert response.status_code == 204
    assert not Objective.objects.for_org(org).exists()
    assert not KeyResult.objects.for_org(org).exists()
    assert not CheckIn.objects.for_org(org).exists()
    assert not FeedbackItem.objects.for_org(org).exists()


def test_an_objective_with_nothing_attached_needs_no_cascade(org, client, objective):
    # when a bare objective is deleted / then it simply is
    assert client.delete(url(org, f"objectives/{objective.pk}/")).status_code == 204
    assert not Objective.objects.for_org(org).exists()


@pytest.mark.parametrize("status", [FeedbackStatus.OPEN, FeedbackStatus.ACKNOWLEDGED])
def test_an_open_blocker_refuses_the_deletion_even_with_cascade(org, client, objective, status):
    # given a blocker raised on the objective, not yet resolved
    FeedbackItemFactory(organization=org, objective=objective, kind="blocker", status=status)
    # when it is deleted, even with ?cascade=true
    with nothing_written():
        response = client.delete(url(org, f"objectives/{objective.pk}/?cascade=true"))
    # then it is refused, naming the blocker and what to do
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["It still has 1 open blocker: resolve or move it first."]}


def test_open_feedback_other_than_blockers_asks_and_then_goes(org, client, objective):
    # given an open idea raised on the objective
    idea = FeedbackItemFactory(organization=org, objective=objective, kind="idea")
    # when it is deleted without and then with cascade
    asked = client.delete(url(org, f"objectives/{objective.pk}/"))
    done = client.delete(url(org, f"objectives/{objective.pk}/?cascade=true"))
    # then the first lists the feedback item and the second deletes both
    assert asked.status_code == 409
    assert asked.json()["cascade"] == [
        {"kind": "feedback", "noun": "feedback item", "count": 1, "ids": [idea.pk]}
    ]
    assert done.status_code == 204
    assert not FeedbackItem.objects.for_org(org).exists()


def test_an_initiative_with_allocations_asks_before_they_go(org, client, objective):
    # given an initiative with an allocation
    initiative = InitiativeFactory(organization=org, objective=objective)
    allocation = AllocationFactory(organization=org, initiative=initiative)
    # when it is deleted without and then with cascade
    asked = client.delete(url(org, f"initiatives/{initiative.pk}/"))
    done = client.delete(url(org, f"initiatives/{initiative.pk}/?cascade=1"))
    # then the first is 409 naming the allocation, the second deletes both
    assert (asked.status_code, asked.json()["cascade"][0]["ids"]) == (409, [allocation.pk])
    assert done.status_code == 204
    assert not Initiative.objects.for_org(org).exists()
    assert not Allocation.objects.for_org(org).exists()


def test_an_initiative_with_an_open_blocker_is_not_deleted(org, client, objective):
    initiative = InitiativeFactory(organization=org, objective=objective)
    FeedbackItemFactory(organization=org, initiative=initiative, kind="blocker")
    response = client.delete(url(org, f"initiatives/{initiative.pk}/?cascade=true"))
    assert response.status_code == 400
    assert Initiative.objects.for_org(org).exists()


def test_a_cascade_that_is_not_a_boolean_is_refused(org, client, objective):
    response = client.delete(url(org, f"objectives/{objective.pk}/?cascade=please"))
    assert (response.status_code, response.json()) == (400, {"cascade": ["Send true or false."]})


def test_child_objectives_still_refuse_before_the_cascade_is_asked(org, client, objective):
    # given an objective with a child objective and a key result
    ObjectiveFactory(organization=org, parent=objective)
    KeyResultFactory(organization=org, objective=objective)
    # when it is deleted / then the child refuses it (400), whatever the cascade
    response = client.delete(url(org, f"objectives/{objective.pk}/?cascade=true"))
    assert response.status_code == 400
    assert "child objective" in response.json()["non_field_errors"][0]
