"""Who may do what on teams/, people/ and allocations/: every endpoint × every role.

Every member reads; only admins write teams and people; a lead writes the allocations of their
team's initiatives, executives and admins any allocation.
"""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from execgap.models import Role
from resources.models import Allocation, Person, Team
from tests.api.resources.support import ROLES, url
from tests.factories import AllocationFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

ADMIN_ONLY_CREATE = [
    (Role.VIEWER, 403),
    (Role.MEMBER, 403),
    (Role.LEAD, 403),
    (Role.EXECUTIVE, 403),
    (Role.ADMIN, 201),
]
ADMIN_ONLY_CHANGE = [
    (Role.VIEWER, 403),
    (Role.MEMBER, 403),
    (Role.LEAD, 403),
    (Role.EXECUTIVE, 403),
    (Role.ADMIN, 200),
]
ADMIN_ONLY_DELETE = [
    (Role.VIEWER, 403),
    (Role.MEMBER, 403),
    (Role.LEAD, 403),
    (Role.EXECUTIVE, 403),
    (Role.ADMIN, 204),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["teams", "people", "allocations"])
def test_every_role_lists_and_reads(org, client_as, growth, growth_initiative, role, path):
    # given a team, a person and an allocation
    allocation = AllocationFactory(organization=org, initiative=growth_initiative)
    row_id = {"teams": growth.pk, "people": allocation.person_id, "allocations": allocation.pk}[path]
    client = client_as(role)
    # when any member lists them and reads one
    listed = client.get(url(org, f"{path}/"))
    read = client.get(url(org, f"{path}/{row_id}/"))
    # then both answer 200
    assert (listed.status_code, read.status_code) == (200, 200)
    assert row_id in [row["id"] for row in listed.json()["results"]]
    assert read.json()["id"] == row_id


@pytest.mark.parametrize("path", ["teams", "people", "allocations"])
def test_the_anonymous_are_refused(org, growth, path):
    # when someone without a token or session lists rows
    response = APIClient().get(url(org, f"{path}/"))
    # then they are told to authenticate
    assert response.status_code == 401


# --- teams -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), ADMIN_ONLY_CREATE)
def test_who_creates_a_team(org, client_as, role, expected):
    # when a member of each role creates a team
    response = client_as(role).post(url(org, "teams/"), {"name": "Data"}, format="json")
    # then only an admin's is created
    assert response.status_code == expected
    assert Team.objects.for_org(org).filter(name="Data").exists() == (expected == 201)


@pytest.mark.parametrize(("role", "expected"), ADMIN_ONLY_CHANGE)
def test_who_changes_a_team(org, client_as, growth, role, expected):
    # when a member of each role renames "Growth" (even its lead)
    response = client_as(role).patch(url(org, f"teams/{growth.pk}/"), {"name": "Acquisition"}, format="json")
    # then only an admin's change is written
    assert response.status_code == expected
    growth.refresh_from_db()
    assert growth.name == ("Acquisition" if expected == 200 else "Growth")


@pytest.mark.parametrize(("role", "expected"), ADMIN_ONLY_DELETE)
def test_who_deletes_a_team(org, client_as, growth, role, expected):
    # given a team with nothing in it
    data = TeamFactory(organization=org, name="Data")
    # when a member of each role deletes it
    response = client_as(role).delete(url(org, f"teams/{data.pk}/"))
    # then only an admin's delete happens
    assert response.status_code == expected
    assert Team.objects.for_org(org).filter(pk=data.pk).exists() == (expected != 204)


# --- people ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), ADMIN_ONLY_CREATE)
def test_who_creates_a_person(org, client_as, role, expected):
    # when a member of each role adds a person
    response = client_as(role).post(
        url(org, "people/"), {"name": "Grace", "email": "g@acme.test"}, format="json"
    )
    # then only an admin's is created
    assert response.status_code == expected
    assert Person.objects.for_org(org).filter(name="Grace").exists() == (expected == 201)


@pytest.mark.parametrize(("role", "expected"), ADMIN_ONLY_CHANGE)
def test_who_changes_a_person(org, client_as, growth, role, expected):
    # given a person of the team "Growth"
    ada = PersonFactory(organization=org, name="Ada", team=growth, weekly_capacity_hours=Decimal(40))
    # when a member of each role (the team's lead too) halves her capacity
    response = client_as(role).patch(
        url(org, f"people/{ada.pk}/"), {"weekly_capacity_hours": "20"}, format="json"
    )
    # then only an admin's change is written
    assert response.status_code == expected
    ada.refresh_from_db()
    assert ada.weekly_capacity_hours == (Decimal(20) if expected == 200 else Decimal(40))


