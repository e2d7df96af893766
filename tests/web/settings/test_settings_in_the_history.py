"""A change of the settings on the settings page is kept in the plan history, with its reason."""

from __future__ import annotations

import re

import pytest

from execgap.models import Organization, Role
from feedback.selectors import FieldChange, plan_history_list
from tests.conftest import person_of
from tests.web.conftest import org_url
from tests.web.settings.test_organization import _post

pytestmark = pytest.mark.django_db


def test_a_change_on_the_settings_page_is_in_the_plan_history_with_its_reason(client, signed_in, org):
    # given an admin, Alex
    admin = signed_in(Role.ADMIN)
    alex = person_of(admin)
    alex.name = "Alex"
    alex.save()
    # when they change the cadence from 14 to 7 days and the horizon from 90 to 60, saying why
    response = client.post(
        org_url("settings", org),
        _post(
            org,
            name="Acme",
            activity_window_days="28",
            planning_horizon_days="60",
            checkin_cadence_days="7",
            default_task_effort_hours="4",
            spread_thin_allocations="3",
            reason="Weekly check-ins this quarter",
        ),
    )
    assert response.status_code == 302
    # then the plan history holds one revision of the settings, by Alex, with both changes and why
    (revision,) = plan_history_list(organization=org, kinds=["settings"])
    assert revision.user == admin.user
    assert revision.reason == "Weekly check-ins this quarter"
    assert set(revision.changes) == {
        FieldChange("planning_horizon_days", 90, 60),
        FieldChange("checkin_cadence_days", 14, 7),
    }
    # and the settings page links to that history, where it reads in words
    page = client.get(org_url("settings", org)).content.decode()
    history_url = f"{org_url('plan_history', org)}?kind=settings"
    assert f'href="{history_url}"' in page
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(history_url).content.decode()))
    assert "Alex Why: Weekly check-ins this quarter Changed the scoring settings" in text
    assert "Planning horizon (days) 90 → to 60" in text
    assert Organization.objects.get(pk=org.pk).checkin_cadence_days == 7
