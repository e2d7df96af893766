"""Rebalance: hours moved from off-strategy work and surplus to the under-covered initiatives of the
highest-priority live objectives, with hand-worked numbers on the plan of `conftest.plan`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from execgap.models import Role
from objectives.models import Task
from resources.models import Allocation
from scenarios.models import ChangeKind
from scenarios.rebalance import rebalance_draft
from scenarios.services import scenario_apply
from scoring.services import scores_recompute
from tests.factories import AllocationFactory, InitiativeFactory
from tests.scenarios.conftest import D

pytestmark = pytest.mark.django_db


def test_off_strategy_hours_go_first_and_exactly_cover_the_shortfall(plan, executive):
    # Given R short of 90 h, with off-strategy and surplus hours available
    # When an executive asks for a rebalance
    scenario = rebalance_draft(actor=executive, as_of=D)

    # Then one move: 7 h a week of Pat's off-strategy allocation (7 × 90 / 7 = 90 h, R's whole need)
    (change,) = scenario.changes.all()
    assert change.kind == ChangeKind.HOURS_MOVE
    assert change.target_id == plan.off.pk
    assert change.values == {"initiative": plan.r.pk, "hours_per_week": "7.0", "into": None}
    assert change.reason == (
        "“X” serves no live objective; “R” is 0% covered and serves “A” (100% of the intended effort)."
    )
    # And its evaluation: resources from 18.2 to 100
    scores = scenario.evaluation["scores"]["resources"]
    # A's coverage before: (min(0, 90) + min(128.57, 20)) / (90 + 20) = 20 / 110
    assert scores["baseline"] == pytest.approx(100 * 20 / 110)
    assert scores["scenario"] == pytest.approx(100.0)


def test_surplus_gives_at_most_nine_tenths_of_itself_when_there_is_no_off_strategy_work(plan, executive):
    # Given no off-strategy allocation: only Quinn's over-staffing of S (surplus 128.57 − 20 = 108.57 h)
    Allocation.objects.filter(pk=plan.off.pk).delete()

    # When rebalanced
    scenario = rebalance_draft(actor=executive, as_of=D)

    # Then 7 h a week move from S to R: S keeps 3 × 90 / 7 = 38.57 h ≥ its 20 h (at most 0.9 × 108.57
    # = 97.71 h could go: 7.6 h a week)
    (change,) = scenario.changes.all()
    assert change.target_id == plan.surplus.pk
    assert change.values["hours_per_week"] == "7.0"
    assert change.reason.startswith("“S” has 109 h more than it needs; “R” is 0% covered")
    assert scenario.evaluation["scores"]["resources"]["scenario"] == pytest.approx(100.0)


def test_people_over_capacity_give_nothing_and_nothing_is_moved_without_a_donor(plan, executive):
    # Given Pat over capacity (10 h allocated, 8 h of capacity: f = 0.8) and S not over-staffed
    plan.pat.weekly_capacity_hours = Decimal(8)
    plan.pat.save()
    Allocation.objects.filter(pk=plan.surplus.pk).update(hours_per_week=Decimal(1))

    # When rebalanced
    scenario = rebalance_draft(actor=executive, as_of=D)

    # Then nothing moves, and the scenario says why
    assert scenario.changes.count() == 0
    assert scenario.description.startswith("Nothing to move")


def test_applying_a_rebalance_lands_the_live_scores_where_it_said(plan, executive):
    # Given a drafted rebalance
    scenario = rebalance_draft(actor=executive, as_of=D)
    predicted = scenario.evaluation["scores"]

    # When it is applied with a reason
    scenario_apply(actor=executive, scenario=scenario, reason="Staff R", as_of=D)

    # Then the plan has Pat's 3 h on X and 7 h on R from D, each revision naming the scenario
    assert Allocation.objects.get(pk=plan.off.pk).hours_per_week == Decimal(3)
    moved = Allocation.objects.get(person=plan.pat, initiative=plan.r)
    assert (moved.hours_per_week, moved.start_date, moved.end_date) == (Decimal(7), D, None)
    reasons = {record.history_change_reason for record in Allocation.history.filter(person_id=plan.pat.pk)}
    assert f"Scenario “{scenario.name}”: Staff R" in reasons
    # And the scores recomputed now are the ones it predicted
    snapshot = scores_recompute(organization_id=plan.a.organization_id, as_of=D)
    assert snapshot.resources == pytest.approx(predicted["resources"]["scenario"])
    assert snapshot.execution_health == pytest.approx(predicted["execution_health"]["scenario"])


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_cannot_ask_for_a_rebalance(plan, member_of, role):
    with pytest.raises(PermissionDenied):
        rebalance_draft(actor=member_of(role), as_of=D)


def test_a_person_gets_one_new_allocation_on_an_initiative_and_none_over_a_later_one(plan, executive, org):
    # Given Pat also on a second off-strategy initiative Y (10 h), and R needing 180 h (14 h a week)
    y = InitiativeFactory(organization=org, objective=None, title="Y", status="active")
    AllocationFactory(organization=org, person=plan.pat, initiative=y, hours_per_week=Decimal(10))
    Task.objects.filter(initiative=plan.r).update(effort_hours=Decimal(180))
    # When rebalanced
    scenario = rebalance_draft(actor=executive, as_of=D)
    # Then Pat's hours reach R through one new allocation only (10 h from X), the rest from Quinn's surplus
    moves = [(change.target_id, change.values["hours_per_week"]) for change in scenario.changes.all()]
    assert moves == [(plan.off.pk, "10.0"), (plan.surplus.pk, "4.0")]
    # And given Pat already has a later allocation on R (starting after the horizon), Pat moves nothing
    AllocationFactory(
        organization=org,
        person=plan.pat,
        initiative=plan.r,
        hours_per_week=Decimal(5),
        start_date=date(2027, 6, 1),
    )
    again = rebalance_draft(actor=executive, as_of=D)
    assert plan.off.pk not in {change.target_id for change in again.changes.all()}
