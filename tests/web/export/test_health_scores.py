"""The health page's scores as CSV: every day's latest snapshot, the oldest first, for every role."""

from __future__ import annotations

from datetime import date

import pytest

from execgap.models import Role
from scoring.services import scores_recompute
from tests.factories import ObjectiveFactory, TaskFactory
from tests.web.conftest import org_url
from tests.web.export.downloads import column, download, download_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_days(org):
    """Scores for three days, the middle one computed twice (its later run is the day's)."""
    objective = ObjectiveFactory(organization=org)
    TaskFactory(organization=org, objective=objective)
    for day in (date(2030, 3, 1), date(2030, 3, 2), date(2030, 3, 2), date(2030, 3, 3)):
        scores_recompute(organization_id=org.pk, as_of=day)


@pytest.mark.parametrize("role", list(Role))
def test_the_scores_by_day_download_has_one_row_a_day_oldest_first(client, signed_in, org, three_days, role):
    # given a member of any role (each reads the health page) and three days of scores
    signed_in(role)
    # when they download the scores
    rows, response = download(client, org_url("health_scores_csv", org))
    # then each day comes once, the oldest first, with the five scores
    assert rows[0] == [
        "Date", "Execution health", "Alignment", "Resources", "Adaptability", "People", "Computed at (UTC)"
    ]  # fmt: skip
    assert column(rows, "Date") == ["2030-03-01", "2030-03-02", "2030-03-03"]
    assert all(float(value) >= 0 for value in column(rows, "Alignment"))
    assert "acme-scores-by-day-" in response["Content-Disposition"]


def test_the_health_page_links_its_scores_download(client, signed_in, org, three_days):
    # given a viewer
    signed_in(Role.VIEWER)
    # when they open the health page
    html = client.get(org_url("health", org)).content.decode()
    # then it offers the scores by day as CSV, and to print the page
    assert f'href="{org_url("health_scores_csv", org)}"' in html
    assert "Print / save as PDF" in html


def test_another_organizations_scores_are_not_found(client, signed_in, other_org):
    # given a viewer of one organization
    signed_in(Role.VIEWER)
    # when they ask for another's scores
    response = client.get(org_url("health_scores_csv", other_org))
    # then there is nothing there for them
    assert response.status_code == 404


def test_the_scores_download_costs_as_many_queries_for_more_days(client, signed_in, org, three_days):
    # given a viewer, and three days of scores
    signed_in(Role.VIEWER)
    url = org_url("health_scores_csv", org)
    download_queries(client, url)  # the first request of the session also saves its organization
    before = download_queries(client, url)
    # when two more days are computed
    for day in (date(2030, 3, 4), date(2030, 3, 5)):
        scores_recompute(organization_id=org.pk, as_of=day)
    # then the download runs the same queries
    assert download_queries(client, url) == before
