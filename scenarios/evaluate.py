"""Evaluate a scenario: the live plan's scores and the scenario's, from one read, at the same D.

One consistent read fetches the plan's scoring inputs (the task tallies and the allocation rows) and
the rows the scenario changes; the scenario's inputs are those with its edits laid over them
(`scenarios.overlay`); the engine's own `scores_calculate` computes both, the scenario's staffing
summed again only where its changes touch it (`scenarios.staffing`). Nothing is written to the
plan: the comparison is stored on the scenario with the D and the plan state it was computed on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone

from execgap.models import Organization
from objectives.tallies import tallies_window_ensure
from scenarios.compare import comparison_of
from scenarios.edits import PlanEdits, plan_edits
from scenarios.models import Scenario
from scenarios.overlay import scenario_inputs
from scenarios.staffing import staffing_pair
from scoring.collector import cycle_collector_paused
from scoring.engine.calculate import ScoringResult, scores_calculate
from scoring.fetch import InputSource, consistent_read, parameters_fetch, scoring_inputs_fetch


@dataclass(frozen=True)
class Evaluation:
    baseline: ScoringResult
    scenario: ScoringResult
    edits: PlanEdits
    plan_changed_at: datetime | None  # the organization's scores_changed_at that the read saw
    touched: frozenset[int]  # the initiatives whose staffing drift both sides hold (no other's moves)


@cycle_collector_paused()  # the engine allocates rows by the hundred thousand
def scenario_results(*, scenario: Scenario, as_of: date | None = None) -> Evaluation:
    """The live plan's and the scenario's scores at D (today's UTC date unless given)."""
    organization_id = scenario.organization_id
    as_of = as_of or timezone.now().astimezone(UTC).date()
    window_days = Organization.objects.values_list("activity_window_days", flat=True).get(pk=organization_id)
    tallies_window_ensure(
        organization_id=organization_id, first_day=as_of - timedelta(days=window_days - 1), last_day=as_of
    )
    changes = list(scenario.changes.order_by("position", "pk"))
    with consistent_read():
        parameters, changed_at = parameters_fetch(organization_id=organization_id, as_of=as_of)
        edits = plan_edits(organization_id=organization_id, changes=changes, as_of=as_of)
        inputs = scoring_inputs_fetch(
            organization_id=organization_id, parameters=parameters, source=InputSource.TALLIES_AND_ALLOCATIONS
        )
        overlaid = scenario_inputs(organization_id=organization_id, inputs=inputs, edits=edits)
    live_staffing, scenario_staffing = staffing_pair(overlaid.baseline, overlaid.scenario)
    return Evaluation(
        baseline=scores_calculate(replace(overlaid.baseline, staffing=live_staffing)),
        scenario=scores_calculate(replace(overlaid.scenario, staffing=scenario_staffing)),
        edits=edits,
        plan_changed_at=changed_at,
        touched=overlaid.touched,
    )


@cycle_collector_paused()  # the engine allocates rows by the hundred thousand
def scenario_evaluate(*, scenario: Scenario, as_of: date | None = None) -> dict[str, Any]:
    """Evaluate the scenario and keep the comparison on it (only these four fields are written)."""
    evaluation = scenario_results(scenario=scenario, as_of=as_of)
    comparison = comparison_of(evaluation.baseline, evaluation.scenario, evaluation.edits)
    scenario.evaluation = comparison
    scenario.evaluated_at = timezone.now()
    scenario.evaluated_as_of = evaluation.baseline.inputs.parameters.as_of
    scenario.evaluated_plan_at = evaluation.plan_changed_at
    Scenario.objects.filter(pk=scenario.pk).update(
        evaluation=comparison,
        evaluated_at=scenario.evaluated_at,
        evaluated_as_of=scenario.evaluated_as_of,
        evaluated_plan_at=scenario.evaluated_plan_at,
    )
    return comparison
