"""Reads of the resources page: coverage per objective and per initiative, from the latest snapshot's
ObjectiveScore and InitiativeScore rows (SCORING.md "Resources"). The people's loads and the
off-strategy capacity are read from the allocations in `loads`.

A page of either list costs a constant number of queries: the objectives are ordered as a tree from
their (id, parent, title) alone and only the page's rows are read; the initiatives come worst first
in keyset pages, ordered and cut in the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.db.models import F, Q, QuerySet

from execgap.models import Organization
from execgap.web.paging import Key, Order
from objectives.models import Initiative
from resources.models import Allocation
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot

Staffing = Literal["unstaffed", "under_covered", "covered", "no_initiative"]

# Worst first: the least covered, then the largest shortfall (supply − demand, most negative first).
INITIATIVE_ORDER = Order(Key("coverage"), Key("shortfall"), Key("title"), Key("id"))


def _percent(share: float | None) -> float | None:
    return None if share is None else 100.0 * share


@dataclass(frozen=True)
class ObjectiveCoverageRow:
    score: ObjectiveScore
    depth: int

    @property
    def coverage_percent(self) -> float | None:
        return _percent(self.score.coverage)

    @property
    def staffing(self) -> Staffing:
        if self.score.active_initiatives == 0:
            return "no_initiative"
        return "covered" if self.score.coverage >= 1 else "under_covered"


@dataclass(frozen=True)
class InitiativeCoverageRow:
    score: InitiativeScore

    @property
    def coverage_percent(self) -> float | None:
        return _percent(self.score.coverage)

    @property
    def staffing(self) -> Staffing:
        if self.score.coverage >= 1:
            return "covered"
        return "unstaffed" if self.score.supply == 0 else "under_covered"


@dataclass(frozen=True)
class ObjectiveOutline:
    """The snapshot's objectives without their numbers: (score id, depth among the rows kept) in tree
    order (siblings by title), and which objective is below which."""

    order: list[tuple[int, int]]
    parents: dict[int, int | None]  # objective id → its parent's, as the snapshot saw them
    titles: dict[int, str]  # objective id → title

    def subtree(self, objective_id: int) -> frozenset[int]:
        """The objective and every objective below it in the snapshot."""
        children: dict[int | None, list[int]] = {}
        for node, parent in self.parents.items():
            children.setdefault(parent, []).append(node)
        found, stack = {objective_id}, [objective_id]
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return frozenset(found)


def objective_outline(*, snapshot: ScoreSnapshot, team_ids: frozenset[int] | None = None) -> ObjectiveOutline:
    """The snapshot's objectives (of `team_ids` only, where given: a parent outside them puts its
    children at the top) in tree order. One query, of four small columns per objective."""
    scores = ObjectiveScore.objects.for_org(snapshot.organization_id).filter(snapshot=snapshot)
    rows = list(
        scores.values_list(
            "pk", "objective_id", "parent_objective_id", "title", "objective__team_id"
        ).order_by("title", "pk")
    )
    parents = {row[1]: row[2] for row in rows if row[1] is not None}
    titles = {row[1]: row[3] for row in rows if row[1] is not None}
    if team_ids is not None:
        rows = [row for row in rows if row[4] in team_ids]
    shown = {row[1] for row in rows if row[1] is not None}
    children: dict[int | None, list[tuple[int, int | None]]] = {}
    for pk, objective_id, parent_id, _, _ in rows:
        children.setdefault(parent_id if parent_id in shown else None, []).append((pk, objective_id))
    order: list[tuple[int, int]] = []
    stack: list[tuple[int, int | None, int]] = [
        (pk, node, 0) for pk, node in reversed(children.get(None, []))
    ]
    while stack:
        pk, node, depth = stack.pop()
        order.append((pk, depth))
        if node is not None:
            stack.extend((child, below, depth + 1) for child, below in reversed(children.get(node, [])))
    return ObjectiveOutline(order=order, parents=parents, titles=titles)


def objective_coverage_rows(
    *, snapshot: ScoreSnapshot, page: Iterable[tuple[int, int]]
) -> list[ObjectiveCoverageRow]:
    """The rows of a page of `ObjectiveOutline.order`, with what they link to. One query."""
    wanted = list(page)
    scores = (
        ObjectiveScore.objects.for_org(snapshot.organization_id)
        .filter(snapshot=snapshot, pk__in=[pk for pk, _ in wanted])
        .select_related("objective", "objective__team")
    )
    by_pk = {row.pk: row for row in scores}
    return [ObjectiveCoverageRow(score=by_pk[pk], depth=depth) for pk, depth in wanted if pk in by_pk]


def initiative_coverage(
    *,
    snapshot: ScoreSnapshot,
    team_ids: frozenset[int] | None = None,
    objective_ids: frozenset[int] | None = None,
) -> QuerySet[InitiativeScore]:
    """The snapshot's active initiatives, to be read in INITIATIVE_ORDER (worst first). With
    `team_ids`, those of the teams (their own team, else their objective's); with `objective_ids`,
    those the snapshot places directly below one of these objectives."""
    scores = InitiativeScore.objects.for_org(snapshot.organization_id).filter(snapshot=snapshot)
    if team_ids is not None:
        ids = sorted(team_ids)
        scores = scores.filter(
            Q(initiative__team_id__in=ids)
            | Q(initiative__team__isnull=True, initiative__objective__team_id__in=ids)
        )
    if objective_ids is not None:
        scores = scores.filter(parent_objective_id__in=sorted(objective_ids))
    return scores.annotate(shortfall=F("supply") - F("demand"))


def initiative_rows(scores: Iterable[InitiativeScore]) -> list[InitiativeCoverageRow]:
    """A page of `initiative_coverage` with the initiatives (and their objectives) it links to. One
    query: the page is cut from the scores alone, then only its initiatives are read."""
    page = list(scores)
    ids = [score.initiative_id for score in page if score.initiative_id is not None]
    if page and ids:
        initiatives = (
            Initiative.objects.for_org(page[0].organization_id).select_related("objective").in_bulk(ids)
        )
        for score in page:
            if score.initiative_id is not None:
                score.initiative = initiatives.get(score.initiative_id)
    return [InitiativeCoverageRow(score=score) for score in page]


def allocations_exist(
    *, organization: Organization, team_ids: frozenset[int] | None, on: datetime.date
) -> bool:
    """Is anyone (of `team_ids`' people, when given) allocated to an initiative on `on` or later? What
    an empty list of the page may claim: with no allocation at all, "every allocation is on strategy"
    would be vacuous. One query."""
    allocations = Allocation.objects.for_org(organization).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    if team_ids is not None:
        allocations = allocations.filter(person__team_id__in=sorted(team_ids))
    return allocations.exists()
