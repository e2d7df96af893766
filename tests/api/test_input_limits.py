"""Input that cannot be read is a 400 that says why, never a 500 (issue 11): JSON nested past the
bound (checked without recursion before it is parsed), bodies past DATA_UPLOAD_MAX_MEMORY_SIZE,
numbers no float holds, NaN and Infinity; numbers past a field's digits or bound are refused on
that field. The same on every JSON endpoint and on the JSON import."""

from __future__ import annotations

import pytest

from objectives.models import Task
from tests.api.resources.support import client_for, url
from tests.objectives.database import nothing_written

pytestmark = pytest.mark.django_db

DEEP = "[" * 50_000 + "]" * 50_000


@pytest.fixture
def client(admin):
    return client_for(admin)


def post_raw(client, path, text, content_type="application/json"):
    return client.generic("POST", path, text.encode(), content_type=content_type)


@pytest.mark.parametrize("path", ["tasks/", "objectives/", "tasks/link/", "imports/tasks/", "check-ins/"])
def test_json_nested_50000_deep_is_a_clear_400(org, client, path):
    # when a body nested 50,000 deep is posted to a JSON endpoint
    with nothing_written():
        response = post_raw(client, url(org, path), DEEP)
    # then it is refused before it is parsed, saying why
    assert response.status_code == 400
    assert "nested deeper than 32 levels" in response.json()["detail"]


def test_nesting_within_the_bound_is_read(org, client):
    # given a title nested 31 levels deep, inside strings too
    text = '{"title": "[[[{{{", "external_url": "", "x": ' + "[" * 30 + "]" * 30 + "}"
    # when it is posted / then it is read (and refused only for its unknown field, not its shape)
    response = post_raw(client, url(org, "tasks/"), text)
    assert response.status_code == 201


def test_the_depth_bound_is_a_setting(org, client, settings):
    settings.EXECGAP_JSON_MAX_DEPTH = 2
    response = post_raw(client, url(org, "tasks/"), '{"title": [[1]]}')
    assert (response.status_code, response.json()["detail"]) == (
        400,
        "JSON parse error - The JSON is nested deeper than 2 levels.",
    )


def test_a_body_past_the_upload_bound_is_a_clear_400(org, client, settings):
    # given a bound of 1,000 bytes
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    # when a task of a 2,000-character title is posted
    response = post_raw(client, url(org, "tasks/"), '{"title": "' + "x" * 2000 + '"}')
    # then it is refused, naming the bound
    assert (response.status_code, response.json()["detail"]) == (
        400,
        "The request body is larger than 1,000 bytes.",
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e400", "The number 1e400 is too large."),
        ("-1e400", "The number -1e400 is too large."),
        ("NaN", "NaN is not a JSON number."),
        ("Infinity", "Infinity is not a JSON number."),
        ("-Infinity", "-Infinity is not a JSON number."),
    ],
)
def test_numbers_no_float_holds_are_refused_as_they_are_read(org, client, value, message):
    with nothing_written():
        response = post_raw(client, url(org, "tasks/"), '{"title": "T", "effort_hours": ' + value + "}")
    assert (response.status_code, response.json()["detail"]) == (400, f"JSON parse error - {message}")


@pytest.mark.parametrize(
    "value",
    [
        '"NaN"',
        '"Infinity"',
        '"-Infinity"',
        '"1e27"',
        '"1e400"',
        "1e27",
        '"99999999999999999999999999"',
        "1e-30",
    ],
)
def test_numbers_past_a_fields_digits_are_refused_on_that_field(org, client, value):
    # when a task's effort is a huge, tiny or not-a-number value, as text or as a number
    with nothing_written():
        response = post_raw(client, url(org, "tasks/"), '{"title": "T", "effort_hours": ' + value + "}")
    # then the effort field says why
    assert response.status_code == 400
    assert list(response.json()) == ["effort_hours"]


def test_an_integer_of_more_digits_than_python_reads_is_a_clear_400(org, client):
    response = post_raw(client, url(org, "tasks/"), '{"title": "T", "assignee": ' + "9" * 5000 + "}")
    assert response.status_code == 400


@pytest.mark.parametrize("link", ["assignee", "team", "initiative", "objective"])
def test_an_id_past_the_databases_integers_is_a_missing_row(org, client, link):
    # when a task links to an id no 64-bit integer holds
    response = post_raw(client, url(org, "tasks/"), f'{{"title": "T", "{link}": {10**30}}}')
    # then it is refused on that link, as a row that does not exist
    assert response.status_code == 400
    assert list(response.json()) == [link]
    assert not Task.objects.for_org(org).exists()


def test_a_jira_estimate_of_1e27_seconds_is_a_row_error_not_a_500(org, client):
    # given a Jira export whose estimate is 1e27 seconds
    csv = "Summary,Issue key,Status,Original Estimate\nHuge,SHOP-1,To Do,1e27\n"
    # when it is imported (a dry run)
    response = client.generic("POST", url(org, "imports/tasks/"), csv.encode(), content_type="text/csv")
    # then the row's estimate is refused, naming the bound
    assert response.status_code == 200
    row = response.json()["rows"][0]
    assert row["errors"] == [
        {
            "row": 2,
            "column": "Original Estimate",
            "message": "Must be at most 7,200,000 seconds (2,000 hours: a task's most).",
        }
    ]


def test_an_imported_json_file_nested_too_deep_is_a_clear_error(org, client):
    # given a JSON file nested 50,000 deep, uploaded as a file
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("tasks.json", DEEP.encode(), content_type="application/json")
    # when it is imported
    response = client.post(url(org, "imports/tasks/"), {"file": upload}, format="multipart")
    # then the file is refused, saying why
    assert response.status_code == 400
    assert "nested deeper than 32 levels" in str(response.json())
