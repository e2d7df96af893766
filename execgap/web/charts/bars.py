"""Bars: a share against its intent, parts of a whole, a load against capacity, and lists of pairs
(intended against actual shares, staffed hours against the need).

The small bars carry `role="img"` and an `aria-label` that says in words what they show; the lists
of pairs have a <title>, a <desc> and their numbers in a table only screen readers see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def _fmt(value: float | None, unit: str) -> str:
    return "no value" if value is None else f"{value:.0f}{unit}"


def _percent(share: float | None) -> str:
    return _fmt(None if share is None else share * 100, "%")


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


@dataclass(frozen=True)
class BarPair:
    """One row of `paired_bars`: a label, its link (or ""), and two amounts (None: not measured)."""

    label: str
    url: str
    first: float | None
    second: float | None


PAIR_WIDTH = 400
PAIR_LABEL_HEIGHT = 16
PAIR_BAR_HEIGHT = 9
PAIR_ROW_HEIGHT = PAIR_LABEL_HEIGHT + 2 * PAIR_BAR_HEIGHT + 12
PAIR_VALUE_WIDTH = 64  # room right of the bars for the larger value
PAIR_LABEL_CHARACTERS = 60


def _amount(value: float | None, unit: str, scale: float) -> str:
    return "not measured" if value is None else f"{value * scale:.0f}{unit}"


def paired_bars(
    *,
    key: str,
    title: str,
    rows: Sequence[BarPair],
    names: tuple[str, str],
    unit: str = "%",
    scale: float = 100.0,
    note: str = "",
) -> SafeString:
    """Two bars a row, the first (`names[0]`: intended, needed) drawn as an outlined box and the
    second (actual, staffed) as a filled bar over it, on one scale from 0 to the largest amount, each
    row's label above its bars (linked where `url` is given) and the second amount written beside.
    Amounts are multiplied by `scale` when shown (a share of 0.25 reads 25%). `note`, a sentence
    on what the chart leaves out, ends the description and is shown under the chart."""
    if not rows:
        return format_html('<p class="chart-empty">{}: nothing to show.</p>', title)
    largest = max([value for row in rows for value in (row.first, row.second) if value is not None] or [0.0])
    largest = largest or 1.0
    room = PAIR_WIDTH - PAIR_VALUE_WIDTH
    parts = []
    words = []
    for index, row in enumerate(rows):
        top = index * PAIR_ROW_HEIGHT
        first = _amount(row.first, unit, scale)
        second = _amount(row.second, unit, scale)
        said = f"{row.label}: {names[0].lower()} {first}, {names[1].lower()} {second}"
        words.append((row.label, first, second))
        short = (
            row.label
            if len(row.label) <= PAIR_LABEL_CHARACTERS
            else row.label[: PAIR_LABEL_CHARACTERS - 1] + "…"
        )
        label = format_html(
            '<text class="pair-label" x="0" y="{}">{}</text>', top + PAIR_LABEL_HEIGHT - 4, short
        )
        if row.url:
            label = format_html('<a href="{}" aria-label="{}">{}</a>', row.url, said, label)
        first_width = room * (row.first or 0.0) / largest
        second_width = room * (row.second or 0.0) / largest
        bars_top = top + PAIR_LABEL_HEIGHT
        parts.append(
            format_html(
                '<g class="pair">{}<rect class="pair-track" x="0" y="{}" width="{}" height="{}" />'
                '<rect class="pair-first" x="0" y="{}" width="{}" height="{}" />'
                '<rect class="pair-second" x="0" y="{}" width="{}" height="{}" />'
                '<text class="pair-value" x="{}" y="{}">{}</text>'
                '<text class="pair-value pair-value-second" x="{}" y="{}">{}</text></g>',
                label, bars_top, f"{room:.1f}", 2 * PAIR_BAR_HEIGHT,
                bars_top, f"{first_width:.1f}", PAIR_BAR_HEIGHT,
                bars_top + PAIR_BAR_HEIGHT, f"{second_width:.1f}", PAIR_BAR_HEIGHT,
                room + 6, bars_top + PAIR_BAR_HEIGHT - 1, first,
                room + 6, bars_top + 2 * PAIR_BAR_HEIGHT, second,
            )
        )  # fmt: skip
    height = len(rows) * PAIR_ROW_HEIGHT
    description = "; ".join(
        f"{label}: {names[0].lower()} {first}, {names[1].lower()} {second}" for label, first, second in words
    )
    table_rows = format_html_join("", '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>', words)
    return format_html(
        '<figure class="chart-figure pairs-figure" id="{}">'
        '<svg class="chart pairs" viewBox="0 0 {} {}" role="group"'
        ' aria-labelledby="{}-title" aria-describedby="{}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>'
        '<ul class="legend chart-legend" aria-hidden="true">'
        '<li><span class="swatch block pair-first"></span>{}</li>'
        '<li><span class="swatch block pair-second"></span>{}</li></ul>{}'
        '<div class="visually-hidden"><table class="chart-table"><caption>{}</caption>'
        '<thead><tr><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table></div></figure>',
        key, PAIR_WIDTH, height, key, key, key, title, key, f"{description}. {note}".strip(),
        format_html_join("", "{}", ((part,) for part in parts)),
        names[0], names[1], format_html('<p class="chart-note">{}</p>', note) if note else "",
        title, "Name", names[0], names[1], table_rows,
    )  # fmt: skip
