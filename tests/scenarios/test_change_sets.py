"""A scenario's apply is one change set of the plan history, whatever it changes."""

from __future__ import annotations

import pytest

from feedback.selectors import plan_history_list
from scenarios.services import change_add, scenario_apply, scenario_create
from tests.scenarios.conftest import D
from tests.scenarios.test_services import move

pytestmark = pytest.mark.django_db


def test_applying_a_scenario_writes_one_change_set(plan, executive, org):
    # given a scenario that moves 7 hours of Pat's off-strategy allocation to R
    scenario = scenario_create(actor=executive, data={"name": "Staff R"})
    change_add(actor=executive, scenario=scenario, data=move(plan), as_of=D)
    # when it is applied
    scenario_apply(actor=executive, scenario=scenario, reason="Go", as_of=D)
    # then its revisions (the moved allocation changed, the new one created) share one change set
    revisions = [r for r in plan_history_list(organization=org) if r.reason.startswith("Scenario")]
    assert len(revisions) >= 2
    assert len({revision.change_set for revision in revisions}) == 1
    assert {revision.reason for revision in revisions} == {"Scenario “Staff R”: Go"}
