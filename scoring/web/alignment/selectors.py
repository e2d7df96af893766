"""Reads of the alignment page: effort by class per team, the unaligned work, the goals to link it to.

The numbers come from the latest snapshot: its team rows hold each team's effort by class and how
many tasks are orphan and misaligned (the team and every team below it), its parts the whole
organization's and the work without a team; nothing here sums tasks. The list of unaligned work is
read from the tasks with the scoring engine's rules (`scoring.fetch_tasks`) at the snapshot's date
D: the largest N by effort, walked along the tasks' effort index. While the scores are up to date
the two agree; after a change they differ until the recompute lands, which the page's status line
says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Count, Sum

from execgap.models import Organization
from objectives.models import Initiative, InitiativeStatus, Task
from resources.models import Team
from resources.selectors import team_subtree_ids, team_tree
from scoring.engine.cascade import Cascade, cascade_build
from scoring.engine.inputs import Parameters
from scoring.fetch import objectives_fetch, parameters_at
from scoring.fetch_tasks import tasks_in_scope, tasks_largest, unaligned
from scoring.models import ScoreSnapshot, TeamScore

if TYPE_CHECKING:
    from scoring.fetch_tasks import ScopedTasks

TaskClassName = Literal["aligned", "misaligned", "orphan"]
WORK_LIMIT = 25


def snapshot_parameters(*, organization: Organization, snapshot: ScoreSnapshot | None) -> Parameters:
    """D and the parameters the page reads the work with: the snapshot's, or today's UTC date and the
    organization's settings before the first recompute."""
    if snapshot is not None:
        return snapshot.parameters
    return parameters_at(organization=organization)


def cascade_at(*, organization: Organization, parameters: Parameters) -> Cascade:
    """The objectives as they are now, seen at D (which are active, which are live). One query."""
    return cascade_build(objectives_fetch(organization_id=organization.pk), parameters.as_of)


@dataclass(frozen=True)
class ClassEffort:
    """Hours of the tasks in scope by class."""

    aligned: float = 0.0
    misaligned: float = 0.0
    orphan: float = 0.0

    @property
    def total(self) -> float:
        return self.aligned + self.misaligned + self.orphan

    @property
    def traceability(self) -> float | None:
        """Aligned effort / total effort (None with no effort)."""
        return self.aligned / self.total if self.total > 0 else None

    def segments(self) -> list[tuple[str, float, str]]:
        """What `{% stacked_bar %}` draws: (name, hours, css class) per class."""
        return [
            ("aligned", self.aligned, "aligned"),
            ("misaligned", self.misaligned, "misaligned"),
            ("orphan", self.orphan, "orphan"),
        ]

    def __add__(self, other: ClassEffort) -> ClassEffort:
        return ClassEffort(
            self.aligned + other.aligned, self.misaligned + other.misaligned, self.orphan + other.orphan
        )


@dataclass(frozen=True)
class TeamAlignmentRow:
    """A team with the effort of its tasks and those of every team below it."""

    team: Team
    depth: int
    effort: ClassEffort
    score: float | None  # the snapshot's team alignment (100 × T), None where undefined or not scored
    scored: bool  # the snapshot has a row for this team


@dataclass(frozen=True)
class TeamAlignment:
    teams: list[TeamAlignmentRow]
    without_team: ClassEffort  # tasks in scope with no task team and no assignee's team


def team_alignment(
    *, organization: Organization, snapshot: ScoreSnapshot | None, team_ids: frozenset[int] | None = None
) -> TeamAlignment:
    """Effort by class per team (the team and every team below it), in tree order, as the snapshot
    holds it. Two queries.

    `team_ids` limits the rows to those teams (a team filter: the team and its subtree).
    """
    rows: dict[int, TeamScore] = {}
    without_team = ClassEffort()
    if snapshot is not None:
        rows = {
            row.team_id: row
            for row in TeamScore.objects.for_org(organization).filter(
                snapshot=snapshot, team_id__isnull=False
            )
            if row.team_id is not None
        }
        alone = snapshot.parts.get("alignment", {}).get("without_team")
        if alone is not None:
            without_team = ClassEffort(
                alone["aligned_effort"], alone["misaligned_effort"], alone["orphan_effort"]
            )
    return TeamAlignment(
        teams=[
            TeamAlignmentRow(
                team=node.team,
                depth=node.depth,
                effort=_class_effort(rows.get(node.team.pk)),
                score=row.score if (row := rows.get(node.team.pk)) is not None else None,
                scored=node.team.pk in rows,
            )
            for node in team_tree(organization=organization)
            if team_ids is None or node.team.pk in team_ids
        ],
        without_team=without_team,
    )


