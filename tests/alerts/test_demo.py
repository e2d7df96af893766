"""The demo organization has the default rules, and its backfilled history leaves alerts to see."""

import pytest

from alerts.models import Alert, AlertRule
from alerts.services import DEFAULT_RULES
from execgap.demo import demo_seed

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_default_rules_and_open_and_resolved_alerts(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # when the demo is seeded (five weeks of daily snapshots, each evaluated as it comes)
    organization = demo_seed(reset=True).organization
    # then it has the default rules, and the pages have alerts of both states to show
    assert AlertRule.objects.for_org(organization).count() == len(DEFAULT_RULES)
    alerts = Alert.objects.for_org(organization)
    assert alerts.filter(state="open").exists()
    assert alerts.filter(state="resolved").exists()
    # and each resolved one resolved after it opened, on a later snapshot
    for alert in alerts.filter(state="resolved"):
        assert alert.resolved_at >= alert.opened_at
        assert alert.resolved_snapshot_id > alert.opened_snapshot_id
