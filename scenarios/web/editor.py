"""The editor of one scenario: its changes (added with a form per kind, removed), its name, its
evaluation (a job the page polls), apply with a reason (or rebase on the current plan after a
conflict), discard. A scenario that is applied or discarded, and every page of a viewer or member,
is read-only: no forms, and their writes answer 403.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render

from execgap.roles import Resource
from execgap.web.forms import add_service_errors
from execgap.web.pages import OrgRequest, org_page
from scenarios.models import Scenario, ScenarioChange, ScenarioStatus
from scenarios.services import (
    ScenarioConflictError,
    change_add,
    change_remove,
    scenario_apply,
    scenario_discard,
    scenario_rebase,
    scenario_update,
)
from scenarios.tasks import scenario_evaluation_request
from scenarios.web.context import (
    change_form_for,
    editor_context,
    evaluation_context,
    job_of,
    may_edit,
    org_url,
)
from scenarios.web.forms import CHANGE_FORMS, ApplyForm, ScenarioForm
from scenarios.web.views import forbidden, refused_role


def _scenario(request: OrgRequest, pk: int) -> Scenario:
    return get_object_or_404(
        Scenario.objects.for_org(request.org.organization).select_related("created_by", "applied_by"), pk=pk
    )


def _page(request: OrgRequest, scenario: Scenario, status: int = 200, **parts: Any) -> HttpResponse:
    return render(
        request, "scenarios/scenario.html", editor_context(request, scenario, **parts), status=status
    )


def _detail(request: OrgRequest, scenario: Scenario) -> HttpResponseRedirect:
    return HttpResponseRedirect(org_url(request, "scenarios_detail", pk=scenario.pk))


def _writable(request: OrgRequest, scenario: Scenario) -> HttpResponse | None:
    """The refusal of a write (403 for the role; the page saying why for a scenario no longer a
    draft), or None when the member may change this scenario."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if (refused := refused_role(request)) is not None:
        return refused
    if scenario.status != ScenarioStatus.DRAFT:
        return forbidden(
            request,
            f"“{scenario.name}” is {scenario.get_status_display().lower()}: it can no longer change.",
        )
    return None


@org_page(Resource.SCENARIO)
def scenario_detail(request: OrgRequest, pk: int) -> HttpResponse:
    """GET: the editor (read-only for viewers, members and a scenario no longer a draft); POST: save
    its name and description."""
    scenario = _scenario(request, pk)
    if request.method != "POST":
        return _page(
            request,
            scenario,
            kind=request.GET.get("kind"),
            job=job_of(request, scenario, request.GET.get("job")),
        )
    if (refused := _writable(request, scenario)) is not None:
        return refused
    form = ScenarioForm(request.POST, org=request.org, instance=copy.copy(scenario))
    if form.is_valid():
        saved = form.submit(
            lambda: scenario_update(
                actor=request.org.membership, scenario=scenario, data=form.service_data(),
                expected_version=form.version,
            )
        )  # fmt: skip
        if saved is not None:
            messages.success(request, "Name and description saved.")
            return _detail(request, scenario)
    return _page(request, scenario, status=400, name_form=form)


@org_page(Resource.SCENARIO)
def change_new(request: OrgRequest, pk: int) -> HttpResponse:
    """GET `?kind=`: that kind's form (the form alone for htmx, the page without script). POST: add
    the change at the end of the scenario."""
    scenario = _scenario(request, pk)
    if request.method != "POST":
        kind = request.GET.get("kind", "")
        if kind not in CHANGE_FORMS:
            kind = ""
        if request.htmx and may_edit(request, scenario):
            form = change_form_for(request, kind or "hours_move")
            return render(
                request, "scenarios/_change_fields.html", {"scenario": scenario, "change_form": form}
            )
        return _page(request, scenario, kind=kind or None)
    if (refused := _writable(request, scenario)) is not None:
        return refused
    kind = request.POST.get("kind", "")
    if kind not in CHANGE_FORMS:
        return _page(request, scenario, status=400, kind=None)
    form = change_form_for(request, kind, request.POST)
    if form.is_valid():
        change = form.submit(
            lambda: change_add(actor=request.org.membership, scenario=scenario, data=form.change_data())
        )
        if change is not None:
            messages.success(
                request, f"Change {change.position} added. Evaluate the scenario to see its effect."
            )
            return _detail(request, scenario)
    # A picker's Find (no JavaScript) shows the form again with its matches: nothing is wrong.
    return _page(request, scenario, status=400 if form.errors else 200, change_form=form)


