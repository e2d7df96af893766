"""SCORING.md "Adaptability": freshness of the tracked items and responsiveness to blockers and risks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from scoring.engine.cascade import ACTIVE, Cascade
from scoring.engine.inputs import CheckInFacts, FeedbackRow, InitiativeNode, Parameters

DUE_KINDS = frozenset({"blocker", "risk"})
DUE_FIRST_DAY = 89  # feedback created in [D − 89, D − 7] is due
DUE_LAST_DAY = 7
ANSWER_WITHIN = timedelta(days=7)


@dataclass(frozen=True)
class TrackedItem:
    kind: str  # "objective" or "initiative"
    id: int
    owner_id: int | None
    last_check_in: date | None
    fresh: bool


@dataclass(frozen=True)
class AdaptabilityResult:
    tracked: tuple[TrackedItem, ...]
    freshness: float | None
    due: tuple[FeedbackRow, ...]
    answered: frozenset[int]  # ids of the due feedback answered within 7 days
    responsiveness: float | None
    score: float | None

    @property
    def fresh_count(self) -> int:
        return sum(item.fresh for item in self.tracked)


def mean_of_defined(values: Iterable[float | None]) -> float | None:
    defined = [value for value in values if value is not None]
    return sum(defined) / len(defined) if defined else None


def tracked_items(
    *,
    cascade: Cascade,
    initiatives: Iterable[InitiativeNode],
    check_ins: CheckInFacts,
    parameters: Parameters,
) -> tuple[TrackedItem, ...]:
    """Objectives active at D and active initiatives; fresh: a check-in in [D − C + 1, D]."""

    def fresh(last: date | None) -> bool:
        return last is not None and parameters.cadence_start <= last <= parameters.as_of

    items = []
    for node_id in sorted(cascade.active):
        last = check_ins.objective_last.get(node_id)
        items.append(TrackedItem("objective", node_id, cascade.nodes[node_id].owner_id, last, fresh(last)))
    for initiative in sorted(initiatives, key=lambda node: node.id):
        if initiative.status == ACTIVE:
            last = check_ins.initiative_last.get(initiative.id)
            items.append(TrackedItem("initiative", initiative.id, initiative.owner_id, last, fresh(last)))
    return tuple(items)


def utc_date(moment: datetime) -> date:
    return moment.astimezone(UTC).date() if moment.tzinfo is not None else moment.date()


def is_due(item: FeedbackRow, parameters: Parameters) -> bool:
    created = utc_date(item.created_at)
    first = parameters.as_of - timedelta(days=DUE_FIRST_DAY)
    last = parameters.as_of - timedelta(days=DUE_LAST_DAY)
    return item.kind in DUE_KINDS and first <= created <= last


def is_answered(item: FeedbackRow) -> bool:
    """`acknowledged_at`, or where that is empty `resolved_at`, within 7 days of `created_at`."""
    answer = item.acknowledged_at if item.acknowledged_at is not None else item.resolved_at
    return answer is not None and answer - item.created_at <= ANSWER_WITHIN


def adaptability_calculate(
    *,
    cascade: Cascade,
    initiatives: Iterable[InitiativeNode],
    check_ins: CheckInFacts,
    feedback: Iterable[FeedbackRow],
    parameters: Parameters,
) -> AdaptabilityResult:
    tracked = tracked_items(
        cascade=cascade, initiatives=initiatives, check_ins=check_ins, parameters=parameters
    )
    freshness = sum(item.fresh for item in tracked) / len(tracked) if tracked else None
    due = tuple(sorted((item for item in feedback if is_due(item, parameters)), key=lambda item: item.id))
    answered = frozenset(item.id for item in due if is_answered(item))
    responsiveness = len(answered) / len(due) if due else None
    score = mean_of_defined([freshness, responsiveness])
    return AdaptabilityResult(
        tracked=tracked,
        freshness=freshness,
        due=due,
        answered=answered,
        responsiveness=responsiveness,
        score=None if score is None else 100.0 * score,
    )
