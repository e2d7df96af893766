"""The shape of the cascade, without its rows: what the strategy map needs to decide which level to
show, how far to open it and where a goal sits, before it reads any node it will draw.

Two queries, whatever the plan's size: the objectives as (id, parent, team, weight, title) tuples,
and the number of initiatives below each objective (GROUP BY). An organization of a million tasks
has about a thousand objectives, so the outline is small; the initiatives (tens of thousands) are
only counted here and read a page at a time by `strategy`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from execgap.models import Organization
from objectives.models import Initiative, Objective

PAGE_SIZE = 50  # nodes of one level shown at once ("show the next 50")


@dataclass(frozen=True)
class Outline:
    """The kept objectives (all of them, or a team's and those above them) and how they hang together.

    `children[None]` are the boardroom objectives kept; `initiatives[None]` counts the kept
    initiatives that serve no objective (outside the cascade).
    """

    parents: dict[int, int | None]
    titles: dict[int, str]
    kept: frozenset[int]
    children: dict[int | None, list[int]]  # kept objectives directly below, in sibling order
    initiatives: dict[int | None, int]  # kept initiatives directly below

    def __contains__(self, objective_id: object) -> bool:
        return objective_id in self.kept

    @property
    def objective_count(self) -> int:
        return len(self.kept)

    @property
    def initiative_count(self) -> int:
        return sum(self.initiatives.values())

    def depth(self, objective_id: int) -> int:
        """0 for a boardroom objective."""
        return len(self.path(objective_id)) - 1

    def path(self, objective_id: int) -> list[int]:
        """The objectives from the boardroom down to `objective_id`, both included."""
        path, seen = [objective_id], {objective_id}
        parent = self.parents.get(objective_id)
        while parent is not None and parent not in seen:
            path.append(parent)
            seen.add(parent)
            parent = self.parents.get(parent)
        return path[::-1]

    def below(self, objective_id: int) -> tuple[int, int]:
        """How many kept objectives and initiatives are directly below the objective."""
        return len(self.children.get(objective_id, [])), self.initiatives.get(objective_id, 0)

    def level_size(self, objective_id: int | None) -> int:
        """How many nodes the level below `objective_id` has (None: the boardroom objectives)."""
        if objective_id is None:
            return len(self.children.get(None, []))
        return sum(self.below(objective_id))


def outline_fetch(*, organization: Organization | int, team_ids: frozenset[int] | None = None) -> Outline:
    """The organization's outline. With `team_ids`: the objectives of those teams, those that have an
    initiative of those teams directly below them, and every objective above either; the initiatives
    counted are those of the teams. Two queries."""
    rows = list(
        Objective.objects.for_org(organization).values_list(
            "id", "parent_id", "team_id", "priority_weight", "title"
        )
    )
    initiatives = Initiative.objects.for_org(organization)
    if team_ids is not None:
        initiatives = initiatives.filter(team_id__in=sorted(team_ids))
    counts: dict[int | None, int] = {
        row["objective_id"]: row["n"]
        # COUNT(*): the (organization, objective) index answers it alone, without reading an initiative
        for row in initiatives.values("objective_id").annotate(n=Count("*")).order_by()
    }
    parents: dict[int, int | None] = {row[0]: row[1] for row in rows}
    if team_ids is None:
        kept = set(parents)
    else:
        seeds = [row[0] for row in rows if row[2] in team_ids]
        seeds += [node for node in counts if node is not None and node in parents]
        kept = _with_ancestors(seeds, parents)
    order = {row[0]: (-(row[3] or Decimal(0)), row[4].casefold(), row[0]) for row in rows}
    children: dict[int | None, list[int]] = {}
    for node in sorted(kept, key=order.__getitem__):
        parent = parents[node]
        children.setdefault(parent if parent in kept else None, []).append(node)
    return Outline(
        parents=parents,
        titles={row[0]: row[4] for row in rows},
        kept=frozenset(kept),
        children=children,
        initiatives={node: n for node, n in counts.items() if node is None or node in kept},
    )


def _with_ancestors(seeds: Iterable[int], parents: dict[int, int | None]) -> set[int]:
    kept: set[int] = set()
    for seed in seeds:
        node: int | None = seed
        while node is not None and node not in kept:
            kept.add(node)
            node = parents.get(node)
    return kept


def opened_within(
    outline: Outline, top: list[int], *, budget: int, deepest: int | None = None
) -> tuple[set[int], bool]:
    """Which objectives to open, level by level from `top` (the boardroom objectives shown), so that
    the nodes shown stay within `budget`: each opened objective shows the first page below it.

    Opens in the order a reader meets the nodes (breadth first, siblings in order) and stops at the
    first that does not fit, so what is open is always a prefix of that order. `deepest`: open no
    objective deeper than this (0: the boardroom objectives only). Returns the opened ids and
    whether the budget stopped the opening before everything was open."""
    shown = len(top)
    queue = deque(top)
    opened: set[int] = set()
    while queue:
        node = queue.popleft()
        size = min(outline.level_size(node), PAGE_SIZE)
        if size == 0 or (deepest is not None and outline.depth(node) > deepest):
            continue
        if shown + size > budget:
            return opened, True
        opened.add(node)
        shown += size
        queue.extend(outline.children.get(node, [])[:PAGE_SIZE])
    return opened, False
