"""Who may do what on objectives/, key-results/, initiatives/ and tasks/: every endpoint × every role.

Every member reads. A lead writes the objectives, key results and initiatives of their team
("Growth"), not another team's ("Platform"), and cannot move a row into another team; executives
and admins write any. Members create tasks and change or delete only the tasks assigned to them;
a lead also those of their team.
"""

import pytest
from rest_framework.test import APIClient

from execgap.models import Role
from objectives.models import Initiative, KeyResult, Objective, Task
from tests.api.resources.support import ROLES, client_for, url
from tests.conftest import person_of
from tests.factories import KeyResultFactory, PersonFactory, TaskFactory, TeamFactory

pytestmark = pytest.mark.django_db

PATHS = ("objectives", "key-results", "initiatives", "tasks")
MODELS = {"objectives": Objective, "key-results": KeyResult, "initiatives": Initiative, "tasks": Task}


@pytest.fixture
def rows(org, growth, growth_objective, growth_initiative):
    """An objective, a key result, an initiative and a task, all of Growth."""
    return {
        "objectives": growth_objective,
        "key-results": KeyResultFactory(organization=org, objective=growth_objective),
        "initiatives": growth_initiative,
        "tasks": TaskFactory(organization=org, team=growth),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PATHS)
def test_every_role_lists_and_reads(org, client_as, rows, role, path):
    client = client_as(role)
    row_id = rows[path].pk
    # when any member lists the rows and reads one
    listed = client.get(url(org, f"{path}/"))
    read = client.get(url(org, f"{path}/{row_id}/"))
    # then both answer 200
    assert (listed.status_code, read.status_code) == (200, 200)
    assert row_id in [row["id"] for row in listed.json()["results"]]
    assert read.json()["id"] == row_id


@pytest.mark.parametrize("path", PATHS)
def test_the_anonymous_are_refused(org, rows, path):
    # when someone without a token or session lists the rows or reads one
    listed = APIClient().get(url(org, f"{path}/"))
    read = APIClient().get(url(org, f"{path}/{rows[path].pk}/"))
    # then they are told to authenticate
    assert (listed.status_code, read.status_code) == (401, 401)


# --- objectives, key results and initiatives: the lead's team, or any for executives and admins ---

# (role, team of the row, expected) for a create, a change and a delete.
PLAN_CREATE = [
    (Role.VIEWER, "growth", 403),
    (Role.MEMBER, "growth", 403),
    (Role.LEAD, "growth", 201),
    (Role.LEAD, "platform", 403),
    (Role.EXECUTIVE, "platform", 201),
    (Role.ADMIN, "platform", 201),
]
PLAN_CHANGE = [(role, team, 200 if expected == 201 else expected) for role, team, expected in PLAN_CREATE]
PLAN_DELETE = [(role, team, 204 if expected == 201 else expected) for role, team, expected in PLAN_CREATE]


@pytest.mark.parametrize(("role", "team", "expected"), PLAN_CREATE)
def test_who_creates_an_objective(org, client_as, request, role, team, expected):
    team_id = request.getfixturevalue(team).pk
    # when a member of each role creates an objective of Growth (the lead's team) or of Platform
    response = client_as(role).post(
        url(org, "objectives/"), {"title": "Win EMEA", "team": team_id, "reason": "Board ask"}, format="json"
    )
    # then it is created only where the role reaches that team
    assert response.status_code == expected
    assert Objective.objects.for_org(org).filter(title="Win EMEA").exists() == (expected == 201)


def test_a_lead_cannot_create_an_objective_of_no_team(org, client_as):
    # when the lead creates an objective that belongs to no team
    response = client_as(Role.LEAD).post(url(org, "objectives/"), {"title": "Win EMEA"}, format="json")
    # then it is refused: it is not their team's
    assert response.status_code == 403
    assert not Objective.objects.for_org(org).filter(title="Win EMEA").exists()


@pytest.mark.parametrize(("role", "team", "expected"), PLAN_CHANGE)
def test_who_changes_an_objective(org, client_as, request, role, team, expected):
    objective = request.getfixturevalue(f"{team}_objective")
    # when a member of each role renames an objective of Growth or of Platform
    response = client_as(role).patch(
        url(org, f"objectives/{objective.pk}/"), {"title": "Renamed"}, format="json"
    )
    # then it changes only where the role reaches the objective's team
    assert response.status_code == expected
    objective.refresh_from_db()
    assert (objective.title == "Renamed") == (expected == 200)


