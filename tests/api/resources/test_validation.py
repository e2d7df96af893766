"""Bad input to teams/, people/ and allocations/ answers 400 field by field and writes nothing."""

import datetime
from decimal import Decimal

import pytest

from execgap.models import Role
from resources.models import Allocation, Person, Team
from tests.api.resources.support import client_for, url
from tests.factories import AllocationFactory, PersonFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

MISSING = 987654321


@pytest.fixture
def client(admin):
    return client_for(admin)


def _stale_since(org):
    org.refresh_from_db()
    return org.scores_stale_since


# --- teams -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name": ["This field is required."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
        ({"name": "x" * 201}, {"name": ["Ensure this field has no more than 200 characters."]}),
        (
            {"name": "Data", "parent": MISSING},
            {"parent": [f'Invalid pk "{MISSING}" - object does not exist.']},
        ),
        ({"name": "Data", "lead": MISSING}, {"lead": [f'Invalid pk "{MISSING}" - object does not exist.']}),
        ({"name": "Data", "parent": "top"}, {"parent": ["Incorrect type. Expected pk value, received str."]}),
    ],
)
def test_a_bad_team_is_refused_field_by_field(org, client, body, errors):
    # when an admin creates a team from bad input
    response = client.post(url(org, "teams/"), body, format="json")
    # then each bad field is named with its message and nothing is written
    assert (response.status_code, response.json()) == (400, errors)
    assert not Team.objects.for_org(org).exists()


def test_a_second_team_of_the_same_name_is_refused(org, client):
    # given the team "Growth"
    TeamFactory(organization=org, name="Growth")
    # when an admin creates another "Growth"
    response = client.post(url(org, "teams/"), {"name": "Growth"}, format="json")
    # then it is refused and there is still one
    assert response.status_code == 400
    assert "already exists" in response.json()["non_field_errors"][0]
    assert Team.objects.for_org(org).count() == 1


def test_a_team_cannot_become_its_own_ancestor(org, client):
    # given Growth above Growth EU
    growth = TeamFactory(organization=org, name="Growth")
    growth_eu = TeamFactory(organization=org, name="Growth EU", parent=growth)
    # when an admin puts Growth under Growth EU
    response = client.patch(url(org, f"teams/{growth.pk}/"), {"parent": growth_eu.pk}, format="json")
    # then the cycle is refused on `parent` and nothing changes
    assert (response.status_code, response.json()) == (
        400,
        {"parent": ["This would make it its own ancestor: the parent links must form a tree."]},
    )
    growth.refresh_from_db()
    assert (growth.parent_id, growth.version) == (None, 1)
    assert _stale_since(org) is None


def test_a_team_with_child_teams_is_not_deleted(org, client):
    # given Growth above Growth EU
    growth = TeamFactory(organization=org, name="Growth")
    TeamFactory(organization=org, name="Growth EU", parent=growth)
    # when an admin deletes Growth
    response = client.delete(url(org, f"teams/{growth.pk}/"))
    # then it is refused with what is still below it
    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["This team still has 1 child team: move or delete them first."]},
    )
    assert Team.objects.for_org(org).count() == 2


# --- people ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name": ["This field is required."]}),
        ({"name": "Ada", "email": "not-an-address"}, {"email": ["Enter a valid email address."]}),
        (
            {"name": "Ada", "weekly_capacity_hours": "-1"},
            {"weekly_capacity_hours": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            {"name": "Ada", "weekly_capacity_hours": "lots"},
            {"weekly_capacity_hours": ["A valid number is required."]},
        ),
        ({"name": "Ada", "team": MISSING}, {"team": [f'Invalid pk "{MISSING}" - object does not exist.']}),
        ({"name": "Ada", "user": MISSING}, {"user": [f'Invalid pk "{MISSING}" - object does not exist.']}),
        ({"name": "Ada", "active": "perhaps"}, {"active": ["Must be a valid boolean."]}),
    ],
)
def test_a_bad_person_is_refused_field_by_field(org, admin, client, body, errors):
    people = Person.objects.for_org(org).count()  # the admin's own person
    # when an admin adds a person from bad input
    response = client.post(url(org, "people/"), body, format="json")
    # then each bad field is named with its message and nothing is written
    assert (response.status_code, response.json()) == (400, errors)
    assert Person.objects.for_org(org).count() == people


def test_a_person_is_linked_only_to_a_member_of_the_organization(org, other_org, member_of, client):
    # given a user who is a member of another organization only
    outsider = member_of(Role.MEMBER, other_org).user
    # when an admin links a new person to them, and to a user that does not exist
    outside = client.post(url(org, "people/"), {"name": "Eve", "user": outsider.pk}, format="json")
    missing = client.post(url(org, "people/"), {"name": "Eve", "user": MISSING}, format="json")
    # then both are refused alike: whose account exists elsewhere is never revealed
    assert outside.status_code == missing.status_code == 400
    assert outside.json()["user"][0].replace(str(outsider.pk), "<id>") == missing.json()["user"][0].replace(
        str(MISSING), "<id>"
    )
    assert not Person.objects.for_org(org).filter(name="Eve").exists()


