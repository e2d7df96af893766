"""The plan's forms: create, change and delete objectives, key results, initiatives and tasks.

Each page checks the role rule for the page (`org_page`) and, for a row, the rule on that row
before it shows anything; the form then saves only through `objectives.services`, which checks
again, validates, records the revision (with the reason) and marks the scores stale.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, org_page
from execgap.web.paging import Params, search_box, search_term
from objectives import services
from objectives.models import Initiative, KeyResult, Objective, Task
from objectives.web.plan.forms import (
    DeleteForm,
    HistoryFilterForm,
    InitiativeForm,
    KeyResultForm,
    ObjectiveForm,
    PlanDeleteForm,
    TaskForm,
)
from objectives.web.plan.history import KIND_NOUNS, plan_history_page
from objectives.web.plan.steps import (
    delete_page,
    form_page,
    org_url,
    plan_row,
    posted,
    preset,
    task_home,
)
from resources.models import Team

# Objectives ---------------------------------------------------------------------------------------


@org_page(Resource.OBJECTIVE, Action.CREATE)
def objective_create(request: OrgRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    parent = preset(request, Objective, "parent")
    if parent is not None:
        initial = {"parent": parent.pk, "team": parent.team_id}
    form = ObjectiveForm(posted(request), org=request.org, initial=initial)
    return form_page(
        request, form,
        heading="New objective" if parent is None else f"New objective under “{parent.title}”",
        save=lambda f: services.objective_create(
            actor=request.org.membership, data=f.service_data(), reason=f.cleaned_data["reason"]
        ),
        done=lambda objective: org_url(request, "objective_detail", pk=objective.pk),
        cancel=(
            org_url(request, "objective_detail", pk=parent.pk) if parent
            else org_url(request, "strategy_map")
        ),
    )  # fmt: skip


@org_page(Resource.OBJECTIVE, Action.CHANGE)
def objective_edit(request: OrgRequest, pk: int) -> HttpResponse:
    objective = plan_row(request, Objective, pk, Resource.OBJECTIVE, Action.CHANGE)
    detail = org_url(request, "objective_detail", pk=objective.pk)
    form = ObjectiveForm(posted(request), org=request.org, instance=objective)
    return form_page(
        request, form,
        heading=f"Edit objective “{objective.title}”",
        save=lambda f: services.objective_update(
            actor=request.org.membership, objective=objective, data=f.service_data(),
            expected_version=f.version, reason=f.cleaned_data["reason"],
        ),
        done=lambda _: detail,
        cancel=detail,
    )  # fmt: skip


@org_page(Resource.OBJECTIVE, Action.DELETE)
def objective_delete(request: OrgRequest, pk: int) -> HttpResponse:
    objective = plan_row(request, Objective, pk, Resource.OBJECTIVE, Action.DELETE)
    after = (
        org_url(request, "objective_detail", pk=objective.parent_id)
        if objective.parent_id
        else org_url(request, "strategy_map")
    )
    return delete_page(
        request, objective, PlanDeleteForm(posted(request), org=request.org),
        noun="objective",
        delete=lambda f, confirmed: services.objective_delete(
            actor=request.org.membership, objective=objective, expected_version=f.version,
            reason=f.cleaned_data["reason"], cascade=confirmed,
        ),
        done=after,
        cancel=org_url(request, "objective_detail", pk=objective.pk),
    )  # fmt: skip


# Key results --------------------------------------------------------------------------------------


@org_page(Resource.KEY_RESULT, Action.CREATE)
def key_result_create(request: OrgRequest, objective_pk: int) -> HttpResponse:
    objective = get_object_or_404(Objective.objects.for_org(request.org.organization), pk=objective_pk)
    key_result = KeyResult(organization=request.org.organization, objective=objective)
    request.org.require(Resource.KEY_RESULT, Action.CREATE, key_result)
    detail = org_url(request, "objective_detail", pk=objective.pk)
    form = KeyResultForm(posted(request), org=request.org, instance=key_result)
    return form_page(
        request, form,
        heading=f"New key result for “{objective.title}”",
        save=lambda f: services.key_result_create(
            actor=request.org.membership, data={**f.service_data(), "objective": objective},
            reason=f.cleaned_data["reason"],
        ),
        done=lambda _: detail,
        cancel=detail,
    )  # fmt: skip


@org_page(Resource.KEY_RESULT, Action.CHANGE)
def key_result_edit(request: OrgRequest, pk: int) -> HttpResponse:
    key_result = plan_row(request, KeyResult, pk, Resource.KEY_RESULT, Action.CHANGE, related=("objective",))
    detail = org_url(request, "objective_detail", pk=key_result.objective_id)
    form = KeyResultForm(posted(request), org=request.org, instance=key_result)
    return form_page(
        request, form,
        heading=f"Edit key result “{key_result.title}” of “{key_result.objective.title}”",
        save=lambda f: services.key_result_update(
            actor=request.org.membership, key_result=key_result, data=f.service_data(),
            expected_version=f.version, reason=f.cleaned_data["reason"],
        ),
        done=lambda _: detail,
        cancel=detail,
    )  # fmt: skip


@org_page(Resource.KEY_RESULT, Action.DELETE)
def key_result_delete(request: OrgRequest, pk: int) -> HttpResponse:
    key_result = plan_row(request, KeyResult, pk, Resource.KEY_RESULT, Action.DELETE, related=("objective",))
    detail = org_url(request, "objective_detail", pk=key_result.objective_id)
    return delete_page(
        request, key_result, PlanDeleteForm(posted(request), org=request.org),
        noun="key result",
        delete=lambda f, _: services.key_result_delete(
            actor=request.org.membership, key_result=key_result, expected_version=f.version,
            reason=f.cleaned_data["reason"],
        ),
        done=detail,
        cancel=detail,
    )  # fmt: skip


# Initiatives --------------------------------------------------------------------------------------


@org_page(Resource.INITIATIVE, Action.CREATE)
def initiative_create(request: OrgRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    objective = preset(request, Objective, "objective")
    if objective is not None:
        initial = {"objective": objective.pk, "team": objective.team_id}
    form = InitiativeForm(posted(request), org=request.org, initial=initial)
    return form_page(
        request, form,
        heading="New initiative" if objective is None else f"New initiative for “{objective.title}”",
        save=lambda f: services.initiative_create(
            actor=request.org.membership, data=f.service_data(), reason=f.cleaned_data["reason"]
        ),
        done=lambda initiative: org_url(request, "initiative_detail", pk=initiative.pk),
        cancel=(
            org_url(request, "objective_detail", pk=objective.pk) if objective
            else org_url(request, "strategy_map")
        ),
    )  # fmt: skip


@org_page(Resource.INITIATIVE, Action.CHANGE)
def initiative_edit(request: OrgRequest, pk: int) -> HttpResponse:
    initiative = plan_row(request, Initiative, pk, Resource.INITIATIVE, Action.CHANGE)
    detail = org_url(request, "initiative_detail", pk=initiative.pk)
    form = InitiativeForm(posted(request), org=request.org, instance=initiative)
    return form_page(
        request, form,
        heading=f"Edit initiative “{initiative.title}”",
        save=lambda f: services.initiative_update(
            actor=request.org.membership, initiative=initiative, data=f.service_data(),
            expected_version=f.version, reason=f.cleaned_data["reason"],
        ),
        done=lambda _: detail,
        cancel=detail,
    )  # fmt: skip


@org_page(Resource.INITIATIVE, Action.DELETE)
def initiative_delete(request: OrgRequest, pk: int) -> HttpResponse:
    initiative = plan_row(request, Initiative, pk, Resource.INITIATIVE, Action.DELETE)
    after = (
        org_url(request, "objective_detail", pk=initiative.objective_id)
        if initiative.objective_id
        else org_url(request, "strategy_map")
    )
    return delete_page(
        request, initiative, PlanDeleteForm(posted(request), org=request.org),
        noun="initiative",
        delete=lambda f, confirmed: services.initiative_delete(
            actor=request.org.membership, initiative=initiative, expected_version=f.version,
            reason=f.cleaned_data["reason"], cascade=confirmed,
        ),
        done=after,
        cancel=org_url(request, "initiative_detail", pk=initiative.pk),
    )  # fmt: skip


# Tasks --------------------------------------------------------------------------------------------


@org_page(Resource.TASK, Action.CREATE)
def task_create(request: OrgRequest) -> HttpResponse:
    initiative = preset(request, Initiative, "initiative")
    objective = preset(request, Objective, "objective") if initiative is None else None
    team = preset(request, Team, "team")
    goal: Initiative | Objective | None = initiative or objective
    person = request.org.person
    initial = {
        "initiative": initiative.pk if initiative else None,
        "objective": objective.pk if objective else None,
        "team": team.pk if team else getattr(goal, "team_id", None),
        "assignee": person.pk if person else None,
    }
    form = TaskForm(posted(request), org=request.org, initial=initial)
    return form_page(
        request, form,
        heading="New task" if goal is None else f"New task for “{goal.title}”",
        save=lambda f: services.task_create(actor=request.org.membership, data=f.service_data()),
        done=lambda task: task_home(request, task),
        cancel=task_home(request, Task(initiative=initiative, objective=objective, team=team)),
    )  # fmt: skip


@org_page(Resource.TASK, Action.CHANGE)
def task_edit(request: OrgRequest, pk: int) -> HttpResponse:
    task = plan_row(request, Task, pk, Resource.TASK, Action.CHANGE)
    home = task_home(request, task)
    form = TaskForm(posted(request), org=request.org, instance=task)
    return form_page(
        request, form,
        heading=f"Edit task “{task.title}”",
        save=lambda f: services.task_update(
            actor=request.org.membership, task=task, data=f.service_data(), expected_version=f.version
        ),
        done=lambda saved: task_home(request, saved),
        cancel=home,
    )  # fmt: skip


@org_page(Resource.TASK, Action.DELETE)
def task_delete(request: OrgRequest, pk: int) -> HttpResponse:
    task = plan_row(request, Task, pk, Resource.TASK, Action.DELETE)
    home = task_home(request, task)
    return delete_page(
        request, task, DeleteForm(posted(request), org=request.org),
        noun="task",
        delete=lambda f, _: services.task_delete(
            actor=request.org.membership, task=task, expected_version=f.version
        ),
        done=home,
        cancel=home,
    )  # fmt: skip


# Plan history ---------------------------------------------------------------------------------------


@org_page()
def plan_history(request: OrgRequest) -> HttpResponse:
    """What changed in the plan and its scoring settings, when, by whom and why: newest first,
    grouped by change set, filtered and searched, a keyset page at a time.

    A filter that is not understood is shown with its error (status 400) and not applied; a damaged
    page link gives the newest page with its error (400).
    """
    form = HistoryFilterForm(request.GET or None, org=request.org)
    valid = not form.is_bound or form.is_valid()
    params = Params(request)
    filters = dataclasses.replace(form.filters(), search=search_term(request))
    pager, groups = plan_history_page(organization=request.org.organization, filters=filters, params=params)
    subject_label = None
    if filters.object_id is not None:
        subject_label = groups[0].first.revision.label if groups else f"#{filters.object_id}"
    return render(
        request,
        "plan/history.html",
        {
            "filters": form,
            "filtering": any(request.GET.get(name) for name in (*form.fields, "q")),
            "search": search_box(params=params, label="Title or reason contains"),
            "pager": pager,
            "groups": groups,
            "subject": filters,
            "subject_noun": KIND_NOUNS.get(filters.kind or "", ""),
            "subject_label": subject_label,
        },
        status=200 if valid and not pager.error else 400,
    )
