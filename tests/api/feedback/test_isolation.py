"""Two organizations: check-ins, feedback and recognitions of the other are never read, listed,
changed, deleted, answered or linked to."""

import pytest

from execgap.models import Role
from feedback.models import CheckIn, FeedbackItem, Recognition
from tests.api.resources.support import client_for, url
from tests.factories import (
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    RecognitionFactory,
)

pytestmark = pytest.mark.django_db

MISSING = 987654321
PATHS = ["check-ins", "feedback", "recognitions"]


@pytest.fixture
def theirs(other_org):
    """Globex's rows, and a check-in, feedback item and recognition of each."""
    objective = ObjectiveFactory(organization=other_org)
    person = PersonFactory(organization=other_org)
    return {
        "objective": objective,
        "initiative": InitiativeFactory(organization=other_org),
        "key_result": KeyResultFactory(organization=other_org, objective=objective),
        "person": person,
        "check-ins": CheckInFactory(organization=other_org, objective=objective, author=person),
        "feedback": FeedbackItemFactory(organization=other_org, objective=objective, author=person),
        "recognitions": RecognitionFactory(organization=other_org, from_person=person),
    }


@pytest.fixture
def client(admin):
    return client_for(admin)


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
    # when an admin of Acme reads, replaces, changes or deletes a Globex row through Acme
    response = getattr(client, method)(url(org, f"{path}/{row.pk}/"), {"note": "Mine now"}, format="json")
    # then it does not exist for them (recognitions have no PUT or PATCH at all), and it is as it was
    expected = 405 if path == "recognitions" and method in ("put", "patch") else 404
    assert response.status_code == expected
    row.refresh_from_db()
    assert row.version == 1


@pytest.mark.parametrize("path", PATHS)
def test_an_organization_the_caller_is_not_in_is_not_found(org, other_org, member_of, theirs, path):
    # given an admin of Acme only
    client = client_for(member_of(Role.ADMIN))
    # when they list or read Globex's rows by Globex's slug, or write there
    listed = client.get(url(other_org, f"{path}/"))
    read = client.get(url(other_org, f"{path}/{theirs[path].pk}/"))
    created = client.post(url(other_org, f"{path}/"), {}, format="json")
    # then Globex does not exist for them
    for response in (listed, read, created):
        assert (response.status_code, response.json()) == (404, {"detail": "No such organization."})


def _same_message(response, given, missing_response):
    return response.json() == {
        field: [message.replace(str(MISSING), str(given)) for message in messages]
        for field, messages in missing_response.json().items()
    }


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("check-ins", {"confidence": 5}, "objective"),
        ("check-ins", {"confidence": 5}, "initiative"),
        ("check-ins", {"confidence": 5}, "key_result"),
        ("check-ins", {"objective": "ours"}, "author"),
        ("feedback", {"kind": "risk", "text": "x"}, "objective"),
        ("feedback", {"kind": "risk", "text": "x"}, "initiative"),
        ("feedback", {"kind": "risk", "text": "x"}, "author"),
        ("recognitions", {"message": "x", "to_person": "ours"}, "from_person"),
        ("recognitions", {"message": "x"}, "to_person"),
        ("recognitions", {"message": "x", "to_person": "ours"}, "objective"),
        ("recognitions", {"message": "x", "to_person": "ours"}, "initiative"),
    ],
)
def test_a_link_to_another_organizations_row_reads_as_a_missing_id(
    org, client, theirs, growth_objective, path, body, field
):
    ours = {"check-ins": growth_objective.pk, "recognitions": PersonFactory(organization=org).pk}
    body = {key: ours[path] if value == "ours" else value for key, value in body.items()}
    given = theirs["person" if field in ("author", "from_person", "to_person") else field].pk
    # when an admin of Acme links to a Globex row, and to an id that does not exist
    linked = client.post(url(org, f"{path}/"), body | {field: given}, format="json")
    missing = client.post(url(org, f"{path}/"), body | {field: MISSING}, format="json")
    # then both are refused on that field with the same message, and nothing is written
    assert linked.status_code == missing.status_code == 400
    assert list(linked.json()) == [field]
    assert _same_message(linked, given, missing)
    counts = (CheckIn.objects.for_org(org).count(), FeedbackItem.objects.for_org(org).count())
    assert (*counts, Recognition.objects.for_org(org).count()) == (0, 0, 0)


@pytest.mark.parametrize(
    ("path", "filter_name", "target"),
    [
        ("check-ins", "objective", "objective"),
        ("check-ins", "author", "person"),
        ("feedback", "objective", "objective"),
        ("feedback", "author", "person"),
        ("recognitions", "from_person", "person"),
    ],
)
def test_filtering_by_another_organizations_row_finds_nothing(org, client, theirs, path, filter_name, target):
    # when an admin of Acme filters by a Globex row
    response = client.get(url(org, f"{path}/"), {filter_name: theirs[target].pk})
    # then nothing is found
    assert (response.status_code, response.json()["results"]) == (200, [])
