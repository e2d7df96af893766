"""scores/history/?from=&to=: one row per date (the latest computed for it), oldest first; bad dates 400."""

from datetime import date
from decimal import Decimal

import pytest

from execgap.models import Role
from tests.api.scores.conftest import snapshot_of, url
from tests.factories import ObjectiveFactory, TaskFactory

pytestmark = pytest.mark.django_db

DATE_ERROR = ["Enter a date as YYYY-MM-DD."]


@pytest.fixture
def history(org):
    """Snapshots for Jan 1 (twice: 100, then 50 after an orphan task lands), Jan 2 and Jan 3."""
    root = ObjectiveFactory(organization=org)
    TaskFactory(organization=org, objective=root, effort_hours=Decimal(4))
    first = snapshot_of(org, date(2027, 1, 1))
    TaskFactory(organization=org, effort_hours=Decimal(4))
    return {
        "jan1_first": first,
        "jan1": snapshot_of(org, date(2027, 1, 1)),
        "jan3": snapshot_of(org, date(2027, 1, 3)),
        "jan2": snapshot_of(org, date(2027, 1, 2)),
    }


def test_one_row_per_date_the_latest_computed_for_it_oldest_first(org, client_as, history):
    # when the whole history is read
    response = client_as(Role.VIEWER).get(url(org, "history/"))
    # then Jan 1 appears once, as recomputed last (50, not 100), and the dates are in order
    assert response.status_code == 200
    rows = response.json()
    assert [(row["as_of"], row["snapshot"]) for row in rows] == [
        ("2027-01-01", history["jan1"].pk),
        ("2027-01-02", history["jan2"].pk),
        ("2027-01-03", history["jan3"].pk),
    ]
    assert rows[0]["alignment"] == 50
    assert set(rows[0]) == {
        "snapshot", "as_of", "computed_at", "execution_health", "alignment", "resources", "adaptability",
        "people",
    }  # fmt: skip
    assert rows[0]["resources"] == 0  # the root has no active initiative: defined, and 0
    assert rows[0]["people"] == 0  # the root has no owner; nobody owns, so participation is undefined


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"from": "2027-01-02"}, ["2027-01-02", "2027-01-03"]),
        ({"to": "2027-01-02"}, ["2027-01-01", "2027-01-02"]),
        ({"from": "2027-01-02", "to": "2027-01-02"}, ["2027-01-02"]),
        ({"from": "2027-01-04"}, []),
        ({"from": "", "to": ""}, ["2027-01-01", "2027-01-02", "2027-01-03"]),
    ],
)
def test_a_range_holds_both_ends(org, client_as, history, query, expected):
    rows = client_as(Role.VIEWER).get(url(org, "history/"), query).json()
    assert [row["as_of"] for row in rows] == expected


@pytest.mark.parametrize(
    "bad",
    [
        "yesterday",
        "2027-13-01",
        "2027-02-30",
        "2027-1-1",
        "20270101",
        "2027-01-01T00",
        "\u0662\u0660\u0662\u0667-\u0660\u0661-\u0660\u0661",
    ],
)
@pytest.mark.parametrize("name", ["from", "to"])
def test_a_bad_date_is_400_naming_it(org, client_as, history, name, bad):
    response = client_as(Role.VIEWER).get(url(org, "history/"), {name: bad})
    assert response.status_code == 400
    assert response.json() == {name: DATE_ERROR}


def test_to_before_from_is_400(org, client_as, history):
    response = client_as(Role.VIEWER).get(url(org, "history/"), {"from": "2027-01-03", "to": "2027-01-01"})
    assert response.status_code == 400
    assert response.json() == {"to": ["Must not be before `from`."]}
