"""The scenarios as CSV (`execgap.web.export`): every one the list's search and status select, the
most recently changed first, with its changes and its evaluated difference in execution health; and
one scenario's evaluation, every table of it in one file: a row per measure of a score, an objective,
an initiative, the people or a signal, baseline against scenario."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404

from execgap.roles import Resource
from execgap.web.export import Column, CsvTable, TableRows
from execgap.web.pages import OrgRequest
from scenarios.compare import SCORE_NAMES, SCORES
from scenarios.models import Scenario
from scenarios.web.views import ORDER, scenarios_filtered


def _scenarios(request: OrgRequest) -> TableRows:
    rows, _, error = scenarios_filtered(request)
    return TableRows(rows, order=ORDER, error=error)


def _difference(scenario: Any) -> float | None:
    """The evaluation's difference in execution health (points; empty before an evaluation)."""
    raw = scenario.health_difference
    try:
        return None if raw in (None, "", "null") else round(float(raw), 1)
    except (TypeError, ValueError):
        return None


SCENARIOS = CsvTable(
    "scenarios",
    (
        Column("Scenario", lambda scenario: scenario.name),
        Column("Status", lambda scenario: scenario.get_status_display()),
        Column("Changes", lambda scenario: scenario.change_count),
        Column("Execution health difference (points)", _difference),
        Column(
            "Drafted by", lambda scenario: scenario.created_by.get_username() if scenario.created_by else ""
        ),
        Column("Last changed", lambda scenario: scenario.updated_at),
        Column("Evaluated", lambda scenario: scenario.evaluated_at),
        Column("Applied", lambda scenario: scenario.applied_at),
    ),
    _scenarios,
    Resource.SCENARIO,
)


@dataclass(frozen=True)
class Measure:
    """One number of an evaluation, baseline against scenario (as the evaluation stores it: shares
    and coverage from 0 to 1, hours, counts, dates, yes or no)."""

    section: str
    item: str
    measure: str
    baseline: Any
    scenario: Any
    difference: Any


OBJECTIVE_MEASURES = (
    ("intended_share", "Intended share"),
    ("actual_share", "Actual share of effort"),
    ("coverage", "Coverage"),
    ("progress_status", "Progress"),
)
INITIATIVE_MEASURES = (
    ("coverage", "Coverage"),
    ("surplus", "Surplus (hours)"),
    ("forecast_finish", "Forecast finish"),
    ("forecast_late", "Forecast late"),
)
PEOPLE_MEASURES = (("over_capacity", "Over capacity"), ("spread_thin", "Spread thin"))
SIGNAL_MEASURES = (  # (key, signal, unit)
    ("over_staffed", "Over-staffed initiatives", "Count"),
    ("total_surplus", "Total surplus", "Hours"),
    ("over_invested", "Over-invested objectives", "Count"),
    ("forecast_late", "Initiatives forecast late", "Count"),
)


def _measure(section: str, item: str, measure: str, raw: Any) -> Measure:
    raw = raw if isinstance(raw, dict) else {}
    return Measure(section, item, measure, raw.get("baseline"), raw.get("scenario"), raw.get("difference"))


def evaluation_measures(evaluation: dict[str, Any]) -> Iterator[Measure]:
    """Every number of a stored evaluation (`scenarios.compare`), in the order the page shows them."""
    scores = evaluation.get("scores") or {}
    for name in SCORES:
        yield _measure("Score", SCORE_NAMES[name], "Points of 100", scores.get(name))
    for row in evaluation.get("objectives") or []:
        for key, label in OBJECTIVE_MEASURES:
            yield _measure("Objective", row.get("title", ""), label, row.get(key))
    for row in evaluation.get("initiatives") or []:
        for key, label in INITIATIVE_MEASURES:
            yield _measure("Initiative", row.get("title", ""), label, row.get(key))
    people = evaluation.get("people") or {}
    for key, label in PEOPLE_MEASURES:
        yield _measure("People", label, "People", people.get(key))
    signals = evaluation.get("signals") or {}
    for key, label, unit in SIGNAL_MEASURES:
        yield _measure("Signal", label, unit, signals.get(key))
    yield _measure(
        "Capacity", "Off-strategy capacity", "Hours per week", evaluation.get("off_strategy_capacity")
    )


def _evaluation(request: OrgRequest, pk: int) -> TableRows:
    scenario = get_object_or_404(Scenario.objects.for_org(request.org.organization), pk=pk)
    if scenario.evaluation is None:
        return TableRows(
            [], error="This scenario is not evaluated yet: evaluate it first.", subject=scenario.name
        )
    return TableRows(evaluation_measures(scenario.evaluation), subject=scenario.name)


EVALUATION = CsvTable(
    "evaluation",
    (
        Column("Section", lambda measure: measure.section),
        Column("Item", lambda measure: measure.item),
        Column("Measure", lambda measure: measure.measure),
        Column("Baseline", lambda measure: measure.baseline),
        Column("Scenario", lambda measure: measure.scenario),
        Column("Difference", lambda measure: measure.difference),
    ),
    _evaluation,
    Resource.SCENARIO,
)
