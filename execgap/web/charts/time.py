"""Charts over dates: lines of values (`trend_chart`) and stacked columns of amounts (`mix_chart`).

Both draw on the same frame: a y-axis of round ticks scaled to the data (`axis.nice_ticks`), dates
along the x-axis, one focusable place per day whose accessible name says its date and values and
whose tooltip (CSS, on hover and on focus) shows them, markers where the plan changed that link to
the plan history, a <title> and a <desc>, and the numbers in a table that only screen readers see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from execgap.web.charts.axis import date_ticks, nice_ticks, tick_text

WIDTH = 400
HEIGHT = 190
LEFT = 40  # room for the y-axis labels
RIGHT = 12
TOP = 18  # room for the markers' flags
BOTTOM = 24  # room for the dates
DATE_LABEL_WIDTH = 56  # a date label ("28 Nov") and the gap after it
CHARACTER_WIDTH = 6.3  # of the 11-unit tooltip text, to size its box
TIP_LINE = 14
HEAD = mark_safe(' class="tip-head"')


@dataclass(frozen=True)
class Series:
    """One line (or one part of each column): a value per day of the chart, None where none."""

    name: str
    values: Sequence[float | None]
    css: str = "series-1"  # series-1 … series-3, aligned, misaligned, orphan


@dataclass(frozen=True)
class Marker:
    """A day on which the plan or the scoring settings changed: what changed, in words, and where
    the plan history shows it."""

    day: date
    label: str
    url: str


@dataclass(frozen=True)
class _Frame:
    days: Sequence[date]
    ticks: list[float]
    width: int
    height: int

    @property
    def bottom(self) -> float:
        return self.height - BOTTOM

    @property
    def slot(self) -> float:
        """The width one day takes."""
        return (self.width - LEFT - RIGHT) / max(len(self.days), 1)

    def x(self, index: int) -> float:
        return LEFT + self.slot * (index + 0.5)

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        share = (value - low) / (high - low) if high > low else 0.5
        return self.bottom - share * (self.bottom - TOP)


def _coordinate(value: object) -> object:
    return f"{value:.1f}" if isinstance(value, float) else value


def _svg(template: str, *args: object) -> SafeString:
    """`format_html` with coordinates to one decimal (it escapes its arguments into text first, so
    a template cannot format a number itself)."""
    return format_html(template, *(_coordinate(arg) for arg in args))


def _svg_join(template: str, rows: Iterable[Sequence[object]]) -> SafeString:
    return format_html_join("", template, (tuple(_coordinate(arg) for arg in row) for row in rows))


def _number(value: float | None, unit: str, decimals: int) -> str:
    return "no value" if value is None else f"{value:.{decimals}f}{unit}"


def _day(day: date) -> str:
    return f"{day:%-d %b %Y}"


def _axes(frame: _Frame) -> SafeString:
    """Grid lines and labels (hidden from screen readers: the table says the same)."""
    grid = _svg_join(
        '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}" />'
        '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (LEFT, frame.y(tick), frame.width - RIGHT, frame.y(tick), LEFT - 6, frame.y(tick) + 4,
             tick_text(tick, frame.ticks))
            for tick in frame.ticks
        ),
    )  # fmt: skip
    most = max(2, int((frame.width - LEFT - RIGHT) // DATE_LABEL_WIDTH))
    indexes = date_ticks(frame.days, most)
    dates = _svg_join(
        '<text class="tick" x="{}" y="{}" text-anchor="{}">{}</text>',
        (
            (
                frame.x(index),
                frame.height - 6,
                "start" if index == 0 and len(indexes) > 1 else "end" if index == indexes[-1] else "middle",
                f"{frame.days[index]:%-d %b}",
            )
            for index in indexes
        ),
    )
    return _svg(
        '<g class="axis" aria-hidden="true">{}'
        '<line class="baseline" x1="{}" y1="{}" x2="{}" y2="{}" />{}</g>',
        grid, LEFT, frame.bottom, frame.width - RIGHT, frame.bottom, dates,
    )  # fmt: skip


def _tip(frame: _Frame, index: int, anchor_y: float, lines: Sequence[str]) -> SafeString:
    """A tooltip box with `lines`, above `anchor_y` (below it where there is no room), kept inside."""
    width = max(len(line) for line in lines) * CHARACTER_WIDTH + 12
    height = TIP_LINE * len(lines) + 8
    left = min(max(frame.x(index) - width / 2, 0), frame.width - width)
    top = anchor_y - height - 8 if anchor_y - height - 8 >= 0 else anchor_y + 8
    texts = _svg_join(
        '<text x="{}" y="{}"{}>{}</text>',
        (
            (left + 6, top + 1 + TIP_LINE * (number + 1), HEAD if number == 0 else "", line)
            for number, line in enumerate(lines)
        ),
    )  # fmt: skip
    return _svg(
        '<g class="tip"><rect x="{}" y="{}" width="{}" height="{}" rx="4" />{}</g>',
        left, top, width, height, texts,
    )  # fmt: skip


def _markers(frame: _Frame, markers: Sequence[Marker]) -> SafeString:
    place = {day: index for index, day in enumerate(frame.days)}
    parts = []
    for marker in markers:
        if marker.day not in place:
            continue
        index = place[marker.day]
        x = frame.x(index)
        parts.append(
            _svg(
                '<a class="marker" href="{}" aria-label="{}">'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" />'
                '<path d="M{} {} l4 -7 h-8 z" /><rect class="hit" x="{}" y="0" width="14" height="{}" />'
                "{}</a>",
                marker.url, f"{_day(marker.day)}: {marker.label}. Open the plan history of that day.",
                x, TOP, x, frame.bottom, x, TOP, x - 7, TOP,
                _tip(frame, index, TOP + 4, [_day(marker.day), marker.label]),
            )
        )  # fmt: skip
    return _svg('<g class="markers">{}</g>', _svg_join("{}", ((part,) for part in parts)))


def _table(
    *, title: str, days: Sequence[date], series: Sequence[Series], markers: Sequence[Marker], unit: str,
    decimals: int, total: bool,
) -> SafeString:  # fmt: skip
    changes = {marker.day: marker.label for marker in markers}
    head = _svg_join('<th scope="col">{}</th>', ((item.name,) for item in series))
    rows = []
    for index, day in enumerate(days):
        values = [item.values[index] for item in series]
        if all(value is None for value in values) and day not in changes:
            continue
        cells = [_number(value, unit, decimals) for value in values]
        if total:
            cells.append(_number(sum(value or 0.0 for value in values), unit, decimals))
        if markers:
            cells.append(changes.get(day, ""))
        rows.append(
            _svg(
                '<tr><th scope="row">{}</th>{}</tr>',
                _day(day),
                _svg_join("<td>{}</td>", ((cell,) for cell in cells)),
            )
        )
    return _svg(
        '<div class="visually-hidden"><table class="chart-table"><caption>{}</caption>'
        '<thead><tr><th scope="col">Date</th>{}{}{}'
        "</tr></thead><tbody>{}</tbody></table></div>",
        title, head, mark_safe('<th scope="col">Total</th>') if total else "",
        mark_safe('<th scope="col">Plan changes</th>') if markers else "",
        _svg_join("{}", ((row,) for row in rows)),
    )  # fmt: skip


def _legend(series: Sequence[Series], shape: str, marked: bool) -> SafeString:
    """The key of the series (when there are several) and of the markers (when there are any)."""
    keys = [(f"swatch {shape} {item.css}", item.name) for item in series] if len(series) > 1 else []
    if marked:
        keys.append(("swatch marker-key", "Plan or settings changed (open the history of that day)"))
    if not keys:
        return mark_safe("")
    return format_html(
        '<ul class="legend chart-legend" aria-hidden="true">{}</ul>',
        format_html_join("", '<li><span class="{}"></span>{}</li>', keys),
    )


def _summary(series: Sequence[Series], days: Sequence[date], unit: str, decimals: int) -> str:
    """The trend in words: each series' first and last value, lowest and highest, with their dates."""
    sentences = []
    for item in series:
        known = [(day, value) for day, value in zip(days, item.values, strict=True) if value is not None]
        if not known:
            sentences.append(f"{item.name}: no values yet.")
            continue
        (first_day, first), (last_day, last) = known[0], known[-1]
        low_day, low = min(known, key=lambda pair: pair[1])
        high_day, high = max(known, key=lambda pair: pair[1])

        def said(value: float) -> str:
            return _number(value, unit, decimals)

        sentences.append(
            f"{item.name}: {said(first)} on {_day(first_day)}, {said(last)} on {_day(last_day)}; "
            f"lowest {said(low)} on {_day(low_day)}, highest {said(high)} on {_day(high_day)}."
        )
    return " ".join(sentences)


