"""The plan's forms: create, change and delete objectives, key results, initiatives and tasks.

Each page checks the role rule for the page (`org_page`) and, for a row, the rule on that row
before it shows anything; the form then saves only through `objectives.services`, which checks
again, validates, records the revision (with the reason) and marks the scores stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from execgap.roles import Action, Resource
from execgap.tenancy import OrgOwnedModel
from execgap.web.pages import OrgRequest, org_page, safe_next
from objectives import services
from objectives.models import Initiative, KeyResult, Objective, Task
from objectives.web.plan.forms import (
    DeleteForm,
    HistoryFilterForm,
    InitiativeForm,
    KeyResultForm,
    ObjectiveForm,
    PlanDeleteForm,
    PlanForm,
    TaskForm,
)
from objectives.web.plan.history import KIND_NOUNS, plan_history_page
from objectives.web.plan.selectors import deletion_effects
from resources.models import Team

Row = TypeVar("Row", bound=OrgOwnedModel)
F = TypeVar("F", bound=PlanForm)


# Objectives ---------------------------------------------------------------------------------------


@org_page(Resource.OBJECTIVE, Action.CREATE)
def objective_create(request: OrgRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    parent = _preset(request, Objective, "parent")
    if parent is not None:
        initial = {"parent": parent.pk, "team": parent.team_id}
    form = ObjectiveForm(_data(request), org=request.org, initial=initial)
    return _form_page(
        request, form,
        heading="New objective" if parent is None else f"New objective under “{parent.title}”",
        save=lambda f: services.objective_create(
            actor=request.org.membership, data=f.service_data(), reason=f.cleaned_data["reason"]
        ),
        done=lambda objective: _url(request, "objective_detail", pk=objective.pk),
        cancel=_url(request, "objective_detail", pk=parent.pk) if parent else _url(request, "strategy_map"),
    )  # fmt: skip


@org_page(Resource.OBJECTIVE, Action.CHANGE)
def objective_edit(request: OrgRequest, pk: int) -> HttpResponse:
    objective = _row(request, Objective, pk, Resource.OBJECTIVE, Action.CHANGE)
    detail = _url(request, "objective_detail", pk=objective.pk)
    form = ObjectiveForm(_data(request), org=request.org, instance=objective)
    return _form_page(
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
    objective = _row(request, Objective, pk, Resource.OBJECTIVE, Action.DELETE)
    after = (
        _url(request, "objective_detail", pk=objective.parent_id)
        if objective.parent_id
        else _url(request, "strategy_map")
    )
    return _delete_page(
        request, objective, PlanDeleteForm(_data(request), org=request.org),
        noun="objective",
        delete=lambda f: services.objective_delete(
            actor=request.org.membership, objective=objective, expected_version=f.version,
            reason=f.cleaned_data["reason"],
        ),
        done=after,
        cancel=_url(request, "objective_detail", pk=objective.pk),
    )  # fmt: skip


# Key results --------------------------------------------------------------------------------------


@org_page(Resource.KEY_RESULT, Action.CREATE)
def key_result_create(request: OrgRequest, objective_pk: int) -> HttpResponse:
    objective = get_object_or_404(Objective.objects.for_org(request.org.organization), pk=objective_pk)
    key_result = KeyResult(organization=request.org.organization, objective=objective)
    request.org.require(Resource.KEY_RESULT, Action.CREATE, key_result)
    detail = _url(request, "objective_detail", pk=objective.pk)
    form = KeyResultForm(_data(request), org=request.org, instance=key_result)
    return _form_page(
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
    key_result = _row(request, KeyResult, pk, Resource.KEY_RESULT, Action.CHANGE, related=("objective",))
    detail = _url(request, "objective_detail", pk=key_result.objective_id)
    form = KeyResultForm(_data(request), org=request.org, instance=key_result)
    return _form_page(
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
    key_result = _row(request, KeyResult, pk, Resource.KEY_RESULT, Action.DELETE, related=("objective",))
    detail = _url(request, "objective_detail", pk=key_result.objective_id)
    return _delete_page(
        request, key_result, PlanDeleteForm(_data(request), org=request.org),
        noun="key result",
        delete=lambda f: services.key_result_delete(
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
    objective = _preset(request, Objective, "objective")
    if objective is not None:
        initial = {"objective": objective.pk, "team": objective.team_id}
    form = InitiativeForm(_data(request), org=request.org, initial=initial)
    return _form_page(
        request, form,
        heading="New initiative" if objective is None else f"New initiative for “{objective.title}”",
        save=lambda f: services.initiative_create(
            actor=request.org.membership, data=f.service_data(), reason=f.cleaned_data["reason"]
        ),
        done=lambda initiative: _url(request, "initiative_detail", pk=initiative.pk),
        cancel=(
            _url(request, "objective_detail", pk=objective.pk) if objective else _url(request, "strategy_map")
        ),
    )  # fmt: skip


@org_page(Resource.INITIATIVE, Action.CHANGE)
def initiative_edit(request: OrgRequest, pk: int) -> HttpResponse:
    initiative = _row(request, Initiative, pk, Resource.INITIATIVE, Action.CHANGE)
    detail = _url(request, "initiative_detail", pk=initiative.pk)
    form = InitiativeForm(_data(request), org=request.org, instance=initiative)
    return _form_page(
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
    initiative = _row(request, Initiative, pk, Resource.INITIATIVE, Action.DELETE)
    after = (
        _url(request, "objective_detail", pk=initiative.objective_id)
        if initiative.objective_id
        else _url(request, "strategy_map")
    )
    return _delete_page(
        request, initiative, PlanDeleteForm(_data(request), org=request.org),
        noun="initiative",
        delete=lambda f: services.initiative_delete(
            actor=request.org.membership, initiative=initiative, expected_version=f.version,
            reason=f.cleaned_data["reason"],
        ),
        done=after,
        cancel=_url(request, "initiative_detail", pk=initiative.pk),
    )  # fmt: skip


# Tasks --------------------------------------------------------------------------------------------


@org_page(Resource.TASK, Action.CREATE)
def task_create(request: OrgRequest) -> HttpResponse:
    initiative = _preset(request, Initiative, "initiative")
    objective = _preset(request, Objective, "objective") if initiative is None else None
    team = _preset(request, Team, "team")
    goal: Initiative | Objective | None = initiative or objective
    person = request.org.person
    initial = {
        "initiative": initiative.pk if initiative else None,
        "objective": objective.pk if objective else None,
        "team": team.pk if team else getattr(goal, "team_id", None),
        "assignee": person.pk if person else None,
    }
    form = TaskForm(_data(request), org=request.org, initial=initial)
    return _form_page(
        request, form,
        heading="New task" if goal is None else f"New task for “{goal.title}”",
        save=lambda f: services.task_create(actor=request.org.membership, data=f.service_data()),
        done=lambda task: _task_home(request, task),
        cancel=_task_home(request, Task(initiative=initiative, objective=objective, team=team)),
    )  # fmt: skip


@org_page(Resource.TASK, Action.CHANGE)
def task_edit(request: OrgRequest, pk: int) -> HttpResponse:
    task = _row(request, Task, pk, Resource.TASK, Action.CHANGE)
    home = _task_home(request, task)
    form = TaskForm(_data(request), org=request.org, instance=task)
    return _form_page(
        request, form,
        heading=f"Edit task “{task.title}”",
        save=lambda f: services.task_update(
            actor=request.org.membership, task=task, data=f.service_data(), expected_version=f.version
        ),
        done=lambda saved: _task_home(request, saved),
        cancel=home,
    )  # fmt: skip


@org_page(Resource.TASK, Action.DELETE)
def task_delete(request: OrgRequest, pk: int) -> HttpResponse:
    task = _row(request, Task, pk, Resource.TASK, Action.DELETE)
    home = _task_home(request, task)
    return _delete_page(
        request, task, DeleteForm(_data(request), org=request.org),
        noun="task",
        delete=lambda f: services.task_delete(
            actor=request.org.membership, task=task, expected_version=f.version
        ),
        done=home,
        cancel=home,
    )  # fmt: skip


# Plan history ---------------------------------------------------------------------------------------


@org_page()
def plan_history(request: OrgRequest) -> HttpResponse:
    """What changed in the plan, when, by whom and why: newest first, filtered, a page at a time.

    A filter that is not understood is shown with its error (status 400) and not applied.
    """
    form = HistoryFilterForm(request.GET or None, org=request.org)
    valid = not form.is_bound or form.is_valid()
    filters = form.filters()
    page, entries = plan_history_page(
        organization=request.org.organization, filters=filters, page=request.GET.get("page")
    )
    subject_label = None
    if filters.object_id is not None:
        subject_label = entries[0].revision.label if entries else f"#{filters.object_id}"
    return render(
        request,
        "plan/history.html",
        {
            "filters": form,
            "filtering": any(request.GET.get(name) for name in form.fields),
            "page": page,
            "entries": entries,
            "subject": filters,
            "subject_noun": KIND_NOUNS.get(filters.kind or "", ""),
            "subject_label": subject_label,
        },
        status=200 if valid else 400,
    )


# The pages' shared steps ---------------------------------------------------------------------------


def _form_page(
    request: OrgRequest,
    form: F,
    *,
    heading: str,
    save: Callable[[F], Row],
    done: Callable[[Row], str],
    cancel: str,
) -> HttpResponse:
    """Show the form; on a valid POST save it through `save` and go to `done(row)` (or a safe `?next=`).

    An invalid or refused POST shows the form again with its errors and the input kept (status 400).
    """
    if request.method == "POST" and form.is_valid() and form.within_role():
        row = form.submit(lambda: save(form))
        if row is not None:
            messages.success(request, f"Saved {form.resource.value.replace('_', ' ')} “{row}”.")
            return redirect(_next_or(request, done(row)))
    return render(
        request,
        "plan/form.html",
        {
            "form": form,
            "heading": heading,
            "cancel_url": _next_or(request, cancel),
            "creating": form.instance.pk is None,
            "has_reason": "reason" in form.fields,
        },
        status=400 if form.is_bound else 200,
    )


def _delete_page(
    request: OrgRequest,
    row: OrgOwnedModel,
    form: DeleteForm,
    *,
    noun: str,
    delete: Callable[[DeleteForm], None],
    done: str,
    cancel: str,
) -> HttpResponse:
    """Ask for confirmation (and a reason); on POST delete through `delete`. A refusal (rows still
    linked to it, a change made meanwhile) is shown on the page, and nothing is deleted."""
    if not form.is_bound:
        form = type(form)(org=request.org, initial={"expected_version": row.version})
    elif form.is_valid():
        title = str(row)
        form.submit(lambda: delete(form))
        if not form.errors:
            messages.success(request, f"Deleted {noun} “{title}”.")
            return redirect(_next_or(request, done))
    return render(
        request,
        "plan/delete.html",
        {
            "form": form,
            "row": row,
            "noun": noun,
            "effects": deletion_effects(row),
            "cancel_url": _next_or(request, cancel),
        },
        status=400 if form.is_bound else 200,
    )


def _row(
    request: OrgRequest,
    model: type[Row],
    pk: int,
    resource: Resource,
    action: Action,
    related: tuple[str, ...] = (),
) -> Row:
    """The organization's row `pk` (another organization's: 404), if the member may `action` it (else 403)."""
    row = get_object_or_404(model.objects.for_org(request.org.organization).select_related(*related), pk=pk)
    request.org.require(resource, action, row)
    return row


def _preset(request: OrgRequest, model: type[Row], name: str) -> Row | None:
    """The organization's row named by `?<name>=<id>` (None when absent, malformed or not ours)."""
    raw = request.GET.get(name, "")
    if not raw.isdigit():
        return None
    return model.objects.for_org(request.org.organization).filter(pk=int(raw)).first()


def _data(request: OrgRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _url(request: OrgRequest, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": request.org.organization.slug, **kwargs})


def _next_or(request: OrgRequest, default: str) -> str:
    return safe_next(request) or default


def _task_home(request: OrgRequest, task: Task) -> str:
    """Where a task is seen in context: its goal's page, else its team's workspace, else my work."""
    if task.initiative_id:
        return _url(request, "initiative_detail", pk=task.initiative_id)
    if task.objective_id:
        return _url(request, "objective_detail", pk=task.objective_id)
    if task.team_id:
        return _url(request, "team_workspace", pk=task.team_id)
    return _url(request, "my_work")
