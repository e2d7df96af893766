"""Finding a goal on the strategy map by its title: the best matches, each with the path of objectives
above it, so that the map can be opened on it (`?open=objective-<id>` or `initiative-<id>`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Lower

from execgap.models import Organization
from objectives.models import Initiative
from scoring.web.dashboards.selectors.outline import Outline

SEARCH_LIMIT = 20  # matches listed at once; more asks for a longer search
_REF = re.compile(r"^(?:(objective|initiative)-)?([1-9][0-9]{0,17})$")


@dataclass(frozen=True)
class NodeRef:
    """A node of the map, as URLs name it: `objective-12`, `initiative-7` (a bare `12` is an objective)."""

    kind: Literal["objective", "initiative"]
    pk: int

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.pk}"

    @classmethod
    def parse(cls, value: str) -> NodeRef | None:
        found = _REF.match(value.strip())
        if found is None:
            return None
        return cls("initiative" if found.group(1) == "initiative" else "objective", int(found.group(2)))


@dataclass(frozen=True)
class GoalMatch:
    ref: NodeRef
    title: str
    above: list[str]  # the titles of the objectives above it, from the boardroom down

    @property
    def kind_label(self) -> str:
        return "Objective" if self.ref.kind == "objective" else "Initiative"


@dataclass(frozen=True)
class GoalSearch:
    query: str
    matches: list[GoalMatch]
    more: bool  # more than SEARCH_LIMIT goals match


def _rank(title: str, needle: str) -> int:
    """0: the title is the search; 1: it starts with it; 2: it contains it."""
    folded = title.casefold()
    return 0 if folded == needle else 1 if folded.startswith(needle) else 2


def goal_search(
    *, organization: Organization, outline: Outline, team_ids: frozenset[int] | None, query: str
) -> GoalSearch | None:
    """The goals on the map whose title contains `query` (any case): exact titles first, then those
    that start with it, then by title; at most SEARCH_LIMIT. The objectives are searched in the
    outline, the initiatives in one query. None for an empty search."""
    query = query.strip()
    if not query:
        return None
    needle = query.casefold()
    found: list[tuple[int, str, int, GoalMatch]] = []
    for objective_id in outline.kept:
        title = outline.titles[objective_id]
        if needle in title.casefold():
            above = [outline.titles[node] for node in outline.path(objective_id)[:-1]]
            match = GoalMatch(NodeRef("objective", objective_id), title, above)
            found.append((_rank(title, needle), title.casefold(), 0, match))
    initiatives = Initiative.objects.for_org(organization).filter(title__icontains=query)
    if team_ids is not None:
        initiatives = initiatives.filter(team_id__in=sorted(team_ids))
    rows = (
        initiatives.annotate(
            match_rank=Case(
                When(title__iexact=query, then=Value(0)),
                When(title__istartswith=query, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("match_rank", Lower("title"), "id")
        .values_list("id", "title", "objective_id")[: SEARCH_LIMIT + 1]
    )
    for initiative_id, title, objective_id in rows:
        above = [outline.titles[node] for node in outline.path(objective_id)] if objective_id else []
        match = GoalMatch(NodeRef("initiative", initiative_id), title, above)
        found.append((_rank(title, needle), title.casefold(), 1, match))
    found.sort(key=lambda item: (item[0], item[1], item[2], item[3].ref.pk))
    return GoalSearch(
        query=query, matches=[item[3] for item in found[:SEARCH_LIMIT]], more=len(found) > SEARCH_LIMIT
    )
