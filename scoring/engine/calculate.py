"""All of SCORING.md for one organization at one date, from `ScoringInputs`, with no database access."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from operator import itemgetter
from typing import Any, TypeVar

from scoring.engine.adaptability import AdaptabilityResult, adaptability_calculate, mean_of_defined
from scoring.engine.alignment import AlignmentResult, alignment_calculate
from scoring.engine.cascade import Cascade, cascade_build
from scoring.engine.drift import drift_calculate
from scoring.engine.inputs import ScoringInputs
from scoring.engine.people import PeopleResult, people_calculate
from scoring.engine.progress import ObjectiveProgress, progress_calculate
from scoring.engine.resources import ResourcesResult, resources_calculate, staffing_calculate
from scoring.engine.signals import SignalsResult, signals_calculate

R = TypeVar("R")


@dataclass(frozen=True)
class ScoringResult:
    inputs: ScoringInputs
    cascade: Cascade
    alignment: AlignmentResult
    resources: ResourcesResult
    adaptability: AdaptabilityResult
    people: PeopleResult
    progress: dict[int, ObjectiveProgress]
    signals: SignalsResult

    @property
    def execution_health(self) -> float | None:
        """The mean of the defined scores among the four."""
        return mean_of_defined(
            [self.alignment.score, self.resources.score, self.adaptability.score, self.people.score]
        )


def _row_key(row: Any) -> tuple[tuple[bool, Any], ...]:
    """Orders rows by all their fields (None first), so that even duplicate keys sort the same way."""
    return tuple((value is not None, value) for value in vars(row).values())


def _in_row_order(rows: Sequence[R], *leading: str) -> tuple[R, ...]:
    """`rows` in `_row_key` order. Sorted by their `leading` fields (a key far cheaper to build than
    one of every field), and by every field only where two rows share those: the same order."""

    def key(row: R) -> tuple[tuple[bool, Any], ...]:
        return tuple((value is not None, value) for value in (getattr(row, name) for name in leading))

    keyed = sorted(((key(row), row) for row in rows), key=itemgetter(0))
    if any(first[0] == second[0] for first, second in pairwise(keyed)):
        return tuple(sorted(rows, key=_row_key))
    return tuple(row for _, row in keyed)


def canonical(inputs: ScoringInputs) -> ScoringInputs:
    """The same inputs in id order, so that sums (and their rounding) do not depend on row order."""
    return replace(
        inputs,
        objectives=tuple(sorted(inputs.objectives, key=lambda row: row.id)),
        key_results=tuple(sorted(inputs.key_results, key=lambda row: row.id)),
        initiatives=tuple(sorted(inputs.initiatives, key=lambda row: row.id)),
        teams=tuple(sorted(inputs.teams, key=lambda row: row.id)),
        people=tuple(sorted(inputs.people, key=lambda row: row.id)),
        allocations=tuple(sorted(inputs.allocations, key=lambda row: row.id)),
        task_groups=_in_row_order(inputs.task_groups, "objective_id", "initiative_id"),
        team_efforts=_in_row_order(inputs.team_efforts, "team_id"),
        feedback=tuple(sorted(inputs.feedback, key=lambda row: row.id)),
        assignee_work=_in_row_order(inputs.assignee_work, "initiative_id", "person_id"),
        staffing=inputs.staffing
        and replace(
            inputs.staffing, loaded=tuple(sorted(inputs.staffing.loaded, key=lambda row: row.person_id))
        ),
    )


def scores_calculate(inputs: ScoringInputs) -> ScoringResult:
    inputs = canonical(inputs)
    parameters = inputs.parameters
    cascade = cascade_build(inputs.objectives, parameters.as_of)
    initiatives = {node.id: node for node in inputs.initiatives}
    alignment = alignment_calculate(
        cascade=cascade,
        initiatives=initiatives,
        teams=inputs.teams,
        groups=inputs.task_groups,
        team_efforts=inputs.team_efforts,
    )
    staffing = inputs.staffing or staffing_calculate(
        initiatives=inputs.initiatives,
        people=inputs.people,
        allocations=inputs.allocations,
        parameters=parameters,
    )
    resources = resources_calculate(
        cascade=cascade,
        initiatives=inputs.initiatives,
        staffing=staffing,
        groups=inputs.task_groups,
        parameters=parameters,
    )
    adaptability = adaptability_calculate(
        cascade=cascade,
        initiatives=inputs.initiatives,
        check_ins=inputs.check_ins,
        feedback=inputs.feedback,
        parameters=parameters,
    )
    people = people_calculate(
        tracked=adaptability.tracked,
        people={person.id: person for person in inputs.people},
        check_ins=inputs.check_ins,
        parameters=parameters,
    )
    progress = progress_calculate(
        cascade=cascade,
        key_results=inputs.key_results,
        initiatives=initiatives,
        groups=inputs.task_groups,
        as_of=parameters.as_of,
    )
    drift = (
        inputs.drift.initiatives
        if inputs.drift is not None
        else drift_calculate(
            initiatives=inputs.initiatives,
            people=inputs.people,
            allocations=inputs.allocations,
            work=inputs.assignee_work,
            parameters=parameters,
        )
    )
    signals = signals_calculate(
        cascade=cascade,
        initiatives=inputs.initiatives,
        groups=inputs.task_groups,
        alignment=alignment,
        resources=resources,
        parameters=parameters,
        drift=drift,
    )
    return ScoringResult(
        inputs=inputs,
        cascade=cascade,
        alignment=alignment,
        resources=resources,
        adaptability=adaptability,
        people=people,
        progress=progress,
        signals=signals,
    )
