"""The server-drawn charts: what they say in words, and where they draw."""

from __future__ import annotations

from django.template import Context, Template


def render(source: str, **context: object) -> str:
    return Template("{% load charts %}" + source).render(Context(context))


def test_load_beyond_capacity_draws_the_overflow_apart():
    # when 50 hours a week are allocated to a person of 40
    svg = render("{% load_bar 50 40 'Ada' %}")
    # then the bar is full, the quarter beyond it is drawn as overflow, and the words say 125%
    assert 'aria-label="Ada: 50 of 40 hours a week (125%)"' in svg
    assert 'class="load-fill" x="0" y="2" width="100.0"' in svg
    assert 'class="load-over" x="100" y="2" width="25.0"' in svg


def test_shares_draw_actual_as_a_bar_and_intended_as_a_mark():
    svg = render("{% share_bars 0.3 0.5 'Growth' %}")
    assert 'aria-label="Growth: actual 30%, intended 50%"' in svg
    assert 'class="share-actual" x="0" y="2" width="30.0"' in svg
    assert 'class="share-intended" x="50.0"' in svg


def test_a_stacked_bar_splits_the_whole_by_amount():
    segments = [("aligned", 3.0, "aligned"), ("orphan", 1.0, "orphan")]
    svg = render("{% stacked_bar segments 'Platform' %}", segments=segments)
    assert 'aria-label="Platform: aligned 3h, orphan 1h"' in svg
    assert 'class="stack aligned" x="0.00" y="0" width="75.00"' in svg
    assert 'class="stack orphan" x="75.00" y="0" width="25.00"' in svg
