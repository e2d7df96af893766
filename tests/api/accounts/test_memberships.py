"""/api/v1/orgs/{org}/memberships/: admins list, add, re-role and remove members; the last admin
stays; other roles are refused (403) and other organizations' memberships do not exist (404)."""

import logging

import pytest
from rest_framework.test import APIClient

from execgap.models import Membership, Role
from tests.api.accounts.conftest import ROLES, client_for, org_url
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def admin_only(allowed: int) -> list[tuple[Role, int]]:
    """Each role and its expected status: `allowed` for an admin, 403 for every other role."""
    return [
        (Role.VIEWER, 403),
        (Role.MEMBER, 403),
        (Role.LEAD, 403),
        (Role.EXECUTIVE, 403),
        (Role.ADMIN, allowed),
    ]


ADMIN_ONLY = {
    "list": admin_only(200),
    "create": admin_only(201),
    "change": admin_only(200),
    "delete": admin_only(204),
}


def memberships(org, path=""):
    return org_url(org, f"memberships/{path}")


@pytest.fixture
def colleague(org):
    """A member of Acme, without a person record."""
    return MembershipFactory(organization=org, role=Role.MEMBER)


# --- every role --------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), ADMIN_ONLY["list"])
def test_who_lists_and_reads_the_memberships(org, member_of, colleague, role, expected):
    client = client_for(member_of(role))
    # when a member of each role lists the memberships and reads one
    listed = client.get(memberships(org))
    read = client.get(memberships(org, f"{colleague.pk}/"))
    # then only an admin may
    assert (listed.status_code, read.status_code) == (expected, expected)
    if expected == 200:
        assert colleague.pk in [row["id"] for row in listed.json()["results"]]
        assert read.json() == {
            "id": colleague.pk,
            "user": colleague.user_id,
            "username": colleague.user.username,
            "email": colleague.user.email,
            "role": "member",
            "created_at": read.json()["created_at"],
        }
    else:
        assert listed.json() == {"detail": f"Your role ({role.value}) may not view memberships."}


@pytest.mark.parametrize(("role", "expected"), ADMIN_ONLY["create"])
def test_who_adds_a_member(org, member_of, role, expected):
    # given a user who is not a member
    newcomer = UserFactory(username="grace")
    # when a member of each role adds them as a lead
    response = client_for(member_of(role)).post(
        memberships(org), {"username": "grace", "role": "lead"}, format="json"
    )
    # then only an admin's is added
    assert response.status_code == expected
    added = Membership.objects.filter(organization=org, user=newcomer)
    assert list(added.values_list("role", flat=True)) == (["lead"] if expected == 201 else [])


@pytest.mark.parametrize(("role", "expected"), ADMIN_ONLY["change"])
def test_who_changes_a_role(org, member_of, colleague, role, expected):
    # when a member of each role makes a colleague an executive
    response = client_for(member_of(role)).patch(
        memberships(org, f"{colleague.pk}/"), {"role": "executive"}, format="json"
    )
    # then only an admin's change is written
    assert response.status_code == expected
    colleague.refresh_from_db()
    assert colleague.role == ("executive" if expected == 200 else "member")


@pytest.mark.parametrize(("role", "expected"), ADMIN_ONLY["delete"])
def test_who_removes_a_member(org, member_of, colleague, role, expected):
    # when a member of each role removes a colleague
    response = client_for(member_of(role)).delete(memberships(org, f"{colleague.pk}/"))
    # then only an admin's removal happens
    assert response.status_code == expected
    assert Membership.objects.filter(pk=colleague.pk).exists() == (expected != 204)


@pytest.mark.parametrize("role", ROLES)
def test_replacing_a_membership_is_405_for_every_role(org, member_of, colleague, role):
    response = client_for(member_of(role)).put(
        memberships(org, f"{colleague.pk}/"), {"role": "admin"}, format="json"
    )
    assert response.status_code == 405
    colleague.refresh_from_db()
    assert colleague.role == "member"


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_the_anonymous_are_refused(org, colleague, method):
    path = memberships(org) if method in ("get", "post") else memberships(org, f"{colleague.pk}/")
    response = getattr(APIClient(), method)(path, {"role": "admin"}, format="json")
    assert response.status_code == 401


