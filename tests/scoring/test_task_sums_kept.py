"""The task sums kept between recomputes (`scoring.task_sums_kept`): every write of a task tally marks its
link in its own transaction (`scoring.task_sum_marks`), a refresh sums again the marked links alone (or
everything for another activity window), and what a recompute reads equals the tallies' grouped sums.

Hand-worked, with E = 4 h and W = 28 days (the window [D − 27, D]), every task of team T: live
objective O with active initiative I below it, I's sibling J on hold, K serving no objective, and an
objective P still a draft. Open: t1 on O, 3 h (aligned); t2 on I, no estimate, so E = 4 h (aligned); t3 on
J, 2.5 h (misaligned: J is not active); t4 on K, 1 h (orphan: K serves no objective); t5 on nothing,
5 h (orphan). Done: t6 on P two days before D, 6 h (in the window; misaligned: P is not live); t7 on I
99 days before D, 7 h (done, out of the window: in I's done sums, in no team's). So T's
aligned effort is 3 + 4 = 7 h, misaligned 2.5 + 6 = 8.5 h (2 tasks), orphan 1 + 5 = 6 h (2 tasks),
21.5 h in all.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from execgap.models import Organization
from objectives.models import Task
from scoring.drift_kept import kept_of_deleted_organizations_remove
from scoring.engine.cascade import cascade_build
from scoring.engine.inputs import TaskGroup, TeamEffort
from scoring.fetch import consistent_read, objectives_fetch, parameters_at, scoring_inputs_fetch
from scoring.fetch_tallies import task_sums_fetch
from scoring.models import TaskSumMark, TaskSumsKept, TaskSumsPiece, TeamScore
from scoring.services import scores_recompute
from scoring.task_sums_kept import (
    piece_of,
    task_sums_kept_differences,
    task_sums_kept_rebuild,
    task_sums_kept_refresh,
)
from scoring.task_sums_rows import kept_packed, kept_unpacked
from scoring.tasks import daily_snapshots_task, recompute_scores_task
from tests.factories import (
    InitiativeFactory,
    ObjectiveFactory,
    OrganizationFactory,
    PersonFactory,
    TaskFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

D = date(2027, 1, 1)


def done_on(days: int) -> dict:
    """Done at noon (UTC) `days` after D (before it, negative)."""
    day = D + timedelta(days=days)
    return {"status": "done", "completed_at": datetime(day.year, day.month, day.day, 12, tzinfo=UTC)}


@pytest.fixture
def plan():
    org = OrganizationFactory()
    team = TeamFactory(organization=org, name="T")
    o = ObjectiveFactory(organization=org, title="O")
    p = ObjectiveFactory(organization=org, title="P", status="draft")
    i = InitiativeFactory(organization=org, objective=o, title="I")
    j = InitiativeFactory(organization=org, objective=o, title="J", status="on_hold")
    k = InitiativeFactory(organization=org, title="K")
    tasks = {
        "t1": TaskFactory(organization=org, team=team, objective=o, effort_hours=Decimal(3)),
        "t2": TaskFactory(organization=org, team=team, initiative=i, effort_hours=None),
        "t3": TaskFactory(organization=org, team=team, initiative=j, effort_hours=Decimal("2.5")),
        "t4": TaskFactory(organization=org, team=team, initiative=k, effort_hours=Decimal(1)),
        "t5": TaskFactory(organization=org, team=team, effort_hours=Decimal(5)),
        "t6": TaskFactory(organization=org, team=team, objective=p, effort_hours=Decimal(6), **done_on(-2)),
        "t7": TaskFactory(organization=org, team=team, initiative=i, effort_hours=Decimal(7), **done_on(-99)),
    }  # fmt: skip
    return SimpleNamespace(org=org, team=team, o=o, p=p, i=i, j=j, k=k, **tasks)


def marks(org: Organization) -> set[tuple[int, int]]:
    return set(TaskSumMark.objects.for_org(org).values_list("objective_id", "initiative_id"))


def refreshed(org: Organization, as_of: date = D) -> bool:
    org.refresh_from_db()
    return task_sums_kept_refresh(
        organization_id=org.pk, parameters=parameters_at(organization=org, as_of=as_of)
    )


def read(org: Organization) -> tuple[tuple[TaskGroup, ...], tuple[TeamEffort, ...]]:
    """The task groups and team efforts a recompute at D reads."""
    org.refresh_from_db()
    with consistent_read():
        inputs = scoring_inputs_fetch(
            organization_id=org.pk, parameters=parameters_at(organization=org, as_of=D)
        )
    return inputs.task_groups, inputs.team_efforts


def grouped(org: Organization) -> tuple[tuple[TaskGroup, ...], tuple[TeamEffort, ...]]:
    """The same, grouped from the tallies in the database."""
    org.refresh_from_db()
    cascade = cascade_build(objectives_fetch(organization_id=org.pk), D)
    return task_sums_fetch(
        organization_id=org.pk,
        parameters=parameters_at(organization=org, as_of=D),
        objective_ids=frozenset(cascade.nodes),
        live_objective_ids=cascade.live,
    )


def tamper(org: Organization, objective_id: int, initiative_id: int, open_tasks: int) -> None:
    """Change the kept open tasks of a link behind the triggers' back."""
    piece = TaskSumsPiece.objects.for_org(org).get(piece=piece_of((objective_id, initiative_id)))
    kept = kept_unpacked(bytes(piece.sums))
    kept.links = [
        (*row[:2], open_tasks, *row[3:]) if row[:2] == (objective_id, initiative_id) else row
        for row in kept.links
    ]
    piece.sums = kept_packed(kept)
    piece.save(update_fields=["sums"])