def _figure(
    *, key: str, title: str, summary: str, frame: _Frame, body: SafeString, markers: Sequence[Marker],
    series: Sequence[Series], shape: str, table: SafeString, css: str,
) -> SafeString:  # fmt: skip
    marked = sum(1 for marker in markers if marker.day in set(frame.days))
    legend = _legend(series, shape, bool(marked))
    if marked:
        summary += f" {marked} day{'s' if marked != 1 else ''} with plan changes marked."
    return _svg(
        '<figure class="chart-figure {}" id="{}">'
        '<svg class="chart time" viewBox="0 0 {} {}" role="group"'
        ' aria-labelledby="{}-title" aria-describedby="{}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}{}</svg>{}{}</figure>',
        css, key, frame.width, frame.height, key, key, key, title, key, summary,
        _axes(frame), _markers(frame, markers), body, legend, table,
    )  # fmt: skip


def _empty(title: str) -> SafeString:
    return _svg('<p class="chart-empty">{}: no history yet.</p>', title)


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
        return _empty(title)
    frame = _Frame(
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
                _svg(
                    '<polyline class="line {}" points="{}" />',
                    item.css,
                    " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                )
            )
        lines.extend(
            _svg('<circle class="dot {}" cx="{}" cy="{}" r="2" />', item.css, x, y) for x, y in points
        )
    places = []
    for index, day in enumerate(days):
        values = [(item, item.values[index]) for item in series]
        shown = [(item, value) for item, value in values if value is not None]
        if not shown:
            continue
        words = ", ".join(f"{item.name} {_number(value, unit, decimals)}" for item, value in values)
        dots = _svg_join(
            '<circle class="point {}" cx="{}" cy="{}" r="3.5" />',
            ((item.css, frame.x(index), frame.y(value)) for item, value in shown),
        )
        lines_of_tip = [
            _day(day),
            *(f"{item.name}: {_number(value, unit, decimals)}" for item, value in values),
        ]
        places.append(
            _svg(
                '<g class="day" tabindex="0" role="img" aria-label="{}">'
                '<rect class="hit" x="{}" y="{}" width="{}" height="{}" />{}{}</g>',
                f"{_day(day)}: {words}", frame.x(index) - frame.slot / 2, TOP, frame.slot,
                frame.bottom - TOP, dots, _tip(frame, index, min(frame.y(v) for _, v in shown), lines_of_tip),
            )
        )  # fmt: skip
    body = _svg(
        '<g class="lines">{}</g><g class="days">{}</g>',
        _svg_join("{}", ((line,) for line in lines)),
        _svg_join("{}", ((place,) for place in places)),
    )
    return _figure(
        key=key,
        title=title,
        summary=_summary(series, days, unit, decimals),
        frame=frame,
        body=body,
        markers=markers,
        series=series,
        shape="line",
        table=_table(
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
        return _empty(title)
    frame = _Frame(
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
        words = ", ".join(f"{item.name} {_number(item.values[index], unit, decimals)}" for item in series)
        lines_of_tip = [
            _day(day),
            *(f"{item.name}: {_number(item.values[index], unit, decimals)}" for item in series),
            f"Total: {_number(total, unit, decimals)}",
        ]
        places.append(
            _svg(
                '<g class="day" tabindex="0" role="img" aria-label="{}">'
                '<rect class="hit" x="{}" y="{}" width="{}" height="{}" />{}</g>',
                f"{_day(day)}: {words}; total {_number(total, unit, decimals)}",
                frame.x(index) - frame.slot / 2, TOP, frame.slot, frame.bottom - TOP,
                _tip(frame, index, frame.y(total), lines_of_tip),
            )
        )  # fmt: skip
    body = _svg(
        '<g class="columns">{}</g><g class="days">{}</g>',
        _svg_join('<rect class="part {}" x="{}" y="{}" width="{}" height="{}" />', parts),
        _svg_join("{}", ((place,) for place in places)),
    )
    return _figure(
        key=key,
        title=title,
        summary=_summary([*series, Series("Total", totals)], days, unit, decimals),
        frame=frame,
        body=body,
        markers=markers,
        series=series,
        shape="block",
        table=_table(
            title=title, days=days, series=series, markers=markers, unit=unit, decimals=decimals, total=True
        ),
        css="mix-figure",
    )
