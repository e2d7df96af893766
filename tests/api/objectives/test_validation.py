"""Bad input to objectives/, key-results/, initiatives/ and tasks/ answers 400 field by field and
writes nothing (no row, no revision, no stale mark)."""

import datetime

import pytest

from tests.api.resources.support import client_for, url
from tests.factories import InitiativeFactory, ObjectiveFactory, PersonFactory, TaskFactory
from tests.objectives.database import nothing_written

pytestmark = pytest.mark.django_db

MISSING = 987654321
NEGATIVE = "Ensure this value is greater than or equal to 0."
NOT_POSITIVE = "Must be greater than 0."
END_BEFORE_START = "The end date cannot be before the start date."
BOTH_GOALS = "A task links to an initiative or an objective, not both."
CYCLE = "This would make it its own ancestor: the parent links must form a tree."
REQUIRED = "This field is required."


def _missing(pk):
    return f'Invalid pk "{pk}" - object does not exist.'


def _unknown(status):
    return f'"{status}" is not a valid choice.'


@pytest.fixture
def client(admin):
    return client_for(admin)


@pytest.mark.parametrize(
    ("path", "body", "errors"),
    [
        ("objectives", {}, {"title": [REQUIRED]}),
        ("objectives", {"title": "Win", "status": "paused"}, {"status": [_unknown("paused")]}),
        ("objectives", {"title": "Win", "priority_weight": "0"}, {"priority_weight": [NOT_POSITIVE]}),
        ("objectives", {"title": "Win", "priority_weight": "-2"}, {"priority_weight": [NOT_POSITIVE]}),
        (
            "objectives",
            {"title": "Win", "start_date": "2027-03-01", "end_date": "2027-02-28"},
            {"end_date": [END_BEFORE_START]},
        ),
        ("objectives", {"title": "Win", "owner": MISSING}, {"owner": [_missing(MISSING)]}),
        ("objectives", {"title": "Win", "parent": MISSING}, {"parent": [_missing(MISSING)]}),
        (
            "objectives",
            {"title": "Win", "status": "paused", "priority_weight": "0", "start_date": "soon"},
            {
                "status": [_unknown("paused")],
                "priority_weight": [NOT_POSITIVE],
                "start_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
            },
        ),
        ("key-results", {"title": "KR"}, {"objective": [REQUIRED], "target_value": [REQUIRED]}),
        (
            "key-results",
            {"title": "KR", "objective": MISSING, "target_value": "1"},
            {"objective": [_missing(MISSING)]},
        ),
        (
            "key-results",
            {"title": "KR", "objective": "growth_objective", "target_value": "1", "weight": "0"},
            {"weight": [NOT_POSITIVE]},
        ),
        (
            "key-results",
            {"title": "KR", "objective": "growth_objective", "target_value": "lots"},
            {"target_value": ["A valid number is required."]},
        ),
        ("initiatives", {"title": "Do", "estimate_hours": "-1"}, {"estimate_hours": [NEGATIVE]}),
        ("initiatives", {"title": "Do", "status": "paused"}, {"status": [_unknown("paused")]}),
        (
            "initiatives",
            {"title": "Do", "start_date": "2027-03-01", "end_date": "2027-01-31"},
            {"end_date": [END_BEFORE_START]},
        ),
        ("initiatives", {"title": "Do", "owner": MISSING}, {"owner": [_missing(MISSING)]}),
        ("tasks", {"title": "Do", "effort_hours": "-0.5"}, {"effort_hours": [NEGATIVE]}),
        ("tasks", {"title": "Do", "status": "paused"}, {"status": [_unknown("paused")]}),
        (
            "tasks",
            {"title": "Do", "initiative": "growth_initiative", "objective": "growth_objective"},
            {"objective": [BOTH_GOALS]},
        ),
        ("tasks", {"title": "Do", "assignee": MISSING}, {"assignee": [_missing(MISSING)]}),
        ("tasks", {"title": "Do", "external_url": "not a link"}, {"external_url": ["Enter a valid URL."]}),
        (
            "tasks",
            {"title": "Do", "completed_at": "yesterday"},
            {
                "completed_at": [
                    "Datetime has wrong format. Use one of these formats instead: "
                    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                ]
            },
        ),
        ("tasks", {"effort_hours": "2"}, {"title": [REQUIRED]}),
    ],
)
def test_a_bad_row_is_refused_field_by_field(org, client, request, path, body, errors):
    # given a body whose links name real rows where the case needs them
    body = {
        name: request.getfixturevalue(value).pk
        if isinstance(value, str) and value.startswith("growth_")
        else value
        for name, value in body.items()
    }
    # when an admin creates a row from bad input
    with nothing_written():
        response = client.post(url(org, f"{path}/"), body, format="json")
    # then each bad field is named with its message, and nothing is written
    assert (response.status_code, response.json()) == (400, errors)


def test_a_person_of_another_organization_cannot_own_an_objective(org, other_org, client):
    # given a person of Globex
    stranger = PersonFactory(organization=other_org, name="Stranger")
    # when an admin of Acme makes them the owner of an objective
    with nothing_written():
        response = client.post(url(org, "objectives/"), {"title": "Win", "owner": stranger.pk}, format="json")
    # then the owner is refused as if no such person existed
    assert (response.status_code, response.json()) == (400, {"owner": [_missing(stranger.pk)]})


