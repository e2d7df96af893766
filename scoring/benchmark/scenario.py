"""What a what-if scenario costs at each size: drafting a rebalance, and evaluating it against R.

The scenario is the organization's own rebalance (`scenarios.rebalance`: up to fifty hours moves, the
kind of scenario an executive drafts first), drafted once by an executive made for the benchmark;
its evaluation (`scenarios.evaluate.scenario_results`: one consistent read of the plan, the changes
laid over it, the calculation of both sides) is timed like R, warm, as the median of several runs.
The benchmark sits on top of every app, as the demo does: it measures the scenarios app too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from scenarios.evaluate import scenario_results
from scenarios.rebalance import rebalance_draft
from scoring.benchmark.burst import benchmark_actor
from scoring.benchmark.measure import Timing, timed_runs


@dataclass
class ScenarioResult:
    changes: int
    draft_seconds: float  # drafting the rebalance (its own read, moves and evaluation), once
    evaluation: Timing

    def ratio(self, recompute: Timing) -> float:
        """The evaluation's median time over R's."""
        return self.evaluation.median / recompute.median


def scenario_timing(organization_id: int, *, runs: int = 3, warmups: int = 1) -> ScenarioResult:
    actor = benchmark_actor(organization_id)
    started = time.perf_counter()
    scenario = rebalance_draft(actor=actor)
    draft_seconds = time.perf_counter() - started
    evaluation = timed_runs(lambda: scenario_results(scenario=scenario), runs=runs, warmups=warmups)
    return ScenarioResult(
        changes=scenario.changes.count(), draft_seconds=draft_seconds, evaluation=evaluation
    )
