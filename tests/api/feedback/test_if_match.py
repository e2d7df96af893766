"""If-Match on check-ins/, feedback/ and recognitions/: a stale write gets 412 and changes nothing."""

import pytest

from feedback.models import FeedbackItem
from tests.api.resources.support import client_for, url
from tests.factories import CheckInFactory, FeedbackItemFactory, RecognitionFactory

pytestmark = pytest.mark.django_db

CHANGES = {"check-ins": ("note", "Revised"), "feedback": ("text", "Revised")}


@pytest.fixture
def client(executive):
    return client_for(executive)


@pytest.fixture
def rows(org, growth_objective):
    """A check-in, a feedback item and a recognition, each edited once already (version 2)."""
    made = {
        "check-ins": CheckInFactory(organization=org, objective=growth_objective, note="First"),
        "feedback": FeedbackItemFactory(organization=org, text="First"),
        "recognitions": RecognitionFactory(organization=org),
    }
    for row in made.values():
        type(row).objects.filter(pk=row.pk).update(version=2)
        row.refresh_from_db()
    return made


@pytest.mark.parametrize("path", ["check-ins", "feedback", "recognitions"])
def test_a_row_is_sent_with_its_version_as_etag(org, client, rows, path):
    # when a row is read
    response = client.get(url(org, f"{path}/{rows[path].pk}/"))
    # then its version comes as the ETag
    assert (response.status_code, response["ETag"], response.json()["version"]) == (200, '"2"', 2)


@pytest.mark.parametrize("path", ["check-ins", "feedback"])
def test_a_write_with_the_current_version_is_made(org, client, rows, path):
    field, value = CHANGES[path]
    # when an executive changes the row, sending the version they read
    response = client.patch(
        url(org, f"{path}/{rows[path].pk}/"), {field: value}, format="json", HTTP_IF_MATCH='"2"'
    )
    # then it is written, with the new version in the body and as the ETag
    assert (response.status_code, response.json()[field]) == (200, value)
    assert (response.json()["version"], response["ETag"]) == (3, '"3"')


@pytest.mark.parametrize("path", ["check-ins", "feedback"])
def test_a_stale_write_is_refused_and_changes_nothing(org, client, rows, path):
    row = rows[path]
    field, value = CHANGES[path]
    # when an executive changes the row as of version 1, which someone has since changed
    response = client.patch(url(org, f"{path}/{row.pk}/"), {field: value}, format="json", HTTP_IF_MATCH='"1"')
    # then it is refused with the current version, and the row is as it was
    assert (response.status_code, response.json()) == (
        412,
        {
            "detail": "This row was changed by someone else: read it again and reapply your change.",
            "current_version": 2,
        },
    )
    row.refresh_from_db()
    assert (getattr(row, field), row.version) == ("First", 2)


@pytest.mark.parametrize("path", ["check-ins", "feedback", "recognitions"])
def test_a_stale_delete_is_refused_and_deletes_nothing(org, client, rows, path):
    row = rows[path]
    # when an executive deletes the row as of version 1
    response = client.delete(url(org, f"{path}/{row.pk}/"), HTTP_IF_MATCH='"1"')
    # then it is refused and the row remains
    assert (response.status_code, response.json()["current_version"]) == (412, 2)
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("path", ["check-ins", "feedback", "recognitions"])
def test_a_delete_with_the_current_version_is_made(org, client, rows, path):
    row = rows[path]
    # when an executive deletes the row as of its current version
    response = client.delete(url(org, f"{path}/{row.pk}/"), HTTP_IF_MATCH='"2"')
    # then it is gone
    assert response.status_code == 204
    assert not type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("answer", ["acknowledge", "resolve"])
def test_an_if_match_that_is_not_a_version_is_refused_on_answers_too(org, client, rows, answer):
    item = rows["feedback"]
    # when an executive answers with something other than a version as If-Match
    response = client.post(
        url(org, f"feedback/{item.pk}/{answer}/"), {}, format="json", HTTP_IF_MATCH="latest"
    )
    # then it is refused on If-Match and nothing changes
    assert (response.status_code, response.json()) == (
        400,
        {"If-Match": ["Send the row's version, as its ETag gives it."]},
    )
    assert FeedbackItem.objects.get(pk=item.pk).status == "open"
