"""Numbers in words: how the dashboards say a score, a share or a number of hours.

SCORING.md defines the scores (0–100) but no verdict on them; the dashboards name three bands, the
same for every score, so that a reader sees at a glance where to look first.
"""

from __future__ import annotations

from dataclasses import dataclass

# The bands of every score (0–100): at or above HEALTHY_FROM it is healthy, at or above WATCH_FROM
# it is worth watching, below that it is at risk.
HEALTHY_FROM = 70.0
WATCH_FROM = 50.0


@dataclass(frozen=True)
class Verdict:
    word: str
    tone: str  # the badge class: ok, warn, bad or muted


NOT_MEASURED = Verdict("Not measurable yet", "muted")


def verdict_of(score: float | None) -> Verdict:
    """The word for a 0–100 score (None: undefined, SCORING.md's "nothing to measure")."""
    if score is None:
        return NOT_MEASURED
    if score >= HEALTHY_FROM:
        return Verdict("Healthy", "ok")
    if score >= WATCH_FROM:
        return Verdict("Watch", "warn")
    return Verdict("At risk", "bad")


def percent(share: float | None) -> str:
    """A 0–1 share as a whole percentage ("62%"); "no value" when undefined."""
    return "no value" if share is None else f"{share * 100:.0f}%"


def ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def hours(amount: float | None) -> str:
    """Hours, whole when they are nearly whole, else to one decimal ("38", "3.3")."""
    if amount is None:
        return "no value"
    if abs(amount - round(amount)) < 0.05:
        return f"{round(amount):,}"
    return f"{amount:,.1f}"


def score_text(score: float | None) -> str:
    """A 0–100 score as shown on the pages ("54.8"); an em dash when undefined."""
    return "—" if score is None else f"{score:.1f}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 task", "3 tasks", "2 people" (with `plural_form`)."""
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {word}"
