"""`scores/` gives each score's band (healthy at 70 or more, watch from 50, critical below) and its
change over 7 and 28 days against the snapshot `scores/` answered with then, naming that snapshot."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from execgap.models import Role
from scoring.api.numbers import band_of
from scoring.models import ScoreSnapshot
from scoring.web.dashboards import words
from tests.api.scores.conftest import snapshot_of, url

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
NAMES = ("alignment", "resources", "adaptability", "people")


@pytest.fixture
def frozen(monkeypatch):
    """`now` for the view is NOW (the compared snapshots are found back from it)."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def stored(organization, computed_at: datetime, *, as_of: date | None = None, **columns) -> ScoreSnapshot:
    """A snapshot of the organization as if computed at `computed_at`, with its scores set to `columns`
    (a snapshot is immutable to the ORM's save; the test writes the row as a past run would have)."""
    snapshot = snapshot_of(organization, as_of or computed_at.date())
    ScoreSnapshot.objects.filter(pk=snapshot.pk).update(computed_at=computed_at, **columns)
    return snapshot


def scores(execution_health, alignment, resources, adaptability, people):
    return {
        "execution_health": execution_health, "alignment": alignment, "resources": resources,
        "adaptability": adaptability, "people": people,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100.0, "healthy"),
        (70.0, "healthy"),
        (69.996, "healthy"),  # given as 70.0: the band is the given score's
        (69.99, "watch"),
        (50.0, "watch"),
        (49.994, "critical"),
        (0.0, "critical"),
        (None, None),
    ],
)
def test_a_score_falls_in_its_band_at_the_documented_thresholds(score, band):
    assert band_of(score) == band


def test_the_bands_are_the_dashboards():
    # the README documents 70 and 50; the dashboards' verdicts use the same two numbers
    assert (words.HEALTHY_FROM, words.WATCH_FROM) == (70.0, 50.0)


def test_each_score_has_its_band(org, client_as, frozen):
    # given a snapshot with a score in each band, and one undefined
    stored(org, NOW - timedelta(hours=1), **scores(61.25, 27.634, 75.0, None, 49.996))
    # when its scores are read
    data = client_as(Role.VIEWER).get(url(org)).json()
    # then each is rounded to 2 places with the band of what is given
    assert (data["execution_health"], data["execution_health_band"]) == (61.25, "watch")
    assert {name: (data[name]["score"], data[name]["band"]) for name in NAMES} == {
        "alignment": (27.63, "critical"),
        "resources": (75.0, "healthy"),
        "adaptability": (None, None),
        "people": (50.0, "watch"),
    }


def test_the_changes_compare_with_the_snapshots_answered_7_and_28_days_ago(org, client_as, frozen):
    # given snapshots computed 40 and 30 days ago, 10 days ago and an hour ago
    stored(org, NOW - timedelta(days=40), **scores(10, 10, 10, 10, 10))
    month = stored(org, NOW - timedelta(days=30), **scores(40.0, 20.0, 60.0, 30.0, 50.0))
    week = stored(org, NOW - timedelta(days=10), **scores(55.5, 30.25, 70.0, 50.0, None))
    stored(org, NOW - timedelta(hours=1), **scores(60.0, 35.0, 65.5, 41.67, 75.0))
    # when the latest scores are read
    data = client_as(Role.VIEWER).get(url(org)).json()
    # then each change is the latest minus the one of the snapshot latest at or before now - 7 (28) days
    assert (data["execution_health_change_7d"], data["execution_health_change_28d"]) == (4.5, 20.0)
    assert {name: (data[name]["change_7d"], data[name]["change_28d"]) for name in NAMES} == {
        "alignment": (4.75, 15.0),
        "resources": (-4.5, 5.5),
        "adaptability": (-8.33, 11.67),
        "people": (None, 25.0),  # undefined 10 days ago: no change to give
    }
    # and the answer names the snapshots compared with
    assert data["compared_7d"] == {
        "snapshot": week.pk,
        "as_of": (NOW - timedelta(days=10)).date().isoformat(),
        "computed_at": "2027-02-19T12:00:00Z",
        "parameters_changed": False,
    }
    assert data["compared_28d"]["snapshot"] == month.pk


