"""The staffing kept between recomputes (`scoring.staffing_kept`): the writes that can change it mark the
organization in their own transaction (`scoring.staffing_marks`), a refresh counts it again only after
such a write or for a new D, H or K, and what a recompute reads equals a count from scratch.

Hand-worked, with H = 90 and K = 3: P (10 h/week) is allocated 8 h/week to A and 6 h/week to B, both
active with no end date, since long before D. P's load is 14 h/week over a capacity of 10, so
f_P = 10/14 and P is listed over capacity; A's window is H = 90 days, so A's factored hours are
8 × 10/14 ≈ 5.714 h/week and its supply 8 × 10/14 × 90/7 ≈ 73.47 h; B's 6 × 10/14 ≈ 4.286 h/week and
6 × 10/14 × 90/7 ≈ 55.10 h.
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
from objectives.models import Initiative
from resources.models import Allocation, Person
from scoring.drift_kept import kept_of_deleted_organizations_remove
from scoring.engine.inputs import Staffing
from scoring.fetch import consistent_read, parameters_at
from scoring.fetch_staffing import staffing_fetch
from scoring.models import InitiativeScore, StaffingKept, StaffingMark
from scoring.services import scores_recompute
from scoring.staffing_kept import (
    staffing_kept_differences,
    staffing_kept_fetch,
    staffing_kept_rebuild,
    staffing_kept_refresh,
    staffing_packed,
    staffing_unpacked,
)
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
F_P = 10 / 14


@pytest.fixture
def plan():
    org = OrganizationFactory()
    a, b = InitiativeFactory(organization=org, title="A"), InitiativeFactory(organization=org, title="B")
    p = PersonFactory(organization=org, name="P", weekly_capacity_hours=Decimal(10))
    for initiative, hours in ((a, 8), (b, 6)):
        AllocationFactory(
            organization=org,
            person=p,
            initiative=initiative,
            hours_per_week=Decimal(hours),
            start_date=LONG_AGO,
        )
    return SimpleNamespace(org=org, a=a, b=b, p=p)


def marks(org: Organization) -> int:
    return StaffingMark.objects.for_org(org).count()


def refreshed(org: Organization, as_of: date = D) -> bool:
    org.refresh_from_db()
    return staffing_kept_refresh(
        organization_id=org.pk, parameters=parameters_at(organization=org, as_of=as_of)
    )


def kept(org: Organization) -> Staffing:
    org.refresh_from_db()
    with consistent_read():
        return staffing_kept_fetch(
            organization_id=org.pk, parameters=parameters_at(organization=org, as_of=D)
        )


def counted(org: Organization) -> Staffing:
    org.refresh_from_db()
    return staffing_fetch(organization_id=org.pk, parameters=parameters_at(organization=org, as_of=D))


def tamper(org: Organization, initiative_id: int, supply: float) -> None:
    """Change the kept supply of an initiative behind the triggers' back."""
    row = StaffingKept.objects.for_org(org).get()
    staffing = staffing_unpacked(bytes(row.staffing))
    row.staffing = staffing_packed(replace(staffing, supply={**staffing.supply, initiative_id: supply}))
    row.save(update_fields=["staffing"])


# Marks: every write that can change the staffing, and none other.


def test_allocations_made_moved_and_deleted_mark_the_organization(plan):
    # given the plan, its marks taken by a first count
    org, a, b, p = plan.org, plan.a, plan.b, plan.p
    assert refreshed(org) is True
    assert marks(org) == 0
    # when an allocation is made, moved and deleted, then each write marks the organization
    allocation = AllocationFactory(organization=org, person=p, initiative=a, hours_per_week=Decimal(1))
    assert marks(org) == 1
    Allocation.objects.filter(pk=allocation.pk).update(initiative=b)
    assert marks(org) == 2
    Allocation.objects.filter(pk=allocation.pk).delete()
    assert marks(org) == 3


def test_a_capacity_or_activity_change_marks_and_a_rename_does_not(plan):
    # given the plan, counted
    org, p = plan.org, plan.p
    refreshed(org)
    # when P is renamed, then nothing is marked
    Person.objects.filter(pk=p.pk).update(name="P, renamed")
    assert marks(org) == 0
    # when P's capacity changes, and then P leaves, then each marks the organization
    Person.objects.filter(pk=p.pk).update(weekly_capacity_hours=Decimal(12))
    assert marks(org) == 1
    Person.objects.filter(pk=p.pk).update(active=False)
    assert marks(org) == 2


