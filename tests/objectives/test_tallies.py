"""Task tallies are kept by the database in the same transaction as every write of a task.

Hand-worked rows for each kind of change; `tallies_drift` (kept against a recount) is empty after each.
The random sequences of edits live in tests/scoring/test_tally_properties.py.
"""

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from objectives.models import Task, TaskStatus, TaskTally
from objectives.tallies import (
    NO_DAY,
    Tally,
    tallies_drift,
    tallies_kept,
    tallies_rebuild,
    tallies_window,
    tallies_window_ensure,
    tallies_window_roll,
)
from objectives.tasks import daily_tally_repair_task
from resources.models import Person
from tests.factories import InitiativeFactory, ObjectiveFactory, PersonFactory, TaskFactory, TeamFactory

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 15, 30, tzinfo=UTC)


@pytest.fixture
def plan(org):
    team_a = TeamFactory(organization=org, name="A")
    team_b = TeamFactory(organization=org, name="B")
    objective = ObjectiveFactory(organization=org)
    initiative = InitiativeFactory(organization=org, objective=objective)
    ana = PersonFactory(organization=org, team=team_a)
    return org, team_a, team_b, objective, initiative, ana


def rows(org) -> dict:
    """The kept tallies without zero rows, keyed (objective, initiative, team, kind, day)."""
    return {key[1:]: tally for key, tally in tallies_kept(organization_id=org.pk).items()}


def test_open_and_done_tasks_are_counted_per_link_team_and_kind(plan):
    org, team_a, _, objective, initiative, ana = plan
    # given two open tasks on the objective in team A (3.5 h and no estimate), one done on the
    # initiative, assigned to Ana (team A) with no team of its own, and a cancelled task
    TaskFactory(
        organization=org,
        objective=objective,
        team=team_a,
        status=TaskStatus.TODO,
        effort_hours=Decimal("3.5"),
    )
    TaskFactory(
        organization=org, objective=objective, team=team_a, status=TaskStatus.BLOCKED, effort_hours=None
    )
    TaskFactory(
        organization=org,
        initiative=initiative,
        assignee=ana,
        status=TaskStatus.DONE,
        effort_hours=Decimal(2),
        completed_at=at(date(2026, 11, 20)),
    )
    TaskFactory(organization=org, objective=objective, status=TaskStatus.CANCELLED, effort_hours=Decimal(9))
    # then the objective's open row holds both open tasks; the done task counts once as done (over
    # all teams) and once on its completion day, in Ana's team; the cancelled task counts nowhere
    assert rows(org) == {
        (objective.pk, 0, team_a.pk, "open", NO_DAY): Tally(2, Decimal("3.50"), 1),
        (0, initiative.pk, 0, "done", NO_DAY): Tally(1, Decimal("2.00"), 0),
        (0, initiative.pk, team_a.pk, "day", date(2026, 11, 20)): Tally(1, Decimal("2.00"), 0),
    }
    assert tallies_drift(organization_id=org.pk) == {}


def test_a_change_moves_the_task_from_its_old_key_to_its_new_one(plan):
    org, team_a, team_b, objective, initiative, _ = plan
    task = TaskFactory(organization=org, objective=objective, team=team_a, effort_hours=Decimal(5))
    # when the task is relinked to the initiative, moved to team B and finished
    task.objective = None
    task.initiative = initiative
    task.team = team_b
    task.status = TaskStatus.DONE
    task.completed_at = at(date(2026, 12, 1))
    task.save()
    # then nothing remains under its old key, and it counts under the new one
    assert rows(org) == {
        (0, initiative.pk, 0, "done", NO_DAY): Tally(1, Decimal("5.00"), 0),
        (0, initiative.pk, team_b.pk, "day", date(2026, 12, 1)): Tally(1, Decimal("5.00"), 0),
    }


def test_a_change_that_touches_no_counted_column_changes_no_tally(plan):
    org, team_a, _, objective, _, _ = plan
    task = TaskFactory(organization=org, objective=objective, team=team_a, effort_hours=Decimal(5))
    before = list(TaskTally.objects.for_org(org).values_list("id", "tasks", "effort"))
    # when only the title changes
    Task.objects.filter(pk=task.pk).update(title="Renamed")
    # then the tallies are the same rows with the same values
    assert list(TaskTally.objects.for_org(org).values_list("id", "tasks", "effort")) == before


def test_deleting_tasks_in_bulk_counts_them_down(plan):
    org, team_a, _, objective, _, _ = plan
    TaskFactory.create_batch(3, organization=org, objective=objective, team=team_a, effort_hours=Decimal(1))
    # when two of them are deleted in one statement
    Task.objects.filter(pk__in=Task.objects.for_org(org).values("pk")[:2]).delete()
    # then one remains counted
    assert rows(org) == {(objective.pk, 0, team_a.pk, "open", NO_DAY): Tally(1, Decimal("1.00"), 0)}


