"""scores/initiatives/ and signals/ answer the staffing drift (SCORING.md "Signals beyond the scores"),
hand-worked on a small plan at D = 2027-01-01 (W = 28: the window is [2026-12-05, 2027-01-01]; an
allocation without work counts from D − 14 = 2026-12-18), and only the organization's own."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from execgap.models import Role
from resources.models import Allocation
from scoring.services import scores_recompute
from tests.api.scores.conftest import url
from tests.factories import AllocationFactory, InitiativeFactory, PersonFactory, TaskFactory

pytestmark = pytest.mark.django_db

D = date(2027, 1, 1)


def done_on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


@pytest.fixture
def firmware(org, other_org):
    """ "Self-healing firmware", active, with nobody allocated to it: Ana has a task in progress (6 h)
    and one done on 2026-12-20 (2 h), Bo one in progress without an estimate (E = 4 h); Cy finished
    one on 2026-11-01 (outside the window) and is no drift. "Billing", active: Dee allocated 10 h a
    week since 2026-12-01 and no task of it. Another organization has drift of its own."""
    initiative = InitiativeFactory(organization=org, title="Self-healing firmware", status="active")
    billing = InitiativeFactory(organization=org, title="Billing", status="active")
    ana, bo, cy, dee = (PersonFactory(organization=org, name=name) for name in ("Ana", "Bo", "Cy", "Dee"))
    TaskFactory(organization=org, initiative=initiative, assignee=ana, status="in_progress", effort_hours=6)
    TaskFactory(
        organization=org, initiative=initiative, assignee=ana, status="done", effort_hours=2,
        completed_at=done_on(date(2026, 12, 20)),
    )  # fmt: skip
    TaskFactory(organization=org, initiative=initiative, assignee=bo, status="in_progress", effort_hours=None)
    TaskFactory(
        organization=org, initiative=initiative, assignee=cy, status="done", effort_hours=9,
        completed_at=done_on(date(2026, 11, 1)),
    )  # fmt: skip
    AllocationFactory(
        organization=org,
        person=dee,
        initiative=billing,
        hours_per_week=Decimal(10),
        start_date=date(2026, 12, 1),
    )
    elsewhere = InitiativeFactory(organization=other_org, title="Elsewhere", status="active")
    stranger = PersonFactory(organization=other_org, name="Stranger")
    TaskFactory(
        organization=other_org, initiative=elsewhere, assignee=stranger, status="todo", effort_hours=50
    )
    AllocationFactory(
        organization=other_org, person=stranger, initiative=elsewhere, start_date=date(2026, 1, 1)
    )
    Allocation.objects.update(created_at=done_on(date(2026, 11, 2)))
    scores_recompute(organization_id=org.pk, as_of=D)
    scores_recompute(organization_id=other_org.pk, as_of=D)
    return initiative, billing, ana, bo, dee


def test_an_initiative_worked_on_without_allocations_names_the_people(firmware, client_as):
    initiative, billing, ana, bo, dee = firmware
    # when the initiatives' scores are read
    rows = client_as(Role.VIEWER).get(url(initiative.organization, "initiatives/")).json()["results"]
    by_id = {row["id"]: row for row in rows}
    # then Self-healing firmware has 2 people working on it without an allocation, 6 + 2 + 4 = 12 h,
    # Ana first (8 h over 2 tasks), then Bo (4 h)
    row = by_id[initiative.pk]
    assert (row["drift_unallocated_people"], row["unplanned_effort"], row["drift_idle_people"]) == (2, 12, 0)
    assert row["drift_unallocated"] == [
        {"id": ana.pk, "name": "Ana", "effort": 8, "tasks": 2},
        {"id": bo.pk, "name": "Bo", "effort": 4, "tasks": 1},
    ]
    # and Billing has Dee allocated without work, 10 h a week
    assert by_id[billing.pk]["drift_idle"] == [
        {"id": dee.pk, "name": "Dee", "hours_per_week": 10, "allocations": 1}
    ]
    assert (by_id[billing.pk]["drift_idle_allocations"], by_id[billing.pk]["unplanned_effort"]) == (1, 0)


def test_the_signals_count_and_list_the_drift_of_the_organization_alone(firmware, client_as):
    initiative = firmware[0]
    body = client_as(Role.VIEWER).get(f"/api/v1/orgs/{initiative.organization.slug}/signals/").json()
    drift = body["staffing_drift"]
    assert (drift["unplanned_work_count"], drift["people_working_without_allocation"]) == (1, 2)
    assert drift["total_unplanned_effort"] == 12
    assert (drift["idle_allocation_count"], drift["people_allocated_without_work"]) == (1, 1)
    assert [
        (row["title"], [person["name"] for person in row["people"]]) for row in drift["unplanned_work"]
    ] == [("Self-healing firmware", ["Ana", "Bo"])]
    assert [(row["title"], row["idle_hours"]) for row in drift["idle_allocations"]] == [("Billing", 10)]
    # (the other organization's Stranger, working 50 h on Elsewhere, is nowhere)
    assert "Stranger" not in str(body)
    assert "Elsewhere" not in str(body)
