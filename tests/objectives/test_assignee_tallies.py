"""The assignee tallies (`objectives.tallies.assignees`): the work of each (initiative, assignee) pair,
kept by the database as tasks change. Hand-worked rows for each kind of change; the kept rows agree
with a recount after each."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from objectives.models import AssigneeTally, TaskStatus
from objectives.tallies import (
    NO_DAY,
    Tally,
    assignee_tallies_drift,
    assignee_tallies_kept,
    tallies_rebuild,
    tallies_window_roll,
)
from objectives.tasks import daily_tally_repair_task
from tests.factories import InitiativeFactory, ObjectiveFactory, PersonFactory, TaskFactory

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 15, 30, tzinfo=UTC)


@pytest.fixture
def plan(org):
    tallies_window_roll(organization_id=org.pk, first_day=date(2026, 12, 5), last_day=date(2027, 1, 1))
    return (
        org,
        InitiativeFactory(organization=org, title="Firmware"),
        InitiativeFactory(organization=org, title="Billing"),
        PersonFactory(organization=org, name="Ana"),
        PersonFactory(organization=org, name="Bo"),
    )


def rows(org) -> dict:
    """The kept assignee tallies without zero rows, keyed (initiative, assignee, kind, day)."""
    return {key[1:]: tally for key, tally in assignee_tallies_kept(organization_id=org.pk).items()}


def test_open_and_done_work_is_counted_per_initiative_and_assignee(plan):
    org, firmware, billing, ana, bo = plan
    # given Ana's two open tasks on Firmware (3.5 h and no estimate), her task done on 2026-12-20 (in
    # the window) and one done on 2026-11-01 (before it), Bo's task on Billing, a task of Firmware
    # with no assignee, one of Ana's with no initiative and a cancelled one
    TaskFactory(organization=org, initiative=firmware, assignee=ana, effort_hours=Decimal("3.5"))
    TaskFactory(
        organization=org, initiative=firmware, assignee=ana, status=TaskStatus.BLOCKED, effort_hours=None
    )
    for day in (date(2026, 12, 20), date(2026, 11, 1)):
        TaskFactory(
            organization=org, initiative=firmware, assignee=ana, status=TaskStatus.DONE,
            effort_hours=Decimal(2), completed_at=at(day),
        )  # fmt: skip
    TaskFactory(
        organization=org, initiative=billing, assignee=bo, status=TaskStatus.IN_PROGRESS, effort_hours=1
    )
    TaskFactory(organization=org, initiative=firmware, assignee=None, effort_hours=Decimal(50))
    TaskFactory(organization=org, objective=ObjectiveFactory(organization=org), assignee=ana, effort_hours=7)
    TaskFactory(
        organization=org, initiative=firmware, assignee=ana, status=TaskStatus.CANCELLED, effort_hours=9
    )
    # then each pair's work is counted by kind, and nothing else
    assert rows(org) == {
        (firmware.pk, ana.pk, "open", NO_DAY): Tally(2, Decimal("3.50"), 1),
        (firmware.pk, ana.pk, "day", date(2026, 12, 20)): Tally(1, Decimal("2.00"), 0),
        (firmware.pk, ana.pk, "day", date(2026, 11, 1)): Tally(1, Decimal("2.00"), 0),
        (firmware.pk, ana.pk, "recent", NO_DAY): Tally(1, Decimal("2.00"), 0),
        (billing.pk, bo.pk, "open", NO_DAY): Tally(1, Decimal("1.00"), 0),
        # and the work in scope (open, or done in the window) once per pair: 2 open + 1 recent
        (firmware.pk, ana.pk, "scope", NO_DAY): Tally(3, Decimal("5.50"), 1),
        (billing.pk, bo.pk, "scope", NO_DAY): Tally(1, Decimal("1.00"), 0),
    }
    assert assignee_tallies_drift(organization_id=org.pk) == {}


def test_a_reassigned_or_relinked_task_moves_its_work_to_the_new_pair(plan):
    org, firmware, billing, ana, bo = plan
    task = TaskFactory(organization=org, initiative=firmware, assignee=ana, effort_hours=Decimal(4))
    # when it is handed to Bo, then moved to Billing
    task.assignee = bo
    task.save()
    assert rows(org) == {
        (firmware.pk, bo.pk, kind, NO_DAY): Tally(1, Decimal("4.00"), 0) for kind in ("open", "scope")
    }
    task.initiative = billing
    task.save()
    # then only the new pair holds it
    assert rows(org) == {
        (billing.pk, bo.pk, kind, NO_DAY): Tally(1, Decimal("4.00"), 0) for kind in ("open", "scope")
    }
    assert assignee_tallies_drift(organization_id=org.pk) == {}


def test_deleting_the_person_or_the_initiative_takes_the_work_away(plan):
    org, firmware, billing, ana, bo = plan
    TaskFactory(organization=org, initiative=firmware, assignee=ana, effort_hours=Decimal(4))
    TaskFactory(organization=org, initiative=billing, assignee=bo, effort_hours=Decimal(1))
    # when Ana is deleted (her tasks lose their assignee) and Billing too (its tasks lose their link)
    ana.delete()
    billing.delete()
    # then no pair is left
    assert rows(org) == {}
    assert assignee_tallies_drift(organization_id=org.pk) == {}


def test_rolling_the_window_recounts_recent_work(plan):
    org, firmware, _, ana, _ = plan
    TaskFactory(
        organization=org, initiative=firmware, assignee=ana, status=TaskStatus.DONE,
        effort_hours=Decimal(2), completed_at=at(date(2026, 11, 20)),
    )  # fmt: skip
    assert (firmware.pk, ana.pk, "recent", NO_DAY) not in rows(org)
    assert (firmware.pk, ana.pk, "scope", NO_DAY) not in rows(org)
    # when the window is rolled back over that day
    tallies_window_roll(organization_id=org.pk, first_day=date(2026, 11, 10), last_day=date(2026, 11, 25))
    # then the task is recent work, in the pair's scope
    assert rows(org)[(firmware.pk, ana.pk, "recent", NO_DAY)] == Tally(1, Decimal("2.00"), 0)
    assert rows(org)[(firmware.pk, ana.pk, "scope", NO_DAY)] == Tally(1, Decimal("2.00"), 0)
    assert assignee_tallies_drift(organization_id=org.pk) == {}


def test_drift_is_named_rebuilt_by_the_command_and_repaired_every_night(plan):
    org, firmware, _, ana, _ = plan
    TaskFactory(organization=org, initiative=firmware, assignee=ana, effort_hours=Decimal(4))
    AssigneeTally.objects.for_org(org).filter(kind="open").update(tasks=7)
    key = (org.pk, firmware.pk, ana.pk, "open", NO_DAY)
    # then drift names the key
    assert assignee_tallies_drift(organization_id=org.pk) == {
        key: (Tally(7, Decimal("4.00"), 0), Tally(1, Decimal("4.00"), 0))
    }
    # and the command says where, and fails
    out = io.StringIO()
    with pytest.raises(CommandError, match="Tallies differ"):
        call_command("task_tallies", "--org", org.slug, stdout=out)
    assert f"initiative {firmware.pk} assignee {ana.pk} open 0001-01-01: 7 tasks" in out.getvalue()
    # when rebuilt, they agree
    tallies_rebuild(organization_id=org.pk)
    assert assignee_tallies_drift(organization_id=org.pk) == {}
    # and a drift again is repaired by the nightly job
    AssigneeTally.objects.for_org(org).filter(kind="open").update(effort=Decimal(99))
    assert daily_tally_repair_task() == 1
    assert assignee_tallies_drift(organization_id=org.pk) == {}


def test_another_organizations_work_never_counts_here(plan, other_org):
    org, firmware, _, ana, _ = plan
    elsewhere = InitiativeFactory(organization=other_org)
    TaskFactory(organization=other_org, initiative=elsewhere, assignee=PersonFactory(organization=other_org))
    TaskFactory(organization=org, initiative=firmware, assignee=ana, effort_hours=Decimal(1))
    assert rows(org) == {
        (firmware.pk, ana.pk, kind, NO_DAY): Tally(1, Decimal("1.00"), 0) for kind in ("open", "scope")
    }
