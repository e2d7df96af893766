"""The strategy map: the cascade from the boardroom objectives down to the initiatives, each node with
the latest snapshot's numbers, read one level at a time.

The page draws a page of the boardroom objectives and a page of the initiatives outside the cascade,
and opens only what it is asked to: by default the boardroom objectives while the page stays small
(DEFAULT_OPEN_NODES), `?expand=all` (or a team filter) level by level up to EXPAND_ALL_NODES nodes,
where it stops and says so; `?open=objective-<id>` or `?open=initiative-<id>` the path from the
boardroom down to that goal. Any other level comes with htmx when its node is expanded
(`strategy_level`), PAGE_SIZE nodes at a time. The numbers are the snapshot's ObjectiveScore and
InitiativeScore rows (the task table is never read), in a constant number of queries whatever the
size of the plan: the outline (two), the goals shown (two or three), their scores (two).
"""

from __future__ import annotations

from dataclasses import dataclass

from execgap.models import Organization
from objectives.models import Initiative, Objective
from resources.models import Team
from resources.selectors import team_subtree_ids
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot
from scoring.selectors import initiative_scores_of, objective_scores_of, snapshot_latest
from scoring.web.dashboards.selectors.outline import Outline, opened_within, outline_fetch
from scoring.web.dashboards.selectors.strategy_nodes import (
    OUTSIDE,
    TOP,
    VIEW_MAP,
    LevelKey,
    MapLevel,
    MapLinks,
    MapNode,
    NodeFacts,
    TaskNode,
    node_facts,
)
from scoring.web.dashboards.selectors.strategy_search import GoalSearch, NodeRef, goal_search
from scoring.web.dashboards.selectors.strategy_tasks import task_sums_fetch
from scoring.web.dashboards.selectors.strategy_wants import DRAWN, Want, initiatives_read, level_want

__all__ = [
    "EXPAND_ALL",
    "EXPAND_NONE",
    "MapLevel",
    "MapNode",
    "NodeFacts",
    "NotOnMapError",
    "StrategyMap",
    "node_facts",
    "strategy_level",
    "strategy_map_page",
    "strategy_tasks",
]

EXPAND_ALL = "all"
EXPAND_NONE = "none"
DEFAULT_OPEN_NODES = 40  # the boardroom objectives open by default while the tree shows no more
EXPAND_ALL_NODES = 100  # "expand all" opens level by level until the tree would show more


class NotOnMapError(Exception):
    """The goal asked for is not in the organization, or not on the map as filtered."""


@dataclass(frozen=True)
class StrategyMap:
    top: MapLevel
    outside: MapLevel
    snapshot: ScoreSnapshot | None
    team: Team | None
    objective_count: int
    initiative_count: int
    capped: bool  # "expand all" stopped at EXPAND_ALL_NODES nodes
    target: MapNode | None  # the goal the map is opened on
    search: GoalSearch | None
    expand_limit: int = EXPAND_ALL_NODES


