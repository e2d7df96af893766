"""What the strategy map draws: a node with its snapshot numbers in words, and a page of one level
with the links to its next page (htmx, and a plain link for a browser without JavaScript).

The map has two views of the same nodes (`?view=`): the map itself, a tree of cards to pan across
(the default), and the list, a nested list for keyboards and screen readers that works without
JavaScript. Every link of the map keeps the view it is in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from execgap.web.charts import share_bars
from objectives.models import Initiative, Objective
from scoring.models import InitiativeScore, ObjectiveScore
from scoring.web.dashboards.selectors.strategy_cards import initiative_card, objective_card, tasks_card
from scoring.web.dashboards.selectors.strategy_tasks import TaskSums
from scoring.web.dashboards.words import hours, percent, plural

TOP: Literal["top"] = "top"
OUTSIDE: Literal["outside"] = "outside"
LevelKey = int | Literal["top", "outside"]  # an objective's id: the level below it
VIEW_MAP = "map"
VIEW_LIST = "list"
_SENTINEL = 987_654_321_987


@dataclass(frozen=True)
class MapLinks:
    """The URLs a map links to, reversed once per request: a node puts its id into a pattern
    (reversing per node would cost more than drawing it)."""

    objective: str  # "/o/acme/objectives/{pk}/"
    initiative: str
    map: str
    level: str
    view: str = VIEW_MAP

    @classmethod
    def of(cls, slug: str, view: str = VIEW_MAP) -> MapLinks:
        def pattern(name: str) -> str:
            url = reverse(name, kwargs={"org_slug": slug, "pk": _SENTINEL})
            return url.replace(str(_SENTINEL), "{pk}")

        return cls(
            objective=pattern("objective_detail"),
            initiative=pattern("initiative_detail"),
            map=reverse("strategy_map", kwargs={"org_slug": slug}),
            level=reverse("strategy_map_level", kwargs={"org_slug": slug}),
            view=view,
        )

    def query(self, **params: object) -> str:
        """A query string of the map with `params` (None: left out), in the view it is in (the map,
        the default, is not named)."""
        params["view"] = self.view if self.view != VIEW_MAP else None
        return urlencode({name: value for name, value in params.items() if value is not None})


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
    kind: Literal["objective", "initiative"]
    row: Objective | Initiative
    score: ObjectiveScore | InitiativeScore | None
    depth: int
    links: MapLinks
    team_id: int | None  # the map's team filter, kept by the node's links
    below_objectives: int = 0
    below_initiatives: int = 0
    level: MapLevel | None = None  # the nodes below it, when it is open
    target: bool = False  # the goal the map was opened on
    pinned: bool = False  # shown past its level's page: the map was opened on it or below it
    parent: LevelKey | None = None  # the level it is on
    tasks: TaskSums | None = None  # an initiative's tasks; an objective's tasks linked to it directly

    @property
    def url(self) -> str:
        """The node's own page."""
        return (self.links.objective if self.kind == "objective" else self.links.initiative).format(
            pk=self.row.pk
        )

    @property
    def level_url(self) -> str:
        """What htmx asks for when the node is expanded: the first page below it (below an
        initiative: the summary of its tasks)."""
        of = self.row.pk if self.kind == "objective" else self.anchor
        return f"{self.links.level}?{self.links.query(of=of, team=self.team_id)}"

    @property
    def open_url(self) -> str:
        """The map opened on the node (what a browser without JavaScript follows)."""
        return f"{self.links.map}?{self.links.query(team=self.team_id, open=self.anchor)}#{self.anchor}"

    @property
    def opens(self) -> bool:
        """The map can open something below it: goals, or a summary of tasks."""
        return self.has_below or self.tasks is not None

    @property
    def tasks_open(self) -> bool:
        """An initiative the map was opened on shows its tasks."""
        return self.kind == "initiative" and self.target and self.tasks is not None

    @property
    def expanded(self) -> bool:
        return self.open or self.tasks_open

    @property
    def task_node(self) -> TaskNode | None:
        """An initiative's tasks as a node of the map (None without tasks)."""
        if self.kind != "initiative" or self.tasks is None:
            return None
        return TaskNode("initiative", self.row.pk, self.row.title, self.tasks, self.links)

    @property
    def toggle(self) -> tuple[str, str]:
        """The (name, value) the node's toggle sends without JavaScript: the map opened on the node,
        or, open, on the level it is on (collapse all, for a boardroom objective)."""
        if not self.expanded:
            return "open", self.anchor
        if isinstance(self.parent, int):
            return "open", f"objective-{self.parent}"
        return "expand", "none"

    @property
    def toggle_label(self) -> str:
        """What the toggle opens, in words: "3 objectives and 2 initiatives", "4 tasks"."""
        if self.kind == "initiative":
            return plural(self.tasks.tasks if self.tasks else 0, "task")
        return self.below

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.row.pk}"

    @property
    def open(self) -> bool:
        return self.level is not None

    @property
    def has_below(self) -> bool:
        """Goals below it, or tasks linked directly to it (an objective's level holds both)."""
        return bool(
            self.below_objectives or self.below_initiatives or (self.kind == "objective" and self.tasks)
        )

    @cached_property
    def facts(self) -> NodeFacts:
        return node_facts(self.score)

    @property
    def share_bars(self) -> SafeString:
        facts = self.facts
        return share_bars(facts.actual_share, facts.intended_share, f"{self.row.title} effort share")

    @property
    def kind_label(self) -> str:
        if self.kind == "initiative":
            return "Initiative"
        return "Boardroom objective" if self.depth == 0 else "Objective"

    @property
    def meta(self) -> str:
        """Its team and owner, in words."""
        team, owner = self.row.team, self.row.owner
        return f"{team.name if team else 'No team'} · {f'owned by {owner.name}' if owner else 'no owner'}"

    @property
    def card(self) -> SafeString:
        """The node's facts as its card on the map shows them."""
        if self.kind == "objective":
            assert self.score is None or isinstance(self.score, ObjectiveScore)
            return objective_card(self.score)
        assert isinstance(self.row, Initiative)
        assert not isinstance(self.score, ObjectiveScore)
        return initiative_card(self.row, self.score, self.tasks)

    @property
    def numbers(self) -> SafeString:
        """The snapshot's numbers of the node, drawn here rather than in the template: a map draws up
        to a few hundred nodes, and this is the larger part of each."""
        facts = self.facts
        tasks = None
        if self.kind == "initiative" and self.tasks is not None:
            tasks = format_html("<li>Tasks: {}</li>", tasks_in_words(self.tasks))
        if not facts.scored:
            if self.kind == "initiative" and self.row.status != "active":
                status = self.row.get_status_display().lower()
                said = format_html(
                    '<p class="node-numbers muted">Not staffed or measured while {}.</p>', status
                )
            else:
                said = format_html('<p class="node-numbers muted">{}</p>', "Not scored yet.")
            return (
                format_html('{}<ul class="node-numbers">{}</ul>', said, tasks) if tasks is not None else said
            )
        items = []
        if facts.progress:
            items.append(
                format_html(
                    '<li>Progress: {} <span class="badge status-{}">{}</span></li>',
                    facts.progress,
                    facts.progress_status or "draft",
                    facts.progress_status_label,
                )
            )
        items.append(format_html("<li>Coverage: {}</li>", facts.coverage))
        if self.kind == "objective":
            items.append(format_html('<li class="node-share">{} {}</li>', facts.shares, self.share_bars))
        if tasks is not None:
            items.append(tasks)
        return format_html(
            '<ul class="node-numbers">{}</ul>', format_html_join("", "{}", ((i,) for i in items))
        )

    @property
    def below(self) -> str:
        """What is below the node, in words ("2 objectives and 3 initiatives")."""
        said = [plural(self.below_objectives, "objective")] if self.below_objectives else []
        said += [plural(self.below_initiatives, "initiative")] if self.below_initiatives else []
        if self.kind == "objective" and self.tasks:
            said.append(f"{plural(self.tasks.tasks, 'task')} linked directly")
        if len(said) < 2:
            return "".join(said)
        return f"{', '.join(said[:-1])} and {said[-1]}"


