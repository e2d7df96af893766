"""Why the scores are what they are: the parts (numerators, denominators) and the drivers, as JSON.

Pure functions of a `ScoringResult`; the largest orphan and misaligned tasks come from the fetch
(`task_drivers_fetch`) and only get their reason here.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from scoring.engine.alignment import TaskClass
from scoring.engine.calculate import ScoringResult
from scoring.engine.cascade import ACTIVE
from scoring.engine.inputs import InitiativeDrift, InitiativeNode

DRIVER_LIMIT = 10

Json = dict[str, Any]


def parts_of(result: ScoringResult) -> Json:
    alignment, resources = result.alignment, result.resources
    adaptability, people, signals = result.adaptability, result.people, result.signals
    roots = [
        {
            "objective_id": root,
            "intended_share": result.cascade.intended[root],
            "actual_share": alignment.objectives[root].actual_share,
            "coverage": resources.objectives[root].coverage,
        }
        for root in result.cascade.roots
    ]
    staffing = resources.initiatives.values()
    return {
        "alignment": {
            "tasks_in_scope": alignment.tasks_in_scope,
            **{f"{cls.value}_tasks": alignment.count[cls] for cls in TaskClass},
            **{f"{cls.value}_effort": alignment.effort[cls] for cls in TaskClass},
            "total_effort": alignment.total_effort,
            "effort_without_team": alignment.unassigned_effort,
            "without_team": {
                "aligned_effort": alignment.without_team.aligned_effort,
                "misaligned_effort": alignment.without_team.misaligned_effort,
                "orphan_effort": alignment.without_team.orphan_effort,
                "misaligned_tasks": alignment.without_team.misaligned_tasks,
                "orphan_tasks": alignment.without_team.orphan_tasks,
            },
            "traceability": alignment.traceability,
            "priority_fit": alignment.priority_fit,
            "roots": roots,
        },
        "resources": {
            "active_roots": len(result.cascade.roots),
            "active_initiatives": len(resources.initiatives),
            "demand": sum(item.demand for item in staffing),
            "supply": sum(item.supply for item in staffing),
            "covered": sum(min(item.supply, item.demand) for item in staffing),
            "people_over_capacity": len(resources.over_capacity),
            "people_spread_thin": len(resources.spread_thin),
            "off_strategy_capacity": resources.off_strategy_capacity,
            "roots": roots,
        },
        "adaptability": {
            "tracked_items": len(adaptability.tracked),
            "fresh_items": adaptability.fresh_count,
            "freshness": adaptability.freshness,
            "feedback_due": len(adaptability.due),
            "feedback_answered": len(adaptability.answered),
            "responsiveness": adaptability.responsiveness,
        },
        "people": {
            "tracked_items": people.tracked,
            "owned_items": people.owned,
            "ownership": people.ownership,
            "owners": len(people.owners),
            "owners_checked_in": len(people.owners_checked_in),
            "participation": people.participation,
        },
        "signals": {
            "over_staffed_initiatives": len(signals.over_staffed),
            "total_surplus": signals.total_surplus,
            "over_invested_objectives": len(signals.over_invested),
            "forecast_late_initiatives": len(signals.forecast_late),
            **drift_parts(result),
        },
    }


def drift_parts(result: ScoringResult) -> Json:
    """The staffing drift counted: initiatives and people each way, and the unplanned hours."""
    signals = result.signals
    drift = signals.drift.values()
    return {
        "unplanned_work_initiatives": len(signals.unplanned_work),
        "people_working_without_allocation": sum(item.unallocated_people for item in drift),
        "total_unplanned_effort": signals.total_unplanned_effort,
        "idle_allocation_initiatives": len(signals.idle_allocations),
        "people_allocated_without_work": sum(item.idle_people for item in drift),
        "allocations_without_work": sum(item.idle_allocations for item in drift),
    }


def misaligned_reason(result: ScoringResult, task: Json, initiatives: Mapping[int, InitiativeNode]) -> str:
    """What breaks a linked task's alignment: its initiative, or the first inactive objective above it
    (`initiatives`: the result's, by id)."""
    initiative = initiatives.get(task["initiative_id"]) if task["initiative_id"] is not None else None
    if initiative is not None and initiative.status != ACTIVE:
        return f"initiative {initiative.id} is {initiative.status}"
    objective_id = task["objective_id"] if initiative is None else initiative.objective_id
    cascade = result.cascade
    while objective_id is not None and objective_id in cascade.nodes:
        node = cascade.nodes[objective_id]
        if objective_id not in cascade.active:
            state = node.status if node.status != ACTIVE else f"ended {node.end_date}"
            return f"objective {objective_id} is {state}"
        objective_id = node.parent_id
    return "its objective is not live"


def drivers_of(result: ScoringResult, task_drivers: dict[str, list[Json]]) -> Json:
    cascade, resources = result.cascade, result.resources
    initiatives = {node.id: node for node in result.inputs.initiatives}
    people = {person.id: person for person in result.inputs.people}

    least_covered = heapq.nsmallest(
        DRIVER_LIMIT,
        (item for item in resources.initiatives.values() if item.coverage < 1),
        key=lambda item: (item.coverage, item.supply - item.demand, item.initiative_id),
    )
    over = heapq.nsmallest(
        DRIVER_LIMIT,
        (load for load in resources.loaded.values() if load.over_capacity),
        key=lambda load: (load.capacity - load.load, load.person_id),
    )
    thin = heapq.nsmallest(
        DRIVER_LIMIT,
        (resources.loaded[person_id] for person_id in resources.spread_thin),
        key=lambda load: (-load.allocations, load.person_id),
    )
    stale = heapq.nsmallest(
        DRIVER_LIMIT,
        (item for item in result.adaptability.tracked if not item.fresh),
        key=lambda item: (item.last_check_in is not None, item.last_check_in, item.kind, item.id),
    )
    unanswered = heapq.nsmallest(
        DRIVER_LIMIT,
        (item for item in result.adaptability.due if item.id not in result.adaptability.answered),
        key=lambda item: (item.created_at, item.id),
    )

    def person_load(load: Any) -> Json:
        person = people[load.person_id]
        return {
            "id": load.person_id,
            "name": person.name,
            "team_id": person.team_id,
            "load": load.load,
            "capacity": load.capacity,
            "allocations": load.allocations,
        }

    def title_of(kind: str, item_id: int) -> str:
        return cascade.nodes[item_id].title if kind == "objective" else initiatives[item_id].title

    return {
        "orphan_tasks": task_drivers.get("orphan_tasks", []),
        "misaligned_tasks": [
            {**task, "reason": misaligned_reason(result, task, initiatives)}
            for task in task_drivers.get("misaligned_tasks", [])
        ],
        "least_covered_initiatives": [
            {
                "id": item.initiative_id,
                "title": initiatives[item.initiative_id].title,
                "objective_id": initiatives[item.initiative_id].objective_id,
                "coverage": item.coverage,
                "demand": item.demand,
                "supply": item.supply,
            }
            for item in least_covered
        ],
        "people_over_capacity": [person_load(load) for load in over],
        "people_spread_thin": [person_load(load) for load in thin],
        "stale_items": [
            {
                "kind": item.kind,
                "id": item.id,
                "title": title_of(item.kind, item.id),
                "owner_id": item.owner_id,
                "last_check_in": item.last_check_in.isoformat() if item.last_check_in else None,
            }
            for item in stale
        ],
        "unanswered_feedback": [
            {
                "id": item.id,
                "kind": item.kind,
                "status": item.status,
                "created_at": item.created_at.isoformat(),
                "text": item.text,
            }
            for item in unanswered
        ],
        **signal_drivers(result),
    }


def people_names(result: ScoringResult) -> dict[int, str]:
    """Every person's name by id: read once, then looked up for each initiative's drift lists."""
    return {person.id: person.name for person in result.inputs.people}


def drift_people(item: InitiativeDrift, names: Mapping[int, str]) -> Json:
    """An initiative's drift lists with the people's names (as `InitiativeScore.drift_lists` holds them)."""
    return {
        "unallocated": [
            {
                "id": row.person_id,
                "name": names.get(row.person_id, ""),
                "effort": row.effort,
                "tasks": row.tasks,
            }
            for row in item.unallocated
        ],
        "idle": [
            {
                "id": row.person_id,
                "name": names.get(row.person_id, ""),
                "hours_per_week": row.hours_per_week,
                "allocations": row.allocations,
            }
            for row in item.idle
        ],
    }


def drift_driver_ids(result: ScoringResult) -> list[int]:
    """The initiatives whose drift `drift_drivers` lists by name."""
    signals = result.signals
    return [*signals.unplanned_work[:DRIVER_LIMIT], *signals.idle_allocations[:DRIVER_LIMIT]]


def drift_listed(result: ScoringResult, lists: Mapping[int, InitiativeDrift]) -> ScoringResult:
    """`result` with the drift of some initiatives replaced by the same drift with its people listed
    (where it was counted in the database without them)."""
    drift = {**result.signals.drift, **lists}
    return replace(result, signals=replace(result.signals, drift=drift))


def drift_drivers(result: ScoringResult) -> Json:
    """The initiatives with the most unplanned effort, and with the most hours allocated without work,
    each with its people by name."""
    signals = result.signals
    titles = {node.id: node.title for node in result.inputs.initiatives}
    names = people_names(result)
    unplanned, idle = [], []
    for initiative_id in signals.unplanned_work[:DRIVER_LIMIT]:
        item = signals.drift[initiative_id]
        unplanned.append(
            {
                "id": initiative_id,
                "title": titles[initiative_id],
                "unallocated_people": item.unallocated_people,
                "unplanned_effort": item.unplanned_effort,
                "people": drift_people(item, names)["unallocated"],
            }
        )
    for initiative_id in signals.idle_allocations[:DRIVER_LIMIT]:
        item = signals.drift[initiative_id]
        idle.append(
            {
                "id": initiative_id,
                "title": titles[initiative_id],
                "idle_people": item.idle_people,
                "idle_allocations": item.idle_allocations,
                "idle_hours": item.idle_hours,
                "people": drift_people(item, names)["idle"],
            }
        )
    return {"unplanned_work_initiatives": unplanned, "idle_allocation_initiatives": idle}


def signal_drivers(result: ScoringResult) -> Json:
    """The signals behind "where to act": the most over-staffed initiatives, the most over-invested
    objectives, the initiatives forecast late (soonest end first) and the staffing drift."""
    signals, staffing = result.signals, result.resources.initiatives
    initiatives = {node.id: node for node in result.inputs.initiatives}
    alignment = result.alignment.objectives
    late = heapq.nsmallest(
        DRIVER_LIMIT,
        (initiatives[initiative_id] for initiative_id in signals.forecast_late),
        key=lambda node: (node.end_date, node.id),
    )
    return {
        "over_staffed_initiatives": [
            {
                "id": initiative_id,
                "title": initiatives[initiative_id].title,
                "surplus": signals.surplus[initiative_id],
                "supply": staffing[initiative_id].supply,
                "demand": staffing[initiative_id].demand,
            }
            for initiative_id in signals.over_staffed[:DRIVER_LIMIT]
        ],
        "over_invested_objectives": [
            {
                "id": objective_id,
                "title": result.cascade.nodes[objective_id].title,
                "intended_share": alignment[objective_id].intended_share,
                "actual_share": alignment[objective_id].actual_share,
            }
            for objective_id in signals.over_invested[:DRIVER_LIMIT]
        ],
        "forecast_late_initiatives": [
            {
                "id": node.id,
                "title": node.title,
                "end_date": node.end_date.isoformat() if node.end_date else None,
                "forecast_finish": (finish := signals.forecasts[node.id].finish) and finish.isoformat(),
                "throughput": signals.forecasts[node.id].throughput,
                "remaining": staffing[node.id].remaining,
            }
            for node in late
        ],
        **drift_drivers(result),
    }
