"""The teams page and a team's task list, a page at a time: the teams in numbered pages of their tree
(searched by name, one's own teams first), a team's tasks in keyset pages newest first; neither
counted nor read whole, in as many queries for three times the rows."""

from __future__ import annotations

import pytest

from execgap.models import Role
from objectives.models import TaskStatus
from tests.factories import PersonFactory, TaskFactory, TeamFactory
from tests.web.conftest import org_url, query_count
from tests.web.paging import BAD_CURSOR_MESSAGE, follow, pager_links, walk

pytestmark = pytest.mark.django_db

TEAMS = "Pages of teams"
TASKS = "Pages of tasks"


def _team_names(response) -> list[str]:
    return [row.team.name for row in response.context["rows"]]


def _task_ids(response) -> list[int]:
    return [row.task.pk for row in response.context["task_rows"]]


def test_the_teams_come_in_pages_of_their_tree(client, signed_in, org):
    # given 30 top-level teams, the first with a team below it
    signed_in(Role.VIEWER)
    tops = [TeamFactory(organization=org, name=f"Area {number:02}") for number in range(30)]
    TeamFactory(organization=org, name="Area 00 north", parent=tops[0])
    # when the pages are walked, then the first is asked for again from the last
    pages = walk(client, client.get(org_url("teams", org)), TEAMS)
    back = follow(client, pages[-1], TEAMS, "Previous page")
    # then every team comes once, each under its parent, 25 to a page, said as "Page 1 of 2"
    names = [name for page in pages for name in _team_names(page)]
    assert names[:3] == ["Area 00", "Area 00 north", "Area 01"]
    assert len(names) == 31
    assert [len(_team_names(page)) for page in pages] == [25, 6]
    assert "Page 1 of 2" in pages[0].content.decode()
    assert _team_names(back) == _team_names(pages[0])


def test_the_teams_are_searched_by_name_with_the_counts_of_each(client, signed_in, org):
    # given two payment teams (one with two open tasks) and another team
    signed_in(Role.VIEWER)
    payments = TeamFactory(organization=org, name="Payments")
    TeamFactory(organization=org, name="Payments risk", parent=payments)
    TeamFactory(organization=org, name="Search")
    TaskFactory.create_batch(2, organization=org, team=payments)
    # when the teams are searched for "PAY"
    response = client.get(org_url("teams", org), {"q": "PAY"})
    # then the two payment teams are listed, with their counts, and the search is kept
    assert _team_names(response) == ["Payments", "Payments risk"]
    assert response.context["rows"][0].open_tasks == 2
    assert 'name="q" value="PAY"' in response.content.decode()


def test_a_team_whose_parent_is_not_listed_above_it_says_what_it_is_part_of(client, signed_in, org):
    # given a team with 30 teams below it (the tree runs onto a second page)
    signed_in(Role.VIEWER)
    area = TeamFactory(organization=org, name="Area")
    for number in range(30):
        TeamFactory(organization=org, name=f"Squad {number:02}", parent=area)
    # when the second page is shown, and a search for "squad 07"
    second = follow(client, client.get(org_url("teams", org)), TEAMS, "Next page")
    found = client.get(org_url("teams", org), {"q": "squad 07"})
    # then the first team of the second page (not its siblings after it) and the team found say they
    # are in Area
    assert [row.part_of for row in second.context["rows"]] == ["Area"] + [""] * 5
    assert [row.part_of for row in found.context["rows"]] == ["Area"]
    assert "in Area</span>" in found.content.decode()
    first = client.get(org_url("teams", org))
    assert all(row.part_of == "" for row in first.context["rows"])


def test_ones_own_teams_come_first_on_the_first_page_only(client, org, team_setup):
    # given 30 other teams, and a member of the team named Zulu (last by name)
    for number in range(30):
        TeamFactory(organization=org, name=f"Team {number:02}")
    setup = team_setup(name="Zulu")
    client.force_login(setup.member.user)
    # when the member opens the first and the second page
    first = client.get(org_url("teams", org))
    second = follow(client, first, TEAMS, "Next page")
    # then their team is on top of the first page only, and in its place in the list
    assert [row.team.name for row in first.context["own_rows"]] == ["Zulu"]
    assert second.context["own_rows"] == []
    assert "Zulu" in _team_names(second)


@pytest.mark.parametrize(
    ("page", "message"), [("two", "“two” is not a page number"), ("9", "There is no page 9")]
)
def test_a_teams_page_that_is_not_one_answers_400_and_says_why(client, signed_in, org, page, message):
    signed_in(Role.VIEWER)
    TeamFactory(organization=org, name="Sales")
    response = client.get(org_url("teams", org), {"page": page})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _team_names(response) == ["Sales"]


def test_a_later_page_of_the_teams_runs_as_many_queries_for_three_times_the_teams(client, signed_in, org):
    # given teams with leads, people and tasks, on their second page
    signed_in(Role.MEMBER)

    def grow(count: int) -> None:
        for _ in range(count):
            team = TeamFactory(organization=org, lead=PersonFactory(organization=org))
            PersonFactory(organization=org, team=team)
            TaskFactory(organization=org, team=team)

    grow(30)
    url = org_url("teams", org) + "?page=2"
    client.get(url)
    # when the second page is opened, then again with three times as many teams
    small = query_count(client, url)
    grow(60)
    large = query_count(client, url)
    # then the number of queries does not grow
    assert small == large
    assert large <= 15