def test_a_person_moving_team_takes_their_teamless_tasks_along(plan):
    org, team_a, team_b, objective, _, ana = plan
    # given a task of Ana's with no team (it counts in her team A) and one of hers in team A itself
    TaskFactory(organization=org, objective=objective, assignee=ana, effort_hours=Decimal(4))
    TaskFactory(organization=org, objective=objective, assignee=ana, team=team_a, effort_hours=Decimal(6))
    # when Ana moves to team B
    Person.objects.filter(pk=ana.pk).update(team=team_b)
    # then only the team-less task moves with her
    assert rows(org) == {
        (objective.pk, 0, team_a.pk, "open", NO_DAY): Tally(1, Decimal("6.00"), 0),
        (objective.pk, 0, team_b.pk, "open", NO_DAY): Tally(1, Decimal("4.00"), 0),
    }
    assert tallies_drift(organization_id=org.pk) == {}


def test_deleting_a_person_leaves_their_teamless_tasks_without_a_team(plan):
    org, _, _, objective, _, ana = plan
    TaskFactory(organization=org, objective=objective, assignee=ana, effort_hours=Decimal(4))
    # when Ana is deleted (her tasks lose their assignee)
    ana.delete()
    # then the task counts with no team
    assert rows(org) == {(objective.pk, 0, 0, "open", NO_DAY): Tally(1, Decimal("4.00"), 0)}


def test_deleting_a_goal_makes_its_tasks_orphans(plan):
    org, team_a, _, _, initiative, _ = plan
    TaskFactory(organization=org, initiative=initiative, team=team_a, effort_hours=Decimal(4))
    # when the initiative is deleted (its tasks lose their link)
    initiative.delete()
    # then the task counts unlinked
    assert rows(org) == {(0, 0, team_a.pk, "open", NO_DAY): Tally(1, Decimal("4.00"), 0)}


def test_a_rolled_back_write_leaves_the_tallies_as_they_were(plan):
    org, team_a, _, objective, _, _ = plan

    def create_then_fail() -> None:
        with transaction.atomic():
            TaskFactory(organization=org, objective=objective, team=team_a)
            raise RuntimeError("the request failed")

    # when a task is created in a transaction that fails
    with pytest.raises(RuntimeError):
        create_then_fail()
    # then nothing is counted
    assert rows(org) == {}


def test_rebuild_repairs_drift_and_drift_names_the_key(plan):
    org, team_a, _, objective, _, _ = plan
    TaskFactory(organization=org, objective=objective, team=team_a, effort_hours=Decimal(4))
    key = (org.pk, objective.pk, 0, team_a.pk, "open", NO_DAY)
    # given a tally that went wrong
    TaskTally.objects.for_org(org).filter(kind="open").update(tasks=7)
    # then drift names the key with the kept and the counted values
    assert tallies_drift(organization_id=org.pk) == {
        key: (Tally(7, Decimal("4.00"), 0), Tally(1, Decimal("4.00"), 0))
    }
    # when the tallies are rebuilt
    tallies_rebuild(organization_id=org.pk)
    # then they agree with the tasks again
    assert tallies_drift(organization_id=org.pk) == {}


def test_another_organizations_tasks_never_count_here(plan, other_org):
    org, team_a, _, objective, _, _ = plan
    TaskFactory(organization=other_org, effort_hours=Decimal(8))
    TaskFactory(organization=org, objective=objective, team=team_a, effort_hours=Decimal(1))
    assert rows(org) == {(objective.pk, 0, team_a.pk, "open", NO_DAY): Tally(1, Decimal("1.00"), 0)}


def test_the_command_says_where_tallies_differ_and_rebuilds_them(plan):
    org, team_a, _, objective, _, _ = plan
    TaskFactory(organization=org, objective=objective, team=team_a, effort_hours=Decimal(4))
    TaskTally.objects.for_org(org).update(tasks=7)
    out = io.StringIO()
    # when the tallies are checked
    with pytest.raises(CommandError, match=r"Tallies differ from the tasks in acme: run with --rebuild\."):
        call_command("task_tallies", "--org", "acme", stdout=out)
    # then the key is named with the kept and the counted values
    assert (
        f"objective {objective.pk} initiative 0 team {team_a.pk} open 0001-01-01: "
        "7 tasks, 4 h estimated, 0 without an estimate → 1 task, 4 h estimated, 0 without an estimate"
    ) in out.getvalue()
    # when they are rebuilt, the organization's scores are marked stale and the check passes
    call_command("task_tallies", "--org", "acme", "--rebuild", stdout=out)
    org.refresh_from_db()
    assert org.scores_stale_since is not None
    assert "acme: tallies of 1 key differed from the tasks: rebuilt" in out.getvalue()
    call_command("task_tallies", "--org", "acme", stdout=out)
    assert out.getvalue().endswith("acme: tallies agree with the tasks\n")


