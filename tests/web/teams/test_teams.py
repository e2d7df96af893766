"""The teams page: every team of the organization with its lead, people and open work; one's own
teams first."""

from __future__ import annotations

import pytest

from execgap.models import Role
from objectives.models import TaskStatus
from resources.models import Team
from tests.factories import PersonFactory, TaskFactory, TeamFactory
from tests.web.conftest import ROLES, org_url, query_count
from tests.web.teams.conftest import snapshot_with_coverage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_teams_of_the_organization(client, signed_in, org, role):
    # given two teams, one below the other
    parent = TeamFactory(organization=org, name="Engineering")
    TeamFactory(organization=org, name="Payments", parent=parent)
    signed_in(role)
    # when any member opens the teams page
    response = client.get(org_url("teams", org))
    # then both teams are listed, each with a link to its workspace
    assert response.status_code == 200
    page = response.content.decode()
    assert "Engineering" in page
    assert "Payments" in page
    assert org_url("team_workspace", org, pk=parent.pk) in page


def test_the_teams_page_lists_the_lead_people_and_open_work_of_each_team(client, signed_in, org, team_setup):
    # given a team with its lead and member, three open tasks (one linked) and one done task
    setup = team_setup(tasks=3)
    TaskFactory(organization=org, team=setup.team, initiative=setup.initiative, status=TaskStatus.DONE)
    setup.tasks[0].initiative = setup.initiative
    setup.tasks[0].save()
    signed_in(Role.VIEWER)
    # when a viewer opens the teams page
    page = client.get(org_url("teams", org)).content.decode()
    # then the team's lead, its two people and its open and unlinked task counts are shown
    assert setup.lead_person.name in page
    row = page[page.index(">Platform</a>") :]
    assert '<td class="num">2</td>' in row
    assert '<td class="num">3</td>' in row
    assert "2 unlinked" in row


def test_a_lead_sees_their_own_team_first(client, org, team_setup):
    # given two teams, the member's being the second by name
    TeamFactory(organization=org, name="Alpha")
    setup = team_setup(name="Zulu")
    client.force_login(setup.member.user)
    # when the member opens the teams page
    page = client.get(org_url("teams", org)).content.decode()
    # then their team comes first, under "Your team", before the list of all teams
    assert page.index("Your team") < page.index("Zulu") < page.index("All teams") < page.index("Alpha")


def test_an_anonymous_visitor_is_sent_to_log_in(client, org):
    response = client.get(org_url("teams", org))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_member_of_another_organization_gets_a_404(client, signed_in, org, other_org):
    # given a member of the other organization only
    signed_in(Role.ADMIN, other_org)
    # when they open this organization's teams page
    # then it does not exist for them
    assert client.get(org_url("teams", org)).status_code == 404


def test_the_teams_page_runs_as_many_queries_for_three_times_the_teams(client, signed_in, org):
    # given a signed-in member and a few teams with people and tasks
    signed_in(Role.MEMBER)

    def add_teams(count: int) -> None:
        for _ in range(count):
            lead = PersonFactory(organization=org)
            team = TeamFactory(organization=org, lead=lead)
            PersonFactory(organization=org, team=team)
            TaskFactory(organization=org, team=team)
        snapshot_with_coverage(org, {}, alignment=dict.fromkeys(Team.objects.filter(organization=org), 50.0))

    add_teams(2)
    client.get(org_url("teams", org))  # the session's first write is not the page's
    small = query_count(client, org_url("teams", org))
    # when there are three times as many
    add_teams(4)
    large = query_count(client, org_url("teams", org))
    # then the page runs the same queries, and few of them
    assert small == large
    assert large <= 15


def test_each_team_shows_its_alignment_from_the_latest_snapshot(client, signed_in, org, team_setup):
    # given a team scored 75 for alignment, and a team the snapshot does not know yet
    setup = team_setup()
    TeamFactory(organization=org, name="Newcomers")
    snapshot_with_coverage(org, {}, alignment={setup.team: 75.0})
    signed_in(Role.VIEWER)
    # when the teams page is shown
    page = client.get(org_url("teams", org)).content.decode()
    # then the first shows its score, the second says it is not scored yet, in a fragment that
    # refreshes itself when new scores land
    assert "75 / 100" in page
    assert "Not scored yet" in page[page.index(">Newcomers</a>") :]
    assert '<div id="teams-overview"' in page
    assert 'hx-trigger="scores-updated from:body"' in page
