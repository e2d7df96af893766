"""SCORING.md "Resources": demand and supply per active initiative, people's load, coverage.

Hours are hours (demand, supply, remaining) or hours per week (load, capacity, off-strategy capacity).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from scoring.engine.cascade import ACTIVE, Cascade
from scoring.engine.inputs import (
    AllocationRow,
    InitiativeNode,
    Parameters,
    PersonLoad,
    PersonNode,
    Staffing,
    TaskGroup,
)


def days(start: date, end: date) -> int:
    """days([a, b]) = b − a + 1, 0 where b < a."""
    return max(0, (end - start).days + 1)


@dataclass(frozen=True)
class InitiativeStaffing:
    initiative_id: int
    end_date: date  # its end date, or D + H − 1
    days_left: int
    window_days: int  # the window is [D, D + window_days − 1]
    remaining: float
    demand: float
    supply: float

    @property
    def coverage(self) -> float:
        return 1.0 if self.demand == 0 else min(1.0, self.supply / self.demand)


@dataclass(frozen=True)
class ObjectiveCoverage:
    """Over the active initiatives attached to the objective or to any objective below it."""

    initiatives: int
    demand: float
    covered: float

    @property
    def coverage(self) -> float:
        if self.initiatives == 0:
            return 0.0
        return 1.0 if self.demand == 0 else self.covered / self.demand


@dataclass(frozen=True)
class ResourcesResult:
    initiatives: dict[int, InitiativeStaffing]
    objectives: dict[int, ObjectiveCoverage]
    score: float | None
    loaded: dict[int, PersonLoad]  # the people over capacity or spread thin, by id
    spread_thin: tuple[int, ...]
    off_strategy_capacity: float

    @property
    def over_capacity(self) -> tuple[int, ...]:
        return tuple(person_id for person_id, load in self.loaded.items() if load.over_capacity)


def current_allocations(
    allocations: Iterable[AllocationRow],
    active_initiatives: Mapping[int, InitiativeNode],
    parameters: Parameters,
) -> list[AllocationRow]:
    """The allocations counted in load: to active initiatives, overlapping [D, D + H − 1] (an empty
    start started before D; an empty end is open-ended)."""
    as_of, horizon_end = parameters.as_of, parameters.horizon_end
    return [
        allocation
        for allocation in allocations
        if allocation.initiative_id in active_initiatives
        and (allocation.start_date is None or allocation.start_date <= horizon_end)
        and (allocation.end_date is None or allocation.end_date >= as_of)
    ]


def initiative_window(initiative: InitiativeNode, parameters: Parameters) -> tuple[date, int, int]:
    """(end_i, days_left_i, window_i) of SCORING.md."""
    end = initiative.end_date or parameters.horizon_end
    days_left = max(7, days(parameters.as_of, end))
    return end, days_left, min(days_left, parameters.planning_horizon_days)


def people_load(*, people: Iterable[PersonNode], current: Iterable[AllocationRow]) -> dict[int, PersonLoad]:
    """Every person's load and f_p, from the allocations counted in load (`current_allocations`)."""
    load: dict[int, float] = {}
    counted: dict[int, int] = {}
    for allocation in current:
        load[allocation.person_id] = load.get(allocation.person_id, 0.0) + allocation.hours_per_week
        counted[allocation.person_id] = counted.get(allocation.person_id, 0) + 1
    result = {}
    for person in people:
        person_load = load.get(person.id, 0.0)
        capacity = person.weekly_capacity_hours
        if not person.active:
            factor = 0.0
        elif person_load <= capacity:
            factor = 1.0
        else:
            factor = capacity / person_load  # 0 when the capacity is 0
        result[person.id] = PersonLoad(
            person_id=person.id,
            load=person_load,
            capacity=capacity,
            allocations=counted.get(person.id, 0),
            factor=factor,
        )
    return result


def window_end(initiative: InitiativeNode, parameters: Parameters) -> date:
    """The last day of the initiative's window, D + window_i − 1."""
    _, _, window = initiative_window(initiative, parameters)
    return parameters.as_of + timedelta(days=window - 1)


def staffing_calculate(
    *,
    initiatives: Iterable[InitiativeNode],
    people: Iterable[PersonNode],
    allocations: Iterable[AllocationRow],
    parameters: Parameters,
) -> Staffing:
    """`Staffing` summed from the rows: what the fetch sums in the database (`scoring.fetch_staffing`),
    computed here for inputs given as rows (the rules' tests, the reference the database's sums are
    checked against). Each allocation adds hours_per_week × f_p × days(overlap with the window) / 7."""
    active = {node.id: node for node in initiatives if node.status == ACTIVE}
    current = current_allocations(allocations, active, parameters)
    loads = people_load(people=people, current=current)
    supply, factored_hours = supply_sums(current=current, loads=loads, active=active, parameters=parameters)
    return Staffing(supply=supply, factored_hours=factored_hours, loaded=loaded_people(loads, parameters))


