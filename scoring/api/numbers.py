"""How the score endpoints give their numbers: each score's band, and every number rounded to one
documented precision (README, "The REST API").

- A score (0 to 100) is rounded to 2 decimal places. SCORING.md holds an independent implementation
  to 0.05 of the API's scores: rounding to 1 place would spend all of that on the rounding alone.
- Every other fractional number (a share, coverage, progress, a gap, hours, hours per week, hours a
  day) keeps 10 significant digits. SCORING.md's ratios must agree to 1e-6 relative, which no fixed
  number of decimal places keeps for a small share; 10 digits keep any total of hours (stored to
  2 decimals) under 10^8 exactly and drop float noise such as 0.30000000000000004.
- Counts are whole numbers and stay so.
- A score's band is the dashboards' verdict on it (`scoring.web.dashboards.words`), read from the
  score as the API gives it, so that a client can check one against the other.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework import serializers

from scoring.web.dashboards.words import HEALTHY_FROM, WATCH_FROM

SCORE_DECIMALS = 2
SIGNIFICANT_DIGITS = 10


class ScoreBand(models.TextChoices):
    HEALTHY = "healthy", "Healthy"
    WATCH = "watch", "Watch"
    CRITICAL = "critical", "Critical"


BAND_HELP = (
    f"The score's band: healthy at {HEALTHY_FROM:g} or more, watch from {WATCH_FROM:g} up to "
    f"{HEALTHY_FROM:g}, critical below {WATCH_FROM:g} (the dashboards' bands, of the score as given "
    "here); null when the score is."
)


def score_rounded(value: float | None) -> float | None:
    """A 0–100 score to SCORE_DECIMALS places (None stays None)."""
    return None if value is None else round(float(value), SCORE_DECIMALS)


def measure_rounded(value: float | None) -> float | None:
    """Any other fractional number to SIGNIFICANT_DIGITS significant digits (None stays None)."""
    return None if value is None else float(f"{float(value):.{SIGNIFICANT_DIGITS}g}")


def measures_rounded(data: Any) -> Any:
    """Stored JSON (a snapshot's parts, drivers, signals) with every float rounded as a measure;
    whole numbers, text and the rest as they are."""
    if isinstance(data, float):
        return measure_rounded(data)
    if isinstance(data, dict):
        return {key: measures_rounded(value) for key, value in data.items()}
    if isinstance(data, list):
        return [measures_rounded(value) for value in data]
    return data


def band_of(score: float | None) -> str | None:
    """The band of a score as the API gives it (rounded); None when the score is undefined."""
    rounded = score_rounded(score)
    if rounded is None:
        return None
    if rounded >= HEALTHY_FROM:
        return ScoreBand.HEALTHY.value
    if rounded >= WATCH_FROM:
        return ScoreBand.WATCH.value
    return ScoreBand.CRITICAL.value


def change_between(now: float | None, then: float | None) -> float | None:
    """`now - then` of two scores as the API gives them (each rounded first, so a client subtracting
    the two answers gets the same); None when either is undefined."""
    rounded_now, rounded_then = score_rounded(now), score_rounded(then)
    if rounded_now is None or rounded_then is None:
        return None
    return round(rounded_now - rounded_then, SCORE_DECIMALS)


class ScoreField(serializers.FloatField):
    """A 0–100 score, rounded to SCORE_DECIMALS places."""

    def to_representation(self, value: Any) -> Any:
        return score_rounded(value)


class MeasureField(serializers.FloatField):
    """A share, coverage, hours...: SIGNIFICANT_DIGITS significant digits."""

    def to_representation(self, value: Any) -> Any:
        return measure_rounded(value)


class RoundedModelSerializer(serializers.ModelSerializer[Any]):
    """A snapshot row: its float columns are measures (a score column is declared as a ScoreField)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.FloatField: MeasureField,
    }
