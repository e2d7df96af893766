"""The task import of a team: upload an export, read the dry run, map what it does not know, commit.

Every imported task belongs to the team. A file of up to `ASYNC_ROWS` rows is judged at once: the
dry run's answer carries the rows, signed, so that "Dry run again" and "Commit" import exactly
what was shown without a second upload. With the report comes the mapping form: each status the
file uses and each epic or parent (title, milestone, label) it names, the lead choosing a task
status or a goal for those the import cannot place. A commit imports every good row (all or
nothing when the lead asks) and the team remembers the mapping for its next import. A larger file
runs as a background job (the dry run, then the commit, each a job holding the rows) whose page
polls its progress until it is done, with the same mapping form. Leads and up (the rule table's
TASK_IMPORT); `objectives.imports` checks each row as a task the member may create or change.
"""

from __future__ import annotations

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
from objectives.imports.options import ImportOptions, import_options
from objectives.imports.rows import ImportRows, read_upload
from objectives.imports.services import ASYNC_ROWS, tasks_import
from objectives.imports.tasks import tasks_import_job_request
from resources.models import Team
from resources.web.teams.import_forms import TaskImportForm, TaskImportMappingForm

SIGNING_SALT = "execgap.teams.task-import"
DRY_RUN_MAX_AGE = 60 * 60  # seconds a dry run may wait for its commit
SHOWN_ROWS = 200  # rows without a problem listed in a report (every row with one is listed)
RECENT_JOBS = 5

_ACTION_WORDS = {
    True: {"created": "Will be created", "updated": "Will be updated", "unchanged": "Unchanged",
           "goal": "Stands for the goal: no task", "error": "Error: will not be imported"},
    False: {"created": "Created", "updated": "Updated", "unchanged": "Unchanged",
            "goal": "Stands for the goal: no task", "error": "Error: not imported"},
}  # fmt: skip


def _team(request: OrgRequest, pk: int) -> Team:
    return get_object_or_404(Team.objects.for_org(request.org.organization), pk=pk)


def _options(team: Team, form: TaskImportForm | TaskImportMappingForm) -> ImportOptions:
    """The import's options from a valid form (with the lead's mapping, from a mapping form)."""
    statuses, links = form.mapping() if isinstance(form, TaskImportMappingForm) else ({}, {})
    return import_options(
        team=team.pk,
        base_url=form.cleaned_data["base_url"],
        timezone=form.cleaned_data["timezone"] or "UTC",
        all_or_nothing=form.cleaned_data["all_or_nothing"],
        status_map=statuses,
        link_map=links,
    )


