import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from execgap.models import Role
from execgap.services import StaleVersionError
from resources.models import Allocation, Team
from resources.services import allocation_create, allocation_delete, allocation_update
from tests.conftest import person_of
from tests.factories import AllocationFactory, InitiativeFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

JAN_1 = datetime.date(2027, 1, 1)
MAR_31 = datetime.date(2027, 3, 31)


def _stale_since(org):
    org.refresh_from_db()
    return org.scores_stale_since


def _nothing_written(org, *, allocations, revisions):
    return (
        Allocation.objects.for_org(org).count() == allocations
        and Allocation.history.filter(organization_id=org.pk).count() == revisions
        and _stale_since(org) is None
    )


@pytest.fixture
def initiative(org):
    return InitiativeFactory(organization=org, title="Self-serve onboarding")


@pytest.fixture
def person(org):
    return PersonFactory(organization=org, name="Ada")


@pytest.fixture
def lead(member_of, org):
    """A lead of the team "Growth" (which has a sub-team "Growth EU")."""
    membership = member_of(Role.LEAD)
    growth = TeamFactory(organization=org, name="Growth", lead=person_of(membership))
    TeamFactory(organization=org, name="Growth EU", parent=growth)
    return membership


# --- the happy paths, with their revision records -----------------------------------------------


def test_an_executive_allocates_someone_and_the_revision_says_who_and_why(executive, org, person, initiative):
    # when an executive allocates Ada 12 h/week through Q1, giving a reason
    allocation = allocation_create(
        actor=executive,
        data={
            "person": person,
            "initiative": initiative,
            "hours_per_week": Decimal(12),
            "start_date": JAN_1,
            "end_date": MAR_31,
        },
        reason="Staff onboarding for Q1",
    )
    # then it is stored, with a "created" revision by the executive holding the reason and values
    stored = Allocation.objects.for_org(org).get(pk=allocation.pk)
    assert (stored.hours_per_week, stored.start_date, stored.end_date) == (Decimal(12), JAN_1, MAR_31)
    revision = stored.history.get()
    assert (revision.history_type, revision.history_user) == ("+", executive.user)
    assert revision.history_change_reason == "Staff onboarding for Q1"
    assert (revision.person_id, revision.initiative_id, revision.hours_per_week) == (
        person.pk,
        initiative.pk,
        Decimal(12),
    )
    # and the scores are marked stale
    assert _stale_since(org) is not None


def test_changing_an_allocation_records_before_and_after(executive, org, person, initiative):
    # given an allocation of 10 h/week at version 1
    allocation = AllocationFactory(organization=org, person=person, initiative=initiative)
    # when an executive raises it to 20 h/week, with a reason
    allocation_update(
        actor=executive,
        allocation=allocation,
        data={"hours_per_week": Decimal(20)},
        expected_version=1,
        reason="Launch crunch",
    )
    # then a "changed" revision by the executive holds the reason, and against the previous record
    # exactly the hours changed, from 10 to 20
    changed, previous = allocation.history.all()[:2]
    assert (changed.history_type, changed.history_user, changed.history_change_reason) == (
        "~",
        executive.user,
        "Launch crunch",
    )
    delta = changed.diff_against(previous, excluded_fields=["version"])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("hours_per_week", Decimal(10), Decimal(20))]
    allocation.refresh_from_db()
    assert allocation.version == 2
    assert _stale_since(org) is not None


def test_deleting_an_allocation_records_who_why_and_the_last_values(executive, org, person, initiative):
    # given an allocation
    allocation = AllocationFactory(organization=org, person=person, initiative=initiative)
    # when an executive deletes it, with a reason
    allocation_delete(actor=executive, allocation=allocation, expected_version=1, reason="Moved to search")
    # then it is gone, and a "deleted" revision keeps who, why and the values it had
    assert not Allocation.objects.for_org(org).exists()
    revision = Allocation.history.filter(id=allocation.pk).latest()
    assert (revision.history_type, revision.history_user, revision.history_change_reason) == (
        "-",
        executive.user,
        "Moved to search",
    )
    assert (revision.person_id, revision.hours_per_week) == (person.pk, Decimal(10))
    assert _stale_since(org) is not None


