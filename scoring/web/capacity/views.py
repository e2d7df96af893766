"""The resources page: is each priority staffed for the work it needs, and who carries the load?

Coverage by objective and by initiative and the staffing drift come from the latest snapshot; the
people × initiatives load and the off-strategy capacity from the allocations counted at its date.
Every list is a page: the objectives in tree order, the initiatives worst first and those with
staffing drift most unplanned hours first (keyset), the people who matter first and the largest
off-strategy allocations (numbered, ranked in the database).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, org_page
from execgap.web.paging import Params, keyset_page, numbered_page
from scoring.drift_people import initiative_drift_people
from scoring.selectors import snapshot_latest
from scoring.web.alignment.selectors import snapshot_parameters, team_subtree
from scoring.web.capacity.charts import coverage_chart
from scoring.web.capacity.drift import DRIFT_ORDER, initiative_drift
from scoring.web.capacity.forms import ResourcesFilterForm
from scoring.web.capacity.heatmap import heatmap_of
from scoring.web.capacity.ranked import SWAPPED, off_strategy_page, people_page
from scoring.web.capacity.selectors import (
    INITIATIVE_ORDER,
    allocations_exist,
    initiative_coverage,
    initiative_rows,
    objective_coverage_rows,
    objective_outline,
)
from scoring.web.dashboards.strategy_forms import team_choices

OBJECTIVES_PER_PAGE = 25
INITIATIVES_PER_PAGE = 25
DRIFT_PER_PAGE = 10


@org_page()
def resources(request: OrgRequest) -> HttpResponse:
    """The latest snapshot's coverage and the current load, filtered by team (and the initiatives by
    objective). A filter or page link that is not valid answers 400, saying why, with what it can show."""
    org = request.org
    organization = org.organization
    filters = ResourcesFilterForm(request.GET or None, org=org)
    valid = not filters.is_bound or filters.is_valid()
    cleaned = filters.cleaned_data if filters.is_bound and valid else {}
    team, objective = cleaned.get("team"), cleaned.get("objective")
    team_ids = team_subtree(team)

    snapshot = snapshot_latest(organization=organization)
    parameters = snapshot_parameters(organization=organization, snapshot=snapshot)
    context: dict[str, Any] = {"filters": filters, "team": team, "objective": objective}
    errors: list[str] = []
    if snapshot is not None:
        outline = objective_outline(snapshot=snapshot, team_ids=team_ids)
        objectives = numbered_page(
            outline.order,
            params=Params(request, prefix="objectives_"),
            label="Pages of objectives",
            size=OBJECTIVES_PER_PAGE,
            target="objectives-coverage",
            swap=SWAPPED,
        )
        rows = objective_coverage_rows(snapshot=snapshot, page=objectives.rows)
        context["objectives"] = [
            (
                row,
                row.score.objective is not None
                and org.can(Resource.INITIATIVE, Action.CREATE, row.score.objective),
            )
            for row in rows
        ]
        context["objectives_pager"] = objectives.pager
        subtree = outline.subtree(objective.pk) if objective is not None else None
        initiatives = keyset_page(
            initiative_coverage(snapshot=snapshot, team_ids=team_ids, objective_ids=subtree),
            INITIATIVE_ORDER,
            params=Params(request, prefix="initiatives_"),
            label="Pages of initiatives",
            size=INITIATIVES_PER_PAGE,
            target="initiatives-coverage",
            swap=SWAPPED,
        )
        context["initiatives"] = [
            (
                row,
                row.score.initiative is not None
                and org.can(Resource.ALLOCATION, Action.CREATE, row.score.initiative),
            )
            for row in initiative_rows(initiatives.rows)
        ]
        context["initiatives_pager"] = initiatives.pager
        context["coverage_chart"] = coverage_chart(
            [row for row, _ in context["initiatives"]], org_slug=org.organization.slug
        )
        drift = keyset_page(
            initiative_drift(snapshot=snapshot, team_ids=team_ids),
            DRIFT_ORDER,
            params=Params(request, prefix="drift_"),
            label="Pages of staffing drift",
            size=DRIFT_PER_PAGE,
            target="staffing-drift",
            swap=SWAPPED,
        )
        context["drift"], context["drift_pager"] = list(drift.rows), drift.pager
        initiative_drift_people(snapshot=snapshot, scores=context["drift"])
        context["drift_parts"] = snapshot.parts.get("signals", {})
        errors += [pager.error for pager in (objectives.pager, initiatives.pager, drift.pager) if pager.error]

    people, counts, people_pager = people_page(
        Params(request, prefix="people_"),
        organization=organization,
        snapshot=snapshot,
        parameters=parameters,
        team_ids=team_ids,
    )
    off, off_pager = off_strategy_page(
        Params(request, prefix="off_"),
        organization=organization,
        snapshot=snapshot,
        parameters=parameters,
        team_ids=team_ids,
    )
    errors += [pager.error for pager in (people_pager, off_pager) if pager.error]

    parts = snapshot.parts.get("resources", {}) if snapshot else {}
    demand = float(parts.get("demand") or 0)
    context |= {
        "snapshot": snapshot,
        "parameters": parameters,
        "parts": parts,
        "covered_percent": 100.0 * float(parts.get("covered") or 0) / demand if demand else None,
        "people": people,
        "counts": counts,
        "people_pager": people_pager,
        "heatmap": heatmap_of(people),
        "off_strategy": off,
        "off_pager": off_pager,
        "teams": team_choices(filters),
        # What an empty section says, and the next step it offers to a role that may take it.
        "any_allocation": bool(off.rows)
        or allocations_exist(organization=organization, team_ids=team_ids, on=timezone.localdate()),
        "can_write_objective": org.can(Resource.OBJECTIVE, Action.CREATE),
        "can_plan": org.can(Resource.INITIATIVE, Action.CREATE),
        "can_staff": org.can(Resource.ALLOCATION, Action.CREATE),
        "can_add_people": org.can(Resource.PERSON, Action.CREATE),
    }
    status = 200 if valid and not errors else 400
    return render(request, "capacity/resources.html", context, status=status)
