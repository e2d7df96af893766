"""Fixtures of the dashboard tests: SCORING.md's worked example, and organizations of any size."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from execgap.models import Organization
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
from tests.scoring.conftest import WORKED_EXAMPLE_DATE, worked_example  # noqa: F401 (a fixture)

__all__ = ["WORKED_EXAMPLE_DATE", "organization_of_size"]


def organization_of_size(organization: Organization, scale: int) -> SimpleNamespace:
    """A plan whose every kind of row grows with `scale`: teams, people, objectives with key results
    and children, initiatives with allocations, tasks of every class, check-ins and blockers."""
    today = timezone.now().date()
    built = SimpleNamespace(objectives=[], initiatives=[])
    for n in range(scale):
        team = TeamFactory(organization=organization)
        people = [PersonFactory(organization=organization, team=team) for _ in range(3)]
        root = ObjectiveFactory(
            organization=organization, team=team, owner=people[0], end_date=today + timedelta(days=60)
        )
        child = ObjectiveFactory(
            organization=organization,
            team=team,
            parent=root,
            start_date=today - timedelta(days=30),
            end_date=today + timedelta(days=30),
        )
        built.objectives += [root, child]
        for objective in (root, child):
            key_result = KeyResultFactory(
                organization=organization, objective=objective, current_value=Decimal(20 + n)
            )
            CheckInFactory(
                organization=organization,
                key_result=key_result,
                author=people[0],
                value=Decimal(20),
                date=today - timedelta(days=n * 9),
            )
        staffed = InitiativeFactory(
            organization=organization,
            objective=child,
            team=team,
            owner=people[1],
            estimate_hours=Decimal(200),
        )
        unstaffed = InitiativeFactory(organization=organization, objective=root, team=team)
        built.initiatives += [staffed, unstaffed]
        for person in people:
            AllocationFactory(
                organization=organization,
                person=person,
                initiative=staffed,
                hours_per_week=Decimal(30 + 10 * n),
            )
        CheckInFactory(
            organization=organization, initiative=staffed, author=people[1], date=today - timedelta(days=2)
        )
        for index in range(4):
            TaskFactory(
                organization=organization,
                initiative=staffed,
                team=team,
                assignee=people[index % 3],
                effort_hours=Decimal(index + 1),
            )
            TaskFactory(
                organization=organization,
                objective=child,
                team=team,
                status="done",
                completed_at=timezone.now() - timedelta(days=index),
            )
            TaskFactory(organization=organization, team=team, effort_hours=Decimal(2))  # orphan
        FeedbackItemFactory(
            organization=organization,
            author=people[2],
            objective=root,
            created_at=timezone.now() - timedelta(days=10 + n),
        )
    return built
