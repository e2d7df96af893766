"""The strategy map drawn as a map (the default view): each goal a card with its progress, staffing and
share of effort; a toggle per card that opens the level below it, down to an initiative's tasks
summed by class (never the tasks themselves); and the switch to the list view, remembered in the
query string. The levels and paging both views share are in test_strategy_map."""

from __future__ import annotations

import html as html_lib
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from execgap.models import Role
from scoring.services import scores_recompute
from tests.factories import InitiativeFactory, ObjectiveFactory, TaskFactory, TeamFactory
from tests.web.conftest import org_url, query_count
from tests.web.dashboards.conftest import map_text, node_titles, organization_of_size

pytestmark = pytest.mark.django_db


def card_of(html: str, anchor: str) -> str:
    """The text of the card of a node (its facts and its toggle, not what is below it)."""
    found = re.search(
        rf'<li [^>]*id="{anchor}">\s*<div class="map-card[^"]*">(.*?)</div>\s*(?:<ul|</li>)', html, re.S
    )
    assert found, f"no card for {anchor}"
    return map_text(found.group(1)).strip()


def toggle_of(html: str, anchor: str) -> dict[str, str]:
    """The attributes of a card's toggle button."""
    found = re.search(
        rf'<button type="submit" class="node-toggle" ([^>]*aria-controls="below-{anchor}"[^>]*)>', html
    )
    assert found, f"no toggle for {anchor}"
    return {
        name: html_lib.unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', found.group(1))
    }


def task_titles(html: str) -> list[str]:
    return re.findall(r'<p class="node-title tasks-title">.*?<a href="[^"]+">([^<]+)</a>', html, flags=re.S)


def test_each_goal_is_a_card_with_its_progress_staffing_and_share(client, signed_in, org, worked_map):
    # given the worked example, computed (SCORING.md)
    w = worked_map
    signed_in(Role.VIEWER)
    # when the map is opened whole
    html = client.get(org_url("strategy_map", org), {"expand": "all"}).content.decode()
    # then r1 reads its progress (0.7), its staffing (i1's 50 hours, all covered) and its share of
    # the aligned effort (all of it) against the 75% intended, with its status and owner
    assert card_of(html, f"objective-{w.r1.pk}") == (
        "Boardroom objective r1 Active No team · owned by p1 "
        "Progress 70% No dates Staffed 50 of 50 h (100%) Effort share 100% against 75% intended "
        "3 objectives below r1"
    )
    # r2: nothing staffed, none of its 25%; below it i2 and the task linked to it directly (x7)
    assert card_of(html, f"objective-{w.r2.pk}") == (
        "Boardroom objective r2 Active No team · owned by p3 "
        "Progress 60% No dates Staffed No active initiative Effort share 0% against 25% intended "
        "1 initiative and 1 task linked directly below r2"
    )
    # i1: none of its task hours done yet, 104.76 hours allocated for the 50 it needs
    assert card_of(html, f"initiative-{w.i1.pk}") == (
        "Initiative i1 Active No team · owned by p2 Work done 0% of the task hours "
        "Staffed 104.8 h for the 50 h needed (100%) until 30 Jan 2027 1 task below i1"
    )
    # an initiative on hold is not measured
    assert "Staffed not measured while on hold" in card_of(html, f"initiative-{w.i2.pk}")
    # and each card links to its goal's page
    assert f'<a href="{org_url("objective_detail", org, pk=w.c1.pk)}">c1</a>' in html


def test_the_bars_draw_the_numbers_the_words_say(client, signed_in, org, worked_map):
    signed_in(Role.VIEWER)
    html = client.get(org_url("strategy_map", org)).content.decode()
    card = re.search(rf'id="objective-{worked_map.r1.pk}">(.*?)<ul', html, re.S).group(1)
    # progress 70%, staffing 100%, share 100% with the intended 75% marked
    assert re.findall(r'class="bar-fill bar-\w+" x="0" y="2" width="([\d.]+)"', card) == [
        "70.0",
        "100.0",
        "100.0",
    ]
    assert '<rect class="bar-mark" x="75.0"' in card
    # hidden from screen readers: the words say the same
    assert (
        card.count('<svg class="card-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"')
        == 3
    )


