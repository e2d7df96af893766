"""The objectives services: every bad input is refused by field, with a specific message, and
writes nothing (no row, no revision, no stale mark)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from objectives.services import (
    initiative_create,
    key_result_create,
    objective_create,
    objective_update,
    task_create,
    task_update,
)
from tests.conftest import person_of
from tests.factories import (
    InitiativeFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
    TeamFactory,
)
from tests.objectives.database import nothing_written

pytestmark = pytest.mark.django_db

MISSING_ID = 987654
NOT_POSITIVE = "Must be greater than 0."
NEGATIVE = "Must not be negative."
END_BEFORE_START = "The end date cannot be before the start date."
REQUIRED = "This field is required."
READ_ONLY = "Unknown or read-only field."
CYCLE = "This would make it its own ancestor: the parent links must form a tree."
BOTH_GOALS = "A task links to an initiative or an objective, not both."


def refused(create, actor, data):
    """Call a service that must refuse; return its errors by field, having checked nothing was written."""
    with nothing_written(), pytest.raises(ValidationError) as raised:
        create(actor=actor, data=data)
    return raised.value.message_dict


FEB, JAN = date(2025, 2, 1), date(2025, 1, 1)

BAD_CREATES = [
    pytest.param(
        objective_create,
        {"title": "T", "priority_weight": Decimal(-1)},
        "priority_weight",
        NOT_POSITIVE,
        id="objective-negative-priority-weight",
    ),
    pytest.param(
        objective_create,
        {"title": "T", "priority_weight": Decimal(0)},
        "priority_weight",
        NOT_POSITIVE,
        id="objective-zero-priority-weight",
    ),
    pytest.param(
        objective_create,
        {"title": "T", "start_date": FEB, "end_date": JAN},
        "end_date",
        END_BEFORE_START,
        id="objective-end-before-start",
    ),
    pytest.param(
        objective_create,
        {"title": "T", "status": "paused"},
        "status",
        "Value 'paused' is not a valid choice.",
        id="objective-unknown-status",
    ),
    pytest.param(objective_create, {}, "title", REQUIRED, id="objective-without-title"),
    pytest.param(
        objective_create,
        {"title": "T", "parent": 5},
        "parent",
        'Cannot assign "5": "Objective.parent" must be a "Objective" instance.',
        id="objective-parent-not-a-row",
    ),
    pytest.param(
        objective_create,
        {"title": "T", "start_date": "someday"},
        "start_date",
        "“someday” value has an invalid date format. It must be in YYYY-MM-DD format.",
        id="objective-start-not-a-date",
    ),
    pytest.param(
        key_result_create,
        {"title": "K", "target_value": 1},
        "objective",
        REQUIRED,
        id="key-result-without-objective",
    ),
    pytest.param(
        initiative_create,
        {"title": "I", "estimate_hours": Decimal("-0.5")},
        "estimate_hours",
        NEGATIVE,
        id="initiative-negative-estimate",
    ),
    pytest.param(
        initiative_create,
        {"title": "I", "start_date": FEB, "end_date": JAN},
        "end_date",
        END_BEFORE_START,
        id="initiative-end-before-start",
    ),
    pytest.param(
        initiative_create,
        {"title": "I", "status": "paused"},
        "status",
        "Value 'paused' is not a valid choice.",
        id="initiative-unknown-status",
    ),
    pytest.param(
        task_create,
        {"title": "X", "effort_hours": Decimal(-1)},
        "effort_hours",
        NEGATIVE,
        id="task-negative-effort",
    ),
    pytest.param(
        task_create,
        {"title": "X", "status": "paused"},
        "status",
        "Value 'paused' is not a valid choice.",
        id="task-unknown-status",
    ),
    pytest.param(task_create, {"status": "todo"}, "title", REQUIRED, id="task-without-title"),
]


@pytest.mark.parametrize(("create", "data", "field", "message"), BAD_CREATES)
def test_a_bad_create_is_refused_by_field_and_writes_nothing(executive, create, data, field, message):
    errors = refused(create, executive, data)
    assert errors[field] == [message]


def test_a_key_result_needs_a_positive_weight(executive, org):
    objective = ObjectiveFactory(organization=org)
    for weight in (Decimal(0), Decimal(-1)):
        errors = refused(
            key_result_create,
            executive,
            {"objective": objective, "title": "K", "target_value": 1, "weight": weight},
        )
        assert errors == {"weight": [NOT_POSITIVE]}


def test_a_task_linked_to_both_an_initiative_and_an_objective_is_refused(executive, org):
    data = {
        "title": "Both",
        "initiative": InitiativeFactory(organization=org),
        "objective": ObjectiveFactory(organization=org),
    }
    assert refused(task_create, executive, data) == {"objective": [BOTH_GOALS]}


def test_a_task_cannot_gain_a_second_goal_by_update(executive, org):
    task = TaskFactory(organization=org, initiative=InitiativeFactory(organization=org))
    objective = ObjectiveFactory(organization=org)
    with nothing_written(), pytest.raises(ValidationError) as raised:
        task_update(actor=executive, task=task, data={"objective": objective})
    assert raised.value.message_dict == {"objective": [BOTH_GOALS]}


@pytest.mark.parametrize(
    ("field", "read_only"),
    [
        ("colour", "an unknown field"),
        ("id", "the id"),
        ("organization", "the organization"),
        ("organization_id", "the organization by id"),
        ("version", "the version"),
        ("created_at", "a timestamp"),
        ("updated_at", "a timestamp"),
    ],
)
def test_unknown_and_read_only_fields_are_refused(executive, other_org, field, read_only):
    value = other_org if field == "organization" else 1
    errors = refused(objective_create, executive, {"title": "T", field: value})
    assert errors == {field: [READ_ONLY]}, read_only


def test_read_only_fields_are_refused_on_update_too(executive, org):
    objective = ObjectiveFactory(organization=org)
    with nothing_written(), pytest.raises(ValidationError) as raised:
        objective_update(actor=executive, objective=objective, data={"version": 7, "title": "New"})
    assert raised.value.message_dict == {"version": [READ_ONLY]}


def test_every_error_of_one_input_is_reported_at_once(executive):
    errors = refused(objective_create, executive, {"title": "", "priority_weight": 0, "status": "x"})
    assert set(errors) == {"title", "priority_weight", "status"}


# --- the objective tree --------------------------------------------------------------------------


def test_an_objective_cannot_be_its_own_parent(executive, org):
    objective = ObjectiveFactory(organization=org)
    with nothing_written(), pytest.raises(ValidationError) as raised:
        objective_update(actor=executive, objective=objective, data={"parent": objective})
    assert raised.value.message_dict == {"parent": [CYCLE]}


def test_an_objective_cannot_move_below_its_own_descendant(executive, org):
    # given the chain root ← middle ← leaf
    root = ObjectiveFactory(organization=org)
    middle = ObjectiveFactory(organization=org, parent=root)
    leaf = ObjectiveFactory(organization=org, parent=middle)
    # when the root is put below the leaf (by id), then that is refused: it would make a cycle
    with nothing_written(), pytest.raises(ValidationError) as raised:
        objective_update(actor=executive, objective=root, data={"parent_id": leaf.pk})
    assert raised.value.message_dict == {"parent": [CYCLE]}


def test_an_objective_moves_to_another_branch(executive, org):
    root = ObjectiveFactory(organization=org)
    other_root = ObjectiveFactory(organization=org)
    child = ObjectiveFactory(organization=org, parent=root)
    moved = objective_update(actor=executive, objective=child, data={"parent": other_root})
    assert moved.parent == other_root


# --- links into another organization: refused exactly like links to nothing ----------------------


def _theirs(other_org, kind):
    return {
        "objective": lambda: ObjectiveFactory(organization=other_org),
        "initiative": lambda: InitiativeFactory(organization=other_org),
        "team": lambda: TeamFactory(organization=other_org),
        "person": lambda: PersonFactory(organization=other_org),
    }[kind]()


FOREIGN_LINKS = [
    pytest.param(objective_create, {"title": "T"}, "parent", "objective", id="objective-parent"),
    pytest.param(objective_create, {"title": "T"}, "team", "team", id="objective-team"),
    pytest.param(objective_create, {"title": "T"}, "owner", "person", id="objective-owner"),
    pytest.param(
        key_result_create,
        {"title": "K", "target_value": 1},
        "objective",
        "objective",
        id="key-result-objective",
    ),
    pytest.param(initiative_create, {"title": "I"}, "objective", "objective", id="initiative-objective"),
    pytest.param(initiative_create, {"title": "I"}, "team", "team", id="initiative-team"),
    pytest.param(initiative_create, {"title": "I"}, "owner", "person", id="initiative-owner"),
    pytest.param(task_create, {"title": "X"}, "initiative", "initiative", id="task-initiative"),
    pytest.param(task_create, {"title": "X"}, "objective", "objective", id="task-objective"),
    pytest.param(task_create, {"title": "X"}, "team", "team", id="task-team"),
    pytest.param(task_create, {"title": "X"}, "assignee", "person", id="task-assignee"),
]


@pytest.mark.parametrize(("create", "data", "field", "kind"), FOREIGN_LINKS)
@pytest.mark.parametrize("by_id", [False, True], ids=["as-row", "as-id"])
def test_a_link_into_another_organization_reads_like_a_link_to_nothing(
    executive, other_org, create, data, field, kind, by_id
):
    # given a row of another organization
    theirs = _theirs(other_org, kind)
    # when it is linked, and when an id that exists nowhere is linked
    link = {f"{field}_id": theirs.pk} if by_id else {field: theirs}
    foreign = refused(create, executive, {**data, **link})
    missing = refused(create, executive, {**data, f"{field}_id": MISSING_ID})
    # then both are refused on that field with the same words: the other row is never revealed
    assert set(foreign) == set(missing) == {field}
    assert foreign[field][0].replace(str(theirs.pk), "N") == missing[field][0].replace(str(MISSING_ID), "N")
    assert foreign[field][0].endswith(f"instance with id {theirs.pk} is not a valid choice.")


def test_an_owner_who_is_not_in_the_organization_is_refused_on_update(executive, org, other_org):
    # given an objective, and a person who belongs to another organization
    objective = ObjectiveFactory(organization=org)
    outsider = PersonFactory(organization=other_org)
    # when they are made its owner, then that is refused and nothing changes
    with nothing_written(), pytest.raises(ValidationError) as raised:
        objective_update(actor=executive, objective=objective, data={"owner": outsider})
    assert set(raised.value.message_dict) == {"owner"}


def test_an_owner_in_the_organization_is_accepted(executive, org):
    owner = person_of(executive)
    objective = objective_create(actor=executive, data={"title": "Grow", "owner": owner})
    assert objective.owner == owner
