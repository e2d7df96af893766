"""The teams of an organization and a team's workspace: its tasks (filtered, linked in bulk), its
initiatives and their staffing, and its check-ins due."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, org_page
from execgap.web.paging import ListPage, Params, keyset_page, numbered_page, search_box, search_term
from execgap.web.scores import latest_snapshot_id, with_scores_status
from objectives.models import Initiative, Task
from objectives.services import tasks_link_to_goal
from resources.models import Team
from resources.web.teams.forms import BulkLinkForm, TeamTaskFilter
from scoring.web.teams.selectors import (
    INITIATIVES_PER_PAGE,
    TEAM_TASKS_ORDER,
    checkins_due,
    own_teams,
    team_alignments,
    team_initiatives,
    team_nodes,
    team_people,
    team_rows,
    team_staffing,
    team_tasks,
)
from scoring.web.trends import team_alignment_trend

TASKS_PER_PAGE = 50
TEAMS_PER_PAGE = 25


@org_page()
def teams(request: OrgRequest) -> HttpResponse:
    """The organization's teams as a tree in numbered pages, or those whose name contains the search;
    the member's own teams first (on the first page). Counts and alignment are read for the teams
    shown only; a page number that is not one answers 400 with its reason."""
    organization = request.org.organization
    params = Params(request)
    search = search_term(request)
    nodes = team_nodes(organization=organization, search=search)
    page = numbered_page(nodes, params=params, label="Pages of teams", size=TEAMS_PER_PAGE)
    own = own_teams(nodes=nodes, person=request.org.person) if page.first and not search else []
    # One read for the page's teams and one's own (listed after them: "part of" is the page's).
    rows = team_rows(organization=organization, nodes=[*page.rows, *own])
    return render(
        request,
        "teams/teams.html",
        {
            "rows": rows[: len(page.rows)],
            "own_rows": rows[len(page.rows) :],
            "page": page,
            "search": search_box(params=params, label="Team name contains", form_label="Search the teams"),
        },
        status=400 if page.error else 200,
    )


@dataclass
class TaskRow:
    task: Task
    can_change: bool  # may the member link it (the rule table, for this task)
    selected: bool = False


def _team(request: OrgRequest, pk: int) -> Team:
    return get_object_or_404(Team.objects.for_org(request.org.organization).select_related("lead"), pk=pk)


def _workspace_url(request: OrgRequest, team: Team) -> str:
    return reverse("team_workspace", kwargs={"org_slug": request.org.organization.slug, "pk": team.pk})


def _tasks_context(request: OrgRequest, team: Team, form: BulkLinkForm | None = None) -> dict[str, Any]:
    """The task panel: the filtered page of tasks, which of them the member may change, the bulk form."""
    org = request.org
    task_filter = TeamTaskFilter(request.GET or None, queryset=team_tasks(team=team), org=org, team=team)
    # A filter that cannot be read (another organization's person, say) lists nothing, and says why.
    tasks_found = (
        task_filter.qs if not task_filter.is_bound or task_filter.is_valid() else Task.objects.none()
    )
    # Keyset pages, newest first, down the (organization, team, id) index: a team of many thousand
    # tasks is neither counted nor offset on every view. The one-off `select` stays out of the links.
    page = keyset_page(
        tasks_found,
        TEAM_TASKS_ORDER,
        params=Params(request, drop=("select",), path=_workspace_url(request, team)),
        label="Pages of tasks",
        size=TASKS_PER_PAGE,
        target="team-tasks",
    )
    tasks: list[Task] = page.rows
    if form is None:
        form = BulkLinkForm(org=org, team=team)
    can_link = org.can(Resource.TASK, Action.CHANGE)
    rows = [TaskRow(task, can_link and org.can(Resource.TASK, Action.CHANGE, task)) for task in tasks]
    # `?select=all` checks every task of the page the member may change (no script needed); the
    # boxes a refused form sent back stay as they were.
    params = request.GET.copy()
    select_all = params.pop("select", [""])[0] == "all" and not form.is_bound
    selected = form.selected_ids()
    for row in rows:
        row.selected = row.can_change and (select_all or str(row.task.pk) in selected)
    return {
        "team": team,
        "task_filter": task_filter,
        "page": page,
        "task_rows": rows,
        "selectable": sum(1 for row in rows if row.can_change),
        "select_all": select_all,
        "filtered": any(request.GET.get(name) for name in ("q", "status", "link", "assignee")),
        "bulk_form": form,
        "can_link": can_link,
        "query": params.urlencode(),  # the filter and page, without the selection
    }


def _staffing_context(request: OrgRequest, team: Team) -> dict[str, Any]:
    """The staffing section: a numbered page of the team's initiatives (`initiatives_page`), each with
    its first allocations."""
    page: ListPage[Initiative] = numbered_page(
        team_initiatives(team=team),
        params=Params(request, prefix="initiatives_", drop=("select",), path=_workspace_url(request, team)),
        label="Pages of initiatives",
        size=INITIATIVES_PER_PAGE,
        target="team-staffing",
    )
    return {"staffing": team_staffing(team=team, initiatives=page.rows), "staffing_page": page}


@dataclass(frozen=True)
class _RowOfTeam:
    """Any plan row of a team (an allocation to one of its initiatives, say), as the rule table
    judges a TEAM grant: by its organization and its team."""

    organization_id: int
    team_id: int


def _workspace(
    request: OrgRequest, team: Team, form: BulkLinkForm | None = None, status: int = 200
) -> HttpResponse:
    org = request.org
    today = timezone.localdate()
    team_row = _RowOfTeam(team.organization_id, team.pk)
    context = _tasks_context(request, team, form) | {
        "people": team_people(team=team),
        **_staffing_context(request, team),
        "alignment": team_alignments(organization=team.organization_id, team_ids=[team.pk]).get(team.pk),
        "alignment_trend": team_alignment_trend(team=team),
        "checkins_due": checkins_due(team=team, as_of=today),
        "today": today,
        "cadence_days": org.organization.checkin_cadence_days,
        "can_import": org.can(Resource.TASK_IMPORT, Action.CREATE),
        "can_create_task": org.can(Resource.TASK, Action.CREATE),
        "can_staff": org.can(Resource.ALLOCATION, Action.CREATE, team_row),
        "can_check_in": org.can(Resource.CHECK_IN, Action.CREATE),
        "can_add_key_result": org.can(Resource.KEY_RESULT, Action.CREATE, team_row),
    }
    if (context["page"].error or context["staffing_page"].pager.error) and status == 200:
        status = 400  # a damaged page link: the first page, with the reason
    return render(request, "teams/workspace.html", context, status=status)


@org_page()
def team_workspace(request: OrgRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    if request.htmx and request.htmx.target == "team-tasks":
        # The filter and the pages answer only the task panel.
        context = _tasks_context(request, team)
        return render(
            request, "teams/_tasks_panel.html", context, status=400 if context["page"].error else 200
        )
    return _workspace(request, team)


@org_page(Resource.TASK, Action.CHANGE)
def tasks_bulk_link(request: OrgRequest, pk: int) -> HttpResponse:
    """Link the checked tasks to one goal: all of them, or (any one refused) none, with the reason.

    The filter and page of the workspace travel in the query string, so that the answer shows the
    same rows: the updated panel for htmx (with the scores' status, out of band), else a redirect.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    org = request.org
    team = _team(request, pk)
    form = BulkLinkForm(request.POST, org=org, team=team)
    seen = latest_snapshot_id(org.organization)
    linked = None
    if form.is_valid():
        refused = [
            task for task in form.cleaned_data["tasks"] if not org.can(Resource.TASK, Action.CHANGE, task)
        ]
        if refused:
            names = ", ".join(f"“{task.title}”" for task in refused)
            form.add_error(
                "tasks",
                f"Your role ({org.membership.get_role_display().lower()}) may not change "
                f"{len(refused)} of the selected tasks ({names}): no task was linked.",
            )
        else:
            try:
                linked = form.submit(
                    lambda: tasks_link_to_goal(
                        actor=org.membership, task_ids=form.task_ids(), **form.cleaned_data["goal"]
                    )
                )
            except PermissionDenied as error:  # a task changed hands since the check above
                form.add_error("tasks", f"{error} No task was linked.")
    if linked is None:
        # Refused: the reasons beside the form (400). A goal picker's Find (no JavaScript): the
        # workspace again with the matches, the checked tasks still checked (200).
        status = 400 if form.errors else 200
        if request.htmx:
            context = _tasks_context(request, team, form)
            return render(request, "teams/_tasks_panel.html", context, status=status)
        return _workspace(request, team, form, status=status)
    goal = next(iter(form.cleaned_data["goal"].values()))
    message = f"Linked {len(linked)} task{'s' if len(linked) != 1 else ''} to “{goal}”."
    if request.htmx:
        context = _tasks_context(request, team) | {"done_message": message}
        response = render(request, "teams/_tasks_panel.html", context)
        return with_scores_status(request, response, seen=seen)
    messages.success(request, message)
    url = reverse("team_workspace", kwargs={"org_slug": org.organization.slug, "pk": team.pk})
    return HttpResponseRedirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
