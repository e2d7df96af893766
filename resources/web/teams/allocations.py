"""Staffing: add, change and remove a person's allocation to an initiative.

Saved through `resources.services` (the role rule, validation, plan history with the reason, the
scores marked stale). A lead staffs their teams' initiatives; executives and admins any.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, org_page, safe_next
from objectives.models import Initiative
from resources.models import Allocation, Person
from resources.services import allocation_create as allocation_create_service
from resources.services import allocation_delete as allocation_delete_service
from resources.services import allocation_update
from resources.web.teams.forms import AllocationDeleteForm, AllocationForm


def _safe_next(request: OrgRequest) -> str:
    """The `next` the form was opened with, when it is a local URL (else "")."""
    return safe_next(request) or ""


def _next_url(request: OrgRequest, initiative_id: int) -> str:
    """Where to go after a save: a safe local `next`, else the initiative's page."""
    return _safe_next(request) or reverse(
        "initiative_detail", kwargs={"org_slug": request.org.organization.slug, "pk": initiative_id}
    )


def _preselected(request: OrgRequest) -> dict[str, object]:
    """`?initiative=<id>` and `?person=<id>` preselect rows of the organization (others are ignored)."""
    org = request.org.organization
    initial: dict[str, object] = {}
    for name, model in (("initiative", Initiative), ("person", Person)):
        value = request.GET.get(name, "")
        if value.isdigit():
            row = model.objects.for_org(org).filter(pk=int(value)).first()
            if row is not None:
                initial[name] = row
    return initial


@org_page(Resource.ALLOCATION, Action.CREATE)
def allocation_create(request: OrgRequest) -> HttpResponse:
    org = request.org
    if request.method == "POST":
        form = AllocationForm(request.POST, org=org)
        if form.is_valid():
            allocation = form.submit(
                lambda: allocation_create_service(
                    actor=org.membership, data=form.service_data(), reason=form.cleaned_data["reason"]
                )
            )
            if allocation is not None:
                messages.success(
                    request,
                    f"{allocation.person} now gives {allocation.hours_per_week:g} h/week to "
                    f"“{allocation.initiative}”. Coverage updates when the scores are recomputed.",
                )
                return HttpResponseRedirect(_next_url(request, allocation.initiative_id))
        status = 400 if form.errors else 200  # a picker's Find (no JavaScript) is not an error
    else:
        form = AllocationForm(org=org, initial=_preselected(request))
        status = 200
    # The heading names the initiative chosen: preselected, or sent with a form shown again.
    initiative = getattr(form, "cleaned_data", {}).get("initiative") or form.initial.get("initiative")
    context = {"form": form, "next": _safe_next(request), "initiative": initiative}
    return render(request, "teams/allocation_form.html", context, status=status)


def _allocation(request: OrgRequest, pk: int, action: Action) -> Allocation:
    allocation = get_object_or_404(
        Allocation.objects.for_org(request.org.organization).select_related("person", "initiative"), pk=pk
    )
    request.org.require(Resource.ALLOCATION, action, allocation)
    return allocation


@org_page(Resource.ALLOCATION, Action.CHANGE)
def allocation_edit(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.org
    allocation = _allocation(request, pk, Action.CHANGE)
    if request.method == "POST":
        form = AllocationForm(request.POST, org=org, instance=allocation)
        if form.is_valid():
            saved = form.submit(
                lambda: allocation_update(
                    actor=org.membership,
                    allocation=allocation,
                    data=form.service_data(),
                    expected_version=form.version,
                    reason=form.cleaned_data["reason"],
                )
            )
            if saved is not None:
                messages.success(request, f"Allocation of {saved.person} to “{saved.initiative}” saved.")
                return HttpResponseRedirect(_next_url(request, saved.initiative_id))
        status = 400 if form.errors else 200  # a picker's Find (no JavaScript) is not an error
    else:
        form = AllocationForm(org=org, instance=allocation)
        status = 200
    context = {
        "form": form,
        "allocation": allocation,
        "next": _safe_next(request),
        "initiative": allocation.initiative,
    }
    return render(request, "teams/allocation_form.html", context, status=status)


@org_page(Resource.ALLOCATION, Action.DELETE)
def allocation_delete(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.org
    allocation = _allocation(request, pk, Action.DELETE)
    if request.method == "POST":
        form = AllocationDeleteForm(request.POST, org=org)
        if form.is_valid():

            def remove() -> bool:
                allocation_delete_service(
                    actor=org.membership,
                    allocation=allocation,
                    expected_version=form.cleaned_data["expected_version"],
                    reason=form.cleaned_data["reason"],
                )
                return True

            done = form.submit(remove)
            if done:
                messages.success(
                    request, f"Allocation of {allocation.person} to “{allocation.initiative}” removed."
                )
                return HttpResponseRedirect(_next_url(request, allocation.initiative_id))
        status = 400
    else:
        form = AllocationDeleteForm(org=org, initial={"expected_version": allocation.version})
        status = 200
    context = {"form": form, "allocation": allocation, "next": _safe_next(request)}
    return render(request, "teams/allocation_delete.html", context, status=status)
