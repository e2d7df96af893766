"""People in the settings: every member reads the list; only admins create, edit and delete."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Role
from execgap.web.forms import STALE_MESSAGE
from resources.models import Allocation, Person
from tests.conftest import person_of
from tests.factories import (
    AllocationFactory,
    InitiativeFactory,
    MembershipFactory,
    ObjectiveFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)
from tests.web.conftest import org_url, query_count
from tests.web.settings.conftest import OTHER_ROLES, field_errors, form_errors, options

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(org):
    return TeamFactory(organization=org, name="Sales")


@pytest.fixture
def bea(org, team):
    return PersonFactory(
        organization=org, name="Bea", email="bea@example.com", team=team, weekly_capacity_hours=Decimal(32)
    )


@pytest.mark.parametrize("role", tuple(Role))
def test_every_role_reads_the_people_with_team_capacity_and_status(client, signed_in, org, bea, role):
    # given a member of any role, and Bea (Sales, 32 h a week) and an inactive person
    signed_in(role)
    PersonFactory(organization=org, name="Carl", active=False)
    # when they open the people
    response = client.get(org_url("settings_people", org))
    # then each person shows with their team, hours per week and status in words
    assert response.status_code == 200
    html = response.content.decode()
    assert '<th scope="row">Bea</th>' in html
    assert '<td class="num">32</td>' in html
    assert ">Sales</td>" in html
    assert "Inactive" in html
    # and only an admin is offered the changes
    allowed = role is Role.ADMIN
    assert ("New person" in html) is allowed
    assert ('aria-label="Edit Bea"' in html) is allowed


def test_the_people_can_be_filtered_by_team_and_by_name(client, signed_in, org, team, bea):
    # given a viewer, Bea in Sales and Dan in no team
    signed_in(Role.VIEWER, person=False)
    PersonFactory(organization=org, name="Dan", email="dan@example.com")
    url = org_url("settings_people", org)
    # when they filter by team, then by a part of an email
    by_team = client.get(url, {"team": team.pk}).content.decode()
    by_text = client.get(url, {"q": "dan@"}).content.decode()
    # then each shows only who matches
    assert ">Bea<" in by_team
    assert ">Dan<" not in by_team
    assert ">Dan<" in by_text
    assert ">Bea<" not in by_text


def test_another_organizations_team_is_no_filter(client, signed_in, org, other_org, bea):
    # given a viewer, and a team of another organization
    signed_in(Role.VIEWER, person=False)
    theirs = TeamFactory(organization=other_org)
    PersonFactory(organization=org, name="Dan")
    # when they filter by it, alone and with a name
    alone = client.get(org_url("settings_people", org), {"team": theirs.pk})
    with_name = client.get(org_url("settings_people", org), {"team": theirs.pk, "q": "dan"})
    # then that filter is ignored (the choice is not offered) and the other one applies
    assert alone.status_code == 200
    assert ">Bea<" in alone.content.decode()
    assert ">Dan<" in alone.content.decode()
    assert ">Bea<" not in with_name.content.decode()
    assert ">Dan<" in with_name.content.decode()


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("page", ["settings_person_create", "settings_person_edit", "settings_person_delete"])
def test_other_roles_may_not_open_or_post_the_person_forms(client, signed_in, org, bea, role, page):
    # given a member who is not an admin
    signed_in(role)
    kwargs = {} if page == "settings_person_create" else {"pk": bea.pk}
    url = org_url(page, org, **kwargs)
    # when they open or post a person form
    got = client.get(url)
    posted = client.post(url, {"name": "Renamed", "weekly_capacity_hours": "1", "expected_version": "1"})
    # then both are refused and nothing changed
    assert (got.status_code, posted.status_code) == (403, 403)
    bea.refresh_from_db()
    assert (bea.name, bea.version) == ("Bea", 1)
    assert not Person.objects.for_org(org).filter(name="Renamed").exists()


def test_an_admin_adds_a_person_linked_to_a_member(client, signed_in, org, team):
    # given an administrator, and a member who has no person record yet
    signed_in(Role.ADMIN)
    member = MembershipFactory(organization=org, role=Role.MEMBER)
    data = {
        "name": "Eve",
        "email": "eve@example.com",
        "team": team.pk,
        "weekly_capacity_hours": "20",
        "active": "on",
    }
    # when they add a person who signs in as that member
    response = client.post(org_url("settings_person_create", org), {**data, "user": member.user_id})
    # then the person exists as entered
    assert response.status_code == 302
    eve = Person.objects.for_org(org).get(name="Eve")
    assert (eve.email, eve.team_id, eve.weekly_capacity_hours, eve.active, eve.user_id) == (
        "eve@example.com",
        team.pk,
        Decimal(20),
        True,
        member.user_id,
    )


def test_only_members_without_a_person_record_are_offered_as_sign_ins(client, signed_in, org, other_org):
    # given an administrator, a member of the organization, and a user who is not a member
    signed_in(Role.ADMIN)
    member = MembershipFactory(organization=org, role=Role.VIEWER)
    outsider = MembershipFactory(organization=other_org).user
    url = org_url("settings_person_create", org)
    # when they open the form, and post the outsider anyway
    offered = options(client.get(url), "user")
    response = client.post(url, {"name": "Out", "weekly_capacity_hours": "10", "user": outsider.pk})
    # then only members are offered, the outsider is refused beside the field, nothing is created
    assert str(member.user_id) in offered
    assert str(outsider.pk) not in offered
    assert response.status_code == 400
    assert field_errors(response, "user") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Person.objects.filter(name="Out").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"weekly_capacity_hours": "-1"}, "weekly_capacity_hours", "Must not be negative."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"email": "bea@example.com"}, "email", "Another person of the organization has this email."),
    ],
)
def test_an_invalid_person_is_refused_beside_the_field(
    client, signed_in, org, team, bea, changes, field, message
):
    # given an administrator
    signed_in(Role.ADMIN)
    data = {
        "name": "Fay",
        "email": "fay@example.com",
        "team": team.pk,
        "weekly_capacity_hours": "30",
        **changes,
    }
    # when they add a person with one wrong value
    response = client.post(org_url("settings_person_create", org), data)
    # then the message is beside the field, the input kept, nothing created
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert f'<option value="{team.pk}" selected>' in response.content.decode()
    assert Person.objects.for_org(org).count() == 2  # Bea and the admin


def test_a_member_who_already_has_a_person_is_refused_beside_the_field(client, signed_in, org):
    # given an administrator (who has a person record)
    admin = signed_in(Role.ADMIN)
    url = org_url("settings_person_create", org)
    # when they add another person who signs in as them
    offered = options(client.get(url), "user")
    response = client.post(url, {"name": "Twin", "weekly_capacity_hours": "1", "user": admin.user_id})
    # then they were not offered, and it is refused beside the field
    assert str(admin.user_id) not in offered
    assert response.status_code == 400
    assert field_errors(response, "user") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Person.objects.filter(name="Twin").exists()


def test_a_person_keeps_their_own_sign_in_among_the_choices(client, signed_in, org):
    # given an administrator (who has a person record)
    admin = signed_in(Role.ADMIN)
    # when they edit their own person
    offered = options(client.get(org_url("settings_person_edit", org, pk=person_of(admin).pk)), "user")
    # then their own sign-in is offered (and selected)
    assert str(admin.user_id) in offered


def test_another_organizations_team_is_refused_for_a_person(client, signed_in, org, other_org, bea):
    # given an administrator, and a team of another organization
    signed_in(Role.ADMIN)
    theirs = TeamFactory(organization=other_org)
    # when they move Bea into it
    response = client.post(
        org_url("settings_person_edit", org, pk=bea.pk),
        {"name": "Bea", "weekly_capacity_hours": "32", "team": theirs.pk, "expected_version": "1"},
    )
    # then it is refused beside the field and Bea stays in Sales
    assert response.status_code == 400
    assert field_errors(response, "team")
    bea.refresh_from_db()
    assert bea.team.name == "Sales"


def test_an_admin_edits_a_person(client, signed_in, org, bea):
    # given an administrator
    signed_in(Role.ADMIN)
    # when they lower Bea's capacity, take her out of her team and mark her inactive
    response = client.post(
        org_url("settings_person_edit", org, pk=bea.pk),
        {
            "name": "Bea",
            "email": "bea@example.com",
            "team": "",
            "weekly_capacity_hours": "16",
            "expected_version": "1",
        },
    )
    # then the change is saved through the service (a new version) and the scores are stale
    assert response.status_code == 302
    bea.refresh_from_db()
    assert (bea.weekly_capacity_hours, bea.team_id, bea.active, bea.version) == (Decimal(16), None, False, 2)
    org.refresh_from_db()
    assert org.scores_stale_since is not None


def test_a_stale_person_edit_is_refused_with_the_input_kept(client, signed_in, org, bea):
    # given an administrator who opened Bea at version 1, and a change saved since
    signed_in(Role.ADMIN)
    Person.objects.filter(pk=bea.pk).update(weekly_capacity_hours=Decimal(8), version=2)
    # when they save their edit of version 1
    response = client.post(
        org_url("settings_person_edit", org, pk=bea.pk),
        {"name": "Bea", "weekly_capacity_hours": "40", "expected_version": "1"},
    )
    # then it is refused with the input kept, and the other change stays
    assert response.status_code == 400
    assert form_errors(response) == [STALE_MESSAGE]
    assert 'name="weekly_capacity_hours" value="40"' in response.content.decode()
    bea.refresh_from_db()
    assert bea.weekly_capacity_hours == Decimal(8)


@pytest.mark.parametrize("page", ["settings_person_edit", "settings_person_delete"])
def test_another_organizations_person_is_not_found(client, signed_in, org, other_org, page):
    # given an administrator, and a person of another organization
    signed_in(Role.ADMIN)
    theirs = PersonFactory(organization=other_org, name="Theirs")
    url = org_url(page, org, pk=theirs.pk)
    # when they open or post its form through their organization
    got = client.get(url)
    posted = client.post(url, {"name": "Mine", "weekly_capacity_hours": "1", "expected_version": "1"})
    # then it does not exist for them, and it is unchanged
    assert (got.status_code, posted.status_code) == (404, 404)
    assert Person.objects.filter(pk=theirs.pk, name="Theirs").exists()


def test_an_admin_deletes_a_person_and_their_allocations_go_in_the_plan_history(client, signed_in, org, bea):
    # given an administrator, and an allocation of Bea
    admin = signed_in(Role.ADMIN)
    allocation = AllocationFactory(organization=org, person=bea)
    url = org_url("settings_person_delete", org, pk=bea.pk)
    # when they confirm the deletion
    confirmation = client.get(url).content.decode()
    response = client.post(url, {"expected_version": "1"})
    # then the page said what goes with her, she is gone with her allocation, recorded with the reason
    assert "Their 1 allocation will be deleted." in confirmation
    assert response.status_code == 302
    assert not Person.objects.filter(pk=bea.pk).exists()
    assert not Allocation.objects.filter(pk=allocation.pk).exists()
    revision = Allocation.history.filter(id=allocation.pk).latest("history_date")
    assert (revision.history_type, revision.history_user_id, revision.history_change_reason) == (
        "-",
        admin.user_id,
        "Person deleted: Bea",
    )


def test_a_stale_person_deletion_is_refused(client, signed_in, org, bea):
    # given an administrator who saw Bea at version 1, and a change saved since
    signed_in(Role.ADMIN)
    Person.objects.filter(pk=bea.pk).update(version=2)
    # when they confirm the deletion
    response = client.post(org_url("settings_person_delete", org, pk=bea.pk), {"expected_version": "1"})
    # then it is refused and Bea stays
    assert response.status_code == 400
    assert form_errors(response) == [STALE_MESSAGE]
    assert Person.objects.filter(pk=bea.pk).exists()


@pytest.mark.parametrize("page", ["settings_people", "settings_person_create", "settings_person_edit"])
def test_the_people_pages_run_as_many_queries_for_three_times_the_people(client, signed_in, org, bea, page):
    # given an administrator
    admin = signed_in(Role.ADMIN)
    kwargs = {"pk": person_of(admin).pk} if page == "settings_person_edit" else {}
    url = org_url(page, org, **kwargs)
    client.get(url)

    def grow(n: int) -> None:
        for team in TeamFactory.create_batch(n, organization=org):
            member = MembershipFactory(organization=org, user=UserFactory())
            PersonFactory(organization=org, team=team, user=member.user)

    # when the page is opened with a few people and with three times as many
    grow(3)
    small = query_count(client, url)
    grow(6)
    large = query_count(client, url)
    # then the number of queries does not grow
    assert small == large
    assert large <= 15


def test_the_delete_confirmation_runs_as_many_queries_for_three_times_the_rows(client, signed_in, org, bea):
    # given an administrator, and Bea with allocations and goals she owns
    signed_in(Role.ADMIN)
    url = org_url("settings_person_delete", org, pk=bea.pk)
    client.get(url)

    def grow(n: int) -> None:
        AllocationFactory.create_batch(n, organization=org, person=bea)
        ObjectiveFactory.create_batch(n, organization=org, owner=bea)
        InitiativeFactory.create_batch(n, organization=org, owner=bea)

    # when the confirmation is opened with a few rows and with three times as many
    grow(1)
    small = query_count(client, url)
    grow(2)
    large = query_count(client, url)
    # then the number of queries does not grow, and the counts are the data's
    assert small == large
    assert large <= 15
    html = client.get(url).content.decode()
    assert "Their 3 allocations will be deleted." in html
    assert "3 objectives and 3 initiatives they own will have no owner." in html
