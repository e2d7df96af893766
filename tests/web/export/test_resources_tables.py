"""The resources page's tables as CSV: each whole, in the page's order, filtered by team as the page
is; the ranked lists (people, off-strategy allocations) read a chunk at a time in the same order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache

from execgap.models import Role
from objectives.models import ObjectiveStatus
from scoring.services import scores_recompute
from tests.factories import AllocationFactory, InitiativeFactory, ObjectiveFactory, PersonFactory, TeamFactory
from tests.web.conftest import org_url
from tests.web.export.downloads import column, download

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_kept_rankings():
    cache.clear()


@pytest.fixture
def staffed(org):
    """Two teams' objectives and initiatives, five people loaded differently, and one initiative whose
    objective is cancelled (its allocation is off strategy); scores computed."""
    platform, sales = (
        TeamFactory(organization=org, name="Platform"),
        TeamFactory(organization=org, name="Sales"),
    )
    grow = ObjectiveFactory(organization=org, title="Grow", team=platform)
    below = ObjectiveFactory(organization=org, title="Onboard", team=platform, parent=grow)
    sell = ObjectiveFactory(organization=org, title="Sell", team=sales)
    dropped = ObjectiveFactory(
        organization=org, title="Dropped", team=sales, status=ObjectiveStatus.CANCELLED
    )
    wizard = InitiativeFactory(
        organization=org, title="Wizard", objective=below, team=platform, estimate_hours=Decimal(400)
    )
    deals = InitiativeFactory(
        organization=org, title="Deals", objective=sell, team=sales, estimate_hours=Decimal(40)
    )
    legacy = InitiativeFactory(organization=org, title="Legacy", objective=dropped, team=sales)
    teams_and_capacities = {"Ada": (platform, 10), "Bo": (platform, 40), "Cy": (sales, 40), "Di": (sales, 40)}
    people = {
        name: PersonFactory(organization=org, name=name, team=team, weekly_capacity_hours=Decimal(capacity))
        for name, (team, capacity) in (teams_and_capacities | {"Ed": (sales, 40)}).items()
    }
    AllocationFactory(organization=org, person=people["Ada"], initiative=wizard, hours_per_week=Decimal(30))
    AllocationFactory(organization=org, person=people["Bo"], initiative=wizard, hours_per_week=Decimal(10))
    AllocationFactory(organization=org, person=people["Cy"], initiative=deals, hours_per_week=Decimal(20))
    AllocationFactory(organization=org, person=people["Di"], initiative=legacy, hours_per_week=Decimal(8))
    scores_recompute(organization_id=org.pk)
    return platform


def test_the_coverage_by_objective_comes_in_tree_order(client, signed_in, org, staffed):
    # given an executive
    signed_in(Role.EXECUTIVE)
    # when they download the coverage by objective
    rows, _ = download(client, org_url("resources_objectives_csv", org))
    # then every objective comes, each below its parent, with its level
    assert column(rows, "Objective") == ["Dropped", "Grow", "Onboard", "Sell"]
    assert column(rows, "Level") == ["1", "1", "2", "1"]


def test_the_coverage_by_initiative_comes_worst_first_and_filtered_by_team(client, signed_in, org, staffed):
    # given a viewer
    signed_in(Role.VIEWER)
    url = org_url("resources_initiatives_csv", org)
    # when they download the initiatives' coverage, then Platform's
    every, _ = download(client, url)
    platform, _ = download(client, url, {"team": staffed.pk})
    # then the least covered come first; the team filter keeps its own
    assert column(every, "Initiative") == ["Wizard", "Legacy", "Deals"]
    assert column(platform, "Initiative") == ["Wizard"]


def test_the_people_come_who_matter_first_a_chunk_at_a_time(client, signed_in, org, staffed, monkeypatch):
    # given chunks of two people, and an executive
    monkeypatch.setattr("execgap.web.export.csv.CHUNK_SIZE", 2)
    signed_in(Role.EXECUTIVE, person=False)
    # when they download the people
    rows, _ = download(client, org_url("resources_people_csv", org))
    # then over capacity first, then the unallocated, then the others by name, as on the page
    assert column(rows, "Person") == ["Ada", "Ed", "Bo", "Cy", "Di"]
    assert column(rows, "Over capacity") == ["yes", "no", "no", "no", "no"]
    assert column(rows, "Load (hours per week)")[0] == "30.0"


def test_the_off_strategy_allocations_and_the_drift_download(client, signed_in, org, staffed):
    # given a lead
    signed_in(Role.LEAD)
    # when they download the off-strategy allocations and the staffing drift
    off, _ = download(client, org_url("resources_off_strategy_csv", org))
    drift, _ = download(client, org_url("resources_drift_csv", org))
    # then Di's allocation to the cancelled objective's initiative is there, with why
    assert column(off, "Person") == ["Di"]
    assert "Dropped" in column(off, "Why it is off strategy")[0]
    assert drift[0][0] == "Initiative"


def test_a_team_that_is_not_one_is_refused(client, signed_in, org, other_org, staffed):
    # given a viewer, and a team of another organization
    signed_in(Role.VIEWER)
    elsewhere = TeamFactory(organization=other_org)
    # when they ask for the people of that team
    response = client.get(org_url("resources_people_csv", org), {"team": elsewhere.pk})
    # then the answer is 400 with the filter's message
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_before_any_scores_the_coverage_downloads_empty(client, signed_in, org):
    # given an organization with no scores yet
    signed_in(Role.VIEWER)
    # when the coverage is downloaded
    rows, _ = download(client, org_url("resources_objectives_csv", org))
    # then it has its headings only
    assert len(rows) == 1


def test_the_page_links_its_tables(client, signed_in, org, staffed):
    # given an executive on the resources page, filtered by team
    signed_in(Role.EXECUTIVE)
    html = client.get(org_url("resources", org), {"team": staffed.pk}).content.decode()
    # then each table with rows offers its download, keeping the filter
    assert f'href="{org_url("resources_people_csv", org)}?team={staffed.pk}"' in html
    assert "Download the coverage by objective as CSV" in html
    assert "Download the coverage by initiative as CSV" in html


def test_the_cut_line_downloads_its_whole_ranking(client, signed_in, org, staffed):
    # given a viewer
    signed_in(Role.VIEWER)
    # when they download the cut line's ranking
    rows, _ = download(client, org_url("capacity_cut_line_csv", org))
    # then every candidate comes ranked, with the running total and whether it fits
    assert column(rows, "Rank") == [str(rank) for rank in range(1, len(rows))]
    assert {"Wizard", "Deals"} <= set(column(rows, "Initiative"))
    assert set(column(rows, "Fits")) <= {"yes", "no"}
    # and the page links it
    html = client.get(org_url("capacity_cut_line", org)).content.decode()
    assert "Download the whole ranking as CSV" in html
