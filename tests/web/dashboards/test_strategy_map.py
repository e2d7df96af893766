"""The strategy map: the cascade as an expandable tree with each node's numbers, filtered by team."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from execgap.models import Role
from scoring.services import scores_recompute
from tests.factories import InitiativeFactory, ObjectiveFactory, TeamFactory
from tests.web.conftest import org_url, query_count
from tests.web.dashboards.conftest import WORKED_EXAMPLE_DATE, organization_of_size

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _titles(html: str) -> list[str]:
    """The titles of the nodes shown, in the order of the tree."""
    return re.findall(r'<p class="node-title">.*?<a href="[^"]+">([^<]+)</a>', html, flags=re.DOTALL)


@pytest.fixture
def worked_map(worked_example):
    scores_recompute(organization_id=worked_example.org.pk, as_of=WORKED_EXAMPLE_DATE)
    return worked_example


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_open_the_strategy_map(client, signed_in, org, worked_map, role):
    signed_in(role)
    response = client.get(org_url("strategy_map", org))
    assert response.status_code == 200
    assert "r1" in _titles(response.content.decode())


def test_an_anonymous_visitor_is_sent_to_log_in(client, org):
    response = client.get(org_url("strategy_map", org))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_member_of_another_organization_finds_nothing(client, signed_in, org, other_org):
    signed_in(Role.ADMIN, other_org)
    assert client.get(org_url("strategy_map", org)).status_code == 404


def test_the_cascade_from_the_boardroom_down_to_the_initiatives(client, signed_in, org, worked_map):
    # given the worked example, computed
    signed_in(Role.EXECUTIVE)
    # when the map is opened
    html = client.get(org_url("strategy_map", org)).content.decode()
    # then siblings come by weight (r3 5, r1 3, r2 1; c3 2, c1 1, c2 1), each followed by what is
    # below it, its objectives before its initiatives; the initiative with no objective comes apart
    assert _titles(html) == ["r3", "r1", "c3", "c1", "i1", "c2", "r2", "i2", "i3"]
    assert "Initiatives outside the cascade" in html
    # and each node links to its page
    w = worked_map
    assert f'href="{org_url("objective_detail", org, pk=w.c1.pk)}"' in html
    assert f'href="{org_url("initiative_detail", org, pk=w.i1.pk)}"' in html


def test_each_node_shows_its_progress_coverage_and_effort_share(client, signed_in, org, worked_map):
    signed_in(Role.VIEWER)
    text = _text(client.get(org_url("strategy_map", org)).content.decode())
    # r1: progress 0.35, covered through i1, all the aligned effort against 75% intended
    assert "Progress: 35% done No dates" in text
    assert "Coverage: 100% covered by 1 active initiative" in text
    assert "Effort share 100% against 75% intended" in text
    # r2: no active initiative, none of the effort against 25%
    assert "Coverage: Not covered: no active initiative" in text
    assert "Effort share 0% against 25% intended" in text
    # i1: 104.76 hours allocated of the 50 it needs by its end
    assert "Coverage: 100% covered: 104.8 hours allocated for the 50 it needs by 30 Jan 2027" in text
    # the statuses in words, and an initiative on hold is said to be unmeasured
    assert "Cancelled" in text
    assert "Not staffed or measured while on hold." in text
    # the effort share is drawn too, with its numbers in the chart's label
    assert (
        'aria-label="r1 effort share: actual 100%, intended 75%"'
        in client.get(org_url("strategy_map", org)).content.decode()
    )


def test_the_tree_opens_and_closes_without_javascript(client, signed_in, org, worked_map):
    signed_in(Role.VIEWER)
    url = org_url("strategy_map", org)
    by_default = client.get(url).content.decode()
    expanded = client.get(url, {"expand": "all"}).content.decode()
    collapsed = client.get(url, {"expand": "none"}).content.decode()
    # r1 and r2 have something below them; c1 too (i1)
    assert by_default.count("<details open>") == 2  # the boardroom objectives
    assert expanded.count("<details open>") == 3
    assert collapsed.count("<details open>") == 0
    assert collapsed.count("<details>") == 3
    assert "<summary>Below r1: 3 objectives and" not in collapsed  # r1 has objectives only
    assert "<summary>Below r1: 3 objectives</summary>" in collapsed
    assert 'href="?expand=all"' in by_default


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
    response = client.get(org_url("strategy_map", org), {"team": teams_plan.a.pk})
    # then A's and A1's nodes stay, with the objectives above them; B's other nodes go
    html = response.content.decode()
    assert response.status_code == 200
    assert _titles(html) == ["X of B", "Y of A1", "Z of B", "Zi of A", "Loose of A"]
    # and they are open, so that the team's nodes are in sight
    assert html.count("<details open>") == 2


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
    assert "W of B" in _titles(html)


def test_the_map_runs_the_same_queries_for_a_three_times_larger_organization(
    client, signed_in, org, other_org
):
    organization_of_size(org, 2)
    organization_of_size(other_org, 6)
    for organization in (org, other_org):
        scores_recompute(organization_id=organization.pk)
    signed_in(Role.EXECUTIVE)
    small = query_count(client, org_url("strategy_map", org), data={"expand": "all"})
    signed_in(Role.EXECUTIVE, other_org)
    large = query_count(client, org_url("strategy_map", other_org), data={"expand": "all"})
    assert small == large
    assert large <= 15
