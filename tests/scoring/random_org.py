"""A small random organization in the database, and the scoring inputs computed the naive way from it.

`naive_inputs` reads every row into Python and applies SCORING.md row by row: the reference the
set-based fetch must agree with.
"""

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from execgap.models import Organization
from feedback.models import CheckIn, FeedbackItem
from objectives.models import OPEN_TASK_STATUSES, Initiative, KeyResult, Objective, Task
from resources.models import Allocation, Person, Team
from scoring.engine.alignment import TaskClass, task_class
from scoring.engine.cascade import cascade_build
from scoring.engine.inputs import (
    AllocationRow,
    AssigneeWork,
    CheckInFacts,
    FeedbackRow,
    InitiativeNode,
    KeyResultNode,
    ObjectiveNode,
    PersonNode,
    ScoringInputs,
    TaskGroup,
    TeamEffort,
    TeamNode,
)
from scoring.fetch import parameters_fetch
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
    TeamFactory,
)

D = date(2027, 1, 1)


def build_random_org(org: Organization, rng: random.Random, *, tasks: int = 60) -> None:
    def some_day(low: int, high: int) -> date:
        return D + timedelta(days=rng.randint(low, high))

    def some_time(low: int, high: int) -> datetime:
        return datetime.combine(some_day(low, high), time.min, tzinfo=UTC) + timedelta(
            seconds=rng.randint(0, 86399)
        )

    def maybe(value, chance=0.5):
        return value if rng.random() < chance else None

    teams: list = []
    for _ in range(4):
        teams.append(TeamFactory(organization=org, parent=maybe(rng.choice(teams)) if teams else None))
    people = [
        PersonFactory(
            organization=org, team=maybe(rng.choice(teams), 0.8), active=rng.random() < 0.85,
            weekly_capacity_hours=Decimal(rng.choice([0, 10, 20, 40])),
        )
        for _ in range(8)
    ]  # fmt: skip
    objectives: list = []
    for _ in range(10):
        start = maybe(some_day(-60, 0))
        objectives.append(
            ObjectiveFactory(
                organization=org, parent=maybe(rng.choice(objectives), 0.6) if objectives else None,
                status=rng.choice(["active", "active", "active", "draft", "achieved", "cancelled"]),
                priority_weight=Decimal(rng.choice(["0.5", "1", "2", "3"])), owner=maybe(rng.choice(people)),
                start_date=start, end_date=maybe(some_day(0, 60)) if start else maybe(some_day(-5, 60)),
            )
        )  # fmt: skip
    key_results = [
        KeyResultFactory(
            organization=org, objective=rng.choice(objectives), start_value=Decimal(rng.randint(0, 5)),
            target_value=Decimal(rng.randint(0, 20)), current_value=Decimal(rng.randint(0, 25)),
            weight=Decimal(rng.choice(["1", "2"])),
        )
        for _ in range(6)
    ]  # fmt: skip
    initiatives = [
        InitiativeFactory(
            organization=org, objective=maybe(rng.choice(objectives), 0.8),
            status=rng.choice(["active", "active", "proposed", "on_hold", "done", "cancelled"]),
            end_date=maybe(some_day(-20, 120)), estimate_hours=maybe(Decimal(rng.randint(0, 80))),
            owner=maybe(rng.choice(people)), team=maybe(rng.choice(teams)),
        )
        for _ in range(7)
    ]  # fmt: skip
    for _ in range(tasks):
        status = rng.choice(["todo", "in_progress", "blocked", "done", "done", "cancelled"])
        link = rng.random()
        TaskFactory(
            organization=org, status=status,
            initiative=rng.choice(initiatives) if link < 0.45 else None,
            objective=rng.choice(objectives) if 0.45 <= link < 0.8 else None,
            team=maybe(rng.choice(teams), 0.4), assignee=maybe(rng.choice(people)),
            effort_hours=maybe(Decimal(rng.randint(0, 40)) / 2, 0.7),
            completed_at=maybe(some_time(-40, 2), 0.9) if status == "done" else None,
        )  # fmt: skip
    for _ in range(12):
        start, end = maybe(some_day(-30, 100)), maybe(some_day(-5, 120))
        if start and end and end < start:
            start, end = end, start
        AllocationFactory(
            organization=org, person=rng.choice(people), initiative=rng.choice(initiatives),
            hours_per_week=Decimal(rng.choice([5, 10, 20])), start_date=start, end_date=end,
        )  # fmt: skip
    for _ in range(15):
        target = rng.choice(["objective", "initiative", "key_result"])
        choices = {"objective": objectives, "initiative": initiatives, "key_result": key_results}[target]
        CheckInFactory(
            organization=org, author=maybe(rng.choice(people), 0.8), date=some_day(-25, 3),
            **{target: rng.choice(choices)},
        )  # fmt: skip
    for _ in range(10):
        created = some_time(-100, 0)
        FeedbackItemFactory(
            organization=org, kind=rng.choice(["blocker", "risk", "idea", "concern"]), created_at=created,
            acknowledged_at=maybe(created + timedelta(hours=rng.randint(1, 300))),
            resolved_at=maybe(created + timedelta(hours=rng.randint(1, 300))),
        )  # fmt: skip


