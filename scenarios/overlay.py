"""A scenario's plan edits laid over the scoring inputs of the live plan: the inputs as they would be.

The calculation is the engine's own (`scores_calculate`): only its inputs change. The plan's nodes
(objectives, initiatives, people) and the allocation rows are replaced where the scenario changes
them. Tasks are only ever sums: a relink moves each relinked task's effort from its old link's sums
to its new one's, and where a change re-classes a link (an objective no longer live, an initiative
no longer active) the tasks behind that link are re-read per team from the kept tallies and moved
between the aligned, misaligned and orphan sums. Sums are moved as exact decimals, so that the
numbers equal those of a recompute after applying the scenario, not only come close to them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from objectives.models import OPEN_TASK_STATUSES, Initiative, InitiativeStatus, Objective, Task, TaskStatus
from resources.models import Allocation, Person
from scenarios.edits import PlanEdits
from scoring.engine.alignment import TaskClass, task_class
from scoring.engine.cascade import Cascade, cascade_build
from scoring.engine.drift import drift_calculate
from scoring.engine.inputs import (
    AllocationRow,
    AssigneeWork,
    DriftFacts,
    InitiativeNode,
    ObjectiveNode,
    PersonNode,
    ScoringInputs,
    TaskGroup,
    TeamEffort,
)
from scoring.fetch_drift import assignee_work_fetch
from scoring.fetch_tallies import link_team_sums_fetch
from scoring.sql import rows_of

# Ids for the allocations a scenario adds: above any real id, as the rows applying it will get.
NEW_ALLOCATION_IDS = 10**15
Link = tuple[int | None, int | None]  # (objective link, initiative link)


def _exact(value: float) -> Decimal:
    """The decimal a sum of hours was before the fetch made it a float (they have few digits)."""
    return Decimal(repr(value))


def _nodes_overlay(inputs: ScoringInputs, edits: PlanEdits) -> ScoringInputs:
    objectives, initiatives, people = (
        edits.changed(Objective),
        edits.changed(Initiative),
        edits.changed(Person),
    )

    def objective(node: ObjectiveNode) -> ObjectiveNode:
        row = objectives.get(node.id)
        if row is None:
            return node
        return replace(node, status=row.status, priority_weight=float(row.priority_weight))

    def initiative(node: InitiativeNode) -> InitiativeNode:
        row = initiatives.get(node.id)
        if row is None:
            return node
        estimate = None if row.estimate_hours is None else float(row.estimate_hours)
        return replace(node, status=row.status, end_date=row.end_date, estimate_hours=estimate)

    def person(node: PersonNode) -> PersonNode:
        row = people.get(node.id)
        return node if row is None else replace(node, weekly_capacity_hours=float(row.weekly_capacity_hours))

    return replace(
        inputs,
        objectives=tuple(objective(node) for node in inputs.objectives),
        initiatives=tuple(initiative(node) for node in inputs.initiatives),
        people=tuple(person(node) for node in inputs.people),
    )


def _row(allocation: Allocation, pk: int) -> AllocationRow:
    """An allocation as the fetch reads it; one the scenario adds is created today, when applied."""
    created = (allocation.created_at or timezone.now()).astimezone(UTC).date()
    return AllocationRow(
        pk,
        allocation.person_id,
        allocation.initiative_id,
        float(allocation.hours_per_week),
        allocation.start_date,
        allocation.end_date,
        allocation.start_date or created,
    )


def _allocations_overlay(
    organization_id: int, inputs: ScoringInputs, scenario: ScoringInputs, edits: PlanEdits
) -> tuple[AllocationRow, ...]:
    """The allocation rows as they would be: the counted ones, those of the initiatives the scenario
    makes active, each changed one as changed, without the deleted ones, with the added ones."""
    rows = {row.id: row for row in inputs.allocations}
    activated = sorted(
        node.id
        for node in scenario.initiatives
        if node.status == InitiativeStatus.ACTIVE and node.id in edits.changed(Initiative)
    )
    if activated:
        # Allocations to them that overlap [D, D + H − 1]: counted once the initiative is active.
        horizon_end, as_of = inputs.parameters.horizon_end, inputs.parameters.as_of
        overlapping = (
            Allocation.objects.for_org(organization_id)
            .filter(initiative_id__in=activated)
            .filter(Q(start_date__isnull=True) | Q(start_date__lte=horizon_end))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))
            .order_by("pk")
        )
        for allocation in overlapping:
            rows[allocation.pk] = _row(allocation, allocation.pk)
    for pk, allocation in edits.changed(Allocation).items():
        if allocation is None:
            rows.pop(pk, None)
        else:
            rows[pk] = _row(allocation, pk)
    for offset, allocation in enumerate(edits.created):
        rows[NEW_ALLOCATION_IDS + offset] = _row(allocation, NEW_ALLOCATION_IDS + offset)
    return tuple(rows.values())


@dataclass(frozen=True)
class _TaskFacts:
    """One relinked task, as the tallies count it."""

    link: Link  # before the relink
    team_id: int | None  # its effective team
    assignee_id: int | None
    status: str
    effort: Decimal  # its estimate, else E
    recent: bool  # done in the activity window [D − W + 1, D]

    @property
    def in_scope(self) -> bool:
        return self.status in OPEN_TASK_STATUSES or self.recent


def _relinked_facts(organization_id: int, inputs: ScoringInputs, edits: PlanEdits) -> dict[int, _TaskFacts]:
    """The relinked tasks that count anywhere (cancelled ones are in no sum)."""
    if not edits.task_links:
        return {}
    parameters = inputs.parameters
    default = Decimal(str(parameters.default_task_effort_hours))
    tasks = (
        Task.objects.for_org(organization_id)
        .filter(pk__in=sorted(edits.task_links))
        .exclude(status=TaskStatus.CANCELLED)
        .order_by("pk")
        .values_list(
            "pk",
            "objective_id",
            "initiative_id",
            "team_id",
            "assignee_id",
            "assignee__team_id",
            "status",
            "effort_hours",
            "completed_at",
        )
    )
    facts = {}
    for pk, objective, initiative, team, assignee, assignee_team, status, effort, completed in rows_of(tasks):
        done_day = completed.date() if completed is not None and status == TaskStatus.DONE else None
        facts[pk] = _TaskFacts(
            link=(objective, initiative),
            team_id=team or assignee_team,
            assignee_id=assignee,
            status=status,
            effort=default if effort is None else Decimal(effort),
            recent=done_day is not None and parameters.activity_start <= done_day <= parameters.as_of,
        )
    return facts


def _groups_overlay(
    groups: Iterable[TaskGroup], facts: Mapping[int, _TaskFacts], links: Mapping[int, Link]
) -> tuple[TaskGroup, ...]:
    """Each relinked task's effort taken from its old link's group and added to its new link's."""
    sums: dict[Link, dict[str, Decimal]] = {}
    for group in groups:
        sums[(group.objective_id, group.initiative_id)] = {
            "open_effort": _exact(group.open_effort), "open_count": Decimal(group.open_count),
            "recent_done_effort": _exact(group.recent_done_effort),
            "recent_done_count": Decimal(group.recent_done_count),
            "done_effort": _exact(group.done_effort), "done_count": Decimal(group.done_count),
        }  # fmt: skip
    empty = dict.fromkeys(
        ("open_effort", "open_count", "recent_done_effort", "recent_done_count", "done_effort", "done_count"),
        Decimal(0),
    )
    for pk, task in facts.items():
        for link, sign in ((task.link, -1), (links[pk], 1)):
            row = sums.setdefault(link, dict(empty))
            kind = "open" if task.status in OPEN_TASK_STATUSES else "done"
            row[f"{kind}_effort"] += sign * task.effort
            row[f"{kind}_count"] += sign
            if task.recent:
                row["recent_done_effort"] += sign * task.effort
                row["recent_done_count"] += sign
    return tuple(
        TaskGroup(
            objective_id=objective,
            initiative_id=initiative,
            open_effort=float(row["open_effort"]),
            open_count=int(row["open_count"]),
            recent_done_effort=float(row["recent_done_effort"]),
            recent_done_count=int(row["recent_done_count"]),
            done_effort=float(row["done_effort"]),
            done_count=int(row["done_count"]),
        )
        for (objective, initiative), row in sums.items()
        if row["open_count"] or row["done_count"]
    )


