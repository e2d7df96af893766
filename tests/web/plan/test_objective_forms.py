"""Objective forms: who may use them, what a save records, what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Role
from objectives.models import KeyResult, Objective
from objectives.services import objective_update
from tests.factories import InitiativeFactory, ObjectiveFactory, TeamFactory
from tests.web.conftest import org_url, query_count
from tests.web.plan.conftest import PLAN_MANAGERS, ROLES, last_revision

pytestmark = pytest.mark.django_db


def objective_form(**overrides):
    data = {
        "title": "Win the mid-market",
        "description": "",
        "parent": "",
        "team": "",
        "owner": "",
        "status": "active",
        "priority_weight": "2",
        "start_date": "",
        "end_date": "",
        "reason": "",
    }
    return data | {key: str(value) for key, value in overrides.items()}


# Who may open the forms ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_leads_executives_and_admins_may_open_the_new_objective_form(client, sign_in_as, org, role):
    # given a member of each role
    sign_in_as(role)
    # when they open the new objective form
    response = client.get(org_url("objective_create", org))
    # then the plan's managers get the form and the others are refused
    assert response.status_code == (200 if role in PLAN_MANAGERS else 403)


@pytest.mark.parametrize("role", ROLES)
def test_the_edit_form_of_another_teams_objective_is_refused_to_a_lead(
    client, sign_in_as, org, their_objective, role
):
    # given an objective of a team the lead does not lead
    sign_in_as(role)
    # when each role opens its edit form
    response = client.get(org_url("objective_edit", org, pk=their_objective.pk))
    # then only executives and admins may change it
    assert response.status_code == (200 if role in (Role.ADMIN, Role.EXECUTIVE) else 403)


@pytest.mark.parametrize("role", ROLES)
def test_the_edit_form_of_their_own_teams_objective_opens_for_its_lead(
    client, sign_in_as, org, objective, role
):
    # given an objective of the lead's team
    sign_in_as(role)
    # when each role opens its edit and delete forms
    edit = client.get(org_url("objective_edit", org, pk=objective.pk))
    delete = client.get(org_url("objective_delete", org, pk=objective.pk))
    # then the lead may, like executives and admins; members and viewers may not
    expected = 200 if role in PLAN_MANAGERS else 403
    assert (edit.status_code, delete.status_code) == (expected, expected)


def test_another_organizations_objective_is_not_found(client, sign_in_as, org, other_org):
    # given an objective of another organization
    sign_in_as(Role.ADMIN)
    elsewhere = ObjectiveFactory(organization=other_org)
    # when an admin of this organization opens its pages by id
    pages = [
        client.get(org_url(name, org, pk=elsewhere.pk)) for name in ("objective_edit", "objective_delete")
    ]
    posted = client.post(org_url("objective_edit", org, pk=elsewhere.pk), objective_form())
    # then it does not exist here, and stays as it was
    assert [page.status_code for page in pages] == [404, 404]
    assert posted.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.version == 1


# Creating ------------------------------------------------------------------------------------------


def test_a_new_objective_is_saved_through_the_service_with_its_reason(client, sign_in_as, org, ours):
    # given an executive
    sign_in_as(Role.EXECUTIVE)
    # when they create an objective with a reason
    response = client.post(
        org_url("objective_create", org),
        objective_form(team=ours.pk, start_date="2026-01-01", end_date="2026-06-30", reason="Board ask"),
    )
    # then it exists as entered, and the plan history says who and why
    objective = Objective.objects.for_org(org).get(title="Win the mid-market")
    assert response.status_code == 302
    assert response["Location"] == org_url("objective_detail", org, pk=objective.pk)
    assert (objective.team, objective.priority_weight, str(objective.end_date)) == (
        ours,
        Decimal(2),
        "2026-06-30",
    )
    revision = last_revision(Objective, objective.pk)
    assert (revision.history_type, revision.history_change_reason) == ("+", "Board ask")
    # and the scores are marked for a recompute, as every plan change does
    org.refresh_from_db()
    assert org.scores_stale_since is not None


def test_the_parent_in_the_address_is_preselected_with_its_team(client, sign_in_as, org, objective):
    # given an executive starting an objective from its parent's page
    sign_in_as(Role.EXECUTIVE)
    # when they open the form with ?parent=
    response = client.get(org_url("objective_create", org) + f"?parent={objective.pk}")
    # then the parent and its team are chosen already
    form = response.context["form"]
    assert (form["parent"].value(), form["team"].value()) == (objective.pk, objective.team_id)
    assert "Grow revenue" in response.context["heading"]


def test_a_lead_is_offered_only_their_teams_and_cannot_create_for_another(
    client, sign_in_as, org, ours, theirs
):
    # given a lead of one team
    sign_in_as(Role.LEAD)
    # when they open the form, and post an objective for another team
    offered = list(client.get(org_url("objective_create", org)).context["form"].fields["team"].queryset)
    response = client.post(org_url("objective_create", org), objective_form(team=theirs.pk))
    # then only their team is offered, the other is refused beside the field, and nothing is created
    assert offered == [ours]
    assert response.status_code == 400
    assert response.context["form"].errors["team"]
    assert not Objective.objects.for_org(org).exists()


def test_a_lead_must_give_their_objective_one_of_their_teams(client, sign_in_as, org, ours):
    # given a lead
    sign_in_as(Role.LEAD)
    # when they post an objective with no team, then with theirs
    refused = client.post(org_url("objective_create", org), objective_form())
    saved = client.post(org_url("objective_create", org), objective_form(team=ours.pk))
    # then without a team it is refused beside the team field (their role reaches only their teams)
    assert refused.status_code == 400
    assert "choose one of your teams" in refused.context["form"].errors["team"][0]
    assert saved.status_code == 302
    assert Objective.objects.for_org(org).get().team == ours


def test_an_invalid_objective_shows_errors_beside_the_fields_and_keeps_the_input(client, sign_in_as, org):
    # given an executive
    sign_in_as(Role.EXECUTIVE)
    # when they post no title, a weight of zero and an end before the start
    response = client.post(
        org_url("objective_create", org),
        objective_form(
            title="", priority_weight="0", start_date="2026-06-01", end_date="2026-01-01", reason="Why not"
        ),
    )
    # then each error is beside its field, the input is kept, and nothing is created
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["title"] == ["This field is required."]
    assert errors["priority_weight"] == ["Must be greater than 0."]
    assert errors["end_date"] == ["The end date cannot be before the start date."]
    html = response.content.decode()
    assert 'value="2026-06-01"' in html
    assert "Why not" in html
    assert 'aria-invalid="true"' in html
    assert not Objective.objects.for_org(org).exists()


def test_another_organizations_team_cannot_be_chosen(client, sign_in_as, org, other_org):
    # given a team of another organization
    sign_in_as(Role.ADMIN)
    elsewhere = TeamFactory(organization=other_org)
    # when an admin posts an objective with that team's id
    response = client.post(org_url("objective_create", org), objective_form(team=elsewhere.pk))
    # then the field refuses it and nothing is created
    assert response.status_code == 400
    assert response.context["form"].errors["team"]
    assert not Objective.objects.for_org(org).exists()


# Changing ------------------------------------------------------------------------------------------


def test_a_lead_changes_their_teams_objective_with_a_reason(client, sign_in_as, org, objective, ours):
    # given the lead of the objective's team
    sign_in_as(Role.LEAD)
    # when they change its title and status with a reason
    response = client.post(
        org_url("objective_edit", org, pk=objective.pk) + "?next=/o/acme/strategy/",
        objective_form(
            title="Grow revenue 30%", team=ours.pk, status="achieved", expected_version=1, reason="Hit it"
        ),
    )
    # then the change is saved (a new version), the history keeps the reason, and ?next= is followed
    objective.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/o/acme/strategy/"
    assert (objective.title, objective.status, objective.version) == ("Grow revenue 30%", "achieved", 2)
    revision = last_revision(Objective, objective.pk)
    assert (revision.history_type, revision.history_change_reason) == ("~", "Hit it")


def test_an_unsafe_next_address_is_ignored(client, sign_in_as, org, objective, ours):
    # given an executive sent to the form from a link pointing away from ExecGap
    sign_in_as(Role.EXECUTIVE)
    # when they save
    response = client.post(
        org_url("objective_edit", org, pk=objective.pk) + "?next=https://evil.example/",
        objective_form(team=ours.pk, expected_version=1),
    )
    # then they land on the objective's page instead
    assert response["Location"] == org_url("objective_detail", org, pk=objective.pk)


def test_a_lead_cannot_move_their_objective_to_another_team(client, sign_in_as, org, objective, theirs):
    # given the lead of the objective's team
    sign_in_as(Role.LEAD)
    # when they post the objective with another team's id
    response = client.post(
        org_url("objective_edit", org, pk=objective.pk), objective_form(team=theirs.pk, expected_version=1)
    )
    # then the team field refuses it and the objective is unchanged
    assert response.status_code == 400
    assert response.context["form"].errors["team"]
    objective.refresh_from_db()
    assert (objective.team_id, objective.version) != (theirs.pk, 2)


def test_an_objective_is_not_offered_as_its_own_parent_nor_below_itself(client, sign_in_as, org, objective):
    # given an objective with a child, and an unrelated one
    sign_in_as(Role.EXECUTIVE)
    child = ObjectiveFactory(organization=org, parent=objective, title="Child")
    other = ObjectiveFactory(organization=org, title="Other")
    # when its edit form is opened, and its child is posted as its parent
    offered = set(
        client.get(org_url("objective_edit", org, pk=objective.pk)).context["form"].fields["parent"].queryset
    )
    response = client.post(
        org_url("objective_edit", org, pk=objective.pk),
        objective_form(parent=child.pk, expected_version=1),
    )
    # then only the unrelated one is offered, and the cycle is refused beside the field
    assert offered == {other}
    assert response.status_code == 400
    assert response.context["form"].errors["parent"]
    objective.refresh_from_db()
    assert objective.parent_id is None


def test_a_stale_edit_is_refused_with_the_input_kept(client, sign_in_as, org, objective, executive):
    # given an executive who opened the edit form (version 1) ...
    sign_in_as(Role.EXECUTIVE)
    form_version = (
        client.get(org_url("objective_edit", org, pk=objective.pk))
        .context["form"]["expected_version"]
        .value()
    )
    # ... while someone else saved a change
    objective_update(actor=executive, objective=objective, data={"title": "Their title"}, reason="Theirs")
    # when the first saves theirs
    response = client.post(
        org_url("objective_edit", org, pk=objective.pk),
        objective_form(title="My title", expected_version=form_version, reason="Mine"),
    )
    # then it is refused with the stale message, their input is kept, and the other change stays
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else changed this while you were editing it" in html
    assert 'value="My title"' in html
    objective.refresh_from_db()
    assert (objective.title, objective.version) == ("Their title", 2)


# Deleting ------------------------------------------------------------------------------------------


def test_deleting_an_objective_keeps_the_reason_and_deletes_its_key_results(
    client, sign_in_as, org, objective, key_result
):
    # given an executive on an objective with a key result
    sign_in_as(Role.EXECUTIVE)
    confirm = client.get(org_url("objective_delete", org, pk=objective.pk))
    # when they confirm its deletion with a reason
    response = client.post(
        org_url("objective_delete", org, pk=objective.pk),
        {"expected_version": 1, "reason": "Dropped", "confirmed": "key_results:1"},  # what the page showed
    )
    # then the page said the key result goes with it; both are gone, both revisions keep the reason
    assert "1 key result will be deleted with it." in confirm.content.decode()
    assert response.status_code == 302
    assert response["Location"] == org_url("strategy_map", org)
    assert not Objective.objects.for_org(org).exists()
    assert not KeyResult.objects.for_org(org).exists()
    assert last_revision(Objective, objective.pk).history_change_reason == "Dropped"
    assert last_revision(KeyResult, key_result.pk).history_change_reason == "Dropped"


def test_an_objective_with_initiatives_is_not_deleted_and_the_page_says_why(
    client, sign_in_as, org, objective
):
    # given an objective that an initiative serves
    sign_in_as(Role.EXECUTIVE)
    InitiativeFactory(organization=org, objective=objective)
    # when its deletion is confirmed
    response = client.post(org_url("objective_delete", org, pk=objective.pk), {"expected_version": 1})
    # then the refusal is shown and nothing is deleted
    assert response.status_code == 400
    assert "This objective still has 1 initiative: move or delete them first." in response.content.decode()
    assert Objective.objects.for_org(org).filter(pk=objective.pk).exists()


def test_a_stale_deletion_is_refused(client, sign_in_as, org, objective, executive):
    # given an objective changed after the confirmation page was opened
    sign_in_as(Role.EXECUTIVE)
    objective_update(actor=executive, objective=objective, data={"title": "Renamed"})
    # when the old confirmation is posted
    response = client.post(org_url("objective_delete", org, pk=objective.pk), {"expected_version": 1})
    # then nothing is deleted and the page says why
    assert response.status_code == 400
    assert "Someone else changed this" in response.content.decode()
    assert Objective.objects.for_org(org).filter(pk=objective.pk).exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_cannot_delete_an_objective(client, sign_in_as, org, objective, role):
    # given a member or viewer
    sign_in_as(role)
    # when they post its deletion
    response = client.post(org_url("objective_delete", org, pk=objective.pk), {"expected_version": 1})
    # then they are refused and it stays
    assert response.status_code == 403
    assert Objective.objects.for_org(org).filter(pk=objective.pk).exists()


def test_the_objective_form_runs_as_many_queries_for_many_rows_as_for_few(client, sign_in_as, org, objective):
    # given an executive, and an organization that then grows threefold
    sign_in_as(Role.EXECUTIVE)
    url = org_url("objective_edit", org, pk=objective.pk)

    def grow(count):
        for n in range(count):
            team = TeamFactory(organization=org)
            ObjectiveFactory(organization=org, parent=objective, team=team, title=f"Sub {n}")

    client.get(url)  # the session's first request does one-off work
    grow(5)
    few = query_count(client, url)
    grow(10)
    many = query_count(client, url)
    # then the form's queries do not grow with the rows it offers
    assert few == many
    assert many <= 20
