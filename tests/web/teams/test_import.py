"""The team's task import: upload, dry run (nothing written), commit (the tasks created in the team),
and a large file as a job whose page polls its progress."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from execgap.jobs import job_fail, job_progress, job_start, job_succeed
from execgap.models import Job, JobKind, JobState, Role
from objectives.imports.services import ASYNC_ROWS
from objectives.models import Task
from tests.factories import TeamFactory
from tests.imports.jira import Issue, jira_export
from tests.web.conftest import ROLES, org_url, query_count

pytestmark = pytest.mark.django_db

ALLOWED = {Role.LEAD, Role.EXECUTIVE, Role.ADMIN}


def export(*issues: Issue) -> SimpleUploadedFile:
    return SimpleUploadedFile("export.csv", jira_export(issues).encode(), content_type="text/csv")


def good_file(setup) -> SimpleUploadedFile:
    return export(
        Issue("WEB-1", "Ship the new login", "In Progress", parent_summary=setup.initiative.title),
        Issue("WEB-2", "Write the runbook"),
    )


def dry_run(client, org, team, upload, **fields):
    return client.post(
        org_url("task_import", org, pk=team.pk), {"file": upload, "action": "dry_run", **fields}
    )


def mapping_fields(page: str) -> dict[str, str]:
    """The mapping form's hidden fields, chosen options and checked boxes, as a browser sends them."""
    form = page[page.index('class="stacked teams-import-mapping"') :]
    form = form[: form.index("</form>")]
    fields = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))
    for name, options in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        fields[name] = chosen.group(1) if chosen else ""
    fields |= dict.fromkeys(re.findall(r'type="checkbox" name="(\w+)"[^>]*checked', form), "on")
    return {name: html.unescape(value) for name, value in fields.items()}


def again(client, org, team, page: str, action: str = "commit", **changes: str):
    """Send the dry run's mapping form back: `action` commit or remap, with `changes` to its fields."""
    fields = mapping_fields(page) | changes
    return client.post(org_url("task_import", org, pk=team.pk), {"action": action, **fields})


@pytest.mark.parametrize("role", ROLES)
def test_only_leads_and_up_open_the_import(client, signed_in, org, team_setup, role):
    # given a team
    setup = team_setup(tasks=0)
    signed_in(role)
    # when a member of each role opens its import page
    response = client.get(org_url("task_import", org, pk=setup.team.pk))
    # then leads, executives and admins may import; members and viewers are refused
    assert response.status_code == (200 if role in ALLOWED else 403)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_may_not_upload(client, signed_in, org, team_setup, role):
    setup = team_setup(tasks=0)
    signed_in(role)
    assert dry_run(client, org, setup.team, good_file(setup)).status_code == 403
    assert not Task.objects.filter(external_key__startswith="WEB-").exists()


def test_a_dry_run_shows_what_would_happen_and_writes_nothing(client, org, team_setup):
    # given a team's lead and a two-row export, one row under the team's initiative
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    # when they upload it
    response = dry_run(client, org, setup.team, good_file(setup))
    # then the dry run says both tasks will be created, the first linked to the initiative ...
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dry run: what the import will do" in page
    assert page.count("Will be created") == 2
    assert f"Initiative: {setup.initiative.title}" in page
    # ... nothing was written, and a commit is offered
    assert not Task.objects.filter(external_key__startswith="WEB-").exists()
    assert "Commit the import" in page


def test_committing_the_dry_run_creates_the_tasks_in_the_team(client, org, team_setup):
    # given a lead's dry run of a two-row export
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    page = dry_run(
        client, org, setup.team, good_file(setup), base_url="https://acme.atlassian.net"
    ).content.decode()
    # when they commit it (without sending the file again)
    response = again(client, org, setup.team, page)
    # then the two tasks exist in the team, the first linked to the initiative, and the workspace says so
    assert response.status_code == 302
    assert response["Location"] == org_url("team_workspace", org, pk=setup.team.pk)
    tasks = {
        task.external_key: task
        for task in Task.objects.filter(organization=org, external_key__startswith="WEB-")
    }
    assert set(tasks) == {"WEB-1", "WEB-2"}
    assert all(task.team_id == setup.team.pk for task in tasks.values())
    assert tasks["WEB-1"].initiative_id == setup.initiative.pk
    assert tasks["WEB-1"].external_url == "https://acme.atlassian.net/browse/WEB-1"
    assert "Import committed: 2 task(s) created" in client.get(response["Location"]).content.decode()


