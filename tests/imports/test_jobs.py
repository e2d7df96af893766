"""Large imports run as a job the client polls: 202 with its id, then queued → running →
succeeded with the report as its result, its progress counted in rows."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from execgap.celery import app as celery_app
from execgap.models import Job, JobKind, JobState, Role
from objectives.imports import tasks as import_tasks
from objectives.imports.options import ImportOptions
from objectives.imports.rows import read_jira_csv
from objectives.imports.tasks import GONE_ERROR, tasks_import_job_request, tasks_import_task
from objectives.models import Task
from tests.imports.jira import Issue, jira_export

pytestmark = pytest.mark.django_db

URL = "/api/v1/orgs/acme/imports/tasks/"


@pytest.fixture
def in_process():
    """Celery runs the job in this process, as the embedded default does (the test command has a broker)."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


def big_export(rows: int, *, bad_row: bool = False) -> str:
    issues = [
        Issue(f"BIG-{n}", f"Task {n}", "In Progress", parent_summary="Faster builds") for n in range(rows)
    ]
    if bad_row:
        issues[-1].status = "Someday"
    return jira_export(issues)


@pytest.mark.usefixtures("in_process")
def test_a_large_file_runs_as_a_job_that_ends_with_the_report(
    org, plan, importer, django_capture_on_commit_callbacks, monkeypatch
):
    # given an executive, a 600-row export, and the job's progress reports recorded
    client = APIClient()
    client.force_authenticate(importer(Role.EXECUTIVE).user)
    progress: list[int] = []
    record = import_tasks.job_progress
    monkeypatch.setattr(
        import_tasks, "job_progress", lambda **kw: (progress.append(kw["done"]), record(**kw))
    )
    # when it is committed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}?dry_run=false", big_export(600), content_type="text/csv")
        # then the answer is at once a job to poll, queued
        assert response.status_code == 202
        job = Job.objects.for_org(org).get(pk=response.json()["job"])
        assert response["Location"] == f"/api/v1/orgs/acme/jobs/{job.pk}/"
        assert (job.kind, job.state) == (JobKind.TASK_IMPORT, JobState.QUEUED)
    # and once it ran, it succeeded with the report, every row counted
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.error) == (JobState.SUCCEEDED, 600, 600, "")
    assert progress == [500, 600]
    assert job.result["committed"] is True
    assert job.result["summary"] == {
        "rows": 600, "created": 600, "updated": 0, "unchanged": 0, "goal": 0, "error": 0, "linked": 600,
        "warnings": 0,
    }  # fmt: skip
    assert Task.objects.for_org(org).filter(initiative=plan.faster_builds).count() == 600
    # and the client reads it at jobs/{id}/
    polled = client.get(response["Location"])
    assert (polled.status_code, polled.json()["state"], polled.json()["result"]["summary"]["created"]) == (
        200, "succeeded", 600,
    )  # fmt: skip


@pytest.mark.usefixtures("in_process")
def test_a_large_commit_stopped_by_a_bad_row_reports_it_and_writes_nothing(
    org, plan, importer, django_capture_on_commit_callbacks
):
    # given a 501-row export whose last row has a status nobody mapped
    actor = importer(Role.ADMIN)
    rows = read_jira_csv(big_export(501, bad_row=True))
    # when its job runs
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks_import_job_request(
            actor=actor, rows=rows, dry_run=False, options=ImportOptions(all_or_nothing=True)
        )
    # then it ends with the report of the bad row, and nothing written
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.SUCCEEDED, 501, 501)
    assert (job.result["committed"], job.result["summary"]["error"]) == (False, 1)
    assert job.result["rows"][-1]["errors"][0]["column"] == "Status"
    assert not Task.objects.for_org(org).exists()


def test_a_job_whose_member_left_fails_and_writes_nothing(org, plan, importer):
    # given a queued import job, and its member then left the organization
    actor = importer(Role.LEAD)
    job = tasks_import_job_request(
        actor=actor, rows=read_jira_csv(big_export(3)), dry_run=False, options=ImportOptions()
    )
    actor.delete()
    # when it runs
    outcome = tasks_import_task(job.pk)
    # then it fails, saying why, and nothing is written
    job.refresh_from_db()
    assert (outcome, job.state, job.error) == ("failed", JobState.FAILED, GONE_ERROR)
    assert not Task.objects.for_org(org).exists()


def test_a_job_demoted_meanwhile_is_refused(org, plan, importer):
    # given a queued import job, and its lead then made a viewer
    actor = importer(Role.LEAD)
    job = tasks_import_job_request(
        actor=actor, rows=read_jira_csv(big_export(3)), dry_run=False, options=ImportOptions()
    )
    actor.role = Role.VIEWER
    actor.save()
    # when it runs, then the role it has now is refused
    assert tasks_import_task(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == "Your role (viewer) may not create this task import. Nothing was imported."
    assert not Task.objects.for_org(org).exists()


def test_a_message_delivered_again_after_the_job_ended_does_nothing(org, plan, importer):
    # given an import job that ran
    job = tasks_import_job_request(
        actor=importer(Role.ADMIN), rows=read_jira_csv(big_export(3)), dry_run=False, options=ImportOptions()
    )
    assert tasks_import_task(job.pk) == "succeeded"
    job.refresh_from_db()
    finished = (job.finished_at, job.result)
    # when its message is delivered again, then nothing more happens
    assert tasks_import_task(job.pk) == "ended"
    job.refresh_from_db()
    assert (job.finished_at, job.result) == finished
    assert Task.objects.for_org(org).count() == 3


def test_a_worker_knows_the_import_and_recompute_job_tasks():
    # when a fresh process loads the tasks a worker loads (without Django's system checks, which load
    # the URLs and with them, by chance, the import's view), then the import's task is among them
    code = (
        "import django; django.setup(); from execgap.celery import app; "
        "app.loader.import_default_modules(); "
        "print(all(name in app.tasks for name in ("
        "'objectives.imports.tasks.tasks_import_task', 'scoring.jobs.recompute_job_task')))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "execgap.settings", "CELERY_SKIP_CHECKS": "1"}
    found = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(settings.BASE_DIR),
        check=True,
    )
    assert found.stdout.strip().splitlines()[-1] == "True"


def test_a_large_file_with_options_naming_missing_rows_is_refused_before_any_job(
    org, plan, importer, other_org
):
    # given a team of another organization
    from tests.factories import TeamFactory

    foreign = TeamFactory(organization=other_org, name="Theirs")
    client = APIClient()
    client.force_authenticate(importer(Role.ADMIN).user)
    # when a 600-row export names it as the import's team
    response = client.post(f"{URL}?team={foreign.pk}", big_export(600), content_type="text/csv")
    # then the client hears it at once, as for a team that does not exist, and no job is made
    assert (response.status_code, response.json()) == (
        400, {"team": [f"team instance with id {foreign.pk} is not a valid choice."]},
    )  # fmt: skip
    assert not Job.objects.for_org(org).exists()


def test_polling_an_import_job_does_not_send_its_rows_back(org, plan, importer):
    # given a large import waiting as a job (its rows kept with the job's parameters)
    client = APIClient()
    client.force_authenticate(importer(Role.ADMIN).user)
    job_id = client.post(URL, big_export(600), content_type="text/csv").json()["job"]
    # when the client polls it
    answer = client.get(f"/api/v1/orgs/{org.slug}/jobs/{job_id}/").json()
    # then it hears the options it asked for, not the 600 rows it sent
    assert "rows" not in answer["parameters"]
    assert Job.objects.get(pk=job_id).parameters["rows"]
