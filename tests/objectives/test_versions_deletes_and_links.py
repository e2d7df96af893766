"""The objectives services: versions, deletes and links to goals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from execgap.services import StaleVersionError
from objectives.models import Initiative, KeyResult, Objective, Task
from objectives.services import (
    initiative_delete,
    initiative_update,
    key_result_delete,
    key_result_update,
    objective_create,
    objective_delete,
    objective_update,
    task_delete,
    task_link_to_goal,
    task_update,
    tasks_link_to_goal,
)
from tests.conftest import person_of
from tests.factories import (
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
)
from tests.objectives.database import nothing_written

pytestmark = pytest.mark.django_db

MISSING_ID = 987654


# --- optimistic concurrency ----------------------------------------------------------------------


def test_each_change_adds_one_to_the_version(executive):
    # given a new objective
    objective = objective_create(actor=executive, data={"title": "Grow"})
    assert objective.version == 1
    # when it is changed twice, each time from the version just read
    objective = objective_update(
        actor=executive, objective=objective, data={"title": "A"}, expected_version=1
    )
    objective = objective_update(
        actor=executive, objective=objective, data={"title": "B"}, expected_version=2
    )
    # then each change added one
    assert objective.version == 3
    assert Objective.objects.get(pk=objective.pk).version == 3


def test_an_edit_of_a_stale_version_is_refused_and_changes_nothing(executive, org):
    # given an objective that someone else changed since it was read at version 1
    objective = ObjectiveFactory(organization=org, title="Grow")
    objective_update(actor=executive, objective=objective, data={"title": "Grow faster"})
    # when the stale edit arrives
    with nothing_written(), pytest.raises(StaleVersionError) as raised:
        objective_update(actor=executive, objective=objective, data={"title": "Shrink"}, expected_version=1)
    # then it is refused with both versions, and the other change stands
    assert (raised.value.expected, raised.value.current) == (1, 2)
    assert Objective.objects.get(pk=objective.pk).title == "Grow faster"


@pytest.mark.parametrize(
    ("kind", "make", "update", "delete", "data"),
    [
        pytest.param(
            "key_result",
            KeyResultFactory,
            key_result_update,
            key_result_delete,
            {"current_value": 5},
            id="key-result",
        ),
        pytest.param(
            "initiative",
            InitiativeFactory,
            initiative_update,
            initiative_delete,
            {"status": "done"},
            id="initiative",
        ),
        pytest.param("task", TaskFactory, task_update, task_delete, {"status": "done"}, id="task"),
        pytest.param(
            "objective",
            ObjectiveFactory,
            objective_update,
            objective_delete,
            {"status": "achieved"},
            id="objective",
        ),
    ],
)
def test_stale_updates_and_deletes_are_refused(executive, org, kind, make, update, delete, data):
    # given a row at version 2
    row = make(organization=org, version=2)
    # when it is changed or deleted by someone who read version 1, then both are refused
    with nothing_written():
        with pytest.raises(StaleVersionError):
            update(actor=executive, data=data, expected_version=1, **{kind: row})
        with pytest.raises(StaleVersionError):
            delete(actor=executive, expected_version=1, **{kind: row})
    # and with the current version both succeed, the change adding one
    assert update(actor=executive, data=data, expected_version=2, **{kind: row}).version == 3
    delete(actor=executive, expected_version=3, **{kind: row})
    assert not type(row).objects.filter(pk=row.pk).exists()


# --- deleting ------------------------------------------------------------------------------------


def test_an_objective_with_child_objectives_cannot_be_deleted(executive, org):
    parent = ObjectiveFactory(organization=org)
    ObjectiveFactory.create_batch(2, organization=org, parent=parent)
    with nothing_written(), pytest.raises(ValidationError) as raised:
        objective_delete(actor=executive, objective=parent)
    assert raised.value.messages == [
        "This objective still has 2 child objectives: move or delete them first."
    ]


def test_an_objective_with_initiatives_cannot_be_deleted(executive, org):
    objective = ObjectiveFactory(organization=org)
    InitiativeFactory(organization=org, objective=objective)
    ObjectiveFactory(organization=org, parent=objective)
    with nothing_written(), pytest.raises(ValidationError) as raised:
        objective_delete(actor=executive, objective=objective, cascade=True)
    assert raised.value.messages == [
        "This objective still has 1 child objective and 1 initiative: move or delete them first."
    ]


def test_deleting_an_objective_deletes_its_key_results_and_unlinks_its_tasks(executive, org):
    # given an objective with a key result and a task linked to it
    objective = ObjectiveFactory(organization=org)
    KeyResultFactory(organization=org, objective=objective)
    task = TaskFactory(organization=org, objective=objective)
    # when it is deleted
    objective_delete(actor=executive, objective=objective, cascade=True)
    # then its key results go with it, and the task stays, an orphan
    assert not KeyResult.objects.for_org(org).exists()
    task.refresh_from_db()
    assert task.objective is None


def test_deleting_an_initiative_unlinks_its_tasks(executive, org):
    initiative = InitiativeFactory(organization=org)
    task = TaskFactory(organization=org, initiative=initiative)
    initiative_delete(actor=executive, initiative=initiative, cascade=True)
    task.refresh_from_db()
    assert task.initiative is None
    assert not Initiative.objects.for_org(org).exists()


# --- linking tasks to goals ----------------------------------------------------------------------


def test_a_task_is_linked_to_an_initiative_replacing_its_objective(executive, org):
    task = TaskFactory(organization=org, objective=ObjectiveFactory(organization=org))
    initiative = InitiativeFactory(organization=org)
    linked = task_link_to_goal(actor=executive, task=task, initiative=initiative)
    assert (linked.initiative, linked.objective, linked.version) == (initiative, None, 2)


def test_a_task_is_linked_to_an_objective_replacing_its_initiative(executive, org):
    task = TaskFactory(organization=org, initiative=InitiativeFactory(organization=org))
    objective = ObjectiveFactory(organization=org)
    linked = task_link_to_goal(actor=executive, task=task, objective=objective)
    assert (linked.initiative, linked.objective) == (None, objective)


@pytest.mark.parametrize("goals", ["neither", "both"])
def test_a_task_is_linked_to_exactly_one_goal(executive, org, goals):
    task = TaskFactory(organization=org)
    given = (
        {}
        if goals == "neither"
        else {
            "initiative": InitiativeFactory(organization=org),
            "objective": ObjectiveFactory(organization=org),
        }
    )
    with nothing_written(), pytest.raises(ValidationError) as raised:
        task_link_to_goal(actor=executive, task=task, **given)
    assert raised.value.messages == ["Link the task to exactly one initiative or objective."]


def test_a_task_is_not_linked_to_another_organizations_goal(executive, org, other_org):
    task = TaskFactory(organization=org)
    theirs = InitiativeFactory(organization=other_org)
    with nothing_written(), pytest.raises(ValidationError) as raised:
        task_link_to_goal(actor=executive, task=task, initiative=theirs)
    assert set(raised.value.message_dict) == {"initiative"}


def test_many_tasks_are_linked_at_once(executive, org):
    tasks = TaskFactory.create_batch(3, organization=org)
    initiative = InitiativeFactory(organization=org)
    linked = tasks_link_to_goal(actor=executive, task_ids=[task.pk for task in tasks], initiative=initiative)
    assert [task.pk for task in linked] == sorted(task.pk for task in tasks)
    assert set(Task.objects.for_org(org).values_list("initiative_id", flat=True)) == {initiative.pk}


def test_linking_many_tasks_is_all_or_nothing_when_one_is_refused(member_of, org):
    # given a member, one task assigned to them and one assigned to someone else
    member = member_of("member")
    own = TaskFactory(organization=org, assignee=person_of(member))
    others = TaskFactory(organization=org, assignee=PersonFactory(organization=org))
    objective = ObjectiveFactory(organization=org)
    # when they link both, then the one they may not edit refuses the whole batch
    with nothing_written(), pytest.raises(PermissionDenied, match="may not change this task"):
        tasks_link_to_goal(actor=member, task_ids=[own.pk, others.pk], objective=objective)


def test_linking_many_tasks_is_all_or_nothing_when_one_is_missing(executive, org):
    task = TaskFactory(organization=org)
    objective = ObjectiveFactory(organization=org)
    with nothing_written(), pytest.raises(ValidationError) as raised:
        tasks_link_to_goal(actor=executive, task_ids=[task.pk, MISSING_ID], objective=objective)
    assert raised.value.message_dict == {"tasks": [f"No such tasks in this organization: [{MISSING_ID}]."]}


def test_linking_many_tasks_is_all_or_nothing_when_one_fails_validation(executive, org):
    # given two tasks, the second one's stored title blank (written around the services)
    first, second = TaskFactory.create_batch(2, organization=org)
    Task.objects.filter(pk=second.pk).update(title="")
    objective = ObjectiveFactory(organization=org)
    # when both are linked, the second fails validation: the first is not linked either
    with nothing_written(), pytest.raises(ValidationError):
        tasks_link_to_goal(actor=executive, task_ids=[first.pk, second.pk], objective=objective)
