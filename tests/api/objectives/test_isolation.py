"""Two organizations: a row of the other one is never read, listed, changed, deleted or linked to."""

import pytest

from execgap.models import Role
from objectives.models import Initiative, KeyResult, Objective, Task
from tests.api.resources.support import client_for, url
from tests.factories import (
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

MISSING = 987654321
PATHS = ("objectives", "key-results", "initiatives", "tasks")


@pytest.fixture
def theirs(other_org):
    """Globex's team, person, objective, key result, initiative and task."""
    team = TeamFactory(organization=other_org, name="Globex team")
    person = PersonFactory(organization=other_org, name="Globex person", team=team)
    objective = ObjectiveFactory(organization=other_org, team=team, owner=person)
    initiative = InitiativeFactory(organization=other_org, team=team, objective=objective)
    return {
        "teams": team,
        "people": person,
        "objectives": objective,
        "key-results": KeyResultFactory(organization=other_org, objective=objective),
        "initiatives": initiative,
        "tasks": TaskFactory(organization=other_org, initiative=initiative, assignee=person, team=team),
    }


@pytest.fixture
def client(admin):
    return client_for(admin)


def _counts():
    return tuple(model.objects.count() for model in (Objective, KeyResult, Initiative, Task))


@pytest.mark.parametrize("path", PATHS)
def test_another_organizations_rows_are_absent_from_lists(org, client, theirs, path):
    # when an admin of Acme lists rows
    response = client.get(url(org, f"{path}/"))
    # then none of Globex's is there
    assert (response.status_code, response.json()["results"]) == (200, [])


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_organizations_row_is_not_found(org, client, theirs, path, method):
    row = theirs[path]
    title = row.title
    # when an admin of Acme reads, replaces, changes or deletes a Globex row through Acme
    response = getattr(client, method)(url(org, f"{path}/{row.pk}/"), {"title": "Mine now"}, format="json")
    # then it does not exist for them, and it is as it was
    assert (response.status_code, response.json()) == (
        404,
        {"detail": f"No {type(row).__name__} matches the given query."},
    )
    row.refresh_from_db()
    assert (row.title, row.version) == (title, 1)


@pytest.mark.parametrize("path", PATHS)
def test_an_organization_the_caller_is_not_in_is_not_found(org, other_org, member_of, theirs, path):
    # given a member of Acme only
    client = client_for(member_of(Role.ADMIN))
    # when they list Globex's rows, read one or create one, by Globex's slug
    listed = client.get(url(other_org, f"{path}/"))
    read = client.get(url(other_org, f"{path}/{theirs[path].pk}/"))
    created = client.post(url(other_org, f"{path}/"), {"title": "Sneaky"}, format="json")
    # then Globex does not exist for them
    for response in (listed, read, created):
        assert (response.status_code, response.json()) == (404, {"detail": "No such organization."})


def test_linking_tasks_in_an_organization_the_caller_is_not_in_is_not_found(org, other_org, client, theirs):
    # when an admin of Acme links Globex's task by Globex's slug
    response = client.post(
        url(other_org, "tasks/link/"),
        {"tasks": [theirs["tasks"].pk], "objective": theirs["objectives"].pk},
        format="json",
    )
    # then Globex does not exist for them and the task is as it was
    assert (response.status_code, response.json()) == (404, {"detail": "No such organization."})
    assert Task.objects.get(pk=theirs["tasks"].pk).initiative_id == theirs["initiatives"].pk


def _same_message(response, given, missing_response):
    return response.json() == {
        field: [message.replace(str(MISSING), str(given)) for message in messages]
        for field, messages in missing_response.json().items()
    }


@pytest.mark.parametrize(
    ("path", "body", "field", "target"),
    [
        ("objectives", {"title": "Win"}, "parent", "objectives"),
        ("objectives", {"title": "Win"}, "team", "teams"),
        ("objectives", {"title": "Win"}, "owner", "people"),
        ("key-results", {"title": "KR", "target_value": "1"}, "objective", "objectives"),
        ("initiatives", {"title": "Do"}, "objective", "objectives"),
        ("initiatives", {"title": "Do"}, "team", "teams"),
        ("initiatives", {"title": "Do"}, "owner", "people"),
        ("tasks", {"title": "Do"}, "initiative", "initiatives"),
        ("tasks", {"title": "Do"}, "objective", "objectives"),
        ("tasks", {"title": "Do"}, "team", "teams"),
        ("tasks", {"title": "Do"}, "assignee", "people"),
    ],
)
def test_a_link_to_another_organizations_row_reads_as_a_missing_id(
    org, client, theirs, path, body, field, target
):
    counts = _counts()
    given = theirs[target].pk
    # when an admin of Acme links to a Globex row, and to an id that does not exist
    linked = client.post(url(org, f"{path}/"), body | {field: given}, format="json")
    missing = client.post(url(org, f"{path}/"), body | {field: MISSING}, format="json")
    # then both are refused on that field with the same message, and nothing is written
    assert linked.status_code == missing.status_code == 400
    assert list(linked.json()) == [field]
    assert _same_message(linked, given, missing)
    assert _counts() == counts


@pytest.mark.parametrize("field", ["initiative", "objective"])
def test_bulk_linking_to_another_organizations_goal_reads_as_a_missing_id(org, client, theirs, field):
    # given a task of Acme
    task = TaskFactory(organization=org)
    # when an admin of Acme links it to a Globex goal, and to a goal id that does not exist
    linked = client.post(
        url(org, "tasks/link/"), {"tasks": [task.pk], field: theirs[f"{field}s"].pk}, format="json"
    )
    missing = client.post(url(org, "tasks/link/"), {"tasks": [task.pk], field: MISSING}, format="json")
    # then both are refused on that field with the same message, and the task is as it was
    assert linked.status_code == missing.status_code == 400
    assert _same_message(linked, theirs[f"{field}s"].pk, missing)
    task.refresh_from_db()
    assert (task.initiative_id, task.objective_id, task.version) == (None, None, 1)


def test_bulk_linking_another_organizations_task_reads_as_a_missing_id(org, client, theirs, growth_objective):
    # given a task of Acme
    task = TaskFactory(organization=org)
    given = theirs["tasks"].pk
    # when an admin of Acme links it together with a Globex task, and with an id that does not exist
    linked = client.post(
        url(org, "tasks/link/"), {"tasks": [task.pk, given], "objective": growth_objective.pk}, format="json"
    )
    missing = client.post(
        url(org, "tasks/link/"),
        {"tasks": [task.pk, MISSING], "objective": growth_objective.pk},
        format="json",
    )
    # then both are refused on `tasks` with the same message, and neither task changes
    assert linked.status_code == missing.status_code == 400
    assert _same_message(linked, given, missing)
    assert linked.json() == {"tasks": [f"No such tasks in this organization: [{given}]."]}
    assert Task.objects.get(pk=task.pk).objective_id is None
    assert Task.objects.get(pk=given).initiative_id == theirs["initiatives"].pk


@pytest.mark.parametrize(
    ("path", "filter_name", "target"),
    [
        ("objectives", "parent", "objectives"),
        ("objectives", "team", "teams"),
        ("objectives", "owner", "people"),
        ("key-results", "objective", "objectives"),
        ("initiatives", "objective", "objectives"),
        ("initiatives", "team", "teams"),
        ("tasks", "initiative", "initiatives"),
        ("tasks", "objective", "objectives"),
        ("tasks", "assignee", "people"),
        ("tasks", "team", "teams"),
    ],
)
def test_filtering_by_another_organizations_row_finds_nothing(org, client, theirs, path, filter_name, target):
    # given rows of Acme too
    TaskFactory(organization=org)
    ObjectiveFactory(organization=org)
    # when an admin of Acme filters by a Globex row
    response = client.get(url(org, f"{path}/"), {filter_name: theirs[target].pk})
    # then nothing is found
    assert (response.status_code, response.json()["results"]) == (200, [])


def test_another_organizations_external_key_finds_nothing(org, client, other_org):
    # given a Globex task imported from Jira
    TaskFactory(organization=other_org, external_key="GLX-1")
    # when an admin of Acme looks the key up
    response = client.get(url(org, "tasks/"), {"external_key": "GLX-1"})
    # then nothing is found
    assert (response.status_code, response.json()["results"]) == (200, [])


def test_another_organizations_snapshot_gives_no_progress(org, other_org, client, snapshot, theirs):
    # given an Acme objective, and a newer Globex snapshot (with progress for a Globex objective)
    ours = ObjectiveFactory(organization=org)
    snapshot(org, {ours: (0.25, "behind")})
    snapshot(other_org, {theirs["objectives"]: (0.9, "on_track")})
    # when an admin of Acme reads the objective
    response = client.get(url(org, f"objectives/{ours.pk}/"))
    # then its progress is that of Acme's own latest snapshot
    assert (response.json()["progress"], response.json()["progress_status"]) == (0.25, "behind")


def test_another_organizations_external_key_does_not_block_ours(org, client, other_org):
    # given a Globex task imported as KEY-1
    TaskFactory(organization=other_org, external_key="KEY-1")
    # when an admin of Acme creates a task with the same key
    response = client.post(url(org, "tasks/"), {"title": "Ours", "external_key": "KEY-1"}, format="json")
    # then it is created: keys are unique within an organization only
    assert (response.status_code, response.json()["external_key"]) == (201, "KEY-1")
