"""Every create, change and delete of an objective, key result or initiative leaves a revision:
who, when, why, and the values before and after."""

from decimal import Decimal

import pytest
from django.utils import timezone

from objectives.models import Initiative, KeyResult, Objective
from objectives.services import (
    initiative_create,
    initiative_delete,
    initiative_update,
    key_result_create,
    key_result_delete,
    key_result_update,
    objective_create,
    objective_delete,
    objective_update,
)
from tests.factories import KeyResultFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

PLAN = {
    "objective": {
        "model": Objective,
        "create": objective_create,
        "update": objective_update,
        "delete": objective_delete,
        "data": lambda org: {"title": "Grow", "priority_weight": Decimal(1)},
        "change": {"title": "Grow faster", "priority_weight": Decimal(3)},
    },
    "key_result": {
        "model": KeyResult,
        "create": key_result_create,
        "update": key_result_update,
        "delete": key_result_delete,
        "data": lambda org: {
            "objective": ObjectiveFactory(organization=org),
            "title": "Revenue",
            "target_value": Decimal(100),
        },
        "change": {"current_value": Decimal(40), "unit": "k€"},
    },
    "initiative": {
        "model": Initiative,
        "create": initiative_create,
        "update": initiative_update,
        "delete": initiative_delete,
        "data": lambda org: {"title": "Launch", "status": "proposed"},
        "change": {"status": "active", "estimate_hours": Decimal(120)},
    },
}
KINDS = list(PLAN)


@pytest.mark.parametrize("kind", KINDS)
def test_a_create_is_recorded_with_who_when_and_why(executive, org, kind):
    spec = PLAN[kind]
    # when a row is created with a reason
    before = timezone.now()
    row = spec["create"](actor=executive, data=spec["data"](org), reason="planned at the offsite")
    after = timezone.now()
    # then one revision records it: a creation, by the executive, now, with that reason and the values
    record = row.history.get()
    assert record.history_type == "+"
    assert record.history_user == executive.user
    assert before <= record.history_date <= after
    assert record.history_change_reason == "planned at the offsite"
    assert record.organization_id == org.pk
    assert record.instance == row


@pytest.mark.parametrize("kind", KINDS)
def test_a_change_is_recorded_with_the_values_before_and_after(executive, org, kind):
    spec = PLAN[kind]
    # given a row as created
    row = spec["create"](actor=executive, data=spec["data"](org), reason="planned")
    created = {field: getattr(row, field) for field in spec["change"]}
    # when it is changed, with a reason
    spec["update"](actor=executive, data=spec["change"], reason="re-planned", **{kind: row})
    # then the newest revision is a change by the executive, and against the one before it shows
    # exactly the changed fields with their old and new values
    latest, previous = row.history.all()[:2]
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        executive.user,
        "re-planned",
    )
    diff = latest.diff_against(previous)
    assert {(change.field, change.old, change.new) for change in diff.changes} == {
        (field, created[field], value) for field, value in spec["change"].items()
    }
    assert (previous.version, latest.version) == (1, 2)


@pytest.mark.parametrize("kind", KINDS)
def test_a_delete_is_recorded_with_who_why_and_the_last_values(executive, org, kind):
    spec = PLAN[kind]
    model = spec["model"]
    row = spec["create"](actor=executive, data=spec["data"](org), reason="planned")
    pk = row.pk
    # when it is deleted, with a reason
    spec["delete"](actor=executive, reason="dropped in review", **{kind: row})
    # then a deletion revision keeps who, why and the values it had
    record = model.history.filter(id=pk).latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "-",
        executive.user,
        "dropped in review",
    )
    assert record.title == row.title
    assert not model.objects.filter(pk=pk).exists()
    assert [r.history_type for r in model.history.filter(id=pk)] == ["-", "+"]


def test_the_key_results_deleted_with_their_objective_are_recorded_with_who_and_why(executive, org):
    # given an objective with a key result
    objective = ObjectiveFactory(organization=org)
    key_result = KeyResultFactory(organization=org, objective=objective)
    # when the objective is deleted
    objective_delete(actor=executive, objective=objective, reason="merged into another goal", cascade=True)
    # then the key result's deletion is recorded too, by the same person, for the same reason
    record = KeyResult.history.filter(id=key_result.pk).latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "-",
        executive.user,
        "merged into another goal",
    )


def test_each_change_is_one_revision(executive, org):
    objective = objective_create(actor=executive, data={"title": "A"})
    for title in ("B", "C"):
        objective = objective_update(actor=executive, objective=objective, data={"title": title})
    assert [(r.history_type, r.title, r.version) for r in objective.history.all()] == [
        ("~", "C", 3),
        ("~", "B", 2),
        ("+", "A", 1),
    ]
