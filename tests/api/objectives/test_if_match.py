"""If-Match on objectives/, key-results/, initiatives/ and tasks/: a stale write gets 412 and changes
nothing; every row is sent with its version as the ETag."""

import pytest

from tests.api.resources.support import client_for, url
from tests.factories import InitiativeFactory, KeyResultFactory, ObjectiveFactory, TaskFactory

pytestmark = pytest.mark.django_db

PATHS = ("objectives", "key-results", "initiatives", "tasks")
CHANGES = {
    "objectives": {"title": "Renamed", "reason": "Sharper wording"},
    "key-results": {"current_value": "42.0000"},
    "initiatives": {"estimate_hours": "120.00"},
    "tasks": {"effort_hours": "3.50"},
}
FIELD = {
    "objectives": "title",
    "key-results": "current_value",
    "initiatives": "estimate_hours",
    "tasks": "effort_hours",
}


@pytest.fixture
def client(admin):
    return client_for(admin)


@pytest.fixture
def rows(org):
    """An objective, a key result, an initiative and a task, each edited once already (version 2)."""
    objective = ObjectiveFactory(organization=org, title="Grow")
    made = {
        "objectives": objective,
        "key-results": KeyResultFactory(organization=org, objective=objective),
        "initiatives": InitiativeFactory(organization=org, objective=objective),
        "tasks": TaskFactory(organization=org),
    }
    for row in made.values():
        type(row).objects.filter(pk=row.pk).update(version=2)
        row.refresh_from_db()
    return made


@pytest.mark.parametrize("path", PATHS)
def test_a_row_is_sent_with_its_version_as_etag(org, client, rows, path):
    # when a row is read
    response = client.get(url(org, f"{path}/{rows[path].pk}/"))
    # then its version comes as the ETag
    assert (response.status_code, response["ETag"], response.json()["version"]) == (200, '"2"', 2)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("if_match", ['"2"', "2", 'W/"2"', "*"])
def test_a_write_with_the_current_version_is_made(org, client, rows, path, if_match):
    # when an admin changes the row, sending the version they read
    response = client.patch(
        url(org, f"{path}/{rows[path].pk}/"), CHANGES[path], format="json", HTTP_IF_MATCH=if_match
    )
    # then it is written, and the new version comes back in the body and as the ETag
    assert response.status_code == 200
    assert (response.json()["version"], response["ETag"]) == (3, '"3"')
    assert response.json()[FIELD[path]] == CHANGES[path][FIELD[path]]


@pytest.mark.parametrize("path", PATHS)
def test_a_full_replacement_with_the_current_version_is_made(org, client, rows, path):
    # given the row as read
    body = client.get(url(org, f"{path}/{rows[path].pk}/")).json()
    # when an admin sends it back whole with one change, as of the version they read
    changed = {name: value for name, value in body.items() if value is not None} | CHANGES[path]
    response = client.put(url(org, f"{path}/{rows[path].pk}/"), changed, format="json", HTTP_IF_MATCH='"2"')
    # then it is written
    assert (response.status_code, response.json()["version"]) == (200, 3)
    assert response.json()[FIELD[path]] == CHANGES[path][FIELD[path]]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_stale_write_is_refused_and_changes_nothing(org, client, rows, path, method):
    row = rows[path]
    before = getattr(row, FIELD[path])
    body = client.get(url(org, f"{path}/{row.pk}/")).json()
    changed = {name: value for name, value in body.items() if value is not None} | CHANGES[path]
    # when an admin changes the row from version 1, which someone has since changed
    response = getattr(client, method)(
        url(org, f"{path}/{row.pk}/"), changed, format="json", HTTP_IF_MATCH='"1"'
    )
    # then it is refused with the current version, and the row is as it was
    assert (response.status_code, response.json()) == (
        412,
        {
            "detail": "This row was changed by someone else: read it again and reapply your change.",
            "current_version": 2,
        },
    )
    row.refresh_from_db()
    assert (getattr(row, FIELD[path]), row.version) == (before, 2)


@pytest.mark.parametrize("path", PATHS)
def test_a_stale_delete_is_refused_and_deletes_nothing(org, client, rows, path):
    row = rows[path]
    # when an admin deletes the row as of version 1
    response = client.delete(url(org, f"{path}/{row.pk}/"), HTTP_IF_MATCH='"1"')
    # then it is refused and the row remains
    assert (response.status_code, response.json()["current_version"]) == (412, 2)
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("path", ["key-results", "tasks"])
def test_a_delete_with_the_current_version_is_made(org, client, rows, path):
    row = rows[path]
    # when an admin deletes the row as of its current version
    response = client.delete(url(org, f"{path}/{row.pk}/"), HTTP_IF_MATCH='"2"')
    # then it is gone
    assert response.status_code == 204
    assert not type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("path", PATHS)
def test_an_if_match_that_is_not_a_version_is_refused(org, client, rows, path):
    row = rows[path]
    # when an admin sends something other than a version
    response = client.patch(
        url(org, f"{path}/{row.pk}/"), CHANGES[path], format="json", HTTP_IF_MATCH="yesterday"
    )
    # then it is refused on If-Match and nothing changes
    assert (response.status_code, response.json()) == (
        400,
        {"If-Match": ["Send the row's version, as its ETag gives it."]},
    )
    row.refresh_from_db()
    assert row.version == 2


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("objectives", {"title": "Win EMEA"}),
        ("key-results", {"title": "KR", "target_value": "10"}),
        ("initiatives", {"title": "Referrals"}),
        ("tasks", {"title": "Write the copy"}),
    ],
)
def test_a_created_row_is_sent_with_its_etag(org, client, rows, path, body):
    if path == "key-results":
        body = body | {"objective": rows["objectives"].pk}
    # when an admin creates a row
    response = client.post(url(org, f"{path}/"), body, format="json")
    # then it starts at version 1, sent as the ETag
    assert (response.status_code, response.json()["version"], response["ETag"]) == (201, 1, '"1"')


def test_two_editors_do_not_overwrite_each_other(org, client, rows):
    task = rows["tasks"]
    # given two editors who both read the task at version 2
    # when the first changes its effort, then the second its status, each sending version 2
    first = client.patch(
        url(org, f"tasks/{task.pk}/"), {"effort_hours": "5"}, format="json", HTTP_IF_MATCH='"2"'
    )
    second = client.patch(
        url(org, f"tasks/{task.pk}/"), {"status": "done"}, format="json", HTTP_IF_MATCH='"2"'
    )
    # then the first is written and the second refused, so the first change survives
    assert (first.status_code, second.status_code) == (200, 412)
    task.refresh_from_db()
    assert (str(task.effort_hours), task.status, task.version) == ("5.00", "todo", 3)
