"""Short constructors of scoring inputs for the pure-function tests (D = 2027-01-01 unless given)."""

from datetime import UTC, date, datetime, timedelta

from scoring.engine.calculate import ScoringResult, scores_calculate
from scoring.engine.inputs import (
    AllocationRow,
    AssigneeWork,
    CheckInFacts,
    FeedbackRow,
    InitiativeNode,
    KeyResultNode,
    ObjectiveNode,
    Parameters,
    PersonNode,
    ScoringInputs,
    TaskGroup,
    TeamEffort,
    TeamNode,
)

D = date(2027, 1, 1)


def day(offset: int) -> date:
    """D + offset days."""
    return D + timedelta(days=offset)


def moment(offset_days: float) -> datetime:
    """Midnight UTC at the start of D, plus a (fractional) number of days."""
    return datetime(D.year, D.month, D.day, tzinfo=UTC) + timedelta(days=offset_days)


def objective(
    id_: int, parent: int | None = None, status: str = "active", weight: float = 1, **extra
) -> ObjectiveNode:
    return ObjectiveNode(id=id_, parent_id=parent, status=status, priority_weight=weight, **extra)


def initiative(id_: int, objective_id: int | None = None, status: str = "active", **extra) -> InitiativeNode:
    return InitiativeNode(id=id_, objective_id=objective_id, status=status, **extra)


def person(
    id_: int, capacity: float = 40, active: bool = True, team: int | None = None, name: str = ""
) -> PersonNode:
    return PersonNode(id=id_, team_id=team, weekly_capacity_hours=capacity, active=active, name=name)


def allocation(
    id_: int, person_id: int, initiative_id: int, hours: float, start=None, end=None, began=None
) -> AllocationRow:
    return AllocationRow(id_, person_id, initiative_id, hours, start, end, began)


def work(initiative_id: int, person_id: int, hours: float, tasks: int = 1) -> AssigneeWork:
    """A person's open and recently done tasks of an initiative, summed."""
    return AssigneeWork(initiative_id, person_id, hours, tasks)


def team(id_: int, parent: int | None = None) -> TeamNode:
    return TeamNode(id=id_, parent_id=parent, name=f"team {id_}")


def key_result(id_: int, objective_id: int, start: float, target: float, current: float, weight: float = 1):
    return KeyResultNode(id_, objective_id, start, target, current, weight)


def open_work(hours: float, *, objective_id=None, initiative_id=None, count: int = 1) -> TaskGroup:
    """Open tasks (all in scope)."""
    return TaskGroup(objective_id, initiative_id, open_effort=hours, open_count=count)


def done_work(
    hours: float, *, recent: bool = True, objective_id=None, initiative_id=None, count: int = 1
) -> TaskGroup:
    """Done tasks; `recent`: completed inside the activity window (so also in scope)."""
    return TaskGroup(
        objective_id, initiative_id,
        recent_done_effort=hours if recent else 0.0, recent_done_count=count if recent else 0,
        done_effort=hours, done_count=count,
    )  # fmt: skip


def team_work(team_id: int | None, aligned: float, total: float) -> TeamEffort:
    """Effort in scope of one effective team (as the database sums it), and its aligned part."""
    return TeamEffort(team_id, aligned, total)


def feedback(id_: int, kind: str, created: datetime, acknowledged=None, resolved=None) -> FeedbackRow:
    return FeedbackRow(id_, kind, created, acknowledged, resolved)


def calculate(
    *,
    objectives=(),
    key_results=(),
    initiatives=(),
    teams=(),
    people=(),
    allocations=(),
    groups=(),
    assignee_work=(),
    team_efforts=(),
    check_ins: CheckInFacts | None = None,
    feedback_rows=(),
    **parameters,
) -> ScoringResult:
    return scores_calculate(
        ScoringInputs(
            parameters=Parameters(as_of=parameters.pop("as_of", D), **parameters),
            objectives=tuple(objectives),
            key_results=tuple(key_results),
            initiatives=tuple(initiatives),
            teams=tuple(teams),
            people=tuple(people),
            allocations=tuple(allocations),
            task_groups=tuple(groups),
            assignee_work=tuple(assignee_work),
            team_efforts=tuple(team_efforts),
            check_ins=check_ins or CheckInFacts(),
            feedback=tuple(feedback_rows),
        )
    )
