"""One way to say when: a date not set is a dash read as "not set", a moment ago is "just now", and
counts agree with their nouns."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from execgap.roles import Action, Resource, noun
from execgap.when import time_ago
from feedback.reminders import waiting
from objectives.tallies.counts import Tally

NOW = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (NOW, "just now"),
        (NOW - datetime.timedelta(seconds=59), "just now"),
        (NOW - datetime.timedelta(minutes=1), "1\xa0minute ago"),
        (NOW - datetime.timedelta(hours=3, minutes=5), "3\xa0hours, 5\xa0minutes ago"),
        (NOW - datetime.timedelta(days=2), "2\xa0days ago"),
    ],
)
def test_a_moment_ago_is_said_as_people_say_it(moment, expected):
    # then a moment under a minute old was "just now", never "0 minutes ago"
    assert time_ago(moment, NOW) == expected


def test_a_date_of_today_was_today():
    # then a day compared with the same day is "today"
    today = datetime.date(2026, 12, 5)
    assert time_ago(today, today) == "today"
    assert time_ago(datetime.date(2026, 12, 3), today) == "2\xa0days ago"


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_a_date_not_set_is_a_dash_that_reads_not_set():
    # when a template shows a date that is not set, and one that is
    empty = render("{{ value|day }}", value=None)
    shown = render("{{ value|day }}", value=datetime.date(2026, 1, 9))
    # then the empty one is the dash, hidden from screen readers, which read "not set" instead
    assert empty == '<span aria-hidden="true">—</span><span class="visually-hidden">not set</span>'
    assert shown == '<time datetime="2026-01-09">9 Jan 2026</time>'
    assert "None" not in empty


def test_the_ago_filter_of_a_moment_just_passed():
    # then a page says "just now" of a blocker raised a second ago
    assert render("{{ value|ago }}", value=timezone.now()) == "just now"


@pytest.mark.parametrize(("count", "expected"), [(1, "1 item waiting"), (2, "2 items waiting")])
def test_the_check_in_reminder_counts_its_items_in_words(count, expected):
    assert waiting(count).startswith(expected)


def test_a_tally_of_one_task_says_task():
    assert str(Tally(tasks=1, effort=Decimal(4), unestimated=0)).startswith("1 task,")


def test_a_refusal_of_check_ins_names_them_in_words():
    assert (
        f"may not {Action.CREATE.value} {noun(Resource.CHECK_IN, plural=True)}" == "may not create check-ins"
    )
