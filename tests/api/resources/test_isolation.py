"""Two organizations: a row of the other one is never read, listed, changed, deleted or linked to."""

import pytest

from execgap.models import Role
from resources.models import Allocation, Person, Team
from tests.api.resources.support import client_for, url
from tests.factories import AllocationFactory, InitiativeFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

MISSING = 987654321


@pytest.fixture
def theirs(other_org):
    """Globex's team, person and allocation."""
    team = TeamFactory(organization=other_org, name="Globex team")
    person = PersonFactory(organization=other_org, name="Globex person", team=team)
    initiative = InitiativeFactory(organization=other_org, team=team)
    allocation = AllocationFactory(organization=other_org, person=person, initiative=initiative)
    return {"teams": team, "people": person, "allocations": allocation, "initiative": initiative}


@pytest.fixture
def client(admin):
    return client_for(admin)


@pytest.mark.parametrize("path", ["teams", "people", "allocations"])
def test_another_organizations_rows_are_absent_from_lists(org, client, theirs, path):
    # when an admin of Acme lists rows
    response = client.get(url(org, f"{path}/"))
    # then none of Globex's is there
    assert response.status_code == 200
    assert theirs[path].pk not in [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("path", ["teams", "people", "allocations"])
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_organizations_row_is_not_found(org, client, theirs, path, method):
    row = theirs[path]
    version = row.version
    # when an admin of Acme reads, replaces, changes or deletes a Globex row through Acme
    response = getattr(client, method)(url(org, f"{path}/{row.pk}/"), {"name": "Mine now"}, format="json")
    # then it does not exist for them, and it is as it was
    assert (response.status_code, response.json()) == (
        404,
        {"detail": f"No {type(row).__name__} matches the given query."},
    )
    row.refresh_from_db()
    assert row.version == version


@pytest.mark.parametrize("path", ["teams", "people", "allocations"])
def test_an_organization_the_caller_is_not_in_is_not_found(org, other_org, member_of, theirs, path):
    # given a member of Acme only
    client = client_for(member_of(Role.ADMIN))
    # when they list Globex's rows or read one, by Globex's slug
    listed = client.get(url(other_org, f"{path}/"))
    read = client.get(url(other_org, f"{path}/{theirs[path].pk}/"))
    # then Globex does not exist for them
    assert (listed.status_code, listed.json()) == (404, {"detail": "No such organization."})
    assert (read.status_code, read.json()) == (404, {"detail": "No such organization."})


def _same_message(response, given, missing_response):
    return response.json() == {
        field: [message.replace(str(MISSING), str(given)) for message in messages]
        for field, messages in missing_response.json().items()
    }


@pytest.mark.parametrize(
    ("path", "body", "field", "target"),
    [
        ("teams", {"name": "Data"}, "parent", "teams"),
        ("teams", {"name": "Data"}, "lead", "people"),
        ("people", {"name": "Ada"}, "team", "teams"),
        ("allocations", {"hours_per_week": "4"}, "person", "people"),
        ("allocations", {"hours_per_week": "4"}, "initiative", "initiative"),
    ],
)
def test_a_link_to_another_organizations_row_reads_as_a_missing_id(
    org, client, theirs, growth_initiative, path, body, field, target
):
    # given a complete body for Acme
    if path == "allocations":
        body = body | {"person": PersonFactory(organization=org).pk, "initiative": growth_initiative.pk}
    counts = (Team.objects.count(), Person.objects.count(), Allocation.objects.count())
    given = theirs[target].pk
    # when an admin of Acme links to a Globex row, and to an id that does not exist
    linked = client.post(url(org, f"{path}/"), body | {field: given}, format="json")
    missing = client.post(url(org, f"{path}/"), body | {field: MISSING}, format="json")
    # then both are refused on that field with the same message, and nothing is written
    assert linked.status_code == missing.status_code == 400
    assert list(linked.json()) == [field]
    assert _same_message(linked, given, missing)
    assert (Team.objects.count(), Person.objects.count(), Allocation.objects.count()) == counts


@pytest.mark.parametrize(
    ("path", "filter_name", "target"),
    [
        ("teams", "parent", "teams"),
        ("people", "team", "teams"),
        ("allocations", "person", "people"),
        ("allocations", "initiative", "initiative"),
    ],
)
def test_filtering_by_another_organizations_row_finds_nothing(org, client, theirs, path, filter_name, target):
    # when an admin of Acme filters by a Globex row
    response = client.get(url(org, f"{path}/"), {filter_name: theirs[target].pk})
    # then nothing is found
    assert (response.status_code, response.json()["results"]) == (200, [])
