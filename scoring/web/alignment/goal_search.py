"""The alignment page's goal picker: the goals that make work aligned, searched as the member types.

A task is linked from the alignment page to a live objective or an active initiative serving one, at
the latest snapshot's date and with its parameters (`link_goals`, which `TaskLinkForm` validates
with). `GET /o/<slug>/alignment/goals/search/?q=...` answers the best 20 of exactly those goals as the
options of a picker's list (execgap.web.picker), values `objective:<id>` and `initiative:<id>`;
the no-JavaScript Find runs the same search over the goals the page has already read.

Ranked on the goal's label (its title, then the objective above it), so that a search for an
objective's title also finds the initiatives serving it, after the goals whose own title matches.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse
from django.urls import reverse

from execgap.models import Organization
from execgap.web.pages import OrgContext, OrgRequest, org_page
from execgap.web.picker import Match, Matches, Source, best, matches_response, rank_of, search_query
from scoring.selectors import snapshot_latest
from scoring.web.alignment.selectors import LinkGoals, cascade_at, link_goals, snapshot_parameters

KIND_LABELS = {"objective": "Objective", "initiative": "Initiative"}


def live_goals(*, organization: Organization) -> LinkGoals:
    """The goals a task may be linked to from the alignment page, as `task_link` reads them."""
    snapshot = snapshot_latest(organization=organization)
    parameters = snapshot_parameters(organization=organization, snapshot=snapshot)
    return link_goals(
        organization=organization, cascade=cascade_at(organization=organization, parameters=parameters)
    )


def live_goal_matches(goals: LinkGoals, *, query: str, limit: int = 20) -> Matches:
    """The best `limit` of `goals` for `query` (objectives before initiatives on equal terms)."""
    found: list[tuple[int, str, Match]] = []
    for goal in (*goals.objectives, *goals.initiatives):
        rank = rank_of(goal.label, query)
        if rank is not None:
            found.append((rank, goal.label, Match(goal.value, goal.label, KIND_LABELS[goal.kind])))
    return best(found, limit)


@org_page()
def alignment_goal_search(request: OrgRequest) -> HttpResponse:
    """The best matches for `?q=` among the goals a task may be linked to from the alignment page."""

    def search() -> tuple[Matches, str, str]:
        query = search_query(request)
        goals = live_goals(organization=request.org.organization)
        return live_goal_matches(goals, query=query), query, "goals"

    return matches_response(request, search)


def alignment_goal_source(org: OrgContext, goals: LinkGoals) -> Source:
    """The picker of `TaskLinkForm`: the endpoint above, and the same search over `goals`."""

    def labels(values: Sequence[str]) -> dict[str, str]:
        chosen = (goals.find(value) for value in values)
        return {goal.value: goal.label for goal in chosen if goal is not None}

    return Source(
        url=reverse("alignment_goal_search", kwargs={"org_slug": org.organization.slug}),
        search=lambda query, limit: live_goal_matches(goals, query=query, limit=limit),
        noun="goals",
        labels=labels,
    )
