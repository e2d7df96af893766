"""The scoped rules of the role table on real rows: team, teams below, own rows, answers."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from execgap.models import Role
from execgap.roles import Action, Resource, is_allowed, require, team_id_of
from objectives.models import Initiative, KeyResult, Objective, Task
from objectives.services import (
    initiative_create,
    initiative_delete,
    initiative_update,
    key_result_create,
    key_result_update,
    objective_create,
    objective_delete,
    objective_update,
    task_create,
    task_update,
)
from tests.conftest import person_of
from tests.factories import (
    AllocationFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
    TeamFactory,
)
from tests.objectives.database import nothing_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(org):
    """Product (led by the lead) with Mobile below it, and Sales beside them."""
    product = TeamFactory(organization=org, name="Product")
    return {
        "product": product,
        "mobile": TeamFactory(organization=org, name="Mobile", parent=product),
        "sales": TeamFactory(organization=org, name="Sales"),
    }


@pytest.fixture
def lead(member_of, teams):
    membership = member_of(Role.LEAD)
    person = person_of(membership)
    teams["product"].lead = person
    teams["product"].save()
    return membership


@pytest.fixture
def member(member_of, teams):
    membership = member_of(Role.MEMBER)
    person = person_of(membership)
    person.team = teams["mobile"]
    person.save()
    return membership


# --- the lead manages their team's plan and that of the teams below -------------------------------


@pytest.mark.parametrize("team", ["product", "mobile"])
def test_a_lead_creates_objectives_and_initiatives_for_their_team_and_teams_below(lead, teams, team):
    # when the lead of Product creates goals for Product or Mobile
    objective = objective_create(actor=lead, data={"title": "Ship", "team": teams[team]})
    initiative = initiative_create(
        actor=lead, data={"title": "Build", "team": teams[team], "objective": objective}
    )
    key_result = key_result_create(
        actor=lead, data={"title": "Users", "objective": objective, "target_value": 10}
    )
    # then they are stored
    assert objective.team == teams[team]
    assert initiative.objective == objective
    assert key_result.objective == objective


@pytest.mark.parametrize(
    ("create", "data"),
    [
        pytest.param(objective_create, {"title": "Sell"}, id="objective"),
        pytest.param(initiative_create, {"title": "Call"}, id="initiative"),
    ],
)
@pytest.mark.parametrize("team", ["sales", None], ids=["another-team", "no-team"])
def test_a_lead_cannot_create_goals_for_another_team_or_for_no_team(lead, teams, create, data, team):
    with nothing_written(), pytest.raises(PermissionDenied):
        create(actor=lead, data={**data, "team": teams[team] if team else None})


def test_a_lead_cannot_add_a_key_result_to_another_teams_objective(lead, org, teams):
    sales_objective = ObjectiveFactory(organization=org, team=teams["sales"])
    with nothing_written(), pytest.raises(PermissionDenied):
        key_result_create(
            actor=lead, data={"title": "Deals", "objective": sales_objective, "target_value": 5}
        )


@pytest.mark.parametrize("team", ["product", "mobile"])
def test_a_lead_changes_and_deletes_their_teams_goals(lead, org, teams, team):
    # given an objective with a key result, and an initiative, of the lead's team (or one below)
    objective = ObjectiveFactory(organization=org, team=teams[team])
    key_result = KeyResultFactory(organization=org, objective=objective)
    initiative = InitiativeFactory(organization=org, team=teams[team])
    # when the lead changes them, then the changes are stored
    assert objective_update(actor=lead, objective=objective, data={"title": "New"}).title == "New"
    assert key_result_update(actor=lead, key_result=key_result, data={"current_value": 3}).current_value == 3
    assert initiative_update(actor=lead, initiative=initiative, data={"status": "done"}).status == "done"
    # and they may delete them
    initiative_delete(actor=lead, initiative=initiative)
    objective_delete(actor=lead, objective=objective, cascade=True)  # with its key result
    assert not Objective.objects.for_org(org).exists()
    assert not Initiative.objects.for_org(org).exists()


def test_a_lead_cannot_change_or_delete_another_teams_goals(lead, org, teams):
    # given an objective, key result and initiative of Sales
    objective = ObjectiveFactory(organization=org, team=teams["sales"])
    key_result = KeyResultFactory(organization=org, objective=objective)
    initiative = InitiativeFactory(organization=org, team=teams["sales"])
    # when the lead of Product touches them, then each is refused and nothing changes
    with nothing_written():
        for attempt in (
            lambda: objective_update(actor=lead, objective=objective, data={"title": "Mine"}),
            lambda: key_result_update(actor=lead, key_result=key_result, data={"current_value": 9}),
            lambda: initiative_update(actor=lead, initiative=initiative, data={"title": "Mine"}),
            lambda: initiative_delete(actor=lead, initiative=initiative),
            lambda: objective_delete(actor=lead, objective=objective),
        ):
            with pytest.raises(PermissionDenied):
                attempt()


def test_a_lead_cannot_move_their_teams_objective_into_another_team(lead, org, teams):
    # given an objective of the lead's team
    objective = ObjectiveFactory(organization=org, team=teams["product"])
    # when the lead gives it to Sales, then that is refused and it stays with Product
    with nothing_written(), pytest.raises(PermissionDenied):
        objective_update(actor=lead, objective=objective, data={"team": teams["sales"]})
    objective.refresh_from_db()
    assert objective.team == teams["product"]


def test_a_lead_cannot_take_another_teams_objective_into_their_team(lead, org, teams):
    objective = ObjectiveFactory(organization=org, team=teams["sales"])
    with nothing_written(), pytest.raises(PermissionDenied):
        objective_update(actor=lead, objective=objective, data={"team": teams["product"]})


def test_a_lead_manages_allocations_on_their_teams_initiatives_only(lead, org, teams):
    ours = AllocationFactory(
        organization=org, initiative=InitiativeFactory(organization=org, team=teams["mobile"])
    )
    theirs = AllocationFactory(
        organization=org, initiative=InitiativeFactory(organization=org, team=teams["sales"])
    )
    for action in (Action.CREATE, Action.CHANGE, Action.DELETE):
        assert is_allowed(lead, Resource.ALLOCATION, action, ours)
        assert not is_allowed(lead, Resource.ALLOCATION, action, theirs)


def test_a_lead_without_a_person_record_manages_no_team_rows(member_of, org, teams):
    lead = member_of(Role.LEAD, person=False)
    objective = ObjectiveFactory(organization=org, team=teams["product"])
    assert not is_allowed(lead, Resource.OBJECTIVE, Action.CHANGE, objective)


# --- tasks: members edit their own; leads their own and their team's ------------------------------


def test_a_member_creates_a_task_and_edits_the_tasks_assigned_to_them(member, org):
    # given a task assigned to the member
    task = task_create(actor=member, data={"title": "Write docs", "assignee": person_of(member)})
    # when they edit it, then the change is stored
    changed = task_update(actor=member, task=task, data={"status": "in_progress", "effort_hours": Decimal(3)})
    assert changed.status == "in_progress"
    assert changed.version == 2


def test_a_member_cannot_edit_someone_elses_task(member, org):
    task = TaskFactory(organization=org, assignee=PersonFactory(organization=org))
    with nothing_written(), pytest.raises(PermissionDenied):
        task_update(actor=member, task=task, data={"status": "done"})


def test_a_member_cannot_edit_an_unassigned_task(member, org):
    task = TaskFactory(organization=org)
    with nothing_written(), pytest.raises(PermissionDenied):
        task_update(actor=member, task=task, data={"title": "Mine now"})


def test_a_member_cannot_hand_their_task_to_someone_else(member, org):
    # the rule is checked on the task as it would be, too
    task = TaskFactory(organization=org, assignee=person_of(member))
    colleague = PersonFactory(organization=org)
    with nothing_written(), pytest.raises(PermissionDenied):
        task_update(actor=member, task=task, data={"assignee": colleague})


def test_a_lead_edits_their_own_tasks_and_their_teams_but_not_another_teams(lead, org, teams):
    own = TaskFactory(organization=org, assignee=person_of(lead), team=teams["sales"])
    below = TaskFactory(organization=org, team=teams["mobile"])
    via_initiative = TaskFactory(
        organization=org, initiative=InitiativeFactory(organization=org, team=teams["product"])
    )
    theirs = TaskFactory(organization=org, team=teams["sales"])
    for task in (own, below, via_initiative):
        assert task_update(actor=lead, task=task, data={"status": "blocked"}).status == "blocked"
    with nothing_written(), pytest.raises(PermissionDenied):
        task_update(actor=lead, task=theirs, data={"status": "blocked"})


def test_a_task_of_another_team_is_refused_to_a_lead_even_without_an_assignee(lead, org, teams):
    # guards the scope flags: "own and team" must not compare equal to "any"
    task = TaskFactory(organization=org, team=teams["sales"])
    assert not is_allowed(lead, Resource.TASK, Action.CHANGE, task)
    assert not is_allowed(lead, Resource.TASK, Action.DELETE, task)


# --- feedback: a lead answers their team's only ---------------------------------------------------


def test_a_lead_answers_their_teams_feedback_only(lead, org, teams):
    ours = FeedbackItemFactory(
        organization=org, objective=ObjectiveFactory(organization=org, team=teams["mobile"])
    )
    theirs = FeedbackItemFactory(
        organization=org, initiative=InitiativeFactory(organization=org, team=teams["sales"])
    )
    unattached = FeedbackItemFactory(organization=org)
    assert is_allowed(lead, Resource.FEEDBACK, Action.ANSWER, ours)
    assert not is_allowed(lead, Resource.FEEDBACK, Action.ANSWER, theirs)
    assert not is_allowed(lead, Resource.FEEDBACK, Action.ANSWER, unattached)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_do_not_answer_feedback(member_of, org, role):
    item = FeedbackItemFactory(organization=org)
    assert not is_allowed(member_of(role), Resource.FEEDBACK, Action.ANSWER, item)


# --- admin only: teams, people, memberships, organization settings -------------------------------


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_an_admin_manages_teams_people_memberships_and_settings(member_of, org, teams, role):
    # given a member who is not an admin, and an admin
    someone = member_of(role)
    admin = member_of(Role.ADMIN)
    rows = {
        Resource.TEAM: teams["product"],
        Resource.PERSON: person_of(someone),
        Resource.MEMBERSHIP: someone,
        Resource.ORGANIZATION: org,
    }
    for resource, row in rows.items():
        # then only the admin may change it
        assert is_allowed(admin, resource, Action.CHANGE, row)
        assert not is_allowed(someone, resource, Action.CHANGE, row)
        with pytest.raises(PermissionDenied, match=f"Your role \\({role.value}\\) may not change"):
            require(someone, resource, Action.CHANGE, row)


# --- service-level enforcement --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("create", "data"),
    [
        pytest.param(objective_create, {"title": "Grow"}, id="objective"),
        pytest.param(initiative_create, {"title": "Build"}, id="initiative"),
        pytest.param(task_create, {"title": "Do"}, id="task"),
        # even with input that would not validate, the role is refused first
        pytest.param(objective_create, {"title": "", "priority_weight": -1}, id="objective-bad-input"),
    ],
)
def test_a_viewers_create_is_refused_and_writes_nothing(member_of, create, data):
    viewer = member_of(Role.VIEWER)
    with nothing_written(), pytest.raises(PermissionDenied):
        create(actor=viewer, data=data)


def test_a_viewer_cannot_change_a_task_assigned_to_them(member_of, org):
    viewer = member_of(Role.VIEWER)
    task = TaskFactory(organization=org, assignee=person_of(viewer))
    with nothing_written(), pytest.raises(PermissionDenied):
        task_update(actor=viewer, task=task, data={"status": "done"})


# --- never across organizations -------------------------------------------------------------------


def test_no_role_is_allowed_a_row_of_another_organization(admin, other_org):
    theirs = {
        Resource.OBJECTIVE: ObjectiveFactory(organization=other_org),
        Resource.TASK: TaskFactory(organization=other_org),
        Resource.FEEDBACK: FeedbackItemFactory(organization=other_org),
        Resource.ORGANIZATION: other_org,
    }
    for resource, row in theirs.items():
        for action in (Action.VIEW, Action.CHANGE, Action.DELETE):
            assert not is_allowed(admin, resource, action, row), (resource, action)


def test_a_team_is_never_read_through_a_link_into_another_organization(org, other_org):
    # given a task of this organization wrongly linked (bypassing validation) to another's initiative
    elsewhere = InitiativeFactory(organization=other_org, team=TeamFactory(organization=other_org))
    task = Task(organization=org, title="Stray", initiative_id=elsewhere.pk)
    # then it belongs to no team, cached link or not
    assert team_id_of(task) is None
    task.initiative = elsewhere
    assert team_id_of(task) is None


def test_a_key_result_belongs_to_its_objectives_team(org, teams):
    key_result = KeyResultFactory(
        organization=org, objective=ObjectiveFactory(organization=org, team=teams["mobile"])
    )
    fresh = KeyResult.objects.for_org(org).get(pk=key_result.pk)
    assert team_id_of(fresh) == teams["mobile"].pk
