"""The teams pages' tables as CSV: the teams (searched), a team's tasks (filtered as the workspace
filters them, newest first) and its initiatives with their staffing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Role
from objectives.models import TaskStatus
from tests.factories import (
    AllocationFactory,
    InitiativeFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
    TeamFactory,
)
from tests.web.conftest import org_url
from tests.web.export.downloads import column, download, download_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(org):
    """Platform, with 60 tasks (more than a page of 50): every third one done, the even ones on a goal."""
    platform = TeamFactory(organization=org, name="Platform")
    goal = ObjectiveFactory(organization=org, title="Scale")
    for number in range(60):
        TaskFactory(
            organization=org, team=platform, title=f"Task {number:02}",
            status=TaskStatus.DONE if number % 3 == 0 else TaskStatus.TODO,
            objective=goal if number % 2 == 0 else None,
        )  # fmt: skip
    return platform


def test_a_teams_tasks_download_is_every_task_newest_first(client, signed_in, org, team):
    # given a viewer
    signed_in(Role.VIEWER)
    # when they download the team's tasks
    rows, response = download(client, org_url("team_tasks_csv", org, pk=team.pk))
    # then all 60 come, newest first, each with its goal
    assert column(rows, "Task") == [f"Task {number:02}" for number in reversed(range(60))]
    assert column(rows, "Goal")[-1] == "Scale"
    assert "acme-platform-tasks-" in response["Content-Disposition"]


def test_a_teams_tasks_download_keeps_the_workspaces_filters(client, signed_in, org, team):
    # given a viewer with the workspace filtered to the unlinked tasks to do, searched for "Task 1"
    signed_in(Role.VIEWER)
    filters = {"status": "todo", "link": "unlinked", "q": "Task 1", "cursor": "x", "select": "all"}
    # when they download the tasks
    rows, _ = download(client, org_url("team_tasks_csv", org, pk=team.pk), filters)
    # then only those the workspace lists are there
    assert column(rows, "Task") == ["Task 19", "Task 17", "Task 13", "Task 11"]


def test_a_filter_that_cannot_be_read_is_refused(client, signed_in, org, other_org, team):
    # given a viewer, and a person of another organization
    signed_in(Role.VIEWER)
    stranger = PersonFactory(organization=other_org)
    # when they ask for the tasks assigned to that person
    response = client.get(org_url("team_tasks_csv", org, pk=team.pk), {"assignee": stranger.pk})
    # then the answer is 400, naming the filter, and nothing of theirs
    assert response.status_code == 400
    assert "assignee" in response.content.decode()


def test_another_organizations_team_is_not_found(client, signed_in, org, other_org):
    # given a viewer and a team of another organization
    signed_in(Role.VIEWER)
    elsewhere = TeamFactory(organization=other_org)
    # when they ask for its tasks and initiatives
    tasks = client.get(org_url("team_tasks_csv", org, pk=elsewhere.pk))
    initiatives = client.get(org_url("team_initiatives_csv", org, pk=elsewhere.pk))
    # then neither exists for them
    assert (tasks.status_code, initiatives.status_code) == (404, 404)


def test_the_tasks_download_reads_a_query_per_chunk(client, signed_in, org, team, monkeypatch):
    # given chunks of 20 rows
    monkeypatch.setattr("execgap.web.export.csv.CHUNK_SIZE", 20)
    signed_in(Role.VIEWER)
    url = org_url("team_tasks_csv", org, pk=team.pk)
    download_queries(client, url)  # the first request of the session also saves its organization
    sixty = download_queries(client, url)
    # when 40 more tasks are added
    TaskFactory.create_batch(40, organization=org, team=team)
    # then the two more chunks cost two more queries
    assert download_queries(client, url) - sixty == 2


def test_the_initiatives_download_has_their_staffing(client, signed_in, org, team):
    # given two initiatives of the team, one staffed by two people, and a lead
    staffed = InitiativeFactory(organization=org, team=team, title="Wizard")
    InitiativeFactory(organization=org, team=team, title="Billing")
    for hours in (Decimal(10), Decimal("2.5")):
        AllocationFactory(
            organization=org, initiative=staffed, person=PersonFactory(organization=org), hours_per_week=hours
        )
    signed_in(Role.LEAD)
    # when they download the team's initiatives
    rows, _ = download(client, org_url("team_initiatives_csv", org, pk=team.pk))
    # then each comes by title with its people and hours
    assert column(rows, "Initiative") == ["Billing", "Wizard"]
    assert column(rows, "People allocated") == ["0", "2"]
    assert column(rows, "Hours per week allocated") == ["0.0", "12.5"]


def test_the_teams_download_is_every_team_or_those_searched(client, signed_in, org):
    # given a tree of teams
    root = TeamFactory(organization=org, name="Engineering")
    TeamFactory(organization=org, name="Platform", parent=root)
    TeamFactory(organization=org, name="Sales")
    signed_in(Role.MEMBER)
    url = org_url("teams_csv", org)
    # when they download the teams, then those named like "form"
    every, _ = download(client, url)
    searched, _ = download(client, url, {"q": "form"})
    # then the tree comes in its order with each team's parent; the search keeps one
    assert column(every, "Team") == ["Engineering", "Platform", "Sales"]
    assert column(every, "Part of") == ["", "Engineering", ""]
    assert column(searched, "Team") == ["Platform"]


def test_the_workspace_links_its_tables_with_its_filters(client, signed_in, org, team):
    # given a viewer on the workspace filtered to the tasks done
    signed_in(Role.VIEWER)
    InitiativeFactory(organization=org, team=team)
    html = client.get(org_url("team_workspace", org, pk=team.pk), {"status": "done"}).content.decode()
    # then the tasks' download keeps the filter, and the initiatives' is there
    assert f'href="{org_url("team_tasks_csv", org, pk=team.pk)}?status=done"' in html
    assert "Download the initiatives and their staffing as CSV" in html


def test_the_check_ins_due_download(client, signed_in, org, team):
    # given an active initiative of the team, never checked in
    InitiativeFactory(organization=org, team=team, title="Wizard")
    signed_in(Role.VIEWER)
    # when the team's check-ins due are downloaded
    rows, _ = download(client, org_url("team_check_ins_due_csv", org, pk=team.pk))
    # then it is there, overdue
    assert column(rows, "Item") == ["Wizard"]
    assert column(rows, "Status") == ["Overdue: never checked in"]
    # and the workspace links it
    html = client.get(org_url("team_workspace", org, pk=team.pk)).content.decode()
    assert "Download the check-ins due as CSV" in html
