"""POST tasks/link/: many tasks linked to one goal (an initiative or an objective), all or none."""

import pytest

from execgap.models import Role
from objectives.models import Task
from tests.api.resources.support import ROLES, client_for, url
from tests.conftest import person_of
from tests.factories import PersonFactory, TaskFactory
from tests.objectives.database import nothing_written

pytestmark = pytest.mark.django_db


def _links(*tasks):
    return [
        (task.initiative_id, task.objective_id, task.version)
        for task in Task.objects.filter(pk__in=[t.pk for t in tasks]).order_by("pk")
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.VIEWER, 403), (Role.MEMBER, 403), (Role.LEAD, 200), (Role.EXECUTIVE, 200), (Role.ADMIN, 200)],
)
def test_who_links_tasks_of_the_leads_team(org, client_as, growth, growth_initiative, role, expected):
    # given two tasks of Growth, assigned to someone else
    someone = PersonFactory(organization=org, name="Someone")
    tasks = [TaskFactory(organization=org, team=growth, assignee=someone) for _ in range(2)]
    # when a member of each role links both to an initiative of Growth
    response = client_as(role).post(
        url(org, "tasks/link/"),
        {"tasks": [t.pk for t in tasks], "initiative": growth_initiative.pk},
        format="json",
    )
    # then the lead, executives and admins link them; viewers and members (not theirs) are refused
    assert response.status_code == expected
    linked = expected == 200
    assert _links(*tasks) == [(growth_initiative.pk if linked else None, None, 2 if linked else 1)] * 2


def test_a_member_links_their_own_tasks(org, member_as, growth_objective):
    # given two tasks assigned to a member
    membership = member_as(Role.MEMBER)
    tasks = [TaskFactory(organization=org, assignee=person_of(membership)) for _ in range(2)]
    # when the member links them to an objective
    response = client_for(membership).post(
        url(org, "tasks/link/"),
        {"tasks": [t.pk for t in tasks], "objective": growth_objective.pk},
        format="json",
    )
    # then both are linked, and the answer is the linked tasks by id
    assert response.status_code == 200
    assert [(row["id"], row["objective"], row["initiative"], row["version"]) for row in response.json()] == [
        (tasks[0].pk, growth_objective.pk, None, 2),
        (tasks[1].pk, growth_objective.pk, None, 2),
    ]


def test_one_refused_task_links_none(org, member_as, growth_objective):
    # given a member's own task and someone else's
    membership = member_as(Role.MEMBER)
    mine = TaskFactory(organization=org, assignee=person_of(membership))
    theirs = TaskFactory(organization=org, assignee=PersonFactory(organization=org))
    # when the member links both to an objective
    with nothing_written():
        response = client_for(membership).post(
            url(org, "tasks/link/"),
            {"tasks": [mine.pk, theirs.pk], "objective": growth_objective.pk},
            format="json",
        )
    # then it is refused, and neither is linked (not even the member's own)
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Your role (member) may not change this task."},
    )


def test_one_missing_task_links_none(org, client_as, growth_initiative):
    # given a task, and an id of no task
    task = TaskFactory(organization=org)
    missing = task.pk + 1000
    # when an executive links both
    client = client_as(Role.EXECUTIVE)
    with nothing_written():
        response = client.post(
            url(org, "tasks/link/"),
            {"tasks": [task.pk, missing], "initiative": growth_initiative.pk},
            format="json",
        )
    # then the missing one is named and nothing is linked
    assert (response.status_code, response.json()) == (
        400,
        {"tasks": [f"No such tasks in this organization: [{missing}]."]},
    )


def test_a_link_replaces_the_previous_one(org, client_as, growth_initiative, growth_objective):
    # given a task of an objective and a task of no goal
    of_objective = TaskFactory(organization=org, objective=growth_objective)
    orphan = TaskFactory(organization=org)
    # when an admin links both to an initiative
    response = client_as(Role.ADMIN).post(
        url(org, "tasks/link/"),
        {"tasks": [of_objective.pk, orphan.pk], "initiative": growth_initiative.pk},
        format="json",
    )
    # then both serve the initiative only (never two goals at once)
    assert response.status_code == 200
    assert _links(of_objective, orphan) == [(growth_initiative.pk, None, 2)] * 2


