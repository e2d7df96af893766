"""The scenarios list, a new scenario, a rebalance, and the comparison of up to three scenarios.

Everyone reads scenarios; leads, executives and admins draft them (the rule table's SCENARIO). A
write asked for by a role that may not make it answers 403 with a page that says so.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render

from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, org_page
from execgap.web.paging import Choice, Key, Order, Params, choice_value, keyset_page, search_box, search_term
from scenarios.compare import SCORE_NAMES, SCORES
from scenarios.models import Scenario, ScenarioChange, ScenarioStatus
from scenarios.rebalance import rebalance_draft
from scenarios.services import scenario_create
from scenarios.web.context import org_url
from scenarios.web.evaluation import scores_of
from scenarios.web.forms import MAX_COMPARED, ScenarioForm

ORDER = Order(Key("updated_at", descending=True), Key("id", descending=True))
STATUS_OPTIONS: tuple[tuple[str, str], ...] = (("", "Any status"), *ScenarioStatus.choices)


def forbidden(request: OrgRequest, message: str) -> HttpResponse:
    """A refused write, as a page that says why (status 403)."""
    return render(request, "scenarios/forbidden.html", {"message": message}, status=403)


def refused_role(request: OrgRequest) -> HttpResponse | None:
    """The 403 page when the member's role may not draft scenarios, else None."""
    if request.org.can(Resource.SCENARIO, Action.CHANGE):
        return None
    role = request.org.membership.get_role_display().lower()
    return forbidden(
        request,
        f"Your role ({role}) may read scenarios but not draft, change, evaluate, apply or discard them: "
        "leads, executives and admins do.",
    )


def _difference(raw: Any) -> float | None:
    try:
        return None if raw in (None, "", "null") else float(raw)
    except (TypeError, ValueError):
        return None


def _change_count() -> Coalesce:
    counted = (
        ScenarioChange.objects.filter(scenario=OuterRef("pk"))
        .order_by()
        .values("scenario")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def scenarios_filtered(request: OrgRequest) -> tuple[QuerySet[Scenario], str | None, str]:
    """The scenarios the list's search (by name) and status select, each with its change count and
    its execution health's difference: (the rows, the status chosen, what was wrong with it)."""
    query = search_term(request)
    status = choice_value(request, "status", STATUS_OPTIONS)
    error = "" if status is not None else "That is not a status of a scenario: every scenario is shown."
    rows = (
        Scenario.objects.for_org(request.org.organization)
        .select_related("created_by")
        .defer("evaluation", "description")
        .annotate(
            change_count=_change_count(),
            health_difference=KT("evaluation__scores__execution_health__difference"),
        )
    )
    if query:
        rows = rows.filter(name__icontains=query)
    if status:
        rows = rows.filter(status=status)
    return rows, status, error


@org_page(Resource.SCENARIO)
def scenario_list(request: OrgRequest) -> HttpResponse:
    """The organization's scenarios, most recently changed first, 25 a page; search by name, filter
    by status; check up to three to compare them. The same few queries whatever the page holds."""
    params = Params(request)
    query = search_term(request)
    rows, status, error = scenarios_filtered(request)
    page = keyset_page(rows, ORDER, params=params, label="Pages of scenarios")
    box = search_box(
        params=params,
        label="Name contains",
        form_label="Search the scenarios",
        choices=[Choice("status", "Status", STATUS_OPTIONS, status or "")],
    )
    context = {
        "page": page,
        "search": box,
        "filtered": bool(query or status),
        "error": error,
        "can_draft": request.org.can(Resource.SCENARIO, Action.CREATE),
        "scenarios": [(row, _difference(row.health_difference)) for row in page.rows],
        "max_compared": MAX_COMPARED,
    }
    return render(request, "scenarios/list.html", context, status=400 if error or page.error else 200)


@org_page(Resource.SCENARIO)
def scenario_new(request: OrgRequest) -> HttpResponse:
    """GET: the form of a new scenario (its name and why); POST: draft it, then open its editor."""
    if (refused := refused_role(request)) is not None:
        return refused
    form = ScenarioForm(request.POST if request.method == "POST" else None, org=request.org)
    if request.method == "POST" and form.is_valid():
        scenario = form.submit(
            lambda: scenario_create(actor=request.org.membership, data=form.service_data())
        )
        if scenario is not None:
            messages.success(request, f"Scenario “{scenario.name}” drafted: add its changes below.")
            return HttpResponseRedirect(org_url(request, "scenarios_detail", pk=scenario.pk))
    status = 400 if form.errors else 200
    return render(request, "scenarios/new.html", {"form": form}, status=status)


@org_page(Resource.SCENARIO)
def scenario_rebalance(request: OrgRequest) -> HttpResponse:
    """POST: draft (and evaluate) a rebalance of the live plan, then open it."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if (refused := refused_role(request)) is not None:
        return refused
    try:
        scenario = rebalance_draft(actor=request.org.membership)
    except PermissionDenied as error:
        return forbidden(request, str(error))
    moves = scenario.changes.count()
    messages.success(
        request,
        f"Rebalance drafted with {moves} move{'' if moves == 1 else 's'} of hours"
        " and evaluated: read them, change them, or apply them."
        if moves
        else "Nothing to rebalance: the scenario is drafted empty (see why below).",
    )
    return HttpResponseRedirect(org_url(request, "scenarios_detail", pk=scenario.pk))


def _compared_ids(request: OrgRequest) -> tuple[list[int], str]:
    ids: list[int] = []
    for raw in request.GET.getlist("compare"):
        if not raw.isdigit() or len(raw) > 18:
            return [], f"“{raw[:20]}” is not a scenario: check the scenarios to compare on the list."
        if int(raw) not in ids:
            ids.append(int(raw))
    if not ids:
        return [], f"Check two or three scenarios on the list (at most {MAX_COMPARED}) to compare them."
    if len(ids) > MAX_COMPARED:
        return [], (
            f"You checked {len(ids)} scenarios: compare at most {MAX_COMPARED} at once, side by side."
            " Go back and uncheck some."
        )
    return ids, ""


@org_page(Resource.SCENARIO)
def scenario_compare(request: OrgRequest) -> HttpResponse:
    """Up to three scenarios side by side: their kept evaluations' scores and explanations."""
    ids, error = _compared_ids(request)
    found = {
        row.pk: row
        for row in Scenario.objects.for_org(request.org.organization)
        .select_related("created_by")
        .filter(pk__in=ids)
    }
    if len(found) != len(ids):
        raise Http404("No such scenario.")
    compared = [found[pk] for pk in ids]
    scores = {
        scenario.pk: {row.name: row for row in scores_of(scenario.evaluation, ident=f"c{scenario.pk}")}
        for scenario in compared
        if scenario.evaluation
    }
    columns = [
        {"scenario": scenario, "explanation": (scenario.evaluation or {}).get("explanation") or []}
        for scenario in compared
    ]
    rows = [
        {
            "label": SCORE_NAMES[name],
            "cells": [scores.get(scenario.pk, {}).get(name) for scenario in compared],
        }
        for name in SCORES
    ]
    context = {"columns": columns, "rows": rows, "error": error, "max_compared": MAX_COMPARED}
    # Nothing checked yet is where a person lands, not a mistake: the page says how to choose.
    refused = bool(error) and bool(request.GET.getlist("compare"))
    return render(request, "scenarios/compare.html", context, status=400 if refused else 200)