# --- bad input: the specific error, and nothing written --------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"hours_per_week": Decimal(-1)}, "hours_per_week"),
        ({"hours_per_week": Decimal(8), "start_date": MAR_31, "end_date": JAN_1}, "end_date"),
        ({"hours_per_week": Decimal(8), "status": "active"}, "status"),
        ({}, "hours_per_week"),
    ],
    ids=["negative hours", "end before start", "unknown field", "hours missing"],
)
def test_a_bad_allocation_is_refused_on_its_field(executive, org, person, initiative, data, field):
    # when an executive creates an allocation with bad input
    with pytest.raises(ValidationError) as refused:
        allocation_create(actor=executive, data={"person": person, "initiative": initiative, **data})
    # then the error names the field, and nothing is written
    assert field in refused.value.message_dict
    assert _nothing_written(org, allocations=0, revisions=0)


def test_an_allocation_ending_before_it_starts_is_explained(executive, org, person, initiative):
    # when an executive allocates from March back to January
    with pytest.raises(ValidationError) as refused:
        allocation_create(
            actor=executive,
            data={
                "person": person,
                "initiative": initiative,
                "hours_per_week": Decimal(8),
                "start_date": MAR_31,
                "end_date": JAN_1,
            },
        )
    # then the error says so on the end date
    assert refused.value.message_dict["end_date"] == ["The end date cannot be before the start date."]


@pytest.mark.parametrize("link", ["person", "initiative"])
def test_an_allocation_cannot_link_to_another_organizations_rows(
    executive, org, other_org, person, initiative, link
):
    # given a person and an initiative of another organization
    foreign = {
        "person": PersonFactory(organization=other_org),
        "initiative": InitiativeFactory(organization=other_org),
    }
    data = {"person": person, "initiative": initiative, "hours_per_week": Decimal(8), link: foreign[link]}
    # when an executive allocates across the boundary
    with pytest.raises(ValidationError) as refused:
        allocation_create(actor=executive, data=data)
    # then the link is refused, and nothing is written
    assert link in refused.value.message_dict
    assert _nothing_written(org, allocations=0, revisions=0)


def test_a_bad_change_leaves_the_allocation_as_it_was(executive, org, person, initiative):
    # given an allocation of 10 h/week
    allocation = AllocationFactory(organization=org, person=person, initiative=initiative)
    # when an executive sets negative hours
    with pytest.raises(ValidationError):
        allocation_update(actor=executive, allocation=allocation, data={"hours_per_week": Decimal(-5)})
    # then it is unchanged, with no new revision
    allocation.refresh_from_db()
    assert (allocation.hours_per_week, allocation.version) == (Decimal(10), 1)
    assert _nothing_written(org, allocations=1, revisions=1)  # the factory's "created" record


def test_a_stale_allocation_edit_is_refused_and_nothing_is_written(executive, org, person, initiative):
    # given an allocation someone else already changed (version 2)
    allocation = AllocationFactory(organization=org, person=person, initiative=initiative, version=2)
    # when an executive saves an edit, or deletes, having read version 1
    with pytest.raises(StaleVersionError):
        allocation_update(
            actor=executive, allocation=allocation, data={"hours_per_week": Decimal(30)}, expected_version=1
        )
    with pytest.raises(StaleVersionError):
        allocation_delete(actor=executive, allocation=allocation, expected_version=1)
    # then the allocation is as it was, with no new revision
    allocation.refresh_from_db()
    assert (allocation.hours_per_week, allocation.version) == (Decimal(10), 2)
    assert _nothing_written(org, allocations=1, revisions=1)


