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
from scoring.web.dashboards.selectors.strategy import (
    NotOnMapError,
    strategy_level,
    strategy_map_page,
    strategy_tasks,
)
from scoring.web.dashboards.selectors.strategy_nodes import VIEW_LIST, VIEW_MAP
from scoring.web.dashboards.selectors.strategy_search import NodeRef
from scoring.web.dashboards.strategy_forms import StrategyFilterForm, StrategyLevelForm, team_choices

# The strategy map's level fragments, by view: the map's cards or the list's items.
LEVEL_TEMPLATES = {VIEW_MAP: "dashboards/_tree_level.html", VIEW_LIST: "dashboards/_map_level.html"}


@org_page()
def health(request: OrgRequest) -> HttpResponse:
    page = health_page(organization=request.org.organization, can=request.org.can)
    return render(request, "dashboards/health.html", {"page": page})


def _view_urls(request: OrgRequest) -> dict[str, str]:
    """The page as it is, in each view: the map's toggle between the map and the list."""
    urls = {}
    for view in (VIEW_MAP, VIEW_LIST):
        query = request.GET.copy()
        query.pop("view", None)
        if view != VIEW_MAP:
            query["view"] = view
        urls[view] = f"?{query.urlencode()}" if query else request.path
    return urls


@org_page()
def strategy_map(request: OrgRequest) -> HttpResponse:
    """The cascade as it opens, filtered, searched or opened on one goal (`strategy_map_page`), as a
    map of cards or as a nested list (`?view=list`). A filter that is not valid is said beside its
    field (400) and the map shows unfiltered."""
    form = StrategyFilterForm(request.GET or None, org=request.org)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    organization = request.org.organization
    team, expand, query = data.get("team"), data.get("expand") or "", data.get("q") or ""
    view = data.get("view") or VIEW_MAP
    try:
        page = strategy_map_page(
            organization=organization,
            team=team,
            expand=expand,
            query=query,
            open_ref=data.get("open"),
            start=data.get("start") or 0,
            outside_start=data.get("outside") or 0,
            view=view,
        )
    except NotOnMapError as error:
        form.add_error("open", str(error))
        valid = False
        page = strategy_map_page(organization=organization, team=team, expand=expand, query=query, view=view)
    return render(
        request,
        "dashboards/strategy_map.html",
        {
            "page": page,
            "form": form,
            "teams": team_choices(form),
            "view": view,
            "view_urls": _view_urls(request),
            "can_create_objective": request.org.can(Resource.OBJECTIVE, Action.CREATE),
        },
        status=200 if valid else 400,
    )


@org_page(fragment=True)
def strategy_map_level(request: OrgRequest) -> HttpResponse:
    """One page of one level of the map (the list items only, in the map's view or the list's): htmx
    asks for it when a node is expanded or a level's next page is shown; below an initiative, the
    summary of its tasks. 404 for a goal that is not on the map."""
    form = StrategyLevelForm(request.GET, org=request.org)
    if not form.is_valid():
        html = render_to_string("dashboards/_map_level_error.html", {"form": form})
        return HttpResponse(html, status=400)
    data = form.cleaned_data
    view, of = data.get("view") or VIEW_MAP, data["of"]
    organization = request.org.organization
    # Without the page's context processors (navigation, scores status): list items need neither.
    try:
        if isinstance(of, NodeRef):
            tasks = strategy_tasks(
                organization=organization, team=data.get("team"), initiative_id=of.pk, view=view
            )
            return HttpResponse(render_to_string("dashboards/_tree_tasks.html", {"tasks": tasks}))
        level = strategy_level(
            organization=organization,
            team=data.get("team"),
            key=of,
            start=data.get("start") or 0,
            skip=data.get("skip"),
            view=view,
        )
    except NotOnMapError as error:
        raise Http404(str(error)) from error
    context = {"level": level, "org": request.org, "focus_first": level.start > 0}
    return HttpResponse(render_to_string(LEVEL_TEMPLATES[view], context))


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
