"""Example answers for the OpenAPI schema (the worked shapes a client reads)."""

from __future__ import annotations

from typing import Any


def _pair(baseline: Any, scenario: Any) -> dict[str, Any]:
    difference = scenario - baseline if isinstance(baseline, float) and isinstance(scenario, float) else None
    return {"baseline": baseline, "scenario": scenario, "difference": difference}


EVALUATION_EXAMPLE: dict[str, Any] = {
    "scenario": 12,
    "evaluated_at": "2026-12-05T09:14:03Z",
    "as_of": "2026-12-05",
    "current": True,
    "scores": {
        "execution_health": _pair(63.7, 70.7),
        "alignment": _pair(52.6, 52.6),
        "resources": _pair(71.9, 100.0),
        "adaptability": _pair(51.1, 51.1),
        "people": _pair(79.1, 79.1),
    },
    "objectives": [
        {
            "id": 3,
            "title": "Reach 99.95% fleet uptime",
            "root": True,
            "moved": True,
            "intended_share": _pair(0.27, 0.27),
            "actual_share": _pair(0.31, 0.31),
            "coverage": _pair(0.42, 1.0),
            "progress_status": _pair("behind", "behind"),
        }
    ],
    "objective_count": 1,
    "initiatives": [
        {
            "id": 2,
            "title": "Self-healing drive controller firmware",
            "changed_by_scenario": True,
            "active": _pair(True, True),
            "demand": _pair(96.0, 96.0),
            "supply": _pair(0.0, 102.9),
            "coverage": _pair(0.0, 1.0),
            "surplus": _pair(0.0, 6.9),
            "over_staffed": _pair(False, False),
            "forecast_finish": _pair(None, None),
            "forecast_late": _pair(True, True),
        }
    ],
    "initiative_count": 1,
    "people": {
        "over_capacity": {**_pair(8, 8), "difference": 0, "added": [], "removed": []},
        "spread_thin": {**_pair(4, 4), "difference": 0, "added": [], "removed": []},
    },
    "off_strategy_capacity": _pair(240.3, 186.8),
    "signals": {
        "over_staffed": {**_pair(3, 2), "difference": -1},
        "total_surplus": _pair(2210.4, 1650.2),
        "over_invested": {**_pair(1, 1), "difference": 0},
        "forecast_late": {**_pair(5, 5), "difference": 0},
    },
    "explanation": [
        "Execution health rises 7.0 points, from 63.7 to 70.7.",
        "Resources rises 28.1 points, from 71.9 to 100.0.",
        "“Self-healing drive controller firmware” goes from 0% to 100% covered.",
        "Off-strategy capacity falls from 240.3 to 186.8 hours a week.",
    ],
}

CONFLICTS_EXAMPLE: dict[str, Any] = {
    "detail": "Rows changed since this scenario was drafted: rebase it on the current plan.",
    "conflicts": [
        {
            "change": 41,
            "position": 1,
            "row": "allocation:12",
            "drafted_version": 1,
            "current_version": 2,
            "message": (
                "Change 1: the allocation 12 changed since this scenario was drafted"
                " (version 2, drafted on 1)."
            ),
        }
    ],
}
