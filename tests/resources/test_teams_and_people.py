from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from execgap.models import Role
from execgap.services import StaleVersionError
from objectives.models import Initiative, Objective
from resources.models import Allocation, Person, Team
from resources.services import (
    person_create,
    person_delete,
    person_update,
    team_create,
    team_delete,
    team_update,
)
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

pytestmark = pytest.mark.django_db

NOT_ADMIN = [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER]


def _stale_since(org):
    org.refresh_from_db()
    return org.scores_stale_since


# --- teams ---------------------------------------------------------------------------------------


def test_an_admin_creates_a_team_under_a_parent_with_a_lead(admin, org):
    # given a parent team and a person of the organization
    parent = TeamFactory(organization=org, name="Product")
    lead = PersonFactory(organization=org)
    # when the admin creates a team below it
    team = team_create(actor=admin, data={"name": "Checkout", "parent": parent, "lead_id": lead.pk})
    # then it is stored in the organization with its parent and lead
    stored = Team.objects.for_org(org).get(name="Checkout")
    assert stored == team
    assert (stored.parent, stored.lead, stored.version) == (parent, lead, 1)


def test_an_admin_renames_a_team_and_its_version_moves_on(admin, org):
    # given a team at version 1
    team = TeamFactory(organization=org, name="Growth")
    # when the admin renames it, having read version 1
    team_update(actor=admin, team=team, data={"name": "Acquisition"}, expected_version=1)
    # then the new name is stored at version 2
    team.refresh_from_db()
    assert (team.name, team.version) == ("Acquisition", 2)


def test_a_stale_team_edit_is_refused_and_nothing_is_written(admin, org):
    # given a team someone else already changed (version 2)
    team = TeamFactory(organization=org, name="Growth", version=2)
    # when the admin saves an edit made on version 1
    with pytest.raises(StaleVersionError) as refused:
        team_update(actor=admin, team=team, data={"name": "Acquisition"}, expected_version=1)
    # then it is refused, naming both versions, and the team is unchanged
    assert (refused.value.expected, refused.value.current) == (1, 2)
    team.refresh_from_db()
    assert (team.name, team.version) == ("Growth", 2)
    assert _stale_since(org) is None


def test_a_team_cannot_move_below_its_own_child(admin, org):
    # given a parent team with a child
    parent = TeamFactory(organization=org, name="Engineering")
    child = TeamFactory(organization=org, name="Platform", parent=parent)
    # when the admin makes the parent a child of its child
    with pytest.raises(ValidationError) as refused:
        team_update(actor=admin, team=parent, data={"parent": child})
    # then the cycle is refused on `parent` and nothing is written
    assert "own ancestor" in refused.value.message_dict["parent"][0]
    parent.refresh_from_db()
    assert (parent.parent_id, parent.version) == (None, 1)
    assert _stale_since(org) is None


def test_a_team_cannot_be_its_own_parent(admin, org):
    # given a team
    team = TeamFactory(organization=org)
    # when the admin makes it its own parent
    with pytest.raises(ValidationError) as refused:
        team_update(actor=admin, team=team, data={"parent_id": team.pk})
    # then it is refused on `parent`
    assert "parent" in refused.value.message_dict
    team.refresh_from_db()
    assert team.parent_id is None


@pytest.mark.parametrize("link", ["parent", "lead"])
def test_a_team_cannot_link_to_another_organizations_rows(admin, org, other_org, link):
    # given a team and a person of another organization
    elsewhere = {"parent": TeamFactory(organization=other_org), "lead": PersonFactory(organization=other_org)}
    # when the admin creates a team linked to one of them
    with pytest.raises(ValidationError) as refused:
        team_create(actor=admin, data={"name": "Sneaky", link: elsewhere[link]})
    # then the link is refused as if the row did not exist, and no team is created
    assert link in refused.value.message_dict
    assert not Team.objects.for_org(org).exists()
    assert _stale_since(org) is None


def test_a_team_that_still_has_child_teams_cannot_be_deleted(admin, org):
    # given a team with a child team and an objective of its own
    parent = TeamFactory(organization=org, name="Engineering")
    TeamFactory(organization=org, name="Platform", parent=parent)
    objective = ObjectiveFactory(organization=org, team=parent)
    # when the admin deletes it
    with pytest.raises(ValidationError) as refused:
        team_delete(actor=admin, team=parent)
    # then it is refused, saying what is in the way, and nothing is written
    assert "still has" in " ".join(refused.value.messages)
    assert Team.objects.for_org(org).count() == 2
    objective.refresh_from_db()
    assert objective.team == parent
    assert not objective.history.filter(history_type="~").exists()
    assert _stale_since(org) is None


