"""The task import of a team: upload a Jira CSV export (or a JSON list), read the dry run, commit.

Every imported task belongs to the team. A file of up to `ASYNC_ROWS` rows is judged at once: the
dry run's answer carries the rows, signed, so that "Commit" imports exactly what was shown without
a second upload. A larger file runs as a background job (the dry run, then the commit, each a job
holding the rows) whose page polls its progress until it is done. Leads and up (the rule table's
TASK_IMPORT); `objectives.imports` checks each row as a task the member may create or change.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from execgap.models import Job, JobKind, JobState
from execgap.roles import Action, Resource
from execgap.web.forms import add_service_errors
from execgap.web.pages import OrgRequest, org_page
from objectives.imports.mapping import JIRA_COLUMNS
from objectives.imports.options import ImportOptions, import_options, import_options_from_json
from objectives.imports.rows import ImportRows, read_upload
from objectives.imports.services import ASYNC_ROWS, tasks_import
from objectives.imports.tasks import tasks_import_job_request
from resources.models import Team
from resources.web.teams.forms import TaskImportCommitForm, TaskImportForm

SIGNING_SALT = "execgap.teams.task-import"
DRY_RUN_MAX_AGE = 60 * 60  # seconds a dry run may wait for its commit
SHOWN_ROWS = 200  # rows without a problem listed in a report (every row with one is listed)
RECENT_JOBS = 5

_ACTION_WORDS = {
    True: {"created": "Will be created", "updated": "Will be updated", "unchanged": "Unchanged",
           "error": "Error: will not be imported"},
    False: {"created": "Created", "updated": "Updated", "unchanged": "Unchanged",
            "error": "Error: not imported"},
}  # fmt: skip


def _team(request: OrgRequest, pk: int) -> Team:
    return get_object_or_404(Team.objects.for_org(request.org.organization), pk=pk)


def _options(team: Team, *, base_url: str, skip_errors: bool) -> ImportOptions:
    return import_options(team=team.pk, base_url=base_url, skip_errors=skip_errors)


def report_context(report: dict[str, Any]) -> dict[str, Any]:
    """What a report page shows: the summary, every row with errors or warnings, and the first
    `SHOWN_ROWS` others (a report may hold a hundred thousand rows)."""
    rows = report["rows"]
    troubled = [row for row in rows if row["errors"] or row["warnings"]]
    others = [row for row in rows if not (row["errors"] or row["warnings"])]
    words = _ACTION_WORDS[bool(report["dry_run"])]
    shown = sorted(troubled + others[:SHOWN_ROWS], key=lambda row: row["row"])
    return {
        "report": report,
        "summary": report["summary"],
        "report_rows": [row | {"action_words": words[row["action"]]} for row in shown],
        "hidden_rows": len(others) - min(len(others), SHOWN_ROWS),
        "blocked": report["summary"]["error"] > 0 and not report["skip_errors"],
    }


def _page(request: OrgRequest, team: Team, context: dict[str, Any], status: int = 200) -> HttpResponse:
    recent = Job.objects.for_org(request.org.organization).filter(
        kind=JobKind.TASK_IMPORT, parameters__options__team=team.pk
    )
    jobs = recent.order_by("-created_at", "-id").values(
        "id", "state", "done", "total", "created_at", "parameters__dry_run"
    )
    context = {
        "team": team,
        "async_rows": ASYNC_ROWS,
        "recent_jobs": [
            job | {"dry_run": bool(job["parameters__dry_run"]), "state_words": JobState(job["state"]).label}
            for job in jobs[:RECENT_JOBS]
        ]
        if "form" in context
        else [],
    } | context
    return render(request, "teams/import.html", context, status=status)


@org_page(Resource.TASK_IMPORT, Action.CREATE)
def task_import(request: OrgRequest, pk: int) -> HttpResponse:
    """GET: the upload form. POST: a dry run of the file (`action=dry_run`) or the commit of the
    rows a dry run showed (`action=commit`)."""
    team = _team(request, pk)
    if request.method == "POST" and request.POST.get("action") == "commit":
        return _commit(request, team)
    if request.method != "POST":
        return _page(request, team, {"form": TaskImportForm(org=request.org)})
    form = TaskImportForm(request.POST, request.FILES, org=request.org)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        base_url, skip_errors = form.cleaned_data["base_url"], form.cleaned_data["skip_errors"]
        try:
            rows = read_upload(upload.read(), name=upload.name or "", content_type=upload.content_type or "")
            options = _options(team, base_url=base_url, skip_errors=skip_errors)
            if len(rows) > ASYNC_ROWS:
                job = tasks_import_job_request(
                    actor=request.org.membership, rows=rows, dry_run=True, options=options
                )
                return HttpResponseRedirect(_job_url(request, team, job))
            report = tasks_import(actor=request.org.membership, rows=rows, dry_run=True, options=options)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            commit = TaskImportCommitForm(
                initial={"rows": _sign(rows), "base_url": base_url, "skip_errors": skip_errors}
            )
            return _page(request, team, report_context(report.as_json()) | {"commit_form": commit})
    return _page(request, team, {"form": form}, status=400)


def _sign(rows: ImportRows) -> str:
    return signing.dumps(rows.as_json(keep=JIRA_COLUMNS), salt=SIGNING_SALT, compress=True)


def _commit(request: OrgRequest, team: Team) -> HttpResponse:
    commit = TaskImportCommitForm(request.POST)

    def refused(*reasons: str) -> HttpResponse:
        # Back to the upload form, saying why nothing was written.
        context = {"form": TaskImportForm(org=request.org), "import_errors": reasons}
        return _page(request, team, context, status=400)

    if not commit.is_valid():
        return refused("The dry run's rows did not come back: upload the file again.")
    try:
        rows = ImportRows.from_json(
            signing.loads(commit.cleaned_data["rows"], salt=SIGNING_SALT, max_age=DRY_RUN_MAX_AGE)
        )
    except signing.BadSignature:  # altered, or older than DRY_RUN_MAX_AGE
        return refused("This dry run has expired: upload the file again to see what it will do now.")
    try:
        options = _options(
            team, base_url=commit.cleaned_data["base_url"], skip_errors=commit.cleaned_data["skip_errors"]
        )
        report = tasks_import(actor=request.org.membership, rows=rows, dry_run=False, options=options)
    except ValidationError as error:
        return refused(*error.messages, "Nothing was imported.")
    if not report.committed:
        context = report_context(report.as_json()) | {"commit_form": commit}
        return _page(request, team, context, status=400)
    messages.success(request, _committed_message(report.summary))
    return HttpResponseRedirect(
        reverse("team_workspace", kwargs={"org_slug": request.org.organization.slug, "pk": team.pk})
    )


def _committed_message(summary: dict[str, int]) -> str:
    skipped = f", {summary['error']} row(s) with errors skipped" if summary["error"] else ""
    return (
        f"Import committed: {summary['created']} task(s) created, {summary['updated']} updated, "
        f"{summary['unchanged']} unchanged{skipped}."
    )


def _job_url(request: OrgRequest, team: Team, job: Job) -> str:
    return reverse(
        "task_import_job",
        kwargs={"org_slug": request.org.organization.slug, "pk": team.pk, "job_pk": job.pk},
    )


@org_page(Resource.TASK_IMPORT, Action.CREATE)
def task_import_job(request: OrgRequest, pk: int, job_pk: int) -> HttpResponse:
    """A large import's job: its progress (polled while it runs), then its report. POST commits
    what a finished dry run showed, as a new job."""
    team = _team(request, pk)
    job = get_object_or_404(
        Job.objects.for_org(request.org.organization).filter(kind=JobKind.TASK_IMPORT).defer("parameters"),
        pk=job_pk,
    )
    parameters = (
        Job.objects.filter(pk=job.pk)
        .values_list("parameters__dry_run", "parameters__options__team", "parameters__options__skip_errors")
        .get()
    )
    dry_run, team_id, skip_errors = parameters
    if team_id != team.pk:
        raise Http404("No such import for this team.")
    if request.method == "POST":
        return _commit_job(request, team, job, dry_run=bool(dry_run))
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    context: dict[str, Any] = {
        "team": team,
        "job": job,
        "dry_run": bool(dry_run),
        "skip_errors": bool(skip_errors),
        "running": job.state in (JobState.QUEUED, JobState.RUNNING),
        "percent": round(100 * job.done / job.total) if job.total else 0,
    }
    if job.state == JobState.SUCCEEDED and job.result:
        context |= report_context(job.result)
    template = "teams/_import_job.html" if request.htmx else "teams/import_job.html"
    return render(request, template, context)


def _commit_job(request: OrgRequest, team: Team, job: Job, *, dry_run: bool) -> HttpResponse:
    """Commit a finished dry run's rows and options as a new job (what the dry run showed)."""
    if not dry_run or job.state != JobState.SUCCEEDED:
        messages.error(request, "Only a finished dry run can be committed.")
        return HttpResponseRedirect(_job_url(request, team, job))
    stored = Job.objects.filter(pk=job.pk).values_list("parameters", flat=True).get()
    # A dry run with bad rows may be committed without them ("the good rows only").
    skip_errors = request.POST.get("skip_errors") == "true"
    try:
        options = import_options_from_json(stored["options"])
        commit = tasks_import_job_request(
            actor=request.org.membership,
            rows=ImportRows.from_json(stored["rows"]),
            dry_run=False,
            options=replace(options, skip_errors=True) if skip_errors else options,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(_job_url(request, team, job))
    return HttpResponseRedirect(_job_url(request, team, commit))
