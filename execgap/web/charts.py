"""Charts drawn by the server as inline SVG: no script, no internet, readable by a screen reader.

Templates draw them with `{% load charts %}` (`execgap/templatetags/charts.py`), selectors by calling
these functions.

Each chart carries `role="img"` and an `aria-label` that says in words what it shows; the page shows
the same numbers in text or a table beside it, so colour is never the only carrier of meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 240
HEIGHT = 56
PAD = 4


def _fmt(value: float | None, unit: str) -> str:
    return "no value" if value is None else f"{value:.0f}{unit}"


def _percent(share: float | None) -> str:
    return _fmt(None if share is None else share * 100, "%")


def trend_chart(points: Sequence[tuple[date, float | None]], label: str, unit: str = "") -> SafeString:
    """A line of values over dates on a 0–100 scale (a score's daily snapshots). Gaps (None) break it."""
    values = [(day, value) for day, value in points]
    if not values:
        return mark_safe('<p class="chart-empty">No history yet.</p>')
    known = [value for _, value in values if value is not None]
    summary = (
        f"{label}: {len(values)} days, from {_fmt(known[0], unit)} to {_fmt(known[-1], unit)}"
        if known
        else f"{label}: no values yet"
    )
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    segments: list[list[str]] = [[]]
    for index, (_, value) in enumerate(values):
        if value is None:
            segments.append([])
            continue
        x = PAD + index * step
        y = HEIGHT - PAD - (max(0.0, min(100.0, value)) / 100) * (HEIGHT - 2 * PAD)
        segments[-1].append(f"{x:.1f},{y:.1f}")
    lines = format_html_join(
        "", '<polyline class="trend-line" points="{}" />', ((" ".join(s),) for s in segments if len(s) > 1)
    )
    return format_html(
        '<svg class="chart trend" viewBox="0 0 {} {}" role="img" aria-label="{}" preserveAspectRatio="none">'
        '<line class="trend-axis" x1="{}" y1="{}" x2="{}" y2="{}" />{}</svg>',
        WIDTH, HEIGHT, summary, PAD, HEIGHT - PAD, WIDTH - PAD, HEIGHT - PAD, lines,
    )  # fmt: skip


def share_bars(actual: float | None, intended: float | None, label: str) -> SafeString:
    """Actual against intended share (0–1) as two bars, the intended one drawn as a target mark."""
    a = max(0.0, min(1.0, actual or 0.0))
    i = max(0.0, min(1.0, intended or 0.0))
    summary = f"{label}: actual {_percent(actual)}, intended {_percent(intended)}"
    return format_html(
        '<svg class="chart share" viewBox="0 0 100 10" role="img" aria-label="{}" preserveAspectRatio="none">'
        '<rect class="share-track" x="0" y="2" width="100" height="6" />'
        '<rect class="share-actual" x="0" y="2" width="{}" height="6" />'
        '<rect class="share-intended" x="{}" y="0" width="1" height="10" /></svg>',
        summary, f"{a * 100:.1f}", f"{min(i * 100, 99):.1f}",
    )  # fmt: skip


def stacked_bar(segments: Sequence[tuple[str, float, str]], label: str, unit: str = "h") -> SafeString:
    """Parts of a whole side by side: (name, amount, css class) each; the label lists them in words."""
    total = sum(amount for _, amount, _ in segments) or 0.0
    words = ", ".join(f"{name} {amount:.0f}{unit}" for name, amount, _ in segments)
    rects = []
    x = 0.0
    for _, amount, css in segments:
        width = 100 * amount / total if total else 0.0
        rects.append((css, f"{x:.2f}", f"{width:.2f}"))
        x += width
    body = format_html_join("", '<rect class="stack {}" x="{}" y="0" width="{}" height="10" />', rects)
    return format_html(
        '<svg class="chart stacked" viewBox="0 0 100 10" role="img" aria-label="{}" '
        'preserveAspectRatio="none">{}</svg>',
        f"{label}: {words}" if total else f"{label}: nothing recorded", body,
    )  # fmt: skip


def load_bar(demand: float, capacity: float, label: str) -> SafeString:
    """A person's allocated hours against their capacity; beyond 100% the overflow shows in its own class."""
    ratio = demand / capacity if capacity else 0.0
    inside = min(ratio, 1.0) * 100
    over = min(max(ratio - 1.0, 0.0), 1.0) * 100
    return format_html(
        '<svg class="chart load" viewBox="0 0 200 10" role="img" aria-label="{}" preserveAspectRatio="none">'
        '<rect class="load-track" x="0" y="2" width="100" height="6" />'
        '<rect class="load-fill" x="0" y="2" width="{}" height="6" />'
        '<rect class="load-over" x="100" y="2" width="{}" height="6" /></svg>',
        f"{label}: {demand:.0f} of {capacity:.0f} hours a week ({ratio * 100:.0f}%)",
        f"{inside:.1f}", f"{over:.1f}",
    )  # fmt: skip


HEAT_LABEL_WIDTH = 168
HEAT_CELL_WIDTH = 48
HEAT_CELL_HEIGHT = 26
HEAT_HEAD_HEIGHT = 26
HEAT_TOTAL_WIDTH = 96
HEAT_LABEL_CHARACTERS = 22


def heat_level(value: float, scale: float) -> int:
    """How dark a heatmap cell is (0–4): its value as a share of its row's scale (none, up to an
    eighth, a quarter, a half, more)."""
    if value <= 0:
        return 0
    share = value / scale if scale > 0 else 1.0
    return 1 if share <= 0.125 else 2 if share <= 0.25 else 3 if share <= 0.5 else 4


def heatmap(
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float]],
    scales: Sequence[float],
    totals: Sequence[str],
    alerts: Sequence[bool],
    label: str,
) -> SafeString:
    """A grid of amounts, a row per `rows` and a column per `columns` (short labels: a legend beside
    the chart names them), each cell shaded by its value against its row's scale (a person's hours on
    an initiative against their weekly capacity) and showing the value; each row's total at its
    end, marked where `alerts` says. Drawn at its natural size: a page puts it in a box that scrolls
    sideways on a narrow screen, and shows the same numbers in a table."""
    width = HEAT_LABEL_WIDTH + HEAT_CELL_WIDTH * len(columns) + HEAT_TOTAL_WIDTH
    height = HEAT_HEAD_HEIGHT + HEAT_CELL_HEIGHT * len(rows) + 2
    parts = [
        format_html(
            '<text class="heat-head" x="{}" y="{}" text-anchor="middle">{}</text>',
            HEAT_LABEL_WIDTH + HEAT_CELL_WIDTH * index + HEAT_CELL_WIDTH // 2,
            HEAT_HEAD_HEIGHT - 8,
            column,
        )
        for index, column in enumerate(columns)
    ]
    parts.append(
        format_html(
            '<text class="heat-head" x="{}" y="{}" text-anchor="end">Load</text>',
            width - 4,
            HEAT_HEAD_HEIGHT - 8,
        )
    )
    for index, (name, cells, scale, total, alert) in enumerate(
        zip(rows, values, scales, totals, alerts, strict=True)
    ):
        top = HEAT_HEAD_HEIGHT + HEAT_CELL_HEIGHT * index
        middle = top + HEAT_CELL_HEIGHT // 2 + 5
        short = name if len(name) <= HEAT_LABEL_CHARACTERS else name[: HEAT_LABEL_CHARACTERS - 1] + "…"
        parts.append(format_html('<text class="heat-name" x="0" y="{}">{}</text>', middle, short))
        for column, value in enumerate(cells):
            left = HEAT_LABEL_WIDTH + HEAT_CELL_WIDTH * column
            level = heat_level(value, scale)
            parts.append(
                format_html(
                    '<rect class="heat heat-{}" x="{}" y="{}" width="{}" height="{}" />',
                    level,
                    left + 1,
                    top + 1,
                    HEAT_CELL_WIDTH - 2,
                    HEAT_CELL_HEIGHT - 2,
                )
            )
            if value > 0:
                parts.append(
                    format_html(
                        '<text class="heat-value{}" x="{}" y="{}" text-anchor="middle">{}</text>',
                        " heat-value-dark" if level >= 3 else "",
                        left + HEAT_CELL_WIDTH // 2,
                        middle,
                        f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}",
                    )
                )
        parts.append(
            format_html(
                '<text class="heat-total{}" x="{}" y="{}" text-anchor="end">{}</text>',
                " heat-alert" if alert else "",
                width - 4,
                middle,
                total,
            )
        )
    return format_html(
        '<svg class="chart heatmap" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">'
        "{}</svg>",
        width, height, width, height, label, format_html_join("", "{}", ((part,) for part in parts)),
    )  # fmt: skip
