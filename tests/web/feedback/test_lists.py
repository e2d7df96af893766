"""The feedback list and the sections of "my work": a page at a time in their order, searched on
the server, each section of my work paged in place and bounded, in as many queries for an
organization three times larger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from execgap.models import Role
from feedback.models import FeedbackKind, FeedbackStatus
from objectives.models import TaskStatus
from tests.conftest import person_of
from tests.factories import (
    FeedbackItemFactory,
    InitiativeFactory,
    ObjectiveFactory,
    PersonFactory,
    RecognitionFactory,
    TaskFactory,
)
from tests.web.conftest import org_url, query_count
from tests.web.paging import BAD_CURSOR_MESSAGE, follow, pager_links, walk

pytestmark = pytest.mark.django_db

FEEDBACK = "Pages of feedback"
MY_TASKS = "Pages of your open tasks"
RAISED = "Pages of the feedback you raised"
RECEIVED = "Pages of the recognitions you got"
TO_ANSWER = "Pages of the feedback waiting for your answer"


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 2 rows in the feedback list and 3 in my work's sections."""
    monkeypatch.setattr("feedback.web.views.FEEDBACK_PAGE_SIZE", 2)
    monkeypatch.setattr("feedback.web.selectors.MY_WORK_PAGE_SIZE", 3)
    monkeypatch.setattr("feedback.web.selectors.MY_TASKS_PAGE_SIZE", 3)


def _texts(response) -> list[str]:
    return [item.text for item in response.context["page"].rows]


def test_the_feedback_list_pages_keep_open_blockers_first_forward_and_back(
    client, signed_in, org, small_pages
):
    # given two open blockers (the older raised first), two ideas and a resolved blocker
    signed_in(Role.VIEWER)
    now = timezone.now()
    for text, kind, status, days in (
        ("Old blocker", FeedbackKind.BLOCKER, FeedbackStatus.OPEN, 9),
        ("New blocker", FeedbackKind.BLOCKER, FeedbackStatus.OPEN, 1),
        ("Idea today", FeedbackKind.IDEA, FeedbackStatus.OPEN, 0),
        ("Idea last week", FeedbackKind.IDEA, FeedbackStatus.OPEN, 7),
        ("Resolved blocker", FeedbackKind.BLOCKER, FeedbackStatus.RESOLVED, 3),
    ):
        FeedbackItemFactory(
            organization=org, text=text, kind=kind, status=status, created_at=now - timedelta(days)
        )
    # when they walk the pages, then go back one
    pages = walk(client, client.get(org_url("feedback_list", org)), FEEDBACK, "Next page")
    back = follow(client, pages[-1], FEEDBACK, "Previous page")
    # then the open blockers come first (the longest waiting on top), then the rest newest first
    assert [_texts(page) for page in pages] == [
        ["Old blocker", "New blocker"],
        ["Idea today", "Resolved blocker"],
        ["Idea last week"],
    ]
    assert _texts(back) == ["Idea today", "Resolved blocker"]


def test_the_feedback_list_is_searched_by_its_text_with_the_filters(client, signed_in, org, small_pages):
    # given feedback mentioning the VPN (three ideas, one blocker) and other feedback
    signed_in(Role.MEMBER)
    for number in range(3):
        FeedbackItemFactory(organization=org, kind=FeedbackKind.IDEA, text=f"Faster vpn {number}")
    FeedbackItemFactory(organization=org, text="VPN drops")
    FeedbackItemFactory(organization=org, kind=FeedbackKind.IDEA, text="Better coffee")
    # when the ideas that mention "VPN" are paged through
    first = client.get(org_url("feedback_list", org), {"q": "VPN", "kind": "idea"})
    pages = walk(client, first, FEEDBACK)
    # then only they come, every one of them, and the search box keeps the search
    assert sorted(text for page in pages for text in _texts(page)) == [f"Faster vpn {n}" for n in range(3)]
    assert 'name="q" value="VPN"' in first.content.decode()