def _class_effort(row: TeamScore | None) -> ClassEffort:
    if row is None:
        return ClassEffort()
    return ClassEffort(row.aligned_effort, row.misaligned_effort, row.orphan_effort)


@dataclass(frozen=True)
class WorkItem:
    """A task in scope with its class, why it is not aligned, and the team it counts for."""

    task: Task
    task_class: TaskClassName
    reason: str
    effort: float
    team: Team | None


def work_item(task: Task, *, cascade: Cascade, parameters: Parameters) -> WorkItem:
    """Classify one task (SCORING.md "Alignment") from its prefetched initiative and objective links."""
    initiative = task.initiative if task.initiative_id is not None else None
    resolved = task.objective_id if task.objective_id is not None else None
    if resolved is None and initiative is not None:
        resolved = initiative.objective_id
    effort = (
        float(task.effort_hours) if task.effort_hours is not None else parameters.default_task_effort_hours
    )
    team = task.team if task.team_id is not None else None
    if team is None and task.assignee_id is not None and task.assignee is not None:
        team = task.assignee.team if task.assignee.team_id is not None else None

    task_class, reason = task_class_of(initiative, resolved, cascade)
    return WorkItem(task=task, task_class=task_class, reason=reason, effort=effort, team=team)


def task_class_of(
    initiative: Initiative | None, resolved: int | None, cascade: Cascade
) -> tuple[TaskClassName, str]:
    """A task's class (SCORING.md "Alignment") and why, from its initiative and the objective it
    resolves into (its own, else its initiative's)."""
    if resolved is None:
        reason = (
            f"Its initiative “{initiative.title}” serves no objective."
            if initiative is not None
            else "Linked to no objective or initiative."
        )
        return "orphan", reason
    if resolved in cascade.live and (initiative is None or initiative.status == InitiativeStatus.ACTIVE):
        return "aligned", "Traces to an active goal."
    return "misaligned", misaligned_reason(initiative, resolved, cascade)


def misaligned_reason(initiative: Initiative | None, objective_id: int, cascade: Cascade) -> str:
    """What breaks a linked task's alignment: its initiative, or the first objective above it that is
    not active at D."""
    if initiative is not None and initiative.status != InitiativeStatus.ACTIVE:
        return f"Its initiative “{initiative.title}” is {initiative.get_status_display().lower()}."
    current: int | None = objective_id
    while current is not None and current in cascade.nodes:
        node = cascade.nodes[current]
        if current not in cascade.active:
            state = node.status if node.status != "active" else f"ended on {node.end_date}"
            return f"Objective “{node.title}” is {state}."
        current = node.parent_id
    return "Its objective is not active."


@dataclass(frozen=True)
class UnalignedWork:
    """The largest orphan and misaligned tasks in scope, and how many there are in all."""

    items: list[WorkItem]
    count: int
    effort: float


def unaligned_tasks(
    *,
    organization: Organization,
    parameters: Parameters,
    cascade: Cascade,
    team_ids: frozenset[int] | None = None,
    task_class: Literal["orphan", "misaligned"] | None = None,
) -> ScopedTasks:
    """The orphan and misaligned tasks in scope (of the class, and of the teams of `team_ids`, where
    given), with their `effort`, `effective_team` and `resolved_objective`."""
    objective_ids = frozenset(cascade.nodes)
    tasks = tasks_in_scope(organization_id=organization.pk, parameters=parameters).filter(
        unaligned(objective_ids, cascade.live)
    )
    if task_class == "orphan":
        tasks = tasks.filter(resolved_objective__isnull=True)
    elif task_class == "misaligned":
        tasks = tasks.filter(resolved_objective__isnull=False)
    if team_ids is not None:
        tasks = tasks.filter(effective_team__in=sorted(team_ids))
    return tasks