def test_a_lead_cannot_link_their_teams_task_into_another_team(
    org, client_as, growth_initiative, platform_initiative
):
    # given a task with no team of its own, of an initiative of Growth, and one of Growth itself
    through_goal = TaskFactory(organization=org, initiative=growth_initiative)
    of_growth = TaskFactory(organization=org, team=growth_initiative.team)
    # when the lead of Growth links both to an initiative of Platform
    client = client_as(Role.LEAD)
    with nothing_written():
        response = client.post(
            url(org, "tasks/link/"),
            {"tasks": [through_goal.pk, of_growth.pk], "initiative": platform_initiative.pk},
            format="json",
        )
    # then it is refused (the first would move to Platform), and neither is linked
    assert response.status_code == 403
    # though the second alone (it stays in Growth by its own team) is linked
    alone = client.post(
        url(org, "tasks/link/"),
        {"tasks": [of_growth.pk], "initiative": platform_initiative.pk},
        format="json",
    )
    assert alone.status_code == 200


EXACTLY_ONE = {"non_field_errors": ["Give exactly one of initiative and objective."]}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"tasks": ["TASK"], "objective": "OBJECTIVE", "initiative": "INITIATIVE"}, EXACTLY_ONE),
        ({"tasks": ["TASK"]}, EXACTLY_ONE),
        ({"tasks": ["TASK"], "initiative": None, "objective": None}, EXACTLY_ONE),
        ({"tasks": [], "objective": "OBJECTIVE"}, {"tasks": ["This list may not be empty."]}),
        ({"objective": "OBJECTIVE"}, {"tasks": ["This field is required."]}),
        ({"tasks": ["one"], "objective": "OBJECTIVE"}, {"tasks": {"0": ["A valid integer is required."]}}),
        (
            {"tasks": "TASK", "objective": "OBJECTIVE"},
            {"tasks": ['Expected a list of items but got type "int".']},
        ),
        (
            {"tasks": ["TASK"], "objective": 987654321},
            {"objective": ['Invalid pk "987654321" - object does not exist.']},
        ),
        (
            {"tasks": list(range(1, 1002)), "objective": "OBJECTIVE"},
            {"tasks": ["Ensure this field has no more than 1000 elements."]},
        ),
    ],
)
def test_a_bad_link_is_refused_field_by_field(
    org, client_as, growth_initiative, growth_objective, body, errors
):
    # given a task and the body, with TASK, OBJECTIVE and INITIATIVE standing for their ids
    task = TaskFactory(organization=org)
    ids = {"TASK": task.pk, "OBJECTIVE": growth_objective.pk, "INITIATIVE": growth_initiative.pk}
    body = {
        name: [ids.get(item, item) for item in value] if isinstance(value, list) else ids.get(value, value)
        for name, value in body.items()
    }
    # when an executive links from bad input
    client = client_as(Role.EXECUTIVE)
    with nothing_written():
        response = client.post(url(org, "tasks/link/"), body, format="json")
    # then each bad field is named, and nothing is linked
    assert (response.status_code, response.json()) == (400, errors)


@pytest.mark.parametrize("role", ROLES)
def test_linking_is_a_post_only(org, client_as, role):
    # when a member of each role reads the link endpoint
    response = client_as(role).get(url(org, "tasks/link/"))
    # then the method is not allowed (for everyone alike)
    assert response.status_code == 405


def test_linking_takes_json_only(org, client_as, growth_objective):
    # given a task
    task = TaskFactory(organization=org)
    # when an executive sends the link as a form
    response = client_as(Role.EXECUTIVE).post(
        url(org, "tasks/link/"), {"tasks": [task.pk], "objective": growth_objective.pk}
    )
    # then it is refused as a media type the endpoint does not read, and nothing is linked
    assert response.status_code == 415
    task.refresh_from_db()
    assert task.objective_id is None
