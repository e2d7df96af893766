"""The work done against the demo plan: allocations, tasks, check-ins, feedback and recognitions.

Everything goes through the services; every choice comes from the plan's seeded random generator,
so that the same day gives the same organization.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from execgap.demo import content, vocabulary
from execgap.demo.content import InitiativeSpec
from execgap.demo.plan import PLAN_REASON, DemoPlan, initiative_is_aligned, objective_is_live
from feedback.services import (
    check_in_create,
    feedback_acknowledge,
    feedback_create,
    feedback_resolve,
    recognition_create,
)
from objectives.models import Initiative, InitiativeStatus, Objective, ObjectiveStatus, TaskStatus
from objectives.services import task_create
from resources.models import Person
from resources.services import allocation_create

TASK_COUNT = 600
OVERLOADED_PEOPLE = 4  # people allocated well beyond their capacity
SPREAD_THIN_PEOPLE = 2  # people on five concurrent initiatives
EFFORTS = (1, 2, 2, 3, 4, 4, 5, 6, 8, 8, 12, 16)  # hours; small tasks are the more common


def work_create(plan: DemoPlan) -> None:
    _allocations_create(plan)
    _tasks_create(plan)
    _check_ins_create(plan)
    _feedback_create(plan)
    _recognitions_create(plan)


# Allocations ---------------------------------------------------------------------------------


def _allocations_create(plan: DemoPlan) -> None:
    """Two to four people on each staffed active initiative, past allocations on finished ones,
    then a few people overloaded and a few spread thin (the gaps the demo is there to show)."""
    rng = plan.rng
    current: dict[int, list[int]] = defaultdict(list)  # person id → initiative ids, current allocations
    load: dict[int, Decimal] = defaultdict(Decimal)  # person id → hours per week, current allocations

    def allocate(person: Person, spec: InitiativeSpec, hours: int, *, past: bool = False) -> None:
        """Allocate for the initiative's whole run when `past`; else from before today to its end."""
        initiative = plan.initiatives[spec.key]
        start: date | None = initiative.start_date
        end: date | None = initiative.end_date
        if not past:
            start = min(
                plan.today + timedelta(days=spec.start + rng.randint(0, 5)), plan.today - timedelta(days=1)
            )
            if end is not None and rng.random() < 0.15:  # some leave before the initiative ends
                end = min(end, plan.today + timedelta(days=rng.randint(7, 20)))
            current[person.pk].append(initiative.pk)
            load[person.pk] += hours
        allocation_create(
            actor=plan.executive,
            data={
                "person": person, "initiative": initiative, "hours_per_week": Decimal(hours),
                "start_date": start, "end_date": end,
            },
            reason=PLAN_REASON,
        )  # fmt: skip

    staffed = [s for s in content.INITIATIVES if s.status == InitiativeStatus.ACTIVE and s.staffed]
    for spec in staffed:
        for person in rng.sample(plan.active_people(spec.team), rng.randint(2, 4)):
            allocate(person, spec, rng.choice((4, 6, 8, 10, 12, 16, 20)))
    for spec in content.INITIATIVES:
        if spec.status == InitiativeStatus.DONE:
            for person in rng.sample(plan.active_people(spec.team), 2):
                allocate(person, spec, rng.choice((8, 12, 16)), past=True)

    def not_yet_on(person: Person, specs: list[InitiativeSpec]) -> list[InitiativeSpec]:
        return [s for s in specs if plan.initiatives[s.key].pk not in current[person.pk]]

    without_login = [
        p for key in ("platform", "mobile", "ops") for p in plan.active_people(key) if p.user_id is None
    ]
    overloaded = [plan.people["Priya Natarajan"], *rng.sample(without_login, OVERLOADED_PEOPLE - 1)]
    for person in overloaded:
        while load[person.pk] <= person.weekly_capacity_hours * Decimal("1.2"):
            own_team = [s for s in staffed if plan.teams[s.team].pk == person.team_id]
            choices = not_yet_on(person, own_team) or not_yet_on(person, staffed)
            allocate(person, rng.choice(choices), rng.choice((12, 16, 20)))
    calm = [
        p
        for key in ("sales", "design")
        for p in plan.active_people(key)
        if load[p.pk] < 16 and p.user_id is None
    ]
    for person in rng.sample(calm, SPREAD_THIN_PEOPLE):
        while len(current[person.pk]) < 5:
            allocate(person, rng.choice(not_yet_on(person, staffed)), 4)


