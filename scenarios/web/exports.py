"""The scenarios as CSV (`execgap.web.export`): every one the list's search and status select, the
most recently changed first, with its changes and its evaluated difference in execution health."""

from __future__ import annotations

from typing import Any

from execgap.roles import Resource
from execgap.web.export import Column, CsvTable, TableRows
from execgap.web.pages import OrgRequest
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
