"""Node lists page by keyset within one snapshot: a recompute landing between two pages does not mix
them; `?snapshot=` reads an earlier one (its id comes from history/)."""

from datetime import date
from decimal import Decimal

import pytest

from execgap.models import Role
from tests.api.scores.conftest import snapshot_of, url
from tests.factories import ObjectiveFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_the_next_page_stays_in_the_snapshot_of_the_first(org, client_as):
    # given 5 objectives scored
    for number in range(5):
        ObjectiveFactory(organization=org, title=f"goal {number}")
    first_snapshot = snapshot_of(org, date(2027, 1, 1))
    client = client_as(Role.VIEWER)
    # when a client reads the first page, a recompute lands, and the client follows `next`
    first = client.get(url(org, "objectives/"), {"page_size": 2}).json()
    snapshot_of(org, date(2027, 1, 2))
    pages = [first]
    while pages[-1]["next"]:
        pages.append(client.get(pages[-1]["next"]).json())
    # then every row came from the first snapshot, each objective once
    rows = [row for page in pages for row in page["results"]]
    assert {row["snapshot"] for row in rows} == {first_snapshot.pk}
    assert [row["title"] for row in rows] == [f"goal {number}" for number in range(5)]
    assert f"snapshot={first_snapshot.pk}" in first["next"]


def test_an_earlier_snapshot_is_read_by_its_id(org, client_as):
    # given a snapshot where the only task is aligned, then one where it is orphan
    root = ObjectiveFactory(organization=org, title="root")
    task = TaskFactory(organization=org, objective=root, effort_hours=Decimal(3))
    earlier = snapshot_of(org, date(2027, 1, 1))
    task.objective = None
    task.save()
    later = snapshot_of(org, date(2027, 1, 2))
    client = client_as(Role.VIEWER)
    # when each is read by its id (as history/ lists them), then each says what it said then
    history = client.get(url(org, "history/")).json()
    assert [row["snapshot"] for row in history] == [earlier.pk, later.pk]
    assert client.get(url(org), {"snapshot": earlier.pk}).json()["alignment"]["score"] == 100
    assert client.get(url(org), {"snapshot": later.pk}).json()["alignment"]["score"] == 0
    assert client.get(url(org)).json()["snapshot"] == later.pk
    rows = client.get(url(org, "objectives/"), {"snapshot": earlier.pk}).json()["results"]
    assert [(row["title"], row["aligned_effort"]) for row in rows] == [("root", 3)]


@pytest.mark.parametrize("bad", ["latest", "-1", "1.5", "99999999999999999999", "\u00b2", "\u0661\u0662"])
@pytest.mark.parametrize("path", ["", "objectives/", "drivers/"])
def test_a_snapshot_that_is_not_an_id_is_400(org, client_as, path, bad):
    response = client_as(Role.VIEWER).get(url(org, path), {"snapshot": bad})
    assert response.status_code == 400
    assert response.json() == {"snapshot": ["A snapshot id is a whole number."]}
