"""The alerts pages and the alert rules settings: what they show, who may write, bad input, tenancy,
and a query count that does not grow with the rows."""

from __future__ import annotations

import pytest

from alerts.models import AlertRule
from execgap.models import Role
from tests.api.alerts.conftest import make_alert
from tests.conftest import person_of
from tests.factories import InitiativeFactory, OrganizationFactory, TeamFactory
from tests.web.conftest import org_url, query_count

pytestmark = pytest.mark.django_db

MAX_QUERIES = 30


@pytest.fixture
def growth(org):
    return TeamFactory(organization=org, name="Growth")


@pytest.fixture
def platform(org):
    return TeamFactory(organization=org, name="Platform")


@pytest.fixture
def late_rule(org):
    return AlertRule.objects.create(organization=org, name="Late", kind="forecast_late")


def test_the_list_shows_open_alerts_first_with_links_to_subject_and_detail(client, org, signed_in, late_rule):
    # given a resolved alert opened later than an open one, about an initiative
    signed_in(Role.VIEWER)
    initiative = InitiativeFactory(organization=org, title="Pricing page")
    open_alert = make_alert(late_rule, initiative.pk)
    resolved = make_alert(late_rule, 99, state="resolved", days=3)
    # when the list is opened
    page = client.get(org_url("alert_list", org)).content.decode()
    # then the open one comes first, linking to its detail and the initiative's page
    assert page.index(open_alert.message) < page.index(resolved.message)
    assert org_url("alert_detail", org, pk=open_alert.pk) in page
    assert org_url("initiative_detail", org, pk=initiative.pk) in page


def test_filters_and_search(client, org, signed_in, late_rule):
    signed_in(Role.VIEWER)
    make_alert(late_rule, 1)
    make_alert(late_rule, 2, state="resolved")
    page = client.get(org_url("alert_list", org), {"state": "resolved"}).content.decode()
    assert "Initiative 2 is forecast late" in page
    assert "Initiative 1 is forecast late" not in page
    searched = client.get(org_url("alert_list", org), {"q": "Initiative 1"}).content.decode()
    assert "Initiative 1 is forecast late" in searched
    assert "Initiative 2 is forecast late" not in searched


def test_empty_states_tell_the_truth(client, org, signed_in):
    signed_in(Role.VIEWER)
    assert "No alert rules, so no alerts" in client.get(org_url("alert_list", org)).content.decode()
    AlertRule.objects.create(organization=org, name="Late", kind="forecast_late")
    assert "nothing has crossed the lines" in client.get(org_url("alert_list", org)).content.decode()


def test_the_detail_shows_the_history(client, org, signed_in, late_rule):
    signed_in(Role.VIEWER)
    earlier = make_alert(late_rule, 5, state="resolved")
    now = make_alert(late_rule, 5, days=4)
    page = client.get(org_url("alert_detail", org, pk=now.pk)).content.decode()
    assert "Not yet: it resolves when the condition clears." in page
    assert org_url("alert_detail", org, pk=earlier.pk) in page


def test_another_organizations_alerts_and_rules_are_404(client, org, signed_in):
    signed_in(Role.ADMIN)
    theirs = AlertRule.objects.create(organization=OrganizationFactory(), name="T", kind="forecast_late")
    alert = make_alert(theirs, 1)
    assert client.get(org_url("alert_detail", org, pk=alert.pk)).status_code == 404
    assert client.get(org_url("settings_alert_rule_edit", org, pk=theirs.pk)).status_code == 404
    assert client.post(org_url("settings_alert_rule_delete", org, pk=theirs.pk)).status_code == 404
    assert AlertRule.objects.filter(pk=theirs.pk).exists()


def test_the_form_shows_only_the_fields_of_the_chosen_kind(client, org, signed_in):
    signed_in(Role.ADMIN)
    # without a kind: the kinds to choose from
    assert "?kind=score_drop" in client.get(org_url("settings_alert_rule_create", org)).content.decode()
    # with one: its fields only
    page = client.get(org_url("settings_alert_rule_create", org) + "?kind=score_drop").content.decode()
    assert 'name="points"' in page
    assert 'name="days"' in page
    assert 'name="threshold"' not in page


