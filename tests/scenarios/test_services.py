"""Drafting, checking, conflicts, rebasing, applying and discarding scenarios (plan from test_rebalance:
`conftest.plan`: R needs 90 h and has nobody, X serves no objective and has Pat's 10 h a week, S needs
20 h and has Quinn's 10 h a week)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from execgap.models import Organization, Role
from objectives.models import Initiative, Task
from resources.models import Allocation
from scenarios.evaluate import scenario_evaluate, scenario_results
from scenarios.models import ChangeKind, Scenario, ScenarioChange, ScenarioStatus
from scenarios.services import (
    ScenarioConflictError,
    change_add,
    change_remove,
    scenario_apply,
    scenario_conflicts,
    scenario_create,
    scenario_discard,
    scenario_rebase,
)
from tests.factories import AllocationFactory
from tests.scenarios.conftest import D

pytestmark = pytest.mark.django_db


def move(plan, hours: str = "7", **extra):
    return {"kind": ChangeKind.HOURS_MOVE, "target_id": plan.off.pk,
            "values": {"initiative": plan.r.pk, "hours_per_week": hours} | extra}  # fmt: skip


def test_drafting_writes_only_the_scenario_and_never_marks_the_scores_stale(plan, executive):
    # Given an organization whose scores are current
    Organization.objects.filter(pk=executive.organization_id).update(scores_stale_since=None)
    # When an executive drafts a scenario with a change
    scenario = scenario_create(actor=executive, data={"name": "Staff R"})
    change = change_add(actor=executive, scenario=scenario, data=move(plan), as_of=D)
    # Then the plan is untouched, the change recorded the version of the row it reads
    assert Allocation.objects.get(pk=plan.off.pk).hours_per_week == Decimal(10)
    assert change.base_versions == {f"allocation:{plan.off.pk}": 1}
    assert Organization.objects.get(pk=executive.organization_id).scores_stale_since is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "teleport"}, "Choose one of"),
        ({"kind": ChangeKind.PERSON_CHANGE, "target_id": 0, "values": {"weekly_capacity_hours": "8"}},
         "The person 0 no longer exists."),
        ({"kind": ChangeKind.INITIATIVE_CHANGE, "values": {"colour": "red"}},
         "sets one or more of: end_date, estimate_hours, status"),
        ({"kind": ChangeKind.INITIATIVE_CHANGE, "values": {"status": "imaginary"}}, "would be refused"),
        ({"kind": ChangeKind.INITIATIVE_CHANGE, "values": {"estimate_hours": "lots"}}, "Not a valid value"),
        ({"kind": ChangeKind.ALLOCATION_ADD, "values": {"hours_per_week": "-5"}}, "would be refused"),
        ({"kind": ChangeKind.TASKS_RELINK, "values": {"tasks": [1]}}, "exactly one initiative or objective"),
    ],
)  # fmt: skip
def test_a_change_the_plan_would_refuse_is_refused_when_drafted_and_nothing_is_kept(
    plan, executive, data, message
):
    # Given a scenario
    scenario = scenario_create(actor=executive, data={"name": "Bad"})
    if data["kind"] == ChangeKind.INITIATIVE_CHANGE and "target_id" not in data:
        data = {**data, "target_id": plan.r.pk}
    # When a change with bad values is added, then it is refused with a specific message
    with pytest.raises(ValidationError) as refused:
        change_add(actor=executive, scenario=scenario, data=data, as_of=D)
    assert message in " ".join(refused.value.messages)
    assert not ScenarioChange.objects.filter(scenario=scenario).exists()


def test_a_move_of_more_hours_than_the_allocation_has_names_how_many_it_has(plan, executive):
    scenario = scenario_create(actor=executive, data={"name": "Too much"})
    with pytest.raises(ValidationError, match=r"The allocation has 10.00 h a week: move at most that many"):
        change_add(actor=executive, scenario=scenario, data=move(plan, "12"), as_of=D)


def test_later_changes_see_earlier_ones(plan, executive):
    # Given a move of 7 of Pat's 10 hours
    scenario = scenario_create(actor=executive, data={"name": "Twice"})
    change_add(actor=executive, scenario=scenario, data=move(plan, "7"), as_of=D)
    # When another 7 are moved, then only 3 are left to move
    with pytest.raises(ValidationError, match=r"has 3.00 h a week"):
        change_add(actor=executive, scenario=scenario, data=move(plan, "7"), as_of=D)


def test_a_second_move_of_a_persons_hours_to_the_same_initiative_is_refused_when_drafted(
    plan, executive, org
):
    # Given Pat's second allocation, 8 h a week on S, and a move of 5 of Pat's hours on X to R (a new
    # allocation of Pat's to R from D, with no end)
    on_s = AllocationFactory(organization=org, person=plan.pat, initiative=plan.s, hours_per_week=Decimal(8))
    scenario = scenario_create(actor=executive, data={"name": "Staff R twice"})
    change_add(actor=executive, scenario=scenario, data=move(plan, "5"), as_of=D)
    # When 3 of Pat's hours on S are moved to R too, as a second new allocation
    second = {"kind": ChangeKind.HOURS_MOVE, "target_id": on_s.pk,
              "values": {"initiative": plan.r.pk, "hours_per_week": "3"}}  # fmt: skip
    # Then it is refused when drafted, naming the allocation it would meet (applying both would fail)
    with pytest.raises(ValidationError, match=r"Change 2: The person would be allocated to this initiative"
                       r" twice at once: an earlier change of this scenario already allocates them from"
                       rf" {D.isoformat()} to no end \(5 h a week\)"):  # fmt: skip
        change_add(actor=executive, scenario=scenario, data=second, as_of=D)
    assert ScenarioChange.objects.filter(scenario=scenario).count() == 1
    # And the scenario applies as drafted: Pat on R from D, 5 h a week
    applied = scenario_apply(actor=executive, scenario=scenario, reason="Staff R", as_of=D)
    assert applied.status == ScenarioStatus.APPLIED
    assert Allocation.objects.get(person=plan.pat, initiative=plan.r).hours_per_week == Decimal(5)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_cannot_draft(member_of, role):
    with pytest.raises(PermissionDenied):
        scenario_create(actor=member_of(role), data={"name": "Mine"})


def test_a_change_whose_row_changed_since_it_was_drafted_refuses_the_apply_naming_it(plan, executive, admin):
    # Given a drafted move, and then someone changes Pat's allocation
    scenario = scenario_create(actor=executive, data={"name": "Staff R"})
    change_add(actor=executive, scenario=scenario, data=move(plan), as_of=D)
    from resources.services import allocation_update

    allocation_update(actor=admin, allocation=plan.off, data={"hours_per_week": Decimal(12)})
    # When the scenario is applied
    with pytest.raises(ScenarioConflictError) as refused:
        scenario_apply(actor=executive, scenario=scenario, reason="Go", as_of=D)
    # Then nothing is written, and the conflict names the change and the row
    (conflict,) = refused.value.conflicts
    assert conflict.message == (
        f"Change 1: the allocation {plan.off.pk} changed since this scenario was drafted"
        " (version 2, drafted on 1)."
    )
    assert Allocation.objects.get(pk=plan.off.pk).hours_per_week == Decimal(12)
    assert not Allocation.objects.filter(initiative=plan.r).exists()
    assert Scenario.objects.get(pk=scenario.pk).status == ScenarioStatus.DRAFT
    # And once rebased on the current plan, it applies, keeping the other person's 12 − 7 = 5 hours
    assert scenario_rebase(actor=executive, scenario=scenario, as_of=D) == []
    assert scenario_conflicts(scenario=scenario) == []
    scenario_apply(actor=executive, scenario=scenario, reason="Go", as_of=D)
    assert Allocation.objects.get(pk=plan.off.pk).hours_per_week == Decimal(5)


def test_rebasing_drops_a_change_whose_row_is_gone_and_says_so(plan, executive, admin):
    scenario = scenario_create(actor=executive, data={"name": "Staff R"})
    change_add(actor=executive, scenario=scenario, data=move(plan), as_of=D)
    Allocation.objects.filter(pk=plan.off.pk).delete()
    assert scenario_rebase(actor=executive, scenario=scenario, as_of=D) == [
        f"Change 1: the allocation {plan.off.pk} no longer exists."
    ]
    assert not scenario.changes.exists()


def test_apply_needs_a_reason_and_changes(plan, executive):
    scenario = scenario_create(actor=executive, data={"name": "Empty"})
    with pytest.raises(ValidationError, match="Say why the plan changes"):
        scenario_apply(actor=executive, scenario=scenario, reason="  ", as_of=D)
    with pytest.raises(ValidationError, match="no changes to apply"):
        scenario_apply(actor=executive, scenario=scenario, reason="Go", as_of=D)


def test_an_apply_the_services_refuse_writes_nothing(plan, member_of):
    # Given a lead of no team drafting a capacity change (only admins change people)
    lead = member_of(Role.LEAD)
    scenario = scenario_create(actor=lead, data={"name": "Hire"})
    change_add(
        actor=lead,
        scenario=scenario,
        as_of=D,
        data={"kind": ChangeKind.INITIATIVE_CHANGE, "target_id": plan.x.pk, "values": {"status": "on_hold"}},
    )
    change_add(
        actor=lead,
        scenario=scenario,
        as_of=D,
        data={
            "kind": ChangeKind.PERSON_CHANGE,
            "target_id": plan.pat.pk,
            "values": {"weekly_capacity_hours": "60"},
        },
    )
    # When the lead applies it, then the role refusal stops everything
    with pytest.raises(PermissionDenied):
        scenario_apply(actor=lead, scenario=scenario, reason="Go", as_of=D)
    assert Initiative.objects.get(pk=plan.x.pk).status == "active"


def test_discarded_and_applied_scenarios_no_longer_change(plan, executive):
    scenario = scenario_create(actor=executive, data={"name": "Maybe"})
    scenario_discard(actor=executive, scenario=scenario)
    with pytest.raises(ValidationError, match="This scenario is discarded"):
        change_add(actor=executive, scenario=scenario, data=move(plan), as_of=D)


def test_removing_a_change_that_a_later_one_depends_on_is_refused(plan, executive):
    # Given Pat's allocation raised to 20 h, then 15 h of it moved to R
    scenario = scenario_create(actor=executive, data={"name": "Order"})
    raised = change_add(
        actor=executive,
        scenario=scenario,
        as_of=D,
        data={
            "kind": ChangeKind.ALLOCATION_CHANGE,
            "target_id": plan.off.pk,
            "values": {"hours_per_week": "20"},
        },
    )
    change_add(actor=executive, scenario=scenario, data=move(plan, "15"), as_of=D)
    # When the raise is removed, then the move no longer holds: refused, both changes kept
    with pytest.raises(ValidationError, match=r"Change 2: The allocation has 10.00 h a week"):
        change_remove(actor=executive, scenario=scenario, change=raised, as_of=D)
    assert scenario.changes.count() == 2


def test_the_evaluation_of_each_kind_of_change_with_hand_worked_numbers(plan, executive, admin):
    # Given a scenario: R's estimate raised to 180 h, Quinn's capacity cut to 5 h (f = 0.5), and the
    # open task of S relinked to R
    scenario = scenario_create(actor=admin, data={"name": "Mix"})
    task_s = Task.objects.get(initiative=plan.s)
    for data in (
        {"kind": ChangeKind.INITIATIVE_CHANGE, "target_id": plan.r.pk, "values": {"estimate_hours": "180"}},
        {"kind": ChangeKind.PERSON_CHANGE, "target_id": plan.quinn.pk,
         "values": {"weekly_capacity_hours": "5"}},
        {"kind": ChangeKind.TASKS_RELINK, "values": {"tasks": [task_s.pk], "initiative": plan.r.pk}},
    ):  # fmt: skip
        change_add(actor=admin, scenario=scenario, data=data, as_of=D)
    # When it is evaluated
    comparison = scenario_evaluate(scenario=scenario, as_of=D)
    # Then: R's remaining = max(90 + 20 open, 180 − 0 done) = 180 h, supply 0; S has no open work:
    # demand 0, coverage 1, supply 10 × 0.5 × 90 / 7 = 64.29 h; A: covered 0 + 0 of 180 + 0
    rows = {row["id"]: row for row in comparison["initiatives"]}
    assert rows[plan.r.pk]["demand"] == {"baseline": 90.0, "scenario": 180.0, "difference": 90.0}
    assert rows[plan.s.pk]["supply"]["scenario"] == pytest.approx(10 * 0.5 * 90 / 7)
    assert rows[plan.s.pk]["demand"]["scenario"] == 0.0
    assert comparison["scores"]["resources"]["baseline"] == pytest.approx(100 * 20 / 110)
    assert comparison["scores"]["resources"]["scenario"] == pytest.approx(0.0)
    assert comparison["people"]["over_capacity"]["added"] == [{"id": plan.quinn.pk, "name": "Quinn"}]
    assert "Resources falls 18.2 points, from 18.2 to 0.0." in comparison["explanation"]
    # And nothing changed in the plan
    assert Task.objects.get(pk=task_s.pk).initiative_id == plan.s.pk


def test_one_organization_cannot_draft_on_anothers_rows(plan, other_org, member_of):
    outsider = member_of(Role.EXECUTIVE, other_org)
    scenario = scenario_create(actor=outsider, data={"name": "Reach"})
    with pytest.raises(ValidationError, match="no longer exists"):
        change_add(actor=outsider, scenario=scenario, data=move(plan), as_of=D)


def test_the_staffing_drift_of_the_initiatives_a_scenario_touches(plan, admin):
    # Given Quinn (allocated to S, not to R) assigned S's open 20 h task, and a scenario that relinks
    # it to R
    Task.objects.filter(initiative=plan.s).update(assignee=plan.quinn)
    scenario = scenario_create(actor=admin, data={"name": "Drift"})
    task_s = Task.objects.get(initiative=plan.s)
    relink = {"kind": ChangeKind.TASKS_RELINK, "values": {"tasks": [task_s.pk], "initiative": plan.r.pk}}
    change_add(actor=admin, scenario=scenario, as_of=D, data=relink)
    # When it is evaluated
    evaluation = scenario_results(scenario=scenario, as_of=D)
    # Then Quinn works 20 h on R without an allocation there (R: 90 + 20 open hours now)
    drift = evaluation.scenario.signals.drift[plan.r.pk]
    assert (drift.unallocated_people, drift.unplanned_effort) == (1, 20.0)
    assert [worker.person_id for worker in drift.unallocated] == [plan.quinn.pk]
    # And S, with no open work left and Quinn's allocation begun long ago, has Quinn allocated without work
    assert evaluation.scenario.signals.drift[plan.s.pk].idle_people == 1
    assert plan.s.pk not in evaluation.baseline.signals.drift