def test_each_toggle_opens_its_level_in_place_or_without_javascript(client, signed_in, org, worked_map):
    w = worked_map
    signed_in(Role.VIEWER)
    url = org_url("strategy_map", org)
    html = client.get(url).content.decode()
    level = org_url("strategy_map_level", org)
    # given r1, open as the map opens: its toggle closes it (without JavaScript: the map collapsed)
    r1 = toggle_of(html, f"objective-{w.r1.pk}")
    assert (r1["aria-expanded"], r1["name"], r1["value"]) == ("true", "expand", "none")
    # and c1, closed: its toggle asks for its level (with JavaScript), or opens the map on it
    c1 = toggle_of(html, f"objective-{w.c1.pk}")
    assert (c1["aria-expanded"], c1["name"], c1["value"]) == ("false", "open", f"objective-{w.c1.pk}")
    assert c1["data-level"] == f"{level}?of={w.c1.pk}"
    assert re.search(rf'<ul class="tree-children" id="below-objective-{w.c1.pk}" hidden>\s*</ul>', html)
    # when its level is fetched, it comes as cards
    body = client.get(c1["data-level"]).content.decode()
    assert node_titles(body) == ["i1"]
    assert '<div class="map-card map-card-initiative">' in body
    # and i1's toggle asks for its tasks
    assert toggle_of(body, f"initiative-{w.i1.pk}")["data-level"] == f"{level}?of=initiative-{w.i1.pk}"
    # when the map is opened on c1 without JavaScript, its toggle closes it back to r1's level
    opened = client.get(url, {"open": f"objective-{w.c1.pk}"}).content.decode()
    back = toggle_of(opened, f"objective-{w.c1.pk}")
    assert (back["aria-expanded"], back["name"], back["value"]) == ("true", "open", f"objective-{w.r1.pk}")
    assert node_titles(opened) == ["r3", "r1", "c3", "c1", "i1", "c2", "r2", "i3"]


@pytest.fixture
def worked_tasks(org):
    """An initiative with tasks of every status, one without an estimate; an objective with tasks of
    its own."""
    goal = ObjectiveFactory(organization=org, title="Grow")
    initiative = InitiativeFactory(organization=org, objective=goal, title="Launch")
    for status, hours in [("todo", 3), ("in_progress", 5), ("blocked", None), ("done", 2), ("cancelled", 40)]:
        TaskFactory(
            organization=org,
            initiative=initiative,
            status=status,
            effort_hours=None if hours is None else Decimal(hours),
            completed_at=timezone.now() if status == "done" else None,
            title=f"Secret {status}",
        )
    TaskFactory(
        organization=org, objective=goal, status="done", effort_hours=Decimal(7), completed_at=timezone.now()
    )
    return goal, initiative


def test_an_initiatives_tasks_are_summed_by_class_never_listed(client, signed_in, org, worked_tasks):
    # given Launch's tasks: to do 3 h, in progress 5 h, blocked without an estimate, done 2 h, cancelled
    _, initiative = worked_tasks
    signed_in(Role.MEMBER)
    # when its level is opened
    response = client.get(org_url("strategy_map_level", org), {"of": f"initiative-{initiative.pk}"})
    html = response.content.decode()
    # then it is one summary: three open tasks (3 + 5 + the default effort), one done; the cancelled
    # one counts nowhere
    assert response.status_code == 200
    assert task_titles(html) == ["Tasks of Launch"]
    effort = org.default_task_effort_hours
    assert map_text(html).split() == (
        f"Tasks Tasks of Launch Open 3 tasks, {8 + effort:g} h Done 1 task, 2 h".split()
    )
    assert "Secret" not in html
    # and it links to the initiative's list of tasks
    assert f'href="{org_url("initiative_detail", org, pk=initiative.pk)}#goal-tasks"' in html


def test_an_objectives_own_tasks_head_its_level(client, signed_in, org, worked_tasks):
    goal, initiative = worked_tasks
    signed_in(Role.MEMBER)
    html = client.get(org_url("strategy_map_level", org), {"of": goal.pk}).content.decode()
    # the task linked to Grow directly comes first, then its initiative, whose card counts its work
    assert task_titles(html) == ["Tasks linked to Grow"]
    assert html.index("Tasks linked to Grow") < html.index(">Launch</a>")
    assert "Done 1 task, 7 h" in map_text(html)
    assert "Work done 0.0" not in html
    done_share = 2 / (2 + 8 + float(org.default_task_effort_hours))
    assert f"Work done {done_share:.0%} of the task hours" in card_of(html, f"initiative-{initiative.pk}")
    # and the list view draws the same summary
    listed = client.get(org_url("strategy_map_level", org), {"of": goal.pk, "view": "list"}).content.decode()
    assert task_titles(listed) == ["Tasks linked to Grow"]
    assert "Tasks: 3 open" in map_text(listed)


def test_the_map_opened_on_an_initiative_shows_its_tasks(client, signed_in, org, worked_tasks):
    goal, initiative = worked_tasks
    signed_in(Role.MEMBER)
    # when the map is opened on Launch (what its toggle does without JavaScript)
    html = client.get(org_url("strategy_map", org), {"open": f"initiative-{initiative.pk}"}).content.decode()
    # then the path down to it is open, and its tasks below it
    assert node_titles(html) == ["Grow", "Launch"]
    assert task_titles(html) == ["Tasks linked to Grow", "Tasks of Launch"]
    toggle = toggle_of(html, f"initiative-{initiative.pk}")
    assert (toggle["aria-expanded"], toggle["value"]) == ("true", f"objective-{goal.pk}")


