"""The initiative page says who works on it without an allocation and who is allocated to it without
work (SCORING.md's staffing drift, from the latest snapshot), at D = 2027-01-01."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from execgap.models import Role
from resources.models import Allocation
from scoring.services import scores_recompute
from tests.factories import AllocationFactory, InitiativeFactory, PersonFactory, TaskFactory
from tests.web.conftest import org_url, query_count

pytestmark = pytest.mark.django_db

D = date(2027, 1, 1)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _firmware(org, workers: int = 2):
    """ "Self-healing firmware", active, nobody allocated: Ana has two tasks in progress (5 h and 3 h),
    Bo one without an estimate (4 h), and `workers − 2` more people one task of 1 h each. "Billing",
    active: Dee allocated 12 h a week since 2026-11-01, no task of it."""
    firmware = InitiativeFactory(organization=org, title="Self-healing firmware", status="active")
    billing = InitiativeFactory(organization=org, title="Billing", status="active")
    ana, bo, dee = (PersonFactory(organization=org, name=name) for name in ("Ana", "Bo", "Dee"))
    for effort in (5, 3):
        TaskFactory(
            organization=org, initiative=firmware, assignee=ana, status="in_progress", effort_hours=effort
        )
    TaskFactory(organization=org, initiative=firmware, assignee=bo, status="in_progress", effort_hours=None)
    for n in range(workers - 2):
        person = PersonFactory(organization=org, name=f"Helper {n:02d}")
        TaskFactory(organization=org, initiative=firmware, assignee=person, status="todo", effort_hours=1)
    AllocationFactory(
        organization=org,
        person=dee,
        initiative=billing,
        hours_per_week=Decimal(12),
        start_date=date(2026, 11, 1),
    )
    Allocation.objects.filter(organization=org).update(created_at=datetime(2026, 11, 1, tzinfo=UTC))
    scores_recompute(organization_id=org.pk, as_of=D)
    return firmware, billing


def test_the_page_names_the_people_working_on_it_without_an_allocation(client, signed_in, org):
    firmware, _ = _firmware(org)
    signed_in(Role.VIEWER)
    text = _text(client.get(org_url("initiative_detail", org, pk=firmware.pk)))
    # then it says 2 people do 5 + 3 + 4 = 12 hours of unplanned work, Ana first (8 h over 2 tasks)
    assert "Working on it without an allocation: 2 people, 12 hours of unplanned work" in text
    assert "Ana: 8 hours over 2 tasks, with no allocation to it." in text
    assert "Bo: 4 hours over 1 task, with no allocation to it." in text
    assert text.index("Ana: 8 hours") < text.index("Bo: 4 hours")
    assert "Allocated without work" not in text


def test_the_page_names_the_people_allocated_without_work(client, signed_in, org):
    _, billing = _firmware(org)
    signed_in(Role.VIEWER)
    text = _text(client.get(org_url("initiative_detail", org, pk=billing.pk)))
    assert "Allocated without work: 1 person, 12 hours a week" in text
    assert "Dee: 12 hours a week allocated, no task of it." in text
    assert "Working on it without an allocation" not in text


def test_the_page_lists_ten_people_and_says_how_many_more(client, signed_in, org, other_org):
    # given 14 people working on it without an allocation
    firmware, _ = _firmware(org, workers=14)
    signed_in(Role.VIEWER)
    text = _text(client.get(org_url("initiative_detail", org, pk=firmware.pk)))
    # then ten are named and the other four counted
    assert "14 people" in text
    assert text.count("with no allocation to it.") == 10
    assert "and 4 more." in text
    # and it costs the page the same queries as two people do, in another organization
    small, _ = _firmware(other_org, workers=2)
    signed_in(Role.VIEWER, other_org)
    few = query_count(client, org_url("initiative_detail", other_org, pk=small.pk))
    signed_in(Role.VIEWER)
    assert query_count(client, org_url("initiative_detail", org, pk=firmware.pk)) == few