def test_a_damaged_page_link_of_the_feedback_list_answers_400_with_the_first_page(client, signed_in, org):
    # given a viewer and an item
    signed_in(Role.VIEWER)
    FeedbackItemFactory(organization=org, text="Only item")
    # when the list is opened with a cursor that is not one
    response = client.get(org_url("feedback_list", org), {"cursor": "..:.."})
    # then it says so and shows the first page
    assert response.status_code == 400
    assert BAD_CURSOR_MESSAGE in response.content.decode()
    assert _texts(response) == ["Only item"]


def test_a_later_page_of_the_feedback_list_runs_as_many_queries_for_three_times_the_feedback(
    client, signed_in, org, small_pages
):
    # given a member, and feedback about goals
    signed_in(Role.MEMBER)

    def grow(count: int) -> None:
        for _ in range(count):
            FeedbackItemFactory(organization=org, initiative=InitiativeFactory(organization=org))
            FeedbackItemFactory(organization=org, kind="idea", objective=ObjectiveFactory(organization=org))

    grow(3)
    url = pager_links(client.get(org_url("feedback_list", org)), FEEDBACK)["Next page"]
    # when the second page is opened, then again with three times as much feedback
    small = query_count(client, url)
    grow(6)
    large = query_count(client, url)
    # then the number of queries does not grow
    assert small == large


def test_my_tasks_are_paged_in_place_due_first_keeping_the_other_sections(
    client, signed_in, org, small_pages
):
    # given seven open tasks of mine (two with no date), one done, and a page of my raised feedback
    me = person_of(signed_in(Role.MEMBER))
    today = timezone.localdate()
    for number in range(5):
        TaskFactory(organization=org, assignee=me, title=f"Due {number}", due_date=today + timedelta(number))
    TaskFactory.create_batch(2, organization=org, assignee=me, title="Someday")
    TaskFactory(organization=org, assignee=me, title="Done", status=TaskStatus.DONE, due_date=today)
    for number in range(4):
        FeedbackItemFactory(organization=org, author=me, text=f"Raised {number}")
    raised = pager_links(client.get(org_url("my_work", org)), RAISED)["Older"]
    # when I move my raised feedback to its second page, then walk my tasks from there
    pages = walk(client, client.get(raised), MY_TASKS)
    # then my open tasks come due first, no date last, three at a time, never the done one
    titles = [[row.task.title for row in page.context["task_rows"]] for page in pages]
    assert titles == [["Due 0", "Due 1", "Due 2"], ["Due 3", "Due 4", "Someday"], ["Someday"]]
    # and my raised feedback stays on its second page all along
    assert all([item.text for item in page.context["raised"].rows] == ["Raised 0"] for page in pages)


def test_the_pager_of_a_section_swaps_the_page_in_place_and_shows_the_section(
    client, signed_in, org, small_pages
):
    # given more recognitions for me than a page holds
    me = person_of(signed_in(Role.MEMBER))
    RecognitionFactory.create_batch(4, organization=org, to_person=me)
    # when my work is shown
    html = client.get(org_url("my_work", org)).content.decode()
    # then the section's pager is a plain link that htmx uses to swap the page in place (every other
    # section's links drawn again with this one's place), bringing the section into view
    nav = html[html.index(f'aria-label="{RECEIVED}"') :]
    assert 'hx-target="#main" hx-select="#main" hx-swap="outerHTML show:#my-received:top"' in nav
    assert '<section class="card" aria-labelledby="received-heading" id="my-received">' in html


def test_the_feedback_waiting_for_a_leads_answer_is_paged(client, org, small_pages, team):
    # given five open blockers of the lead's team
    for number in range(5):
        FeedbackItemFactory(
            organization=org,
            initiative=team.initiative,
            text=f"Blocker {number}",
            created_at=timezone.now() - timedelta(days=10 - number),
        )
    client.force_login(team.lead.user)
    # when the lead walks the pages of what waits for their answer
    pages = walk(client, client.get(org_url("my_work", org)), TO_ANSWER, "Next page")
    # then every blocker comes once, the longest waiting first
    texts = [item.text for page in pages for item in page.context["to_answer"].rows]
    assert texts == [f"Blocker {number}" for number in range(5)]