def unaligned_work(
    *,
    organization: Organization,
    snapshot: ScoreSnapshot | None,
    parameters: Parameters,
    cascade: Cascade,
    team: Team | None = None,
    team_ids: frozenset[int] | None = None,
    task_class: Literal["orphan", "misaligned"] | None = None,
    limit: int = WORK_LIMIT,
) -> UnalignedWork:
    """The `limit` largest unaligned tasks (by effort, then id), filtered by team (`team` and the ids of
    its subtree, `team_ids`) and class, with the count and effort of all that match as the snapshot
    holds them (counted from the tasks before the first snapshot). Four queries."""
    tasks = unaligned_tasks(
        organization=organization,
        parameters=parameters,
        cascade=cascade,
        team_ids=team_ids,
        task_class=task_class,
    )
    ids = [row["id"] for row in tasks_largest(tasks, limit)]
    found = {
        task.pk: task
        for task in Task.objects.for_org(organization)
        .select_related(
            "initiative", "initiative__objective", "objective", "team", "assignee", "assignee__team"
        )
        .filter(pk__in=ids)
    }
    if snapshot is None:  # a new organization, before its first recompute: small enough to count
        totals = tasks.aggregate(matching=Count("pk"), hours=Sum("effort"))
        count, effort = totals["matching"] or 0, float(totals["hours"] or 0)
    else:
        count, effort = _unaligned_totals(
            organization=organization, snapshot=snapshot, team=team, task_class=task_class
        )
    return UnalignedWork(
        items=[work_item(found[pk], cascade=cascade, parameters=parameters) for pk in ids if pk in found],
        count=count,
        effort=effort,
    )


def _unaligned_totals(
    *,
    organization: Organization,
    snapshot: ScoreSnapshot,
    team: Team | None,
    task_class: Literal["orphan", "misaligned"] | None,
) -> tuple[int, float]:
    """How many unaligned tasks of the class (both with None) there are, and their hours: the team's
    row of the snapshot (its subtree), or the organization's parts. One query with a team."""
    if team is not None:
        row = TeamScore.objects.for_org(organization).filter(snapshot=snapshot, team=team).first()
        values: dict[str, Any] = {} if row is None else vars(row)
    else:
        values = snapshot.parts.get("alignment", {})
    classes = [task_class] if task_class is not None else ["orphan", "misaligned"]
    count = sum(int(values.get(f"{name}_tasks", 0)) for name in classes)
    effort = sum(float(values.get(f"{name}_effort", 0)) for name in classes)
    return count, effort


@dataclass(frozen=True)
class Goal:
    """A goal a task may be linked to: `value` is "objective:<id>" or "initiative:<id>"."""

    kind: Literal["objective", "initiative"]
    id: int
    label: str

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class LinkGoals:
    """The goals that make work aligned: the live objectives (tree order, from the cascade) and the
    active initiatives that serve one. An organization has tens of thousands of initiatives: they are
    never all read, only looked up one at a time (`find`) or searched (`alignment.goal_search`)."""

    organization: Organization
    cascade: Cascade
    objectives: list[Goal]

    def find(self, value: str) -> Goal | None:
        """The goal `value` names ("objective:<id>", "initiative:<id>") if it is one of them."""
        kind, _, raw_id = value.partition(":")
        if not raw_id.isdigit():
            return None
        if kind == "objective":
            return next((goal for goal in self.objectives if goal.value == value), None)
        if kind != "initiative":
            return None
        row = (
            Initiative.objects.for_org(self.organization)
            .filter(
                pk=int(raw_id), status=InitiativeStatus.ACTIVE, objective_id__in=sorted(self.cascade.live)
            )
            .values_list("title", "objective_id")
            .first()
        )
        return None if row is None else Goal("initiative", int(raw_id), initiative_label(*row, self.cascade))


def initiative_label(title: str, objective_id: int, cascade: Cascade) -> str:
    return f"{title} (for {cascade.nodes[objective_id].title})"


def link_goals(*, organization: Organization, cascade: Cascade) -> LinkGoals:
    """Live objectives (read with the cascade) and, looked up when asked, the active initiatives of
    live objectives. No query."""
    objectives = [
        Goal("objective", node_id, _objective_label(node_id, cascade))
        for node_id in cascade.order
        if node_id in cascade.live
    ]
    return LinkGoals(organization=organization, cascade=cascade, objectives=objectives)


def _objective_label(node_id: int, cascade: Cascade) -> str:
    node = cascade.nodes[node_id]
    parent = cascade.nodes.get(node.parent_id) if node.parent_id is not None else None
    return node.title if parent is None else f"{node.title} (under {parent.title})"


def team_subtree(team: Team | None) -> frozenset[int] | None:
    """The ids of `team` and every team below it (None: no filter). One query."""
    if team is None:
        return None
    return team_subtree_ids(organization=team.organization_id, team_id=team.pk)


def task_for_link(*, organization: Organization, pk: int) -> Task | None:
    """The task with what its row shows (its links, team and assignee), or None in another organization."""
    return (
        Task.objects.for_org(organization)
        .select_related(
            "initiative", "initiative__objective", "objective", "team", "assignee", "assignee__team"
        )
        .filter(pk=pk)
        .first()
    )
