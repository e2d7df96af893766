"""The dashboards: execution health (the home page), the strategy map, and the pages of one objective
or initiative. Thin views: each reads through `selectors` and renders."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, org_page
from objectives.models import Initiative, Objective
from scoring.web.dashboards.selectors.detail import initiative_page, objective_page
from scoring.web.dashboards.selectors.health import health_page
from scoring.web.dashboards.selectors.strategy import NotOnMapError, strategy_level, strategy_map_page
from scoring.web.dashboards.strategy_forms import StrategyFilterForm, StrategyLevelForm, team_choices


@org_page()
def health(request: OrgRequest) -> HttpResponse:
    page = health_page(organization=request.org.organization, can=request.org.can)
    return render(request, "dashboards/health.html", {"page": page})


@org_page()
def strategy_map(request: OrgRequest) -> HttpResponse:
    """The cascade as it opens, filtered, searched or opened on one goal (`strategy_map_page`). A
    filter that is not valid is said beside its field (400) and the map shows unfiltered."""
    form = StrategyFilterForm(request.GET or None, org=request.org)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    organization = request.org.organization
    team, expand, query = data.get("team"), data.get("expand") or "", data.get("q") or ""
    try:
        page = strategy_map_page(
            organization=organization,
            team=team,
            expand=expand,
            query=query,
            open_ref=data.get("open"),
            start=data.get("start") or 0,
            outside_start=data.get("outside") or 0,
        )
    except NotOnMapError as error:
        form.add_error("open", str(error))
        valid = False
        page = strategy_map_page(organization=organization, team=team, expand=expand, query=query)
    return render(
        request,
        "dashboards/strategy_map.html",
        {
            "page": page,
            "form": form,
            "teams": team_choices(form),
            "can_create_objective": request.org.can(Resource.OBJECTIVE, Action.CREATE),
        },
        status=200 if valid else 400,
    )


@org_page(fragment=True)
def strategy_map_level(request: OrgRequest) -> HttpResponse:
    """One page of one level of the map (the list items only): htmx asks for it when a node is
    expanded or a level's next page is shown. 404 for an objective that is not on the map."""
    form = StrategyLevelForm(request.GET, org=request.org)
    if not form.is_valid():
        html = render_to_string("dashboards/_map_level_error.html", {"form": form})
        return HttpResponse(html, status=400)
    data = form.cleaned_data
    try:
        level = strategy_level(
            organization=request.org.organization,
            team=data.get("team"),
            key=data["of"],
            start=data.get("start") or 0,
            skip=data.get("skip"),
        )
    except NotOnMapError as error:
        raise Http404(str(error)) from error
    # Without the page's context processors (navigation, scores status): list items need neither.
    html = render_to_string(
        "dashboards/_map_level.html", {"level": level, "org": request.org, "focus_first": level.start > 0}
    )
    return HttpResponse(html)


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