def test_deleting_a_team_records_its_goals_losing_it(admin, org):
    # given a team with an objective and an initiative
    team = TeamFactory(organization=org, name="Payments")
    objective = ObjectiveFactory(organization=org, team=team)
    initiative = InitiativeFactory(organization=org, team=team)
    # when the admin deletes the team
    team_delete(actor=admin, team=team, expected_version=1)
    # then it is gone, and each goal's loss of the team is a revision by the admin saying why
    assert not Team.objects.for_org(org).exists()
    for goal in (objective, initiative):
        goal.refresh_from_db()
        assert (goal.team_id, goal.version) == (None, 2)
        revision = goal.history.latest()
        assert (revision.history_type, revision.history_user, revision.team_id) == ("~", admin.user, None)
        assert revision.history_change_reason == "Team deleted: Payments"
    assert _stale_since(org) is not None


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_only_an_admin_creates_teams(member_of, org, role):
    # given a member with a role below admin
    actor = member_of(role)
    # when they create a team
    with pytest.raises(PermissionDenied):
        team_create(actor=actor, data={"name": "Shadow IT"})
    # then nothing is written
    assert not Team.objects.for_org(org).exists()


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_only_an_admin_changes_or_deletes_teams(member_of, org, role):
    # given a team, led by the actor when they are a lead
    actor = member_of(role)
    team = TeamFactory(organization=org, name="Data", lead=person_of(actor))
    # when they rename or delete it
    with pytest.raises(PermissionDenied):
        team_update(actor=actor, team=team, data={"name": "Analytics"})
    with pytest.raises(PermissionDenied):
        team_delete(actor=actor, team=team)
    # then the team is unchanged
    team.refresh_from_db()
    assert (team.name, team.version) == ("Data", 1)


# --- people --------------------------------------------------------------------------------------


def test_an_admin_adds_a_person_for_a_member(admin, org):
    # given a member of the organization without a person record, and a team
    membership = MembershipFactory(organization=org, role=Role.MEMBER)
    team = TeamFactory(organization=org)
    # when the admin adds their person record
    person = person_create(
        actor=admin,
        data={"name": "Ada", "user": membership.user, "team": team, "weekly_capacity_hours": Decimal(32)},
    )
    # then it is stored with the user, team and weekly capacity
    stored = Person.objects.for_org(org).get(pk=person.pk)
    assert (stored.user, stored.team, stored.weekly_capacity_hours) == (membership.user, team, Decimal(32))
    assert _stale_since(org) is not None


def test_a_person_without_a_login_is_fine(admin, org):
    # when the admin adds a person with no user
    person = person_create(actor=admin, data={"name": "Contractor", "user": None})
    # then they are stored without one
    assert Person.objects.for_org(org).get(pk=person.pk).user_id is None


@pytest.mark.parametrize("as_id", [False, True])
def test_a_persons_user_must_be_a_member_of_the_organization(admin, org, other_org, as_id):
    # given a user who is a member of another organization only
    outsider = MembershipFactory(organization=other_org).user
    count = Person.objects.count()
    # when the admin adds a person for them
    data = {"name": "Eve", "user_id": outsider.pk} if as_id else {"name": "Eve", "user": outsider}
    with pytest.raises(ValidationError) as refused:
        person_create(actor=admin, data=data)
    # then it is refused on `user` and nothing is written
    assert refused.value.message_dict == {"user": ["This user is not a member of the organization."]}
    assert Person.objects.count() == count
    assert _stale_since(org) is None


def test_a_person_cannot_be_given_a_user_outside_the_organization(admin, org):
    # given a person and a user with no membership at all
    person = PersonFactory(organization=org)
    stranger = UserFactory()
    # when the admin links the person to that user
    with pytest.raises(ValidationError) as refused:
        person_update(actor=admin, person=person, data={"user": stranger})
    # then it is refused on `user` and the person is unchanged
    assert "user" in refused.value.message_dict
    person.refresh_from_db()
    assert (person.user_id, person.version) == (None, 1)


def test_a_persons_capacity_cannot_be_negative(admin, org):
    # given the people of the organization (the admin's own person)
    count = Person.objects.for_org(org).count()
    # when the admin adds a person with a negative weekly capacity
    with pytest.raises(ValidationError) as refused:
        person_create(actor=admin, data={"name": "Bob", "weekly_capacity_hours": Decimal(-1)})
    # then it is refused on that field and nothing is written
    assert refused.value.message_dict["weekly_capacity_hours"] == ["Must not be negative."]
    assert Person.objects.for_org(org).count() == count
    assert _stale_since(org) is None