def test_a_status_or_end_date_change_marks_and_a_title_change_does_not(plan):
    org, a = plan.org, plan.a
    refreshed(org)
    Initiative.objects.filter(pk=a.pk).update(title="A, renamed")
    assert marks(org) == 0
    Initiative.objects.filter(pk=a.pk).update(end_date=D + timedelta(days=10))
    assert marks(org) == 1
    Initiative.objects.filter(pk=a.pk).update(status="on_hold")
    assert marks(org) == 2


def test_deleting_a_person_or_an_initiative_marks_and_a_task_does_not(plan):
    org, a, p = plan.org, plan.a, plan.p
    refreshed(org)
    TaskFactory(organization=org, initiative=a, assignee=p, status="todo")
    assert marks(org) == 0
    a.delete()
    assert marks(org) >= 1
    refreshed(org)
    p.delete()
    assert marks(org) >= 1


# Refresh: only after a mark, or for new parameters.


def test_a_first_count_holds_the_hand_worked_staffing(plan):
    # given the plan, when its staffing is first counted
    org, a, b, p = plan.org, plan.a, plan.b, plan.p
    refreshed(org)
    staffing = kept(org)
    # then A and B are supplied as worked out above, and P is over capacity with f_P = 10/14
    assert staffing.factored_hours == {a.pk: pytest.approx(8 * F_P), b.pk: pytest.approx(6 * F_P)}
    assert staffing.supply == {a.pk: pytest.approx(8 * F_P * 90 / 7), b.pk: pytest.approx(6 * F_P * 90 / 7)}
    assert [
        (person.person_id, person.load, person.capacity, person.allocations) for person in staffing.loaded
    ] == [(p.pk, 14.0, 10.0, 2)]
    assert staffing.loaded[0].factor == pytest.approx(F_P)
    # and it is exactly what a count from scratch gives
    assert staffing == counted(org)


def test_a_refresh_without_marks_keeps_what_it_has(plan):
    # given the plan, counted, then A's kept supply tampered with (so that a count would show)
    org, a = plan.org, plan.a
    refreshed(org)
    tamper(org, a.pk, 1.0)
    # when nothing was written since, then a refresh counts nothing and the read gives the kept supply
    assert refreshed(org) is False
    assert kept(org).supply[a.pk] == 1.0


def test_a_marked_write_is_counted_by_the_next_refresh(plan):
    # given the plan, counted and tampered with
    org, a, p = plan.org, plan.a, plan.p
    refreshed(org)
    tamper(org, a.pk, 1.0)
    # when P's capacity rises to 14 h/week (P is no longer over capacity: f_P = 1)
    Person.objects.filter(pk=p.pk).update(weekly_capacity_hours=Decimal(14))
    # then the refresh counts again: A has its 8 h/week at f_P = 1, and nobody is listed
    assert refreshed(org) is True
    assert marks(org) == 0
    assert kept(org).factored_hours[a.pk] == 8.0
    assert kept(org).supply[a.pk] == pytest.approx(8 * 90 / 7)
    assert kept(org).loaded == ()


@pytest.mark.parametrize(
    ("change", "as_of"),
    [({}, D + timedelta(days=1)), ({"planning_horizon_days": 30}, D), ({"spread_thin_allocations": 1}, D)],
    ids=["a new day", "a new horizon H", "a new K"],
)
def test_a_new_day_or_new_settings_count_again(plan, change, as_of):
    # given the plan, counted and tampered with
    org, a = plan.org, plan.a
    refreshed(org)
    tamper(org, a.pk, 1.0)
    # when D, H or K changes, then the refresh counts again, tampering gone
    Organization.objects.filter(pk=org.pk).update(**change)
    assert refreshed(org, as_of) is True
    org.refresh_from_db()
    assert (
        staffing_kept_differences(
            organization_id=org.pk, parameters=parameters_at(organization=org, as_of=as_of)
        )
        == []
    )
    assert staffing_unpacked(bytes(StaffingKept.objects.for_org(org).get().staffing)).supply[a.pk] != 1.0


# Reads: whatever is marked and not yet refreshed, the kept staffing read equals a count.


