"""The capacity cut line: which of the work the plan asks for fits in the organization's capacity.

Not all initiatives can be prioritized at once. The cut line ranks the initiatives that are or may
soon be worked on by the priority their objective has in the strategy, piles up their demand over the
planning horizon in that order, and draws the line where the organization's capacity runs out.
It is not a score (SCORING.md has none for it); it builds on SCORING.md's own quantities, at D:

- **Candidates**: the initiatives whose status is `active` or `proposed`.
- **Priority** of an initiative: its objective's intended share p_o (SCORING.md "Alignment": the
  product of the normalized sibling priority weights down the chain from the root). An initiative
  with no objective, or whose objective's chain is not live, has priority 0.
- **Rank**: priority, highest first (priorities are compared rounded to 12 decimal places, so that
  shares that are equal but computed along different chains tie); then end date, earliest first, an
  initiative without one after those with one; then id.
- **Demand** over the horizon H: SCORING.md's demand_i, remaining_i × window_i / days_left_i (the hours
  needed inside [D, D + window_i − 1] at an even pace), where remaining_i is the effort of its open
  tasks, or where `estimate_hours` is set the larger of that and the estimate less the effort of all
  its done tasks. A proposed initiative is counted as if it were active.
- **Capacity** over the horizon: Σ `weekly_capacity_hours` of the active people × H / 7 (hours).
- **The line**: the demand is accumulated down the ranking. Every initiative whose cumulative demand
  is at most the capacity (to 1e-6 h) is above the line; the first whose cumulative demand exceeds it,
  and every one after it, are below. `line_index` is how many are above (the line is drawn between
  rank `line_index` and rank `line_index + 1`).

Pure: it reads a `ScoringInputs` only (objectives, initiatives, people and task groups), so that
it gives the cut line of a scenario's inputs exactly as it gives the plan's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from scoring.engine.cascade import Cascade, cascade_build
from scoring.engine.inputs import InitiativeNode, Parameters, PersonNode, ScoringInputs, TaskGroup
from scoring.engine.resources import initiative_window

CANDIDATE_STATUSES = ("active", "proposed")
PRIORITY_DIGITS = 12  # priorities are ranked rounded to this many decimal places
FITS_TOLERANCE = 1e-6  # hours: a cumulative demand this much above the capacity still fits


@dataclass(frozen=True)
class CutLineEntry:
    """One candidate initiative at its place in the ranking (`rank` from 1); hours are hours."""

    rank: int
    initiative_id: int
    title: str
    status: str
    objective_id: int | None
    objective_title: str
    priority: float  # its objective's intended share, 0 to 1
    end_date: date | None
    remaining: float
    demand: float  # inside the horizon
    cumulative_demand: float  # its own and that of every initiative ranked above it
    above_line: bool


@dataclass(frozen=True)
class CutLine:
    """The ranked candidates and where the capacity runs out (hours over the `horizon_days`)."""

    as_of: date
    horizon_days: int
    capacity: float
    total_demand: float
    line_index: int  # how many initiatives are above the line
    entries: Sequence[CutLineEntry]  # a tuple, or read from the cache a piece at a time (scoring.cut_line)

    @property
    def below_count(self) -> int:
        return len(self.entries) - self.line_index

    @property
    def first_below(self) -> CutLineEntry | None:
        """The highest-ranked initiative that does not fit (None: they all do)."""
        return self.entries[self.line_index] if self.line_index < len(self.entries) else None

    @property
    def demand_above(self) -> float:
        """Hours needed by the initiatives above the line (at most the capacity)."""
        return self.entries[self.line_index - 1].cumulative_demand if self.line_index else 0.0

    @property
    def shortfall(self) -> float:
        """Hours of demand beyond the capacity (0 when everything fits)."""
        return max(0.0, self.total_demand - self.capacity)


def capacity_over_horizon(people: Iterable[PersonNode], parameters: Parameters) -> float:
    """Σ weekly_capacity_hours of the active people × H / 7, in hours."""
    weekly = sum(person.weekly_capacity_hours for person in people if person.active)
    return weekly * parameters.planning_horizon_days / 7


def remaining_efforts(
    groups: Iterable[TaskGroup], initiatives: Mapping[int, InitiativeNode]
) -> dict[int, float]:
    """remaining_i of SCORING.md for each of `initiatives`: its open effort, or where it has an
    estimate the larger of that and the estimate less its done effort (all of it), in hours."""
    open_effort: dict[int, float] = {}
    done_effort: dict[int, float] = {}
    for group in groups:
        key = group.initiative_id
        if key is not None and key in initiatives:
            open_effort[key] = open_effort.get(key, 0.0) + group.open_effort
            done_effort[key] = done_effort.get(key, 0.0) + group.done_effort
    remaining = {}
    for key, node in initiatives.items():
        remaining[key] = open_effort.get(key, 0.0)
        if node.estimate_hours is not None:
            remaining[key] = max(remaining[key], node.estimate_hours - done_effort.get(key, 0.0))
    return remaining


def initiative_priority(node: InitiativeNode, cascade: Cascade) -> float:
    """Its objective's intended share; 0 without an objective or with a chain that is not live."""
    if node.objective_id is None or node.objective_id not in cascade.live:
        return 0.0
    return cascade.intended.get(node.objective_id, 0.0)


def _rank_key(node: InitiativeNode, priority: float) -> tuple[float, bool, date, int]:
    return (-round(priority, PRIORITY_DIGITS), node.end_date is None, node.end_date or date.min, node.id)


def cut_line_calculate(inputs: ScoringInputs) -> CutLine:
    """The cut line of `inputs` at its D (see the module's docstring for every rule)."""
    parameters = inputs.parameters
    cascade = cascade_build(inputs.objectives, parameters.as_of)
    candidates = {node.id: node for node in inputs.initiatives if node.status in CANDIDATE_STATUSES}
    remaining = remaining_efforts(inputs.task_groups, candidates)
    priorities = {key: initiative_priority(node, cascade) for key, node in candidates.items()}
    ranked = sorted(candidates.values(), key=lambda node: _rank_key(node, priorities[node.id]))
    capacity = capacity_over_horizon(inputs.people, parameters)

    entries = []
    cumulative = 0.0
    line_index = 0
    for rank, node in enumerate(ranked, start=1):
        _, days_left, window = initiative_window(node, parameters)
        demand = remaining[node.id] * window / days_left
        cumulative += demand
        above = line_index == rank - 1 and cumulative <= capacity + FITS_TOLERANCE
        if above:
            line_index = rank
        objective = cascade.nodes.get(node.objective_id) if node.objective_id is not None else None
        entries.append(
            CutLineEntry(
                rank=rank,
                initiative_id=node.id,
                title=node.title,
                status=node.status,
                objective_id=node.objective_id,
                objective_title=objective.title if objective is not None else "",
                priority=priorities[node.id],
                end_date=node.end_date,
                remaining=remaining[node.id],
                demand=demand,
                cumulative_demand=cumulative,
                above_line=above,
            )
        )
    return CutLine(
        as_of=parameters.as_of,
        horizon_days=parameters.planning_horizon_days,
        capacity=capacity,
        total_demand=cumulative,
        line_index=line_index,
        entries=tuple(entries),
    )