def groups_by_link(groups: tuple[TaskGroup, ...]) -> dict:
    """link → (open hours, open tasks, done hours, done tasks, recent hours, recent tasks)."""
    return {
        (g.objective_id, g.initiative_id): (
            *(g.open_effort, g.open_count, g.done_effort, g.done_count),
            *(g.recent_done_effort, g.recent_done_count),
        )
        for g in groups
    }


# The sums read: hand-worked, and equal to the tallies' grouped sums.


def test_the_kept_sums_hold_the_hand_worked_groups_and_team(plan):
    # given the plan, its sums kept at D
    org = plan.org
    assert refreshed(org) is True
    assert marks(org) == set()
    # when a recompute reads them
    groups, teams = read(org)
    # then each link sums its own tasks (open, done, and done in the window), E for t2
    assert groups_by_link(groups) == {
        (plan.o.pk, None): (3.0, 1, 0.0, 0, 0.0, 0),
        (None, plan.i.pk): (4.0, 1, 7.0, 1, 0.0, 0),
        (None, plan.j.pk): (2.5, 1, 0.0, 0, 0.0, 0),
        (None, plan.k.pk): (1.0, 1, 0.0, 0, 0.0, 0),
        (None, None): (5.0, 1, 0.0, 0, 0.0, 0),
        (plan.p.pk, None): (0.0, 0, 6.0, 1, 6.0, 1),
    }
    # and T's effort is classed as worked out above
    assert teams == (
        TeamEffort(
            team_id=plan.team.pk,
            aligned_effort=7.0,
            total_effort=21.5,
            orphan_effort=6.0,
            orphan_tasks=2,
            misaligned_tasks=2,
        ),
    )
    # and both are exactly what the tallies' grouped sums give
    assert (groups, teams) == grouped(org)


def test_the_classes_follow_the_plan_at_read_time_without_summing_again(plan):
    # given the plan, kept
    org = plan.org
    refreshed(org)
    # when J becomes active and O is cancelled (no task written: nothing marked)
    type(plan.j).objects.filter(pk=plan.j.pk).update(status="active")
    type(plan.o).objects.filter(pk=plan.o.pk).update(status="cancelled")
    assert marks(org) == set()
    # then the read classes t1, t2 and t3 as misaligned too (O is not live), from the same kept sums
    _, teams = read(org)
    team = teams[0]
    assert (team.aligned_effort, team.total_effort - team.orphan_effort, team.misaligned_tasks) == (
        0.0,
        15.5,
        4,
    )
    assert read(org) == grouped(org)


