from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from execgap.models import Organization
from resources.models import Allocation
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
    TeamFactory,
)

WORKED_EXAMPLE_DATE = date(2027, 1, 1)


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def worked_example(org: Organization) -> SimpleNamespace:
    """The worked example of SCORING.md, row by row, in `org` (default parameters, D = 2027-01-01)."""
    o = SimpleNamespace(org=org)
    o.t0 = TeamFactory(organization=org, name="t0")
    o.t1 = TeamFactory(organization=org, name="t1", parent=o.t0)
    o.p1 = PersonFactory(organization=org, name="p1", team=o.t1, weekly_capacity_hours=Decimal(40))
    o.p2 = PersonFactory(organization=org, name="p2", team=o.t0, weekly_capacity_hours=Decimal(10))
    o.p3 = PersonFactory(
        organization=org, name="p3", team=o.t0, weekly_capacity_hours=Decimal(40), active=False
    )

    def objective(title: str, status: str, weight: int, **extra: object) -> object:
        return ObjectiveFactory(
            organization=org, title=title, status=status, priority_weight=Decimal(weight), **extra
        )

    o.r1 = objective("r1", "active", 3, owner=o.p1)
    o.r2 = objective("r2", "active", 1, owner=o.p3)
    o.r3 = objective("r3", "cancelled", 5)
    o.c1 = objective("c1", "active", 1, parent=o.r1, owner=o.p1)
    o.c2 = objective("c2", "active", 1, parent=o.r1)
    o.c3 = objective("c3", "draft", 2, parent=o.r1)
    o.k1 = KeyResultFactory(
        organization=org, objective=o.c1, start_value=Decimal(0), target_value=Decimal(100),
        current_value=Decimal(40),
    )  # fmt: skip

    o.i1 = InitiativeFactory(
        organization=org, title="i1", objective=o.c1, status="active", end_date=date(2027, 1, 30),
        estimate_hours=Decimal(50), owner=o.p2,
    )  # fmt: skip
    o.i2 = InitiativeFactory(organization=org, title="i2", objective=o.r2, status="on_hold")
    o.i3 = InitiativeFactory(organization=org, title="i3", objective=None, status="active")

    def task(title: str, status: str, effort: int | None, **extra: object) -> object:
        return TaskFactory(
            organization=org, title=title, status=status,
            effort_hours=None if effort is None else Decimal(effort), **extra,
        )  # fmt: skip

    o.x1 = task("x1", "todo", 10, initiative=o.i1, team=o.t1)
    o.x2 = task("x2", "done", None, objective=o.c2, completed_at=at(2026, 12, 27, 15))
    o.x3 = task("x3", "todo", 6, initiative=o.i2, team=o.t0)
    o.x4 = task("x4", "todo", 2, objective=o.r3)
    o.x5 = task("x5", "todo", 8, assignee=o.p1)
    o.x6 = task("x6", "todo", 3, initiative=o.i3)
    o.x7 = task("x7", "done", 9, objective=o.r2, completed_at=at(2026, 11, 22, 10))
    o.x8 = task("x8", "in_progress", 5, objective=o.c3)
    o.x9 = task("x9", "cancelled", 9, objective=o.r2)

    AllocationFactory(organization=org, person=o.p1, initiative=o.i1, hours_per_week=Decimal(20))
    AllocationFactory(
        organization=org,
        person=o.p2,
        initiative=o.i1,
        hours_per_week=Decimal(20),
        start_date=date(2027, 1, 11),
    )
    AllocationFactory(organization=org, person=o.p2, initiative=o.i3, hours_per_week=Decimal(10))
    # (made before D − 14, so that whether one is an allocation without work does not depend on the
    # day the tests run)
    Allocation.objects.filter(organization=org).update(created_at=at(2026, 11, 2))

    CheckInFactory(organization=org, key_result=o.k1, author=o.p1, date=date(2026, 12, 29))
    CheckInFactory(organization=org, initiative=o.i1, author=o.p2, date=date(2026, 12, 19))
    CheckInFactory(organization=org, objective=o.r2, author=o.p3, date=date(2026, 12, 18))

    o.blocker_answered = FeedbackItemFactory(
        organization=org, kind="blocker", created_at=at(2026, 12, 22, 9), acknowledged_at=at(2026, 12, 27, 9),
        status="acknowledged",
    )  # fmt: skip
    o.risk_late = FeedbackItemFactory(
        organization=org,
        kind="risk",
        created_at=at(2026, 12, 12),
        resolved_at=at(2026, 12, 22),
        status="resolved",
    )
    o.blocker_recent = FeedbackItemFactory(organization=org, kind="blocker", created_at=at(2026, 12, 29))
    FeedbackItemFactory(organization=org, kind="idea", created_at=at(2026, 12, 2))
    FeedbackItemFactory(organization=org, kind="risk", created_at=at(2026, 9, 23))
    return o
