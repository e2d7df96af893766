"""The steps every plan form page shares: show the form, save through the service, confirm a deletion,
find the row of the URL (404 for another organization's, 403 for a role that may not)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from execgap.roles import Action, Resource
from execgap.tenancy import OrgOwnedModel
from execgap.web.pages import OrgRequest, safe_next
from objectives.deletion import deletion_effects, deletion_fingerprint
from objectives.models import Task
from objectives.web.plan.forms import DeleteForm, PlanForm

Row = TypeVar("Row", bound=OrgOwnedModel)
F = TypeVar("F", bound=PlanForm)


def form_page(
    request: OrgRequest,
    form: F,
    *,
    heading: str,
    save: Callable[[F], Row],
    done: Callable[[Row], str],
    cancel: str,
) -> HttpResponse:
    """Show the form; on a valid POST save it through `save` and go to `done(row)` (or a safe `?next=`).

    An invalid or refused POST shows the form again with its errors and the input kept (status 400);
    a picker's Find shows it again with the matches (status 200), saving nothing.
    """
    if request.method == "POST" and form.is_valid() and form.within_role():
        row = form.submit(lambda: save(form))
        if row is not None:
            messages.success(request, f"Saved {form.resource.value.replace('_', ' ')} “{row}”.")
            return redirect(next_or(request, done(row)))
    return render(
        request,
        "plan/form.html",
        {
            "form": form,
            "heading": heading,
            "cancel_url": next_or(request, cancel),
            "creating": form.instance.pk is None,
            "has_reason": "reason" in form.fields,
        },
        status=400 if form.errors else 200,
    )


def delete_page(
    request: OrgRequest,
    row: OrgOwnedModel,
    form: DeleteForm,
    *,
    noun: str,
    delete: Callable[[DeleteForm, str], None],
    done: str,
    cancel: str,
) -> HttpResponse:
    """Ask for confirmation (and a reason), naming what goes with the row; on POST delete through
    `delete`, which is handed what the page showed (`confirmed`: the `deletion_fingerprint` posted
    back) so that rows added meanwhile are never deleted unseen. A refusal (rows still linked to it,
    open blockers, a change made meanwhile) is shown on the page with the list as it is now, and
    nothing is deleted."""
    if not form.is_bound:
        form = type(form)(org=request.org, initial={"expected_version": row.version})
    elif form.is_valid():
        title = str(row)
        form.submit(lambda: delete(form, request.POST.get("confirmed", "")))
        if not form.errors:
            messages.success(request, f"Deleted {noun} “{title}”.")
            return redirect(next_or(request, done))
    effects = deletion_effects(row)
    return render(
        request,
        "plan/delete.html",
        {
            "form": form,
            "row": row,
            "noun": noun,
            "effects": effects,
            "confirmed": deletion_fingerprint(effects),
            "cancel_url": next_or(request, cancel),
        },
        status=400 if form.is_bound else 200,
    )


def plan_row(
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


def preset(request: OrgRequest, model: type[Row], name: str) -> Row | None:
    """The organization's row named by `?<name>=<id>` (None when absent, malformed or not ours)."""
    raw = request.GET.get(name, "")
    if not raw.isdigit():
        return None
    return model.objects.for_org(request.org.organization).filter(pk=int(raw)).first()


def posted(request: OrgRequest) -> Any:
    return request.POST if request.method == "POST" else None


def org_url(request: OrgRequest, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": request.org.organization.slug, **kwargs})


def next_or(request: OrgRequest, default: str) -> str:
    return safe_next(request) or default


def task_home(request: OrgRequest, task: Task) -> str:
    """Where a task is seen in context: its goal's page, else its team's workspace, else my work."""
    if task.initiative_id:
        return org_url(request, "initiative_detail", pk=task.initiative_id)
    if task.objective_id:
        return org_url(request, "objective_detail", pk=task.objective_id)
    if task.team_id:
        return org_url(request, "team_workspace", pk=task.team_id)
    return org_url(request, "my_work")
