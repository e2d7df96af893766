"""Both sides' staffing of an evaluation: the live plan's summed from its rows, the scenario's from it.

Summing the staffing from the allocation rows (`staffing_calculate`) is the largest part of evaluating a
scenario in a large organization: a hundred thousand rows, twice. A scenario changes few of them, so
its staffing is the live plan's with only what its changes touch summed again:
- the load and f_p of each person it touches: their capacity or their being active changed, or one of
  their allocations is counted differently (moved, resized, added, deleted, or its initiative made
  active or not);
- the supply of each initiative it touches: its own node changed (its status, its window), one of its
  allocations is counted differently, or one of them is a touched person's.

Everything else is the same terms in the same order on both sides. The touched ones are summed by the
engine's own `people_load` and `supply_sums` from the same rows in the same order as
`staffing_calculate` sums them (the allocations by id, as `canonical` orders them): the very same
floats as summing the scenario whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.engine.cascade import ACTIVE
from scoring.engine.inputs import AllocationRow, InitiativeNode, PersonNode, ScoringInputs, Staffing
from scoring.engine.resources import current_allocations, loaded_people, people_load, supply_sums


@dataclass(frozen=True)
class _Counted:
    """One side's people and active initiatives, and its allocations counted in load, in the order
    the calculation reads them (by id)."""

    people: tuple[PersonNode, ...]
    initiatives: dict[int, InitiativeNode]
    active: dict[int, InitiativeNode]
    current: list[AllocationRow]


def _counted(inputs: ScoringInputs) -> _Counted:
    initiatives = {node.id: node for node in sorted(inputs.initiatives, key=lambda node: node.id)}
    active = {node_id: node for node_id, node in initiatives.items() if node.status == ACTIVE}
    allocations = sorted(inputs.allocations, key=lambda row: row.id)
    return _Counted(
        people=tuple(sorted(inputs.people, key=lambda node: node.id)),
        initiatives=initiatives,
        active=active,
        current=current_allocations(allocations, active, inputs.parameters),
    )


def _counted_differently(before: list[AllocationRow], after: list[AllocationRow]) -> list[AllocationRow]:
    """The rows of the allocations counted on one side only, or counted differently: each side's. The
    overlay keeps the rows it does not change (the same objects), so most compare by identity."""
    after_by_id = {row.id: row for row in after}
    moved = []
    for row in before:
        other = after_by_id.pop(row.id, None)
        if other is not row and other != row:
            moved.append(row)
            if other is not None:
                moved.append(other)
    return [*moved, *after_by_id.values()]


def staffing_pair(baseline: ScoringInputs, scenario: ScoringInputs) -> tuple[Staffing, Staffing]:
    """The staffing of the live plan's inputs and of the scenario's (the same D and parameters), each
    equal to `staffing_calculate` of its side."""
    parameters = baseline.parameters
    before, after = _counted(baseline), _counted(scenario)
    loads = people_load(people=before.people, current=before.current)
    supply, factored = supply_sums(
        current=before.current, loads=loads, active=before.active, parameters=parameters
    )
    live = Staffing(supply=supply, factored_hours=factored, loaded=loaded_people(loads, parameters))

    moved = _counted_differently(before.current, after.current)
    people_before = {node.id: node for node in before.people}
    people = {node.id for node in after.people if people_before.get(node.id) != node}
    people |= {row.person_id for row in moved}
    scenario_loads = dict(loads)  # the same people, in the same order
    scenario_loads.update(
        people_load(
            people=[node for node in after.people if node.id in people],
            current=[row for row in after.current if row.person_id in people],
        )
    )

    initiatives = {
        node_id for node_id, node in after.initiatives.items() if before.initiatives.get(node_id) != node
    }
    initiatives |= {row.initiative_id for row in moved}
    initiatives |= {row.initiative_id for row in after.current if row.person_id in people}
    resummed_supply, resummed_factored = supply_sums(
        current=[row for row in after.current if row.initiative_id in initiatives],
        loads=scenario_loads,
        active={node_id: node for node_id, node in after.active.items() if node_id in initiatives},
        parameters=parameters,
    )
    return live, Staffing(
        supply={
            **{node_id: hours for node_id, hours in supply.items() if node_id not in initiatives},
            **resummed_supply,
        },
        factored_hours={
            **{node_id: hours for node_id, hours in factored.items() if node_id not in initiatives},
            **resummed_factored,
        },
        loaded=loaded_people(scenario_loads, parameters),
    )
