"""What the calculation needs, as plain frozen values: nodes of the plan and aggregates of the work.

Tasks never appear one by one: the fetch sums them in the database into `TaskGroup` rows, one per
(objective link, initiative link), and `TeamEffort` rows, one per effective team. Efforts are hours
(floats), capacities and allocations hours per week, dates calendar dates, times aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class Parameters:
    """D and the five organization settings of SCORING.md "Inputs and parameters"."""

    as_of: date
    activity_window_days: int = 28  # W
    planning_horizon_days: int = 90  # H
    checkin_cadence_days: int = 14  # C
    default_task_effort_hours: float = 4.0  # E
    spread_thin_allocations: int = 3  # K

    @property
    def activity_start(self) -> date:
        """First day of the activity window [D − W + 1, D]."""
        return self.as_of - timedelta(days=self.activity_window_days - 1)

    @property
    def horizon_end(self) -> date:
        """Last day of the planning horizon [D, D + H − 1]."""
        return self.as_of + timedelta(days=self.planning_horizon_days - 1)

    @property
    def cadence_start(self) -> date:
        """First day of the check-in window [D − C + 1, D]."""
        return self.as_of - timedelta(days=self.checkin_cadence_days - 1)


@dataclass(frozen=True)
class ObjectiveNode:
    id: int
    parent_id: int | None
    status: str
    priority_weight: float = 1.0
    start_date: date | None = None
    end_date: date | None = None
    owner_id: int | None = None
    team_id: int | None = None
    title: str = ""


@dataclass(frozen=True)
class KeyResultNode:
    id: int
    objective_id: int
    start_value: float
    target_value: float
    current_value: float
    weight: float = 1.0


@dataclass(frozen=True)
class InitiativeNode:
    id: int
    objective_id: int | None
    status: str
    end_date: date | None = None
    estimate_hours: float | None = None
    owner_id: int | None = None
    team_id: int | None = None
    title: str = ""


@dataclass(frozen=True)
class TeamNode:
    id: int
    parent_id: int | None
    name: str = ""


@dataclass(frozen=True)
class PersonNode:
    id: int
    team_id: int | None = None
    weekly_capacity_hours: float = 40.0
    active: bool = True
    name: str = ""


@dataclass(frozen=True)
class AllocationRow:
    """`start_date` empty: started before D; `end_date` empty: open-ended. `began`: the day it began
    for the staffing drift, its `start_date` or else the UTC date it was created (empty: its
    `start_date`, and with neither, long before D)."""

    id: int
    person_id: int
    initiative_id: int
    hours_per_week: float
    start_date: date | None = None
    end_date: date | None = None
    began: date | None = None


@dataclass(frozen=True)
class PersonLoad:
    person_id: int
    load: float  # hours per week of the allocations counted over [D, D + H − 1]
    capacity: float
    allocations: int  # how many allocations are counted in `load`
    factor: float  # f_p

    @property
    def over_capacity(self) -> bool:
        return self.load > self.capacity


@dataclass(frozen=True)
class Staffing:
    """The allocations counted at D summed (SCORING.md "Resources"), as the fetch sums them in the
    database: per active initiative with a counted allocation, supply_i (hours in its window) and
    Σ hours_per_week × f_p (hours per week); and the people that matter on their own, those over
    capacity or spread thin (more than K counted allocations), with their loads. Where a
    `ScoringInputs` has none, the calculation sums its `people` and `allocations` the same way."""

    supply: dict[int, float] = field(default_factory=dict)
    factored_hours: dict[int, float] = field(default_factory=dict)
    loaded: tuple[PersonLoad, ...] = ()


@dataclass(frozen=True)
class AssigneeWork:
    """One person's work on one initiative, summed: the tasks of the initiative (linked directly)
    assigned to the person that are open or were done (as a UTC date) in [D − W + 1, D]; `effort` in
    hours, E for each task without an estimate."""

    initiative_id: int
    person_id: int
    effort: float
    tasks: int


@dataclass(frozen=True)
class UnallocatedWorker:
    """An active person working on an initiative without a counted allocation to it: the effort
    (hours) and number of their open and recently done tasks of it."""

    person_id: int
    effort: float
    tasks: int


@dataclass(frozen=True)
class IdleAllocation:
    """A person allocated to an initiative without work on it: their counted allocations to it that
    began at least 14 days before D, how many and their hours per week."""

    person_id: int
    hours_per_week: float
    allocations: int


@dataclass(frozen=True)
class InitiativeDrift:
    """The staffing drift of one active initiative (SCORING.md "Signals beyond the scores"): the people
    working on it without an allocation (how many, their unplanned effort in hours, the first
    DRIFT_LIMIT by effort, largest first, then person id) and the people allocated to it without work
    (how many, their allocations and hours per week, the first DRIFT_LIMIT by hours per week, largest
    first, then person id). Efforts and hours are kept to the hundredth."""

    initiative_id: int
    unallocated_people: int = 0
    unplanned_effort: float = 0.0
    idle_people: int = 0
    idle_allocations: int = 0
    idle_hours: float = 0.0
    unallocated: tuple[UnallocatedWorker, ...] = ()
    idle: tuple[IdleAllocation, ...] = ()


@dataclass(frozen=True)
class DriftFacts:
    """The staffing drift at D as the fetch computes it in the database (`scoring.fetch_drift`): the
    active initiatives with any drift. Where a `ScoringInputs` has none, the calculation computes it
    from its `assignee_work`, `allocations` and `people` (`drift_calculate`)."""

    initiatives: dict[int, InitiativeDrift] = field(default_factory=dict)


@dataclass(frozen=True)
class TaskGroup:
    """The non-cancelled tasks sharing one (objective link, initiative link), summed.

    `objective_id` is the task's own objective link (a task links to at most one of the two).
    `recent_done_*` counts the done tasks completed (as a UTC date) in [D − W + 1, D]; `done_*`
    counts every done task, whenever finished. Efforts already use the default effort E for tasks
    without an estimate.
    """

    objective_id: int | None
    initiative_id: int | None
    open_effort: float = 0.0
    open_count: int = 0
    recent_done_effort: float = 0.0
    recent_done_count: int = 0
    done_effort: float = 0.0
    done_count: int = 0

    @property
    def scope_effort(self) -> float:
        return self.open_effort + self.recent_done_effort

    @property
    def scope_count(self) -> int:
        return self.open_count + self.recent_done_count


@dataclass(frozen=True)
class TeamEffort:
    """Effort (hours) of the tasks in scope whose effective team (`task.team`, else the assignee's
    team) is `team_id` (None: no team), its aligned and orphan parts (the rest is misaligned), and
    how many of those tasks are orphan and misaligned (what the alignment page lists).

    Summed by team in the database, where the task class is decided by the same rule as
    `alignment.task_class`: grouping tasks by team and link as well would make as many groups
    as tasks in an organization whose teams work across many initiatives.
    """

    team_id: int | None
    aligned_effort: float
    total_effort: float
    orphan_effort: float = 0.0
    orphan_tasks: int = 0
    misaligned_tasks: int = 0


@dataclass(frozen=True)
class FeedbackRow:
    id: int
    kind: str
    created_at: datetime
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    status: str = "open"
    text: str = ""


@dataclass(frozen=True)
class CheckInFacts:
    """The latest check-in date (on or before D) per item and per author.

    A check-in on a key result counts for its objective, so `objective_last` already folds them in.
    """

    objective_last: dict[int, date] = field(default_factory=dict)
    initiative_last: dict[int, date] = field(default_factory=dict)
    author_last: dict[int, date] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoringInputs:
    parameters: Parameters
    objectives: tuple[ObjectiveNode, ...] = ()
    key_results: tuple[KeyResultNode, ...] = ()
    initiatives: tuple[InitiativeNode, ...] = ()
    teams: tuple[TeamNode, ...] = ()
    people: tuple[PersonNode, ...] = ()
    allocations: tuple[AllocationRow, ...] = ()
    staffing: Staffing | None = None
    drift: DriftFacts | None = None
    assignee_work: tuple[AssigneeWork, ...] = ()
    task_groups: tuple[TaskGroup, ...] = ()
    team_efforts: tuple[TeamEffort, ...] = ()
    check_ins: CheckInFacts = field(default_factory=CheckInFacts)
    feedback: tuple[FeedbackRow, ...] = ()