def _reclassed_links(
    before: tuple[Cascade, Mapping[int, InitiativeNode]], after: tuple[Cascade, Mapping[int, InitiativeNode]]
) -> tuple[set[int], set[int]]:
    """The objective links and initiative links whose tasks change class between the two plans."""
    objectives = set(before[0].live ^ after[0].live)
    initiatives = {
        pk
        for pk in before[1]
        if task_class(TaskGroup(None, pk), *before) != task_class(TaskGroup(None, pk), *after)
    }
    return objectives, initiatives


def _team_efforts_overlay(
    organization_id: int,
    inputs: ScoringInputs,
    scenario: ScoringInputs,
    facts: Mapping[int, _TaskFacts],
    links: Mapping[int, Link],
) -> tuple[TeamEffort, ...]:
    """Each team's aligned, misaligned and orphan sums with the tasks the scenario re-classes moved."""
    parameters = inputs.parameters
    before = (
        cascade_build(inputs.objectives, parameters.as_of),
        {node.id: node for node in inputs.initiatives},
    )
    after = (
        cascade_build(scenario.objectives, parameters.as_of),
        {node.id: node for node in scenario.initiatives},
    )
    objective_links, initiative_links = _reclassed_links(before, after)
    relinked = [(task, links[pk]) for pk, task in facts.items() if task.in_scope]
    for task, new_link in relinked:
        for objective, initiative in (task.link, new_link):
            if initiative is not None:
                initiative_links.add(initiative)
            elif objective is not None:
                objective_links.add(objective)
    # (team, link, tasks, effort) before, and after the relinks; each counted in its class.
    items_before = [
        (team, (objective, initiative), tasks, effort)
        for team, objective, initiative, tasks, effort in link_team_sums_fetch(
            organization_id=organization_id,
            parameters=parameters,
            objective_links=frozenset(objective_links),
            initiative_links=frozenset(initiative_links),
        )
    ]
    items_after = list(items_before)
    items_after += [(task.team_id, task.link, -1, -task.effort) for task, _ in relinked]
    items_after += [(task.team_id, link, 1, task.effort) for task, link in relinked]
    delta: dict[int | None, dict[TaskClass, list[Decimal]]] = defaultdict(
        lambda: {kind: [Decimal(0), Decimal(0)] for kind in TaskClass}
    )
    for items, plan, sign in ((items_before, before, -1), (items_after, after, 1)):
        for team, (objective, initiative), tasks, effort in items:
            kind = task_class(TaskGroup(objective, initiative), *plan)
            delta[team][kind][0] += sign * tasks
            delta[team][kind][1] += sign * effort
    result = []
    for row in inputs.team_efforts:
        change = delta.get(row.team_id)
        if change is None:
            result.append(row)
            continue
        result.append(
            replace(
                row,
                aligned_effort=float(_exact(row.aligned_effort) + change[TaskClass.ALIGNED][1]),
                orphan_effort=float(_exact(row.orphan_effort) + change[TaskClass.ORPHAN][1]),
                orphan_tasks=row.orphan_tasks + int(change[TaskClass.ORPHAN][0]),
                misaligned_tasks=row.misaligned_tasks + int(change[TaskClass.MISALIGNED][0]),
            )
        )
    return tuple(result)


