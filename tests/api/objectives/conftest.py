"""Fixtures of the objectives, key results, initiatives and tasks API tests.

On top of `tests.api.resources.support` (the organization "acme" with the teams "Growth", led by
the lead that `member_as(Role.LEAD)` makes, and "Platform", each with an initiative): an objective
of each team, and `snapshot(...)`, a stored score snapshot with the progress of some objectives.
"""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from execgap.models import Organization
from objectives.models import Objective
from scoring.models import ObjectiveScore, ScoreSnapshot
from tests.api.resources.support import *  # noqa: F403  (fixtures)
from tests.factories import ObjectiveFactory

Progress = dict[Objective, tuple[float, str]]


@pytest.fixture
def growth_objective(org, growth):
    return ObjectiveFactory(organization=org, title="Grow self-serve", team=growth)


@pytest.fixture
def platform_objective(org, platform):
    return ObjectiveFactory(organization=org, title="Ship faster", team=platform)


def store_snapshot(
    organization: Organization, progress: Progress, *, computed_at: datetime.datetime | None = None
) -> ScoreSnapshot:
    """A snapshot of `organization` in which each objective has the given (progress, progress_status)."""
    computed_at = computed_at or timezone.now()
    snapshot = ScoreSnapshot.objects.create(
        organization=organization, as_of=computed_at.date(), computed_at=computed_at, started_at=computed_at,
        activity_window_days=28, planning_horizon_days=90, checkin_cadence_days=14,
        default_task_effort_hours=4, spread_thin_allocations=3,
    )  # fmt: skip
    ObjectiveScore.objects.bulk_create(
        ObjectiveScore(
            snapshot=snapshot,
            organization=organization,
            objective=objective,
            title=objective.title,
            status=objective.status,
            live=True,
            intended_share=0.5,
            aligned_effort=0,
            misaligned_effort=0,
            total_effort=0,
            active_initiatives=0,
            demand=0,
            covered=0,
            coverage=0,
            progress=value,
            progress_status=status,
        )
        for objective, (value, status) in progress.items()
    )
    return snapshot


@pytest.fixture
def snapshot() -> Callable[..., ScoreSnapshot]:
    """snapshot(organization, {objective: (progress, progress_status)}, computed_at=now)."""
    return store_snapshot
