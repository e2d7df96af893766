"""The resources page: coverage per objective and initiative, people's load, off-strategy capacity."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, org_page
from scoring.selectors import snapshot_latest
from scoring.web.alignment.selectors import cascade_at, snapshot_parameters, team_subtree
from scoring.web.capacity.forms import ResourcesFilterForm
from scoring.web.capacity.selectors import capacity_of, initiative_coverage, objective_coverage


@org_page()
def resources(request: OrgRequest) -> HttpResponse:
    """Is each priority staffed for the work it needs? The latest snapshot's coverage, and who carries
    the load (filtered by team)."""
    organization = request.org.organization
    filters = ResourcesFilterForm(request.GET or None, org=request.org)
    valid = not filters.is_bound or filters.is_valid()
    team = filters.cleaned_data.get("team") if filters.is_bound and valid else None
    team_ids = team_subtree(team)

    snapshot = snapshot_latest(organization=organization)
    parameters = snapshot_parameters(organization=organization, snapshot=snapshot)
    cascade = cascade_at(organization=organization, parameters=parameters)
    initiatives = initiative_coverage(snapshot=snapshot, team_ids=team_ids) if snapshot else []
    objectives = objective_coverage(snapshot=snapshot, team_ids=team_ids) if snapshot else []
    org = request.org
    parts = snapshot.parts.get("resources", {}) if snapshot else {}
    demand = float(parts.get("demand") or 0)
    context = {
        "filters": filters,
        "team": team,
        "snapshot": snapshot,
        "parameters": parameters,
        "parts": parts,
        "covered_percent": 100.0 * float(parts.get("covered") or 0) / demand if demand else None,
        "objectives": [
            (
                row,
                row.score.objective is not None
                and org.can(Resource.INITIATIVE, Action.CREATE, row.score.objective),
            )
            for row in objectives
        ],
        "initiatives": [
            (
                row,
                row.score.initiative is not None
                and org.can(Resource.ALLOCATION, Action.CREATE, row.score.initiative),
            )
            for row in initiatives
        ],
        "capacity": capacity_of(
            organization=organization, parameters=parameters, cascade=cascade, team_ids=team_ids
        ),
    }
    return render(request, "capacity/resources.html", context, status=200 if valid else 400)