# --- adding ------------------------------------------------------------------------------------


def test_an_admin_adds_a_user_by_email_whatever_its_case(org, admin):
    # given a user with an email
    newcomer = UserFactory(username="grace", email="Grace.Hopper@example.com")
    # when an admin adds them by email, in other case, without a role
    response = client_for(admin).post(memberships(org), {"email": "grace.hopper@EXAMPLE.com"}, format="json")
    # then they are added as a member
    assert response.status_code == 201
    assert (response.json()["user"], response.json()["username"], response.json()["role"]) == (
        newcomer.pk, "grace", "member",
    )  # fmt: skip
    assert Membership.objects.get(organization=org, user=newcomer).role == Role.MEMBER


def test_a_member_of_another_organization_may_be_added_too(org, other_org, admin):
    # given a user who is a member of Globex
    theirs = MembershipFactory(organization=other_org, role=Role.ADMIN)
    # when an admin of Acme adds them as a viewer
    response = client_for(admin).post(
        memberships(org), {"username": theirs.user.username, "role": "viewer"}, format="json"
    )
    # then they belong to both, with a role in each
    assert response.status_code == 201
    assert set(Membership.objects.filter(user=theirs.user).values_list("organization__slug", "role")) == {
        ("globex", "admin"), ("acme", "viewer"),
    }  # fmt: skip


BAD_ADDITIONS = {
    "neither username nor email": (
        {"role": "member"},
        {"non_field_errors": ["Give the user's username or their email (one of the two)."]},
    ),
    "both username and email": (
        {"username": "grace", "email": "grace@example.com"},
        {"non_field_errors": ["Give the user's username or their email (one of the two)."]},
    ),
    "unknown username": ({"username": "nobody"}, {"username": ["No user has this username."]}),
    "unknown email": ({"email": "nobody@example.com"}, {"email": ["No user has this email."]}),
    "not an email": ({"email": "grace"}, {"email": ["Enter a valid email address."]}),
    "unknown role": ({"username": "grace", "role": "owner"}, {"role": ['"owner" is not a valid choice.']}),
    "already a member": ({"username": "ada"}, {"username": ["This user is already a member."]}),
    "shared email": (
        {"email": "shared@example.com"},
        {"email": ["Several users have this email: give the username."]},
    ),
    "inactive user": ({"username": "gone"}, {"username": ["No user has this username."]}),
}


@pytest.mark.parametrize(("body", "errors"), BAD_ADDITIONS.values(), ids=BAD_ADDITIONS.keys())
def test_a_bad_addition_gets_400_field_by_field_and_adds_nobody(org, admin, body, errors):
    # given users: grace (not a member), ada (a member), two who share an email, one deactivated
    UserFactory(username="grace", email="grace@example.com")
    MembershipFactory(organization=org, user=UserFactory(username="ada"))
    UserFactory(username="twin1", email="shared@example.com")
    UserFactory(username="twin2", email="shared@example.com")
    UserFactory(username="gone", is_active=False)
    before = set(Membership.objects.values_list("pk", flat=True))
    # when an admin adds someone with a bad field
    response = client_for(admin).post(memberships(org), body, format="json")
    # then the field is named, and nobody is added
    assert (response.status_code, response.json()) == (400, errors)
    assert set(Membership.objects.values_list("pk", flat=True)) == before


# --- changing roles and removing -----------------------------------------------------------------


