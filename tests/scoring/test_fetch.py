"""The set-based fetch: its date windows, default effort and effective team, and its agreement with a
naive row-by-row computation; its number of queries does not grow with the number of tasks."""

import random
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from objectives.models import Task
from scoring.engine.alignment import TaskClass, task_class
from scoring.engine.calculate import scores_calculate
from scoring.engine.explain import parts_of
from scoring.engine.inputs import TaskGroup
from scoring.fetch import check_in_facts_fetch, parameters_fetch, scoring_inputs_fetch
from scoring.fetch_tasks import task_drivers_fetch, task_groups_fetch, team_efforts_fetch
from scoring.services import scores_recompute
from tests.factories import (
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
    TeamFactory,
)
from tests.scoring.random_org import D, build_random_org, naive_inputs

pytestmark = pytest.mark.django_db


def fetched(org, as_of=D):
    parameters, _ = parameters_fetch(organization_id=org.pk, as_of=as_of)
    return scoring_inputs_fetch(organization_id=org.pk, parameters=parameters)


def groups_of(org, as_of=D) -> dict:
    parameters, _ = parameters_fetch(organization_id=org.pk, as_of=as_of)
    return {
        (group.objective_id, group.initiative_id): group
        for group in task_groups_fetch(organization_id=org.pk, parameters=parameters)
    }


def test_the_activity_window_holds_both_ends_as_utc_dates_and_never_cancelled_work(org):
    # given W = 28, D = 2027-01-01: the window is [2026-12-05, 2027-01-01] in UTC dates.
    # Efforts are powers of two so that the sums name the tasks.
    def done(effort, completed_at, status="done"):
        TaskFactory(organization=org, status=status, effort_hours=Decimal(effort), completed_at=completed_at)

    done(1, datetime(2026, 12, 5, 0, 0, tzinfo=UTC))  # first day (D − W + 1): in
    done(2, datetime(2027, 1, 1, 23, 59, 59, tzinfo=UTC))  # D itself: in
    done(4, datetime(2026, 12, 4, 23, 59, 59, tzinfo=UTC))  # D − W: out
    done(8, datetime(2027, 1, 2, 0, 0, tzinfo=UTC))  # after D: out
    done(16, None)  # done with no completion time: out of scope, still done work
    done(32, datetime(2026, 12, 5, 0, 30, tzinfo=timezone(timedelta(hours=1))))  # 2026-12-04 23:30 UTC: out
    done(64, datetime(2026, 12, 20, tzinfo=UTC), status="cancelled")  # never counts
    # when the tasks are grouped
    (group,) = groups_of(org).values()
    # then
    assert (group.recent_done_effort, group.recent_done_count) == (3, 2)
    assert (group.done_effort, group.done_count) == (1 + 2 + 4 + 8 + 16 + 32, 6)
    assert (group.open_effort, group.open_count) == (0, 0)


def test_tasks_without_an_estimate_take_the_default_effort(org):
    # given E = 2.5 and two open tasks, one with no estimate and one estimated at 0 h
    org.default_task_effort_hours = Decimal("2.5")
    org.save()
    TaskFactory(organization=org, status="todo", effort_hours=None)
    TaskFactory(organization=org, status="blocked", effort_hours=Decimal(0))
    # then the open effort is 2.5 + 0
    (group,) = groups_of(org).values()
    assert (group.open_effort, group.open_count) == (2.5, 2)


def test_the_effective_team_is_the_tasks_team_else_its_assignees(org):
    # given teams t0, t1 and a person in t1, and one without a team
    t0, t1 = TeamFactory(organization=org), TeamFactory(organization=org)
    in_t1 = PersonFactory(organization=org, team=t1)
    teamless = PersonFactory(organization=org, team=None)
    TaskFactory(organization=org, team=t0, assignee=in_t1, effort_hours=Decimal(1))  # t0
    TaskFactory(organization=org, assignee=in_t1, effort_hours=Decimal(2))  # t1
    TaskFactory(organization=org, assignee=teamless, effort_hours=Decimal(4))  # none
    TaskFactory(organization=org, effort_hours=Decimal(8))  # none
    # then
    efforts = {row.team_id: row.total_effort for row in fetched(org).team_efforts}
    assert efforts == {t0.pk: 1, t1.pk: 2, None: 12}