def test_a_person_cannot_join_another_organizations_team(admin, org, other_org):
    # given a person and a team of another organization
    person = PersonFactory(organization=org)
    foreign_team = TeamFactory(organization=other_org)
    # when the admin moves the person into it
    with pytest.raises(ValidationError) as refused:
        person_update(actor=admin, person=person, data={"team": foreign_team})
    # then it is refused on `team` and the person is unchanged
    assert "team" in refused.value.message_dict
    person.refresh_from_db()
    assert person.team_id is None


def test_a_stale_person_edit_is_refused(admin, org):
    # given a person someone else already changed
    person = PersonFactory(organization=org, name="Ann", version=3)
    # when the admin saves an edit made on version 2
    with pytest.raises(StaleVersionError):
        person_update(actor=admin, person=person, data={"name": "Anne"}, expected_version=2)
    # then the person is unchanged
    person.refresh_from_db()
    assert (person.name, person.version) == ("Ann", 3)


def test_deleting_a_person_records_their_allocations_and_goals_losing_them(admin, org):
    # given a person with an allocation who owns an objective and an initiative
    person = PersonFactory(organization=org, name="Grace")
    allocation = AllocationFactory(organization=org, person=person)
    objective = ObjectiveFactory(organization=org, owner=person)
    initiative = InitiativeFactory(organization=org, owner=person)
    # when the admin deletes the person
    person_delete(actor=admin, person=person)
    # then the allocation's delete and the goals' loss of their owner are revisions by the admin
    assert not Person.objects.for_org(org).filter(pk=person.pk).exists()
    assert not Allocation.objects.filter(pk=allocation.pk).exists()
    deleted = Allocation.history.filter(id=allocation.pk).latest()
    assert (deleted.history_type, deleted.history_user) == ("-", admin.user)
    assert deleted.history_change_reason == "Person deleted: Grace"
    for model, goal in ((Objective, objective), (Initiative, initiative)):
        revision = model.history.filter(id=goal.pk).latest()
        assert (revision.history_type, revision.owner_id, revision.history_user) == ("~", None, admin.user)
        assert revision.history_change_reason == "Person deleted: Grace"


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_only_an_admin_writes_people(member_of, org, role):
    # given a member below admin and a person
    actor = member_of(role)
    person = PersonFactory(organization=org, name="Linus")
    count = Person.objects.for_org(org).count()
    # when they add, change or delete people
    with pytest.raises(PermissionDenied):
        person_create(actor=actor, data={"name": "Ghost"})
    with pytest.raises(PermissionDenied):
        person_update(actor=actor, person=person, data={"name": "Linux"})
    with pytest.raises(PermissionDenied):
        person_delete(actor=actor, person=person)
    # then nothing is written
    person.refresh_from_db()
    assert (person.name, Person.objects.for_org(org).count()) == ("Linus", count)
    assert _stale_since(org) is None


def test_a_role_that_may_not_write_people_is_refused_before_the_user_is_checked(member_of, org, other_org):
    # given a viewer and a user of another organization
    viewer = member_of(Role.VIEWER)
    outsider = MembershipFactory(organization=other_org).user
    # when the viewer adds a person for that user
    # then the action itself is refused (not the user, which would say who is a member)
    with pytest.raises(PermissionDenied):
        person_create(actor=viewer, data={"name": "Eve", "user": outsider})


def test_a_stale_team_delete_writes_nothing(admin, org):
    # given a team someone else already changed, with an objective
    team = TeamFactory(organization=org, version=2)
    objective = ObjectiveFactory(organization=org, team=team)
    # when the admin deletes it, having read version 1
    with pytest.raises(StaleVersionError):
        team_delete(actor=admin, team=team, expected_version=1)
    # then the team and the objective's link to it stay, with no new revision
    objective.refresh_from_db()
    assert (objective.team, objective.version) == (team, 1)
    assert not objective.history.filter(history_type="~").exists()
    assert _stale_since(org) is None


def test_a_stale_person_delete_writes_nothing(admin, org):
    # given a person someone else already changed, with an allocation and an objective
    person = PersonFactory(organization=org, version=2)
    allocation = AllocationFactory(organization=org, person=person)
    objective = ObjectiveFactory(organization=org, owner=person)
    # when the admin deletes them, having read version 1
    with pytest.raises(StaleVersionError):
        person_delete(actor=admin, person=person, expected_version=1)
    # then the person, their allocation and their ownership stay, with no new revision
    assert Allocation.objects.filter(pk=allocation.pk).exists()
    objective.refresh_from_db()
    assert objective.owner == person
    assert not Allocation.history.filter(history_type="-").exists()
    assert not objective.history.filter(history_type="~").exists()
    assert _stale_since(org) is None
