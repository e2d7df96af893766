"""Snapshots written by hand (numbers chosen per test) and rules, for the alert evaluation tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from alerts.models import AlertRule
from execgap.models import Organization
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot

D0 = date(2027, 3, 1)

SCORES = ("execution_health", "alignment", "resources", "adaptability", "people")


def snapshot_at(organization: Organization, as_of: date, **scores: float | None) -> ScoreSnapshot:
    """A snapshot of `organization` on `as_of` with the given scores (the others 80)."""
    values = dict.fromkeys(SCORES, 80.0) | scores
    moment = datetime.combine(as_of, time(6), tzinfo=UTC)
    return ScoreSnapshot.objects.create(
        organization=organization, as_of=as_of, computed_at=moment, started_at=moment,
        activity_window_days=28, planning_horizon_days=90, checkin_cadence_days=14,
        default_task_effort_hours=Decimal(4), spread_thin_allocations=3, **values,
    )  # fmt: skip


def initiative_row(snapshot: ScoreSnapshot, initiative: Any, **values: Any) -> InitiativeScore:
    defaults: dict[str, Any] = {
        "title": initiative.title, "end_date": initiative.end_date or snapshot.as_of + timedelta(days=30),
        "days_left": 30, "window_days": 30, "remaining": 10.0, "demand": 10.0, "supply": 10.0,
        "coverage": 1.0,
    }  # fmt: skip
    return InitiativeScore.objects.create(
        snapshot=snapshot,
        organization_id=snapshot.organization_id,
        initiative=initiative,
        **(defaults | values),
    )


def objective_row(snapshot: ScoreSnapshot, objective: Any, **values: Any) -> ObjectiveScore:
    defaults: dict[str, Any] = {
        "title": objective.title, "status": "active", "live": True, "intended_share": 0.5,
        "actual_share": 0.5, "share_gap": 0.0, "aligned_effort": 0.0, "misaligned_effort": 0.0,
        "total_effort": 0.0, "active_initiatives": 0, "demand": 0.0, "covered": 0.0, "coverage": 0.0,
        "progress": 0.0,
    }  # fmt: skip
    return ObjectiveScore.objects.create(
        snapshot=snapshot,
        organization_id=snapshot.organization_id,
        objective=objective,
        **(defaults | values),
    )


@pytest.fixture
def rule(org: Organization) -> Callable[..., AlertRule]:
    def make(kind: str, **values: Any) -> AlertRule:
        row = AlertRule(organization=org, name=values.pop("name", kind), kind=kind, **values)
        row.full_clean()
        row.save()
        return row

    return make