@org_page(Resource.SCENARIO)
def change_delete(request: OrgRequest, pk: int, change_pk: int) -> HttpResponse:
    scenario = _scenario(request, pk)
    change = get_object_or_404(
        ScenarioChange.objects.for_org(request.org.organization), pk=change_pk, scenario=scenario
    )
    if (refused := _writable(request, scenario)) is not None:
        return refused
    try:
        change_remove(actor=request.org.membership, scenario=scenario, change=change)
    except ValidationError as error:
        messages.error(request, f"Change {change.position} stays: {' '.join(error.messages)}")
    else:
        messages.success(request, f"Change {change.position} removed.")
    return _detail(request, scenario)


@org_page(Resource.SCENARIO)
def scenario_evaluate(request: OrgRequest, pk: int) -> HttpResponse:
    """POST: start the evaluation job; the page then polls it."""
    scenario = _scenario(request, pk)
    if (refused := _writable(request, scenario)) is not None:
        return refused
    job = scenario_evaluation_request(actor=request.org.membership, scenario=scenario)
    return HttpResponseRedirect(
        org_url(request, "scenarios_detail", pk=scenario.pk) + f"?job={job.pk}#evaluation"
    )


@org_page(Resource.SCENARIO, fragment=True)
def scenario_evaluation(request: OrgRequest, pk: int) -> HttpResponse:
    """The evaluation section, polled (htmx) while its `?job=` runs; without script, the whole page."""
    scenario = _scenario(request, pk)
    job = job_of(request, scenario, request.GET.get("job"))
    if not request.htmx:
        return _page(request, scenario, job=job)
    return render(request, "scenarios/_evaluation.html", evaluation_context(request, scenario, job))


@org_page(Resource.SCENARIO)
def scenario_apply_view(request: OrgRequest, pk: int) -> HttpResponse:
    """POST with a reason: apply every change to the plan. A conflict answers 409 with each one named
    and the offer to rebase; a refusal 400 beside the form; success leads to the applied scenario."""
    scenario = _scenario(request, pk)
    if (refused := _writable(request, scenario)) is not None:
        return refused
    form = ApplyForm(request.POST, prefix="apply")
    if form.is_valid():
        try:
            applied = scenario_apply(
                actor=request.org.membership, scenario=scenario, reason=form.cleaned_data["reason"]
            )
        except ScenarioConflictError as error:
            return _page(request, scenario, status=409, apply_form=form, conflicts=error.conflicts)
        except PermissionDenied as error:
            return forbidden(request, f"Nothing was applied: {error}")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"“{applied.name}” is applied: the plan changed, and the scores are being recomputed.",
            )
            return _detail(request, applied)
    return _page(request, scenario, status=400, apply_form=form)


@org_page(Resource.SCENARIO)
def scenario_rebase_view(request: OrgRequest, pk: int) -> HttpResponse:
    """POST: take the current plan as the scenario's base (the changes whose rows went are dropped)."""
    scenario = _scenario(request, pk)
    if (refused := _writable(request, scenario)) is not None:
        return refused
    try:
        dropped = scenario_rebase(actor=request.org.membership, scenario=scenario)
    except ValidationError as error:
        messages.error(request, f"The scenario could not be rebased: {' '.join(error.messages)}")
        return _page(request, scenario, status=400)
    messages.success(
        request,
        "Rebased on the current plan. "
        + (" ".join(dropped) + " Dropped." if dropped else "Every change kept.")
        + " Evaluate it again before you apply it.",
    )
    return _detail(request, scenario)


@org_page(Resource.SCENARIO)
def scenario_discard_view(request: OrgRequest, pk: int) -> HttpResponse:
    scenario = _scenario(request, pk)
    if (refused := _writable(request, scenario)) is not None:
        return refused
    scenario_discard(actor=request.org.membership, scenario=scenario)
    messages.success(request, f"“{scenario.name}” is discarded: it stays on the list, read-only.")
    return HttpResponseRedirect(org_url(request, "scenarios"))
