"""The teams and roles of the resources API tests, and alerts made straight into the database."""

from datetime import UTC, datetime, timedelta

import pytest

from alerts.models import Alert, AlertRule
from tests.api.resources.support import *  # noqa: F403  (fixtures)

OPENED = datetime(2027, 3, 1, 6, tzinfo=UTC)


def make_alert(
    rule: AlertRule, subject_id: int, *, state: str = "open", team_id=None, days: int = 0
) -> Alert:
    return Alert.objects.create(
        organization_id=rule.organization_id, rule=rule, rule_kind=rule.kind, rule_name=rule.name,
        subject_kind="initiative", subject_id=subject_id, subject_title=f"Initiative {subject_id}",
        subject_team_id=team_id, state=state, opened_at=OPENED + timedelta(days=days), opened_snapshot_id=1,
        resolved_at=OPENED + timedelta(days=days + 1) if state == "resolved" else None,
        message=f"Initiative {subject_id} is forecast late",
    )  # fmt: skip


@pytest.fixture
def late_rule(org):
    return AlertRule.objects.create(organization=org, name="Late", kind="forecast_late")


@pytest.fixture
def growth_rule(org, growth):
    return AlertRule.objects.create(organization=org, name="Growth late", kind="forecast_late", team=growth)


@pytest.fixture
def platform_rule(org, platform):
    return AlertRule.objects.create(
        organization=org, name="Platform late", kind="forecast_late", team=platform
    )
