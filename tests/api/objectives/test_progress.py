"""An objective's `progress` and `progress_status` are those of the organization's latest score
snapshot (the newest computed), and null where that snapshot has nothing for it."""

import datetime

import pytest
from django.utils import timezone

from tests.api.resources.support import client_for, url
from tests.factories import ObjectiveFactory

pytestmark = pytest.mark.django_db

MONDAY = timezone.make_aware(datetime.datetime(2027, 1, 4, 6, 0))


@pytest.fixture
def client(admin):
    return client_for(admin)


def _progress(response):
    assert response.status_code in (200, 201), response.json()
    body = response.json()
    return body["progress"], body["progress_status"]


def test_before_the_first_snapshot_progress_is_null(org, client):
    # given an objective and no snapshot yet
    grow = ObjectiveFactory(organization=org)
    # when a client lists the objectives and reads it
    listed = client.get(url(org, "objectives/")).json()["results"][0]
    # then its progress is undefined, not 0
    assert (listed["progress"], listed["progress_status"]) == (None, None)
    assert _progress(client.get(url(org, f"objectives/{grow.pk}/"))) == (None, None)


def test_progress_comes_from_the_latest_computed_snapshot(org, client, snapshot):
    # given a snapshot computed on Monday and a later one computed on Tuesday (for an earlier date)
    grow = ObjectiveFactory(organization=org)
    snapshot(org, {grow: (0.8, "on_track")}, computed_at=MONDAY)
    later = snapshot(org, {grow: (0.3, "at_risk")}, computed_at=MONDAY + datetime.timedelta(days=1))
    type(later).objects.filter(pk=later.pk).update(as_of=datetime.date(2026, 12, 1))
    # when a client lists the objectives and reads it
    listed = client.get(url(org, "objectives/")).json()["results"][0]
    # then both show the progress of the newest computed snapshot
    assert (listed["progress"], listed["progress_status"]) == (0.3, "at_risk")
    assert _progress(client.get(url(org, f"objectives/{grow.pk}/"))) == (0.3, "at_risk")


def test_an_objective_newer_than_the_snapshot_has_no_progress_yet(org, client, snapshot):
    # given a snapshot of one objective, and an objective added since
    grow = ObjectiveFactory(organization=org)
    snapshot(org, {grow: (0.5, "behind")})
    ship = ObjectiveFactory(organization=org)
    # when a client lists the objectives
    rows = {row["id"]: row for row in client.get(url(org, "objectives/")).json()["results"]}
    # then the new one's progress is null, the other's is the snapshot's
    assert (rows[ship.pk]["progress"], rows[ship.pk]["progress_status"]) == (None, None)
    assert (rows[grow.pk]["progress"], rows[grow.pk]["progress_status"]) == (0.5, "behind")


def test_an_objective_without_dates_has_progress_but_no_status(org, client, snapshot):
    # given a snapshot in which the objective has progress but no status (it has no dates)
    grow = ObjectiveFactory(organization=org)
    snapshot(org, {grow: (0.4, "")})
    # when a client reads it
    # then its progress is given and its status is null (never an empty string outside the enum)
    assert _progress(client.get(url(org, f"objectives/{grow.pk}/"))) == (0.4, None)


def test_a_changed_objective_answers_with_its_progress(org, client, snapshot):
    # given an objective with progress in the latest snapshot
    grow = ObjectiveFactory(organization=org, title="Grow")
    snapshot(org, {grow: (0.6, "on_track")})
    # when an admin renames it
    response = client.patch(url(org, f"objectives/{grow.pk}/"), {"title": "Grow faster"}, format="json")
    # then the answer shows the new title with the snapshot's progress
    assert response.json()["title"] == "Grow faster"
    assert _progress(response) == (0.6, "on_track")


def test_a_created_objective_answers_with_no_progress_yet(org, client, snapshot):
    # given a snapshot of another objective
    snapshot(org, {ObjectiveFactory(organization=org): (0.6, "on_track")})
    # when an admin creates an objective
    response = client.post(url(org, "objectives/"), {"title": "Win EMEA"}, format="json")
    # then it has no progress until the next snapshot
    assert _progress(response) == (None, None)


def test_reading_an_objective_costs_two_queries_with_its_progress(
    org, client, snapshot, django_assert_max_num_queries
):
    # given an objective with progress in the latest snapshot
    grow = ObjectiveFactory(organization=org)
    snapshot(org, {grow: (0.6, "on_track")})
    # when a client reads it: the membership, then the row with its progress
    with django_assert_max_num_queries(2):
        response = client.get(url(org, f"objectives/{grow.pk}/"))
    # then the progress is there
    assert _progress(response) == (0.6, "on_track")