def report_context(report: dict[str, Any]) -> dict[str, Any]:
    """What a report page shows: the summary, every row with errors or warnings, and the first
    `SHOWN_ROWS` others (a report may hold a hundred thousand rows)."""
    rows = report["rows"]
    troubled = [row for row in rows if row["errors"] or row["warnings"]]
    others = [row for row in rows if not (row["errors"] or row["warnings"])]
    words = _ACTION_WORDS[bool(report["dry_run"])]
    shown = sorted(troubled + others[:SHOWN_ROWS], key=lambda row: row["row"])
    all_or_nothing = bool(report.get("all_or_nothing", not report.get("skip_errors", False)))
    return {
        "report": report,
        "summary": report["summary"],
        "report_rows": [row | {"action_words": words[row["action"]]} for row in shown],
        "hidden_rows": len(others) - min(len(others), SHOWN_ROWS),
        "all_or_nothing": all_or_nothing,
        "blocked": report["summary"]["error"] > 0 and all_or_nothing,
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


def _report_page(
    request: OrgRequest, team: Team, report: dict[str, Any], *, rows: str, form: TaskImportForm | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    """The report with a fresh mapping form (its initial values: what each entry maps to now)."""
    mapping = TaskImportMappingForm(
        org=request.org,
        to_map=report["to_map"],
        initial={
            "rows": rows,
            "base_url": form.cleaned_data["base_url"] if form else request.POST.get("base_url", ""),
            "timezone": form.cleaned_data["timezone"] if form else request.POST.get("timezone", "UTC"),
            "all_or_nothing": bool(report["all_or_nothing"]),
        },
    )
    return _page(request, team, report_context(report) | {"mapping_form": mapping}, status=status)


@org_page(Resource.TASK_IMPORT, Action.CREATE)
def task_import(request: OrgRequest, pk: int) -> HttpResponse:
    """GET: the upload form. POST: a dry run of the file (`action=dry_run`), or, with the lead's
    mapping, a dry run again of the rows a dry run showed (`action=remap`) or their commit
    (`action=commit`)."""
    team = _team(request, pk)
    if request.method == "POST" and request.POST.get("action") in ("remap", "commit"):
        return _again(request, team, commit=request.POST["action"] == "commit")
    if request.method != "POST":
        return _page(request, team, {"form": TaskImportForm(org=request.org)})
    form = TaskImportForm(request.POST, request.FILES, org=request.org)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_upload(upload.read(), name=upload.name or "", content_type=upload.content_type or "")
            options = _options(team, form)
            if len(rows) > ASYNC_ROWS:
                job = tasks_import_job_request(
                    actor=request.org.membership, rows=rows, dry_run=True, options=options
                )
                return HttpResponseRedirect(_job_url(request, team, job))
            report = tasks_import(actor=request.org.membership, rows=rows, dry_run=True, options=options)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _report_page(request, team, report.as_json(), rows=_sign(rows), form=form)
    return _page(request, team, {"form": form}, status=400)


def _sign(rows: ImportRows) -> str:
    return signing.dumps(rows.as_json(keep=JIRA_COLUMNS), salt=SIGNING_SALT, compress=True)


def _again(request: OrgRequest, team: Team, *, commit: bool) -> HttpResponse:
    """The dry run's rows again, with the lead's mapping: a new dry run, or the commit."""
    mapping = TaskImportMappingForm(request.POST, org=request.org)

    def refused(*reasons: str) -> HttpResponse:
        # Back to the upload form, saying why nothing was written.
        context = {"form": TaskImportForm(org=request.org), "import_errors": reasons}
        return _page(request, team, context, status=400)

    if not mapping.is_valid():
        if mapping.errors and mapping.errors.keys() <= {"rows"}:
            return refused("The dry run's rows did not come back: upload the file again.")
        # A picker's Find without JavaScript (200), or a choice refused (400): the mapping as sent.
        return _page(request, team, {"mapping_form": mapping}, status=200 if mapping.finding else 400)
    try:
        rows = ImportRows.from_json(
            signing.loads(mapping.cleaned_data["rows"], salt=SIGNING_SALT, max_age=DRY_RUN_MAX_AGE)
        )
    except signing.BadSignature:  # altered, or older than DRY_RUN_MAX_AGE
        return refused("This dry run has expired: upload the file again to see what it will do now.")
    try:
        options = _options(team, mapping)
        report = tasks_import(actor=request.org.membership, rows=rows, dry_run=not commit, options=options)
    except ValidationError as error:
        return refused(*error.messages, "Nothing was imported.")
    if commit and report.committed:
        messages.success(request, _committed_message(report.summary))
        return HttpResponseRedirect(
            reverse("team_workspace", kwargs={"org_slug": request.org.organization.slug, "pk": team.pk})
        )
    signed = mapping.cleaned_data["rows"]
    return _report_page(request, team, report.as_json(), rows=signed, status=400 if commit else 200)


def _committed_message(summary: dict[str, int]) -> str:
    skipped = f", {summary['error']} row(s) with errors not imported" if summary["error"] else ""
    goals = f", {summary['goal']} epic(s) standing for goals" if summary.get("goal") else ""
    return (
        f"Import committed: {summary['created']} task(s) created, {summary['updated']} updated, "
        f"{summary['unchanged']} unchanged{goals}{skipped}. The mapping is remembered for the next import."
    )


def _job_url(request: OrgRequest, team: Team, job: Job) -> str:
    return reverse(
        "task_import_job",
        kwargs={"org_slug": request.org.organization.slug, "pk": team.pk, "job_pk": job.pk},
    )


@org_page(Resource.TASK_IMPORT, Action.CREATE)
def task_import_job(request: OrgRequest, pk: int, job_pk: int) -> HttpResponse:
    """A large import's job: its progress (polled while it runs), then its report and, for a dry
    run, the mapping form. POST runs a finished dry run's rows again with the lead's mapping, as a
    new job: a dry run (`action=remap`) or the commit."""
    team = _team(request, pk)
    job = get_object_or_404(
        Job.objects.for_org(request.org.organization).filter(kind=JobKind.TASK_IMPORT).defer("parameters"),
        pk=job_pk,
    )
    dry_run, options = (
        Job.objects.filter(pk=job.pk).values_list("parameters__dry_run", "parameters__options").get()
    )
    if not isinstance(options, dict) or options.get("team") != team.pk:
        raise Http404("No such import for this team.")
    if request.method == "POST":
        return _job_again(request, team, job, dry_run=bool(dry_run))
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    context: dict[str, Any] = {
        "team": team,
        "job": job,
        "dry_run": bool(dry_run),
        "running": job.state in (JobState.QUEUED, JobState.RUNNING),
        "percent": round(100 * job.done / job.total) if job.total else 0,
    }
    if job.state == JobState.SUCCEEDED and job.result:
        context |= report_context(job.result)
        if dry_run and "to_map" in job.result:
            context["mapping_form"] = TaskImportMappingForm(
                org=request.org,
                to_map=job.result["to_map"],
                initial={
                    "base_url": options.get("base_url", ""),
                    "timezone": options.get("timezone", "UTC"),
                    "all_or_nothing": context["all_or_nothing"],
                },
            )
    template = "teams/_import_job.html" if request.htmx else "teams/import_job.html"
    return render(request, template, context)


def _job_again(request: OrgRequest, team: Team, job: Job, *, dry_run: bool) -> HttpResponse:
    """A finished dry run's rows, with the lead's mapping, as a new job (a dry run or the commit)."""
    if not dry_run or job.state != JobState.SUCCEEDED:
        messages.error(request, "Only a finished dry run can be run again or committed.")
        return HttpResponseRedirect(_job_url(request, team, job))
    mapping = TaskImportMappingForm(request.POST, org=request.org)
    if not mapping.is_valid():
        messages.error(request, " ".join(["Nothing was imported.", *mapping.refusals()]))
        return HttpResponseRedirect(_job_url(request, team, job))
    stored = Job.objects.filter(pk=job.pk).values_list("parameters", flat=True).get()
    try:
        again = tasks_import_job_request(
            actor=request.org.membership,
            rows=ImportRows.from_json(stored["rows"]),
            dry_run=request.POST.get("action") != "commit",
            options=_options(team, mapping),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(_job_url(request, team, job))
    return HttpResponseRedirect(_job_url(request, team, again))
