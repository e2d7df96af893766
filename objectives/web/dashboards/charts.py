"""The effort-share bars of the dashboards, drawn as `execgap.templatetags.charts.share_bars` draws
them (same markup and classes), with the numbers formatted before `format_html` escapes them:
`format_html` turns every argument into a string, so a format code such as `{:.1f}` in its template
fails on the numbers `share_bars` passes."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from objectives.web.dashboards.words import percent


def share_bars_svg(actual: float | None, intended: float | None, label: str) -> SafeString:
    """Actual against intended share (0–1): a bar, and the intended share as a target mark."""
    a = max(0.0, min(1.0, actual or 0.0))
    i = max(0.0, min(1.0, intended or 0.0))
    summary = f"{label}: actual {percent(actual)}, intended {percent(intended)}"
    return format_html(
        '<svg class="chart share" viewBox="0 0 100 10" role="img" aria-label="{}" preserveAspectRatio="none">'
        '<rect class="share-track" x="0" y="2" width="100" height="6" />'
        '<rect class="share-actual" x="0" y="2" width="{}" height="6" />'
        '<rect class="share-intended" x="{}" y="0" width="1" height="10" /></svg>',
        summary, f"{a * 100:.1f}", f"{min(i * 100, 99):.1f}",
    )  # fmt: skip
