"""Charts drawn by the server as inline SVG: no script, no internet, readable by a screen reader.

Selectors draw them by calling these functions; templates draw the small bars with `{% load charts %}`
(`execgap/templatetags/charts.py`). Colour never carries a meaning alone: every chart says in words
what it shows (an accessible name, or a <title> and <desc>), and the charts over dates and the lists
of pairs carry their numbers in a table for screen readers. `static/css/charts.css` styles them.

- `time`: trends over dates with a scaled y-axis, dates, values on hover and focus, plan-change markers;
- `bars`: small bars (share, parts, load) and lists of paired bars;
- `heatmap`: the people × initiatives load.
"""

from execgap.web.charts.axis import nice_ticks
from execgap.web.charts.bars import BarPair, load_bar, paired_bars, share_bars, stacked_bar
from execgap.web.charts.heatmap import heat_level, heatmap
from execgap.web.charts.time import Marker, Series, mix_chart, trend_chart

__all__ = [
    "BarPair",
    "Marker",
    "Series",
    "heat_level",
    "heatmap",
    "load_bar",
    "mix_chart",
    "nice_ticks",
    "paired_bars",
    "share_bars",
    "stacked_bar",
    "trend_chart",
]