@dataclass
class MapLevel:
    """A page of one level: its nodes `start` to `end` of `total`, then at most one node pinned past
    the page (on the path to the goal the map is opened on)."""

    key: LevelKey
    nodes: list[MapNode]
    start: int
    end: int
    total: int
    size: int  # nodes of the level shown at once
    links: MapLinks
    team_id: int | None
    where: str  # the level in words: "below “r1”", "of the boardroom objectives", "outside the cascade"
    tasks: TaskNode | None = None  # the tasks linked directly to the objective above (its first page)

    @property
    def next_start(self) -> int | None:
        return self.end if self.end < self.total else None

    @property
    def next_count(self) -> int:
        return min(self.size, self.total - self.end)

    @property
    def left(self) -> int:
        return self.total - self.end

    @property
    def pinned(self) -> MapNode | None:
        return next((node for node in self.nodes if node.pinned), None)

    @property
    def next_level_url(self) -> str:
        """What htmx asks for to show the next page (`strategy_level`)."""
        pinned = self.pinned
        query = self.links.query(
            team=self.team_id, of=self.key, start=self.end, skip=pinned.anchor if pinned else None
        )
        return f"{self.links.level}?{query}"

    @property
    def next_url(self) -> str:
        """The whole map showing the next page, for a browser without JavaScript."""
        return self._map_url(self.end)

    @property
    def first_url(self) -> str:
        """The whole map showing the level's first page again."""
        return self._map_url(None)

    def _map_url(self, start: int | None) -> str:
        query = self.links.query
        if self.key == TOP:
            return f"{self.links.map}?{query(team=self.team_id, start=start)}"
        if self.key == OUTSIDE:
            return f"{self.links.map}?{query(team=self.team_id, outside=start)}#outside-heading"
        anchor = f"objective-{self.key}"
        return f"{self.links.map}?{query(team=self.team_id, open=anchor, start=start)}#{anchor}"


def tasks_in_words(sums: TaskSums) -> str:
    """ "3 open (12 hours), 5 done (20 hours)"."""
    return (
        f"{sums.open_tasks:,} open ({hours(sums.open_hours)} hours), "
        f"{sums.done_tasks:,} done ({hours(sums.done_hours)} hours)"
    )


@dataclass(frozen=True)
class TaskNode:
    """The tasks of a goal as one node of the map: their counts and hours by class, never the tasks."""

    kind: Literal["objective", "initiative"]  # of the goal they link to
    pk: int
    title: str
    sums: TaskSums
    links: MapLinks

    @property
    def anchor(self) -> str:
        return f"tasks-{self.kind}-{self.pk}"

    @property
    def url(self) -> str:
        """The goal's own page, at its list of tasks."""
        page = self.links.objective if self.kind == "objective" else self.links.initiative
        return page.format(pk=self.pk) + "#goal-tasks"

    @property
    def label(self) -> str:
        return f"Tasks of {self.title}" if self.kind == "initiative" else f"Tasks linked to {self.title}"

    @property
    def in_words(self) -> str:
        return tasks_in_words(self.sums)

    @property
    def card(self) -> SafeString:
        return tasks_card(self.sums)