# Tasks ---------------------------------------------------------------------------------------

Goal = Initiative | Objective | None


def _tasks_create(plan: DemoPlan) -> None:
    """600 tasks: about 70% aligned, 12% misaligned, 13% orphan, 5% finished work of done initiatives."""
    rng = plan.rng
    pools = {team.key: _goal_pools(plan, content.WORKS_FOR[team.key]) for team in content.TEAMS}
    people = [p for p in plan.people.values() if p.active]
    rng.shuffle(people)
    titles = {team.key: _titles(plan, team.key) for team in content.TEAMS}
    numbers = {team.key: itertools.count(101) for team in content.TEAMS}
    prefixes = {team.key: team.task_prefix for team in content.TEAMS}
    for index in range(TASK_COUNT):
        person = people[index % len(people)]
        team_key = plan.team_key_of[person.team_id] if person.team_id else "eng"
        category = rng.choices(("aligned", "misaligned", "orphan", "finished"), (68, 12, 15, 5))[0]
        goal = rng.choice(pools[team_key][category] or pools["platform"][category])
        data: dict[str, Any] = {
            "title": next(titles[team_key]),
            "team": plan.teams[team_key],
            "assignee": person if rng.random() > 0.04 else None,
            "effort_hours": None if rng.random() < 0.15 else Decimal(rng.choice(EFFORTS)),
        }
        if isinstance(goal, Initiative):
            data["initiative"] = goal
        elif isinstance(goal, Objective):
            data["objective"] = goal
        data.update(_task_status(plan, goal, finished=category == "finished"))
        if rng.random() < 0.65:
            key = f"{prefixes[team_key]}-{next(numbers[team_key])}"
            data.update(external_key=key, external_url=content.TRACKER_URL + key)
        task_create(actor=plan.admin, data=data)


def _goal_pools(plan: DemoPlan, team_keys: tuple[str, ...]) -> dict[str, list[Goal]]:
    """Where a task of these teams can hang, by the class the task will fall in.

    Initiatives come three times for each direct link to an objective: most work is planned work.
    """
    pools: dict[str, list[Goal]] = {"aligned": [], "misaligned": [], "orphan": [None] * 6, "finished": []}
    for spec in content.INITIATIVES:
        if spec.team not in team_keys:
            continue
        initiative = plan.initiatives[spec.key]
        if spec.status == InitiativeStatus.DONE:
            pools["finished"].append(initiative)
        elif spec.objective is None:
            pools["orphan"].append(initiative)
        else:
            pools["aligned" if initiative_is_aligned(spec) else "misaligned"].extend([initiative] * 3)
    for objective_spec in content.OBJECTIVES:
        if objective_spec.team in team_keys:
            live = objective_is_live(objective_spec.key)
            pools["aligned" if live else "misaligned"].append(plan.objectives[objective_spec.key])
    return pools


def _task_status(plan: DemoPlan, goal: Goal, *, finished: bool) -> dict[str, Any]:
    rng = plan.rng
    if finished and isinstance(goal, Initiative) and goal.end_date is not None:
        completed = plan.now - timedelta(days=(plan.today - goal.end_date).days + rng.randint(0, 25))
        return {"status": TaskStatus.DONE, "completed_at": completed, "due_date": completed.date()}
    status = rng.choices(
        (TaskStatus.DONE, TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED, TaskStatus.CANCELLED),
        (40, 28, 20, 6, 6),
    )[0]
    if status == TaskStatus.DONE:
        completed = plan.now - timedelta(days=rng.uniform(0.2, 42))
        due = completed.date() + timedelta(days=rng.randint(-3, 5))
        return {"status": status, "completed_at": completed, "due_date": due}
    if status == TaskStatus.CANCELLED:
        return {"status": status}
    open_due = None if rng.random() < 0.2 else plan.today + timedelta(days=rng.randint(-10, 30))
    return {"status": status, "due_date": open_due}


def _titles(plan: DemoPlan, team_key: str) -> itertools.cycle[str]:
    """The team's "<verb> <thing>" titles in a shuffled order (they repeat only once all are used)."""
    combos = [
        f"{verb} {thing}"
        for verb in vocabulary.TASK_VERBS[team_key]
        for thing in vocabulary.TASK_THINGS[team_key]
    ]
    plan.rng.shuffle(combos)
    return itertools.cycle(combos)


