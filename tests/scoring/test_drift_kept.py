"""The kept staffing drift (`scoring.drift_kept`): the writes that can change an initiative's drift mark
it in their own transaction (`scoring.drift_marks`), a refresh recounts the marked initiatives alone,
and counts whole when D, W, H or E changed; what a recompute reads equals a count from scratch.

Hand-worked: person P works 5 h (one open task of 5 h) on initiative A without an allocation, and Q is
allocated 8 h/week to A since long before D without any work on it, so A's drift is one person
working unallocated (5 h) and one allocation of 8 h without work.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from execgap.models import Organization
from objectives.models import Task
from objectives.tallies import tallies_window_roll
from resources.models import Allocation, Person
from scoring.drift_kept import (
    MARKED_AT_MOST,
    drift_counts_refresh,
    drift_kept_differences,
    drift_kept_fetch,
    drift_kept_rebuild,
)
from scoring.engine.inputs import InitiativeDrift
from scoring.fetch import parameters_at
from scoring.fetch_drift import drift_fetch
from scoring.models import DriftCount, DriftMark, InitiativeScore
from scoring.services import scores_recompute
from scoring.tasks import daily_snapshots_task, recompute_scores_task
from tests.factories import (
    AllocationFactory,
    InitiativeFactory,
    OrganizationFactory,
    PersonFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

D = date(2027, 1, 1)
LONG_AGO = D - timedelta(days=60)


@pytest.fixture
def plan():
    org = OrganizationFactory()
    tallies_window_roll(organization_id=org.pk, first_day=D - timedelta(days=27), last_day=D)
    a, b = InitiativeFactory(organization=org, title="A"), InitiativeFactory(organization=org, title="B")
    p, q = PersonFactory(organization=org, name="P"), PersonFactory(organization=org, name="Q")
    TaskFactory(organization=org, initiative=a, assignee=p, status="todo", effort_hours=Decimal(5))
    AllocationFactory(
        organization=org, person=q, initiative=a, hours_per_week=Decimal(8), start_date=LONG_AGO
    )
    return SimpleNamespace(org=org, a=a, b=b, p=p, q=q)


def marked(org: Organization) -> set[int]:
    return set(DriftMark.objects.for_org(org).values_list("initiative_id", flat=True))


def refreshed(org: Organization, as_of: date = D) -> int | None:
    org.refresh_from_db()
    return drift_counts_refresh(
        organization_id=org.pk, parameters=parameters_at(organization=org, as_of=as_of)
    )


def kept(org: Organization) -> dict[int, InitiativeDrift]:
    return drift_kept_fetch(
        organization_id=org.pk, parameters=parameters_at(organization=org, as_of=D)
    ).initiatives


def a_drift(a) -> InitiativeDrift:
    return InitiativeDrift(
        initiative_id=a.pk,
        unallocated_people=1,
        unplanned_effort=5.0,
        idle_people=1,
        idle_allocations=1,
        idle_hours=8.0,
    )


# Marks: every write that can change a drift, and none other.


def test_the_writes_of_the_plan_mark_the_initiatives_they_touch(plan):
    # given the plan, its marks taken by a first count
    org, b, p = plan.org, plan.b, plan.p
    assert refreshed(org) is None  # nothing counted yet: counted whole
    assert marked(org) == set()
    # when P gets a task on B
    TaskFactory(organization=org, initiative=b, assignee=p, status="in_progress")
    # then B is marked
    assert marked(org) == {b.pk}


def test_an_allocation_marks_its_initiative_and_a_move_marks_both(plan):
    # given the plan, counted
    org, a, b, q = plan.org, plan.a, plan.b, plan.q
    refreshed(org)
    # when Q's allocation moves from A to B
    Allocation.objects.for_org(org).filter(person=q).update(initiative=b)
    # then both are marked; and a deletion marks B again (its mark counting two changes)
    assert marked(org) == {a.pk, b.pk}
    Allocation.objects.for_org(org).filter(person=q).delete()
    assert DriftMark.objects.for_org(org).get(initiative_id=b.pk).changes == 2


def test_a_status_change_marks_the_initiative_and_a_title_change_does_not(plan):
    # given the plan, counted
    org, a, b = plan.org, plan.a, plan.b
    refreshed(org)
    # when B is renamed, then nothing is marked
    b.title = "B, renamed"
    b.save()
    assert marked(org) == set()
    # when A is put on hold, then A is marked
    a.status = "on_hold"
    a.save()
    assert marked(org) == {a.pk}


def test_a_person_becoming_inactive_marks_what_they_work_on_and_a_rename_does_not(plan):
    # given the plan, counted
    org, a, p = plan.org, plan.a, plan.p
    refreshed(org)
    # when P is renamed, then nothing is marked
    Person.objects.filter(pk=p.pk).update(name="P, renamed")
    assert marked(org) == set()
    # when P leaves (inactive), then A, where P works, is marked (not B: nobody works on it)
    Person.objects.filter(pk=p.pk).update(active=False)
    assert marked(org) == {a.pk}


def test_a_task_without_an_assignee_or_an_initiative_marks_nothing(plan):
    org, b, p = plan.org, plan.b, plan.p
    refreshed(org)
    TaskFactory(organization=org, initiative=b, assignee=None)
    TaskFactory(organization=org, initiative=None, assignee=p)
    assert marked(org) == set()


def test_deleting_an_initiative_marks_it(plan):
    org, b = plan.org, plan.b
    refreshed(org)
    deleted = b.pk
    b.delete()
    assert marked(org) == {deleted}


# Refresh: the marked alone, or everything when the key changed.


def test_a_first_count_holds_the_hand_worked_drift(plan):
    # given the plan
    org, a = plan.org, plan.a
    # when its drift is counted
    refreshed(org)
    # then A has one unallocated person (5 h) and one idle allocation (8 h); B has no drift
    assert kept(org) == {a.pk: a_drift(a)}
    assert DriftCount.objects.for_org(org).count() == 1


def test_a_refresh_recounts_the_marked_initiatives_alone(plan):
    # given the plan, counted, and B's kept count tampered with (so that a recount of B would show)
    org, a, b, q = plan.org, plan.a, plan.b, plan.q
    refreshed(org)
    DriftCount.objects.create(
        organization=org,
        initiative_id=b.pk,
        unallocated_people=7,
        unplanned_effort=Decimal(7),
        idle_people=0,
        idle_allocations=0,
        idle_hours=Decimal(0),
    )
    # when Q gets a 3 h task on A (so Q's allocation has work: no longer idle)
    TaskFactory(organization=org, initiative=a, assignee=q, status="todo", effort_hours=Decimal(3))
    # then the refresh recounts A alone, which now has P unallocated and no idle allocation
    assert refreshed(org) == 1
    assert marked(org) == set()
    assert kept(org)[a.pk] == replace(a_drift(a), idle_people=0, idle_allocations=0, idle_hours=0.0)
    # and B's tampered count is still there, unread by the refresh
    assert kept(org)[b.pk].unallocated_people == 7


def test_a_new_day_or_new_settings_count_everything_again(plan):
    # given the plan, counted, with B's kept count tampered with
    org, a, b = plan.org, plan.a, plan.b
    refreshed(org)
    DriftCount.objects.create(
        organization=org,
        initiative_id=b.pk,
        unallocated_people=7,
        unplanned_effort=Decimal(7),
        idle_people=0,
        idle_allocations=0,
        idle_hours=Decimal(0),
    )
    # when E changes, then everything is counted again: B's count is gone
    Organization.objects.filter(pk=org.pk).update(default_task_effort_hours=Decimal(6))
    assert refreshed(org) is None
    assert kept(org) == {a.pk: a_drift(a)}
    # and so on the next day (the window rolled with it)
    tallies_window_roll(
        organization_id=org.pk, first_day=D - timedelta(days=26), last_day=D + timedelta(days=1)
    )
    assert refreshed(org, D + timedelta(days=1)) is None


def test_more_marks_than_a_list_can_hold_count_everything(plan):
    # given the plan, counted, and more initiatives marked than MARKED_AT_MOST
    org, a = plan.org, plan.a
    refreshed(org)
    DriftMark.objects.bulk_create(
        DriftMark(organization=org, initiative_id=10**9 + n) for n in range(MARKED_AT_MOST + 1)
    )
    # then the read counts everything, and so does the refresh
    assert kept(org) == {a.pk: a_drift(a)}
    assert refreshed(org) is None
    assert marked(org) == set()


# Reads: whatever is marked and not yet refreshed, the kept drift equals a count from scratch.


def test_the_read_recounts_what_is_marked_since_the_refresh(plan):
    # given the plan, counted
    org, b, p, q = plan.org, plan.b, plan.p, plan.q
    refreshed(org)
    # when P's task moves to B and Q gets an allocation to B, unrefreshed
    Task.objects.for_org(org).filter(assignee=p).update(initiative=b)
    AllocationFactory(
        organization=org, person=q, initiative=b, hours_per_week=Decimal(2), start_date=LONG_AGO
    )
    # then the kept drift read is the drift counted from scratch
    parameters = parameters_at(organization=org, as_of=D)
    assert kept(org) == drift_fetch(organization_id=org.pk, parameters=parameters).initiatives
    assert kept(org)[b.pk] == InitiativeDrift(
        initiative_id=b.pk,
        unallocated_people=1,
        unplanned_effort=5.0,
        idle_people=1,
        idle_allocations=1,
        idle_hours=2.0,
    )


def test_a_recompute_refreshes_and_stores_the_kept_drift(plan):
    # given the plan, never counted
    org, a = plan.org, plan.a
    # when the scores are recomputed at D
    snapshot = scores_recompute(organization_id=org.pk, as_of=D)
    # then the kept counts hold A's drift and the snapshot shows it
    assert kept(org) == {a.pk: a_drift(a)}
    row = InitiativeScore.objects.get(snapshot=snapshot, initiative=a)
    assert (row.drift_unallocated_people, row.drift_idle_people, row.drift_idle_hours) == (1, 1, 8.0)


# Verification and rebuild.


def test_the_command_finds_a_kept_count_that_differs_and_rebuild_repairs_it(plan, capsys):
    # given the plan, counted, then A's kept count corrupted behind the triggers' back
    org, a = plan.org, plan.a
    refreshed(org)
    DriftCount.objects.for_org(org).filter(initiative_id=a.pk).update(unallocated_people=3)
    parameters = parameters_at(organization=org, as_of=D)
    assert drift_kept_differences(organization_id=org.pk, parameters=parameters) == {
        a.pk: (replace(a_drift(a), unallocated_people=3), a_drift(a))
    }
    # when the command checks it at D, then it names A and fails
    with pytest.raises(CommandError, match="differ"):
        call_command("kept_drift", "--org", org.slug, "--as-of", D.isoformat())
    assert (
        f"initiative {a.pk}: kept 3 unallocated (5.0 h), 1 idle (1 allocations, 8.0 h/week);"
        " counted 1 unallocated (5.0 h), 1 idle (1 allocations, 8.0 h/week)"
    ) in capsys.readouterr().out
    # when it rebuilds, then the kept counts agree again
    call_command("kept_drift", "--org", org.slug, "--as-of", D.isoformat(), "--rebuild")
    assert drift_kept_differences(organization_id=org.pk, parameters=parameters) == {}
    call_command("kept_drift", "--org", org.slug, "--as-of", D.isoformat())
    assert "agrees with a count" in capsys.readouterr().out


def test_rebuild_counts_everything(plan):
    org, a = plan.org, plan.a
    refreshed(org)
    DriftCount.objects.for_org(org).update(idle_people=9)
    drift_kept_rebuild(organization_id=org.pk, parameters=parameters_at(organization=org, as_of=D))
    assert kept(org) == {a.pk: a_drift(a)}


def test_the_command_checks_at_the_d_last_kept_for_by_default(plan, capsys):
    # given an organization never counted and the plan counted at D
    fresh = OrganizationFactory()
    org = plan.org
    refreshed(org)
    # when the command checks every organization without --as-of
    call_command("kept_drift")
    out = capsys.readouterr().out
    # then the plan's counts are checked at D, and the other says nothing is kept yet
    assert f"{org.slug}: kept staffing drift at {D.isoformat()} agrees with a count" in out
    assert f"{fresh.slug}: no staffing drift kept yet" in out


def test_the_command_says_when_the_counts_were_kept_for_other_settings(plan, capsys):
    # given the plan counted at D, then its activity window changed
    org = plan.org
    refreshed(org)
    Organization.objects.filter(pk=org.pk).update(activity_window_days=14)
    # when the command checks at D, then it says nothing is kept for those settings (and does not fail)
    call_command("kept_drift", "--org", org.slug, "--as-of", D.isoformat())
    assert "no staffing drift kept for 2027-01-01 with the organization's current settings" in (
        capsys.readouterr().out
    )


def test_the_command_rejects_an_unknown_organization_and_a_bad_date():
    with pytest.raises(CommandError, match="No organization with the slug 'nowhere'"):
        call_command("kept_drift", "--org", "nowhere")
    with pytest.raises(CommandError, match="--as-of takes a date as YYYY-MM-DD, not '2027-13-01'"):
        call_command("kept_drift", "--as-of", "2027-13-01")


def test_the_nightly_job_logs_and_repairs_a_kept_count_that_differs(plan, caplog, monkeypatch):
    # given the plan counted at D, then A's kept count corrupted behind the triggers' back
    org, a = plan.org, plan.a
    refreshed(org)
    DriftCount.objects.for_org(org).filter(initiative_id=a.pk).update(idle_hours=Decimal(40))
    sent = []
    monkeypatch.setattr(recompute_scores_task, "apply_async", lambda **kwargs: sent.append(kwargs))
    # when the nightly snapshots job runs
    daily_snapshots_task()
    # then it logged the difference at the D last kept for, counted again, and asked for the day's snapshot
    logged = f"organization {org.pk} at 2027-01-01 differed from a count in 1 initiatives ({a.pk})"
    assert logged in caplog.text
    assert kept(org) == {a.pk: a_drift(a)}
    assert {"args": (org.pk,), "kwargs": {"force": True}} in sent


def test_the_nightly_job_drops_the_drift_rows_of_deleted_organizations(plan, monkeypatch):
    # given the plan counted at D, with A marked again, and then the organization deleted
    org = plan.org
    refreshed(org)
    AllocationFactory(organization=org, person=plan.p, initiative=plan.a, hours_per_week=Decimal(2))
    org_id = org.pk
    org.delete()
    assert DriftCount.objects.filter(organization_id=org_id).exists()
    monkeypatch.setattr(recompute_scores_task, "apply_async", lambda **kwargs: None)
    # when the nightly snapshots job runs, then none of its marks and counts are left
    daily_snapshots_task()
    assert not DriftCount.objects.filter(organization_id=org_id).exists()
    assert not DriftMark.objects.filter(organization_id=org_id).exists()