def _touched_initiatives(inputs: ScoringInputs, scenario: ScoringInputs, edits: PlanEdits) -> set[int]:
    """The initiatives whose staffing drift a scenario may move: those it changes, those of the
    allocations it changes, ends or adds, and the old and new initiatives of the tasks it relinks."""
    before = {row.id: row.initiative_id for row in inputs.allocations}
    after = {row.id: row.initiative_id for row in scenario.allocations}
    touched = set(edits.changed(Initiative))
    touched |= {before[pk] for pk in before.keys() ^ after.keys() if pk in before}
    touched |= {after[pk] for pk in before.keys() ^ after.keys() if pk in after}
    touched |= {row.initiative_id for row in edits.changed(Allocation).values() if row is not None}
    touched |= {edits.originals[(Allocation, pk)].initiative_id for pk in edits.changed(Allocation)}
    for pk, (_, initiative) in edits.task_links.items():
        for linked in (initiative, edits.task_links_before[pk][1]):
            if linked is not None:
                touched.add(linked)
    return touched


def _drift_overlay(
    organization_id: int,
    inputs: ScoringInputs,
    scenario: ScoringInputs,
    edits: PlanEdits,
    facts: Mapping[int, _TaskFacts],
) -> tuple[DriftFacts, DriftFacts, frozenset[int]]:
    """The staffing drift of the initiatives the scenario touches, before and after: computed from
    their work per assignee (read from the assignee tallies; after, with the relinked tasks moved)
    and the live plan's or the scenario's allocations. No other initiative's drift can move: neither
    side reads it (the organization's whole drift is a recompute's, not an evaluation's)."""
    touched = frozenset(_touched_initiatives(inputs, scenario, edits))
    if not touched:
        return DriftFacts(), DriftFacts(), touched
    work: dict[tuple[int, int], list[Decimal]] = {
        (row.initiative_id, row.person_id): [_exact(row.effort), Decimal(row.tasks)]
        for row in assignee_work_fetch(
            organization_id=organization_id, parameters=inputs.parameters, initiative_ids=sorted(touched)
        )
    }
    before = _drift_of(inputs, touched, work)
    for pk, task in facts.items():
        if task.assignee_id is None or not task.in_scope:
            continue
        for initiative, sign in ((task.link[1], -1), (edits.task_links[pk][1], 1)):
            if initiative is not None:
                row = work.setdefault((initiative, task.assignee_id), [Decimal(0), Decimal(0)])
                row[0] += sign * task.effort
                row[1] += sign
    return before, _drift_of(scenario, touched, work), touched


