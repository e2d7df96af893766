"""The alignment page, and linking one task to a goal from it (htmx, or a plain form without JavaScript)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from execgap.roles import Action, Resource
from execgap.web.pages import OrgContext, OrgRequest, org_page, safe_next
from execgap.web.paging import Params, numbered_page
from execgap.web.scores import latest_snapshot_id, with_scores_status
from objectives.services import task_link_to_goal
from scoring.selectors import snapshot_latest
from scoring.web.alignment.forms import AlignmentFilterForm, TaskLinkForm
from scoring.web.alignment.selectors import (
    LinkGoals,
    WorkItem,
    cascade_at,
    link_goals,
    snapshot_parameters,
    task_for_link,
    team_alignment,
    team_subtree,
    unaligned_work,
    work_item,
)


def _row(
    item: WorkItem,
    *,
    org: OrgContext,
    goals: LinkGoals,
    next_url: str,
    form: TaskLinkForm | None = None,
    linked: str = "",
) -> dict[str, Any]:
    """What `alignment/_task_row.html` shows for one task: its link form is a goal picker (the
    goals are read once for the page, and only the chosen one is drawn)."""
    task = item.task
    can_link = org.can(Resource.TASK, Action.CHANGE, task)
    if form is None and can_link and not linked:
        form = TaskLinkForm(org=org, goals=goals, task_title=task.title, auto_id=f"link-{task.pk}-%s")
    return {"item": item, "can_link": can_link, "form": form, "linked": linked, "next": next_url}


# The teams' table shows this many teams (in tree order) at a time.
TEAMS_PER_PAGE = 25


@org_page()
def alignment(request: OrgRequest) -> HttpResponse:
    """Effort by class per team, the organization's alignment score and its parts, and the unaligned
    work, largest first, each with a way to link it to a goal."""
    organization = request.org.organization
    filters = AlignmentFilterForm(request.GET or None, org=request.org)
    valid = not filters.is_bound or filters.is_valid()
    team = filters.cleaned_data.get("team") if filters.is_bound and valid else None
    task_class = (filters.cleaned_data.get("task_class") or None) if filters.is_bound and valid else None

    snapshot = snapshot_latest(organization=organization)
    parameters = snapshot_parameters(organization=organization, snapshot=snapshot)
    cascade = cascade_at(organization=organization, parameters=parameters)
    team_ids = team_subtree(team)
    teams = team_alignment(organization=organization, snapshot=snapshot, team_ids=team_ids)
    teams_page = numbered_page(
        teams.teams, params=Params(request, prefix="teams_"), label="Pages of teams", size=TEAMS_PER_PAGE
    )
    valid = valid and not teams_page.error
    work = unaligned_work(
        organization=organization,
        snapshot=snapshot,
        parameters=parameters,
        cascade=cascade,
        team=team,
        team_ids=team_ids,
        task_class=task_class,
    )
    goals = link_goals(organization=organization, cascade=cascade)
    next_url = request.get_full_path()
    parts = snapshot.parts.get("alignment", {}) if snapshot is not None else {}
    context = {
        "snapshot": snapshot,
        "parameters": parameters,
        "parts": parts,
        "organization_effort": [
            ("aligned", float(parts.get("aligned_effort", 0)), "aligned"),
            ("misaligned", float(parts.get("misaligned_effort", 0)), "misaligned"),
            ("orphan", float(parts.get("orphan_effort", 0)), "orphan"),
        ],
        "traceability_percent": _percent(parts.get("traceability")),
        "priority_fit_percent": _percent(parts.get("priority_fit")),
        "filters": filters,
        "team": team,
        "task_class": task_class,
        "teams": teams,
        "teams_page": teams_page,
        "work": work,
        "rows": [_row(item, org=request.org, goals=goals, next_url=next_url) for item in work.items],
        "goals": goals,
    }
    return render(request, "alignment/alignment.html", context, status=200 if valid else 400)


def _percent(share: float | None) -> float | None:
    return None if share is None else 100.0 * share


def _safe_next(request: OrgRequest) -> str:
    return safe_next(request) or reverse("alignment", kwargs={"org_slug": request.org.organization.slug})


@org_page(Resource.TASK, Action.CHANGE)
def task_link(request: OrgRequest, pk: int) -> HttpResponse:
    """Link task `pk` to a goal through `task_link_to_goal` (the service checks the role on the task).

    htmx: answers the task's row (linked, or with the error beside the select) and the scores status
    out of band, so that the page's numbers refresh once the new snapshot lands. A plain POST
    redirects back to `next`; GET (or an invalid plain POST) shows the form on a page of its own.
    """
    organization = request.org.organization
    task = task_for_link(organization=organization, pk=pk)
    if task is None:
        raise Http404("No such task.")
    request.org.require(Resource.TASK, Action.CHANGE, task)
    snapshot = snapshot_latest(organization=organization)
    parameters = snapshot_parameters(organization=organization, snapshot=snapshot)
    cascade = cascade_at(organization=organization, parameters=parameters)
    goals = link_goals(organization=organization, cascade=cascade)
    next_url = _safe_next(request)

    if request.method != "POST":
        form = TaskLinkForm(org=request.org, goals=goals, auto_id=f"link-{task.pk}-%s")
        item = work_item(task, cascade=cascade, parameters=parameters)
        return render(
            request,
            "alignment/task_link.html",
            {"item": item, "form": form, "goals": goals, "next": next_url},
        )

    form = TaskLinkForm(
        request.POST, org=request.org, goals=goals, task_title=task.title, auto_id=f"link-{task.pk}-%s"
    )
    seen = latest_snapshot_id(organization)
    linked = None
    if form.is_valid():
        linked = form.submit(
            lambda: task_link_to_goal(actor=request.org.membership, task=task, **form.service_kwargs())
        )
    if linked is None:
        # Refused: the reason beside the picker (400). Its Find (no JavaScript): the form on a page
        # of its own with the matches (200).
        status = 400 if form.errors else 200
        item = work_item(task, cascade=cascade, parameters=parameters)
        if request.htmx:
            row = _row(item, org=request.org, goals=goals, next_url=next_url, form=form)
            return render(request, "alignment/_task_row.html", row, status=status)
        context = {"item": item, "form": form, "goals": goals, "next": next_url}
        return render(request, "alignment/task_link.html", context, status=status)

    goal_label = form.chosen.label
    if request.htmx:
        relinked = task_for_link(organization=organization, pk=task.pk)
        assert relinked is not None
        item = work_item(relinked, cascade=cascade, parameters=parameters)
        row = _row(item, org=request.org, goals=goals, next_url=next_url, linked=goal_label)
        response = render(request, "alignment/_task_row.html", row)
        return with_scores_status(request, response, seen=seen)
    messages.success(request, f"Linked “{task.title}” to {goal_label}. The scores update in a moment.")
    return HttpResponseRedirect(next_url)