def test_served_goals_are_the_most_served_first_and_bounded(client, signed_in, org, monkeypatch):
    # given my open tasks on three initiatives (3, 2 and 1 tasks), and at most two goals shown
    monkeypatch.setattr("feedback.web.selectors.SERVED_LIMIT", 2)
    me = person_of(signed_in(Role.MEMBER))
    for title, count in (("Big", 3), ("Middle", 2), ("Small", 1)):
        initiative = InitiativeFactory(organization=org, title=title)
        TaskFactory.create_batch(count, organization=org, assignee=me, initiative=initiative)
    # when I open my work
    response = client.get(org_url("my_work", org))
    # then the two most served are offered, and the page says there are more
    assert [row.goal.title for row in response.context["served"]] == ["Big", "Middle"]
    assert response.context["more_served"]
    assert "The 2 that most of your open tasks serve" in response.content.decode()


def test_a_page_link_of_someone_elses_my_work_shows_only_mine(client, signed_in, org, member_of, small_pages):
    # given a colleague's second page of tasks
    colleague = member_of(Role.MEMBER)
    TaskFactory.create_batch(5, organization=org, assignee=person_of(colleague), title="Theirs")
    client.force_login(colleague.user)
    link = pager_links(client.get(org_url("my_work", org)), MY_TASKS)["Next page"]
    # when I open that link as myself
    me = person_of(signed_in(Role.MEMBER))
    TaskFactory(organization=org, assignee=me, title="Mine")
    response = client.get(link)
    # then it lists only my tasks (the link holds a position, not whose tasks they are)
    assert response.status_code == 200
    assert all(row.task.assignee_id == me.pk for row in response.context["task_rows"])


@pytest.mark.parametrize("name", ["tasks_cursor", "raised_cursor", "received_cursor", "answer_cursor"])
def test_a_damaged_page_link_of_a_section_answers_400(client, signed_in, org, name):
    # given a lead with a person record
    signed_in(Role.LEAD)
    # when my work is opened with a damaged cursor of one section
    response = client.get(org_url("my_work", org), {name: "nonsense"})
    # then it says so
    assert response.status_code == 400
    assert BAD_CURSOR_MESSAGE in response.content.decode()


def test_a_later_page_of_every_section_runs_as_many_queries_for_three_times_the_rows(
    client, signed_in, org, small_pages
):
    # given a lead whose every section has a second page
    lead = signed_in(Role.LEAD)
    me = person_of(lead)
    colleague = PersonFactory(organization=org)

    def grow(count: int) -> None:
        for _ in range(count):
            root = ObjectiveFactory(organization=org)
            initiative = InitiativeFactory(
                organization=org, objective=ObjectiveFactory(organization=org, parent=root)
            )
            TaskFactory(organization=org, assignee=me, initiative=initiative)
            TaskFactory(organization=org, assignee=me, objective=root)
            FeedbackItemFactory(organization=org, author=me, initiative=initiative)
            RecognitionFactory(organization=org, from_person=me, to_person=colleague)
            RecognitionFactory(organization=org, from_person=colleague, to_person=me)

    grow(4)
    first = client.get(org_url("my_work", org))
    url = (
        org_url("my_work", org)
        + "?"
        + "&".join(
            pager_links(first, label)["Older" if label != MY_TASKS else "Next page"].split("?")[1]
            for label in (MY_TASKS, RAISED, RECEIVED)
        )
    )
    # when those pages are opened, then again with three times as many rows
    small = query_count(client, url)
    grow(8)
    large = query_count(client, url)
    # then the number of queries does not grow
    assert small == large