def test_a_person_is_linked_to_a_member_by_user_id(org, member_of, client):
    # given a member without a person record
    newcomer = member_of(Role.MEMBER, person=False).user
    # when an admin adds their person
    response = client.post(url(org, "people/"), {"name": "Newcomer", "user": newcomer.pk}, format="json")
    # then the person reads back with the user's id
    assert (response.status_code, response.json()["user"]) == (201, newcomer.pk)
    assert Person.objects.for_org(org).get(name="Newcomer").user == newcomer


def test_an_email_used_by_another_person_is_refused(org, client):
    # given Ada's email
    PersonFactory(organization=org, name="Ada", email="ada@acme.test")
    people = Person.objects.for_org(org).count()
    # when an admin adds someone else with it
    response = client.post(url(org, "people/"), {"name": "Imposter", "email": "ada@acme.test"}, format="json")
    # then it is refused and nobody is added
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert Person.objects.for_org(org).count() == people


def test_a_user_cannot_have_two_people(org, admin, client):
    people = Person.objects.for_org(org).count()
    # when an admin adds a second person for their own user
    response = client.post(url(org, "people/"), {"name": "Double", "user": admin.user.pk}, format="json")
    # then it is refused
    assert response.status_code == 400
    assert Person.objects.for_org(org).count() == people


def test_unknown_users_do_not_leak_through_people(org, client):
    # given a user of no organization at all
    loner = UserFactory()
    # when an admin links a person to them
    response = client.post(url(org, "people/"), {"name": "Loner", "user": loner.pk}, format="json")
    # then the id reads as missing
    assert (response.status_code, response.json()) == (
        400,
        {"user": [f'Invalid pk "{loner.pk}" - object does not exist.']},
    )


# --- allocations -------------------------------------------------------------------------------


@pytest.fixture
def ada(org):
    return PersonFactory(organization=org, name="Ada")


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"person": None}, {"person": ["This field may not be null."]}),
        ({"initiative": MISSING}, {"initiative": [f'Invalid pk "{MISSING}" - object does not exist.']}),
        ({"hours_per_week": "-2"}, {"hours_per_week": ["Ensure this value is greater than or equal to 0."]}),
        ({"hours_per_week": ""}, {"hours_per_week": ["A valid number is required."]}),
        (
            {"start_date": "31/01/2027"},
            {"start_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
        (
            {"start_date": "2027-03-01", "end_date": "2027-02-01"},
            {"end_date": ["The end date cannot be before the start date."]},
        ),
        ({"reason": "x" * 501}, {"reason": ["Ensure this field has no more than 500 characters."]}),
    ],
)
def test_a_bad_allocation_is_refused_field_by_field(org, client, ada, growth_initiative, change, errors):
    body = {"person": ada.pk, "initiative": growth_initiative.pk, "hours_per_week": "8"} | change
    # when an admin allocates from bad input
    response = client.post(url(org, "allocations/"), body, format="json")
    # then each bad field is named with its message; no allocation, revision or stale mark is written
    assert (response.status_code, response.json()) == (400, errors)
    assert not Allocation.objects.for_org(org).exists()
    assert not Allocation.history.filter(organization_id=org.pk).exists()
    assert _stale_since(org) is None


def test_a_bad_change_leaves_the_allocation_as_it_was(org, client, growth_initiative):
    # given 10 h/week from 1 March
    allocation = AllocationFactory(
        organization=org, initiative=growth_initiative, hours_per_week=Decimal(10),
        start_date=datetime.date(2027, 3, 1),
    )  # fmt: skip
    # when an admin moves its end before its start
    response = client.patch(
        url(org, f"allocations/{allocation.pk}/"), {"end_date": "2027-02-01"}, format="json"
    )
    # then it is refused on `end_date` and nothing changes
    assert (response.status_code, response.json()) == (
        400,
        {"end_date": ["The end date cannot be before the start date."]},
    )
    allocation.refresh_from_db()
    assert (allocation.end_date, allocation.version) == (None, 1)


def test_an_allocation_keeps_its_reason_in_the_plan_history(org, admin, client, ada, growth_initiative):
    # when an admin allocates Ada with a reason
    response = client.post(
        url(org, "allocations/"),
        {"person": ada.pk, "initiative": growth_initiative.pk, "hours_per_week": "8", "reason": "Q1 push"},
        format="json",
    )
    # then the reason is in the revision, with who made it, and never in the answer
    assert response.status_code == 201
    assert "reason" not in response.json()
    revision = Allocation.history.get(id=response.json()["id"])
    assert (revision.history_change_reason, revision.history_user) == ("Q1 push", admin.user)