def test_team_sums_split_the_aligned_effort_by_the_class_rule(org):
    # given a team with aligned work (an active initiative on an active root), misaligned work (the
    # same root through an initiative on hold, and a draft objective) and an orphan task
    team = TeamFactory(organization=org)
    root = ObjectiveFactory(organization=org, status="active")
    draft = ObjectiveFactory(organization=org, status="draft")
    active = InitiativeFactory(organization=org, objective=root, status="active")
    on_hold = InitiativeFactory(organization=org, objective=root, status="on_hold")
    for effort, links in [(1, {"initiative": active}), (2, {"objective": root}), (4, {"initiative": on_hold}),
                          (8, {"objective": draft}), (16, {})]:  # fmt: skip
        TaskFactory(organization=org, team=team, effort_hours=Decimal(effort), **links)
    # then 1 + 2 of 31 hours are aligned
    (row,) = fetched(org).team_efforts
    assert (row.team_id, row.aligned_effort, row.total_effort) == (team.pk, 3, 31)


def test_team_sums_with_no_live_objective_at_all(org):
    # given only work under a cancelled objective and orphan work (an empty list of live objectives)
    team = TeamFactory(organization=org)
    cancelled = ObjectiveFactory(organization=org, status="cancelled")
    TaskFactory(organization=org, team=team, objective=cancelled, effort_hours=Decimal(2))
    TaskFactory(organization=org, team=team, effort_hours=Decimal(3))
    (row,) = fetched(org).team_efforts
    assert (row.aligned_effort, row.total_effort) == (0, 5)


def test_check_ins_on_key_results_count_for_their_objective_and_later_ones_are_ignored(org):
    # given an objective with a key result, and check-ins before, on and after D
    objective = ObjectiveFactory(organization=org)
    key_result = KeyResultFactory(organization=org, objective=objective)
    initiative = InitiativeFactory(organization=org)
    author = PersonFactory(organization=org)
    CheckInFactory(organization=org, objective=objective, date=D - timedelta(days=20), author=author)
    CheckInFactory(organization=org, key_result=key_result, date=D - timedelta(days=2))
    CheckInFactory(organization=org, objective=objective, date=D + timedelta(days=1), author=author)
    CheckInFactory(organization=org, initiative=initiative, date=D)
    # when
    facts = check_in_facts_fetch(organization_id=org.pk, as_of=D)
    # then the key result's check-in is the objective's latest; the one after D does not exist yet
    assert facts.objective_last == {objective.pk: D - timedelta(days=2)}
    assert facts.initiative_last == {initiative.pk: D}
    assert facts.author_last == {author.pk: D - timedelta(days=20)}


