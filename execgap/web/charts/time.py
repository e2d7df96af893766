"""Charts over dates: lines of values (`trend_chart`) and stacked columns of amounts (`mix_chart`),
both drawn on the same frame (`frame`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.safestring import SafeString

from execgap.web.charts.axis import nice_ticks
from execgap.web.charts.frame import (
    HEIGHT,
    TOP,
    WIDTH,
    Frame,
    Marker,
    Series,
    day_text,
    draw_figure,
    draw_tip,
    empty_chart,
    number_text,
    numbers_table,
    summary_text,
    svg,
    svg_join,
)

__all__ = ["Marker", "Series", "mix_chart", "trend_chart"]


def trend_chart(
    *,
    key: str,
    title: str,
    days: Sequence[date],
    series: Sequence[Series],
    markers: Sequence[Marker] = (),
    unit: str = "",
    decimals: int = 1,
    min_span: float = 10.0,
    bounds: tuple[float | None, float | None] = (0.0, 100.0),
    size: tuple[int, int] = (WIDTH, HEIGHT),
) -> SafeString:
    """Lines of values over consecutive `days` (a day without one, None, is bridged), on a y-axis scaled to
    the values: at least `min_span` wide inside `bounds`. `key` is unique on the page (the ids of the
    title and description derive from it)."""
    known = [value for item in series for value in item.values if value is not None]
    if not days or not known:
        return empty_chart(title)
    frame = Frame(
        days=days,
        ticks=nice_ticks(min(known), max(known), min_span=min_span, bounds=bounds),
        width=size[0],
        height=size[1],
    )
    lines = []
    for item in series:
        # A day without a value (no snapshot that day) is bridged: the line runs from the day before
        # to the day after, and each day with a value has its dot.
        points = [
            (frame.x(index), frame.y(value)) for index, value in enumerate(item.values) if value is not None
        ]
        if len(points) > 1:
            lines.append(
                svg(
                    '<polyline class="line {}" points="{}" />',
                    item.css,
                    " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                )
            )
        lines.extend(
            svg('<circle class="dot {}" cx="{}" cy="{}" r="2" />', item.css, x, y) for x, y in points
        )
    places = []
    for index, day in enumerate(days):
        values = [(item, item.values[index]) for item in series]
        shown = [(item, value) for item, value in values if value is not None]
        if not shown:
            continue
        words = ", ".join(f"{item.name} {number_text(value, unit, decimals)}" for item, value in values)
        dots = svg_join(
            '<circle class="point {}" cx="{}" cy="{}" r="3.5" />',
            ((item.css, frame.x(index), frame.y(value)) for item, value in shown),
        )
        lines_of_tip = [
            day_text(day),
            *(f"{item.name}: {number_text(value, unit, decimals)}" for item, value in values),
        ]
        places.append(
            svg(
                '<g class="day" tabindex="0" role="img" aria-label="{}">'
                '<rect class="hit" x="{}" y="{}" width="{}" height="{}" />{}{}</g>',
                f"{day_text(day)}: {words}", frame.x(index) - frame.slot / 2, TOP, frame.slot,
                frame.bottom - TOP, dots,
                draw_tip(frame, index, min(frame.y(v) for _, v in shown), lines_of_tip),
            )
        )  # fmt: skip
    body = svg(
        '<g class="lines">{}</g><g class="days">{}</g>',
        svg_join("{}", ((line,) for line in lines)),
        svg_join("{}", ((place,) for place in places)),
    )
    return draw_figure(
        key=key,
        title=title,
        summary=summary_text(series, days, unit, decimals),
        frame=frame,
        body=body,
        markers=markers,
        series=series,
        shape="line",
        table=numbers_table(
            title=title, days=days, series=series, markers=markers, unit=unit, decimals=decimals, total=False
        ),
        css="trend-figure",
    )


def mix_chart(
    *,
    key: str,
    title: str,
    days: Sequence[date],
    series: Sequence[Series],
    markers: Sequence[Marker] = (),
    unit: str = " h",
    decimals: int = 0,
    size: tuple[int, int] = (WIDTH, HEIGHT),
) -> SafeString:
    """Amounts that make up a whole, a stacked column per day (each series a part, from the bottom
    up), on a y-axis from 0 to round ticks above the largest total."""
    totals = [
        None
        if all(item.values[i] is None for item in series)
        else sum(item.values[i] or 0.0 for item in series)
        for i in range(len(days))
    ]
    known = [total for total in totals if total is not None]
    if not days or not known:
        return empty_chart(title)
    frame = Frame(
        days=days,
        ticks=nice_ticks(0.0, max(known), min_span=1.0, bounds=(0.0, None)),
        width=size[0],
        height=size[1],
    )
    width = max(frame.slot * 0.7, 1.0)
    # The columns first, then the places to hover and focus over them: a day's tooltip is drawn
    # after every column, so no later column covers it.
    parts, places = [], []
    for index, (day, total) in enumerate(zip(days, totals, strict=True)):
        if total is None:
            continue
        base = 0.0
        for item in series:
            value = item.values[index] or 0.0
            top, bottom = frame.y(base + value), frame.y(base)
            parts.append((item.css, frame.x(index) - width / 2, top, width, bottom - top))
            base += value
        words = ", ".join(f"{item.name} {number_text(item.values[index], unit, decimals)}" for item in series)
        lines_of_tip = [
            day_text(day),
            *(f"{item.name}: {number_text(item.values[index], unit, decimals)}" for item in series),
            f"Total: {number_text(total, unit, decimals)}",
        ]
        places.append(
            svg(
                '<g class="day" tabindex="0" role="img" aria-label="{}">'
                '<rect class="hit" x="{}" y="{}" width="{}" height="{}" />{}</g>',
                f"{day_text(day)}: {words}; total {number_text(total, unit, decimals)}",
                frame.x(index) - frame.slot / 2, TOP, frame.slot, frame.bottom - TOP,
                draw_tip(frame, index, frame.y(total), lines_of_tip),
            )
        )  # fmt: skip
    body = svg(
        '<g class="columns">{}</g><g class="days">{}</g>',
        svg_join('<rect class="part {}" x="{}" y="{}" width="{}" height="{}" />', parts),
        svg_join("{}", ((place,) for place in places)),
    )
    return draw_figure(
        key=key,
        title=title,
        summary=summary_text([*series, Series("Total", totals)], days, unit, decimals),
        frame=frame,
        body=body,
        markers=markers,
        series=series,
        shape="block",
        table=numbers_table(
            title=title, days=days, series=series, markers=markers, unit=unit, decimals=decimals, total=True
        ),
        css="mix-figure",
    )
