"""alerts/: read by every member, filtered, ordered, never written through the API, per organization."""

import pytest

from alerts.models import AlertRule
from execgap.models import Role
from tests.api.alerts.conftest import make_alert
from tests.api.resources.support import url
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER, Role.LEAD, Role.EXECUTIVE, Role.ADMIN])
def test_every_role_reads_alerts_and_none_writes_them(org, client_as, late_rule, role):
    alert = make_alert(late_rule, 1)
    client = client_as(role)
    assert _ids(client.get(url(org, "alerts/"))) == [alert.pk]
    body = client.get(url(org, f"alerts/{alert.pk}/")).json()
    assert body["subject"] == {"kind": "initiative", "id": 1, "title": "Initiative 1"}
    assert client.post(url(org, "alerts/"), {}, format="json").status_code == 405
    assert client.delete(url(org, f"alerts/{alert.pk}/")).status_code == 405


def test_filters_and_ordering(org, client_as, late_rule, growth, growth_rule):
    # given: open on day 0 (no team), resolved on day 1 (growth's rule, growth), open on day 2
    first = make_alert(late_rule, 1)
    resolved = make_alert(growth_rule, 2, state="resolved", team_id=growth.pk, days=1)
    last = make_alert(late_rule, 3, days=2)
    client = client_as(Role.VIEWER)
    assert _ids(client.get(url(org, "alerts/"))) == [last.pk, resolved.pk, first.pk]  # newest first
    assert _ids(client.get(url(org, "alerts/?ordering=opened_at"))) == [first.pk, resolved.pk, last.pk]
    assert _ids(client.get(url(org, "alerts/?state=open"))) == [last.pk, first.pk]
    assert _ids(client.get(url(org, f"alerts/?rule={growth_rule.pk}"))) == [resolved.pk]
    assert _ids(client.get(url(org, f"alerts/?team={growth.pk}"))) == [resolved.pk]
    assert _ids(client.get(url(org, "alerts/?subject_kind=initiative&subject_id=3"))) == [last.pk]
    assert _ids(client.get(url(org, "alerts/?kind=over_capacity"))) == []
    assert client.get(url(org, "alerts/?state=maybe")).status_code == 400


def test_another_organizations_alerts_are_unreachable(org, client_as):
    other = OrganizationFactory()
    theirs = make_alert(AlertRule.objects.create(organization=other, name="T", kind="forecast_late"), 1)
    client = client_as(Role.ADMIN)
    assert client.get(url(org, f"alerts/{theirs.pk}/")).status_code == 404
    assert _ids(client.get(url(org, "alerts/"))) == []


def test_the_list_takes_a_fixed_number_of_queries(org, client_as, late_rule, django_assert_max_num_queries):
    client = client_as(Role.VIEWER)
    make_alert(late_rule, 0)
    with django_assert_max_num_queries(8) as few:
        assert client.get(url(org, "alerts/")).status_code == 200
    for subject in range(1, 30):
        make_alert(late_rule, subject, state="resolved")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url(org, "alerts/")).json()["results"]) == 30
