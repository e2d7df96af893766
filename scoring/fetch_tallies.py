"""The task sums of the fetch, read from the kept task tallies instead of the tasks (`objectives.tallies`).

Two queries whatever the number of tasks: the open and done tallies of the organization (a row per
link × effective team, not per task), and the done-by-day tallies of the activity window (an index
range). They give exactly the sums that `scoring.fetch_tasks` counts from the tasks: efforts are
summed as decimals (effort_hours plus E for each task without an estimate) and turned into floats
only at the end, as the database's own SUM would.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from objectives.models import InitiativeStatus, TaskTally
from scoring.engine.inputs import InitiativeNode, Parameters, TaskGroup, TeamEffort

ACTIVE = str(InitiativeStatus.ACTIVE)


@dataclass
class _Sum:
    count: int = 0
    effort: Decimal = field(default_factory=Decimal)

    def add(self, tasks: int, effort: Decimal) -> None:
        self.count += tasks
        self.effort += effort


@dataclass
class _Group:
    open: _Sum = field(default_factory=_Sum)
    recent: _Sum = field(default_factory=_Sum)
    done: _Sum = field(default_factory=_Sum)


def task_sums_fetch(
    *,
    organization_id: int,
    parameters: Parameters,
    initiatives: Iterable[InitiativeNode],
    live_objective_ids: frozenset[int],
) -> tuple[tuple[TaskGroup, ...], tuple[TeamEffort, ...]]:
    """The task groups (per objective link × initiative link) and team efforts (per effective team)."""
    default_effort = Decimal(str(parameters.default_task_effort_hours))
    tallies = TaskTally.objects.for_org(organization_id).order_by()
    kept = tallies.filter(kind__in=("open", "done")).values_list(
        "objective_id", "initiative_id", "team_id", "kind", "tasks", "effort", "unestimated"
    )
    window = (
        tallies.filter(kind="day", day__gte=parameters.activity_start, day__lte=parameters.as_of)
        .values("objective_id", "initiative_id", "team_id")
        .annotate(sum_tasks=Sum("tasks"), sum_effort=Sum("effort"), sum_unestimated=Sum("unestimated"))
        .values_list("objective_id", "initiative_id", "team_id", "sum_tasks", "sum_effort", "sum_unestimated")
    )

    groups: dict[tuple[int, int], _Group] = defaultdict(_Group)
    in_scope: dict[tuple[int, int, int], _Sum] = defaultdict(_Sum)
    for objective, initiative, team, kind, tasks, effort, unestimated in kept:
        if not tasks:
            continue
        total = effort + unestimated * default_effort
        group = groups[objective, initiative]
        (group.open if kind == "open" else group.done).add(tasks, total)
        if kind == "open":
            in_scope[objective, initiative, team].add(tasks, total)
    for objective, initiative, team, tasks, effort, unestimated in window:
        if not tasks:
            continue
        total = effort + unestimated * default_effort
        groups[objective, initiative].recent.add(tasks, total)
        in_scope[objective, initiative, team].add(tasks, total)

    task_groups = tuple(
        TaskGroup(
            objective_id=objective or None,
            initiative_id=initiative or None,
            open_effort=float(group.open.effort),
            open_count=group.open.count,
            recent_done_effort=float(group.recent.effort),
            recent_done_count=group.recent.count,
            done_effort=float(group.done.effort),
            done_count=group.done.count,
        )
        for (objective, initiative), group in sorted(groups.items())
        if group.open.count or group.done.count
    )
    return task_groups, _team_efforts(in_scope, initiatives, live_objective_ids)


def _team_efforts(
    in_scope: dict[tuple[int, int, int], _Sum],
    initiatives: Iterable[InitiativeNode],
    live_objective_ids: frozenset[int],
) -> tuple[TeamEffort, ...]:
    """SCORING.md's aligned test on each (link, team) sum: a live chain, no initiative or an active one."""
    initiative_of = {node.id: node for node in initiatives}
    totals: dict[int, Decimal] = defaultdict(Decimal)
    aligned: dict[int, Decimal] = defaultdict(Decimal)
    for (objective, initiative, team), tasks in in_scope.items():
        if not tasks.count:
            continue
        node = initiative_of.get(initiative) if initiative else None
        resolved = objective or (node.objective_id if node else None)
        totals[team] += tasks.effort
        if resolved in live_objective_ids and (node is None or node.status == ACTIVE):
            aligned[team] += tasks.effort
    return tuple(
        TeamEffort(team_id=team or None, aligned_effort=float(aligned[team]), total_effort=float(total))
        for team, total in sorted(totals.items())
    )