def test_every_bad_row_is_reported_with_its_line_and_the_commit_imports_the_others(client, org, team_setup):
    # given an export whose third line has an unknown status
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    upload = export(Issue("WEB-1", "Fine"), Issue("WEB-2", "Broken", status="Someday"))
    # when it is uploaded
    page = dry_run(client, org, setup.team, upload).content.decode()
    # then the error names line 3, the status is offered for mapping, and a commit is offered
    assert re.search(r"<strong>Error</strong>, line 3, Status: [^<]*Someday", page)
    assert "“Someday” (1 row)" in page
    assert "Commit the import</button>" in page
    # and the commit imports the good row and lists the other
    response = again(client, org, setup.team, page)
    assert response.status_code == 302
    assert list(
        Task.objects.filter(external_key__startswith="WEB-").values_list("external_key", flat=True)
    ) == ["WEB-1"]
    assert "1 row(s) with errors not imported" in client.get(response["Location"]).content.decode()


def test_all_or_nothing_writes_nothing_while_a_row_is_bad(client, org, team_setup):
    # given a dry run with a bad row, all or nothing
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    upload = export(Issue("WEB-1", "Fine"), Issue("WEB-2", "Broken", status="Someday"))
    page = dry_run(client, org, setup.team, upload, all_or_nothing="on").content.decode()
    assert "all or nothing, a commit writes nothing until they are fixed" in page
    # when it is committed
    response = again(client, org, setup.team, page)
    # then nothing is written and the report says so
    assert response.status_code == 400
    assert "Import not committed: nothing was written" in response.content.decode()
    assert not Task.objects.filter(external_key__startswith="WEB-").exists()


def test_a_status_mapped_on_the_page_imports_its_rows_and_is_remembered(client, org, team_setup):
    # given a dry run whose status "Someday" no default maps
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    upload = export(Issue("WEB-1", "Fine"), Issue("WEB-2", "Later", status="Someday"))
    page = dry_run(client, org, setup.team, upload).content.decode()
    fields = mapping_fields(page)
    index = next(name for name, value in fields.items() if value == "Someday").removeprefix("status_name_")
    # when the lead maps it to "blocked" and dries run again
    remapped = again(client, org, setup.team, page, "remap", **{f"status_{index}": "blocked"})
    # then no row is in error any more, and nothing is written yet
    assert remapped.status_code == 200
    assert "Error</strong>" not in remapped.content.decode()
    assert not Task.objects.filter(external_key__startswith="WEB-").exists()
    # and the commit imports both; the next upload of the team knows the status
    again(client, org, setup.team, remapped.content.decode())
    assert Task.objects.get(external_key="WEB-2").status == "blocked"
    upload = export(Issue("WEB-3", "Soon", status="someday"))
    later = dry_run(client, org, setup.team, upload).content.decode()
    assert "Error</strong>" not in later


def test_a_tampered_commit_is_refused_and_writes_nothing(client, org, team_setup):
    # given a dry run's commit fields whose rows were altered
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    fields = mapping_fields(dry_run(client, org, setup.team, good_file(setup)).content.decode())
    fields["rows"] = fields["rows"][:-3] + "abc"
    # when they are posted
    response = client.post(org_url("task_import", org, pk=setup.team.pk), {"action": "commit", **fields})
    # then nothing is imported and the upload form comes back
    assert response.status_code == 400
    assert "upload the file again" in response.content.decode()
    assert not Task.objects.filter(external_key__startswith="WEB-").exists()


def test_a_file_that_cannot_be_read_is_an_error_beside_the_file(client, org, team_setup):
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    upload = SimpleUploadedFile("export.csv", b"Summary,Status\nA,To Do\n", content_type="text/csv")
    response = dry_run(client, org, setup.team, upload, base_url="https://acme.atlassian.net")
    page = response.content.decode()
    assert response.status_code == 400
    assert "no &#x27;Issue key&#x27; column" in page or "no 'Issue key' column" in page
    assert 'value="https://acme.atlassian.net"' in page  # the input is kept


