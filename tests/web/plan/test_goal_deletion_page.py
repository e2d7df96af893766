"""The delete pages of goals lose nothing without saying so (issue 11): they list what goes with the
goal, the confirmation deletes exactly what was listed (rows added meanwhile make the page ask
again), and open blockers refuse the deletion. Bounds refused on the forms name the field and bound."""

from __future__ import annotations

import pytest

from execgap.models import Role
from feedback.models import FeedbackItem
from objectives.models import KeyResult, Objective, Task
from tests.factories import CheckInFactory, FeedbackItemFactory, KeyResultFactory
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db


def test_the_page_lists_what_goes_and_the_confirmation_deletes_it(client, sign_in_as, org, objective):
    # given an objective with a key result and a check-in
    sign_in_as(Role.EXECUTIVE)
    KeyResultFactory(organization=org, objective=objective)
    CheckInFactory(organization=org, objective=objective)
    # when the delete page is opened
    page = client.get(org_url("objective_delete", org, pk=objective.pk)).content.decode()
    # then it names both, and carries what it showed into its confirmation
    assert "1 key result will be deleted with it." in page
    assert "1 check-in will be deleted with it." in page
    assert 'name="confirmed" value="key_results:1;check_ins:1"' in page
    # and confirming it deletes them all
    response = client.post(
        org_url("objective_delete", org, pk=objective.pk),
        {"expected_version": 1, "confirmed": "key_results:1;check_ins:1"},
    )
    assert response.status_code == 302
    assert not Objective.objects.for_org(org).exists()


def test_rows_added_after_the_page_was_shown_make_it_ask_again(client, sign_in_as, org, objective):
    # given the page shown with one key result, and a second added since
    sign_in_as(Role.EXECUTIVE)
    KeyResultFactory(organization=org, objective=objective)
    client.get(org_url("objective_delete", org, pk=objective.pk))
    KeyResultFactory(organization=org, objective=objective)
    # when the confirmation of what was shown is posted
    response = client.post(
        org_url("objective_delete", org, pk=objective.pk),
        {"expected_version": 1, "confirmed": "key_results:1"},
    )
    # then nothing is deleted and the page lists what goes now, asking again
    page = response.content.decode()
    assert response.status_code == 400
    assert "Deleting this objective also deletes 2 key results. Confirm to delete them with it." in page
    assert 'name="confirmed" value="key_results:2"' in page
    assert KeyResult.objects.for_org(org).count() == 2


def test_an_open_blocker_refuses_the_deletion_on_the_page(client, sign_in_as, org, objective):
    # given a blocker raised on the objective, still open
    sign_in_as(Role.EXECUTIVE)
    FeedbackItemFactory(organization=org, objective=objective, kind="blocker")
    # when the page is opened and the deletion confirmed
    page = client.get(org_url("objective_delete", org, pk=objective.pk)).content.decode()
    response = client.post(org_url("objective_delete", org, pk=objective.pk), {"expected_version": 1})
    # then the page says it cannot be deleted yet, and the blocker and the objective stay
    assert "It still has 1 open blocker: resolve or move it first." in page
    assert response.status_code == 400
    assert "Nothing was deleted." in response.content.decode()
    assert FeedbackItem.objects.for_org(org).exists()
    assert Objective.objects.for_org(org).exists()


def test_a_task_form_refuses_an_effort_past_the_bound_naming_it(client, sign_in_as, org, task):
    # given a task of an objective's initiative
    sign_in_as(Role.EXECUTIVE)
    # when its effort is set to 99,999,999.99 hours on its edit form
    form = {"title": task.title, "status": "todo", "effort_hours": "99999999.99", "expected_version": 1}
    response = client.post(org_url("task_edit", org, pk=task.pk), form)
    # then the form is shown again with the bound named, and the task keeps its effort
    assert response.status_code == 400
    assert "Must be at most 2,000 hours (the most a task&#x27;s effort may be)." in response.content.decode()
    task.refresh_from_db()
    assert task.effort_hours != Task._meta.get_field("effort_hours").to_python("99999999.99")
