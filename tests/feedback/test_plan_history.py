from decimal import Decimal

import pytest

from feedback.selectors import FieldChange, HistoryAction, plan_history_for, plan_history_list
from objectives.services import (
    initiative_create,
    initiative_delete,
    initiative_update,
    key_result_create,
    key_result_update,
    objective_create,
    objective_update,
)
from resources.services import allocation_create, allocation_update
from tests.factories import ObjectiveFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(executive, org, other_org):
    """A plan built change by change, each with a reason; and a change in another organization."""
    ada = PersonFactory(organization=org, name="Ada")
    objective = objective_create(
        actor=executive,
        data={"title": "Grow revenue", "status": "active", "priority_weight": Decimal(3)},
        reason="Board ask",
    )
    key_result = key_result_create(
        actor=executive,
        data={"objective": objective, "title": "ARR", "target_value": Decimal(100)},
        reason="Measure it",
    )
    key_result_update(
        actor=executive, key_result=key_result, data={"current_value": Decimal(40)}, reason="Q1 actuals"
    )
    initiative = initiative_create(
        actor=executive, data={"title": "Checkout revamp", "status": "proposed"}, reason="Plan"
    )
    allocation = allocation_create(
        actor=executive,
        data={"person": ada, "initiative": initiative, "hours_per_week": Decimal(10)},
        reason="Staffing",
    )
    allocation_update(
        actor=executive, allocation=allocation, data={"hours_per_week": Decimal(20)}, reason="Crunch"
    )
    spare = initiative_create(actor=executive, data={"title": "Spare", "status": "on_hold"}, reason="Maybe")
    initiative_delete(actor=executive, initiative=spare, reason="Descoped")
    ObjectiveFactory(organization=other_org, title="Not ours")
    return {
        "objective": objective,
        "key_result": key_result,
        "initiative": initiative,
        "allocation": allocation,
    }


def _summary(revisions):
    return [(r.kind, r.label, r.action, r.reason) for r in revisions]


def test_the_plan_history_lists_every_kind_newest_first(org, plan, executive):
    # when the organization's plan history is read
    history = plan_history_list(organization=org)
    # then every change of the four kinds is there, newest first, by the executive, with its reason
    assert _summary(history) == [
        ("initiative", "Spare", HistoryAction.DELETED, "Descoped"),
        ("initiative", "Spare", HistoryAction.CREATED, "Maybe"),
        ("allocation", "Ada on Checkout revamp", HistoryAction.CHANGED, "Crunch"),
        ("allocation", "Ada on Checkout revamp", HistoryAction.CREATED, "Staffing"),
        ("initiative", "Checkout revamp", HistoryAction.CREATED, "Plan"),
        ("key_result", "ARR", HistoryAction.CHANGED, "Q1 actuals"),
        ("key_result", "ARR", HistoryAction.CREATED, "Measure it"),
        ("objective", "Grow revenue", HistoryAction.CREATED, "Board ask"),
    ]
    assert {r.user for r in history} == {executive.user}
    assert [r.object_id for r in history if r.kind == "allocation"] == [plan["allocation"].pk] * 2


def test_a_change_lists_only_the_fields_that_changed(org, plan):
    # when the plan history is read
    history = plan_history_list(organization=org)
    # then each change holds exactly the changed fields, before and after
    changes = {(r.kind, r.action): r.changes for r in history if r.action == HistoryAction.CHANGED}
    assert changes == {
        ("allocation", HistoryAction.CHANGED): (FieldChange("hours_per_week", Decimal(10), Decimal(20)),),
        ("key_result", HistoryAction.CHANGED): (FieldChange("current_value", Decimal(0), Decimal(40)),),
    }


