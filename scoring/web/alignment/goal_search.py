"""The alignment page's goal picker: the goals that make work aligned, searched as the member types.

A task is linked from the alignment page to a live objective or an active initiative serving one, at
the latest snapshot's date and with its parameters (`link_goals`, which `TaskLinkForm` validates
with). `GET /o/<slug>/alignment/goals/search/?q=...` answers the best 20 of exactly those goals as the
options of a picker's list (execgap.web.picker), values `objective:<id>` and `initiative:<id>`,
labelled as `link_goals` labels them; the no-JavaScript Find runs the same search, with the cascade
the page has already read.

Ranked on the goal's label (its title, then the objective above it), so that a search for an
objective's title also finds the initiatives serving it, after the goals whose own title matches.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse
from django.urls import reverse

from execgap.models import Organization
from execgap.web.pages import OrgContext, OrgRequest, org_page
from execgap.web.picker import Match, Matches, Source, best, matches_response, rank_of, ranked, search_query
from objectives.models import Initiative, InitiativeStatus
from scoring.engine.cascade import Cascade
from scoring.selectors import snapshot_latest
from scoring.web.alignment.selectors import LinkGoals, cascade_at, initiative_label, snapshot_parameters

KIND_LABELS = {"objective": "Objective", "initiative": "Initiative"}


def _cascade(organization: Organization) -> Cascade:
    snapshot = snapshot_latest(organization=organization)
    parameters = snapshot_parameters(organization=organization, snapshot=snapshot)
    return cascade_at(organization=organization, parameters=parameters)


def live_goal_search(
    *, organization: Organization, query: str, limit: int = 20, cascade: Cascade | None = None
) -> Matches:
    """The best `limit` goals for `query` among those `link_goals` offers, without reading them all:
    the live objectives from the cascade (hundreds), the active initiatives serving them searched in
    the database (tens of thousands; only the best are read). Labelled as `link_goals` labels them.
    `cascade`: the one the page has read already.
    """
    cascade = cascade or _cascade(organization)
    found: list[tuple[int, str, Match]] = []
    for node_id in cascade.live:
        node = cascade.nodes[node_id]
        parent = cascade.nodes.get(node.parent_id) if node.parent_id is not None else None
        label = node.title if parent is None else f"{node.title} (under {parent.title})"
        rank = rank_of(label, query)
        if rank is not None:
            found.append((rank, label, Match(f"objective:{node_id}", label, KIND_LABELS["objective"])))
    initiatives = Initiative.objects.for_org(organization).filter(
        status=InitiativeStatus.ACTIVE, objective_id__in=sorted(cascade.live)
    )
    best_initiatives = ranked(initiatives, "title", query, also=("objective__title",))
    for pk, title, objective_id in best_initiatives.values_list("pk", "title", "objective_id")[: limit + 1]:
        label = initiative_label(title, objective_id, cascade)
        rank = rank_of(label, query)
        found.append((3 if rank is None else rank, label, Match(f"initiative:{pk}", label, "Initiative")))
    return best(found, limit)


@org_page(fragment=True)
def alignment_goal_search(request: OrgRequest) -> HttpResponse:
    """The best matches for `?q=` among the goals a task may be linked to from the alignment page."""

    def search() -> tuple[Matches, str, str]:
        query = search_query(request)
        return live_goal_search(organization=request.org.organization, query=query), query, "goals"

    return matches_response(request, search)


def alignment_goal_source(org: OrgContext, goals: LinkGoals) -> Source:
    """The picker of `TaskLinkForm`: the endpoint above, and the same search over `goals`."""

    def labels(values: Sequence[str]) -> dict[str, str]:
        chosen = (goals.find(value) for value in values)
        return {goal.value: goal.label for goal in chosen if goal is not None}

    return Source(
        url=reverse("alignment_goal_search", kwargs={"org_slug": org.organization.slug}),
        search=lambda query, limit: live_goal_search(
            organization=goals.organization, query=query, limit=limit, cascade=goals.cascade
        ),
        noun="goals",
        labels=labels,
    )