def test_no_file_is_an_error(client, org, team_setup):
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    response = client.post(org_url("task_import", org, pk=setup.team.pk), {"action": "dry_run"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_another_organizations_team_is_a_404(client, org, other_org, team_setup):
    setup = team_setup(tasks=0)
    foreign = TeamFactory(organization=other_org)
    client.force_login(setup.lead.user)
    assert client.get(org_url("task_import", org, pk=foreign.pk)).status_code == 404
    assert dry_run(client, org, foreign, good_file(setup)).status_code == 404


# --- large files: a job -----------------------------------------------------------------------------


def large_file(count: int = ASYNC_ROWS + 1) -> SimpleUploadedFile:
    return export(*(Issue(f"BIG-{n}", f"Task {n}") for n in range(count)))


def test_a_large_file_runs_as_a_job_and_its_page_polls_the_progress(client, org, team_setup):
    # given a lead and a file over the size judged at once
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    # when they upload it
    response = dry_run(client, org, setup.team, large_file())
    # then they are sent to the job's page, which polls while the job waits
    job = Job.objects.get(organization=org, kind=JobKind.TASK_IMPORT)
    assert response["Location"] == org_url("task_import_job", org, pk=setup.team.pk, job_pk=job.pk)
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "Waiting for a worker" in page
    # and when the job runs, the polled fragment counts the rows
    job_start(job_id=job.pk, total=ASYNC_ROWS + 1)
    job_progress(job_id=job.pk, done=250)
    fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="import-job"')
    assert f"250 of {ASYNC_ROWS + 1} rows judged (50%)" in fragment
    assert 'hx-trigger="every 1s"' in fragment


def test_a_finished_job_stops_polling_and_shows_its_report(client, org, team_setup):
    # given a dry-run job that succeeded with its report
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    response = dry_run(client, org, setup.team, large_file())
    job = Job.objects.get(organization=org, kind=JobKind.TASK_IMPORT)
    report = {
        "source": "jira_csv", "dry_run": True, "committed": False, "all_or_nothing": False,
        "summary": {"rows": 1, "created": 1, "updated": 0, "unchanged": 0, "goal": 0, "error": 0, "linked": 0,
                    "warnings": 0},
        "ignored_columns": [], "to_map": {"statuses": [{"name": "To Do", "status": "todo", "rows": 1}],
                                          "parents": []},
        "rows": [{"row": 2, "external_key": "BIG-0", "action": "created", "task": None, "link": None,
                  "changes": [], "errors": [], "warnings": []}],
    }  # fmt: skip
    job_succeed(job_id=job.pk, result=report)
    # when its page is polled
    fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    # then it polls no more and shows the report with a commit
    assert "hx-trigger" not in fragment
    assert "Will be created" in fragment
    assert "Commit the import" in fragment


def test_committing_a_finished_dry_run_job_queues_the_commit_with_the_same_rows(client, org, team_setup):
    # given a succeeded dry-run job
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    dry_run(client, org, setup.team, large_file())
    job = Job.objects.get(organization=org, kind=JobKind.TASK_IMPORT)
    job_succeed(job_id=job.pk, result={"dry_run": True})
    # when the lead commits it
    response = client.post(
        org_url("task_import_job", org, pk=setup.team.pk, job_pk=job.pk), {"action": "commit"}
    )
    # then a commit job holds the same rows, for the same team, and its page is next
    commit = Job.objects.exclude(pk=job.pk).get(organization=org, kind=JobKind.TASK_IMPORT)
    assert commit.parameters["dry_run"] is False
    assert commit.parameters["rows"] == job.parameters["rows"]
    assert commit.parameters["options"]["team"] == setup.team.pk
    assert response["Location"] == org_url("task_import_job", org, pk=setup.team.pk, job_pk=commit.pk)


def test_a_job_still_running_cannot_be_committed(client, org, team_setup):
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    dry_run(client, org, setup.team, large_file())
    job = Job.objects.get(organization=org, kind=JobKind.TASK_IMPORT)
    client.post(org_url("task_import_job", org, pk=setup.team.pk, job_pk=job.pk), {"action": "commit"})
    assert Job.objects.filter(organization=org, kind=JobKind.TASK_IMPORT).count() == 1
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED


@pytest.mark.parametrize("role", ROLES)
def test_the_job_page_is_for_leads_and_up(client, signed_in, org, team_setup, role):
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    dry_run(client, org, setup.team, large_file())
    job = Job.objects.get(organization=org, kind=JobKind.TASK_IMPORT)
    signed_in(role)
    response = client.get(org_url("task_import_job", org, pk=setup.team.pk, job_pk=job.pk))
    assert response.status_code == (200 if role in ALLOWED else 403)


def test_another_organizations_job_or_another_teams_job_is_a_404(
    client, org, other_org, member_of, team_setup
):
    # given a job of this team, and a job of the other organization
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    dry_run(client, org, setup.team, large_file())
    job = Job.objects.get(organization=org, kind=JobKind.TASK_IMPORT)
    foreign = Job.objects.create(
        organization=other_org,
        kind=JobKind.TASK_IMPORT,
        parameters={"dry_run": True, "options": {"team": setup.team.pk}},
    )
    other_team = TeamFactory(organization=org)
    # when the lead asks for the foreign job, or for this job under another team
    # then neither exists for them
    assert client.get(org_url("task_import_job", org, pk=setup.team.pk, job_pk=foreign.pk)).status_code == 404
    assert client.get(org_url("task_import_job", org, pk=other_team.pk, job_pk=job.pk)).status_code == 404


def report_of(count: int) -> dict:
    rows = [
        {"row": n + 2, "external_key": f"BIG-{n}", "action": "created", "task": None, "link": None,
         "changes": [], "errors": [], "warnings": []}
        for n in range(count)
    ]  # fmt: skip
    summary = {
        "rows": count,
        "created": count,
        "updated": 0,
        "unchanged": 0,
        "error": 0,
        "linked": 0,
        "warnings": 0,
    }
    return {"source": "jira_csv", "dry_run": True, "committed": False, "all_or_nothing": False,
            "summary": summary, "ignored_columns": [], "rows": rows,
            "to_map": {"statuses": [], "parents": []}}  # fmt: skip


def test_the_import_pages_run_as_many_queries_for_three_times_the_jobs_and_rows(client, org, team_setup):
    # given a team's lead, and import jobs of the team with their reports
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)

    def jobs(count: int, rows: int) -> Job:
        for _ in range(count):
            job = Job.objects.create(
                organization=org, kind=JobKind.TASK_IMPORT,
                parameters={"dry_run": True, "options": {"team": setup.team.pk}, "rows": {}},
            )  # fmt: skip
            job_succeed(job_id=job.pk, result=report_of(rows))
        return job

    page_url = org_url("task_import", org, pk=setup.team.pk)
    small_job = jobs(2, rows=2)
    client.get(page_url)  # the session's first write is not the page's
    small_page = query_count(client, page_url)
    small_job_page = query_count(
        client, org_url("task_import_job", org, pk=setup.team.pk, job_pk=small_job.pk)
    )
    # when there are three times as many jobs, and rows in the report
    large_job = jobs(4, rows=6)
    large_page = query_count(client, page_url)
    large_job_page = query_count(
        client, org_url("task_import_job", org, pk=setup.team.pk, job_pk=large_job.pk)
    )
    # then each page runs the same queries, and few
    assert small_page == large_page
    assert small_job_page == large_job_page
    assert max(large_page, large_job_page) <= 15


def test_a_failed_job_says_why_and_stops_polling(client, org, team_setup):
    # given a large import whose job failed
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)
    response = dry_run(client, org, setup.team, large_file())
    job = Job.objects.get(organization=org, kind=JobKind.TASK_IMPORT)
    job_fail(job_id=job.pk, error="The import failed (OperationalError); nothing was imported.")
    # when its page is shown
    page = client.get(response["Location"]).content.decode()
    # then it gives the reason, and polls no more
    assert "This import did not complete. The import failed (OperationalError); nothing was imported." in page
    assert 'hx-trigger="every 1s"' not in page