@pytest.mark.parametrize(("role", "team", "expected"), PLAN_DELETE)
def test_who_deletes_an_objective(org, client_as, request, role, team, expected):
    objective = request.getfixturevalue(f"{team}_objective")
    # when a member of each role deletes an objective of Growth or of Platform
    response = client_as(role).delete(url(org, f"objectives/{objective.pk}/"))
    # then it is gone only where the role reaches the objective's team
    assert response.status_code == expected
    assert Objective.objects.for_org(org).filter(pk=objective.pk).exists() == (expected != 204)


@pytest.mark.parametrize(("role", "team", "expected"), PLAN_CREATE)
def test_who_creates_a_key_result(org, client_as, request, role, team, expected):
    objective = request.getfixturevalue(f"{team}_objective")
    # when a member of each role adds a key result to an objective of Growth or of Platform
    response = client_as(role).post(
        url(org, "key-results/"),
        {"objective": objective.pk, "title": "1,000 sign-ups", "target_value": "1000"},
        format="json",
    )
    # then it is created only where the role reaches the objective's team
    assert response.status_code == expected
    assert KeyResult.objects.for_org(org).filter(title="1,000 sign-ups").exists() == (expected == 201)


@pytest.mark.parametrize(("role", "team", "expected"), PLAN_CHANGE)
def test_who_changes_a_key_result(org, client_as, request, role, team, expected):
    key_result = KeyResultFactory(organization=org, objective=request.getfixturevalue(f"{team}_objective"))
    # when a member of each role records a new current value
    response = client_as(role).patch(
        url(org, f"key-results/{key_result.pk}/"), {"current_value": "42"}, format="json"
    )
    # then it changes only where the role reaches the objective's team
    assert response.status_code == expected
    key_result.refresh_from_db()
    assert (key_result.current_value == 42) == (expected == 200)


@pytest.mark.parametrize(("role", "team", "expected"), PLAN_DELETE)
def test_who_deletes_a_key_result(org, client_as, request, role, team, expected):
    key_result = KeyResultFactory(organization=org, objective=request.getfixturevalue(f"{team}_objective"))
    # when a member of each role deletes it
    response = client_as(role).delete(url(org, f"key-results/{key_result.pk}/"))
    # then it is gone only where the role reaches the objective's team
    assert response.status_code == expected
    assert KeyResult.objects.for_org(org).filter(pk=key_result.pk).exists() == (expected != 204)


@pytest.mark.parametrize(("role", "team", "expected"), PLAN_CREATE)
def test_who_creates_an_initiative(org, client_as, request, role, team, expected):
    team_id = request.getfixturevalue(team).pk
    # when a member of each role creates an initiative of Growth or of Platform
    response = client_as(role).post(
        url(org, "initiatives/"), {"title": "Referral programme", "team": team_id}, format="json"
    )
    # then it is created only where the role reaches that team
    assert response.status_code == expected
    assert Initiative.objects.for_org(org).filter(title="Referral programme").exists() == (expected == 201)


@pytest.mark.parametrize(("role", "team", "expected"), PLAN_CHANGE)
def test_who_changes_an_initiative(org, client_as, request, role, team, expected):
    initiative = request.getfixturevalue(f"{team}_initiative")
    # when a member of each role puts it on hold
    response = client_as(role).patch(
        url(org, f"initiatives/{initiative.pk}/"), {"status": "on_hold"}, format="json"
    )
    # then it changes only where the role reaches the initiative's team
    assert response.status_code == expected
    initiative.refresh_from_db()
    assert (initiative.status == "on_hold") == (expected == 200)


@pytest.mark.parametrize(("role", "team", "expected"), PLAN_DELETE)
def test_who_deletes_an_initiative(org, client_as, request, role, team, expected):
    initiative = request.getfixturevalue(f"{team}_initiative")
    # when a member of each role deletes it
    response = client_as(role).delete(url(org, f"initiatives/{initiative.pk}/"))
    # then it is gone only where the role reaches the initiative's team
    assert response.status_code == expected
    assert Initiative.objects.for_org(org).filter(pk=initiative.pk).exists() == (expected != 204)


@pytest.mark.parametrize(
    ("path", "fixture", "change"),
    [
        ("objectives", "growth_objective", {"team": "platform"}),
        ("initiatives", "growth_initiative", {"team": "platform"}),
        ("key-results", "growth_key_result", {"objective": "platform_objective"}),
        ("initiatives", "growth_initiative", {"objective": "platform_objective", "team": None}),
    ],
)
def test_a_lead_cannot_move_a_row_into_another_team(org, client_as, request, path, fixture, change):
    if fixture == "growth_key_result":
        row = KeyResultFactory(organization=org, objective=request.getfixturevalue("growth_objective"))
    else:
        row = request.getfixturevalue(fixture)
    body = {field: request.getfixturevalue(value).pk if value else None for field, value in change.items()}
    # when the lead of Growth moves a row of Growth to Platform (directly, or through its goal)
    response = client_as(Role.LEAD).patch(url(org, f"{path}/{row.pk}/"), body, format="json")
    # then it is refused and the row is as it was
    assert response.status_code == 403
    assert type(row).objects.get(pk=row.pk).version == 1


