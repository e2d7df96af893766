"""Every score endpoint gives its numbers to one documented precision: a score (0 to 100) and its
change to 2 decimal places, every other fractional number to 10 significant digits; close enough that
SCORING.md's independent implementation agrees (0.05 on a score, 1e-6 relative on a ratio)."""

import pytest

from scoring.api.numbers import measure_rounded, measures_rounded, score_rounded
from tests.api.scores.conftest import url

pytestmark = pytest.mark.django_db

# The keys whose numbers are 0–100 scores (or their changes), wherever they appear.
SCORE_KEYS = {
    "score", "execution_health", "alignment", "resources", "adaptability", "people",
    "change_7d", "change_28d", "execution_health_change_7d", "execution_health_change_28d",
}  # fmt: skip
ENDPOINTS = (
    *(f"scores/{name}" for name in ("", "objectives/", "initiatives/", "teams/", "history/", "drivers/")),
    "signals/",
    "capacity/cut-line/?as_of=2027-01-01",
)


def numbers_in(data, key=""):
    """(key, float) for every float in a JSON answer, by the key it is under."""
    if isinstance(data, float):
        yield key, data
    elif isinstance(data, dict):
        for name, value in data.items():
            yield from numbers_in(value, name)
    elif isinstance(data, list):
        for value in data:
            yield from numbers_in(value, key)


def test_rounding_rules():
    assert score_rounded(100 * 14 / 38) == 36.84
    assert score_rounded(None) is None
    assert measure_rounded(14 / 38) == 0.3684210526
    assert measure_rounded(0.1 + 0.2) == 0.3
    assert measure_rounded(1 / 3 * 1e-7) == 3.333333333e-08  # a small share keeps its digits
    assert measure_rounded(12_345_678.25) == 12_345_678.25  # hours (2 decimals) kept exactly
    assert measures_rounded({"a": [1 / 3, 2], "b": None, "c": "x"}) == {
        "a": [0.3333333333, 2],
        "b": None,
        "c": "x",
    }


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_number_of_every_score_endpoint_is_rounded(example, path):
    # given the worked example's snapshot, when an endpoint is read
    data = example.client.get(f"/api/v1/orgs/{example.org.slug}/{path}").json()
    numbers = list(numbers_in(data))
    assert numbers  # the example has numbers on every endpoint
    # then a score has at most 2 decimal places, any other number at most 10 significant digits
    for key, value in numbers:
        if key in SCORE_KEYS:
            assert round(value, 2) == value, (key, value)
        else:
            assert float(f"{value:.10g}") == value, (key, value)


def test_rounding_keeps_the_numbers_within_scorings_tolerance(example):
    # SCORING.md: T = 14/38, alignment 27.63, adaptability 41.67 (printed to 2 decimals)
    data = example.client.get(url(example.org)).json()
    assert data["alignment"]["parts"]["traceability"] == pytest.approx(14 / 38, rel=1e-9)
    assert data["alignment"]["score"] == pytest.approx(27.63, abs=0.005)
    assert data["adaptability"]["score"] == pytest.approx(41.67, abs=0.005)
    assert data["resources"]["parts"]["off_strategy_capacity"] == pytest.approx(10 / 3, rel=1e-9)