@pytest.fixture
def busy(org, team_setup, monkeypatch):
    """A team with 7 tasks, in pages of 3."""
    monkeypatch.setattr("scoring.web.teams.views.TASKS_PER_PAGE", 3)
    return team_setup(tasks=7)


def test_a_teams_tasks_come_a_page_at_a_time_newest_first_forward_and_back(client, signed_in, org, busy):
    # given a viewer of the busy team
    signed_in(Role.VIEWER)
    url = org_url("team_workspace", org, pk=busy.team.pk)
    # when they walk the task pages, then go back one
    pages = walk(client, client.get(url), TASKS)
    back = follow(client, pages[-1], TASKS, "Previous page")
    # then each task comes once, newest first, and the way back shows the page before
    newest_first = [task.pk for task in reversed(busy.tasks)]
    assert [_task_ids(page) for page in pages] == [newest_first[:3], newest_first[3:6], newest_first[6:]]
    assert _task_ids(back) == newest_first[3:6]
    # and the list is not counted ("Page 1 of 3" is gone)
    assert "Page 1 of" not in pages[0].content.decode()


def test_the_pages_of_a_filtered_task_list_keep_the_filter_and_drop_the_selection(client, org, busy):
    # given the lead, four of the tasks blocked, everything of the page selected
    client.force_login(busy.lead.user)
    blocked = busy.tasks[:4]
    for task in blocked:
        task.status = TaskStatus.BLOCKED
        task.save()
    url = org_url("team_workspace", org, pk=busy.team.pk)
    # when the blocked tasks are walked from the page with everything selected
    first = client.get(url, {"status": "blocked", "select": "all"})
    pages = walk(client, first, TASKS)
    # then only the blocked tasks come, and the way on does not carry the selection
    assert sorted(pk for page in pages for pk in _task_ids(page)) == sorted(task.pk for task in blocked)
    assert "select=" not in pager_links(first, TASKS)["Next page"]
    assert "status=blocked" in pager_links(first, TASKS)["Next page"]


def test_the_task_pager_answers_htmx_with_the_panel_and_leads_to_the_workspace(client, org, busy):
    # given the lead on the second page, asked by htmx
    client.force_login(busy.lead.user)
    url = pager_links(client.get(org_url("team_workspace", org, pk=busy.team.pk)), TASKS)["Next page"]
    # when htmx asks for it
    response = client.get(url, headers={"HX-Request": "true", "HX-Target": "team-tasks"})
    # then only the task panel comes, its pager swapping the panel and leading to the workspace
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="team-tasks"')
    assert 'hx-target="#team-tasks"' in html
    assert org_url("team_workspace", org, pk=busy.team.pk) + "?cursor=" in html


def test_after_a_bulk_link_the_pager_still_leads_to_the_workspace(client, org, busy):
    # given the lead, who links a task of the second page by htmx
    client.force_login(busy.lead.user)
    workspace = org_url("team_workspace", org, pk=busy.team.pk)
    second = pager_links(client.get(workspace), TASKS)["Next page"]
    query = second.split("?")[1]
    task = busy.tasks[3]
    # when the link is posted with the page's query
    response = client.post(
        org_url("tasks_bulk_link", org, pk=busy.team.pk) + f"?{query}",
        {"tasks": [task.pk], "goal": f"initiative:{busy.initiative.pk}"},
        headers={"HX-Request": "true", "HX-Target": "team-tasks"},
    )
    # then the answer shows the same page, whose links lead to the workspace, not to the post's URL
    assert response.status_code == 200, response.content.decode()[:500]
    links = pager_links(response, TASKS)
    assert links
    assert all(link == workspace or link.startswith(workspace + "?") for link in links.values())
    assert task.pk in [row.task.pk for row in response.context["task_rows"]]


def test_a_damaged_page_link_of_the_tasks_answers_400_with_the_newest(client, signed_in, org, busy):
    signed_in(Role.VIEWER)
    response = client.get(org_url("team_workspace", org, pk=busy.team.pk), {"cursor": "newest"})
    assert response.status_code == 400
    assert BAD_CURSOR_MESSAGE in response.content.decode()
    assert _task_ids(response)[0] == busy.tasks[-1].pk


def test_a_later_page_of_the_tasks_runs_as_many_queries_for_three_times_the_tasks(client, org, busy):
    # given the lead on the second page of the tasks
    client.force_login(busy.lead.user)
    url = pager_links(client.get(org_url("team_workspace", org, pk=busy.team.pk)), TASKS)["Next page"]
    client.get(url)
    # when it is read, then again with three times as many older and newer tasks
    small = query_count(client, url)
    TaskFactory.create_batch(14, organization=org, team=busy.team)
    large = query_count(client, url)
    # then the number of queries does not grow
    assert small == large
