"""A scenario's predicted scores are the scores the organization gets once it is applied.

On random organizations (`tests.scoring.random_org`), hypothesis drafts a random scenario of every
kind of change (allocations added, changed, ended and moved, initiatives, objectives and capacities
changed, tasks relinked); the evaluation's scenario side must equal, to the last rounding, the
scores recomputed from the kept tallies after applying it, and its baseline side the scores before.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execgap.models import Role
from objectives.models import Initiative, Objective, Task
from resources.models import Allocation, Person
from scenarios.evaluate import scenario_results
from scenarios.models import ChangeKind, ScenarioStatus
from scenarios.services import change_add, scenario_apply, scenario_create
from scoring.engine.calculate import ScoringResult, scores_calculate
from scoring.engine.explain import drift_listed
from scoring.fetch import consistent_read, parameters_fetch, scoring_inputs_fetch
from scoring.fetch_drift import drift_lists_fetch
from tests.factories import MembershipFactory, OrganizationFactory
from tests.scoring.random_org import D, build_random_org

pytestmark = pytest.mark.django_db(transaction=False)


def _day(rng: random.Random, low: int, high: int) -> str | None:
    return None if rng.random() < 0.3 else (D + timedelta(days=rng.randint(low, high))).isoformat()


def random_change(rng: random.Random, org_id: int) -> dict[str, Any]:
    allocations = list(Allocation.objects.for_org(org_id).order_by("pk"))
    initiatives = list(Initiative.objects.for_org(org_id).order_by("pk"))
    objectives = list(Objective.objects.for_org(org_id).order_by("pk"))
    people = list(Person.objects.for_org(org_id).order_by("pk"))
    tasks = list(Task.objects.for_org(org_id).order_by("pk").values_list("pk", flat=True))
    kind = rng.choice(list(ChangeKind))
    if kind == ChangeKind.ALLOCATION_ADD:
        start = _day(rng, -10, 60)
        return {"kind": kind, "values": {
            "person": rng.choice(people).pk, "initiative": rng.choice(initiatives).pk,
            "hours_per_week": str(rng.choice([5, 10, 20])), "start_date": start,
            "end_date": None if start is None or rng.random() < 0.5 else _later(start, rng),
        }}  # fmt: skip
    if kind == ChangeKind.ALLOCATION_CHANGE:
        return {"kind": kind, "target_id": rng.choice(allocations).pk,
                "values": {"hours_per_week": str(rng.choice([0, 5, 15, 30]))}}  # fmt: skip
    if kind == ChangeKind.ALLOCATION_END:
        return {"kind": kind, "target_id": rng.choice(allocations).pk, "values": {}}
    if kind == ChangeKind.HOURS_MOVE:
        source = rng.choice(allocations)
        target = rng.choice(initiatives)
        into = Allocation.objects.for_org(org_id).filter(person=source.person, initiative=target).first()
        values = {"initiative": target.pk, "hours_per_week": str(rng.choice([1, 5, source.hours_per_week]))}
        return {"kind": kind, "target_id": source.pk, "values": values | {"into": into and into.pk}}
    if kind == ChangeKind.INITIATIVE_CHANGE:
        values = rng.choice([
            {"status": rng.choice(["active", "proposed", "on_hold", "done", "cancelled"])},
            {"estimate_hours": rng.choice([None, "0", "40", "120.5"])},
            {"end_date": _day(rng, -20, 120), "status": "active"},
        ])  # fmt: skip
        return {"kind": kind, "target_id": rng.choice(initiatives).pk, "values": values}
    if kind == ChangeKind.OBJECTIVE_CHANGE:
        values = rng.choice([
            {"status": rng.choice(["active", "draft", "achieved", "cancelled"])},
            {"priority_weight": rng.choice(["0.5", "1", "4"])},
        ])  # fmt: skip
        return {"kind": kind, "target_id": rng.choice(objectives).pk, "values": values}
    if kind == ChangeKind.PERSON_CHANGE:
        return {"kind": kind, "target_id": rng.choice(people).pk,
                "values": {"weekly_capacity_hours": str(rng.choice([0, 8, 40, 60]))}}  # fmt: skip
    goal = rng.choice(["initiative", "objective"])
    target = rng.choice(initiatives if goal == "initiative" else objectives)
    return {"kind": kind, "values": {"tasks": rng.sample(tasks, rng.randint(1, 6)), goal: target.pk}}


def _later(start: str, rng: random.Random) -> str:
    return (date.fromisoformat(start) + timedelta(days=rng.randint(0, 90))).isoformat()


def recomputed(org_id: int) -> ScoringResult:
    """The scores recomputed at D, with the people of every initiative's drift listed (a recompute
    lists only the drivers')."""
    with consistent_read():
        parameters, _ = parameters_fetch(organization_id=org_id, as_of=D)
        result = scores_calculate(scoring_inputs_fetch(organization_id=org_id, parameters=parameters))
        lists = drift_lists_fetch(
            organization_id=org_id, parameters=parameters, initiative_ids=result.signals.drift
        )
        return drift_listed(result, lists)


