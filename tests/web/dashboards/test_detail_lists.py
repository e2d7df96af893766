"""The lists of an objective's and an initiative's page: each a page at a time with its own pager,
the tasks filtered by status and searched, every list in as many queries for three times the rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from execgap.models import Role
from objectives.models import TaskStatus
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    InitiativeFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
)
from tests.web.conftest import org_url, query_count
from tests.web.paging import BAD_CURSOR_MESSAGE, follow, pager_links, walk

pytestmark = pytest.mark.django_db

TASKS = "Pages of tasks"
CHECK_INS = "Pages of check-ins"
CHILDREN = "Pages of the objectives below it"
INITIATIVES = "Pages of initiatives"
PEOPLE = "Pages of the people allocated"


def _titles(response) -> list[str]:
    return [task.title for task in response.context["page"].tasks.page.rows]


@pytest.fixture
def goal(org):
    """An objective with 30 tasks: 27 open ones due one a day (plus one with no date), 2 done."""
    objective = ObjectiveFactory(organization=org, title="Win the north")
    start = date(2030, 1, 1)
    for number in range(27):
        TaskFactory(
            organization=org,
            objective=objective,
            title=f"Open {number:02}",
            due_date=start + timedelta(number),
        )
    TaskFactory(organization=org, objective=objective, title="Open someday")
    TaskFactory.create_batch(2, organization=org, objective=objective, status=TaskStatus.DONE, title="Done")
    return objective


def test_the_tasks_come_a_page_at_a_time_open_first_forward_and_back(client, signed_in, org, goal):
    # given a viewer and the objective's 30 tasks
    signed_in(Role.VIEWER)
    url = org_url("objective_detail", org, pk=goal.pk)
    # when they walk the task pages, then go back one
    pages = walk(client, client.get(url), TASKS)
    back = follow(client, pages[-1], TASKS, "Previous page")
    # then the open ones come first by due date (no date last), then the done ones, 25 to a page
    titles = [title for page in pages for title in _titles(page)]
    assert titles == [f"Open {n:02}" for n in range(27)] + ["Open someday", "Done", "Done"]
    assert [len(_titles(page)) for page in pages] == [25, 5]
    assert _titles(back) == _titles(pages[0])


def test_the_tasks_are_filtered_by_status_and_searched(client, signed_in, org, goal):
    # given a viewer and one task with a tracker key
    signed_in(Role.VIEWER)
    TaskFactory(organization=org, objective=goal, title="Ship it", external_key="NORTH-7")
    url = org_url("objective_detail", org, pk=goal.pk)
    # when they ask for the done tasks, for the open ones matching "2", and for the key "north-7"
    done = client.get(url, {"tasks_status": "done"})
    open_twos = walk(client, client.get(url, {"tasks_status": "open", "tasks_q": "2"}), TASKS)
    keyed = client.get(url, {"tasks_q": "north-7"})
    # then each lists only what matches, and the form keeps what was asked
    assert _titles(done) == ["Done", "Done"]
    assert [t for page in open_twos for t in _titles(page)] == ["Open 02", "Open 12", "Open 20", "Open 21",
                                                                  "Open 22", "Open 23", "Open 24", "Open 25",
                                                                  "Open 26"]  # fmt: skip
    assert _titles(keyed) == ["Ship it"]
    assert '<option value="done" selected>' in done.content.decode()


def test_paging_the_tasks_keeps_the_check_ins_where_they_were(client, signed_in, org, goal):
    # given 12 check-ins on the objective, their second page open
    signed_in(Role.VIEWER)
    for number in range(12):
        CheckInFactory(
            organization=org, objective=goal, date=date(2030, 1, 1) + timedelta(number), note=f"Week {number}"
        )
    url = org_url("objective_detail", org, pk=goal.pk)
    second_check_ins = follow(client, client.get(url), CHECK_INS, "Older check-ins")
    # when the tasks' next page is followed from there
    next_tasks = follow(client, second_check_ins, TASKS, "Next page")
    # then the check-ins are still on their second page (the 2 oldest), and the tasks moved on
    notes = [check_in.note for check_in in next_tasks.context["page"].check_ins.page.rows]
    assert notes == ["Week 1", "Week 0"]
    assert _titles(next_tasks)[0] == "Open 25"


def test_the_check_ins_are_searched_by_their_note(client, signed_in, org, goal):
    signed_in(Role.VIEWER)
    CheckInFactory(organization=org, objective=goal, date=date(2030, 1, 1), note="Pipeline looks thin")
    CheckInFactory(organization=org, objective=goal, date=date(2030, 1, 2), note="All good")
    response = client.get(org_url("objective_detail", org, pk=goal.pk), {"check_ins_q": "PIPELINE"})
    assert [c.note for c in response.context["page"].check_ins.page.rows] == ["Pipeline looks thin"]


def test_a_lists_pager_swaps_the_page_in_place_and_brings_the_list_into_view(client, signed_in, org, goal):
    # given a viewer on the objective's page
    signed_in(Role.VIEWER)
    # when the page is shown
    html = client.get(org_url("objective_detail", org, pk=goal.pk)).content.decode()
    # then the tasks' pager and search swap the page's content (so that every other list's links
    # are drawn again with the tasks' new place), scroll to the tasks, and work as plain links
    nav = html[html.index(f'aria-label="{TASKS}"') :]
    nav = nav[: nav.index("</nav>")]
    assert 'rel="next" hx-get=' in nav
    assert 'hx-target="#main" hx-select="#main" hx-swap="outerHTML show:#goal-tasks:top"' in nav
    assert '<section aria-labelledby="tasks-heading" id="goal-tasks">' in html


def test_paging_one_list_keeps_the_others_place_in_every_link(client, signed_in, org, goal):
    # given the check-ins on their second page
    signed_in(Role.VIEWER)
    for number in range(12):
        CheckInFactory(organization=org, objective=goal, date=date(2030, 1, 1) + timedelta(number))
    second = follow(
        client, client.get(org_url("objective_detail", org, pk=goal.pk)), CHECK_INS, "Older check-ins"
    )
    # when the page is drawn again (as the in-place swap does)
    links = pager_links(second, TASKS)
    # then the tasks' next link carries the check-ins' place too
    assert "check_ins_cursor=" in links["Next page"]


def test_the_objectives_below_and_the_initiatives_are_paged(client, signed_in, org, goal):
    # given 30 objectives below it (heaviest first) and 30 initiatives for it
    signed_in(Role.VIEWER)
    for number in range(30):
        ObjectiveFactory(
            organization=org, parent=goal, title=f"child {number:02}", priority_weight=1 + number % 2
        )
        InitiativeFactory(organization=org, objective=goal, title=f"Initiative {number:02}")
    url = org_url("objective_detail", org, pk=goal.pk)
    # when each list is walked
    children = walk(client, client.get(url), CHILDREN)
    initiatives = walk(client, client.get(url), INITIATIVES)
    # then every row comes once in its order: the heavier children first, then by title
    child_titles = [item.row.title for page in children for item in page.context["page"].children.rows]
    assert child_titles == [f"child {n:02}" for n in range(1, 30, 2)] + [
        f"child {n:02}" for n in range(0, 30, 2)
    ]
    titles = [item.row.title for page in initiatives for item in page.context["page"].initiatives.rows]
    assert titles == [f"Initiative {number:02}" for number in range(30)]


def test_the_people_allocated_to_an_initiative_are_paged_by_name(client, signed_in, org):
    # given an initiative with 30 people allocated
    signed_in(Role.VIEWER)
    initiative = InitiativeFactory(organization=org)
    for number in range(30):
        AllocationFactory(
            organization=org,
            initiative=initiative,
            person=PersonFactory(organization=org, name=f"P{number:02}"),
        )
    # when the list is walked
    pages = walk(client, client.get(org_url("initiative_detail", org, pk=initiative.pk)), PEOPLE)
    # then everyone comes once, by name
    names = [
        allocation.person.name for page in pages for allocation, _ in page.context["page"].allocations.rows
    ]
    assert names == [f"P{number:02}" for number in range(30)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"tasks_cursor": "damaged"}, BAD_CURSOR_MESSAGE),
        ({"check_ins_cursor": "x:y"}, BAD_CURSOR_MESSAGE),
        ({"children_cursor": "1"}, BAD_CURSOR_MESSAGE),
        ({"tasks_status": "finished"}, "“finished” is not a status of a task"),
    ],
)
def test_a_list_parameter_that_is_not_one_answers_400_and_says_why(
    client, signed_in, org, goal, query, message
):
    # given a viewer
    signed_in(Role.VIEWER)
    # when the page is opened with a damaged page link or an unknown status
    response = client.get(org_url("objective_detail", org, pk=goal.pk), query)
    # then it says why, beside the list, and shows the list's first page unfiltered
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _titles(response)[0] == "Open 00"


def test_a_page_link_of_another_goal_shows_only_this_goals_tasks(client, signed_in, org, goal):
    # given the second page of the tasks of another objective with more tasks
    signed_in(Role.VIEWER)
    other = ObjectiveFactory(organization=org)
    TaskFactory.create_batch(30, organization=org, objective=other, title="Not ours")
    link = pager_links(client.get(org_url("objective_detail", org, pk=other.pk)), TASKS)["Next page"]
    cursor = link.split("tasks_cursor=")[1].split("&")[0]
    # when that cursor is used on this objective's page
    response = client.get(org_url("objective_detail", org, pk=goal.pk) + f"?tasks_cursor={cursor}")
    # then it is only a position: none of the other objective's tasks shows
    assert response.status_code == 200
    assert "Not ours" not in _titles(response)


@pytest.mark.parametrize("name", ["objective_detail", "initiative_detail"])
def test_a_later_page_of_every_list_runs_as_many_queries_for_three_times_the_rows(
    client, signed_in, org, name
):
    # given a goal whose every list has a second page (tasks, check-ins, children, initiatives, people)
    signed_in(Role.LEAD)
    objective = ObjectiveFactory(organization=org)
    initiative = InitiativeFactory(organization=org, objective=objective)

    def grow(count: int) -> None:
        for _ in range(count):
            TaskFactory(organization=org, objective=objective, due_date=date(2030, 1, 1))
            TaskFactory(organization=org, initiative=initiative)
            CheckInFactory(organization=org, objective=objective, date=date(2030, 1, 1))
            CheckInFactory(organization=org, initiative=initiative, date=date(2030, 1, 1))
            ObjectiveFactory(organization=org, parent=objective)
            InitiativeFactory(organization=org, objective=objective)
            AllocationFactory(organization=org, initiative=initiative)

    grow(30)
    url = org_url(name, org, pk=(objective if name == "objective_detail" else initiative).pk)
    first = client.get(url)
    labels = [TASKS, CHECK_INS] + ([CHILDREN, INITIATIVES] if name == "objective_detail" else [PEOPLE])
    later = (
        url
        + "?"
        + "&".join(
            next(
                link
                for text, link in pager_links(first, label).items()
                if text in ("Next page", "Older check-ins")
            ).split("?")[1]
            for label in labels
        )
    )
    # when those later pages are opened, then again with three times the rows
    small = query_count(client, later)
    grow(60)
    large = query_count(client, later)
    # then the number of queries does not grow
    assert small == large
