"""Baseline against scenario as two bars on the 0–100 scale of a score: inline SVG, no script.

Each chart is an image with its own title and description (the two numbers and the difference, in
words); the page shows the same numbers in the table the chart sits in.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString


def _width(value: float | None) -> str:
    return f"{max(0.0, min(100.0, value or 0.0)):.1f}"


def points(value: float | None) -> str:
    return "no score" if value is None else f"{value:.1f}"


def difference_words(baseline: float | None, scenario: float | None) -> str:
    if baseline is None or scenario is None:
        return "not comparable" if baseline != scenario else "no change"
    difference = scenario - baseline
    if abs(difference) < 0.05:
        return "no change"
    return f"{'up' if difference > 0 else 'down'} {abs(difference):.1f} points"


def before_after_bars(
    *, ident: str, label: str, baseline: float | None, scenario: float | None
) -> SafeString:
    """Two bars, the baseline above the scenario; `ident` makes the title and description ids unique."""
    return format_html(
        '<svg class="chart before-after" viewBox="0 0 100 22" preserveAspectRatio="none" role="img" '
        'aria-labelledby="{0}-title {0}-desc" focusable="false">'
        '<title id="{0}-title">{1}: baseline and scenario</title>'
        '<desc id="{0}-desc">Baseline {2}, scenario {3} (of 100): {4}.</desc>'
        '<rect class="ba-track" x="0" y="1" width="100" height="9" />'
        '<rect class="ba-baseline" x="0" y="1" width="{5}" height="9" />'
        '<rect class="ba-track" x="0" y="12" width="100" height="9" />'
        '<rect class="ba-scenario" x="0" y="12" width="{6}" height="9" /></svg>',
        ident, label, points(baseline), points(scenario), difference_words(baseline, scenario),
        _width(baseline), _width(scenario),
    )  # fmt: skip