def assert_same(predicted: ScoringResult, actual: ScoringResult) -> None:
    def close(a: Any, b: Any) -> bool:
        if isinstance(a, float) and isinstance(b, float):
            return a == pytest.approx(b, rel=1e-9, abs=1e-9)
        return bool(a == b)

    for name in ("alignment", "resources", "adaptability", "people"):
        assert close(getattr(predicted, name).score, getattr(actual, name).score), name
    assert close(predicted.execution_health, actual.execution_health)
    assert predicted.alignment.count == actual.alignment.count
    for kind, effort in predicted.alignment.effort.items():
        assert close(effort, actual.alignment.effort[kind]), kind
    assert set(predicted.alignment.objectives) == set(actual.alignment.objectives)
    for pk, row in predicted.alignment.objectives.items():
        other = actual.alignment.objectives[pk]
        assert close(row.actual_share, other.actual_share), f"objective {pk}"
        assert close(row.intended_share, other.intended_share), f"objective {pk}"
    assert set(predicted.alignment.teams) == set(actual.alignment.teams)
    for pk, team in predicted.alignment.teams.items():
        assert close(team.score, actual.alignment.teams[pk].score), f"team {pk}"
        assert team.orphan_tasks == actual.alignment.teams[pk].orphan_tasks
        assert team.misaligned_tasks == actual.alignment.teams[pk].misaligned_tasks
    assert set(predicted.resources.initiatives) == set(actual.resources.initiatives)
    for pk, staffing in predicted.resources.initiatives.items():
        other = actual.resources.initiatives[pk]
        assert close(staffing.demand, other.demand), f"initiative {pk}"
        assert close(staffing.supply, other.supply), f"initiative {pk}"
    assert predicted.resources.over_capacity == actual.resources.over_capacity
    assert predicted.resources.spread_thin == actual.resources.spread_thin
    assert close(predicted.resources.off_strategy_capacity, actual.resources.off_strategy_capacity)
    assert {pk: row.status for pk, row in predicted.progress.items()} == {
        pk: row.status for pk, row in actual.progress.items()
    }
    for pk, row in predicted.progress.items():
        assert close(row.progress, actual.progress[pk].progress), f"progress {pk}"
    assert predicted.signals.over_staffed == actual.signals.over_staffed
    assert predicted.signals.over_invested == actual.signals.over_invested
    assert predicted.signals.forecasts == actual.signals.forecasts


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.integers(1, 5))
def test_the_scores_predicted_for_a_scenario_are_the_scores_after_applying_it(seed, changes):
    # Given a random organization and a random scenario drafted on it by an admin
    rng = random.Random(seed)
    org = OrganizationFactory()
    build_random_org(org, rng)
    admin = MembershipFactory(organization=org, role=Role.ADMIN)
    scenario = scenario_create(actor=admin, data={"name": "What if"})
    drafted = 0
    for _ in range(changes):
        try:
            change_add(actor=admin, scenario=scenario, data=random_change(rng, org.pk), as_of=D)
            drafted += 1
        except ValidationError:
            pass  # a change the plan would refuse is refused when drafted, and the draft goes on
    before = recomputed(org.pk)

    # When it is evaluated at D, then applied and the scores recomputed
    evaluation = scenario_results(scenario=scenario, as_of=D)
    if drafted:
        applied = scenario_apply(actor=admin, scenario=scenario, reason="Try it", as_of=D)
        assert applied.status == ScenarioStatus.APPLIED
    after = recomputed(org.pk)

    # Then the baseline was the plan's scores, and the scenario's are the scores after applying it
    assert_same(evaluation.baseline, before)
    assert_same(evaluation.scenario, after)
    # And the staffing drift: the initiatives the scenario touches as predicted, the others unmoved
    touched = evaluation.touched
    assert evaluation.baseline.signals.drift == {
        pk: d for pk, d in before.signals.drift.items() if pk in touched
    }
    assert evaluation.scenario.signals.drift == {
        pk: d for pk, d in after.signals.drift.items() if pk in touched
    }
    assert {pk: d for pk, d in after.signals.drift.items() if pk not in touched} == {
        pk: d for pk, d in before.signals.drift.items() if pk not in touched
    }
    assert Decimal(0) <= Decimal(str(evaluation.scenario.execution_health or 0)) <= 100
