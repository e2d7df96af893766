"""The strategy map: the cascade as a tree that opens one level at a time, each node with the latest
snapshot's numbers; filtered by team, searched by title, opened on one goal; never the whole plan.
What the two views share is tested on the map (the default); what only the list view draws (its
<details>, its numbers in sentences) on `?view=list`; the map's cards in test_strategy_map_view."""

from __future__ import annotations

import pytest

from execgap.models import Role
from scoring.services import scores_recompute
from scoring.web.dashboards.selectors.outline import PAGE_SIZE
from scoring.web.dashboards.selectors.strategy import EXPAND_ALL_NODES
from tests.factories import InitiativeFactory, ObjectiveFactory, TeamFactory
from tests.web.conftest import org_url, query_count
from tests.web.dashboards.conftest import (
    map_text,
    more_link,
    node_titles,
    organization_of_size,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_open_the_strategy_map(client, signed_in, org, worked_map, role):
    signed_in(role)
    response = client.get(org_url("strategy_map", org))
    assert response.status_code == 200
    assert "r1" in node_titles(response.content.decode())
    level = client.get(org_url("strategy_map_level", org), {"of": worked_map.c1.pk})
    assert level.status_code == 200
    assert node_titles(level.content.decode()) == ["i1"]


def test_an_anonymous_visitor_is_sent_to_log_in(client, org, worked_map):
    for url in (org_url("strategy_map", org), org_url("strategy_map_level", org) + f"?of={worked_map.c1.pk}"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_member_of_another_organization_finds_nothing(client, signed_in, org, other_org, worked_map):
    signed_in(Role.ADMIN, other_org)
    assert client.get(org_url("strategy_map", org)).status_code == 404
    assert client.get(org_url("strategy_map_level", org), {"of": worked_map.c1.pk}).status_code == 404


def test_the_map_opens_on_the_boardroom_objectives(client, signed_in, org, worked_map):
    # given the worked example, computed
    signed_in(Role.EXECUTIVE)
    # when the map is opened
    html = client.get(org_url("strategy_map", org)).content.decode()
    # then siblings come by weight (r3 5, r1 3, r2 1; c3 2, c1 1, c2 1), the boardroom objectives
    # open (their objectives before their initiatives), the levels below them not read yet; the
    # initiative with no objective comes apart
    assert node_titles(html) == ["r3", "r1", "c3", "c1", "c2", "r2", "i2", "i3"]
    assert "Initiatives outside the cascade" in html
    # and each node links to its page
    w = worked_map
    assert f'href="{org_url("objective_detail", org, pk=w.c1.pk)}"' in html
    assert f'href="{org_url("initiative_detail", org, pk=w.i3.pk)}"' in html


def test_expand_all_shows_the_cascade_down_to_the_initiatives(client, signed_in, org, worked_map):
    signed_in(Role.EXECUTIVE)
    html = client.get(org_url("strategy_map", org), {"expand": "all"}).content.decode()
    # each node followed by what is below it, objectives before initiatives
    assert node_titles(html) == ["r3", "r1", "c3", "c1", "i1", "c2", "r2", "i2", "i3"]
    # and the small plan fits, so the page says nothing of a limit
    assert "Expand all opens at most" not in html


def test_each_node_of_the_list_shows_its_progress_coverage_and_effort_share(
    client, signed_in, org, worked_map
):
    signed_in(Role.VIEWER)
    html = client.get(org_url("strategy_map", org), {"expand": "all", "view": "list"}).content.decode()
    text = map_text(html)
    # r1: progress 0.7 (c3, a draft, does not count), covered through i1, all the aligned effort
    # against 75% intended
    assert "Progress: 70% done No dates" in text
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
    # and an initiative's tasks are counted by class: i1 has x1, 10 hours to do
    assert "Tasks: 1 open (10 hours), 0 done (0 hours)" in text
    # the effort share is drawn too, with its numbers in the chart's label
    assert 'aria-label="r1 effort share: actual 100%, intended 75%"' in html


def test_a_node_not_scored_yet_says_so(client, signed_in, org, worked_map):
    # given an objective written after the last recompute
    ObjectiveFactory(organization=org, title="Newcomer", parent=worked_map.r2)
    signed_in(Role.VIEWER)
    # when r2's level is read
    html = client.get(org_url("strategy_map_level", org), {"of": worked_map.r2.pk}).content.decode()
    # then the newcomer is there, without numbers
    assert node_titles(html) == ["Newcomer", "i2"]
    assert "Not scored yet." in map_text(html)


def test_the_list_opens_and_closes_without_javascript(client, signed_in, org, worked_map):
    signed_in(Role.VIEWER)
    url = org_url("strategy_map", org)
    by_default = client.get(url, {"view": "list"}).content.decode()
    expanded = client.get(url, {"expand": "all", "view": "list"}).content.decode()
    collapsed = client.get(url, {"expand": "none", "view": "list"}).content.decode()
    # r1 and r2 have something below them; c1 too (i1); r3 only a task linked to it directly
    assert by_default.count("<details open>") == 2  # the boardroom objectives
    assert expanded.count("<details open>") == 3
    assert collapsed.count("<details open>") == 0
    assert collapsed.count("<details>") == 3  # c1 is not even read while r1 is closed
    assert "<summary>Below r1: 3 objectives</summary>" in collapsed  # r1 has objectives only
    assert "<summary>Below r3: 1 task linked directly</summary>" in collapsed
    assert 'href="?view=list&amp;expand=all"' in by_default
    # and a closed node links to the list opened on it, for a browser without JavaScript
    c1 = f"objective-{worked_map.c1.pk}"
    assert f'href="{url}?open={c1}&amp;view=list#{c1}"' in by_default


def test_a_closed_node_of_the_list_fetches_its_level_when_it_is_expanded(client, signed_in, org, worked_map):
    signed_in(Role.VIEWER)
    html = client.get(org_url("strategy_map", org), {"view": "list"}).content.decode()
    # given c1, closed: its list asks for its level (as list items) when its <details> opens, once
    level_url = f"{org_url('strategy_map_level', org)}?of={worked_map.c1.pk}&view=list"
    assert f'hx-get="{level_url.replace("&", "&amp;")}" hx-trigger="toggle once from:closest details"' in html
    # when htmx asks for it
    response = client.get(level_url)
    # then the answer is the level's list items only, with the numbers of each node
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(
        f'<li class="map-node map-initiative" id="initiative-{worked_map.i1.pk}">'
    )
    assert "<html" not in body
    assert "104.8 hours allocated" in map_text(body)


@pytest.mark.parametrize(
    ("of", "status"),
    [("nonsense", 400), ("task-3", 400), ("", 400), ("999999", 404), ("initiative-999999", 404)],
)
def test_a_level_that_is_not_on_the_map_is_refused(client, signed_in, org, worked_map, of, status):
    signed_in(Role.VIEWER)
    response = client.get(org_url("strategy_map_level", org), {"of": of})
    assert response.status_code == status


def test_the_level_of_an_objective_of_another_organization_is_not_found(
    client, signed_in, org, other_org, worked_map
):
    theirs = ObjectiveFactory(organization=other_org, title="Theirs")
    InitiativeFactory(organization=other_org, objective=theirs, title="Their initiative")
    signed_in(Role.VIEWER)
    response = client.get(org_url("strategy_map_level", org), {"of": theirs.pk})
    assert response.status_code == 404
    assert "Their initiative" not in response.content.decode()


def test_a_level_filtered_by_a_team_of_another_organization_is_refused(
    client, signed_in, org, other_org, worked_map
):
    foreign = TeamFactory(organization=other_org, name="Foreign")
    signed_in(Role.VIEWER)
    response = client.get(org_url("strategy_map_level", org), {"of": worked_map.c1.pk, "team": foreign.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "i1" not in node_titles(response.content.decode())


def test_a_long_level_shows_a_page_and_the_next_on_demand(client, signed_in, org, crowded):
    signed_in(Role.VIEWER)
    # when the crowded objective's level is fetched
    first = client.get(org_url("strategy_map_level", org), {"of": crowded.root.pk}).content.decode()
    # then it holds the first page: its objectives, then initiatives by title
    assert node_titles(first) == crowded.order[:PAGE_SIZE]
    assert "Show the next 13 below “Crowded”" in first
    assert "(13 not shown yet)" in first
    # when the next page is asked for (htmx replaces the "show the next" item with it)
    plain, htmx = more_link(first)
    assert htmx == f"{org_url('strategy_map_level', org)}?of={crowded.root.pk}&start={PAGE_SIZE}"
    following = client.get(htmx).content.decode()
    # then the rest follows, the first of them focused, and nothing more is offered
    assert node_titles(following) == crowded.order[PAGE_SIZE:]
    assert following.count(" autofocus") == 1
    assert "Show the next" not in following
    # and without JavaScript the plain link opens the map on the objective at that page
    anchor = f"objective-{crowded.root.pk}"
    assert plain == f"{org_url('strategy_map', org)}?open={anchor}&start={PAGE_SIZE}#{anchor}"
    whole = client.get(plain).content.decode()
    assert node_titles(whole) == ["Crowded", *crowded.order[PAGE_SIZE:]]


def test_the_boardroom_objectives_come_a_page_at_a_time(client, signed_in, org):
    # given more boardroom objectives than a page
    roots = [ObjectiveFactory(organization=org, title=f"Goal {n:03d}") for n in range(PAGE_SIZE + 5)]
    signed_in(Role.VIEWER)
    # when the map is opened
    html = client.get(org_url("strategy_map", org)).content.decode()
    # then the first page shows, and a link to the next five
    assert node_titles(html) == [root.title for root in roots[:PAGE_SIZE]]
    plain, htmx = more_link(html)
    assert "Show the next 5 of the boardroom objectives" in html
    assert htmx.endswith(f"?of=top&start={PAGE_SIZE}")
    assert node_titles(client.get(htmx).content.decode()) == [root.title for root in roots[PAGE_SIZE:]]
    # and without JavaScript the map shows the next page, saying where it is
    following = client.get(plain).content.decode()
    assert node_titles(following) == [root.title for root in roots[PAGE_SIZE:]]
    assert f"Boardroom objectives {PAGE_SIZE + 1} to {PAGE_SIZE + 5} of {PAGE_SIZE + 5}." in map_text(
        following
    )
    assert "Show the first ones" in following


def test_expand_all_stops_at_its_limit_and_says_so(client, signed_in, org):
    # given five boardroom objectives with 30 initiatives each: 155 nodes
    roots = [ObjectiveFactory(organization=org, title=f"Root {n}") for n in range(5)]
    for root in roots:
        InitiativeFactory.create_batch(30, organization=org, objective=root)
    signed_in(Role.EXECUTIVE)
    # when everything is asked for
    html = client.get(org_url("strategy_map", org), {"expand": "all", "view": "list"}).content.decode()
    # then the first three open (5 + 3 × 30 = 95 nodes), the fourth would pass the limit: it and
    # the fifth stay closed
    assert len(node_titles(html)) == 5 + 3 * 30 <= EXPAND_ALL_NODES < 5 + 4 * 30
    assert html.count("<details open>") == 3
    # and the page says why
    assert f"Expand all opens at most {EXPAND_ALL_NODES} goals, level by level" in map_text(html)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"expand": "all"},
        {"q": "Objective"},
        {"open": "first-child"},
        {"start": "1", "outside": "1"},
    ],
    ids=["as-it-opens", "expand-all", "search", "opened", "paged"],
)
def test_the_map_runs_the_same_queries_for_a_three_times_larger_organization(
    client, signed_in, org, other_org, data
):
    built = {org: organization_of_size(org, 2), other_org: organization_of_size(other_org, 6)}
    for organization in (org, other_org):
        scores_recompute(organization_id=organization.pk)
    counts = []
    for organization, plan in built.items():
        asked = dict(data)
        if asked.get("open") == "first-child":
            asked["open"] = f"objective-{plan.objectives[1].pk}"
        signed_in(Role.EXECUTIVE, organization)
        counts.append(query_count(client, org_url("strategy_map", organization), data=asked))
    assert counts[0] == counts[1]
    assert counts[1] <= 19


def test_a_level_runs_the_same_queries_for_a_three_times_larger_organization(
    client, signed_in, org, other_org
):
    built = {org: organization_of_size(org, 2), other_org: organization_of_size(other_org, 6)}
    counts = []
    for organization, plan in built.items():
        scores_recompute(organization_id=organization.pk)
        signed_in(Role.EXECUTIVE, organization)
        root = plan.objectives[0]
        counts.append(query_count(client, org_url("strategy_map_level", organization), data={"of": root.pk}))
    assert counts[0] == counts[1]
    assert counts[1] <= 15
