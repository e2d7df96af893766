"""If-Match on teams/, people/ and allocations/: a stale write gets 412 and changes nothing."""

import pytest

from tests.api.resources.support import client_for, url
from tests.factories import AllocationFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

CHANGES = {
    "teams": {"name": "Renamed"},
    "people": {"name": "Renamed"},
    "allocations": {"hours_per_week": "3.00"},
}
FIELD = {"teams": "name", "people": "name", "allocations": "hours_per_week"}


@pytest.fixture
def client(admin):
    return client_for(admin)


@pytest.fixture
def rows(org, growth_initiative):
    """A team, a person and an allocation, each edited once already (version 2)."""
    made = {
        "teams": TeamFactory(organization=org, name="Data"),
        "people": PersonFactory(organization=org, name="Ada"),
        "allocations": AllocationFactory(organization=org, initiative=growth_initiative),
    }
    for row in made.values():
        type(row).objects.filter(pk=row.pk).update(version=2)
        row.refresh_from_db()
    return made


@pytest.mark.parametrize("path", ["teams", "people", "allocations"])
def test_a_row_is_sent_with_its_version_as_etag(org, client, rows, path):
    # when a row is read
    response = client.get(url(org, f"{path}/{rows[path].pk}/"))
    # then its version comes as the ETag
    assert (response.status_code, response["ETag"], response.json()["version"]) == (200, '"2"', 2)


@pytest.mark.parametrize("path", ["teams", "people", "allocations"])
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


@pytest.mark.parametrize("path", ["teams", "people", "allocations"])
def test_a_stale_write_is_refused_and_changes_nothing(org, client, rows, path):
    row = rows[path]
    before = getattr(row, FIELD[path])
    # when an admin changes the row from version 1, which someone has since changed
    response = client.patch(url(org, f"{path}/{row.pk}/"), CHANGES[path], format="json", HTTP_IF_MATCH='"1"')
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


@pytest.mark.parametrize("path", ["teams", "people", "allocations"])
def test_a_stale_delete_is_refused_and_deletes_nothing(org, client, rows, path):
    row = rows[path]
    # when an admin deletes the row as of version 1
    response = client.delete(url(org, f"{path}/{row.pk}/"), HTTP_IF_MATCH='"1"')
    # then it is refused and the row remains
    assert (response.status_code, response.json()["current_version"]) == (412, 2)
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("path", ["teams", "people", "allocations"])
def test_a_delete_with_the_current_version_is_made(org, client, rows, path):
    row = rows[path]
    # when an admin deletes the row as of its current version
    response = client.delete(url(org, f"{path}/{row.pk}/"), HTTP_IF_MATCH='"2"')
    # then it is gone
    assert response.status_code == 204
    assert not type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("path", ["teams", "people", "allocations"])
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


def test_a_created_row_is_sent_with_its_etag(org, client):
    # when an admin creates a team
    response = client.post(url(org, "teams/"), {"name": "Data"}, format="json")
    # then it starts at version 1, sent as the ETag
    assert (response.status_code, response.json()["version"], response["ETag"]) == (201, 1, '"1"')