def supply_sums(
    *,
    current: Iterable[AllocationRow],
    loads: Mapping[int, PersonLoad],
    active: Mapping[int, InitiativeNode],
    parameters: Parameters,
) -> tuple[dict[int, float], dict[int, float]]:
    """supply_i and Σ hours_per_week × f_p of each initiative of the allocations counted in load
    (`current_allocations`), summed in their order, with the people's f_p from `loads`."""
    as_of = parameters.as_of
    ends = {node_id: window_end(node, parameters) for node_id, node in active.items()}
    supply: dict[int, float] = {}
    factored_hours: dict[int, float] = {}
    for allocation in current:
        initiative_id = allocation.initiative_id
        person = loads.get(allocation.person_id)
        hours = allocation.hours_per_week * (person.factor if person is not None else 0.0)
        start = (
            allocation.start_date
            if allocation.start_date is not None and allocation.start_date > as_of
            else as_of
        )
        end = ends[initiative_id]
        if allocation.end_date is not None and allocation.end_date < end:
            end = allocation.end_date
        overlap = max(0, (end - start).days + 1)  # days([start, end])
        supply[initiative_id] = supply.get(initiative_id, 0.0) + hours * overlap / 7
        factored_hours[initiative_id] = factored_hours.get(initiative_id, 0.0) + hours
    return supply, factored_hours


def loaded_people(loads: Mapping[int, PersonLoad], parameters: Parameters) -> tuple[PersonLoad, ...]:
    """The people that matter on their own: over capacity, or spread thin (more than K allocations)."""
    return tuple(
        load
        for load in loads.values()
        if load.over_capacity or load.allocations > parameters.spread_thin_allocations
    )


def resources_calculate(
    *,
    cascade: Cascade,
    initiatives: Iterable[InitiativeNode],
    staffing: Staffing,
    groups: Iterable[TaskGroup],
    parameters: Parameters,
) -> ResourcesResult:
    active = {node.id: node for node in initiatives if node.status == ACTIVE}
    open_effort: dict[int, float] = {}
    done_effort: dict[int, float] = {}
    for group in groups:
        if group.initiative_id is not None:
            open_effort[group.initiative_id] = open_effort.get(group.initiative_id, 0.0) + group.open_effort
            done_effort[group.initiative_id] = done_effort.get(group.initiative_id, 0.0) + group.done_effort

    off_strategy = sum(
        staffing.factored_hours.get(node_id, 0.0)
        for node_id, node in sorted(active.items())
        if node.objective_id is None or node.objective_id not in cascade.live
    )
    staffed = {}
    for node_id in sorted(active):
        node = active[node_id]
        end, days_left, window = initiative_window(node, parameters)
        remaining = open_effort.get(node_id, 0.0)
        if node.estimate_hours is not None:
            remaining = max(remaining, node.estimate_hours - done_effort.get(node_id, 0.0))
        staffed[node_id] = InitiativeStaffing(
            initiative_id=node_id,
            end_date=end,
            days_left=days_left,
            window_days=window,
            remaining=remaining,
            demand=remaining * window / days_left,
            supply=staffing.supply.get(node_id, 0.0),
        )

    objectives = _objective_coverage(cascade, staffed.values(), active)
    score = None
    if cascade.roots:
        score = 100.0 * sum(cascade.intended[root] * objectives[root].coverage for root in cascade.roots)
    loaded = {load.person_id: load for load in sorted(staffing.loaded, key=lambda load: load.person_id)}
    return ResourcesResult(
        initiatives=staffed,
        objectives=objectives,
        score=score,
        loaded=loaded,
        spread_thin=tuple(
            person_id
            for person_id, load in loaded.items()
            if load.allocations > parameters.spread_thin_allocations
        ),
        off_strategy_capacity=off_strategy,
    )


def _objective_coverage(
    cascade: Cascade, staffing: Iterable[InitiativeStaffing], active: Mapping[int, InitiativeNode]
) -> dict[int, ObjectiveCoverage]:
    count: dict[int, float] = {}
    demand: dict[int, float] = {}
    covered: dict[int, float] = {}
    for item in staffing:
        objective = active[item.initiative_id].objective_id
        if objective is None or objective not in cascade.nodes:
            continue
        count[objective] = count.get(objective, 0.0) + 1
        demand[objective] = demand.get(objective, 0.0) + item.demand
        covered[objective] = covered.get(objective, 0.0) + min(item.supply, item.demand)
    counts = cascade.subtree_sums(count)
    demands = cascade.subtree_sums(demand)
    covereds = cascade.subtree_sums(covered)
    return {
        node_id: ObjectiveCoverage(
            initiatives=round(counts[node_id]), demand=demands[node_id], covered=covereds[node_id]
        )
        for node_id in cascade.order
    }