def test_the_read_counts_afresh_what_was_written_since_the_refresh(plan):
    # given the plan, counted and tampered with
    org, a, b = plan.org, plan.a, plan.b
    refreshed(org)
    tamper(org, a.pk, 1.0)
    # when P's allocation to B ends before D, unrefreshed
    Allocation.objects.for_org(org).filter(initiative=b).update(end_date=D - timedelta(days=1))
    # then the read is a count from scratch: A alone, P at 8 of 10 h/week (f_P = 1), nobody listed
    staffing = kept(org)
    assert staffing == counted(org)
    assert staffing.supply == {a.pk: pytest.approx(8 * 90 / 7)}
    assert staffing.loaded == ()


def test_a_recompute_refreshes_the_kept_staffing_and_the_snapshot_shows_it(plan):
    # given the plan, never counted
    org, a = plan.org, plan.a
    # when the scores are recomputed at D
    snapshot = scores_recompute(organization_id=org.pk, as_of=D)
    # then the staffing is kept for D, and A's row shows its supply
    assert StaffingKept.objects.for_org(org).get().as_of == D
    assert InitiativeScore.objects.get(snapshot=snapshot, initiative=a).supply == pytest.approx(
        8 * F_P * 90 / 7
    )


# Verification, rebuild and the nightly repair.


def test_the_command_finds_kept_staffing_that_differs_and_rebuild_repairs_it(plan, capsys):
    # given the plan, counted, then A's kept supply corrupted behind the triggers' back
    org, a = plan.org, plan.a
    refreshed(org)
    tamper(org, a.pk, 1.0)
    # when the command checks it at D, then it names A with both supplies and fails
    with pytest.raises(CommandError, match=f"Kept staffing differs in {org.slug}: run with --rebuild"):
        call_command("kept_staffing", "--org", org.slug, "--as-of", D.isoformat())
    out = capsys.readouterr().out
    assert f"{org.slug}: kept staffing differs from a count in 1:" in out
    assert f"initiative {a.pk}: kept supply 1.0 h (" in out
    # when it rebuilds, then the kept staffing agrees again
    call_command("kept_staffing", "--org", org.slug, "--as-of", D.isoformat(), "--rebuild")
    call_command("kept_staffing", "--org", org.slug, "--as-of", D.isoformat())
    assert f"{org.slug}: kept staffing at 2027-01-01 agrees with a count" in capsys.readouterr().out


def test_the_command_says_when_nothing_is_kept(plan, capsys):
    # given one organization never counted and the plan counted at D, then its horizon changed
    fresh = OrganizationFactory()
    org = plan.org
    refreshed(org)
    Organization.objects.filter(pk=org.pk).update(planning_horizon_days=30)
    # when the command checks every organization, then it says so for both, and does not fail
    call_command("kept_staffing")
    out = capsys.readouterr().out
    assert f"{fresh.slug}: no staffing kept yet (counted at the first recompute)" in out
    assert f"{org.slug}: no staffing kept for 2027-01-01 with the organization's current settings" in out


def test_rebuild_counts_again_whatever_was_kept(plan):
    org, a = plan.org, plan.a
    refreshed(org)
    tamper(org, a.pk, 1.0)
    staffing_kept_rebuild(organization_id=org.pk, parameters=parameters_at(organization=org, as_of=D))
    assert kept(org) == counted(org)


def test_the_nightly_job_logs_and_repairs_kept_staffing_that_differs(plan, caplog, monkeypatch):
    # given the plan counted at D, then A's kept supply corrupted
    org, a = plan.org, plan.a
    refreshed(org)
    tamper(org, a.pk, 1.0)
    monkeypatch.setattr(recompute_scores_task, "apply_async", lambda **kwargs: None)
    # when the nightly snapshots job runs
    daily_snapshots_task()
    # then it logged the difference at the D last kept for and counted again
    assert (
        f"kept staffing of organization {org.pk} at 2027-01-01 differed from a count in 1 places"
        in caplog.text
    )
    assert f"initiative {a.pk}: kept supply 1.0 h" in caplog.text
    assert kept(org) == counted(org)


def test_the_rows_of_deleted_organizations_are_dropped(plan):
    # given the plan counted, then marked again, then the organization deleted
    org = plan.org
    refreshed(org)
    AllocationFactory(organization=org, person=plan.p, initiative=plan.a, hours_per_week=Decimal(2))
    org_id = org.pk
    org.delete()
    assert StaffingKept.objects.filter(organization_id=org_id).exists()
    # when the deleted organizations' rows are removed, then none of its marks and kept staffing are left
    kept_of_deleted_organizations_remove()
    assert not StaffingKept.objects.filter(organization_id=org_id).exists()
    assert not StaffingMark.objects.filter(organization_id=org_id).exists()
