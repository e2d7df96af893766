"""POST /api/v1/orgs/{org}/imports/tasks/: who may import, the three ways to send a file, what a
commit answers, and refusals of input that cannot be read."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from execgap.models import Role
from objectives.models import Task
from tests.factories import MembershipFactory
from tests.imports.jira import Issue, clean_issues, jira_export, realistic_issues

pytestmark = pytest.mark.django_db

URL = "/api/v1/orgs/acme/imports/tasks/"


def client_for(membership) -> APIClient:
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


def upload(text: str, name: str = "export.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.VIEWER, 403), (Role.MEMBER, 403), (Role.LEAD, 200), (Role.EXECUTIVE, 200), (Role.ADMIN, 200)],
)
def test_who_may_import(org, plan, importer, role, expected):
    # when a member of each role dry-runs an export
    response = client_for(importer(role)).post(URL, {"file": upload(jira_export(clean_issues()))})
    # then leads and up get the report, the others are refused
    assert response.status_code == expected
    if expected == 403:
        assert response.json() == {"detail": f"Your role ({role}) may not create task imports."}
    assert not Task.objects.for_org(org).exists()


def test_the_anonymous_and_outsiders_are_refused(org, plan, other_org):
    # when someone signed out, or a member of another organization only, imports into acme
    anonymous = APIClient().post(URL, {"file": upload(jira_export(clean_issues()))})
    outsider = client_for(MembershipFactory(organization=other_org, role=Role.ADMIN)).post(
        URL, {"file": upload(jira_export(clean_issues()))}
    )
    # then the first must sign in and the second does not learn acme exists
    assert (anonymous.status_code, outsider.status_code) == (401, 404)
    assert not Task.objects.for_org(org).exists()


def test_an_uploaded_export_is_dry_run_by_default(org, plan, importer):
    # when a lead uploads the realistic export with no options
    response = client_for(importer(Role.LEAD)).post(URL, {"file": upload(jira_export(realistic_issues()))})
    # then the report answers, and nothing is written
    assert response.status_code == 200
    body = response.json()
    assert (body["source"], body["dry_run"], body["committed"]) == ("jira_csv", True, False)
    assert body["summary"] == {
        "rows": 14, "created": 10, "updated": 0, "unchanged": 0, "goal": 1, "error": 3, "linked": 8,
        "warnings": 3,
    }  # fmt: skip
    assert body["ignored_columns"] == ["Priority", "Reporter", "Created", "Labels", "Sprint"]
    assert body["rows"][0]["action"] == "goal"  # the epic SHOP-1 stands for the initiative of its title
    assert body["to_map"]["statuses"][0] == {"name": "QA Review", "status": None, "rows": 1}
    assert body["rows"][1] == {
        "row": 3,
        "external_key": "SHOP-2",
        "action": "created",
        "task": None,
        "link": {"kind": "initiative", "id": plan.checkout.pk, "title": "Checkout revamp"},
        "changes": [],
        "errors": [],
        "warnings": [],
    }
    assert not Task.objects.for_org(org).exists()


def test_a_csv_body_is_committed_and_a_second_commit_changes_nothing(org, plan, importer):
    # given an executive and the export as a text/csv body
    client = client_for(importer(Role.EXECUTIVE))
    export = jira_export(clean_issues())
    # when it is committed twice
    first = client.post(f"{URL}?dry_run=false", export, content_type="text/csv")
    second = client.post(f"{URL}?dry_run=false", export, content_type="text/csv")
    # then the first creates the tasks and the second finds them unchanged: no duplicate
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["committed"] is True
    assert first.json()["summary"]["created"] == 8
    assert second.json()["summary"]["unchanged"] == 8
    assert Task.objects.for_org(org).count() == 8


def test_an_all_or_nothing_commit_with_bad_rows_answers_400_with_the_report_and_writes_nothing(
    org, plan, importer
):
    # when the realistic export, with its bad rows, is committed all or nothing
    client = client_for(importer(Role.ADMIN))
    for whole in ({"all_or_nothing": "true"}, {"skip_errors": "false"}):
        response = client.post(
            URL, {"file": upload(jira_export(realistic_issues())), "dry_run": "false", **whole}
        )
        # then it is refused with the report, and nothing is written
        assert response.status_code == 400
        assert (response.json()["committed"], response.json()["summary"]["error"]) == (False, 3)
        assert response.json()["all_or_nothing"] is True
        assert not Task.objects.for_org(org).exists()
    # when it is committed as it comes, then the good rows are written and the bad reported
    committed = client.post(URL, {"file": upload(jira_export(realistic_issues())), "dry_run": "false"})
    assert (committed.status_code, committed.json()["committed"]) == (200, True)
    assert committed.json()["summary"]["error"] == 3
    assert Task.objects.for_org(org).count() == 10


def test_a_json_list_and_a_json_object_with_options(org, plan, importer):
    # given an executive
    client = client_for(importer(Role.EXECUTIVE))
    # when a JSON list is committed (options in the query), then a JSON object (options in the body)
    listed = client.post(
        f"{URL}?dry_run=false", [{"external_key": "API-1", "title": "From a script"}], format="json"
    )
    wrapped = client.post(
        URL,
        {
            "tasks": [{"external_key": "API-1", "title": "From a script", "status": "Blocked"}],
            "dry_run": False,
            "status_map": {"Blocked": "blocked"},
            "team": plan.platform.pk,
        },
        format="json",
    )
    # then both are imported into the one task
    assert (listed.status_code, wrapped.status_code) == (200, 200)
    assert listed.json()["rows"][0]["action"] == "created"
    assert wrapped.json()["rows"][0]["changes"] == ["status", "team"]
    task = Task.objects.for_org(org).get()
    assert (task.title, task.status, task.team_id) == ("From a script", "blocked", plan.platform.pk)


NOT_A_STATUS = (
    "'QA' maps to 'testing', which is not a task status (todo, in_progress, blocked, done, cancelled)."
)
NO_KEY_COLUMN = "The file has no 'Issue key' column: export the issues from Jira as CSV."
NOTHING_SENT = "Send a Jira CSV export (a multipart `file` or a text/csv body) or a JSON list of tasks."
NOT_A_SITE = "Give the Jira site's address, such as https://acme.atlassian.net."
UNREADABLE = [
    ("?dry_run=maybe", None, {"dry_run": ["Must be true or false."]}),
    ("?status_map=" + json.dumps({"QA": "testing"}), None, {"status_map": [NOT_A_STATUS]}),
    ("?team=abc", None, {"team": ["Give a team's id."]}),
    ("?team=999999", None, {"team": ["team instance with id 999999 is not a valid choice."]}),
    ("?base_url=not-a-url", None, {"base_url": [NOT_A_SITE]}),
    ("?timezone=Mars/Olympus", None, {"timezone": ["Give a time zone name, such as Europe/Paris."]}),
    ("", "Summary,Status\r\nA,Done\r\n", {"file": [NO_KEY_COLUMN]}),
    ("", "", {"file": [NOTHING_SENT]}),
]


@pytest.mark.parametrize(("query", "body", "expected"), UNREADABLE)
def test_input_that_cannot_be_read_is_refused_field_by_field(org, plan, importer, query, body, expected):
    # when an export (or a bad one) is sent with bad options
    response = client_for(importer(Role.ADMIN)).post(
        URL + query, jira_export(clean_issues()) if body is None else body, content_type="text/csv"
    )
    # then the answer says which and writes nothing
    assert (response.status_code, response.json()) == (400, expected)
    assert not Task.objects.for_org(org).exists()


def test_a_team_of_another_organization_reads_as_missing(org, plan, importer, other_org):
    # given a team of another organization
    from tests.factories import TeamFactory

    foreign = TeamFactory(organization=other_org, name="Theirs")
    # when it is the import's team, then it is refused as a team that does not exist
    response = client_for(importer(Role.ADMIN)).post(
        f"{URL}?team={foreign.pk}", jira_export(clean_issues()), content_type="text/csv"
    )
    assert response.json() == {"team": [f"team instance with id {foreign.pk} is not a valid choice."]}


def test_a_multipart_request_without_a_file_and_a_file_not_utf8(org, plan, importer):
    client = client_for(importer(Role.ADMIN))
    # when the file is missing, or not UTF-8
    missing = client.post(URL, {"dry_run": "true"})
    latin = client.post(
        URL, {"file": SimpleUploadedFile("x.csv", "Issue key,Summary\r\nA-1,Café\r\n".encode("latin-1"))}
    )
    # then each is refused on `file`
    assert missing.json() == {"file": ["Attach the Jira CSV export (or a JSON list of tasks) as `file`."]}
    assert latin.json() == {"file": ["The file is not UTF-8 text: export it from Jira as UTF-8."]}
    assert (missing.status_code, latin.status_code) == (400, 400)


def test_a_json_file_upload_is_read_as_a_json_list(org, plan, importer):
    # when a .json file is uploaded
    data = json.dumps([{"external_key": "API-9", "title": "Uploaded"}])
    response = client_for(importer(Role.ADMIN)).post(
        URL, {"file": upload(data, "tasks.json"), "dry_run": "false"}
    )
    # then its tasks are imported
    assert (response.status_code, response.json()["source"]) == (200, "json")
    assert Task.objects.for_org(org).get().title == "Uploaded"


@pytest.mark.parametrize("rows", [5, 50])
def test_the_queries_do_not_grow_with_the_rows(org, plan, importer, django_assert_max_num_queries, rows):
    # given an export of 5, then of 50 rows, under goals, assigned, some tasks already imported
    client = client_for(importer(Role.LEAD))
    issues = [
        Issue(f"Q-{n}", f"Task {n}", "In Progress", assignee="Ada Lovelace", estimate="3600",
              parent_summary="Checkout revamp" if n % 2 else "Grow revenue")
        for n in range(rows)
    ]  # fmt: skip
    client.post(f"{URL}?dry_run=false", jira_export(issues[: rows // 2]), content_type="text/csv")
    issues[0].summary = "Renamed"
    # when the whole export is committed, then the queries are as few for 50 rows as for 5
    with django_assert_max_num_queries(17):
        response = client.post(f"{URL}?dry_run=false", jira_export(issues), content_type="text/csv")
    assert response.json()["summary"]["error"] == 0


def test_a_github_issues_export_posted_as_json_is_read_as_one(org, plan, importer):
    # given what `gh issue list --json ...` writes, posted as the JSON body
    issues = [
        {"number": 7, "title": "Speed up CI", "state": "OPEN", "labels": [], "assignees": [],
         "milestone": {"number": 1, "title": "Faster builds"}, "url": "https://github.com/acme/ci/issues/7",
         "body": "", "createdAt": "2026-11-01T10:00:00Z", "closedAt": None},
    ]  # fmt: skip
    response = client_for(importer(Role.LEAD)).post(f"{URL}?dry_run=false", issues, format="json")
    # then it is a GitHub import, committed, linked by its milestone
    assert response.status_code == 200
    body = response.json()
    assert (body["source"], body["committed"], body["summary"]["created"]) == ("github_json", True, 1)
    assert body["rows"][0]["link"]["id"] == plan.faster_builds.pk
    assert Task.objects.for_org(org).get().external_key == "acme/ci#7"