# --- tasks: members create, and change their own; leads also their team's ---------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.VIEWER, 403), (Role.MEMBER, 201), (Role.LEAD, 201), (Role.EXECUTIVE, 201), (Role.ADMIN, 201)],
)
def test_who_creates_a_task(org, member_as, role, expected):
    membership = member_as(role)
    # when a member of each role creates a task assigned to themselves
    response = client_for(membership).post(
        url(org, "tasks/"), {"title": "Write the copy", "assignee": person_of(membership).pk}, format="json"
    )
    # then everyone but a viewer creates it
    assert response.status_code == expected
    assert Task.objects.for_org(org).filter(title="Write the copy").exists() == (expected == 201)


# (role, whose task: "mine" (assigned to the caller) or someone else's, team of the task, expected)
TASK_CHANGE = [
    (Role.VIEWER, "mine", "growth", 403),
    (Role.MEMBER, "mine", "platform", 200),
    (Role.MEMBER, "theirs", "growth", 403),
    (Role.LEAD, "theirs", "growth", 200),
    (Role.LEAD, "theirs", "platform", 403),
    (Role.LEAD, "mine", "platform", 200),
    (Role.EXECUTIVE, "theirs", "platform", 200),
    (Role.ADMIN, "theirs", "platform", 200),
]


def _task(org, membership, whose, team):
    assignee = person_of(membership) if whose == "mine" else PersonFactory(organization=org, name="Someone")
    return TaskFactory(organization=org, title="Draft", team=team, assignee=assignee)


@pytest.mark.parametrize(("role", "whose", "team", "expected"), TASK_CHANGE)
def test_who_changes_a_task(org, member_as, request, role, whose, team, expected):
    membership = member_as(role)
    task = _task(org, membership, whose, request.getfixturevalue(team))
    # when a member of each role marks the task done
    response = client_for(membership).patch(
        url(org, f"tasks/{task.pk}/"),
        {"status": "done", "completed_at": "2027-01-04T17:00:00Z"},
        format="json",
    )
    # then it changes only where the role reaches it (their own task, or their team's for a lead)
    assert response.status_code == expected
    task.refresh_from_db()
    assert (task.status == "done") == (expected == 200)


@pytest.mark.parametrize(
    ("role", "whose", "team", "expected"),
    [
        (role, whose, team, 204 if expected == 200 else expected)
        for role, whose, team, expected in TASK_CHANGE
    ],
)
def test_who_deletes_a_task(org, member_as, request, role, whose, team, expected):
    membership = member_as(role)
    task = _task(org, membership, whose, request.getfixturevalue(team))
    # when a member of each role deletes the task
    response = client_for(membership).delete(url(org, f"tasks/{task.pk}/"))
    # then it is gone only where the role reaches it
    assert response.status_code == expected
    assert Task.objects.for_org(org).filter(pk=task.pk).exists() == (expected != 204)


def test_a_member_cannot_hand_their_task_to_someone_else(org, member_as):
    # given a task assigned to a member
    membership = member_as(Role.MEMBER)
    task = TaskFactory(organization=org, assignee=person_of(membership))
    someone = PersonFactory(organization=org, name="Someone")
    # when the member assigns it to someone else
    response = client_for(membership).patch(
        url(org, f"tasks/{task.pk}/"), {"assignee": someone.pk}, format="json"
    )
    # then it is refused (it would no longer be theirs) and it stays theirs
    assert response.status_code == 403
    task.refresh_from_db()
    assert (task.assignee_id, task.version) == (person_of(membership).pk, 1)


def test_a_lead_cannot_move_a_task_of_their_team_into_another(org, client_as, growth, platform_initiative):
    # given a task of Growth
    task = TaskFactory(organization=org, team=growth)
    # when the lead moves it to Platform
    response = client_as(Role.LEAD).patch(
        url(org, f"tasks/{task.pk}/"), {"team": platform_initiative.team_id}, format="json"
    )
    # then it is refused and the task stays in Growth
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.team_id == growth.pk


def test_a_lead_reaches_the_tasks_of_the_teams_below_theirs(org, client_as, growth):
    # given a team below Growth, and a task of it
    growth_eu = TeamFactory(organization=org, name="Growth EU", parent=growth)
    task = TaskFactory(organization=org, team=growth_eu)
    # when the lead of Growth changes it
    response = client_as(Role.LEAD).patch(url(org, f"tasks/{task.pk}/"), {"status": "blocked"}, format="json")
    # then it is changed
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.status == "blocked"