def test_a_new_default_effort_is_applied_at_read_time(plan):
    # given the plan, kept; when E becomes 2.25 h
    org = plan.org
    refreshed(org)
    Organization.objects.filter(pk=org.pk).update(default_task_effort_hours=Decimal("2.25"))
    # then t2 counts 2.25 h, nothing summed again
    assert refreshed(org) is False
    groups, teams = read(org)
    assert groups_by_link(groups)[(None, plan.i.pk)][0] == 2.25
    assert teams[0].aligned_effort == 5.25
    assert (groups, teams) == grouped(org)


# Marks: every write of a task's tallies marks its links, and nothing else does.


def test_writing_a_task_marks_its_links_and_moving_it_marks_both(plan):
    org = plan.org
    refreshed(org)
    # when t1 is renamed, then nothing is marked (its tallies are unchanged)
    Task.objects.filter(pk=plan.t1.pk).update(title="t1, renamed")
    assert marks(org) == set()
    # when t1's estimate changes, then its link is marked
    Task.objects.filter(pk=plan.t1.pk).update(effort_hours=Decimal(4))
    assert marks(org) == {(plan.o.pk, 0)}
    # when t3 moves from J to K, then both of its links are
    Task.objects.filter(pk=plan.t3.pk).update(initiative=plan.k)
    assert marks(org) == {(plan.o.pk, 0), (0, plan.j.pk), (0, plan.k.pk)}
    # and a refresh takes them all
    assert refreshed(org) is True
    assert marks(org) == set()


def test_a_person_moving_marks_the_links_of_the_tasks_without_a_team(plan):
    # given a task on O assigned to a person of T, without a team of its own
    org = plan.org
    person = PersonFactory(organization=org, team=plan.team)
    TaskFactory(organization=org, objective=plan.o, assignee=person, effort_hours=Decimal(2))
    refreshed(org)
    # when the person moves to another team, then O's link is marked (its effort changes team)
    type(person).objects.filter(pk=person.pk).update(team=TeamFactory(organization=org))
    assert marks(org) == {(plan.o.pk, 0)}
    refreshed(org)
    assert read(org) == grouped(org)


# Refresh: the marked links alone, or everything for another window.


def test_a_refresh_without_marks_keeps_what_it_has(plan):
    # given the plan, kept, then O's link tampered with (so that a sum would show)
    org = plan.org
    refreshed(org)
    tamper(org, plan.o.pk, 0, 9)
    # when nothing was written since, then a refresh sums nothing and the read gives the kept count
    assert refreshed(org) is False
    assert groups_by_link(read(org)[0])[(plan.o.pk, None)][1] == 9


def test_a_refresh_sums_again_the_marked_links_alone(plan):
    # given the plan, kept, then O's and K's links tampered with
    org = plan.org
    refreshed(org)
    tamper(org, plan.o.pk, 0, 9)
    tamper(org, 0, plan.k.pk, 9)
    # when a task is added on K (K's link alone is marked)
    TaskFactory(organization=org, team=plan.team, initiative=plan.k, effort_hours=Decimal("0.5"))
    assert refreshed(org) is True
    # then K is summed again (2 open tasks, 1.5 h) and O keeps its tampered count: it was not summed
    groups = groups_by_link(read(org)[0])
    assert groups[(None, plan.k.pk)][:2] == (1.5, 2)
    assert groups[(plan.o.pk, None)][1] == 9


def test_another_window_sums_everything_again(plan):
    # given the plan, kept at D and tampered with
    org = plan.org
    refreshed(org)
    tamper(org, plan.o.pk, 0, 9)
    # when the sums are refreshed for the next day, then everything is summed again, tampering gone
    assert refreshed(org, D + timedelta(days=1)) is True
    org.refresh_from_db()
    parameters = parameters_at(organization=org, as_of=D + timedelta(days=1))
    assert task_sums_kept_differences(organization_id=org.pk, parameters=parameters) == []
    assert TaskSumsKept.objects.for_org(org).get().as_of == D + timedelta(days=1)


# Reads: whatever is marked and not yet refreshed, the read equals the tallies' sums.


def test_the_read_sums_the_tallies_while_a_write_is_unrefreshed(plan):
    # given the plan, kept and tampered with
    org = plan.org
    refreshed(org)
    tamper(org, plan.o.pk, 0, 9)
    # when t5 is linked to O, unrefreshed
    Task.objects.filter(pk=plan.t5.pk).update(objective=plan.o)
    # then the read is the tallies' grouped sums: O has t1 and t5, nothing is unlinked
    groups, teams = read(org)
    assert (groups, teams) == grouped(org)
    assert groups_by_link(groups)[(plan.o.pk, None)][:2] == (8.0, 2)
    assert (None, None) not in groups_by_link(groups)


