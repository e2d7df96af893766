"""Every plan form page runs as many queries for a large plan as for a small one."""

from __future__ import annotations

import pytest

from execgap.models import Role
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
    TeamFactory,
)
from tests.web.conftest import org_url, query_count

pytestmark = pytest.mark.django_db

PAGES = [
    ("objective_create", lambda rows: {}),
    ("objective_edit", lambda rows: {"pk": rows["objective"].pk}),
    ("objective_delete", lambda rows: {"pk": rows["objective"].pk}),
    ("key_result_create", lambda rows: {"objective_pk": rows["objective"].pk}),
    ("key_result_edit", lambda rows: {"pk": rows["key_result"].pk}),
    ("key_result_delete", lambda rows: {"pk": rows["key_result"].pk}),
    ("initiative_create", lambda rows: {}),
    ("initiative_edit", lambda rows: {"pk": rows["initiative"].pk}),
    ("initiative_delete", lambda rows: {"pk": rows["initiative"].pk}),
    ("task_create", lambda rows: {}),
    ("task_edit", lambda rows: {"pk": rows["task"].pk}),
    ("task_delete", lambda rows: {"pk": rows["task"].pk}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=[name for name, _ in PAGES])
def test_a_form_page_does_not_run_more_queries_as_the_plan_grows(client, sign_in_as, org, ours, name, kwargs):
    # given the lead of a team with one row of each kind
    sign_in_as(Role.LEAD)
    objective = ObjectiveFactory(organization=org, team=ours)
    key_result = KeyResultFactory(organization=org, objective=objective)
    initiative = InitiativeFactory(organization=org, objective=objective, team=ours)
    task = TaskFactory(organization=org, initiative=initiative, team=ours)
    url = org_url(name, org, **kwargs(locals()))
    client.get(url)  # the session's first request does one-off work

    def grow(count):
        # rows the forms offer, and rows linked to the ones being deleted
        for _ in range(count):
            team = TeamFactory(organization=org, parent=ours)
            person = PersonFactory(organization=org, team=team)
            ObjectiveFactory(organization=org, parent=objective, team=team, owner=person)
            KeyResultFactory(organization=org, objective=objective)
            TaskFactory(organization=org, objective=objective, assignee=person)
            CheckInFactory(organization=org, key_result=key_result)
            AllocationFactory(organization=org, initiative=initiative, person=person)

    grow(3)
    few = query_count(client, url)
    grow(6)
    many = query_count(client, url)
    # then the page's queries stay the same (and few)
    assert few == many
    assert many <= 25
