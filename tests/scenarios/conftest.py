"""A small plan to draft scenarios on (D = 2027-01-01, H = 90: an initiative without an end date has a
90-day window, and an open-ended allocation of h hours a week from D supplies h × 90 / 7 hours in it)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from execgap.models import Organization
from tests.factories import AllocationFactory, InitiativeFactory, ObjectiveFactory, PersonFactory, TaskFactory

D = date(2027, 1, 1)


@pytest.fixture
def plan(org: Organization) -> SimpleNamespace:
    """One live objective A. R (serving A) needs 90 h of open work and has nobody; X serves no objective
    and has Pat's 10 h a week; S (serving A) needs 20 h and has Quinn's 10 h a week (supply 128.57 h:
    over-staffed by 108.57 h)."""
    p = SimpleNamespace()
    p.a = ObjectiveFactory(organization=org, title="A")
    p.r = InitiativeFactory(organization=org, objective=p.a, title="R", status="active")
    p.x = InitiativeFactory(organization=org, objective=None, title="X", status="active")
    p.s = InitiativeFactory(organization=org, objective=p.a, title="S", status="active")
    TaskFactory(organization=org, initiative=p.r, effort_hours=Decimal(90), status="todo")
    TaskFactory(organization=org, initiative=p.s, effort_hours=Decimal(20), status="todo")
    p.pat = PersonFactory(organization=org, name="Pat", weekly_capacity_hours=Decimal(40))
    p.quinn = PersonFactory(organization=org, name="Quinn", weekly_capacity_hours=Decimal(40))
    p.off = AllocationFactory(organization=org, person=p.pat, initiative=p.x, hours_per_week=Decimal(10))
    p.surplus = AllocationFactory(
        organization=org, person=p.quinn, initiative=p.s, hours_per_week=Decimal(10)
    )
    return p