# Check-ins, feedback, recognitions -----------------------------------------------------------


def _check_ins_create(plan: DemoPlan) -> None:
    """On each tracked item (active objective or initiative): fresh, stale or no check-in at all.

    Objectives with key results are checked in on their first key result, with its value.
    """
    rng = plan.rng
    tracked: list[Objective | Initiative] = [
        o for o in plan.objectives.values() if o.status == ObjectiveStatus.ACTIVE
    ] + [i for i in plan.initiatives.values() if i.status == InitiativeStatus.ACTIVE]
    for item in tracked:
        freshness = rng.choices(("fresh", "stale", "none"), (55, 30, 15))[0]
        if freshness == "none":
            continue
        latest = rng.randint(0, 12) if freshness == "fresh" else rng.randint(18, 50)
        author = (
            item.owner
            if item.owner is not None and item.owner.active
            else item.team.lead
            if item.team
            else None
        )
        key_result = item.key_results.order_by("pk").first() if isinstance(item, Objective) else None
        count = rng.randint(1, 3)
        for step in range(count):
            data: dict[str, Any] = {
                "author": author,
                "date": plan.today - timedelta(days=latest + 14 * step),
                "confidence": rng.randint(5, 9) if freshness == "fresh" else rng.randint(3, 6),
                "note": rng.choice(vocabulary.CHECK_IN_NOTES),
            }
            if key_result is not None:
                done_share = Decimal(count - step) / Decimal(count)
                value = (
                    key_result.start_value + (key_result.current_value - key_result.start_value) * done_share
                )
                data.update(key_result=key_result, value=value.quantize(Decimal("0.01")))
            elif isinstance(item, Objective):
                data["objective"] = item
            else:
                data["initiative"] = item
            check_in_create(actor=plan.admin, data=data)


def _feedback_create(plan: DemoPlan) -> None:
    """Past answers are loaded as the history they are; answers given today go through the answer services."""
    for spec in content.FEEDBACK:
        created = plan.now - timedelta(days=spec.days_ago, hours=plan.rng.randint(0, 8))
        data: dict[str, Any] = {
            "kind": spec.kind,
            "author": plan.people[spec.author],
            "text": spec.text,
            "created_at": created,
        }
        if spec.about in plan.objectives:
            data["objective"] = plan.objectives[spec.about]
        elif spec.about is not None:
            data["initiative"] = plan.initiatives[spec.about]
        if spec.answer and spec.answer_after_days:
            answered = created + timedelta(days=spec.answer_after_days)
            data.update(status=spec.answer, response=spec.response, acknowledged_at=answered)
            if spec.answer == "resolved":
                data["resolved_at"] = min(answered + timedelta(days=3), plan.now)
        item = feedback_create(actor=plan.admin, data=data)
        if spec.answer == "acknowledged" and not spec.answer_after_days:
            feedback_acknowledge(actor=plan.admin, item=item, response=spec.response)
        elif spec.answer == "resolved" and not spec.answer_after_days:
            feedback_resolve(actor=plan.admin, item=item, response=spec.response)


def _recognitions_create(plan: DemoPlan) -> None:
    rng = plan.rng
    goals: list[Objective | Initiative] = [
        *(o for o in plan.objectives.values() if o.status == ObjectiveStatus.ACTIVE),
        *(
            i
            for i in plan.initiatives.values()
            if i.status in (InitiativeStatus.ACTIVE, InitiativeStatus.DONE)
        ),
    ]
    for _ in range(16):
        team_key = rng.choice([team.key for team in content.TEAMS])
        giver, receiver = rng.sample(plan.active_people(team_key), 2)
        goal = rng.choice([*[g for g in goals if g.team_id == plan.teams[team_key].pk], None])
        recognition_create(
            actor=plan.admin,
            data={
                "from_person": giver,
                "to_person": receiver,
                "objective": goal if isinstance(goal, Objective) else None,
                "initiative": goal if isinstance(goal, Initiative) else None,
                "message": rng.choice(vocabulary.RECOGNITION_MESSAGES),
                "created_at": plan.now - timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 8)),
            },
        )
