"""The dashboards: execution health (the home page), the strategy map, and the pages of one objective
or initiative. Thin views: each reads through `selectors` and renders."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, org_page
from objectives.models import Initiative, Objective
from scoring.web.dashboards.selectors.detail import initiative_page, objective_page
from scoring.web.dashboards.selectors.health import health_page
from scoring.web.dashboards.selectors.strategy import StrategyFilterForm, strategy_map_page


@org_page()
def health(request: OrgRequest) -> HttpResponse:
    page = health_page(organization=request.org.organization, can=request.org.can)
    return render(request, "dashboards/health.html", {"page": page})


@org_page()
def strategy_map(request: OrgRequest) -> HttpResponse:
    form = StrategyFilterForm(request.GET or None, org=request.org)
    valid = form.is_valid() if form.is_bound else True
    team = form.cleaned_data.get("team") if valid and form.is_bound else None
    expand = form.cleaned_data.get("expand", "") if valid and form.is_bound else ""
    page = strategy_map_page(organization=request.org.organization, team=team, expand=expand)
    return render(
        request,
        "dashboards/strategy_map.html",
        {
            "page": page,
            "form": form,
            "can_create_objective": request.org.can(Resource.OBJECTIVE, Action.CREATE),
        },
        status=200 if valid else 400,
    )


@org_page()
def objective_detail(request: OrgRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(
        Objective.objects.for_org(request.org.organization).select_related("team", "owner", "parent"), pk=pk
    )
    page = objective_page(org=request.org, objective=objective, request=request)
    context = {"page": page, "objective": objective}
    # A list parameter that is not one (a damaged page link, an unknown status) is said beside its list.
    return render(request, "dashboards/objective_detail.html", context, status=400 if page.errors else 200)


@org_page()
def initiative_detail(request: OrgRequest, pk: int) -> HttpResponse:
    initiative = get_object_or_404(
        Initiative.objects.for_org(request.org.organization).select_related("team", "owner", "objective"),
        pk=pk,
    )
    page = initiative_page(org=request.org, initiative=initiative, request=request)
    context = {"page": page, "initiative": initiative}
    return render(request, "dashboards/initiative_detail.html", context, status=400 if page.errors else 200)
