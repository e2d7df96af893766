"""Axes: round ticks around the data's range (a y-axis) and evenly spread dates (an x-axis)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def nice_step(rough: float) -> float:
    """The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least `rough` (> 0)."""
    power = 10 ** math.floor(math.log10(rough))
    return next(step * power for step in _STEPS if step * power >= rough * (1 - 1e-9))


def nice_ticks(
    low: float,
    high: float,
    *,
    min_span: float,
    bounds: tuple[float | None, float | None] = (None, None),
    most: int = 5,
) -> list[float]:
    """Round ticks from below `low` to above `high`, at most `most` of them.

    The range shown is at least `min_span` wide, centred on the data, so that a small wobble is not
    drawn as a cliff; it is moved (never shrunk) to stay inside `bounds` where one is given (0–100 for
    a score, 0 upwards for hours). The step is 1, 2, 2.5 or 5 times a power of ten.
    """
    if high < low:
        low, high = high, low
    floor, ceiling = bounds
    span = max(high - low, min_span, 1e-9)
    middle = (low + high) / 2
    start, end = middle - span / 2, middle + span / 2
    if floor is not None and start < floor:
        start, end = floor, floor + span
    if ceiling is not None and end > ceiling:
        start, end = ceiling - span, ceiling
        if floor is not None:
            start = max(start, floor)
    step = nice_step(span / max(most - 1, 1))
    while True:
        first = math.floor(start / step + 1e-9) * step
        last = math.ceil(end / step - 1e-9) * step
        count = round((last - first) / step) + 1
        if count <= most:
            return [round(first + index * step, 10) for index in range(count)]
        step = nice_step(step * 1.0001)


def tick_text(value: float, ticks: Sequence[float]) -> str:
    """A tick's label with as many decimals as the step needs (45, 47.5, 0.25)."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = 0
    while decimals < 3 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
        decimals += 1
    return f"{value:.{decimals}f}"


def date_ticks(days: Sequence[date], most: int) -> list[int]:
    """The indexes of the days to label, at most `most` (≥ 2) evenly spread: the first and the last
    always, so the reader sees where the chart starts and ends."""
    if not days:
        return []
    if len(days) <= most:
        return list(range(len(days)))
    last = len(days) - 1
    return sorted({round(index * last / (most - 1)) for index in range(most)})
