"""SCORING.md "Signals beyond the scores": staffing drift, where the allocations and the work part ways.

For an active initiative i at D, with the allocations counted in load (to active initiatives,
overlapping [D, D + H − 1]):
- *working without allocation*: the active people assigned an open task of i, or a task of i done in
  [D − W + 1, D], with no counted allocation to i; their unplanned effort is those tasks' effort;
- *allocated without work*: the people with a counted allocation to i that began (its start date,
  else the day it was created) at least 14 days before D, assigned no such task of i.

A pure function of rows: the work per (initiative, person) pair (`AssigneeWork`), the allocations and
the people. Given the rows of some initiatives only, it computes the drift of those alone (what a
scenario recomputes for the initiatives it touches). The fetch computes the same in the database
for a whole organization (`scoring.fetch_drift`); efforts and hours are rounded to the hundredth in
both, so that the two agree exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import timedelta

from scoring.engine.cascade import ACTIVE
from scoring.engine.inputs import (
    AllocationRow,
    AssigneeWork,
    IdleAllocation,
    InitiativeDrift,
    InitiativeNode,
    Parameters,
    PersonNode,
    UnallocatedWorker,
)
from scoring.engine.resources import current_allocations

DRIFT_LIMIT = 10  # people listed per initiative and kind
IDLE_AFTER_DAYS = 14  # an allocation without work counts once it began this many days before D


def hundredths(hours: float) -> float:
    """Hours to the hundredth (efforts and hours per week are kept so)."""
    return round(hours, 2)


def drift_calculate(
    *,
    initiatives: Iterable[InitiativeNode],
    people: Iterable[PersonNode],
    allocations: Iterable[AllocationRow],
    work: Iterable[AssigneeWork],
    parameters: Parameters,
    limit: int = DRIFT_LIMIT,
) -> dict[int, InitiativeDrift]:
    """The staffing drift of each active initiative of `initiatives` that has any (the others are left
    out). `allocations` may hold any allocations (only those counted at D are read) and `work` any
    pairs (only those of these initiatives are read); an allocation's `began` falls back to its
    start date, and with neither it began long before D."""
    active = {node.id: node for node in initiatives if node.status == ACTIVE}
    counted = current_allocations(allocations, active, parameters)
    working_people = {person.id for person in people if person.active}
    efforts: dict[tuple[int, int], list[float]] = {}
    tasks: dict[tuple[int, int], int] = {}
    for row in work:
        if row.initiative_id in active and row.tasks > 0:
            pair = (row.initiative_id, row.person_id)
            efforts.setdefault(pair, []).append(row.effort)
            tasks[pair] = tasks.get(pair, 0) + row.tasks
    allocated = {(allocation.initiative_id, allocation.person_id) for allocation in counted}

    unallocated: dict[int, list[UnallocatedWorker]] = {}
    for pair in sorted(efforts):
        initiative_id, person_id = pair
        if person_id in working_people and pair not in allocated:
            worker = UnallocatedWorker(person_id, hundredths(math.fsum(efforts[pair])), tasks[pair])
            unallocated.setdefault(initiative_id, []).append(worker)

    began_by = parameters.as_of - timedelta(days=IDLE_AFTER_DAYS)
    idle_hours: dict[tuple[int, int], list[float]] = {}
    for allocation in counted:
        pair = (allocation.initiative_id, allocation.person_id)
        began = allocation.began or allocation.start_date
        if pair not in efforts and (began is None or began <= began_by):
            idle_hours.setdefault(pair, []).append(allocation.hours_per_week)
    idle: dict[int, list[IdleAllocation]] = {}
    for pair in sorted(idle_hours):
        hours = idle_hours[pair]
        idle.setdefault(pair[0], []).append(IdleAllocation(pair[1], hundredths(math.fsum(hours)), len(hours)))

    result = {}
    for initiative_id in sorted(unallocated.keys() | idle.keys()):
        workers = sorted(unallocated.get(initiative_id, []), key=lambda row: (-row.effort, row.person_id))
        allocated_idle = sorted(
            idle.get(initiative_id, []), key=lambda row: (-row.hours_per_week, row.person_id)
        )
        result[initiative_id] = InitiativeDrift(
            initiative_id=initiative_id,
            unallocated_people=len(workers),
            unplanned_effort=hundredths(math.fsum(row.effort for row in workers)),
            idle_people=len(allocated_idle),
            idle_allocations=sum(row.allocations for row in allocated_idle),
            idle_hours=hundredths(
                math.fsum(
                    hours for row in allocated_idle for hours in idle_hours[(initiative_id, row.person_id)]
                )
            ),
            unallocated=tuple(workers[:limit]),
            idle=tuple(allocated_idle[:limit]),
        )
    return result
