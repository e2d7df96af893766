"""Members and roles: admins only; the organization always keeps an admin."""

from __future__ import annotations

import re

import pytest

from execgap.models import Membership, Role
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.web.conftest import org_url, query_count
from tests.web.settings.conftest import OTHER_ROLES, field_errors, form_errors

pytestmark = pytest.mark.django_db

KEEP_AN_ADMIN = "An organization keeps at least one admin."


@pytest.fixture
def colleague(org):
    """A member of the organization with a person record."""
    membership = MembershipFactory(
        organization=org, role=Role.MEMBER, user=UserFactory(username="gil", email="gil@example.com")
    )
    PersonFactory(organization=org, user=membership.user, name="Gil Gomez")
    return membership


def test_an_admin_sees_every_member_with_email_role_and_person(client, signed_in, org, other_org, colleague):
    # given an administrator, a colleague, and a member of another organization
    signed_in(Role.ADMIN)
    MembershipFactory(organization=other_org, user=UserFactory(username="stranger"))
    # when they open the members
    response = client.get(org_url("settings_members", org))
    # then each member shows with their email, role (to change) and person, and the way to invite
    assert response.status_code == 200
    html = response.content.decode()
    assert "gil@example.com" in html
    assert '<option value="member" selected>Member</option>' in html
    assert ">Gil Gomez</a>" in html
    assert 'aria-label="Change the role of gil"' in html
    assert 'aria-label="Remove gil from Acme"' in html
    assert org_url("invitation_create", org) in html
    assert "stranger" not in html


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("page", ["settings_members", "settings_member_role", "settings_member_remove"])
def test_other_roles_may_not_see_or_change_the_members(client, signed_in, org, colleague, role, page):
    # given a member who is not an admin
    signed_in(role)
    kwargs = {} if page == "settings_members" else {"pk": colleague.pk}
    url = org_url(page, org, **kwargs)
    # when they open or post a members page
    got = client.get(url)
    posted = client.post(url, {"role": Role.ADMIN})
    # then both are refused and the colleague is unchanged
    assert (got.status_code, posted.status_code) == (403, 403)
    colleague.refresh_from_db()
    assert colleague.role == Role.MEMBER


def test_an_admin_changes_a_members_role(client, signed_in, org, colleague):
    # given an administrator
    signed_in(Role.ADMIN)
    # when they make the colleague a team lead
    response = client.post(org_url("settings_member_role", org, pk=colleague.pk), {"role": Role.LEAD})
    # then the role is saved and the list says so
    assert response.status_code == 302
    assert response["Location"] == org_url("settings_members", org)
    colleague.refresh_from_db()
    assert colleague.role == Role.LEAD
    assert "gil is now team lead." in client.get(response["Location"]).content.decode()


def test_an_unknown_role_is_refused_beside_the_field(client, signed_in, org, colleague):
    # given an administrator
    signed_in(Role.ADMIN)
    # when they post a role that does not exist
    response = client.post(org_url("settings_member_role", org, pk=colleague.pk), {"role": "owner"})
    # then it is refused beside the role and nothing changed
    assert response.status_code == 400
    assert field_errors(response, "role") == [
        "Select a valid choice. owner is not one of the available choices."
    ]
    colleague.refresh_from_db()
    assert colleague.role == Role.MEMBER


def test_the_last_admin_cannot_demote_themselves(client, signed_in, org):
    # given the only administrator
    admin = signed_in(Role.ADMIN)
    # when they make themselves a viewer
    response = client.post(org_url("settings_member_role", org, pk=admin.pk), {"role": Role.VIEWER})
    # then the refusal is shown beside the role and they stay admin
    assert response.status_code == 400
    assert field_errors(response, "role") == [KEEP_AN_ADMIN]
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_an_admin_who_is_not_the_last_may_step_down(client, signed_in, org):
    # given two administrators
    admin = signed_in(Role.ADMIN)
    MembershipFactory(organization=org, role=Role.ADMIN)
    # when one makes themselves an executive
    response = client.post(org_url("settings_member_role", org, pk=admin.pk), {"role": Role.EXECUTIVE})
    # then it is saved, and they land on the settings they may still read
    assert response.status_code == 302
    assert response["Location"] == org_url("settings", org)
    admin.refresh_from_db()
    assert admin.role == Role.EXECUTIVE