def strategy_map_page(
    *,
    organization: Organization,
    team: Team | None = None,
    expand: str = "",
    open_ref: NodeRef | None = None,
    start: int = 0,
    outside_start: int = 0,
    query: str = "",
    view: str = VIEW_MAP,
) -> StrategyMap:
    """The map as it opens.

    `team`: only the nodes of that team (or a team below it) and the objectives above them, opened
    as "expand all" opens. `open_ref`: the path from the boardroom to that goal is open (NotOnMapError
    when the goal is not on the map). `start`: the first node shown of the level below `open_ref`
    (of the boardroom objectives without it); `outside_start`: of the initiatives outside the
    cascade. `query`: the goals whose title contains it; a single match opens the map on it.
    `view`: the view its links keep (VIEW_MAP or VIEW_LIST).
    """
    team_ids = team_subtree_ids(organization=organization, team_id=team.pk) if team is not None else None
    outline = outline_fetch(organization=organization, team_ids=team_ids)
    search = goal_search(organization=organization, outline=outline, team_ids=team_ids, query=query)
    if open_ref is None and search is not None and len(search.matches) == 1:
        open_ref = search.matches[0].ref
    target = _target(organization, outline, team_ids, open_ref) if open_ref is not None else None

    path: list[int] = []
    if isinstance(target, Objective):
        path = outline.path(target.pk)
    elif isinstance(target, Initiative) and target.objective_id is not None:
        path = outline.path(target.objective_id)
    wants: dict[LevelKey, Want] = {TOP: level_want(outline, TOP, 0 if path else start)}
    capped = False
    if path:
        uppers: list[LevelKey] = [TOP, *path]
        for upper, lower in zip(uppers, path, strict=False):
            if lower not in wants[upper].objectives:
                wants[upper].pinned = NodeRef("objective", lower)
            paged = isinstance(target, Objective) and lower == target.pk
            wants[lower] = level_want(outline, lower, start if paged else 0)
    elif expand != EXPAND_NONE:
        everything = expand == EXPAND_ALL or team is not None
        opened, capped = opened_within(
            outline,
            wants[TOP].objectives,
            budget=EXPAND_ALL_NODES if everything else DEFAULT_OPEN_NODES,
            deepest=None if everything else 0,
        )
        capped = capped and everything
        for objective_id in opened:
            wants[objective_id] = level_want(outline, objective_id, 0)
    wants[OUTSIDE] = level_want(outline, OUTSIDE, outside_start)
    if isinstance(target, Initiative):
        home = wants[target.objective_id if target.objective_id is not None else OUTSIDE]
        home.pinned = NodeRef("initiative", target.pk)

    snapshot = snapshot_latest(organization=organization)
    levels = _read_levels(
        organization=organization,
        snapshot=snapshot,
        outline=outline,
        team_ids=team_ids,
        wants=wants,
        target=target if isinstance(target, Initiative) else None,
        team_id=team.pk if team is not None else None,
        links=MapLinks.of(organization.slug, view),
    )
    found = None
    if open_ref is not None:
        shown = (node for level in levels.values() for node in level.nodes)
        found = next((node for node in shown if node.anchor == open_ref.anchor), None)
        if found is not None:
            found.target = True
    return StrategyMap(
        top=levels[TOP],
        outside=levels[OUTSIDE],
        snapshot=snapshot,
        team=team,
        objective_count=outline.objective_count,
        initiative_count=outline.initiative_count,
        capped=capped,
        target=found,
        search=search,
    )


def strategy_level(
    *,
    organization: Organization,
    team: Team | None,
    key: LevelKey,
    start: int,
    skip: NodeRef | None = None,
    view: str = VIEW_MAP,
) -> MapLevel:
    """One page of one level, each node closed: what htmx asks for when a node is expanded or the
    next page of a level is shown (`skip`: a node already shown, pinned past the first page).
    NotOnMapError for an objective that is not on the map."""
    team_ids = team_subtree_ids(organization=organization, team_id=team.pk) if team is not None else None
    outline = outline_fetch(organization=organization, team_ids=team_ids)
    if isinstance(key, int) and key not in outline:
        raise NotOnMapError("There is no such objective on this map.")
    level = _read_levels(
        organization=organization,
        snapshot=snapshot_latest(organization=organization),
        outline=outline,
        team_ids=team_ids,
        wants={key: level_want(outline, key, start)},
        target=None,
        team_id=team.pk if team is not None else None,
        links=MapLinks.of(organization.slug, view),
    )[key]
    if skip is not None:
        level.nodes[:] = [node for node in level.nodes if node.anchor != skip.anchor]
    return level


def strategy_tasks(
    *, organization: Organization, team: Team | None, initiative_id: int, view: str = VIEW_MAP
) -> TaskNode | None:
    """The level below an initiative: the summary of its tasks (None when it has none). Two queries.
    NotOnMapError for an initiative that is not on the map."""
    kept = Initiative.objects.for_org(organization)
    if team is not None:
        kept = kept.filter(team_id__in=sorted(team_subtree_ids(organization=organization, team_id=team.pk)))
    title = kept.filter(pk=initiative_id).values_list("title", flat=True).first()
    if title is None:
        raise NotOnMapError("There is no such initiative on this map.")
    sums, _ = task_sums_fetch(organization=organization, initiative_ids=[initiative_id], objective_ids=[])
    if initiative_id not in sums:
        return None
    return TaskNode(
        "initiative", initiative_id, title, sums[initiative_id], MapLinks.of(organization.slug, view)
    )


def _target(
    organization: Organization, outline: Outline, team_ids: frozenset[int] | None, ref: NodeRef
) -> Objective | Initiative:
    """The goal the map is opened on (an objective only as far as the outline knows it)."""
    missing = "There is no such objective or initiative in this organization."
    if ref.kind == "objective":
        if ref.pk in outline:
            return Objective(pk=ref.pk, title=outline.titles[ref.pk])
        if ref.pk in outline.titles:
            raise NotOnMapError(
                f"“{outline.titles[ref.pk]}” is not on this team's map: show every team to see it."
            )
        raise NotOnMapError(missing)
    initiative = (
        Initiative.objects.for_org(organization).select_related("team", "owner").filter(pk=ref.pk).first()
    )
    if initiative is None:
        raise NotOnMapError(missing)
    if team_ids is not None and initiative.team_id not in team_ids:
        raise NotOnMapError(f"“{initiative.title}” is not on this team's map: show every team to see it.")
    return initiative


