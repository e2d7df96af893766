"""The strategy map: the cascade from boardroom objectives down to initiatives, with the latest
snapshot's numbers on each node. Six queries, whatever the size of the plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.safestring import SafeString

from execgap.models import Organization
from execgap.web.charts import share_bars
from execgap.web.forms import OrgForm
from objectives.models import Initiative, Objective
from objectives.selectors import ObjectiveNode, objective_tree
from resources.models import Team
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot
from scoring.selectors import initiative_scores_of, objective_scores_of, snapshot_latest
from scoring.web.dashboards.words import hours, percent, plural

EXPAND_ALL = "all"
EXPAND_NONE = "none"


class StrategyFilterForm(OrgForm):
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name", "id"),
        required=False,
        empty_label="All teams",
        help_text="With the teams below it, and the goals above theirs.",
    )
    expand = forms.ChoiceField(
        choices=[("", "As it opens"), (EXPAND_ALL, "Expand all"), (EXPAND_NONE, "Collapse all")],
        required=False,
        widget=forms.HiddenInput,
    )


@dataclass(frozen=True)
class NodeFacts:
    """A node's numbers from the snapshot, in words (all empty when the node has no score)."""

    scored: bool
    progress: str = ""
    progress_status: str = ""  # ProgressStatusChoices value; empty: no dates to measure against
    progress_status_label: str = ""
    coverage: str = ""
    actual_share: float | None = None
    intended_share: float | None = None
    shares: str = ""


def node_facts(score: ObjectiveScore | InitiativeScore | None) -> NodeFacts:
    if score is None:
        return NodeFacts(scored=False)
    if isinstance(score, InitiativeScore):
        by = f"{score.end_date:%-d %b %Y}"
        return NodeFacts(
            scored=True,
            coverage=(
                f"{percent(score.coverage)} covered: {hours(score.supply)} hours allocated for the "
                f"{hours(score.demand)} it needs by {by}"
                if score.supply >= score.demand
                else f"{percent(score.coverage)} covered: {hours(score.supply)} of the {hours(score.demand)} "
                f"hours it needs by {by} are allocated"
            ),
        )
    return NodeFacts(
        scored=True,
        progress=f"{percent(score.progress)} done"
        + (
            f", {percent(score.expected_progress)} expected by now"
            if score.expected_progress is not None
            else ""
        ),
        progress_status=score.progress_status,
        progress_status_label=score.get_progress_status_display() if score.progress_status else "No dates",
        coverage=(
            f"{percent(score.coverage)} covered by {plural(score.active_initiatives, 'active initiative')}"
            if score.active_initiatives
            else "Not covered: no active initiative"
        ),
        actual_share=score.actual_share,
        intended_share=score.intended_share,
        shares=(
            f"Effort share {percent(score.actual_share)} against {percent(score.intended_share)} intended"
            if score.actual_share is not None
            else f"Effort share: no aligned effort yet, {percent(score.intended_share)} intended"
        ),
    )


@dataclass
class MapNode:
    kind: str  # "objective" or "initiative"
    row: Objective | Initiative
    score: ObjectiveScore | InitiativeScore | None
    depth: int
    open: bool = False
    children: list[MapNode] = field(default_factory=list)

    @property
    def facts(self) -> NodeFacts:
        return node_facts(self.score)

    @property
    def share_bars(self) -> SafeString:
        facts = self.facts
        return share_bars(facts.actual_share, facts.intended_share, f"{self.row.title} effort share")

    @property
    def below(self) -> str:
        """What is below the node, in words ("2 objectives and 3 initiatives")."""
        objectives = sum(child.kind == "objective" for child in self.children)
        initiatives = len(self.children) - objectives
        said = [plural(objectives, "objective")] if objectives else []
        said += [plural(initiatives, "initiative")] if initiatives else []
        return " and ".join(said)


@dataclass(frozen=True)
class StrategyMap:
    roots: list[MapNode]
    outside: list[MapNode]  # initiatives with no objective: planned work outside the cascade
    snapshot: ScoreSnapshot | None
    team: Team | None
    objective_count: int
    initiative_count: int


def strategy_map_page(
    *, organization: Organization, team: Team | None = None, expand: str = ""
) -> StrategyMap:
    """The cascade as a tree. With `team`: only the nodes of that team (or a team below it) and the
    objectives above them. `expand`: EXPAND_ALL opens every node, EXPAND_NONE none; by default the
    boardroom objectives are open (and every kept node when filtered by team)."""
    snapshot = snapshot_latest(organization=organization)
    objective_scores: dict[int | None, ObjectiveScore] = {}
    initiative_scores: dict[int | None, InitiativeScore] = {}
    if snapshot is not None:
        objective_scores = {row.objective_id: row for row in objective_scores_of(snapshot=snapshot)}
        initiative_scores = {row.initiative_id: row for row in initiative_scores_of(snapshot=snapshot)}
    initiatives: dict[int | None, list[Initiative]] = {}
    for initiative in (
        Initiative.objects.for_org(organization).select_related("team", "owner").order_by("title", "id")
    ):
        initiatives.setdefault(initiative.objective_id, []).append(initiative)

    def initiative_node(initiative: Initiative, depth: int) -> MapNode:
        return MapNode("initiative", initiative, initiative_scores.get(initiative.pk), depth)

    def objective_node(node: ObjectiveNode) -> MapNode:
        children = [objective_node(child) for child in node.children]
        children += [initiative_node(i, node.depth + 1) for i in initiatives.get(node.objective.pk, [])]
        return MapNode(
            "objective",
            node.objective,
            objective_scores.get(node.objective.pk),
            node.depth,
            children=children,
        )

    roots = [objective_node(root) for root in objective_tree(organization=organization)]
    outside = [initiative_node(i, 0) for i in initiatives.get(None, [])]
    if team is not None:
        teams = _subtree(organization, team)
        roots = [node for node in (_kept(root, teams) for root in roots) if node is not None]
        outside = [node for node in outside if node.row.team_id in teams]
    for node in _walk(roots):
        node.open = expand == EXPAND_ALL or (
            expand != EXPAND_NONE and (team is not None or node.depth == 0) and bool(node.children)
        )
    nodes = list(_walk(roots)) + outside
    return StrategyMap(
        roots=roots,
        outside=outside,
        snapshot=snapshot,
        team=team,
        objective_count=sum(node.kind == "objective" for node in nodes),
        initiative_count=sum(node.kind == "initiative" for node in nodes),
    )


def _subtree(organization: Organization, team: Team) -> set[int]:
    """The team and every team below it."""
    children: dict[int | None, list[int]] = {}
    for team_id, parent_id in Team.objects.for_org(organization).values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(team_id)
    found, stack = {team.pk}, [team.pk]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _kept(node: MapNode, teams: set[int]) -> MapNode | None:
    """The node with only the children to keep; None when neither it nor anything below it is the team's."""
    children = [kept for kept in (_kept(child, teams) for child in node.children) if kept is not None]
    if node.row.team_id in teams or children:
        node.children = children
        return node
    return None


def _walk(nodes: list[MapNode]) -> Any:
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))
