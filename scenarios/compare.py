"""Baseline against scenario: what a person compares, as JSON, with the differences said in words.

Kept on the scenario (and answered by the API) as plain numbers: the scores, every objective whose
share, coverage or progress status moves (and every boardroom objective), every initiative the
scenario touches or moves, the people over capacity and spread thin, off-strategy capacity and the
signals. Long lists are capped (`LIST_LIMIT`) with their full counts beside them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from objectives.models import Initiative
from resources.models import Allocation
from scenarios.edits import PlanEdits
from scoring.engine.calculate import ScoringResult

SCORES = ("execution_health", "alignment", "resources", "adaptability", "people")
SCORE_NAMES = {
    "execution_health": "Execution health", "alignment": "Alignment", "resources": "Resources",
    "adaptability": "Adaptability", "people": "People",
}  # fmt: skip
LIST_LIMIT = 200
PEOPLE_LIMIT = 50
# A move smaller than this (0–1 ratios) is not a difference worth a sentence.
NOTICEABLE = 0.005


def _score(result: ScoringResult, name: str) -> float | None:
    if name == "execution_health":
        return result.execution_health
    return getattr(result, name).score


def _pair(before: Any, after: Any) -> dict[str, Any]:
    difference = (
        after - before if isinstance(before, float | int) and isinstance(after, float | int) else None
    )
    return {"baseline": before, "scenario": after, "difference": difference}


def _differs(pair: dict[str, Any]) -> bool:
    if pair["difference"] is not None:
        return abs(pair["difference"]) > 1e-9
    return bool(pair["baseline"] != pair["scenario"])


def _objective_facts(result: ScoringResult, pk: int) -> dict[str, Any]:
    if pk not in result.cascade.nodes:
        return dict.fromkeys(OBJECTIVE_FACTS)
    alignment = result.alignment.objectives.get(pk)
    coverage = result.resources.objectives.get(pk)
    progress = result.progress.get(pk)
    return {
        "intended_share": result.cascade.intended.get(pk, 0.0),
        "actual_share": alignment.actual_share if alignment else None,
        "coverage": coverage.coverage if coverage else None,
        "progress_status": str(progress.status) if progress and progress.status else None,
    }


OBJECTIVE_FACTS = ("intended_share", "actual_share", "coverage", "progress_status")


def _objectives(baseline: ScoringResult, scenario: ScoringResult) -> tuple[list[dict[str, Any]], int]:
    rows: list[dict[str, Any]] = []
    for pk in sorted(set(baseline.cascade.nodes) | set(scenario.cascade.nodes)):
        node = scenario.cascade.nodes.get(pk) or baseline.cascade.nodes[pk]
        before, after = _objective_facts(baseline, pk), _objective_facts(scenario, pk)
        pairs = {name: _pair(before[name], after[name]) for name in OBJECTIVE_FACTS}
        moved = any(_differs(pair) for pair in pairs.values())
        if moved or node.parent_id is None:
            rows.append(
                {"id": pk, "title": node.title, "root": node.parent_id is None, **pairs, "moved": moved}
            )
    rows.sort(key=lambda row: (not row["moved"], -(row["intended_share"]["scenario"] or 0.0), row["id"]))
    return rows[:LIST_LIMIT], len(rows)


def _touched_initiatives(edits: PlanEdits) -> set[int]:
    """The initiatives a change names: changed ones, those of changed or added allocations, and the
    old and new initiative links of relinked tasks."""
    touched = set(edits.changed(Initiative))
    for pk, row in edits.changed(Allocation).items():
        touched.add(edits.originals[(Allocation, pk)].initiative_id)
        if row is not None:
            touched.add(row.initiative_id)
    touched |= {allocation.initiative_id for allocation in edits.created}
    for pk, (_, initiative) in edits.task_links.items():
        for linked in (initiative, edits.task_links_before[pk][1]):
            if linked is not None:
                touched.add(linked)
    return touched


def _initiative_facts(result: ScoringResult, over_staffed: frozenset[int], pk: int) -> dict[str, Any]:
    """One initiative's staffing and signals in `result`; `over_staffed` is its over-staffed
    initiatives as a set (the result's tuple is in order of surplus: a lookup in it is a scan)."""
    staffing = result.resources.initiatives.get(pk)
    forecast = result.signals.forecasts.get(pk)
    finish: date | None = forecast.finish if forecast else None
    return {
        "active": staffing is not None,
        "demand": staffing.demand if staffing else None,
        "supply": staffing.supply if staffing else None,
        "coverage": staffing.coverage if staffing else None,
        "surplus": result.signals.surplus.get(pk),
        "over_staffed": pk in over_staffed,
        "forecast_finish": finish.isoformat() if finish else None,
        "forecast_late": bool(forecast and forecast.late),
    }


def _initiatives(
    baseline: ScoringResult, scenario: ScoringResult, edits: PlanEdits
) -> tuple[list[dict[str, Any]], int]:
    titles = {node.id: node.title for node in scenario.inputs.initiatives}
    touched = _touched_initiatives(edits)
    over_before = frozenset(baseline.signals.over_staffed)
    over_after = frozenset(scenario.signals.over_staffed)
    rows = []
    for pk in sorted(titles):
        before = _initiative_facts(baseline, over_before, pk)
        after = _initiative_facts(scenario, over_after, pk)
        pairs = {name: _pair(before[name], after[name]) for name in before}
        if pk in touched or any(_differs(pair) for pair in pairs.values()):
            rows.append({"id": pk, "title": titles[pk], "changed_by_scenario": pk in touched, **pairs})

    def moved(row: dict[str, Any]) -> float:
        return abs(row["coverage"]["difference"] or 0.0) + abs(row["surplus"]["difference"] or 0.0) / 1000

    rows.sort(key=lambda row: (not row["changed_by_scenario"], -moved(row), row["id"]))
    return rows[:LIST_LIMIT], len(rows)


def _people(baseline: ScoringResult, scenario: ScoringResult) -> dict[str, Any]:
    names = {node.id: node.name for node in scenario.inputs.people}

    def group(ids_of: Callable[[ScoringResult], tuple[int, ...]]) -> dict[str, Any]:
        before, after = set(ids_of(baseline)), set(ids_of(scenario))
        return {
            **_pair(len(before), len(after)),
            "added": [{"id": pk, "name": names.get(pk, "")} for pk in sorted(after - before)][:PEOPLE_LIMIT],
            "removed": [{"id": pk, "name": names.get(pk, "")} for pk in sorted(before - after)][
                :PEOPLE_LIMIT
            ],
        }

    return {
        "over_capacity": group(lambda result: result.resources.over_capacity),
        "spread_thin": group(lambda result: result.resources.spread_thin),
    }


def _signals(result: ScoringResult) -> dict[str, Any]:
    signals = result.signals
    return {
        "over_staffed": len(signals.over_staffed),
        "total_surplus": signals.total_surplus,
        "over_invested": len(signals.over_invested),
        "forecast_late": len(signals.forecast_late),
    }


def comparison_of(baseline: ScoringResult, scenario: ScoringResult, edits: PlanEdits) -> dict[str, Any]:
    """The evaluation as the API and the pages show it (JSON-ready)."""
    objectives, objective_count = _objectives(baseline, scenario)
    initiatives, initiative_count = _initiatives(baseline, scenario, edits)
    before, after = _signals(baseline), _signals(scenario)
    comparison = {
        "as_of": baseline.inputs.parameters.as_of.isoformat(),
        "scores": {name: _pair(_score(baseline, name), _score(scenario, name)) for name in SCORES},
        "objectives": objectives,
        "objective_count": objective_count,
        "initiatives": initiatives,
        "initiative_count": initiative_count,
        "people": _people(baseline, scenario),
        "off_strategy_capacity": _pair(
            baseline.resources.off_strategy_capacity, scenario.resources.off_strategy_capacity
        ),
        "signals": {name: _pair(before[name], after[name]) for name in before},
    }
    comparison["explanation"] = explanation_of(comparison)
    return comparison


def _points(value: float | None) -> str:
    return "no score" if value is None else f"{value:.1f}"


def _percent(value: float | None) -> str:
    return "none" if value is None else f"{100 * value:.0f}%"


def explanation_of(comparison: dict[str, Any]) -> list[str]:
    """The differences in words, the largest first: scores, shares, coverage, people, off-strategy."""
    sentences = []
    for name, pair in comparison["scores"].items():
        before, after, difference = pair["baseline"], pair["scenario"], pair["difference"]
        if difference is None and before != after:
            sentences.append(f"{SCORE_NAMES[name]}: {_points(before)} → {_points(after)}.")
        elif difference is not None and abs(difference) >= 0.05:
            verb = "rises" if difference > 0 else "falls"
            sentences.append(
                f"{SCORE_NAMES[name]} {verb} {abs(difference):.1f} points,"
                f" from {_points(before)} to {_points(after)}."
            )
    shares = [
        row for row in comparison["objectives"]
        if abs(row["actual_share"]["difference"] or 0.0) >= NOTICEABLE
    ]  # fmt: skip
    for row in sorted(shares, key=lambda row: -abs(row["actual_share"]["difference"]))[:3]:
        share = row["actual_share"]
        sentences.append(
            f"“{row['title']}” takes {_percent(share['scenario'])} of the effort instead of "
            f"{_percent(share['baseline'])} (intended {_percent(row['intended_share']['scenario'])})."
        )
    coverage = [
        row for row in comparison["initiatives"]
        if row["coverage"]["baseline"] != row["coverage"]["scenario"]
        and abs((row["coverage"]["scenario"] or 0.0) - (row["coverage"]["baseline"] or 0.0)) >= NOTICEABLE
    ]  # fmt: skip
    for row in coverage[:3]:
        pair = row["coverage"]
        sentences.append(
            f"“{row['title']}” goes from {_percent(pair['baseline'])}"
            f" to {_percent(pair['scenario'])} covered."
        )
    for key, label in (("over_capacity", "over capacity"), ("spread_thin", "spread thin")):
        pair = comparison["people"][key]
        if pair["difference"]:
            more = "more" if pair["difference"] > 0 else "fewer"
            count = abs(pair["difference"])
            sentences.append(
                f"{count} {more} {'person' if count == 1 else 'people'} {label} "
                f"({pair['baseline']} → {pair['scenario']})."
            )
    off = comparison["off_strategy_capacity"]
    if abs(off["difference"]) >= 0.05:
        verb = "rises" if off["difference"] > 0 else "falls"
        sentences.append(
            f"Off-strategy capacity {verb} from {off['baseline']:.1f} to {off['scenario']:.1f} hours a week."
        )
    return sentences or ["This scenario changes none of the scores, shares, coverage or loads."]
