"""The settings' lists as CSV: the people (filtered and searched), the members (admins only) and the
teams, each whole and with the role rule of its page."""

from __future__ import annotations

import pytest

from execgap.models import Role
from tests.factories import PersonFactory, TeamFactory
from tests.web.conftest import org_url
from tests.web.export.downloads import column, download, download_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org):
    """60 people (more than a page), every third in Platform; one named like a formula."""
    platform = TeamFactory(organization=org, name="Platform")
    for number in range(60):
        PersonFactory(
            organization=org, name=f"Person {number:02}", team=platform if number % 3 == 0 else None
        )
    PersonFactory(organization=org, name="=cmd|' /C calc'!A0", email="x@example.com")
    return platform


def test_the_people_download_is_everyone_by_name_filtered_as_the_list(client, signed_in, org, people):
    # given a viewer (every member reads the people)
    signed_in(Role.VIEWER, person=False)
    url = org_url("settings_people_csv", org)
    # when they download the people, Platform's, and those named like "Person 1"
    every, _ = download(client, url)
    platform, _ = download(client, url, {"team": people.pk})
    searched, _ = download(client, url, {"q": "person 1"})
    # then everyone comes by name, the formula-like name quoted; the filters keep theirs
    assert len(every) == 62
    assert column(every, "Name")[0] == "'=cmd|' /C calc'!A0"
    assert len(platform) == 21
    assert column(searched, "Name") == [f"Person {number}" for number in range(10, 20)]


def test_the_people_download_costs_a_query_per_chunk(client, signed_in, org, people, monkeypatch):
    # given chunks of 30 people
    monkeypatch.setattr("execgap.web.export.csv.CHUNK_SIZE", 30)
    signed_in(Role.VIEWER, person=False)
    url = org_url("settings_people_csv", org)
    download_queries(client, url)  # the first request of the session also saves its organization
    before = download_queries(client, url)
    # when 60 more people are added
    PersonFactory.create_batch(60, organization=org)
    # then two more chunks cost two more queries
    assert download_queries(client, url) - before == 2


def test_the_members_download_is_for_admins_only(client, signed_in, org):
    # given an admin and two more members
    signed_in(Role.ADMIN)
    signed_in(Role.VIEWER)
    signed_in(Role.LEAD)
    # when the lead asks for the members
    refused = client.get(org_url("settings_members_csv", org))
    # then they are refused, as on the page
    assert refused.status_code == 403
    # and an admin gets every member with their role
    signed_in(Role.ADMIN)
    rows, _ = download(client, org_url("settings_members_csv", org))
    assert sorted(column(rows, "Role")) == ["Admin", "Admin", "Team lead", "Viewer"]


def test_the_teams_download_is_the_tree(client, signed_in, org):
    # given a tree of teams
    root = TeamFactory(organization=org, name="Engineering")
    TeamFactory(organization=org, name="Platform", parent=root)
    signed_in(Role.MEMBER)
    # when they are downloaded
    rows, _ = download(client, org_url("settings_teams_csv", org))
    # then each comes with the team it is part of
    assert column(rows, "Team") == ["Engineering", "Platform"]
    assert column(rows, "Part of") == ["", "Engineering"]


def test_the_people_page_links_its_download_with_its_filters(client, signed_in, org, people):
    # given an admin on the people list filtered by team
    signed_in(Role.ADMIN)
    html = client.get(org_url("settings_people", org), {"team": people.pk}).content.decode()
    # then the download keeps the filter
    assert f'href="{org_url("settings_people_csv", org)}?team={people.pk}"' in html