def test_the_last_admin_cannot_be_demoted(org, admin):
    # when the organization's only admin makes themselves a viewer
    response = client_for(admin).patch(memberships(org, f"{admin.pk}/"), {"role": "viewer"}, format="json")
    # then it is refused, and they remain admin
    assert (response.status_code, response.json()) == (
        400,
        {"role": ["An organization keeps at least one admin."]},
    )
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_the_last_admin_cannot_be_removed(org, admin):
    response = client_for(admin).delete(memberships(org, f"{admin.pk}/"))
    assert (response.status_code, response.json()) == (
        400,
        {"role": ["An organization keeps at least one admin."]},
    )
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_an_admin_steps_down_when_another_admin_remains(org, admin, member_of):
    # given a second admin
    member_of(Role.ADMIN)
    # when the first makes themselves an executive
    response = client_for(admin).patch(memberships(org, f"{admin.pk}/"), {"role": "executive"}, format="json")
    # then they are an executive, and lose the memberships at once
    assert (response.status_code, response.json()["role"]) == (200, "executive")
    assert client_for(admin).get(memberships(org)).status_code == 403


BAD_CHANGES = {
    "unknown role": ({"role": "owner"}, {"role": ['"owner" is not a valid choice.']}),
    "no role": ({}, {"role": ["This field is required."]}),
    "blank role": ({"role": ""}, {"role": ['"" is not a valid choice.']}),
}


@pytest.mark.parametrize(("body", "errors"), BAD_CHANGES.values(), ids=BAD_CHANGES.keys())
def test_a_bad_role_change_gets_400_and_changes_nothing(org, admin, colleague, body, errors):
    response = client_for(admin).patch(memberships(org, f"{colleague.pk}/"), body, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    colleague.refresh_from_db()
    assert colleague.role == Role.MEMBER


def test_membership_changes_are_logged(org, admin, colleague, caplog):
    caplog.set_level(logging.INFO, logger="execgap.security")
    client = client_for(admin)
    UserFactory(username="grace")
    # when an admin adds a member, changes a role and removes a member
    client.post(memberships(org), {"username": "grace"}, format="json")
    client.patch(memberships(org, f"{colleague.pk}/"), {"role": "admin"}, format="json")
    client.delete(memberships(org, f"{colleague.pk}/"))
    # then each is logged to execgap.security
    messages = [r.getMessage() for r in caplog.records if r.name == "execgap.security"]
    assert [m.split(":")[0] for m in messages] == [
        "Membership added", "Membership role changed from member", "Membership removed",
    ]  # fmt: skip


# --- isolation and query counts ------------------------------------------------------------------


def test_another_organizations_memberships_are_absent_from_the_list(org, other_org, admin):
    theirs = MembershipFactory(organization=other_org)
    response = client_for(admin).get(memberships(org))
    assert response.status_code == 200
    assert theirs.pk not in [row["id"] for row in response.json()["results"]]
    assert {row["id"] for row in response.json()["results"]} == set(
        Membership.objects.filter(organization=org).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_organizations_membership_is_not_found_through_ours(org, other_org, admin, method):
    # given a membership of Globex
    theirs = MembershipFactory(organization=other_org, role=Role.MEMBER)
    # when an admin of Acme reads, re-roles or removes it through Acme
    response = getattr(client_for(admin), method)(
        memberships(org, f"{theirs.pk}/"), {"role": "admin"}, format="json"
    )
    # then it does not exist for them, and it is as it was
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == Role.MEMBER


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_non_member_finds_no_memberships_of_another_organization(org, other_org, admin, method):
    # when an admin of Acme lists or adds memberships of Globex
    response = getattr(client_for(admin), method)(
        memberships(other_org), {"username": admin.user.username}, format="json"
    )
    # then Globex does not exist for them, and nobody is added
    assert (response.status_code, response.json()) == (404, {"detail": "No such organization."})
    assert not Membership.objects.filter(organization=other_org).exists()


@pytest.mark.parametrize("size", [5, 50])
def test_the_list_takes_the_same_queries_at_any_size(org, admin, size, django_assert_max_num_queries):
    # given an organization of `size` members
    for _ in range(size - 1):
        MembershipFactory(organization=org)
    client = client_for(admin)
    # when an admin lists them, then a fixed number of queries answers
    with django_assert_max_num_queries(2):
        response = client.get(memberships(org))
    assert len(response.json()["results"]) == size