def test_a_create_has_only_after_values_and_a_delete_only_before_values(org, plan):
    # when the plan history is read
    history = plan_history_list(organization=org)
    by_action = {(r.label, r.action): r.changes for r in history}
    # then a create lists the values it was given (empty ones left out), with nothing before
    assert by_action[("Grow revenue", HistoryAction.CREATED)] == (
        FieldChange("title", None, "Grow revenue"),
        FieldChange("status", None, "active"),
        FieldChange("priority_weight", None, Decimal(3)),
    )
    # and a delete lists the values the row had, with nothing after
    assert by_action[("Spare", HistoryAction.DELETED)] == (
        FieldChange("title", "Spare", None),
        FieldChange("status", "on_hold", None),
    )


def test_the_history_of_one_row(org, plan):
    # when the history of the allocation is read
    history = plan_history_for(organization=org, obj=plan["allocation"])
    # then it holds its two revisions, newest first
    assert _summary(history) == [
        ("allocation", "Ada on Checkout revamp", HistoryAction.CHANGED, "Crunch"),
        ("allocation", "Ada on Checkout revamp", HistoryAction.CREATED, "Staffing"),
    ]


def test_another_organizations_history_never_appears(other_org, plan):
    # when the other organization's history is read, in full and for one of our rows
    # then it holds only its own objective, and nothing of ours
    assert _summary(plan_history_list(organization=other_org)) == [
        ("objective", "Not ours", HistoryAction.CREATED, "")
    ]
    assert plan_history_for(organization=other_org, obj=plan["objective"]) == []


def test_the_history_filters_by_kind_time_and_count(org, plan):
    # given the time of the key result's change
    everything = plan_history_list(organization=org)
    kr_change = next(r for r in everything if r.kind == "key_result" and r.action == HistoryAction.CHANGED)
    # when the history is read by kind, since that change, and up to a count
    by_kind = plan_history_list(organization=org, kinds=["objective", "key_result"])
    since = plan_history_list(organization=org, since=kr_change.at)
    latest_two = plan_history_list(organization=org, limit=2)
    # then each holds what it asks for, newest first
    assert {r.kind for r in by_kind} == {"objective", "key_result"}
    assert len(by_kind) == 3
    assert since == everything[:6]
    assert latest_two == everything[:2]


def test_an_unknown_kind_is_refused(org):
    # when the history of a kind that has none is asked for
    # then it is refused, naming the kinds there are
    with pytest.raises(ValueError, match="task"):
        plan_history_list(organization=org, kinds=["task"])


def _grow_history(actor, org, rounds):
    """Each round creates and then changes one row of every kind: 8 revisions."""
    ada = PersonFactory(organization=org)
    for n in range(rounds):
        objective = objective_create(actor=actor, data={"title": f"O{n}"}, reason="r")
        objective_update(actor=actor, objective=objective, data={"status": "active"}, reason="r")
        key_result = key_result_create(
            actor=actor, data={"objective": objective, "title": f"K{n}", "target_value": Decimal(1)}
        )
        key_result_update(actor=actor, key_result=key_result, data={"current_value": Decimal(1)})
        initiative = initiative_create(actor=actor, data={"title": f"I{n}", "objective": objective})
        initiative_update(actor=actor, initiative=initiative, data={"status": "active"})
        allocation = allocation_create(
            actor=actor, data={"person": ada, "initiative": initiative, "hours_per_week": Decimal(1)}
        )
        allocation_update(actor=actor, allocation=allocation, data={"hours_per_week": Decimal(2)})


@pytest.mark.parametrize("rounds", [1, 5])
def test_reading_the_history_takes_the_same_queries_however_long_it_is(
    executive, org, rounds, django_assert_num_queries
):
    # given a history of 8 or 40 revisions, with creates and changes of every kind
    _grow_history(executive, org, rounds)
    # when it is read, with its users, labels and diffs
    # per plan kind: its revisions, and the records before its changes; the settings: their revisions
    with django_assert_num_queries(9):
        history = plan_history_list(organization=org)
        shown = [(r.user.username, r.label, r.changes) for r in history]
    # then it is all there, each change with its one changed field
    assert len(shown) == 8 * rounds
    assert {len(r.changes) for r in history if r.action == HistoryAction.CHANGED} == {1}