def test_feedback_is_fetched_by_its_utc_creation_date(org):
    # given blockers around the edges of [D − 89, D − 7] and an idea
    def at(day_offset: int, hour: int = 0, minute: int = 0) -> datetime:
        return datetime(2027, 1, 1, hour, minute, tzinfo=UTC) + timedelta(days=day_offset)

    inside = [
        FeedbackItemFactory(organization=org, kind="blocker", created_at=at(-89)).pk,
        FeedbackItemFactory(organization=org, kind="risk", created_at=at(-7, 23, 59)).pk,
    ]
    FeedbackItemFactory(organization=org, kind="blocker", created_at=at(-90, 23, 59))
    FeedbackItemFactory(organization=org, kind="blocker", created_at=at(-6))
    FeedbackItemFactory(organization=org, kind="idea", created_at=at(-30))
    # then only the two inside the window are read
    assert sorted(row.id for row in fetched(org).feedback) == sorted(inside)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_fetch_agrees_with_a_naive_computation_on_a_random_organization(org, seed):
    # given a random organization
    build_random_org(org, random.Random(seed))
    # when its inputs are fetched set-based and computed naively row by row
    fast, slow = fetched(org), naive_inputs(org, D)
    # then the task aggregates are the same
    assert _same(_groups(fast.task_groups), _groups(slow.task_groups))
    assert _same(_teams(fast.team_efforts), _teams(slow.team_efforts))
    assert fast.check_ins == slow.check_ins
    # and so is everything calculated from them (the naive inputs hold every allocation and feedback
    # item: the fetch's filters must drop only rows that SCORING.md ignores)
    fast_result, slow_result = scores_calculate(fast), scores_calculate(slow)
    assert _same(parts_of(fast_result), parts_of(slow_result))
    for name in ("alignment", "resources", "adaptability", "people"):
        assert getattr(fast_result, name).score == pytest.approx(getattr(slow_result, name).score)
    assert fast_result.progress == slow_result.progress


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_the_largest_orphan_and_misaligned_tasks_are_those_of_a_naive_sort(org, seed):
    # given a random organization
    build_random_org(org, random.Random(seed), tasks=80)
    inputs = fetched(org)
    result = scores_calculate(inputs)
    # when the five largest of each class are picked in the database
    drivers = task_drivers_fetch(
        organization_id=org.pk, parameters=inputs.parameters, objective_ids=frozenset(result.cascade.nodes),
        live_objective_ids=result.cascade.live, limit=5,
        orphan_count=result.alignment.count[TaskClass.ORPHAN],
        misaligned_count=result.alignment.count[TaskClass.MISALIGNED],
    )  # fmt: skip
    # then they are those of a sort of every task in scope, classed one by one
    initiatives = {node.id: node for node in inputs.initiatives}
    default = Decimal(str(inputs.parameters.default_task_effort_hours))
    by_class: dict = {TaskClass.ORPHAN: [], TaskClass.MISALIGNED: []}
    for task in Task.objects.filter(organization=org):
        completed = task.completed_at.astimezone(UTC).date() if task.completed_at else None
        recent = task.status == "done" and completed is not None and D - timedelta(days=27) <= completed <= D
        if task.status in ("todo", "in_progress", "blocked") or recent:
            one = TaskGroup(task.objective_id, task.initiative_id, open_effort=1, open_count=1)
            cls = task_class(one, result.cascade, initiatives)
            if cls in by_class:
                effort = task.effort_hours if task.effort_hours is not None else default
                by_class[cls].append((-effort, task.pk))
    assert [row["id"] for row in drivers["orphan_tasks"]] == [
        pk for _, pk in sorted(by_class[TaskClass.ORPHAN])[:5]
    ]
    assert [row["id"] for row in drivers["misaligned_tasks"]] == [
        pk for _, pk in sorted(by_class[TaskClass.MISALIGNED])[:5]
    ]


