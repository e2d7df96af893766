"""The frame the charts over dates draw on (`time`): a y-axis of round ticks scaled to the data
(`axis.nice_ticks`), dates along the x-axis, one focusable place per day whose accessible name says its
date and values and whose tooltip (CSS, on hover and on focus) shows them, markers where the plan
changed that link to the plan history, a <title> and a <desc>, and the numbers in a table that only
screen readers see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from execgap.web.charts.axis import date_ticks, tick_text

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
class Frame:
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


def coordinate(value: object) -> object:
    return f"{value:.1f}" if isinstance(value, float) else value


def svg(template: str, *args: object) -> SafeString:
    """`format_html` with coordinates to one decimal (it escapes its arguments into text first, so
    a template cannot format a number itself)."""
    return format_html(template, *(coordinate(arg) for arg in args))


def svg_join(template: str, rows: Iterable[Sequence[object]]) -> SafeString:
    return format_html_join("", template, (tuple(coordinate(arg) for arg in row) for row in rows))


def number_text(value: float | None, unit: str, decimals: int) -> str:
    return "no value" if value is None else f"{value:.{decimals}f}{unit}"


def day_text(day: date) -> str:
    return f"{day:%-d %b %Y}"


def draw_axes(frame: Frame) -> SafeString:
    """Grid lines and labels (hidden from screen readers: the table says the same)."""
    grid = svg_join(
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
    dates = svg_join(
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
    return svg(
        '<g class="axis" aria-hidden="true">{}'
        '<line class="baseline" x1="{}" y1="{}" x2="{}" y2="{}" />{}</g>',
        grid, LEFT, frame.bottom, frame.width - RIGHT, frame.bottom, dates,
    )  # fmt: skip


def draw_tip(frame: Frame, index: int, anchor_y: float, lines: Sequence[str]) -> SafeString:
    """A tooltip box with `lines`, above `anchor_y` (below it where there is no room), kept inside."""
    width = max(len(line) for line in lines) * CHARACTER_WIDTH + 12
    height = TIP_LINE * len(lines) + 8
    left = min(max(frame.x(index) - width / 2, 0), frame.width - width)
    top = anchor_y - height - 8 if anchor_y - height - 8 >= 0 else anchor_y + 8
    texts = svg_join(
        '<text x="{}" y="{}"{}>{}</text>',
        (
            (left + 6, top + 1 + TIP_LINE * (number + 1), HEAD if number == 0 else "", line)
            for number, line in enumerate(lines)
        ),
    )  # fmt: skip
    return svg(
        '<g class="tip"><rect x="{}" y="{}" width="{}" height="{}" rx="4" />{}</g>',
        left, top, width, height, texts,
    )  # fmt: skip


def draw_markers(frame: Frame, markers: Sequence[Marker]) -> SafeString:
    place = {day: index for index, day in enumerate(frame.days)}
    parts = []
    for marker in markers:
        if marker.day not in place:
            continue
        index = place[marker.day]
        x = frame.x(index)
        parts.append(
            svg(
                '<a class="marker" href="{}" aria-label="{}">'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" />'
                '<path d="M{} {} l4 -7 h-8 z" /><rect class="hit" x="{}" y="0" width="14" height="{}" />'
                "{}</a>",
                marker.url, f"{day_text(marker.day)}: {marker.label}. Open the plan history of that day.",
                x, TOP, x, frame.bottom, x, TOP, x - 7, TOP,
                draw_tip(frame, index, TOP + 4, [day_text(marker.day), marker.label]),
            )
        )  # fmt: skip
    return svg('<g class="markers">{}</g>', svg_join("{}", ((part,) for part in parts)))


def numbers_table(
    *, title: str, days: Sequence[date], series: Sequence[Series], markers: Sequence[Marker], unit: str,
    decimals: int, total: bool,
) -> SafeString:  # fmt: skip
    changes = {marker.day: marker.label for marker in markers}
    head = svg_join('<th scope="col">{}</th>', ((item.name,) for item in series))
    rows = []
    for index, day in enumerate(days):
        values = [item.values[index] for item in series]
        if all(value is None for value in values) and day not in changes:
            continue
        cells = [number_text(value, unit, decimals) for value in values]
        if total:
            cells.append(number_text(sum(value or 0.0 for value in values), unit, decimals))
        if markers:
            cells.append(changes.get(day, ""))
        rows.append(
            svg(
                '<tr><th scope="row">{}</th>{}</tr>',
                day_text(day),
                svg_join("<td>{}</td>", ((cell,) for cell in cells)),
            )
        )
    return svg(
        '<div class="visually-hidden"><table class="chart-table"><caption>{}</caption>'
        '<thead><tr><th scope="col">Date</th>{}{}{}'
        "</tr></thead><tbody>{}</tbody></table></div>",
        title, head, mark_safe('<th scope="col">Total</th>') if total else "",
        mark_safe('<th scope="col">Plan changes</th>') if markers else "",
        svg_join("{}", ((row,) for row in rows)),
    )  # fmt: skip


def draw_legend(series: Sequence[Series], shape: str, marked: bool) -> SafeString:
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


def summary_text(series: Sequence[Series], days: Sequence[date], unit: str, decimals: int) -> str:
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
            return number_text(value, unit, decimals)

        sentences.append(
            f"{item.name}: {said(first)} on {day_text(first_day)}, {said(last)} on {day_text(last_day)}; "
            f"lowest {said(low)} on {day_text(low_day)}, highest {said(high)} on {day_text(high_day)}."
        )
    return " ".join(sentences)


def draw_figure(
    *, key: str, title: str, summary: str, frame: Frame, body: SafeString, markers: Sequence[Marker],
    series: Sequence[Series], shape: str, table: SafeString, css: str,
) -> SafeString:  # fmt: skip
    marked = sum(1 for marker in markers if marker.day in set(frame.days))
    legend = draw_legend(series, shape, bool(marked))
    if marked:
        summary += f" {marked} day{'s' if marked != 1 else ''} with plan changes marked."
    return svg(
        '<figure class="chart-figure {}" id="{}">'
        '<svg class="chart time" viewBox="0 0 {} {}" role="group"'
        ' aria-labelledby="{}-title" aria-describedby="{}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}{}</svg>{}{}</figure>',
        css, key, frame.width, frame.height, key, key, key, title, key, summary,
        draw_axes(frame), draw_markers(frame, markers), body, legend, table,
    )  # fmt: skip


def empty_chart(title: str) -> SafeString:
    return svg('<p class="chart-empty">{}: no history yet.</p>', title)
