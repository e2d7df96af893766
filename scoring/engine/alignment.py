"""SCORING.md "Alignment": task classes, traceability, priority fit, shares, team scores.

Works on `TaskGroup` aggregates (every task of a group has the same class, since the class depends
only on the task's objective and initiative) and on `TeamEffort` sums for the team scores.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scoring.engine.cascade import ACTIVE, Cascade, subtree_sums
from scoring.engine.inputs import InitiativeNode, TaskGroup, TeamEffort, TeamNode


class TaskClass(enum.StrEnum):
    ALIGNED = "aligned"
    MISALIGNED = "misaligned"
    ORPHAN = "orphan"


def resolved_objective(group: TaskGroup, initiatives: Mapping[int, InitiativeNode]) -> int | None:
    """`task.objective`, else `task.initiative.objective`, else none."""
    if group.objective_id is not None:
        return group.objective_id
    if group.initiative_id is not None and group.initiative_id in initiatives:
        return initiatives[group.initiative_id].objective_id
    return None


def task_class(group: TaskGroup, cascade: Cascade, initiatives: Mapping[int, InitiativeNode]) -> TaskClass:
    objective = resolved_objective(group, initiatives)
    if objective is None:
        return TaskClass.ORPHAN
    initiative = initiatives.get(group.initiative_id) if group.initiative_id is not None else None
    initiative_ok = group.initiative_id is None or (initiative is not None and initiative.status == ACTIVE)
    return TaskClass.ALIGNED if objective in cascade.live and initiative_ok else TaskClass.MISALIGNED


@dataclass(frozen=True)
class ObjectiveAlignment:
    """Efforts (hours) of the tasks in scope resolving into the objective's subtree."""

    aligned_effort: float
    misaligned_effort: float
    intended_share: float
    actual_share: float | None

    @property
    def total_effort(self) -> float:
        return self.aligned_effort + self.misaligned_effort

    @property
    def share_gap(self) -> float | None:
        return None if self.actual_share is None else self.actual_share - self.intended_share


@dataclass(frozen=True)
class TeamAlignment:
    """Efforts (hours) in scope of the team and every team below it, with how many tasks are orphan
    and misaligned; score = 100 × T (None: no effort)."""

    aligned_effort: float
    total_effort: float
    orphan_effort: float = 0.0
    orphan_tasks: int = 0
    misaligned_tasks: int = 0

    @property
    def misaligned_effort(self) -> float:
        return max(0.0, self.total_effort - self.aligned_effort - self.orphan_effort)

    @property
    def score(self) -> float | None:
        return None if self.total_effort <= 0 else 100.0 * self.aligned_effort / self.total_effort


@dataclass(frozen=True)
class AlignmentResult:
    effort: dict[TaskClass, float]
    count: dict[TaskClass, int]
    traceability: float | None
    priority_fit: float | None
    score: float | None
    objectives: dict[int, ObjectiveAlignment]
    teams: dict[int, TeamAlignment]
    without_team: TeamAlignment  # the tasks in scope with no team at all

    @property
    def unassigned_effort(self) -> float:
        return self.without_team.total_effort

    @property
    def total_effort(self) -> float:
        return sum(self.effort.values())

    @property
    def tasks_in_scope(self) -> int:
        return sum(self.count.values())


def alignment_calculate(
    *,
    cascade: Cascade,
    initiatives: Mapping[int, InitiativeNode],
    teams: Iterable[TeamNode],
    groups: Iterable[TaskGroup],
    team_efforts: Iterable[TeamEffort],
) -> AlignmentResult:
    effort = dict.fromkeys(TaskClass, 0.0)
    count = dict.fromkeys(TaskClass, 0)
    objective_own: dict[TaskClass, dict[int, float]] = {TaskClass.ALIGNED: {}, TaskClass.MISALIGNED: {}}
    for group in groups:
        if group.scope_count == 0:
            continue
        cls = task_class(group, cascade, initiatives)
        hours = group.scope_effort
        effort[cls] += hours
        count[cls] += group.scope_count
        objective = resolved_objective(group, initiatives)
        if objective is not None and objective in cascade.nodes:
            own = objective_own[cls]
            own[objective] = own.get(objective, 0.0) + hours

    aligned_total = effort[TaskClass.ALIGNED]
    total = sum(effort.values())
    traceability = aligned_total / total if total > 0 else None

    aligned_subtree = cascade.subtree_sums(objective_own[TaskClass.ALIGNED])
    misaligned_subtree = cascade.subtree_sums(objective_own[TaskClass.MISALIGNED])
    objectives = {
        node_id: ObjectiveAlignment(
            aligned_effort=aligned_subtree[node_id],
            misaligned_effort=misaligned_subtree[node_id],
            intended_share=cascade.intended[node_id],
            actual_share=aligned_subtree[node_id] / aligned_total if aligned_total > 0 else None,
        )
        for node_id in cascade.order
    }

    priority_fit = None
    if cascade.roots and aligned_total > 0:
        gap = sum(
            abs((objectives[root].actual_share or 0.0) - objectives[root].intended_share)
            for root in cascade.roots
        )
        priority_fit = 1.0 - gap / 2.0

    if sum(count.values()) == 0 or traceability is None:
        score = None
    elif traceability == 0:
        score = 0.0
    else:
        score = 100.0 * traceability * (priority_fit if priority_fit is not None else 0.0)

    team_own: dict[str, dict[int, float]] = {name: {} for name in TEAM_SUMS}
    without_team = dict.fromkeys(TEAM_SUMS, 0.0)
    for row in team_efforts:
        for name in TEAM_SUMS:
            value = float(getattr(row, name))
            if row.team_id is None:
                without_team[name] += value
            else:
                sums = team_own[name]
                sums[row.team_id] = sums.get(row.team_id, 0.0) + value
    team_list = list(teams)
    by_team = {name: subtree_sums(team_list, sums) for name, sums in team_own.items()}
    return AlignmentResult(
        effort=effort,
        count=count,
        traceability=traceability,
        priority_fit=priority_fit,
        score=score,
        objectives=objectives,
        teams={
            team.id: _team_alignment({name: by_team[name][team.id] for name in TEAM_SUMS})
            for team in sorted(team_list, key=lambda team: team.id)
        },
        without_team=_team_alignment(without_team),
    )


# The sums of `TeamEffort` that roll up the team tree.
TEAM_SUMS = ("aligned_effort", "total_effort", "orphan_effort", "orphan_tasks", "misaligned_tasks")


def _team_alignment(sums: Mapping[str, float]) -> TeamAlignment:
    return TeamAlignment(
        aligned_effort=sums["aligned_effort"],
        total_effort=sums["total_effort"],
        orphan_effort=sums["orphan_effort"],
        orphan_tasks=round(sums["orphan_tasks"]),
        misaligned_tasks=round(sums["misaligned_tasks"]),
    )
