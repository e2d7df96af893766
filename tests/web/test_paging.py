"""The shared paging of every list (execgap.web.paging): keyset pages behind a signed cursor,
numbered pages for short lists, and the search box's parameters."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Case, IntegerField, Value, When
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from execgap.web.paging import (
    BAD_CURSOR,
    Choice,
    Key,
    ListPage,
    Order,
    Params,
    encode_cursor,
    keyset_page,
    numbered_page,
    search_box,
    search_term,
)
from objectives.models import Task, TaskStatus
from tests.factories import TaskFactory
from tests.web.paging import cursor_of

pytestmark = pytest.mark.django_db

# Due first (no date last), then by id: a nullable key before a unique one.
DUE_ORDER = Order(Key("due_date", nullable=True), Key("id"))
NEWEST_FIRST = Order(Key("id", descending=True))


def _page(url: str, rows, order: Order, size: int = 2, **kwargs) -> ListPage:
    request = RequestFactory().get(url)
    return keyset_page(rows, order, params=Params(request, **kwargs), label="Pages of tasks", size=size)


def _link(page: ListPage, text: str) -> str:
    return next(link.url for link in page.pager.links if link.text == text)


def _enabled(page: ListPage) -> list[str]:
    return [link.text for link in page.pager.links if link.enabled]


def _titles(page: ListPage) -> list[str]:
    return [task.title for task in page.rows]


@pytest.fixture
def tasks(org):
    """Five tasks: two due the same day, one due earlier, two with no date."""
    day = datetime.date(2030, 5, 1)
    due = {"a": day, "b": day - datetime.timedelta(days=3), "c": None, "d": day, "e": None}
    return {title: TaskFactory(organization=org, title=title, due_date=when) for title, when in due.items()}


def test_keyset_pages_walk_forward_and_back_over_a_nullable_key(org, tasks):
    # given five tasks ordered by due date (no date last), then id, in pages of two
    rows = Task.objects.for_org(org)
    # when the pages are followed forward to the end, then back to the start
    first = _page("/tasks/", rows, DUE_ORDER)
    second = _page(_link(first, "Next page"), rows, DUE_ORDER)
    third = _page(_link(second, "Next page"), rows, DUE_ORDER)
    back_to_second = _page(_link(third, "Previous page"), rows, DUE_ORDER)
    back_to_first = _page(_link(back_to_second, "Previous page"), rows, DUE_ORDER)
    # then each row comes once, in order, and the way back shows the same pages
    assert [_titles(first), _titles(second), _titles(third)] == [["b", "a"], ["d", "c"], ["e"]]
    assert _titles(back_to_second) == ["d", "c"]
    assert _titles(back_to_first) == ["b", "a"]
    # and the first page offers no way back, the last no way on
    assert _enabled(first) == ["Next page"]
    assert _enabled(third) == ["First page", "Previous page"]
    assert back_to_first.first
    assert _enabled(back_to_first) == ["Next page"]


def test_a_link_with_no_page_stays_in_its_place_disabled_with_its_id(org, tasks):
    # given the first and the last page of a list
    rows = Task.objects.for_org(org)
    first = _page("/tasks/", rows, DUE_ORDER, size=3)
    last = _page(_link(first, "Next page"), rows, DUE_ORDER, size=3)
    # then each shows all three places, those with no page disabled, each with its own stable id
    # (htmx gives the focus back to the same id after a swap: a keyboard user reaching an end keeps it)
    assert [(link.text, link.enabled, link.id) for link in first.pager.links] == [
        ("First page", False, "list-pages-first"),
        ("Previous page", False, "list-pages-prev"),
        ("Next page", True, "list-pages-next"),
    ]
    assert [(link.text, link.enabled) for link in last.pager.links] == [
        ("First page", True),
        ("Previous page", True),
        ("Next page", False),
    ]


def test_a_single_page_has_no_pager_links(org, tasks):
    assert _page("/tasks/", Task.objects.for_org(org), DUE_ORDER, size=10).pager.links == ()


def test_a_cursor_after_a_row_without_a_value_continues_among_the_rows_without_one(org, tasks):
    # given pages of one row, in due order, opened at the first task with no date
    rows = Task.objects.for_org(org)
    cursor = encode_cursor(DUE_ORDER, [None, tasks["c"].pk], backwards=False)
    # when the page after it is read
    page = _page(f"/tasks/?cursor={cursor}", rows, DUE_ORDER, size=1)
    # then it is the next task with no date
    assert _titles(page) == ["e"]


def test_a_descending_order_and_the_filters_of_the_list_hold_on_every_page(org, tasks):
    # given the open tasks only, newest first, and one done task among them
    Task.objects.filter(pk=tasks["b"].pk).update(status=TaskStatus.DONE)
    rows = Task.objects.for_org(org).exclude(status=TaskStatus.DONE)
    # when the pages are walked
    first = _page("/tasks/", rows, NEWEST_FIRST)
    second = _page(_link(first, "Next page"), rows, NEWEST_FIRST)
    # then they are newest first and never show the done task
    assert _titles(first) + _titles(second) == ["e", "d", "c", "a"]
    assert _enabled(second) == ["First page", "Previous page"]


def test_an_annotation_can_lead_the_order(org, tasks):
    # given an order whose first key is an annotation (blocked tasks first)
    Task.objects.filter(pk__in=[tasks["c"].pk, tasks["e"].pk]).update(status=TaskStatus.BLOCKED)
    rows = Task.objects.for_org(org).annotate(
        rank=Case(
            When(status=TaskStatus.BLOCKED, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    )
    order = Order(Key("rank"), Key("id"))
    # when it is paged
    first = _page("/tasks/", rows, order)
    second = _page(_link(first, "Next page"), rows, order)
    third = _page(_link(second, "Next page"), rows, order)
    # then the blocked tasks come first, then the rest by id
    assert _titles(first) + _titles(second) + _titles(third) == ["c", "e", "a", "b", "d"]


def test_a_page_is_two_queries_whatever_the_rows_and_counts_nothing(org, tasks):
    # given a cursor into the list
    rows = Task.objects.for_org(org)
    cursor = cursor_of(_link(_page("/tasks/", rows, DUE_ORDER), "Next page"))
    # when a page is read from it
    with CaptureQueriesContext(connection) as queries:
        page = _page(f"/tasks/?cursor={cursor}", rows, DUE_ORDER)
    # then it took two queries (the page's keys, then its rows), and counted nothing
    assert len(queries) == 2
    assert not any("COUNT" in query["sql"].upper() for query in queries)
    assert _titles(page) == ["d", "c"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "WyJuIiwxXQ:wrong-signature",
        encode_cursor(NEWEST_FIRST, [1], backwards=False),  # made for another order
        encode_cursor(DUE_ORDER, ["not a date", 1], backwards=False),
        encode_cursor(DUE_ORDER, [None, None], backwards=False),  # the id is never empty
    ],
)
def test_a_cursor_that_cannot_be_read_gives_the_first_page_and_says_so(org, tasks, cursor):
    # given a cursor that is damaged, forged or not of this list
    rows = Task.objects.for_org(org)
    # when the page is read with it
    page = _page(f"/tasks/?cursor={cursor}", rows, DUE_ORDER)
    # then the first page comes, with the error to show (the view answers 400)
    assert _titles(page) == ["b", "a"]
    assert page.error == BAD_CURSOR


def test_a_cursor_past_the_end_leads_back_to_the_first_page(org, tasks):
    # given a cursor after the last row (which was deleted since)
    rows = Task.objects.for_org(org)
    cursor = encode_cursor(DUE_ORDER, [None, tasks["e"].pk + 1000], backwards=False)
    # when it is read
    page = _page(f"/tasks/?cursor={cursor}", rows, DUE_ORDER)
    # then the page is empty but offers the first page
    assert page.rows == []
    assert _enabled(page) == ["First page"]


def test_going_back_after_rows_were_deleted_gives_a_whole_first_page(org, tasks):
    # given the third page's way back, and then the first rows deleted
    rows = Task.objects.for_org(org)
    second = _page(_link(_page("/tasks/", rows, DUE_ORDER), "Next page"), rows, DUE_ORDER)
    Task.objects.filter(pk=tasks["b"].pk).delete()
    # when the way back is followed
    back = _page(_link(second, "Previous page"), rows, DUE_ORDER)
    # then the first page is whole and offers no way back
    assert _titles(back) == ["a", "d"]
    assert back.first


def test_the_links_keep_the_other_parameters_and_each_list_its_own_cursor(org, tasks):
    # given a page with a filter, another list's cursor and a one-off selection in its address
    rows = Task.objects.for_org(org)
    url = "/tasks/?status=todo&check_ins_cursor=abc&select=all"
    page = _page(url, rows, DUE_ORDER, prefix="tasks_", drop=("select",))
    # when its next link is read
    url = _link(page, "Next page")
    # then it keeps the filter and the other cursor, drops the selection, and names its own cursor
    assert url.startswith("/tasks/?")
    assert "status=todo" in url
    assert "check_ins_cursor=abc" in url
    assert "tasks_cursor=" in url
    assert "select=" not in url


@pytest.mark.parametrize(
    ("raw", "shown", "error"),
    [
        ("", [0, 1], ""),
        ("2", [2, 3], ""),
        ("3", [4], ""),
        ("0", [0, 1], "“0” is not a page number, so the list starts again from its first page."),
        ("x", [0, 1], "“x” is not a page number, so the list starts again from its first page."),
        ("9", [4], "There is no page 9: page 3 is the last."),
    ],
)
def test_numbered_pages_and_their_errors(raw, shown, error):
    # given a short list of five rows in pages of two
    request = RequestFactory().get("/teams/", {"page": raw} if raw else {})
    # when a page is asked for
    page = numbered_page(list(range(5)), params=Params(request), label="Pages of teams", size=2)
    # then it holds its rows, says where it is, and explains a page that is not one
    assert page.rows == shown
    assert page.error == error
    assert page.pager.position == f"Page {(shown[0] // 2) + 1} of 3"


def test_the_search_box_keeps_the_other_parameters_and_starts_again_from_the_first_page():
    # given a page with another list's cursor, this list's cursor, search and status
    request = RequestFactory().get(
        "/goal/",
        {"tasks_q": "  login  ", "tasks_cursor": "abc", "tasks_status": "open", "check_ins_cursor": "x"},
    )
    params = Params(request, prefix="tasks_")
    status = Choice("tasks_status", "Status", (("", "Any"), ("open", "Open")), "open")
    # when its search box is drawn
    box = search_box(params=params, label="Title contains", choices=[status])
    # then the search is trimmed, the other list's cursor travels hidden, and clearing drops this list's own
    assert search_term(request, prefix="tasks_") == "login"
    assert box.value == "login"
    assert box.hidden == (("check_ins_cursor", "x"),)
    assert box.clear_url == "/goal/?check_ins_cursor=x"
    assert box.active