def _drift_of(
    inputs: ScoringInputs, touched: frozenset[int], work: Mapping[tuple[int, int], list[Decimal]]
) -> DriftFacts:
    return DriftFacts(
        initiatives=drift_calculate(
            initiatives=[node for node in inputs.initiatives if node.id in touched],
            people=inputs.people,
            allocations=[row for row in inputs.allocations if row.initiative_id in touched],
            work=[
                AssigneeWork(
                    initiative_id=initiative, person_id=person, effort=float(effort), tasks=int(tasks)
                )
                for (initiative, person), (effort, tasks) in sorted(work.items())
                if tasks
            ],
            parameters=inputs.parameters,
        )
    )


@dataclass(frozen=True)
class Overlaid:
    """The live plan's inputs and the scenario's, each with the drift of the initiatives it touches."""

    baseline: ScoringInputs
    scenario: ScoringInputs
    touched: frozenset[int]  # the initiatives whose staffing drift both sides hold


def scenario_inputs(*, organization_id: int, inputs: ScoringInputs, edits: PlanEdits) -> Overlaid:
    """The live plan's inputs (`InputSource.TALLIES_AND_ALLOCATIONS`) with the scenario's edits laid over
    them: what `scores_calculate` would be given after applying the scenario."""
    scenario = _nodes_overlay(inputs, edits)
    facts = _relinked_facts(organization_id, inputs, edits)
    scenario = replace(scenario, allocations=_allocations_overlay(organization_id, inputs, scenario, edits))
    before, after, touched = _drift_overlay(organization_id, inputs, scenario, edits, facts)
    scenario = replace(
        scenario,
        task_groups=_groups_overlay(inputs.task_groups, facts, edits.task_links),
        team_efforts=_team_efforts_overlay(organization_id, inputs, scenario, facts, edits.task_links),
        drift=after,
    )
    return Overlaid(baseline=replace(inputs, drift=before), scenario=scenario, touched=touched)
