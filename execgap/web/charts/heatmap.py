"""The people × initiatives heatmap: a row per person, a column per initiative, shaded by load."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

HEAT_LABEL_WIDTH = 168
HEAT_CELL_WIDTH = 48
HEAT_CELL_HEIGHT = 26
HEAT_HEAD_HEIGHT = 118  # room for the columns' titles, written slanting up
HEAT_TOTAL_WIDTH = 96
HEAT_LABEL_CHARACTERS = 22
HEAT_TITLE_CHARACTERS = 20
HEAT_SLANT = -40  # degrees


def _amount(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


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
    titles: Sequence[str],
    values: Sequence[Sequence[float]],
    scales: Sequence[float],
    totals: Sequence[str],
    alerts: Sequence[bool],
    label: str,
) -> SafeString:
    """A grid of amounts, a row per `rows` and a column per `columns` (short keys: a legend beside
    the chart names them in full), each headed by its key and its title (cut short), slanting up;
    each cell shaded by its value against its row's scale (a person's hours on
    an initiative against their weekly capacity) and showing the value; each row's total at its
    end, marked where `alerts` says. Drawn at its natural size: a page puts it in a box that scrolls
    sideways on a narrow screen, and shows the same numbers in a table."""
    width = HEAT_LABEL_WIDTH + HEAT_CELL_WIDTH * len(columns) + HEAT_TOTAL_WIDTH
    height = HEAT_HEAD_HEIGHT + HEAT_CELL_HEIGHT * len(rows) + 2
    parts = []
    for index, (key, title) in enumerate(zip(columns, titles, strict=True)):
        x, y = HEAT_LABEL_WIDTH + HEAT_CELL_WIDTH * index + HEAT_CELL_WIDTH // 2, HEAT_HEAD_HEIGHT - 8
        short = title if len(title) <= HEAT_TITLE_CHARACTERS else title[: HEAT_TITLE_CHARACTERS - 1] + "…"
        parts.append(
            format_html(
                '<text class="heat-head" x="{}" y="{}" transform="rotate({} {} {})">'
                '<tspan class="heat-head-key">{}</tspan> {}</text>',
                x - 4, y, HEAT_SLANT, x - 4, y, key, short,
            )
        )  # fmt: skip
    parts.append(
        format_html(
            '<text class="heat-head heat-head-load" x="{}" y="{}" text-anchor="end">Load</text>',
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
                    '<rect class="heat heat-{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}</title></rect>",
                    level,
                    left + 1,
                    top + 1,
                    HEAT_CELL_WIDTH - 2,
                    HEAT_CELL_HEIGHT - 2,
                    f"{name} on {titles[column]}: {_amount(value)} of {_amount(scale)}",
                )
            )
            if value > 0:
                parts.append(
                    format_html(
                        '<text class="heat-value{}" x="{}" y="{}" text-anchor="middle">{}</text>',
                        " heat-value-dark" if level >= 3 else "",
                        left + HEAT_CELL_WIDTH // 2,
                        middle,
                        _amount(value),
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