def test_an_admin_removes_a_member_after_confirming(client, signed_in, org, colleague):
    # given an administrator
    signed_in(Role.ADMIN)
    url = org_url("settings_member_remove", org, pk=colleague.pk)
    # when they open the confirmation, then confirm
    confirmation = client.get(url)
    response = client.post(url)
    # then the page said what it means, and the membership is gone (the person record stays)
    assert confirmation.status_code == 200
    assert "will no longer be able to open Acme" in confirmation.content.decode()
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=colleague.pk).exists()
    assert colleague.user.people.filter(organization=org).exists()


def test_the_last_admin_cannot_be_removed(client, signed_in, org):
    # given the only administrator
    admin = signed_in(Role.ADMIN)
    # when they remove themselves
    response = client.post(org_url("settings_member_remove", org, pk=admin.pk))
    # then the refusal is shown and they stay
    assert response.status_code == 400
    assert form_errors(response) == [KEEP_AN_ADMIN]
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_an_admin_who_leaves_lands_on_the_home_page(client, signed_in, org):
    # given two administrators
    admin = signed_in(Role.ADMIN)
    MembershipFactory(organization=org, role=Role.ADMIN)
    # when one removes themselves
    response = client.post(org_url("settings_member_remove", org, pk=admin.pk))
    # then they are out, and sent home
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not Membership.objects.filter(pk=admin.pk).exists()


@pytest.mark.parametrize("page", ["settings_member_role", "settings_member_remove"])
def test_another_organizations_membership_is_not_found(client, signed_in, org, other_org, page):
    # given an administrator, and a membership of another organization
    signed_in(Role.ADMIN)
    theirs = MembershipFactory(organization=other_org, role=Role.VIEWER)
    url = org_url(page, org, pk=theirs.pk)
    # when they open or post it through their organization
    got = client.get(url)
    posted = client.post(url, {"role": Role.ADMIN})
    # then it does not exist for them and is unchanged
    assert (got.status_code, posted.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.role == Role.VIEWER


def test_the_members_page_runs_as_many_queries_for_three_times_the_members(client, signed_in, org):
    # given an administrator
    signed_in(Role.ADMIN)
    url = org_url("settings_members", org)
    client.get(url)

    def grow(n: int) -> None:
        for membership in MembershipFactory.create_batch(n, organization=org):
            PersonFactory(organization=org, user=membership.user)

    # when the page is opened with a few members and with three times as many
    grow(3)
    small = query_count(client, url)
    grow(6)
    large = query_count(client, url)
    # then the number of queries does not grow
    assert small == large
    assert large <= 15


def test_a_member_without_a_person_record_gets_one_prefilled_from_their_row(client, signed_in, org):
    # given an administrator, and a member with no person record
    signed_in(Role.ADMIN)
    newcomer = MembershipFactory(
        organization=org,
        user=UserFactory(username="ivy", email="ivy@example.com", first_name="Ivy", last_name="Ng"),
    )
    # when they follow the member's "Add one" link
    html = client.get(org_url("settings_members", org)).content.decode()
    link = re.search(r'href="([^"]+)" aria-label="Add a person record for ivy"', html)
    assert link
    form = client.get(link.group(1).replace("&amp;", "&"))
    # then the person form is filled in with the member's name, email and sign-in
    page = form.content.decode()
    assert 'name="name" value="Ivy Ng"' in page
    assert 'name="email" value="ivy@example.com"' in page
    assert f'<option value="{newcomer.user_id}" selected>' in page


@pytest.mark.parametrize("page", ["settings_member_role", "settings_member_remove"])
def test_the_member_pages_run_as_many_queries_for_three_times_the_members(
    client, signed_in, org, colleague, page
):
    # given an administrator
    signed_in(Role.ADMIN)
    url = org_url(page, org, pk=colleague.pk)
    client.get(url)
    # when the page is opened with a few members and with three times as many
    MembershipFactory.create_batch(2, organization=org)
    small = query_count(client, url)
    MembershipFactory.create_batch(4, organization=org)
    large = query_count(client, url)
    # then the number of queries does not grow
    assert small == large
    assert large <= 10
