"""alert-rules/: who writes which rule, validation beside the field, If-Match, filters, tenancy."""

import pytest

from alerts.models import AlertRule
from execgap.models import Role
from tests.api.alerts.conftest import make_alert
from tests.api.resources.support import url
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

HEALTH_BELOW_50 = {"name": "Health", "kind": "score_below", "score": "execution_health", "threshold": 50}


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER, Role.LEAD, Role.EXECUTIVE, Role.ADMIN])
def test_every_role_reads_the_rules(org, client_as, late_rule, role):
    response = client_as(role).get(url(org, "alert-rules/"))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [late_rule.pk]


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.VIEWER, 403), (Role.MEMBER, 403), (Role.LEAD, 403), (Role.EXECUTIVE, 201), (Role.ADMIN, 201)],
)
def test_a_rule_for_the_whole_organization_is_for_executives_and_admins(org, client_as, role, status):
    response = client_as(role).post(url(org, "alert-rules/"), HEALTH_BELOW_50, format="json")
    assert response.status_code == status
    assert AlertRule.objects.count() == (1 if status == 201 else 0)


def test_a_lead_writes_their_teams_rules_only(org, client_as, growth, platform, growth_rule, platform_rule):
    # given a lead of Growth
    client = client_as(Role.LEAD)
    # when they add a rule for Growth: made, by them
    made = client.post(
        url(org, "alert-rules/"), {"name": "Mine", "kind": "over_staffed", "team": growth.pk}, format="json"
    )
    assert made.status_code == 201
    # when they add one for Platform, or change or delete Platform's: refused
    assert (
        client.post(
            url(org, "alert-rules/"),
            {"name": "No", "kind": "over_staffed", "team": platform.pk},
            format="json",
        ).status_code
        == 403
    )
    assert (
        client.patch(url(org, f"alert-rules/{platform_rule.pk}/"), {"name": "No"}, format="json").status_code
        == 403
    )
    assert client.delete(url(org, f"alert-rules/{platform_rule.pk}/")).status_code == 403
    # nor may they move their own rule to Platform
    moved = client.patch(url(org, f"alert-rules/{growth_rule.pk}/"), {"team": platform.pk}, format="json")
    assert moved.status_code == 403
    # but they change and delete Growth's
    assert (
        client.patch(url(org, f"alert-rules/{growth_rule.pk}/"), {"name": "Ours"}, format="json").status_code
        == 200
    )
    assert client.delete(url(org, f"alert-rules/{growth_rule.pk}/")).status_code == 204


def test_a_missing_parameter_is_a_400_on_its_field_and_nothing_is_made(org, client_as):
    response = client_as(Role.ADMIN).post(
        url(org, "alert-rules/"),
        {"name": "Drop", "kind": "score_drop", "score": "people", "days": 7},
        format="json",
    )
    assert response.status_code == 400
    assert "points" in response.json()
    assert not AlertRule.objects.exists()


def test_a_stale_if_match_is_refused(org, client_as, late_rule):
    client = client_as(Role.ADMIN)
    response = client.patch(
        url(org, f"alert-rules/{late_rule.pk}/"), {"name": "X"}, format="json", HTTP_IF_MATCH='"7"'
    )
    assert response.status_code == 412
    assert AlertRule.objects.get().name == "Late"
    ok = client.patch(
        url(org, f"alert-rules/{late_rule.pk}/"), {"name": "X"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert ok.status_code == 200
    assert ok["ETag"] == '"2"'


def test_disabling_a_rule_resolves_its_open_alerts_and_deleting_keeps_their_history(
    org, client_as, late_rule
):
    # given an open alert of the rule
    alert = make_alert(late_rule, 7)
    client = client_as(Role.ADMIN)
    # when the rule is disabled: the alert resolves
    assert (
        client.patch(url(org, f"alert-rules/{late_rule.pk}/"), {"enabled": False}, format="json").status_code
        == 200
    )
    alert.refresh_from_db()
    assert alert.state == "resolved"
    assert alert.resolved_at is not None
    # when it is deleted: the alert stays, under the rule's name
    assert client.delete(url(org, f"alert-rules/{late_rule.pk}/")).status_code == 204
    alert.refresh_from_db()
    assert (alert.rule_id, alert.rule_name) == (None, "Late")


def test_filters_by_kind_team_and_enabled(org, client_as, late_rule, growth, growth_rule):
    AlertRule.objects.create(organization=org, name="Off", kind="over_capacity", enabled=False)
    client = client_as(Role.VIEWER)
    ids = lambda query: [row["id"] for row in client.get(url(org, f"alert-rules/?{query}")).json()["results"]]  # noqa: E731
    assert ids(f"team={growth.pk}") == [growth_rule.pk]
    assert len(ids("kind=forecast_late")) == 2
    assert len(ids("enabled=false")) == 1


def test_another_organizations_rules_are_unreachable(org, client_as):
    other = OrganizationFactory()
    theirs = AlertRule.objects.create(organization=other, name="Theirs", kind="forecast_late")
    client = client_as(Role.ADMIN)
    assert client.get(url(org, f"alert-rules/{theirs.pk}/")).status_code == 404
    assert client.delete(url(org, f"alert-rules/{theirs.pk}/")).status_code == 404
    assert client.get(url(other, "alert-rules/")).status_code == 404
    assert AlertRule.objects.filter(pk=theirs.pk).exists()


def test_the_list_takes_a_fixed_number_of_queries(org, client_as, growth, django_assert_max_num_queries):
    client = client_as(Role.VIEWER)
    AlertRule.objects.create(organization=org, name="One", kind="forecast_late", team=growth)
    with django_assert_max_num_queries(8) as few:
        assert client.get(url(org, "alert-rules/")).status_code == 200
    for index in range(20):
        AlertRule.objects.create(organization=org, name=f"R{index}", kind="forecast_late", team=growth)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url(org, "alert-rules/")).json()["results"]) == 21
