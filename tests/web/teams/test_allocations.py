"""Staffing forms: add, change and remove an allocation through the service, with its reason in the
plan history; leads staff their own teams' initiatives, executives and admins any."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Role
from execgap.web.forms import STALE_MESSAGE
from resources.models import Allocation
from tests.factories import AllocationFactory, InitiativeFactory, ObjectiveFactory, PersonFactory
from tests.web.conftest import ROLES, org_url, query_count

pytestmark = pytest.mark.django_db

ANY_TEAM = {Role.EXECUTIVE, Role.ADMIN}


def form_data(initiative, person, **overrides):
    return {
        "initiative": initiative.pk, "person": person.pk, "hours_per_week": "12", "start_date": "",
        "end_date": "", "reason": "Staffing the launch",
    } | overrides  # fmt: skip


def last_reason(allocation_id: int) -> str:
    return Allocation.history.filter(id=allocation_id).order_by("-history_id").first().history_change_reason


# --- add --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_the_allocation_form(client, signed_in, org, team_setup, role):
    setup = team_setup(tasks=0)
    signed_in(role)
    response = client.get(org_url("allocation_create", org), {"initiative": setup.initiative.pk})
    assert response.status_code == (200 if role in ANY_TEAM | {Role.LEAD} else 403)


def test_a_lead_staffs_their_teams_initiative_and_the_change_is_in_the_plan_history(client, org, team_setup):
    # given a team's lead and its unstaffed initiative
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    next_url = org_url("team_workspace", org, pk=setup.team.pk)
    # when they add an allocation of the member, coming from the workspace
    response = client.post(
        org_url("allocation_create", org) + f"?next={next_url}",
        form_data(setup.initiative, setup.member_person),
    )
    # then it exists, with the reason in the plan history, and the workspace shows it
    allocation = Allocation.objects.get(initiative=setup.initiative)
    assert (allocation.person_id, allocation.hours_per_week) == (setup.member_person.pk, Decimal(12))
    assert last_reason(allocation.pk) == "Staffing the launch"
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert "now gives 12 h/week" in client.get(next_url).content.decode()


def test_without_next_the_initiatives_page_comes_next(client, org, team_setup):
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    response = client.post(
        org_url("allocation_create", org) + "?next=https://evil.example/",
        form_data(setup.initiative, setup.member_person),
    )
    assert response["Location"] == org_url("initiative_detail", org, pk=setup.initiative.pk)


def test_the_form_preselects_the_initiative_and_the_person(client, org, team_setup):
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    page = client.get(
        org_url("allocation_create", org),
        {"initiative": setup.initiative.pk, "person": setup.member_person.pk},
    ).content.decode()
    assert f'<option value="{setup.initiative.pk}" selected>' in page
    assert f'<option value="{setup.member_person.pk}" selected>' in page
    assert f"Add an allocation to {setup.initiative.title}" in page


def test_a_lead_is_offered_only_their_teams_initiatives(client, org, team_setup):
    # given the team's initiative, one under the team's objective with no team, and another team's
    mine, theirs = team_setup(name="Mine"), team_setup(name="Theirs")
    via_objective = InitiativeFactory(
        organization=org, objective=mine.objective, title="Through the objective"
    )
    client.force_login(mine.lead.user)
    # when the lead opens the form, then asks its initiative picker for every initiative (Find)
    url = org_url("allocation_create", org)
    form = client.get(url).content.decode()
    page = client.post(url, {"_find": "initiative", "initiative__q": ""}).content.decode()
    page = page[page.index('<select name="initiative"') :]
    page = page[: page.index("</select>")]
    # then their team's two initiatives are offered, not the other team's, and the picker searches
    # the same initiatives as they type
    assert f'<option value="{mine.initiative.pk}"' in page
    assert f'<option value="{via_objective.pk}"' in page
    assert f'<option value="{theirs.initiative.pk}"' not in page
    assert "goals/search/?kind=initiative&amp;scope=staffing" in form


def test_a_lead_may_not_staff_another_teams_initiative(client, org, team_setup):
    # given two teams
    mine, theirs = team_setup(name="Mine"), team_setup(name="Theirs")
    client.force_login(mine.lead.user)
    # when the lead posts an allocation to the other team's initiative
    response = client.post(
        org_url("allocation_create", org), form_data(theirs.initiative, mine.member_person)
    )
    # then it is refused beside the initiative, and nothing is created
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Allocation.objects.exists()


@pytest.mark.parametrize("role", sorted(ANY_TEAM))
def test_executives_and_admins_staff_any_initiative(client, signed_in, org, team_setup, role):
    setup = team_setup(tasks=0)
    signed_in(role)
    response = client.post(
        org_url("allocation_create", org), form_data(setup.initiative, setup.member_person)
    )
    assert response.status_code == 302
    assert Allocation.objects.filter(initiative=setup.initiative).count() == 1


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_may_not_staff(client, signed_in, org, team_setup, role):
    setup = team_setup(tasks=0)
    signed_in(role)
    response = client.post(
        org_url("allocation_create", org), form_data(setup.initiative, setup.member_person)
    )
    assert response.status_code == 403
    assert not Allocation.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"hours_per_week": "-3"}, "hours_per_week", "Must not be negative."),
        ({"hours_per_week": ""}, "hours_per_week", "This field is required."),
        ({"start_date": "2026-06-10", "end_date": "2026-06-01"}, "end_date", ""),
    ],
)
def test_invalid_input_is_shown_beside_its_field_kept_and_nothing_is_saved(
    client, org, team_setup, overrides, field, message
):
    # given a lead
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    # when they post invalid input
    data = form_data(setup.initiative, setup.member_person, **overrides)
    response = client.post(org_url("allocation_create", org), data)
    # then the form comes back (400) with the error beside the field and the input kept
    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in page
    assert message in page
    assert 'name="reason"' in page
    assert "Staffing the launch" in page
    assert not Allocation.objects.exists()


def test_another_organizations_person_or_initiative_is_a_field_error(client, org, other_org, team_setup):
    # given a person and an initiative of the other organization
    setup = team_setup(tasks=0)
    foreign_person = PersonFactory(organization=other_org)
    foreign_initiative = InitiativeFactory(organization=other_org)
    client.force_login(setup.lead.user)
    # when each is posted
    for data in (
        form_data(setup.initiative, foreign_person),
        form_data(foreign_initiative, setup.member_person),
    ):
        response = client.post(org_url("allocation_create", org), data)
        # then it is refused beside its field, and nothing is created
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
    assert not Allocation.objects.exists()


def test_another_organizations_initiative_is_not_preselected(client, org, other_org, team_setup):
    setup = team_setup(tasks=0)
    foreign = InitiativeFactory(organization=other_org, title="Their secret plan")
    client.force_login(setup.lead.user)
    page = client.get(org_url("allocation_create", org), {"initiative": foreign.pk}).content.decode()
    assert "Their secret plan" not in page


@pytest.mark.parametrize("name", ["allocation_create", "allocation_edit", "allocation_delete"])
def test_the_forms_run_as_many_queries_with_three_times_the_initiatives_and_people(
    client, signed_in, org, name
):
    # given an executive, an allocation, and a few people and initiatives to choose from
    signed_in(Role.EXECUTIVE)
    allocation = AllocationFactory(organization=org)
    url = org_url(name, org) if name == "allocation_create" else org_url(name, org, pk=allocation.pk)

    def grow(count: int) -> None:
        for _ in range(count):
            person = PersonFactory(organization=org)
            initiative = InitiativeFactory(organization=org, objective=ObjectiveFactory(organization=org))
            AllocationFactory(organization=org, person=person, initiative=initiative)

    grow(2)
    client.get(url)  # the session's first write is not the page's
    small = query_count(client, url)
    # when there are three times as many
    grow(4)
    # then the form runs the same queries, and few
    assert query_count(client, url) == small
    assert small <= 15


# --- change -----------------------------------------------------------------------------------------


def test_a_lead_changes_an_allocation_with_a_reason(client, org, team_setup):
    # given an allocation to the team's initiative
    setup = team_setup(tasks=0)
    allocation = AllocationFactory(organization=org, initiative=setup.initiative, person=setup.member_person)
    client.force_login(setup.lead.user)
    # when the lead changes its hours
    data = form_data(setup.initiative, setup.member_person, hours_per_week="20", reason="More time for it")
    response = client.post(
        org_url("allocation_edit", org, pk=allocation.pk), data | {"expected_version": allocation.version}
    )
    # then it is saved through the service, with the reason in the history
    allocation.refresh_from_db()
    assert response.status_code == 302
    assert allocation.hours_per_week == Decimal(20)
    assert last_reason(allocation.pk) == "More time for it"


def test_a_stale_change_is_refused_and_the_input_kept(client, org, team_setup):
    # given an allocation someone else changed after the lead opened it
    setup = team_setup(tasks=0)
    allocation = AllocationFactory(organization=org, initiative=setup.initiative, person=setup.member_person)
    client.force_login(setup.lead.user)
    seen = allocation.version
    Allocation.objects.filter(pk=allocation.pk).update(version=seen + 1, hours_per_week=Decimal(5))
    # when the lead saves their change
    data = form_data(setup.initiative, setup.member_person, hours_per_week="20") | {"expected_version": seen}
    response = client.post(org_url("allocation_edit", org, pk=allocation.pk), data)
    # then it is refused, nothing overwritten, and their input is still in the form
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else changed this while you were editing it." in page
    assert STALE_MESSAGE.split(":")[0] in page
    assert 'value="20"' in page
    assert Allocation.objects.get(pk=allocation.pk).hours_per_week == Decimal(5)


def test_the_lead_of_another_team_may_not_change_an_allocation(client, org, team_setup):
    setup, other = team_setup(name="First"), team_setup(name="Second")
    allocation = AllocationFactory(organization=org, initiative=setup.initiative, person=setup.member_person)
    client.force_login(other.lead.user)
    assert client.get(org_url("allocation_edit", org, pk=allocation.pk)).status_code == 403
    assert client.post(org_url("allocation_delete", org, pk=allocation.pk)).status_code == 403
    assert Allocation.objects.filter(pk=allocation.pk).exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_may_not_change_or_remove(client, signed_in, org, team_setup, role):
    setup = team_setup(tasks=0)
    allocation = AllocationFactory(organization=org, initiative=setup.initiative)
    signed_in(role)
    assert client.get(org_url("allocation_edit", org, pk=allocation.pk)).status_code == 403
    assert client.get(org_url("allocation_delete", org, pk=allocation.pk)).status_code == 403


def test_another_organizations_allocation_is_a_404(client, signed_in, org, other_org):
    foreign = AllocationFactory(organization=other_org)
    signed_in(Role.ADMIN)
    assert client.get(org_url("allocation_edit", org, pk=foreign.pk)).status_code == 404
    assert client.post(org_url("allocation_delete", org, pk=foreign.pk)).status_code == 404
    assert Allocation.objects.filter(pk=foreign.pk).exists()


# --- remove -----------------------------------------------------------------------------------------


def test_a_lead_removes_an_allocation_with_a_reason(client, org, team_setup):
    # given an allocation to the team's initiative
    setup = team_setup(tasks=0)
    allocation = AllocationFactory(organization=org, initiative=setup.initiative, person=setup.member_person)
    client.force_login(setup.lead.user)
    # when the lead confirms its removal
    page = client.get(org_url("allocation_delete", org, pk=allocation.pk)).content.decode()
    assert "Remove the allocation" in page
    response = client.post(
        org_url("allocation_delete", org, pk=allocation.pk),
        {"expected_version": allocation.version, "reason": "Moved to another project"},
    )
    # then it is gone, the history keeps why, and the initiative's page comes next
    assert not Allocation.objects.filter(pk=allocation.pk).exists()
    assert last_reason(allocation.pk) == "Moved to another project"
    assert response["Location"] == org_url("initiative_detail", org, pk=setup.initiative.pk)


def test_a_stale_removal_is_refused(client, org, team_setup):
    setup = team_setup(tasks=0)
    allocation = AllocationFactory(organization=org, initiative=setup.initiative)
    client.force_login(setup.lead.user)
    response = client.post(
        org_url("allocation_delete", org, pk=allocation.pk), {"expected_version": allocation.version - 1}
    )
    assert response.status_code == 400
    assert "Someone else changed this" in response.content.decode()
    assert Allocation.objects.filter(pk=allocation.pk).exists()