def test_the_number_of_queries_does_not_grow_with_the_number_of_tasks(org):
    # given a plan with a few tasks, whose tally window is already rolled to D (its first recompute
    # of the day rolls it: a few queries more, once)
    # (each recompute below follows a write of tasks: the kept task sums of the links written are
    # summed again before it, in as many queries whatever the number of tasks written)
    build_random_org(org, random.Random(8), tasks=5)
    scores_recompute(organization_id=org.pk, as_of=D)
    objective = ObjectiveFactory(organization=org)
    TaskFactory(organization=org, objective=objective, effort_hours=Decimal(3))

    def queries_of_a_recompute() -> int:
        with CaptureQueriesContext(connection) as queries:
            scores_recompute(organization_id=org.pk, as_of=D)
        return sum(not query["sql"].startswith(("SAVEPOINT", "RELEASE")) for query in queries)

    few = queries_of_a_recompute()
    # when the same plan gets 200 more tasks of every kind
    for n in range(200):
        TaskFactory(organization=org, objective=objective if n % 2 else None, status=["todo", "done"][n % 2],
                    completed_at=datetime(2026, 12, 30, tzinfo=UTC), effort_hours=Decimal(n % 7))  # fmt: skip
    # then a recompute makes as many queries
    assert queries_of_a_recompute() == few
    # 15 reads (W and the tally window three times, the plan, the staffing drift; 2 more when the
    # largest tasks of a class need their own query, and 2 session settings on PostgreSQL), 4 for the
    # kept staffing drift (its key, locked, and its marks taken before the read; its key and its marks
    # in the read, then its counts instead of the drift), 3 for the kept staffing (its row locked and
    # its marks taken before the read; its marks and its row in the read, instead of the staffing's
    # sums), 7 more for the kept task sums (its row locked, its marks taken, the marked links' pieces
    # read, their tallies summed, the pieces replaced (a delete, an insert) and its key saved before the
    # read; its key, its marks and its pieces in the read, instead of the two grouped reads of the
    # tallies), then the snapshot, its 3 kinds of rows and the stale mark; on PostgreSQL 3 more for
    # the marks of the plan's nodes (`scoring.nodes_kept`: folded before the read, seen by the read and
    # by the store; the read itself joins the test's transaction, so it keeps nothing and reads the
    # nodes), on SQLite, which has no marks, the store's 3 updates clearing links to deleted nodes
    assert few <= 40


def _groups(groups: tuple[TaskGroup, ...]) -> dict:
    return {
        (g.objective_id, g.initiative_id): (
            g.open_effort,
            g.open_count,
            g.recent_done_effort,
            g.recent_done_count,
            g.done_effort,
            g.done_count,
        )
        for g in groups
    }


def _teams(rows) -> dict:
    """team → (aligned hours, total hours, orphan hours, orphan tasks, misaligned tasks)."""
    return {
        row.team_id: (
            row.aligned_effort,
            row.total_effort,
            row.orphan_effort,
            row.orphan_tasks,
            row.misaligned_tasks,
        )
        for row in rows
    }


def _same(left, right) -> bool:
    """Nested JSON-like values equal, floats within 1e-9."""
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(_same(left[key], right[key]) for key in left)
    if isinstance(left, list | tuple):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, float) and isinstance(right, float):
        return left == pytest.approx(right)
    return left == right


@pytest.mark.parametrize("padding", [0, 1000])
def test_the_class_rule_in_sql_does_not_depend_on_which_id_list_is_sent(worked_example, padding):
    # given the worked example (4 live objectives of 6); padding the known ids with objectives that do
    # not exist makes the not-live list the longer one, so the live list is sent instead
    org = worked_example.org
    inputs = fetched(org)
    result = scores_calculate(inputs)
    objective_ids = frozenset(result.cascade.nodes) | frozenset(range(10**6, 10**6 + padding))
    # when the team sums and the largest unaligned tasks are fetched
    teams = team_efforts_fetch(
        organization_id=org.pk, parameters=inputs.parameters, objective_ids=objective_ids,
        live_objective_ids=result.cascade.live,
    )  # fmt: skip
    drivers = task_drivers_fetch(
        organization_id=org.pk, parameters=inputs.parameters, objective_ids=objective_ids,
        live_objective_ids=result.cascade.live, orphan_count=2, misaligned_count=3,
    )  # fmt: skip
    # then: t1 has x1 (aligned, 10 h) and x5 (orphan, 8 h); t0 x3 (6 h, on hold: misaligned); no team:
    # x2 (aligned, 4 h), x4 and x8 (misaligned, 2 h and 5 h), x6 (orphan, 3 h)
    assert _teams(teams) == {
        worked_example.t1.pk: (10, 18, 8, 1, 0),
        worked_example.t0.pk: (0, 6, 0, 0, 1),
        None: (4, 4 + 2 + 3 + 5, 3, 1, 2),
    }
    assert [task["title"] for task in drivers["orphan_tasks"]] == ["x5", "x6"]
    assert [task["title"] for task in drivers["misaligned_tasks"]] == ["x3", "x8", "x4"]