def _read_levels(
    *,
    organization: Organization,
    snapshot: ScoreSnapshot | None,
    outline: Outline,
    team_ids: frozenset[int] | None,
    wants: dict[LevelKey, Want],
    target: Initiative | None,
    team_id: int | None,
    links: MapLinks,
) -> dict[LevelKey, MapLevel]:
    """Read the goals the wanted levels show, their scores and their tasks' sums, and put the levels
    together: an objective with a wanted level below it is open. At most six queries."""
    objective_ids = {node for want in wants.values() for node in want.objectives}
    objective_ids |= {w.pinned.pk for w in wants.values() if w.pinned and w.pinned.kind == "objective"}
    objectives = {
        row.pk: row
        for row in Objective.objects.for_org(organization)
        .select_related("team", "owner")
        .only(*DRAWN)
        .filter(pk__in=sorted(objective_ids))
    }
    initiatives_read(organization, team_ids, wants)
    for want in wants.values():
        pinned = want.pinned
        if target is not None and pinned is not None and pinned.kind == "initiative":
            if all(row.pk != target.pk for row in want.initiatives):
                want.initiatives.append(target)
            else:
                want.pinned = None
    initiative_ids = {row.pk for want in wants.values() for row in want.initiatives}
    objective_scores: dict[int | None, ObjectiveScore] = {}
    initiative_scores: dict[int | None, InitiativeScore] = {}
    if snapshot is not None and objectives:
        scores = objective_scores_of(snapshot=snapshot).filter(objective_id__in=sorted(objectives))
        objective_scores = {row.objective_id: row for row in scores}
    if snapshot is not None and initiative_ids:
        scores_i = initiative_scores_of(snapshot=snapshot).filter(initiative_id__in=sorted(initiative_ids))
        initiative_scores = {row.initiative_id: row for row in scores_i}
    # The objectives drawn, and those whose level is shown from its start: their direct tasks head it.
    heads = {int(key) for key, want in wants.items() if key not in (TOP, OUTSIDE) and want.start == 0}
    initiative_tasks, objective_tasks = task_sums_fetch(
        organization=organization, initiative_ids=initiative_ids, objective_ids=set(objectives) | heads
    )

    def objective_node(objective_id: int, pinned: bool, parent: LevelKey) -> MapNode:
        below_objectives, below_initiatives = outline.below(objective_id)
        return MapNode(
            "objective",
            objectives[objective_id],
            objective_scores.get(objective_id),
            outline.depth(objective_id),
            links,
            team_id,
            below_objectives,
            below_initiatives,
            pinned=pinned,
            parent=parent,
            tasks=objective_tasks.get(objective_id),
        )

    levels: dict[LevelKey, MapLevel] = {}
    for key, want in wants.items():
        depth = 0 if key in (TOP, OUTSIDE) else outline.depth(int(key)) + 1
        nodes = [objective_node(node, False, key) for node in want.objectives if node in objectives]
        if want.pinned is not None and want.pinned.kind == "objective" and want.pinned.pk in objectives:
            pinned_objective = objective_node(want.pinned.pk, True, key)
        else:
            pinned_objective = None
        nodes += [
            MapNode(
                "initiative",
                row,
                initiative_scores.get(row.pk),
                depth,
                links,
                team_id,
                pinned=row is target,
                parent=key,
                tasks=initiative_tasks.get(row.pk),
            )
            for row in want.initiatives
        ]
        direct = objective_tasks.get(int(key)) if key in heads else None
        if pinned_objective is not None:
            nodes.append(pinned_objective)
        levels[key] = MapLevel(
            key=key,
            nodes=nodes,
            start=want.start,
            end=min(want.total, want.start + want.size),
            total=want.total,
            size=want.size,
            links=links,
            team_id=team_id,
            where=_where(key, outline),
            tasks=TaskNode("objective", int(key), outline.titles[int(key)], direct, links)
            if direct
            else None,
        )
    for node in (node for level in levels.values() for node in level.nodes):
        if node.kind == "objective" and node.row.pk in levels:
            node.level = levels[node.row.pk]
    return levels


def _where(key: LevelKey, outline: Outline) -> str:
    if key == TOP:
        return "of the boardroom objectives"
    if key == OUTSIDE:
        return "outside the cascade"
    return f"below “{outline.titles[key]}”"