def naive_inputs(org: Organization, as_of: date) -> ScoringInputs:
    parameters, _ = parameters_fetch(organization_id=org.pk, as_of=as_of)
    objectives = tuple(
        ObjectiveNode(o.id, o.parent_id, o.status, float(o.priority_weight), o.start_date, o.end_date,
                      o.owner_id, o.team_id, o.title)
        for o in Objective.objects.filter(organization=org)
    )  # fmt: skip
    initiatives = tuple(
        InitiativeNode(i.id, i.objective_id, i.status, i.end_date,
                       None if i.estimate_hours is None else float(i.estimate_hours),
                       i.owner_id, i.team_id, i.title)
        for i in Initiative.objects.filter(organization=org)
    )  # fmt: skip
    cascade = cascade_build(objectives, as_of)
    by_id = {node.id: node for node in initiatives}
    default = Decimal(str(parameters.default_task_effort_hours))
    sums: dict = defaultdict(lambda: [0.0, 0, 0.0, 0, 0.0, 0])
    teams: dict = defaultdict(
        lambda: [0.0, 0.0, 0.0, 0, 0]
    )  # aligned, total, orphan hours; orphan, misaligned tasks
    work: dict = defaultdict(lambda: [0.0, 0])  # (initiative, assignee) → effort, tasks
    for task in Task.objects.filter(organization=org).select_related("assignee"):
        if task.status == "cancelled":
            continue
        effort = float(task.effort_hours if task.effort_hours is not None else default)
        row = sums[(task.objective_id, task.initiative_id)]
        completed = task.completed_at.astimezone(UTC).date() if task.completed_at else None
        recent = (
            task.status == "done"
            and completed is not None
            and parameters.activity_start <= completed <= as_of
        )
        if task.status in OPEN_TASK_STATUSES:
            row[0] += effort
            row[1] += 1
        if recent:
            row[2] += effort
            row[3] += 1
        if task.status == "done":
            row[4] += effort
            row[5] += 1
        if (task.status in OPEN_TASK_STATUSES or recent) and task.initiative_id and task.assignee_id:
            work[(task.initiative_id, task.assignee_id)][0] += effort
            work[(task.initiative_id, task.assignee_id)][1] += 1
        if task.status in OPEN_TASK_STATUSES or recent:
            team = teams[task.team_id or (task.assignee.team_id if task.assignee else None)]
            one_task = TaskGroup(task.objective_id, task.initiative_id, open_effort=effort, open_count=1)
            cls = task_class(one_task, cascade, by_id)
            team[0] += effort if cls is TaskClass.ALIGNED else 0.0
            team[1] += effort
            team[2] += effort if cls is TaskClass.ORPHAN else 0.0
            team[3] += cls is TaskClass.ORPHAN
            team[4] += cls is TaskClass.MISALIGNED
    objective_last: dict = {}
    initiative_last: dict = {}
    author_last: dict = {}
    for check_in in CheckIn.objects.filter(organization=org, date__lte=as_of).select_related("key_result"):
        objective = check_in.objective_id or (
            check_in.key_result.objective_id if check_in.key_result else None
        )
        target = objective_last if objective else initiative_last
        key = objective or check_in.initiative_id
        target[key] = max(target.get(key, check_in.date), check_in.date)
        if check_in.author_id:
            author_last[check_in.author_id] = max(
                author_last.get(check_in.author_id, check_in.date), check_in.date
            )
    return ScoringInputs(
        parameters=parameters,
        objectives=objectives,
        key_results=tuple(
            KeyResultNode(
                k.id,
                k.objective_id,
                float(k.start_value),
                float(k.target_value),
                float(k.current_value),
                float(k.weight),
            )
            for k in KeyResult.objects.filter(organization=org)
        ),
        initiatives=initiatives,
        teams=tuple(TeamNode(t.id, t.parent_id, t.name) for t in Team.objects.filter(organization=org)),
        people=tuple(
            PersonNode(p.id, p.team_id, float(p.weekly_capacity_hours), p.active, p.name)
            for p in Person.objects.filter(organization=org)
        ),
        allocations=tuple(
            AllocationRow(
                a.id,
                a.person_id,
                a.initiative_id,
                float(a.hours_per_week),
                a.start_date,
                a.end_date,
                a.start_date or a.created_at.astimezone(UTC).date(),
            )
            for a in Allocation.objects.filter(organization=org)
        ),
        assignee_work=tuple(AssigneeWork(*pair, *values) for pair, values in sorted(work.items())),
        task_groups=tuple(TaskGroup(*key, *values) for key, values in sums.items()),
        team_efforts=tuple(TeamEffort(team, *values) for team, values in teams.items()),
        check_ins=CheckInFacts(objective_last, initiative_last, author_last),
        feedback=tuple(
            FeedbackRow(f.id, f.kind, f.created_at, f.acknowledged_at, f.resolved_at, f.status, f.text[:200])
            for f in FeedbackItem.objects.filter(organization=org)
        ),
    )
