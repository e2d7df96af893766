"""Undefined is null, never 0: before the first snapshot, and on an organization with nothing in it."""

from datetime import date

import pytest

from execgap.models import Role
from tests.api.scores.conftest import snapshot_of, url

pytestmark = pytest.mark.django_db

NUMBERS = ("alignment", "resources", "adaptability", "people")


def test_before_the_first_snapshot_every_number_is_null_and_the_lists_are_empty(org, client_as):
    # given an organization never recomputed
    client = client_as(Role.VIEWER)
    # when its scores are read
    data = client.get(url(org)).json()
    # then there is no snapshot: 200 with nulls (and stale, since nothing reflects the plan yet)
    unknown = {"band": None, "change_7d": None, "change_28d": None}
    assert data == {
        "snapshot": None, "as_of": None, "computed_at": None, "stale": True, "stale_since": None,
        "execution_health": None, **{f"execution_health_{key}": None for key in unknown},
        **{name: {"score": None, **unknown, "parts": None} for name in NUMBERS},
        "parameters": None, "compared_7d": None, "compared_28d": None,
    }  # fmt: skip
    for path in ("objectives/", "initiatives/", "teams/"):
        response = client.get(url(org, path))
        assert (response.status_code, response.json()["results"]) == (200, [])
    assert client.get(url(org, "history/")).json() == []
    drivers = client.get(url(org, "drivers/")).json()
    assert drivers["snapshot"] is None
    assert all(drivers[name] == [] for name in drivers if name not in ("snapshot", "as_of", "computed_at"))


def test_an_empty_organization_has_undefined_scores_not_zero(org, client_as):
    # given an organization with nothing in it, recomputed
    snapshot_of(org, date(2027, 1, 1))
    # when its scores are read
    data = client_as(Role.VIEWER).get(url(org)).json()
    # then every score and every ratio is null, the counts are 0
    assert data["computed_at"] is not None
    assert data["stale"] is False
    assert data["execution_health"] is None
    assert [data[name]["score"] for name in NUMBERS] == [None, None, None, None]
    alignment = data["alignment"]["parts"]
    assert (alignment["traceability"], alignment["priority_fit"], alignment["total_effort"]) == (
        None,
        None,
        0,
    )
    assert alignment["roots"] == []
    assert data["adaptability"]["parts"]["freshness"] is None
    assert data["adaptability"]["parts"]["responsiveness"] is None
    assert data["people"]["parts"]["ownership"] is None
    assert data["people"]["parts"]["participation"] is None


def test_a_change_after_the_snapshot_shows_as_stale(org, client_as):
    # given a snapshot, then a change the scores do not reflect yet
    snapshot_of(org, date(2027, 1, 1))
    org.scores_stale_since = org.scores_changed_at = org.created_at
    org.save()
    # when the scores are read, then they say so, and since when
    data = client_as(Role.VIEWER).get(url(org)).json()
    assert data["stale"] is True
    assert data["stale_since"] is not None
    assert data["snapshot"] is not None