def test_bad_input_is_shown_beside_the_field_and_changes_nothing(client, org, signed_in):
    signed_in(Role.ADMIN)
    response = client.post(
        org_url("settings_alert_rule_create", org) + "?kind=score_below",
        {"name": "Health", "score": "execution_health", "threshold": "120"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"threshold": ["Must be between 0 and 100."]}
    assert not AlertRule.objects.exists()


def test_an_admin_creates_edits_and_deletes_a_rule(client, org, signed_in):
    signed_in(Role.ADMIN)
    made = client.post(
        org_url("settings_alert_rule_create", org) + "?kind=blocker_unanswered",
        {"name": "Blockers", "days": "3", "enabled": "on"},
    )
    assert made.status_code == 302
    rule = AlertRule.objects.get()
    assert (rule.kind, rule.days, rule.team_id) == ("blocker_unanswered", 3, None)
    edited = client.post(
        org_url("settings_alert_rule_edit", org, pk=rule.pk),
        {"name": "Blockers", "days": "5", "expected_version": "1"},
    )
    assert edited.status_code == 302
    rule.refresh_from_db()
    assert (rule.days, rule.enabled, rule.version) == (5, False, 2)
    stale = client.post(
        org_url("settings_alert_rule_edit", org, pk=rule.pk),
        {"name": "X", "days": "5", "expected_version": "1"},
    )
    assert stale.status_code == 400
    assert (
        "Delete rule" in client.get(org_url("settings_alert_rule_delete", org, pk=rule.pk)).content.decode()
    )
    assert (
        client.post(
            org_url("settings_alert_rule_delete", org, pk=rule.pk), {"expected_version": "2"}
        ).status_code
        == 302
    )
    assert not AlertRule.objects.exists()


def test_a_lead_picks_only_their_teams_and_writes_only_their_rules(client, org, signed_in, growth, platform):
    # given a lead of Growth
    lead = signed_in(Role.LEAD)
    growth.lead = person_of(lead)
    growth.save()
    theirs = AlertRule.objects.create(organization=org, name="P", kind="forecast_late", team=platform)
    # the form offers Growth only, and requires it
    form = client.get(org_url("settings_alert_rule_create", org) + "?kind=forecast_late").context["form"]
    assert list(form.fields["team"].queryset) == [growth]
    assert (
        client.post(
            org_url("settings_alert_rule_create", org) + "?kind=forecast_late", {"name": "Mine"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            org_url("settings_alert_rule_create", org) + "?kind=forecast_late",
            {"name": "Mine", "team": growth.pk},
        ).status_code
        == 302
    )
    # another team's, chosen anyway (the picker offers theirs only), is refused and makes nothing
    refused = client.post(
        org_url("settings_alert_rule_create", org) + "?kind=forecast_late",
        {"name": "Theirs", "team": platform.pk},
    )
    assert refused.status_code == 400
    assert "not one of the available choices" in refused.content.decode()
    assert not AlertRule.objects.filter(name="Theirs").exists()
    # Platform's rule is neither editable nor deletable by them
    assert client.get(org_url("settings_alert_rule_edit", org, pk=theirs.pk)).status_code == 403
    assert client.post(org_url("settings_alert_rule_delete", org, pk=theirs.pk)).status_code == 403


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER])
def test_viewers_and_members_read_but_do_not_write_rules(client, org, signed_in, late_rule, role):
    signed_in(role)
    page = client.get(org_url("settings_alert_rules", org)).content.decode()
    assert "Late" in page
    assert "Add a rule" not in page
    assert client.get(org_url("settings_alert_rule_create", org)).status_code == 403
    assert client.get(org_url("settings_alert_rule_edit", org, pk=late_rule.pk)).status_code == 403
    assert client.post(org_url("settings_alert_rule_delete", org, pk=late_rule.pk)).status_code == 403


@pytest.mark.parametrize("name", ["alert_list", "alert_detail", "settings_alert_rules"])
def test_query_count_does_not_grow_with_rows(client, org, signed_in, late_rule, growth, name):
    signed_in(Role.ADMIN)
    first = make_alert(late_rule, 0, team_id=growth.pk)
    kwargs = {"pk": first.pk} if name == "alert_detail" else {}
    query_count(client, org_url(name, org, **kwargs))  # the first request of a session sets it up
    few = query_count(client, org_url(name, org, **kwargs))
    for subject in range(1, 25):
        make_alert(late_rule, subject, state="resolved", team_id=growth.pk)
        make_alert(late_rule, 0, state="resolved")
        AlertRule.objects.create(organization=org, name=f"R{subject}", kind="over_staffed", team=growth)
    assert query_count(client, org_url(name, org, **kwargs)) == few <= MAX_QUERIES


def test_the_csv_is_the_filtered_list(client, org, signed_in, late_rule):
    signed_in(Role.VIEWER)
    make_alert(late_rule, 1)
    make_alert(late_rule, 2, state="resolved")
    response = client.get(org_url("alert_list_csv", org), {"state": "open"})
    body = b"".join(response.streaming_content).decode()
    assert "Initiative 1 is forecast late" in body
    assert "Initiative 2 is forecast late" not in body