@pytest.mark.parametrize(("role", "expected"), ADMIN_ONLY_DELETE)
def test_who_deletes_a_person(org, client_as, role, expected):
    # given a person
    ada = PersonFactory(organization=org, name="Ada")
    # when a member of each role deletes her
    response = client_as(role).delete(url(org, f"people/{ada.pk}/"))
    # then only an admin's delete happens
    assert response.status_code == expected
    assert Person.objects.for_org(org).filter(pk=ada.pk).exists() == (expected != 204)


# --- allocations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.VIEWER, 403), (Role.MEMBER, 403), (Role.LEAD, 201), (Role.EXECUTIVE, 201), (Role.ADMIN, 201)],
)
def test_who_allocates_to_the_leads_team(org, client_as, growth_initiative, role, expected):
    # given a person
    ada = PersonFactory(organization=org, name="Ada")
    # when a member of each role allocates her to an initiative of "Growth" (the lead's team)
    response = client_as(role).post(
        url(org, "allocations/"),
        {"person": ada.pk, "initiative": growth_initiative.pk, "hours_per_week": "8", "reason": "Q1 push"},
        format="json",
    )
    # then the lead, executives and admins allocate; viewers and members are refused
    assert response.status_code == expected
    assert Allocation.objects.for_org(org).filter(person=ada).exists() == (expected == 201)


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.VIEWER, 403), (Role.MEMBER, 403), (Role.LEAD, 403), (Role.EXECUTIVE, 201), (Role.ADMIN, 201)],
)
def test_who_allocates_to_another_team(org, client_as, platform_initiative, role, expected):
    # given a person
    ada = PersonFactory(organization=org, name="Ada")
    # when a member of each role allocates her to an initiative of "Platform" (not the lead's team)
    response = client_as(role).post(
        url(org, "allocations/"),
        {"person": ada.pk, "initiative": platform_initiative.pk, "hours_per_week": "8"},
        format="json",
    )
    # then the lead is refused too
    assert response.status_code == expected
    assert Allocation.objects.for_org(org).filter(person=ada).exists() == (expected == 201)


@pytest.mark.parametrize(
    ("role", "initiative", "expected"),
    [
        (Role.VIEWER, "growth_initiative", 403),
        (Role.MEMBER, "growth_initiative", 403),
        (Role.LEAD, "growth_initiative", 200),
        (Role.LEAD, "platform_initiative", 403),
        (Role.EXECUTIVE, "platform_initiative", 200),
        (Role.ADMIN, "platform_initiative", 200),
    ],
)
def test_who_changes_an_allocation(org, client_as, request, role, initiative, expected):
    # given an allocation of 10 h/week to an initiative of "Growth" or "Platform"
    allocation = AllocationFactory(
        organization=org, initiative=request.getfixturevalue(initiative), hours_per_week=Decimal(10)
    )
    client = client_as(role)
    # when a member of each role changes it to 6 h/week
    response = client.patch(url(org, f"allocations/{allocation.pk}/"), {"hours_per_week": "6"}, format="json")
    # then it changes only where the role reaches the initiative's team
    assert response.status_code == expected
    allocation.refresh_from_db()
    assert allocation.hours_per_week == (Decimal(6) if expected == 200 else Decimal(10))


@pytest.mark.parametrize(
    ("role", "initiative", "expected"),
    [
        (Role.VIEWER, "growth_initiative", 403),
        (Role.MEMBER, "growth_initiative", 403),
        (Role.LEAD, "growth_initiative", 204),
        (Role.LEAD, "platform_initiative", 403),
        (Role.EXECUTIVE, "platform_initiative", 204),
        (Role.ADMIN, "platform_initiative", 204),
    ],
)
def test_who_deletes_an_allocation(org, client_as, request, role, initiative, expected):
    # given an allocation to an initiative of "Growth" or "Platform"
    allocation = AllocationFactory(organization=org, initiative=request.getfixturevalue(initiative))
    # when a member of each role deletes it
    response = client_as(role).delete(url(org, f"allocations/{allocation.pk}/"))
    # then it is gone only where the role reaches the initiative's team
    assert response.status_code == expected
    assert Allocation.objects.for_org(org).filter(pk=allocation.pk).exists() == (expected != 204)


def test_a_lead_cannot_move_an_allocation_out_of_their_team(
    org, client_as, growth_initiative, platform_initiative
):
    # given an allocation to an initiative of the lead's team
    allocation = AllocationFactory(organization=org, initiative=growth_initiative)
    # when the lead moves it to another team's initiative
    response = client_as(Role.LEAD).patch(
        url(org, f"allocations/{allocation.pk}/"), {"initiative": platform_initiative.pk}, format="json"
    )
    # then it is refused and stays where it was
    assert response.status_code == 403
    allocation.refresh_from_db()
    assert allocation.initiative_id == growth_initiative.pk
