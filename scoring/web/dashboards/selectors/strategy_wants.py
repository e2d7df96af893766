"""Which nodes a level of the strategy map shows: its page of objectives (from the outline) and of
initiatives (chosen in the database, a page at a time), before anything is drawn."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Q
from django.db.models.expressions import Window
from django.db.models.functions import Lower, RowNumber

from execgap.models import Organization
from objectives.models import Initiative
from scoring.web.dashboards.selectors.outline import PAGE_SIZE, Outline
from scoring.web.dashboards.selectors.strategy_nodes import OUTSIDE, TOP, LevelKey
from scoring.web.dashboards.selectors.strategy_search import NodeRef

OUTSIDE_PAGE_SIZE = 25  # initiatives outside the cascade shown at once
# What a node draws of its goal (its description, dates and the rest are left unread).
DRAWN = ("organization", "title", "status", "team", "team__name", "owner", "owner__name")


@dataclass
class Want:
    """One level to read: its objectives on the page (ids, in order), its initiatives' slice, and the
    goal pinned past the page (the next step of the path to the goal the map is opened on)."""

    key: LevelKey
    start: int
    size: int
    objectives: list[int]
    initiative_offset: int
    initiative_limit: int
    total: int
    pinned: NodeRef | None = None
    initiatives: list[Initiative] = field(default_factory=list)


def level_want(outline: Outline, key: LevelKey, start: int) -> Want:
    if key == OUTSIDE:
        total = outline.initiatives.get(None, 0)
        limit = max(0, min(OUTSIDE_PAGE_SIZE, total - start))
        return Want(key, start, OUTSIDE_PAGE_SIZE, [], start, limit, total)
    parent = None if key == TOP else key
    objectives = outline.children.get(parent, [])
    shown = objectives[start : start + PAGE_SIZE]
    initiatives = 0 if parent is None else outline.initiatives.get(parent, 0)
    offset = max(0, start - len(objectives))
    limit = max(0, min(PAGE_SIZE - len(shown), initiatives - offset))
    return Want(key, start, PAGE_SIZE, shown, offset, limit, len(objectives) + initiatives)


def initiatives_read(
    organization: Organization, team_ids: frozenset[int] | None, wants: dict[LevelKey, Want]
) -> None:
    """Fill each wanted level's initiatives. The pages are chosen among the initiatives alone (the
    first pages in one query, numbered per objective by a window; a later page by its offset), then
    the chosen rows are read with their team and owner in one query."""
    kept = Initiative.objects.for_org(organization)
    if team_ids is not None:
        kept = kept.filter(team_id__in=sorted(team_ids))
    order = [Lower("title").asc(), F("id").asc()]
    chosen: dict[LevelKey, list[int]] = {}
    first = [want for want in wants.values() if want.initiative_limit and want.initiative_offset == 0]
    if first:
        where = Q(objective_id__in=sorted(int(want.key) for want in first if want.key != OUTSIDE))
        if any(want.key == OUTSIDE for want in first):
            where |= Q(objective__isnull=True)
        ranked = (
            kept.filter(where)
            .annotate(rank=Window(RowNumber(), partition_by=[F("objective_id")], order_by=order))
            .filter(rank__lte=max(want.initiative_limit for want in first))
            .values_list("id", "objective_id", "rank")
        )
        for pk, objective_id, _ in sorted(ranked, key=lambda row: row[2]):
            chosen.setdefault(OUTSIDE if objective_id is None else objective_id, []).append(pk)
    for want in wants.values():
        if want.initiative_limit and want.initiative_offset > 0:
            level = (
                kept.filter(objective__isnull=True)
                if want.key == OUTSIDE
                else kept.filter(objective_id=want.key)
            )
            end = want.initiative_offset + want.initiative_limit
            chosen[want.key] = list(
                level.order_by(*order).values_list("id", flat=True)[want.initiative_offset : end]
            )
    ids = sorted(pk for want in wants.values() for pk in chosen.get(want.key, [])[: want.initiative_limit])
    rows = {}
    if ids:
        drawn = (
            Initiative.objects.for_org(organization).select_related("team", "owner").only(*DRAWN, "objective")
        )
        rows = {row.pk: row for row in drawn.filter(pk__in=ids)}
    for want in wants.values():
        want.initiatives = [
            rows[pk] for pk in chosen.get(want.key, [])[: want.initiative_limit] if pk in rows
        ]