def test_a_recompute_refreshes_the_kept_sums_and_the_snapshot_shows_them(plan):
    # given the plan, never kept; when the scores are recomputed at D
    org = plan.org
    snapshot = scores_recompute(organization_id=org.pk, as_of=D)
    # then the sums are kept for D, and the snapshot's team row shows T's classes
    assert TaskSumsKept.objects.for_org(org).get().as_of == D
    row = TeamScore.objects.get(snapshot=snapshot, team=plan.team)
    assert (row.aligned_effort, row.misaligned_effort, row.orphan_effort, row.total_effort) == (
        7.0,
        8.5,
        6.0,
        21.5,
    )
    parts = snapshot.parts["alignment"]
    assert (parts["aligned_effort"], parts["misaligned_effort"], parts["orphan_effort"]) == (7.0, 8.5, 6.0)


# Verification, rebuild, the nightly repair and deleted organizations.


def test_the_command_finds_kept_sums_that_differ_and_rebuild_repairs_them(plan, capsys):
    org = plan.org
    refreshed(org)
    tamper(org, plan.o.pk, 0, 9)
    with pytest.raises(CommandError, match=f"Kept task sums differs in {org.slug}: run with --rebuild"):
        call_command("kept_task_sums", "--org", org.slug, "--as-of", D.isoformat())
    out = capsys.readouterr().out
    assert f"{org.slug}: kept task sums differs from a count in 1:" in out
    assert (
        f"objective {plan.o.pk}, initiative 0: kept open 9 tasks, 3 h estimated, 0 without, done 0 tasks"
        in out
    )
    assert "; counted open 1 tasks, 3 h estimated, 0 without, done 0 tasks" in out
    call_command("kept_task_sums", "--org", org.slug, "--as-of", D.isoformat(), "--rebuild")
    call_command("kept_task_sums", "--org", org.slug, "--as-of", D.isoformat())
    assert f"{org.slug}: kept task sums at 2027-01-01 agrees with a count" in capsys.readouterr().out


def test_the_command_says_when_nothing_is_kept(plan, capsys):
    fresh = OrganizationFactory()
    call_command("kept_task_sums")
    assert f"{fresh.slug}: no task sums kept yet (counted at the first recompute)" in capsys.readouterr().out


def test_rebuild_sums_again_whatever_was_kept(plan):
    org = plan.org
    refreshed(org)
    tamper(org, plan.o.pk, 0, 9)
    task_sums_kept_rebuild(organization_id=org.pk, parameters=parameters_at(organization=org, as_of=D))
    assert read(org) == grouped(org)


def test_the_nightly_job_logs_and_repairs_kept_sums_that_differ(plan, caplog, monkeypatch):
    org = plan.org
    refreshed(org)
    tamper(org, plan.o.pk, 0, 9)
    monkeypatch.setattr(recompute_scores_task, "apply_async", lambda **kwargs: None)
    daily_snapshots_task()
    assert (
        f"kept task sums of organization {org.pk} at 2027-01-01 differed from a count in 1 places"
        in caplog.text
    )
    assert read(org) == grouped(org)
    assert groups_by_link(read(org)[0])[(plan.o.pk, None)][1] == 1


def test_the_rows_of_deleted_organizations_are_dropped():
    # given an organization with a task, kept, then written again (marked), then deleted
    org = OrganizationFactory()
    task = TaskFactory(organization=org, effort_hours=Decimal(2))
    refreshed(org)
    Task.objects.filter(pk=task.pk).update(effort_hours=Decimal(1))
    org_id = org.pk
    org.delete()
    assert TaskSumsKept.objects.filter(organization_id=org_id).exists()
    # when the deleted organizations' rows are removed, then none of its marks and kept sums are left
    kept_of_deleted_organizations_remove()
    assert not TaskSumsKept.objects.filter(organization_id=org_id).exists()
    assert not TaskSumsPiece.objects.filter(organization_id=org_id).exists()
    assert not TaskSumMark.objects.filter(organization_id=org_id).exists()
