"""The strategy map opened on one goal, searched by title and filtered by team: the path down to what
is asked for, and nothing of another organization or team."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from execgap.models import Role
from objectives.models import Initiative
from scoring.web.dashboards.selectors.outline import PAGE_SIZE
from tests.factories import InitiativeFactory, ObjectiveFactory, TeamFactory
from tests.web.conftest import org_url
from tests.web.dashboards.conftest import map_text, more_link, node_titles

pytestmark = pytest.mark.django_db


def test_the_map_opens_on_a_goal_with_the_path_down_to_it(client, signed_in, org, worked_map):
    signed_in(Role.VIEWER)
    # when the map is opened on c1
    anchor = f"objective-{worked_map.c1.pk}"
    html = client.get(org_url("strategy_map", org), {"open": anchor, "view": "list"}).content.decode()
    # then r1 (above it) and c1 are open, r2 is not: the path from the boardroom down to c1
    assert node_titles(html) == ["r3", "r1", "c3", "c1", "i1", "c2", "r2", "i3"]
    assert html.count("<details open>") == 2
    # and c1 is marked as the goal the map is opened on
    assert re.search(rf'id="{anchor}">.*?aria-current="true">c1</a>', html, re.S)
    assert "The map is opened on c1 ." in map_text(html)


def test_the_map_opened_on_a_goal_past_the_first_page_pins_it(client, signed_in, org, crowded):
    signed_in(Role.VIEWER)
    # given the last initiative of the crowded objective, past its first page
    last = Initiative.objects.get(title=crowded.order[-1])
    # when the map is opened on it
    html = client.get(
        org_url("strategy_map", org), {"open": f"initiative-{last.pk}", "view": "list"}
    ).content.decode()
    # then the first page shows, then the initiative, said to be further down
    assert node_titles(html) == ["Crowded", *crowded.order[:PAGE_SIZE], last.title]
    assert "further down this list" in html
    # and the next page leaves it out: it is shown already
    _, htmx = more_link(html)
    assert f"skip=initiative-{last.pk}&view=list" in htmx
    assert node_titles(client.get(htmx).content.decode()) == crowded.order[PAGE_SIZE:-1]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("objective-abc", "The map opens on a goal named like objective-12 or initiative-7."),
        ("initiative-999999", "There is no such objective or initiative in this organization."),
    ],
)
def test_opening_the_map_on_a_goal_that_is_not_there_is_refused(
    client, signed_in, org, worked_map, value, message
):
    signed_in(Role.VIEWER)
    response = client.get(org_url("strategy_map", org), {"open": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    # and the map shows as it opens
    assert node_titles(html) == ["r3", "r1", "c3", "c1", "c2", "r2", "i2", "i3"]


def test_opening_the_map_on_another_organizations_goal_finds_nothing(
    client, signed_in, org, other_org, worked_map
):
    theirs = ObjectiveFactory(organization=other_org, title="Their secret")
    signed_in(Role.VIEWER)
    response = client.get(org_url("strategy_map", org), {"open": f"objective-{theirs.pk}"})
    assert response.status_code == 400
    assert "There is no such objective or initiative in this organization." in response.content.decode()
    assert "Their secret" not in response.content.decode()


def test_a_search_lists_the_goals_with_the_path_above_each(client, signed_in, org, worked_map):
    signed_in(Role.VIEWER)
    # when "c" is searched: c1, c2, c3 and nothing else
    html = client.get(org_url("strategy_map", org), {"q": "c"}).content.decode()
    matches = re.search(r'<ol class="match-list">(.*?)</ol>', html, re.S)
    assert matches
    # then each is listed by title, with where it sits, and opens the map on it
    text = map_text(matches.group(1))
    assert "Objective c1 under r1" in text
    assert "Objective c2 under r1" in text
    c1 = f"objective-{worked_map.c1.pk}"
    assert f'href="?q=c&amp;open={c1}#{c1}"' in matches.group(1)


def test_a_search_with_one_match_opens_the_map_on_it(client, signed_in, org, worked_map):
    signed_in(Role.VIEWER)
    # when i1 is searched (in any case)
    html = client.get(org_url("strategy_map", org), {"q": "I1"}).content.decode()
    # then the map is opened on it: r1 and c1 are open down to i1
    assert "Initiative i1 under r1 \u203a c1" in map_text(html)
    assert "The map is opened on i1 ." in map_text(html)
    assert node_titles(html) == ["r3", "r1", "c3", "c1", "i1", "c2", "r2", "i3"]


def test_a_search_that_matches_nothing_says_so(client, signed_in, org, worked_map):
    signed_in(Role.VIEWER)
    html = client.get(org_url("strategy_map", org), {"q": "zebra"}).content.decode()
    assert "No objective or initiative has “zebra” in its title." in map_text(html)


@pytest.fixture
def teams_plan(org):
    """Teams A (with A1 below it) and B; objectives of either, an initiative of A under a B objective."""
    p = SimpleNamespace()
    p.a = TeamFactory(organization=org, name="A")
    p.a1 = TeamFactory(organization=org, name="A1", parent=p.a)
    p.b = TeamFactory(organization=org, name="B")
    p.x = ObjectiveFactory(organization=org, title="X of B", team=p.b)
    p.y = ObjectiveFactory(organization=org, title="Y of A1", team=p.a1, parent=p.x)
    p.y2 = ObjectiveFactory(organization=org, title="Y2 of B", team=p.b, parent=p.x)
    p.z = ObjectiveFactory(organization=org, title="Z of B", team=p.b)
    p.zi = InitiativeFactory(organization=org, title="Zi of A", team=p.a, objective=p.z)
    p.w = ObjectiveFactory(organization=org, title="W of B", team=p.b)
    p.wi = InitiativeFactory(organization=org, title="Wi of B", team=p.b, objective=p.w)
    p.loose_a = InitiativeFactory(organization=org, title="Loose of A", team=p.a)
    p.loose_b = InitiativeFactory(organization=org, title="Loose of B", team=p.b)
    return p


def test_the_team_filter_keeps_the_teams_nodes_and_those_above_them(client, signed_in, org, teams_plan):
    # given objectives and initiatives of teams A, A1 (below A) and B
    signed_in(Role.MEMBER)
    # when the map is filtered by team A
    response = client.get(org_url("strategy_map", org), {"team": teams_plan.a.pk, "view": "list"})
    # then A's and A1's nodes stay, with the objectives above them; B's other nodes go
    html = response.content.decode()
    assert response.status_code == 200
    assert node_titles(html) == ["X of B", "Y of A1", "Z of B", "Zi of A", "Loose of A"]
    # and they are open, so that the team's nodes are in sight, and counted
    assert html.count("<details open>") == 2
    assert "<summary>Below X of B: 1 objective</summary>" in html
    assert "3 objectives and 2 initiatives of A" in map_text(html)
    # and a level fetched under the filter keeps to it
    level = client.get(org_url("strategy_map_level", org), {"of": teams_plan.x.pk, "team": teams_plan.a.pk})
    assert node_titles(level.content.decode()) == ["Y of A1"]


def test_the_team_filter_narrows_the_search_and_refuses_to_open_another_teams_goal(
    client, signed_in, org, teams_plan
):
    signed_in(Role.MEMBER)
    url = org_url("strategy_map", org)
    # a search under A's filter finds A's goals only
    html = client.get(url, {"team": teams_plan.a.pk, "q": "of b"}).content.decode()
    assert re.findall(r'<ol class="match-list">(.*?)</ol>', html, re.S)
    assert "W of B" not in map_text(re.search(r'<ol class="match-list">(.*?)</ol>', html, re.S).group(1))
    # and opening the map of A on one of B's goals is refused, saying why
    response = client.get(url, {"team": teams_plan.a.pk, "open": f"objective-{teams_plan.w.pk}"})
    assert response.status_code == 400
    assert "“W of B” is not on this team&#x27;s map: show every team to see it." in response.content.decode()


def test_filtering_by_a_team_of_another_organization_is_refused(
    client, signed_in, org, other_org, teams_plan
):
    # given a team of another organization
    foreign = TeamFactory(organization=other_org, name="Foreign")
    signed_in(Role.MEMBER)
    # when the map is asked to filter by it
    response = client.get(org_url("strategy_map", org), {"team": foreign.pk})
    # then the filter says why, and the map is not filtered
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Foreign" not in html
    assert "W of B" in node_titles(html)
