"""SCORING.md "Progress": key results, objectives, and on_track / behind / at_risk against the calendar."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from scoring.engine.cascade import Cascade
from scoring.engine.inputs import InitiativeNode, KeyResultNode, TaskGroup

# The children whose progress counts in their parent's, and the one status that has a progress status.
COUNTED_CHILD_STATUSES = frozenset({"active", "achieved"})
ACTIVE = "active"
ON_TRACK_SLACK = 0.10
BEHIND_SLACK = 0.25
# Progress and expected progress are ratios of small numbers: compare them without float noise.
EPSILON = 1e-9


class ProgressStatus(enum.StrEnum):
    ON_TRACK = "on_track"
    BEHIND = "behind"
    AT_RISK = "at_risk"


@dataclass(frozen=True)
class ObjectiveProgress:
    progress: float
    expected: float | None  # None where the objective has no start or no end date
    status: ProgressStatus | None


def clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def key_result_progress(key_result: KeyResultNode) -> float:
    """(current − start) / (target − start) clamped to [0, 1]; target = start: 1 when reached, else 0."""
    span = key_result.target_value - key_result.start_value
    if span == 0:
        return 1.0 if key_result.current_value == key_result.target_value else 0.0
    return clamp((key_result.current_value - key_result.start_value) / span)


def expected_progress(start: date | None, end: date | None, as_of: date) -> float | None:
    if start is None or end is None:
        return None
    if end == start:
        return 1.0 if as_of >= start else 0.0
    return clamp((as_of - start).days / (end - start).days)


def progress_status(progress: float, expected: float | None) -> ProgressStatus | None:
    if expected is None:
        return None
    if progress >= expected - ON_TRACK_SLACK - EPSILON:
        return ProgressStatus.ON_TRACK
    if progress >= expected - BEHIND_SLACK - EPSILON:
        return ProgressStatus.BEHIND
    return ProgressStatus.AT_RISK


def progress_calculate(
    *,
    cascade: Cascade,
    key_results: Iterable[KeyResultNode],
    initiatives: Mapping[int, InitiativeNode],
    groups: Iterable[TaskGroup],
    as_of: date,
) -> dict[int, ObjectiveProgress]:
    """Every objective's progress, children before parents.

    Weighted mean over its key results (`weight`) and its active or achieved children
    (`priority_weight`; drafts and cancelled children do not count); with neither, done / (done +
    open) effort of all tasks resolving into its subtree (0 with none). Only an active objective has
    a progress status.
    """
    by_objective: dict[int, list[KeyResultNode]] = {}
    for key_result in sorted(key_results, key=lambda item: item.id):
        by_objective.setdefault(key_result.objective_id, []).append(key_result)

    done_own: dict[int, float] = {}
    open_own: dict[int, float] = {}
    for group in groups:
        objective = group.objective_id
        if objective is None and group.initiative_id is not None and group.initiative_id in initiatives:
            objective = initiatives[group.initiative_id].objective_id
        if objective is not None:
            done_own[objective] = done_own.get(objective, 0.0) + group.done_effort
            open_own[objective] = open_own.get(objective, 0.0) + group.open_effort
    done = cascade.subtree_sums(done_own)
    open_ = cascade.subtree_sums(open_own)

    children = cascade.children()
    values: dict[int, float] = {}
    for node_id in reversed(cascade.order):
        parts = [(key_result_progress(kr), kr.weight) for kr in by_objective.get(node_id, ())]
        parts += [
            (values[child], cascade.nodes[child].priority_weight)
            for child in children.get(node_id, ())
            if cascade.nodes[child].status in COUNTED_CHILD_STATUSES
        ]
        if parts:
            values[node_id] = sum(value * weight for value, weight in parts) / sum(w for _, w in parts)
        else:
            work = done[node_id] + open_[node_id]
            values[node_id] = done[node_id] / work if work > 0 else 0.0

    result = {}
    for node_id in cascade.order:
        node = cascade.nodes[node_id]
        expected = expected_progress(node.start_date, node.end_date, as_of)
        status = progress_status(values[node_id], expected) if node.status == ACTIVE else None
        result[node_id] = ObjectiveProgress(progress=values[node_id], expected=expected, status=status)
    return result
