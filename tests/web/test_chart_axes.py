"""The charts over dates, drawn without a database: their axes, where they put each day, their markers,
and what they say to a screen reader."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from execgap.web.charts import BarPair, Marker, Series, mix_chart, nice_ticks, paired_bars, trend_chart
from execgap.web.charts.axis import date_ticks, nice_step, tick_text
from execgap.web.charts.frame import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH

NOV = [date(2026, 11, 1) + timedelta(days=offset) for offset in range(5)]


@pytest.mark.parametrize(
    ("rough", "step"), [(2.5, 2.5), (3.0, 5.0), (0.3, 0.5), (12.0, 20.0), (1.0, 1.0), (4.175, 5.0)]
)
def test_a_step_is_one_two_two_and_a_half_or_five_times_a_power_of_ten(rough, step):
    assert nice_step(rough) == pytest.approx(step)


def test_a_small_move_of_a_score_is_shown_on_a_ten_point_span_not_magnified():
    # given a score between 51.1 and 56.0 (a 4.9-point move), on 0–100 with at least 10 points shown
    ticks = nice_ticks(51.1, 56.0, min_span=10, bounds=(0, 100))
    # then the axis runs 45 to 60 by 5: the data sits in its middle, wider than 10 points, never a cliff
    assert ticks == [45, 50, 55, 60]


def test_a_fall_of_nearly_seventeen_points_fills_the_axis():
    # given the resources score falling from 72.3 to 55.6
    assert nice_ticks(55.6, 72.3, min_span=10, bounds=(0, 100)) == [55, 60, 65, 70, 75]


def test_the_axis_is_moved_inside_its_bounds_rather_than_shrunk():
    # given a score near the top and one near the bottom, each with a 10-point minimum span
    assert nice_ticks(97.0, 99.0, min_span=10, bounds=(0, 100)) == [90, 92.5, 95, 97.5, 100]
    assert nice_ticks(0.0, 2.0, min_span=10, bounds=(0, 100)) == [0, 2.5, 5, 7.5, 10]


def test_a_flat_line_gets_the_minimum_span_around_it():
    assert nice_ticks(50.0, 50.0, min_span=10, bounds=(0, 100)) == [45, 47.5, 50, 52.5, 55]


def test_hours_start_at_zero_and_end_on_a_round_number_above_the_largest():
    assert nice_ticks(0.0, 137.0, min_span=1, bounds=(0, None)) == [0, 50, 100, 150]


def test_tick_labels_carry_the_decimals_their_step_needs():
    assert [tick_text(tick, [45, 47.5, 50]) for tick in (45, 47.5)] == ["45.0", "47.5"]
    assert tick_text(50, [0, 50, 100]) == "50"


def test_dates_label_the_first_and_the_last_day_and_spread_the_rest():
    days = [date(2026, 11, 1) + timedelta(days=offset) for offset in range(42)]
    assert date_ticks(days, 5) == [0, 10, 20, 31, 41]
    assert date_ticks(days[:3], 5) == [0, 1, 2]


def _chart(**kwargs):
    return str(trend_chart(key="t", title="Alignment, day by day", **kwargs))


def test_each_day_is_placed_in_its_slot_and_each_value_on_the_scaled_axis():
    # given five days of a score from 50 to 54 (a 10-point span at least: 47 to 57, in fives 45 to 60)
    html = _chart(days=NOV, series=[Series("Alignment", [50.0, 51.0, None, 53.0, 54.0])])
    # then day i is at the middle of its fifth of the plot, and 50 a third of the way up
    slot = (WIDTH - LEFT - RIGHT) / 5
    bottom = HEIGHT - BOTTOM
    x0, y50 = LEFT + slot / 2, bottom - (bottom - TOP) / 3
    assert f'<polyline class="line series-1" points="{x0:.1f},{y50:.1f} ' in html
    # and the day without a value, 3 Nov, is bridged: one line through the four days, a dot on each
    assert html.count("<polyline") == 1
    assert html.count('<circle class="dot series-1"') == 4
    # and the axis is labelled 45 to 60, the first and last dates written under it
    assert re.findall(r'text-anchor="end">([\d.]+)</text>', html) == ["45", "50", "55", "60"]
    assert ">1 Nov</text>" in html
    assert ">5 Nov</text>" in html


def test_a_day_is_focusable_named_by_its_date_and_value_with_a_tooltip():
    html = _chart(days=NOV, series=[Series("Alignment", [50.0, 51.0, None, 53.0, 54.0])])
    # then four days have a value, and each is a place to focus with its value in its name
    assert html.count('class="day" tabindex="0" role="img"') == 4
    assert 'aria-label="2 Nov 2026: Alignment 51.0"' in html
    # and a tooltip, shown by the style sheet on hover and focus, writes the same
    assert '<text x="' in html
    assert ">Alignment: 51.0</text>" in html


def test_a_chart_has_a_title_a_description_and_its_numbers_in_a_table():
    html = _chart(days=NOV, series=[Series("Alignment", [50.0, 51.0, None, 53.0, 54.0])])
    assert 'role="group" aria-labelledby="t-title" aria-describedby="t-desc"' in html
    assert '<title id="t-title">Alignment, day by day</title>' in html
    assert (
        "Alignment: 50.0 on 1 Nov 2026, 54.0 on 5 Nov 2026; "
        "lowest 50.0 on 1 Nov 2026, highest 54.0 on 5 Nov 2026."
    ) in html
    table = html[html.index("<table") :]
    assert (
        '<div class="visually-hidden"><table class="chart-table"><caption>Alignment, day by day</caption>'
        in html
    )
    assert table.count('<tr><th scope="row">') == 4  # the day without a value has no row
    assert '<tr><th scope="row">4 Nov 2026</th><td>53.0</td></tr>' in table


def test_a_marker_links_to_the_plan_history_of_its_day_and_says_what_changed():
    # given a plan change on 2 Nov and one outside the chart's days
    markers = [
        Marker(date(2026, 11, 2), "3 plan changes (2 initiatives, 1 objective)", "/o/acme/history/?since=x"),
        Marker(date(2026, 10, 1), "1 plan change (1 allocation)", "/o/acme/history/?since=y"),
    ]
    html = _chart(days=NOV, series=[Series("Alignment", [50.0, 51.0, 52.0, 53.0, 54.0])], markers=markers)
    # then only the day inside is marked, at that day's x, as a link naming the change
    slot = (WIDTH - LEFT - RIGHT) / 5
    x = LEFT + slot * 1.5
    assert html.count('<a class="marker"') == 1
    assert (
        '<a class="marker" href="/o/acme/history/?since=x" aria-label="2 Nov 2026: 3 plan changes '
        '(2 initiatives, 1 objective). Open the plan history of that day.">'
    ) in html
    assert f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}"' in html
    # and the description counts it, the table names it on its day, the legend explains the mark
    assert "1 day with plan changes marked." in html
    assert "<td>3 plan changes (2 initiatives, 1 objective)</td>" in html
    assert "Plan or settings changed" in html


def test_a_trend_without_values_says_so():
    html = _chart(days=NOV, series=[Series("Alignment", [None] * 5)])
    assert html == '<p class="chart-empty">Alignment, day by day: no history yet.</p>'


def test_a_mix_stacks_the_parts_of_each_day_from_zero_and_names_the_total():
    # given two days of effort: 6 h aligned and 2 h orphan, then 10 h aligned
    days = NOV[:2]
    series = [Series("Aligned", [6.0, 10.0], css="aligned"), Series("Orphan", [2.0, 0.0], css="orphan")]
    html = str(mix_chart(key="m", title="Effort", days=days, series=series))
    # then the axis runs from 0 (to 10 by 2.5), the orphan part sits on the aligned one
    assert re.findall(r'text-anchor="end">([\d.]+)</text>', html)[::2] == ["0.0", "5.0", "10.0"]
    assert html.count('class="part aligned"') == 2
    assert html.count('class="part orphan"') == 2
    assert 'aria-label="1 Nov 2026: Aligned 6 h, Orphan 2 h; total 8 h"' in html
    assert "<td>6 h</td><td>2 h</td><td>8 h</td>" in html
    assert '<span class="swatch block aligned"></span>Aligned' in html


def test_paired_bars_draw_both_amounts_on_one_scale_with_a_table():
    rows = [BarPair("Growth", "/o/acme/objectives/1/", 0.5, 0.25), BarPair("Cost", "", 0.25, None)]
    html = str(paired_bars(key="p", title="Shares", rows=rows, names=("Intended", "Actual")))
    # then the largest amount (50%) spans the bars' room, the others in proportion
    assert 'class="pair-first" x="0" y="16" width="336.0"' in html
    assert 'class="pair-second" x="0" y="25" width="168.0"' in html
    # and each row says both amounts, a missing one as not measured; a linked row is a named link
    assert 'aria-label="Growth: intended 50%, actual 25%"' in html
    assert '<tr><th scope="row">Cost</th><td>25%</td><td>not measured</td></tr>' in html