# --- roles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.ADMIN])
def test_executives_and_admins_manage_any_allocation(member_of, org, person, initiative, role):
    # given an executive or admin, and an initiative of no team
    actor = member_of(role)
    # when they create, change and delete an allocation on it
    allocation = allocation_create(
        actor=actor, data={"person": person, "initiative": initiative, "hours_per_week": Decimal(4)}
    )
    allocation = allocation_update(actor=actor, allocation=allocation, data={"hours_per_week": Decimal(6)})
    allocation_delete(actor=actor, allocation=allocation)
    # then all three are done
    assert [r.history_type for r in Allocation.history.filter(id=allocation.pk)] == ["-", "~", "+"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_do_not_touch_allocations(member_of, org, person, initiative, role):
    # given a member or viewer and an existing allocation
    actor = member_of(role)
    allocation = AllocationFactory(organization=org, person=person, initiative=initiative)
    # when they create, change or delete allocations
    with pytest.raises(PermissionDenied):
        allocation_create(
            actor=actor, data={"person": person, "initiative": initiative, "hours_per_week": Decimal(4)}
        )
    with pytest.raises(PermissionDenied):
        allocation_update(actor=actor, allocation=allocation, data={"hours_per_week": Decimal(40)})
    with pytest.raises(PermissionDenied):
        allocation_delete(actor=actor, allocation=allocation)
    # then nothing is written
    assert _nothing_written(org, allocations=1, revisions=1)


@pytest.mark.parametrize("team_name", ["Growth", "Growth EU"])
def test_a_lead_manages_the_allocations_of_their_teams_initiatives(lead, org, person, team_name):
    # given an initiative of the lead's team, or of a team below it
    initiative = InitiativeFactory(organization=org, team=Team.objects.for_org(org).get(name=team_name))
    # when the lead creates, changes and deletes an allocation on it
    allocation = allocation_create(
        actor=lead, data={"person": person, "initiative": initiative, "hours_per_week": Decimal(8)}
    )
    allocation = allocation_update(actor=lead, allocation=allocation, data={"hours_per_week": Decimal(16)})
    allocation_delete(actor=lead, allocation=allocation, reason="Done early")
    # then all three are recorded as the lead's
    revisions = Allocation.history.filter(id=allocation.pk)
    assert [(r.history_type, r.history_user) for r in revisions] == [
        ("-", lead.user),
        ("~", lead.user),
        ("+", lead.user),
    ]


def test_a_lead_does_not_staff_another_teams_initiative(lead, org, person):
    # given an initiative of another team, and one of no team
    others = InitiativeFactory(organization=org, team=TeamFactory(organization=org, name="Search"))
    teamless = InitiativeFactory(organization=org)
    # when the lead allocates someone to either
    for initiative in (others, teamless):
        with pytest.raises(PermissionDenied):
            allocation_create(
                actor=lead, data={"person": person, "initiative": initiative, "hours_per_week": Decimal(8)}
            )
    # then nothing is written
    assert _nothing_written(org, allocations=0, revisions=0)


def test_a_lead_does_not_change_or_delete_another_teams_allocation(lead, org, person):
    # given an allocation on another team's initiative
    search = TeamFactory(organization=org, name="Search")
    allocation = AllocationFactory(
        organization=org, person=person, initiative=InitiativeFactory(organization=org, team=search)
    )
    # when the lead changes or deletes it
    with pytest.raises(PermissionDenied):
        allocation_update(actor=lead, allocation=allocation, data={"hours_per_week": Decimal(1)})
    with pytest.raises(PermissionDenied):
        allocation_delete(actor=lead, allocation=allocation)
    # then it is untouched
    assert _nothing_written(org, allocations=1, revisions=1)


def test_a_lead_cannot_move_an_allocation_out_of_their_team(lead, org, person):
    # given an allocation on the lead's team's initiative, and another team's initiative
    growth = Team.objects.for_org(org).get(name="Growth")
    allocation = AllocationFactory(
        organization=org, person=person, initiative=InitiativeFactory(organization=org, team=growth)
    )
    elsewhere = InitiativeFactory(organization=org, team=TeamFactory(organization=org, name="Search"))
    # when the lead moves the allocation onto the other team's initiative
    with pytest.raises(PermissionDenied):
        allocation_update(actor=lead, allocation=allocation, data={"initiative": elsewhere})
    # then it stays where it was
    allocation.refresh_from_db()
    assert allocation.initiative.team == growth
    assert _nothing_written(org, allocations=1, revisions=1)