def test_the_daily_job_repairs_drift_and_drops_the_tallies_of_deleted_organizations(plan, other_org, caplog):
    org, team_a, _, objective, _, _ = plan
    TaskFactory(organization=org, objective=objective, team=team_a, effort_hours=Decimal(4))
    TaskTally.objects.for_org(org).update(effort=Decimal(99))
    TaskFactory(organization=other_org, effort_hours=Decimal(1))
    other_org.delete()
    # when the daily job runs
    repaired = daily_tally_repair_task()
    # then the drifted organization is rebuilt and logged, and nothing of the deleted one remains
    assert repaired == 1
    assert "drifted from its tasks on 1 keys" in caplog.text
    assert tallies_drift(organization_id=org.pk) == {}
    assert not TaskTally.objects.exclude(organization_id=org.pk).exists()


def test_the_recent_tallies_sum_the_done_tasks_of_the_window_as_tasks_change(plan):
    org, team_a, _, objective, _, _ = plan
    # given the organization's window rolled to [2026-11-10, 2026-11-20] and three done tasks in team
    # A: on its first day, its last day, and the day after it
    tallies_window_roll(organization_id=org.pk, first_day=date(2026, 11, 10), last_day=date(2026, 11, 20))

    def done(effort, day):
        return TaskFactory(
            organization=org,
            objective=objective,
            team=team_a,
            status=TaskStatus.DONE,
            effort_hours=Decimal(effort),
            completed_at=at(day),
        )

    first, _, after = done(1, date(2026, 11, 10)), done(2, date(2026, 11, 20)), done(4, date(2026, 11, 21))
    recent = (objective.pk, 0, team_a.pk, "recent", NO_DAY)
    # then `recent` holds the two inside (1 + 2 h), and agrees with a recount
    assert rows(org)[recent] == Tally(2, Decimal("3.00"), 0)
    assert tallies_drift(organization_id=org.pk) == {}
    # when the first is reopened and the one after the window is dated back into it
    first.status, first.completed_at = TaskStatus.IN_PROGRESS, None
    first.save()
    after.completed_at = at(date(2026, 11, 15))
    after.save()
    # then `recent` holds 2 + 4 h
    assert rows(org)[recent] == Tally(2, Decimal("6.00"), 0)
    assert tallies_drift(organization_id=org.pk) == {}


def test_rolling_the_window_recounts_recent_from_the_days_it_now_covers(plan):
    org, team_a, _, objective, _, _ = plan
    # given done tasks of 1, 2 and 4 h on 2026-11-18, 11-19 and 11-20, and the window on [11-18, 11-19]
    for effort, day in ((1, 18), (2, 19), (4, 20)):
        TaskFactory(
            organization=org,
            objective=objective,
            team=team_a,
            status=TaskStatus.DONE,
            effort_hours=Decimal(effort),
            completed_at=at(date(2026, 11, day)),
        )
    tallies_window_roll(organization_id=org.pk, first_day=date(2026, 11, 18), last_day=date(2026, 11, 19))
    recent = (objective.pk, 0, team_a.pk, "recent", NO_DAY)
    assert rows(org)[recent] == Tally(2, Decimal("3.00"), 0)
    # when the window rolls one day on (ensure rolls it; a second ensure finds it there)
    assert tallies_window_ensure(
        organization_id=org.pk, first_day=date(2026, 11, 19), last_day=date(2026, 11, 20)
    )
    assert not tallies_window_ensure(
        organization_id=org.pk, first_day=date(2026, 11, 19), last_day=date(2026, 11, 20)
    )
    # then `recent` holds the 2 and 4 h of its new days, and agrees with a recount
    assert tallies_window(organization_id=org.pk) == (date(2026, 11, 19), date(2026, 11, 20))
    assert rows(org)[recent] == Tally(2, Decimal("6.00"), 0)
    assert tallies_drift(organization_id=org.pk) == {}


def test_the_daily_job_rolls_every_window_to_today(plan, other_org):
    org, team_a, _, objective, _, _ = plan
    # given W = 28 (the default) and a task done yesterday (UTC)
    today = timezone.now().astimezone(UTC).date()
    TaskFactory(
        organization=org,
        objective=objective,
        team=team_a,
        status=TaskStatus.DONE,
        effort_hours=Decimal(3),
        completed_at=at(today - timedelta(days=1)),
    )
    # when the daily job runs
    daily_tally_repair_task()
    # then each organization's window is its activity window ending today, and it counts the task
    assert tallies_window(organization_id=org.pk) == (today - timedelta(days=27), today)
    assert tallies_window(organization_id=other_org.pk) == (today - timedelta(days=27), today)
    assert rows(org)[(objective.pk, 0, team_a.pk, "recent", NO_DAY)] == Tally(1, Decimal("3.00"), 0)