def test_without_a_snapshot_that_old_there_is_no_change(org, client_as, frozen):
    # given snapshots of the last 6 days only
    stored(org, NOW - timedelta(days=6), **scores(50, 50, 50, 50, 50))
    stored(org, NOW - timedelta(hours=1), **scores(60, 60, 60, 60, 60))
    # when the scores are read, then nothing is compared and no change is given
    data = client_as(Role.VIEWER).get(url(org)).json()
    assert (data["compared_7d"], data["compared_28d"]) == (None, None)
    assert data["execution_health_change_7d"] is None
    assert all(data[name]["change_7d"] is None and data[name]["change_28d"] is None for name in NAMES)


def test_a_snapshot_computed_exactly_7_days_ago_is_compared_with(org, client_as, frozen):
    # given a snapshot computed at now - 7 days to the second, and a later one
    edge = stored(org, NOW - timedelta(days=7), **scores(50, 50, 50, 50, 50))
    stored(org, NOW - timedelta(days=7) + timedelta(seconds=1), **scores(52, 52, 52, 52, 52))
    stored(org, NOW, **scores(51, 51, 51, 51, 51))
    # when the scores are read, then the one at or before the moment is compared with
    data = client_as(Role.VIEWER).get(url(org)).json()
    assert data["compared_7d"]["snapshot"] == edge.pk
    assert data["alignment"]["change_7d"] == 1.0


def test_a_latest_snapshot_older_than_a_week_is_compared_with_itself(org, client_as, frozen):
    # given one snapshot, computed 8 days ago: `scores/` answered with it then as now
    only = stored(org, NOW - timedelta(days=8), **scores(50, 50, 50, 50, 50))
    data = client_as(Role.VIEWER).get(url(org)).json()
    # then over 7 days nothing changed, and over 28 there is nothing to compare with
    assert data["compared_7d"]["snapshot"] == only.pk
    assert (data["alignment"]["change_7d"], data["alignment"]["change_28d"]) == (0.0, None)


def test_a_snapshot_computed_later_for_an_earlier_date_does_not_stand_for_the_past(org, client_as, frozen):
    # given a snapshot computed yesterday for a date 20 days back (a recompute for a past D)
    stored(org, NOW - timedelta(days=1), as_of=(NOW - timedelta(days=20)).date(), **scores(1, 1, 1, 1, 1))
    stored(org, NOW - timedelta(hours=1), **scores(60, 60, 60, 60, 60))
    # then it is no snapshot of 7 days ago: nothing was answered then
    data = client_as(Role.VIEWER).get(url(org)).json()
    assert data["compared_7d"] is None


def test_a_named_snapshot_compares_with_those_before_it_was_computed(org, client_as, frozen):
    # given snapshots 50 and 20 days ago and today
    before = stored(org, NOW - timedelta(days=50), **scores(30, 30, 30, 30, 30))
    named = stored(org, NOW - timedelta(days=20), **scores(45, 45, 45, 45, 45))
    stored(org, NOW, **scores(60, 60, 60, 60, 60))
    # when the one of 20 days ago is read with ?snapshot=
    data = client_as(Role.VIEWER).get(url(org), {"snapshot": named.pk}).json()
    # then it is compared with the latest 7 (and 28) days before its own computation
    assert data["compared_7d"]["snapshot"] == data["compared_28d"]["snapshot"] == before.pk
    assert (data["alignment"]["change_7d"], data["alignment"]["change_28d"]) == (15.0, 15.0)


def test_a_change_of_the_scoring_parameters_is_named(org, client_as, frozen):
    # given a snapshot computed with a 14-day check-in cadence, then the cadence set to 7 days
    stored(org, NOW - timedelta(days=8), checkin_cadence_days=14, **scores(50, 50, 50, 50, 50))
    stored(org, NOW, checkin_cadence_days=7, **scores(57, 57, 57, 57, 57))
    # when the scores are read, then the change says that the settings changed in between
    data = client_as(Role.VIEWER).get(url(org)).json()
    assert data["alignment"]["change_7d"] == 7.0
    assert data["compared_7d"]["parameters_changed"] is True
