"""Initiative forms: who may use them, what a save records, what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Role
from objectives.models import Initiative
from objectives.services import initiative_update
from tests.factories import AllocationFactory, InitiativeFactory, ObjectiveFactory
from tests.web.conftest import org_url
from tests.web.plan.conftest import PLAN_MANAGERS, ROLES, last_revision

pytestmark = pytest.mark.django_db


def initiative_form(**overrides):
    data = {
        "title": "Self-serve onboarding",
        "description": "",
        "objective": "",
        "team": "",
        "owner": "",
        "status": "proposed",
        "start_date": "",
        "end_date": "",
        "estimate_hours": "",
        "reason": "",
    }
    return data | {key: str(value) for key, value in overrides.items()}


@pytest.mark.parametrize("role", ROLES)
def test_initiative_forms_open_for_the_plan_managers_only(client, sign_in_as, org, initiative, role):
    # given an initiative of the lead's team
    sign_in_as(role)
    # when each role opens the new, edit and delete forms
    statuses = [
        client.get(org_url("initiative_create", org)).status_code,
        client.get(org_url("initiative_edit", org, pk=initiative.pk)).status_code,
        client.get(org_url("initiative_delete", org, pk=initiative.pk)).status_code,
    ]
    # then leads, executives and admins may; members and viewers are refused
    assert statuses == [200 if role in PLAN_MANAGERS else 403] * 3


def test_another_teams_initiative_is_refused_to_a_lead(client, sign_in_as, org, their_objective, theirs):
    # given an initiative of a team the lead does not lead
    sign_in_as(Role.LEAD)
    other = InitiativeFactory(organization=org, objective=their_objective, team=theirs)
    # when they open its forms or post a change
    opened = [
        client.get(org_url(name, org, pk=other.pk)).status_code
        for name in ("initiative_edit", "initiative_delete")
    ]
    posted = client.post(org_url("initiative_edit", org, pk=other.pk), initiative_form(expected_version=1))
    # then every one is refused and the initiative is unchanged
    assert opened == [403, 403]
    assert posted.status_code == 403
    other.refresh_from_db()
    assert other.version == 1


def test_the_objective_in_the_address_is_preselected_with_its_team(client, sign_in_as, org, objective):
    # given a lead starting an initiative from their objective's page
    sign_in_as(Role.LEAD)
    # when they open the form with ?objective=
    form = client.get(org_url("initiative_create", org) + f"?objective={objective.pk}").context["form"]
    # then the objective and its team are chosen already
    assert (form["objective"].value(), form["team"].value()) == (objective.pk, objective.team_id)


def test_a_new_initiative_is_saved_with_its_reason(client, sign_in_as, org, objective, ours):
    # given the lead of the objective's team
    sign_in_as(Role.LEAD)
    # when they create an initiative for it with a reason
    response = client.post(
        org_url("initiative_create", org),
        initiative_form(objective=objective.pk, team=ours.pk, estimate_hours="120.5", reason="Q3 plan"),
    )
    # then it is saved as entered, and the history keeps the reason
    initiative = Initiative.objects.for_org(org).get()
    assert response["Location"] == org_url("initiative_detail", org, pk=initiative.pk)
    assert (initiative.objective, initiative.estimate_hours) == (objective, Decimal("120.5"))
    assert last_revision(Initiative, initiative.pk).history_change_reason == "Q3 plan"


def test_a_lead_cannot_create_an_initiative_for_another_teams_objective(
    client, sign_in_as, org, their_objective
):
    # given a lead
    sign_in_as(Role.LEAD)
    # when they post an initiative with no team for another team's objective
    response = client.post(org_url("initiative_create", org), initiative_form(objective=their_objective.pk))
    # then it is refused beside the team (the field that decides) and nothing is created
    assert response.status_code == 400
    assert "objective of one of your teams" in response.context["form"].errors["team"][0]
    assert not Initiative.objects.for_org(org).exists()


def test_an_invalid_initiative_keeps_the_input_and_changes_nothing(client, sign_in_as, org, initiative):
    # given an executive
    sign_in_as(Role.EXECUTIVE)
    # when they post a negative estimate and an end before the start
    response = client.post(
        org_url("initiative_edit", org, pk=initiative.pk),
        initiative_form(
            title="Renamed",
            estimate_hours="-5",
            start_date="2026-05-01",
            end_date="2026-04-01",
            expected_version=1,
        ),
    )
    # then the errors are beside the fields, the input is kept, and the initiative is unchanged
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["estimate_hours"] == ["Must not be negative."]
    assert errors["end_date"] == ["The end date cannot be before the start date."]
    assert 'value="Renamed"' in response.content.decode()
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version) == ("Checkout revamp", 1)


def test_another_organizations_objective_cannot_be_linked(client, sign_in_as, org, other_org, initiative):
    # given an objective of another organization
    sign_in_as(Role.ADMIN)
    elsewhere = ObjectiveFactory(organization=other_org)
    # when an admin posts it as the initiative's objective
    response = client.post(
        org_url("initiative_edit", org, pk=initiative.pk),
        initiative_form(objective=elsewhere.pk, expected_version=1),
    )
    # then the field refuses it and nothing changes
    assert response.status_code == 400
    assert response.context["form"].errors["objective"]
    initiative.refresh_from_db()
    assert initiative.objective_id != elsewhere.pk


def test_another_organizations_initiative_is_not_found(client, sign_in_as, org, other_org):
    # given an initiative of another organization
    sign_in_as(Role.ADMIN)
    elsewhere = InitiativeFactory(organization=other_org)
    # when its pages are asked for here, and its deletion posted
    statuses = [
        client.get(org_url(name, org, pk=elsewhere.pk)).status_code
        for name in ("initiative_edit", "initiative_delete")
    ]
    deleted = client.post(org_url("initiative_delete", org, pk=elsewhere.pk), {"expected_version": 1})
    # then it is not found, and it still exists
    assert statuses == [404, 404]
    assert deleted.status_code == 404
    assert Initiative.objects.filter(pk=elsewhere.pk).exists()


def test_a_stale_initiative_edit_keeps_the_input(client, sign_in_as, org, initiative, executive):
    # given an initiative changed by someone else after the form was opened at version 1
    sign_in_as(Role.EXECUTIVE)
    initiative_update(actor=executive, initiative=initiative, data={"status": "on_hold"})
    # when the form is saved
    response = client.post(
        org_url("initiative_edit", org, pk=initiative.pk),
        initiative_form(title="Mine", status="active", expected_version=1),
    )
    # then it is refused with the stale message, the input kept, and their change stays
    assert response.status_code == 400
    assert "Someone else changed this" in response.content.decode()
    assert 'value="Mine"' in response.content.decode()
    initiative.refresh_from_db()
    assert (initiative.title, initiative.status) == ("Checkout revamp", "on_hold")


def test_deleting_an_initiative_deletes_its_allocations_and_unlinks_its_tasks(
    client, sign_in_as, org, objective, initiative, task
):
    # given the lead of an initiative with an allocation and a task
    sign_in_as(Role.LEAD)
    AllocationFactory(organization=org, initiative=initiative)
    # when they open the confirmation and confirm with a reason
    confirm = client.get(org_url("initiative_delete", org, pk=initiative.pk)).content.decode()
    response = client.post(
        org_url("initiative_delete", org, pk=initiative.pk),
        {"expected_version": 1, "reason": "Descoped", "confirmed": "allocations:1"},  # what the page showed
    )
    # then they were told, the initiative is gone (reason kept), and the task is kept without its link
    assert "1 allocation will be deleted with it." in confirm
    assert "1 task will lose its link to it (and be kept)." in confirm
    assert response["Location"] == org_url("objective_detail", org, pk=objective.pk)
    assert not Initiative.objects.for_org(org).exists()
    assert last_revision(Initiative, initiative.pk).history_change_reason == "Descoped"
    task.refresh_from_db()
    assert task.initiative_id is None
