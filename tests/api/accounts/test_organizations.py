"""/api/v1/orgs/ and /api/v1/orgs/{org}/: a user's organizations, a new one (its creator its admin),
reading it (every member) and changing its name and scoring parameters (admins, with If-Match)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError
from rest_framework.test import APIClient

from execgap import services
from execgap.models import Membership, Organization, Role
from tests.api.accounts.conftest import ROLES, client_for, org_url
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/orgs/"
FIELDS = {
    "id", "slug", "name", "activity_window_days", "planning_horizon_days", "checkin_cadence_days",
    "default_task_effort_hours", "spread_thin_allocations", "role", "scores_stale_since", "version",
    "created_at", "updated_at",
}  # fmt: skip


# --- the list and a new organization -------------------------------------------------------------


def test_a_user_lists_the_organizations_they_belong_to_with_their_role(org, other_org):
    # given a user who is an executive of Acme and a viewer of Globex, and a third organization
    membership = MembershipFactory(organization=org, role=Role.EXECUTIVE)
    MembershipFactory(organization=other_org, user=membership.user, role=Role.VIEWER)
    OrganizationFactory(slug="initech", name="Initech")
    # when they list organizations
    response = client_for(membership).get(ORGS)
    # then they see their two, by id, each with their role, and not the third
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["slug"], row["role"]) for row in rows] == [("acme", "executive"), ("globex", "viewer")]
    assert set(rows[0]) == FIELDS


def test_a_user_of_no_organization_lists_none():
    client = APIClient()
    client.force_authenticate(UserFactory())
    response = client.get(ORGS)
    assert (response.status_code, response.json()["results"]) == (200, [])


def test_the_list_of_organizations_takes_the_same_queries_for_any_number(django_assert_max_num_queries):
    # given a user in 30 organizations
    user = UserFactory()
    for n in range(30):
        MembershipFactory(user=user, organization=OrganizationFactory(slug=f"org-{n}"))
    client = APIClient()
    client.force_authenticate(user)
    # when they list them, then a fixed, small number of queries answers
    with django_assert_max_num_queries(2):
        response = client.get(ORGS)
    assert len(response.json()["results"]) == 30


def test_any_user_creates_an_organization_and_becomes_its_admin():
    # given a user of no organization
    user = UserFactory()
    client = APIClient()
    client.force_authenticate(user)
    # when they create one
    response = client.post(ORGS, {"slug": "hooli", "name": "Hooli"}, format="json")
    # then it exists with default parameters, and they are its admin
    assert response.status_code == 201
    body = response.json()
    assert (body["slug"], body["name"], body["role"], body["version"]) == ("hooli", "Hooli", "admin", 1)
    assert (body["activity_window_days"], body["default_task_effort_hours"]) == (28, "4.00")
    assert response["ETag"] == '"1"'
    organization = Organization.objects.get(slug="hooli")
    assert Membership.objects.get(organization=organization).user == user
    assert Membership.objects.get(organization=organization).role == Role.ADMIN


@pytest.mark.parametrize("role", ROLES)
def test_a_member_of_any_role_creates_another_organization(org, member_of, role):
    # when a member of Acme of each role creates an organization
    membership = member_of(role)
    response = client_for(membership).post(ORGS, {"slug": "hooli", "name": "Hooli"}, format="json")
    # then they are its admin, and keep their role in Acme
    assert (response.status_code, response.json()["role"]) == (201, "admin")
    roles = dict(Membership.objects.filter(user=membership.user).values_list("organization__slug", "role"))
    assert roles == {"acme": role.value, "hooli": "admin"}


def test_a_slug_taken_at_the_same_moment_is_400(monkeypatch):
    # given another request that takes the slug between this one's check and its write
    def taken_meanwhile(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "organization_create", taken_meanwhile)
    client = APIClient()
    client.force_authenticate(UserFactory())
    # when the organization is created
    response = client.post(ORGS, {"slug": "hooli", "name": "Hooli"}, format="json")
    # then the slug is named as taken
    assert (response.status_code, response.json()) == (400, {"slug": ["This slug is taken: choose another."]})


BAD_NEW_ORGANIZATIONS = {
    "taken slug": (
        {"slug": "acme", "name": "Another Acme"},
        {"slug": ["This slug is taken: choose another."]},
    ),
    "no slug": ({"name": "Hooli"}, {"slug": ["This field is required."]}),
    "no name": ({"slug": "hooli"}, {"name": ["This field is required."]}),
    "blank name": ({"slug": "hooli", "name": ""}, {"name": ["This field may not be blank."]}),
    "slug with spaces": (
        {"slug": "my org", "name": "Hooli"},
        {"slug": ['Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.']},
    ),
    "long slug": (
        {"slug": "x" * 65, "name": "Hooli"},
        {"slug": ["Ensure this field has no more than 64 characters."]},
    ),
    "long name": (
        {"slug": "hooli", "name": "x" * 201},
        {"name": ["Ensure this field has no more than 200 characters."]},
    ),
}


@pytest.mark.parametrize(("body", "errors"), BAD_NEW_ORGANIZATIONS.values(), ids=BAD_NEW_ORGANIZATIONS.keys())
def test_a_bad_new_organization_gets_400_field_by_field_and_nothing_is_made(org, body, errors):
    # given a user
    user = UserFactory()
    client = APIClient()
    client.force_authenticate(user)
    # when they create an organization with a bad or taken field
    response = client.post(ORGS, body, format="json")
    # then that field is named, and no organization or membership is made
    assert (response.status_code, response.json()) == (400, errors)
    assert list(Organization.objects.values_list("slug", flat=True)) == ["acme"]
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("method", "path"), [("get", ORGS), ("post", ORGS), ("get", f"{ORGS}acme/"), ("patch", f"{ORGS}acme/")]
)
def test_the_anonymous_are_refused(org, method, path):
    response = getattr(APIClient(), method)(path, {"slug": "x", "name": "x"}, format="json")
    assert response.status_code == 401
    org.refresh_from_db()
    assert org.name == "Acme"


# --- reading and changing one --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_member_reads_their_organization(org, member_of, role):
    # when a member of each role reads the organization
    response = client_for(member_of(role)).get(org_url(org))
    # then they see it with their role, and its version as the ETag
    assert response.status_code == 200
    assert (response.json()["slug"], response.json()["role"]) == ("acme", role.value)
    assert response["ETag"] == '"1"'


PATCH_EXPECTED = [
    (Role.VIEWER, 403),
    (Role.MEMBER, 403),
    (Role.LEAD, 403),
    (Role.EXECUTIVE, 403),
    (Role.ADMIN, 200),
]


@pytest.mark.parametrize(("role", "expected"), PATCH_EXPECTED)
def test_only_an_admin_changes_the_organization(org, member_of, role, expected):
    # when a member of each role renames the organization and changes a parameter
    response = client_for(member_of(role)).patch(
        org_url(org), {"name": "Acme Corp", "activity_window_days": 42}, format="json"
    )
    # then only an admin's change is written
    assert response.status_code == expected
    org.refresh_from_db()
    changed = (org.name, org.activity_window_days, org.version)
    assert changed == (("Acme Corp", 42, 2) if expected == 200 else ("Acme", 28, 1))
    if expected == 403:
        assert response.json() == {"detail": f"Your role ({role.value}) may not change organizations."}


def test_an_admin_changes_every_scoring_parameter(org, admin):
    # when an admin sets the five parameters
    changes = {
        "activity_window_days": 7,
        "planning_horizon_days": 30,
        "checkin_cadence_days": 5,
        "default_task_effort_hours": "2.50",
        "spread_thin_allocations": 4,
    }
    response = client_for(admin).patch(org_url(org), changes, format="json")
    # then each is stored and answered, with the next version, and the scores are stale
    assert response.status_code == 200
    assert {name: response.json()[name] for name in changes} == changes
    assert (response.json()["version"], response["ETag"]) == (2, '"2"')
    org.refresh_from_db()
    assert org.default_task_effort_hours == Decimal("2.50")
    assert org.scores_stale_since is not None


def test_the_slug_and_the_version_are_not_changed_by_a_patch(org, admin):
    # when an admin sends a new slug and version along with a name
    response = client_for(admin).patch(
        org_url(org), {"slug": "mine", "version": 99, "name": "A"}, format="json"
    )
    # then the name changes, the slug and version do not
    assert response.status_code == 200
    org.refresh_from_db()
    assert (org.slug, org.version, org.name) == ("acme", 2, "A")


@pytest.mark.parametrize("method", ["put", "delete", "post"])
def test_an_operation_the_organization_lacks_is_405_for_every_role(org, member_of, method):
    # when an admin and a viewer replace, delete or post to the organization
    answers = [
        getattr(client_for(member_of(role)), method)(org_url(org), {"name": "x"}, format="json").status_code
        for role in (Role.ADMIN, Role.VIEWER)
    ]
    # then the operation does not exist for either, and the organization is as it was
    assert answers == [405, 405]
    assert Organization.objects.filter(slug="acme", name="Acme").exists()


BAD_CHANGES = {
    "blank name": ({"name": ""}, {"name": ["This field may not be blank."]}),
    "zero window": ({"activity_window_days": 0}, {"activity_window_days": ["Must be at least 1 day."]}),
    "zero horizon": ({"planning_horizon_days": 0}, {"planning_horizon_days": ["Must be at least 1 day."]}),
    "zero cadence": ({"checkin_cadence_days": 0}, {"checkin_cadence_days": ["Must be at least 1 day."]}),
    "negative window": (
        {"activity_window_days": -3},
        {"activity_window_days": ["Ensure this value is greater than or equal to 0."]},
    ),
    "negative effort": (
        {"default_task_effort_hours": "-1"},
        {"default_task_effort_hours": ["Must not be negative."]},
    ),
    "effort not a number": (
        {"default_task_effort_hours": "lots"},
        {"default_task_effort_hours": ["A valid number is required."]},
    ),
    "window not a number": (
        {"activity_window_days": "a month"},
        {"activity_window_days": ["A valid integer is required."]},
    ),
    "several at once": (
        {"checkin_cadence_days": 0, "default_task_effort_hours": "-2"},
        {
            "checkin_cadence_days": ["Must be at least 1 day."],
            "default_task_effort_hours": ["Must not be negative."],
        },
    ),
}


@pytest.mark.parametrize(("body", "errors"), BAD_CHANGES.values(), ids=BAD_CHANGES.keys())
def test_a_bad_change_gets_400_field_by_field_and_changes_nothing(org, admin, body, errors):
    # when an admin sends a bad value
    response = client_for(admin).patch(org_url(org), body, format="json")
    # then each bad field is named, and the organization is as it was
    assert (response.status_code, response.json()) == (400, errors)
    org.refresh_from_db()
    assert (org.name, org.version, org.scores_stale_since) == ("Acme", 1, None)
    assert (org.activity_window_days, org.checkin_cadence_days, org.default_task_effort_hours) == (
        28, 14, Decimal(4),
    )  # fmt: skip


# --- If-Match ------------------------------------------------------------------------------------


@pytest.fixture
def edited_once(org):
    """Acme, changed once already (version 2)."""
    Organization.objects.filter(pk=org.pk).update(version=2)
    org.refresh_from_db()
    return org


@pytest.mark.parametrize("if_match", ['"2"', "2", 'W/"2"', "*"])
def test_a_change_with_the_current_version_is_made(edited_once, admin, if_match):
    # when an admin changes the organization, sending the version they read
    response = client_for(admin).patch(
        org_url(edited_once), {"name": "Acme Corp"}, format="json", HTTP_IF_MATCH=if_match
    )
    # then it is written, and the next version comes back in the body and as the ETag
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["version"], response["ETag"]) == ("Acme Corp", 3, '"3"')


def test_a_stale_change_is_refused_and_changes_nothing(edited_once, admin):
    # when an admin sends a change based on version 1 (someone else has changed it since)
    response = client_for(admin).patch(
        org_url(edited_once),
        {"name": "Acme Corp", "activity_window_days": 7},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    # then it is refused with the current version, and nothing changes
    assert response.status_code == 412
    assert response.json()["current_version"] == 2
    edited_once.refresh_from_db()
    assert (edited_once.name, edited_once.activity_window_days, edited_once.version) == ("Acme", 28, 2)


def test_an_unreadable_if_match_is_400(edited_once, admin):
    response = client_for(admin).patch(
        org_url(edited_once), {"name": "X"}, format="json", HTTP_IF_MATCH="yesterday"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"If-Match": ["Send the row's version, as its ETag gives it."]},
    )
    edited_once.refresh_from_db()
    assert edited_once.name == "Acme"


def test_a_stale_change_by_a_non_admin_is_still_403(edited_once, member_of):
    # the role is checked before the version: a viewer learns nothing from If-Match
    response = client_for(member_of(Role.VIEWER)).patch(
        org_url(edited_once), {"name": "X"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 403


# --- isolation -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "patch"])
def test_another_organization_is_not_found(org, other_org, admin, method):
    # when an admin of Acme reads or changes Globex
    response = getattr(client_for(admin), method)(org_url(other_org), {"name": "Mine now"}, format="json")
    # then it does not exist for them, with the same answer as an organization that does not exist
    missing = getattr(client_for(admin), method)("/api/v1/orgs/no-such-org/", {"name": "x"}, format="json")
    assert (response.status_code, response.json()) == (404, {"detail": "No such organization."})
    assert (missing.status_code, missing.json()) == (404, {"detail": "No such organization."})
    other_org.refresh_from_db()
    assert other_org.name == "Globex"
