"""SCORING.md "Signals beyond the scores": where to act. Not part of any score; computed in the same run.

Surplus (over-staffing), over-invested objectives and each active initiative's forecast finish, from
what the scores already computed (staffing, shares) and the task groups' recent done effort; the
staffing drift, which needs who works on what, comes from `drift` (computed from the work per
assignee by `scoring.engine.drift`, or by the database).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from scoring.engine.alignment import AlignmentResult
from scoring.engine.cascade import Cascade
from scoring.engine.drift import hundredths
from scoring.engine.inputs import InitiativeDrift, InitiativeNode, Parameters, TaskGroup
from scoring.engine.resources import ResourcesResult

OVER_STAFFED_HOURS = 8.0  # an initiative is over-staffed from this surplus (hours in its window) ...
OVER_STAFFED_SHARE = 0.25  # ... or this share of its demand, whichever is larger
OVER_INVESTED_GAP = 0.05  # actual share above intended by more than this


@dataclass(frozen=True)
class Forecast:
    """An active initiative's forecast: throughput in hours per day over the activity window, the
    forecast finish (None: no recent progress with work remaining) and whether it is late."""

    initiative_id: int
    throughput: float
    finish: date | None
    late: bool


@dataclass(frozen=True)
class SignalsResult:
    """The signals of one run. The lists derived from them are computed once each (the explanation
    and the drivers read them several times): a result is never changed, only replaced."""

    surplus: dict[int, float]  # every active initiative's max(0, supply − demand), hours
    over_staffed: tuple[int, ...]  # by surplus, largest first (then id)
    over_invested: tuple[int, ...]  # live objectives by actual − intended share, largest first
    forecasts: dict[int, Forecast]  # every active initiative's
    drift: dict[int, InitiativeDrift] = field(default_factory=dict)  # the active initiatives with any

    @cached_property
    def unplanned_work(self) -> tuple[int, ...]:
        """The initiatives with people working on them without an allocation, by unplanned effort,
        largest first (then id)."""
        drifting = [item for item in self.drift.values() if item.unallocated_people]
        return tuple(
            item.initiative_id
            for item in sorted(drifting, key=lambda item: (-item.unplanned_effort, item.initiative_id))
        )

    @cached_property
    def idle_allocations(self) -> tuple[int, ...]:
        """The initiatives with people allocated to them without work, by their hours per week,
        largest first (then id)."""
        drifting = [item for item in self.drift.values() if item.idle_people]
        return tuple(
            item.initiative_id
            for item in sorted(drifting, key=lambda item: (-item.idle_hours, item.initiative_id))
        )

    @cached_property
    def total_unplanned_effort(self) -> float:
        """Hours of work done or under way without an allocation, over the organization."""
        return hundredths(math.fsum(item.unplanned_effort for item in self.drift.values()))

    @cached_property
    def total_surplus(self) -> float:
        """The organization's surplus: the sum over the over-staffed initiatives."""
        return sum(self.surplus[initiative_id] for initiative_id in self.over_staffed)

    @cached_property
    def forecast_late(self) -> tuple[int, ...]:
        return tuple(initiative_id for initiative_id, forecast in self.forecasts.items() if forecast.late)


def _over_staffed_from(demand: float) -> float:
    """The surplus from which an initiative of this demand is over-staffed: max(8, 0.25 × demand)."""
    return max(OVER_STAFFED_HOURS, OVER_STAFFED_SHARE * demand)


def _cents(hours: float) -> int:
    """Hours as the exact whole number of hundredths they stand for (efforts are kept to the
    hundredth), so that ceil(remaining / throughput) does not move on a float's last bit."""
    return round(hours * 100)


def forecast_of(
    node: InitiativeNode, *, remaining: float, recent_done: float, parameters: Parameters
) -> Forecast:
    """throughput = recent done effort / W; finish = D + ceil(remaining / throughput) days, D with
    nothing remaining, none with no recent progress; late when it has an end date that the finish
    passes, or no finish."""
    window = parameters.activity_window_days
    finish: date | None
    if remaining <= 0:
        finish = parameters.as_of
    elif recent_done > 0:
        # ceil(remaining × W / recent done) in whole hundredths: -(-a // b) is the ceiling of a / b.
        finish = parameters.as_of + timedelta(days=-(-_cents(remaining) * window // _cents(recent_done)))
    else:
        finish = None
    late = node.end_date is not None and (finish is None or finish > node.end_date)
    return Forecast(node.id, recent_done / window, finish, late)


def signals_calculate(
    *,
    cascade: Cascade,
    initiatives: Iterable[InitiativeNode],
    groups: Iterable[TaskGroup],
    alignment: AlignmentResult,
    resources: ResourcesResult,
    parameters: Parameters,
    drift: Mapping[int, InitiativeDrift] | None = None,
) -> SignalsResult:
    active: Mapping[int, InitiativeNode] = {
        node.id: node for node in initiatives if node.id in resources.initiatives
    }
    recent: dict[int, float] = {}
    for group in groups:
        if group.initiative_id is not None:
            recent[group.initiative_id] = recent.get(group.initiative_id, 0.0) + group.recent_done_effort
    surplus = {
        initiative_id: max(0.0, staffing.supply - staffing.demand)
        for initiative_id, staffing in resources.initiatives.items()
    }
    over_staffed = sorted(
        (
            initiative_id
            for initiative_id, hours in surplus.items()
            if hours
            >= max(OVER_STAFFED_HOURS, OVER_STAFFED_SHARE * resources.initiatives[initiative_id].demand)
        ),
        key=lambda initiative_id: (-surplus[initiative_id], initiative_id),
    )
    gaps = {
        objective_id: share.share_gap
        for objective_id, share in alignment.objectives.items()
        if objective_id in cascade.live
        and share.share_gap is not None
        and share.share_gap > OVER_INVESTED_GAP
    }
    return SignalsResult(
        surplus=surplus,
        over_staffed=tuple(over_staffed),
        over_invested=tuple(sorted(gaps, key=lambda objective_id: (-gaps[objective_id], objective_id))),
        forecasts={
            initiative_id: forecast_of(
                active[initiative_id],
                remaining=staffing.remaining,
                recent_done=recent.get(initiative_id, 0.0),
                parameters=parameters,
            )
            for initiative_id, staffing in resources.initiatives.items()
        },
        drift={
            initiative_id: item
            for initiative_id, item in sorted((drift or {}).items())
            if initiative_id in resources.initiatives
        },
    )
