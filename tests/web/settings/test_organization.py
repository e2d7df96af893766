"""The settings overview: every member reads the organization's parameters; admins change them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Organization, Role
from execgap.web.forms import STALE_MESSAGE
from tests.factories import MembershipFactory, PersonFactory, TeamFactory
from tests.web.conftest import org_url, query_count
from tests.web.settings.conftest import OTHER_ROLES, field_errors, form_errors

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Acme Corporation",
    "activity_window_days": "21",
    "planning_horizon_days": "60",
    "checkin_cadence_days": "7",
    "default_task_effort_hours": "2.5",
    "spread_thin_allocations": "4",
}


def _post(organization: Organization, **changes: str) -> dict[str, str]:
    return {**VALID, "expected_version": str(organization.version), **changes}


def test_an_admin_sees_the_settings_form_with_every_parameter_and_its_unit(client, signed_in, org):
    # given an administrator
    signed_in(Role.ADMIN)
    # when they open the settings
    response = client.get(org_url("settings", org))
    # then each parameter is a field with its label, unit and current value
    assert response.status_code == 200
    html = response.content.decode()
    for label, name, value in [
        ("Activity window (days)", "activity_window_days", "28"),
        ("Planning horizon (days)", "planning_horizon_days", "90"),
        ("Check-in cadence (days)", "checkin_cadence_days", "14"),
        ("Default task effort (hours)", "default_task_effort_hours", "4.00"),
        ("Spread-thin threshold (allocations)", "spread_thin_allocations", "3"),
    ]:
        assert label in html
        assert f'name="{name}" value="{value}"' in html
    assert "Invite someone" in html


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_read_the_settings_without_a_form(client, signed_in, org, role):
    # given an organization with its own parameters, and a member who is not an admin
    Organization.objects.filter(pk=org.pk).update(checkin_cadence_days=10)
    signed_in(role)
    # when they open the settings
    response = client.get(org_url("settings", org))
    # then they read the values, with no form to change them and no way to the members list
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only an admin of Acme can change these settings." in html
    assert "<dd><strong>10</strong>" in html
    assert 'name="checkin_cadence_days"' not in html
    assert org_url("settings_members", org) not in html


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_may_not_change_the_settings(client, signed_in, org, role):
    # given a member who is not an admin
    signed_in(role)
    # when they post new settings
    response = client.post(org_url("settings", org), _post(org))
    # then they are refused and nothing changed
    assert response.status_code == 403
    org.refresh_from_db()
    assert (org.name, org.activity_window_days, org.version) == ("Acme", 28, 1)


def test_an_admin_changes_the_parameters_and_the_scores_become_stale(client, signed_in, org):
    # given an administrator and scores that are current
    signed_in(Role.ADMIN)
    assert org.scores_stale_since is None
    # when they save new parameters
    response = client.post(org_url("settings", org), _post(org))
    # then they are stored through the service (a new version), the scores are marked stale
    assert response.status_code == 302
    assert response["Location"] == org_url("settings", org)
    org.refresh_from_db()
    assert org.name == "Acme Corporation"
    assert (org.activity_window_days, org.planning_horizon_days, org.checkin_cadence_days) == (21, 60, 7)
    assert org.default_task_effort_hours == Decimal("2.5")
    assert org.spread_thin_allocations == 4
    assert org.version == 2
    assert org.scores_stale_since is not None
    # and the next page says the scores are being recomputed
    page = client.get(response["Location"]).content.decode()
    assert "The scores are being recomputed with the new parameters." in page


def test_a_new_name_alone_leaves_the_scores_current(client, signed_in, org):
    # given an administrator
    signed_in(Role.ADMIN)
    unchanged = {
        "activity_window_days": "28",
        "planning_horizon_days": "90",
        "checkin_cadence_days": "14",
        "default_task_effort_hours": "4",
        "spread_thin_allocations": "3",
    }
    # when they only rename the organization
    response = client.post(org_url("settings", org), _post(org, name="Acme Ltd", **unchanged))
    # then the name changes and the scores stay current
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Acme Ltd"
    assert org.scores_stale_since is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("activity_window_days", "0", "Ensure this value is greater than or equal to 1."),
        ("planning_horizon_days", "-5", "Ensure this value is greater than or equal to 1."),
        ("checkin_cadence_days", "two", "Enter a whole number."),
        ("default_task_effort_hours", "-1", "Ensure this value is greater than or equal to 0."),
        ("spread_thin_allocations", "-1", "Ensure this value is greater than or equal to 0."),
        ("name", "", "This field is required."),
    ],
)
def test_a_value_out_of_range_is_shown_beside_its_field_and_nothing_is_saved(
    client, signed_in, org, field, value, message
):
    # given an administrator
    signed_in(Role.ADMIN)
    # when they post one value out of range with other valid changes
    response = client.post(org_url("settings", org), _post(org, **{field: value}))
    # then the page answers 400 with the message beside that field, their input kept
    assert response.status_code == 400
    assert field_errors(response, field) == [message]
    html = response.content.decode()
    assert f'name="{field}" value="{value}"' in html or (value == "" and f'name="{field}"' in html)
    assert 'value="Acme Corporation"' in html or field == "name"
    # and nothing was saved
    org.refresh_from_db()
    assert (org.name, org.activity_window_days, org.version, org.scores_stale_since) == ("Acme", 28, 1, None)


def test_the_header_keeps_the_stored_name_when_a_post_is_refused(client, signed_in, org):
    # given an administrator
    signed_in(Role.ADMIN)
    # when they post a new name with an invalid parameter
    response = client.post(org_url("settings", org), _post(org, name="Renamed", activity_window_days="0"))
    # then the page still names the organization as it is stored
    assert response.status_code == 400
    assert '<span class="org-name">Acme</span>' in response.content.decode()


def test_a_stale_edit_is_refused_with_the_input_kept(client, signed_in, org):
    # given an administrator who opened the settings at version 1, and a change saved since
    signed_in(Role.ADMIN)
    Organization.objects.filter(pk=org.pk).update(name="Changed elsewhere", version=2)
    # when they save their edit of version 1
    response = client.post(org_url("settings", org), _post(org, name="Mine"))
    # then it is refused, their input kept, and the other change is not overwritten
    assert response.status_code == 400
    assert form_errors(response) == [STALE_MESSAGE]
    assert 'value="Mine"' in response.content.decode()
    org.refresh_from_db()
    assert (org.name, org.version, org.activity_window_days) == ("Changed elsewhere", 2, 28)


def test_the_overview_counts_teams_people_and_members_from_the_data(client, signed_in, org, other_org):
    # given an administrator (with their person), 2 teams, 2 more people of whom 1 inactive, and another
    # organization's rows that do not count
    signed_in(Role.ADMIN)
    TeamFactory.create_batch(2, organization=org)
    PersonFactory(organization=org)
    PersonFactory(organization=org, active=False)
    MembershipFactory(organization=org, role=Role.VIEWER)
    TeamFactory.create_batch(3, organization=other_org)
    PersonFactory.create_batch(3, organization=other_org)
    # when they open the settings
    html = client.get(org_url("settings", org)).content.decode()
    # then the cards count this organization's rows
    assert "2 teams," in html
    assert "2 active people and 1 inactive" in html
    assert "2 members who sign in" in html


def test_the_overview_runs_as_many_queries_for_three_times_the_rows(client, signed_in, org):
    # given an administrator
    signed_in(Role.ADMIN)
    url = org_url("settings", org)
    client.get(url)  # the first visit also remembers the organization in the session

    def grow(n: int) -> None:
        TeamFactory.create_batch(n, organization=org)
        PersonFactory.create_batch(n, organization=org)
        MembershipFactory.create_batch(n, organization=org)

    # when the overview is opened with a few rows and with three times as many
    grow(3)
    small = query_count(client, url)
    grow(6)
    large = query_count(client, url)
    # then the number of queries does not grow
    assert small == large
    assert large <= 15