def test_an_objective_cannot_become_its_own_ancestor(org, client):
    # given Grow above Grow EU above Grow Berlin
    grow = ObjectiveFactory(organization=org, title="Grow")
    grow_eu = ObjectiveFactory(organization=org, title="Grow EU", parent=grow)
    berlin = ObjectiveFactory(organization=org, title="Grow Berlin", parent=grow_eu)
    # when an admin puts Grow below Grow Berlin, and Grow EU below itself
    with nothing_written():
        below_descendant = client.patch(
            url(org, f"objectives/{grow.pk}/"), {"parent": berlin.pk}, format="json"
        )
        below_itself = client.patch(
            url(org, f"objectives/{grow_eu.pk}/"), {"parent": grow_eu.pk}, format="json"
        )
    # then both cycles are refused on `parent`, and nothing changes
    assert (below_descendant.status_code, below_descendant.json()) == (400, {"parent": [CYCLE]})
    assert (below_itself.status_code, below_itself.json()) == (400, {"parent": [CYCLE]})


def test_errors_across_fields_come_together(org, client):
    # given Grow (January to June) above Grow EU
    grow = ObjectiveFactory(
        organization=org,
        title="Grow",
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 6, 30),
    )
    grow_eu = ObjectiveFactory(organization=org, title="Grow EU", parent=grow)
    # when an admin moves Grow below Grow EU and ends it before it starts
    with nothing_written():
        response = client.patch(
            url(org, f"objectives/{grow.pk}/"),
            {"parent": grow_eu.pk, "end_date": "2026-12-31"},
            format="json",
        )
    # then both are named at once
    assert (response.status_code, response.json()) == (
        400,
        {"end_date": [END_BEFORE_START], "parent": [CYCLE]},
    )


@pytest.mark.parametrize("path", ["objectives", "initiatives"])
def test_a_new_end_before_the_stored_start_is_refused(org, client, path):
    # given a row that starts in March
    factory = ObjectiveFactory if path == "objectives" else InitiativeFactory
    row = factory(organization=org, start_date=datetime.date(2027, 3, 1))
    # when an admin changes only its end, to February
    with nothing_written():
        response = client.patch(url(org, f"{path}/{row.pk}/"), {"end_date": "2027-02-01"}, format="json")
    # then the end is refused against the start it already has
    assert (response.status_code, response.json()) == (400, {"end_date": [END_BEFORE_START]})


def test_a_task_of_an_initiative_cannot_also_serve_an_objective(
    org, client, growth_initiative, growth_objective
):
    # given a task of an initiative
    task = TaskFactory(organization=org, initiative=growth_initiative)
    # when an admin links it to an objective too
    with nothing_written():
        response = client.patch(
            url(org, f"tasks/{task.pk}/"), {"objective": growth_objective.pk}, format="json"
        )
    # then it is refused on `objective` and the task keeps its one link
    assert (response.status_code, response.json()) == (400, {"objective": [BOTH_GOALS]})


@pytest.mark.parametrize("path", ["tasks", "initiatives"])
def test_a_negative_change_is_refused(org, client, path):
    # given a task with an effort and an initiative with an estimate
    row = (
        TaskFactory(organization=org, effort_hours=2)
        if path == "tasks"
        else InitiativeFactory(organization=org)
    )
    field = "effort_hours" if path == "tasks" else "estimate_hours"
    # when an admin makes it negative
    with nothing_written():
        response = client.patch(url(org, f"{path}/{row.pk}/"), {field: "-1"}, format="json")
    # then it is refused on that field
    assert (response.status_code, response.json()) == (400, {field: [NEGATIVE]})


def test_a_second_task_with_the_same_external_key_is_refused(org, client):
    # given a task imported as ACME-1
    TaskFactory(organization=org, external_key="ACME-1")
    # when an admin creates another ACME-1
    with nothing_written():
        response = client.post(
            url(org, "tasks/"), {"title": "Again", "external_key": "ACME-1"}, format="json"
        )
    # then it is refused on `external_key`, and there is still one
    assert (response.status_code, response.json()) == (
        400,
        {"external_key": ["A task with this external key already exists."]},
    )


def test_a_task_keeps_its_own_external_key(org, client):
    # given a task imported as ACME-1
    task = TaskFactory(organization=org, external_key="ACME-1")
    # when an admin sends it back with the same key
    response = client.patch(
        url(org, f"tasks/{task.pk}/"), {"external_key": "ACME-1", "status": "done"}, format="json"
    )
    # then it is not a duplicate of itself
    assert (response.status_code, response.json()["external_key"]) == (200, "ACME-1")


@pytest.mark.parametrize(
    ("child", "message"),
    [
        ("objective", "This objective still has 1 child objective: move or delete them first."),
        ("initiative", "This objective still has 1 initiative: move or delete them first."),
    ],
)
def test_an_objective_with_rows_below_it_is_not_deleted(org, client, child, message):
    # given an objective with a child objective or an initiative
    grow = ObjectiveFactory(organization=org, title="Grow")
    if child == "objective":
        ObjectiveFactory(organization=org, parent=grow)
    else:
        InitiativeFactory(organization=org, objective=grow)
    # when an admin deletes it
    with nothing_written():
        response = client.delete(url(org, f"objectives/{grow.pk}/"))
    # then it is refused with what is still below it
    assert (response.status_code, response.json()) == (400, {"non_field_errors": [message]})


@pytest.mark.parametrize(
    ("path", "field"), [("objectives", "progress"), ("objectives", "progress_status"), ("tasks", "version")]
)
def test_read_only_fields_are_not_written(org, client, path, field):
    # given a row
    row = ObjectiveFactory(organization=org) if path == "objectives" else TaskFactory(organization=org)
    # when an admin sends a value for a read-only field
    response = client.patch(
        url(org, f"{path}/{row.pk}/"), {field: "on_track" if "status" in field else 7}, format="json"
    )
    # then it is ignored
    assert response.status_code == 200
    assert response.json()[field] == (None if path == "objectives" else 2)