def test_a_tasks_level_of_another_organization_or_team_is_not_found(client, signed_in, org, other_org):
    theirs = InitiativeFactory(organization=other_org, title="Theirs")
    TaskFactory(organization=other_org, initiative=theirs)
    team, other_team = TeamFactory(organization=org), TeamFactory(organization=org)
    ours = InitiativeFactory(organization=org, team=other_team)
    TaskFactory(organization=org, initiative=ours)
    signed_in(Role.VIEWER)
    level = org_url("strategy_map_level", org)
    assert client.get(level, {"of": f"initiative-{theirs.pk}"}).status_code == 404
    assert client.get(level, {"of": f"initiative-{ours.pk}", "team": team.pk}).status_code == 404
    assert client.get(level, {"of": f"initiative-{ours.pk}", "team": other_team.pk}).status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_open_the_map_and_an_initiatives_tasks(client, signed_in, org, worked_tasks, role):
    _, initiative = worked_tasks
    signed_in(role)
    assert client.get(org_url("strategy_map", org)).status_code == 200
    level = client.get(org_url("strategy_map_level", org), {"of": f"initiative-{initiative.pk}"})
    assert task_titles(level.content.decode()) == ["Tasks of Launch"]


def test_the_view_is_chosen_and_remembered_in_the_query_string(client, signed_in, org, worked_map):
    signed_in(Role.VIEWER)
    url = org_url("strategy_map", org)
    # given the map searched for c1
    asked = {"q": "c1"}
    as_map = client.get(url, asked).content.decode()
    # then the switch offers the list of the same page, and says the map is shown
    assert '<a href="?q=c1" aria-current="page">Map</a>' in as_map
    assert '<a href="?q=c1&amp;view=list">List</a>' in as_map
    assert 'class="map-viewport"' in as_map
    assert "<details open>" not in as_map
    # when the list is chosen
    as_list = client.get(url, {**asked, "view": "list"}).content.decode()
    # then the tree is the nested list, and every link of the page keeps the view
    assert '<a href="?q=c1&amp;view=list" aria-current="page">List</a>' in as_list
    assert 'class="map-viewport"' not in as_list
    assert "<details open>" in as_list
    assert 'href="?view=list&amp;expand=all"' in as_list
    assert '<input type="hidden" name="view" value="list">' in as_list
    c1 = f"objective-{worked_map.c1.pk}"
    assert f'href="?view=list&amp;q=c1&amp;open={c1}#{c1}"' in as_list


def test_a_view_that_is_not_one_is_refused_and_the_map_shown(client, signed_in, org, worked_map):
    signed_in(Role.VIEWER)
    response = client.get(org_url("strategy_map", org), {"view": "globe"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The map is shown as a map or as a list (view=map or view=list)." in html
    assert 'class="map-viewport"' in html
    level = client.get(org_url("strategy_map_level", org), {"of": worked_map.r1.pk, "view": "globe"})
    assert level.status_code == 400


@pytest.mark.parametrize("view", ["map", "list"])
@pytest.mark.parametrize("of", ["objective", "initiative"])
def test_a_level_of_either_view_runs_the_same_queries_for_a_three_times_larger_organization(
    client, signed_in, org, other_org, view, of
):
    built = {org: organization_of_size(org, 2), other_org: organization_of_size(other_org, 6)}
    counts = []
    for organization, plan in built.items():
        scores_recompute(organization_id=organization.pk)
        signed_in(Role.EXECUTIVE, organization)
        key = plan.objectives[0].pk if of == "objective" else f"initiative-{plan.initiatives[0].pk}"
        counts.append(
            query_count(client, org_url("strategy_map_level", organization), data={"of": key, "view": view})
        )
    assert counts[0] == counts[1]
    assert counts[1] <= 15


@pytest.mark.parametrize("data", [{"view": "list"}, {"view": "list", "expand": "all"}, {"expand": "all"}])
def test_the_page_of_either_view_runs_the_same_queries_for_a_three_times_larger_organization(
    client, signed_in, org, other_org, data
):
    organization_of_size(org, 2)
    organization_of_size(other_org, 6)
    counts = []
    for organization in (org, other_org):
        scores_recompute(organization_id=organization.pk)
        signed_in(Role.EXECUTIVE, organization)
        counts.append(query_count(client, org_url("strategy_map", organization), data=data))
    assert counts[0] == counts[1]
    assert counts[1] <= 19


def test_the_map_filtered_by_a_team_keeps_the_filter_in_every_toggle(client, signed_in, org):
    # given a team's initiative under an objective of no team, with a task
    team = TeamFactory(organization=org, name="Core")
    goal = ObjectiveFactory(organization=org, title="Goal")
    ours = InitiativeFactory(organization=org, objective=goal, team=team, title="Ours")
    InitiativeFactory(organization=org, objective=goal, title="Theirs")
    TaskFactory(organization=org, initiative=ours)
    signed_in(Role.VIEWER)
    # when the map is filtered by the team
    html = client.get(org_url("strategy_map", org), {"team": team.pk}).content.decode()
    # then only its initiative is below the goal, and what its toggle asks for keeps the filter,
    # with JavaScript and without
    assert node_titles(html) == ["Goal", "Ours"]
    toggle = toggle_of(html, f"initiative-{ours.pk}")
    assert (
        toggle["data-level"] == f"{org_url('strategy_map_level', org)}?of=initiative-{ours.pk}&team={team.pk}"
    )
    assert f'<input type="hidden" name="team" value="{team.pk}">' in html
