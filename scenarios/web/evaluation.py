"""A scenario's stored evaluation (`scenarios.compare`) as the pages show it: each number in words,
baseline beside scenario, with what moved; and whether it still holds (the plan or the day moved)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.safestring import SafeString

from execgap.models import Organization
from scenarios.compare import SCORE_NAMES, SCORES
from scenarios.models import Scenario
from scenarios.web.charts import before_after_bars, points

Json = dict[str, Any]


@dataclass(frozen=True)
class Pair:
    """A number before and after, as text: `changed` when they differ."""

    baseline: str
    scenario: str
    difference: str = ""
    changed: bool = False
    better: bool | None = None  # None: neither (or not a score)


@dataclass(frozen=True)
class ScoreRow:
    name: str
    label: str
    pair: Pair
    chart: SafeString


@dataclass(frozen=True)
class EvaluationView:
    scores: list[ScoreRow]
    explanation: list[str]
    as_of: str
    objectives: list[Json] = field(default_factory=list)
    objective_count: int = 0
    initiatives: list[Json] = field(default_factory=list)
    initiative_count: int = 0
    people: list[Json] = field(default_factory=list)
    off_strategy: Pair | None = None
    signals: list[tuple[str, Pair]] = field(default_factory=list)


def percent(value: Any) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def hours(value: Any) -> str:
    return "—" if value is None else f"{value:,.1f} h"


def _words(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ").capitalize()


def pair_of(
    raw: Json | None, text: Callable[[Any], str], *, unit: str = "", higher_is_better: bool | None = None
) -> Pair:
    raw = raw or {}
    before, after, difference = raw.get("baseline"), raw.get("scenario"), raw.get("difference")
    changed = before != after
    words = ""
    better = None
    if isinstance(after, bool):
        difference = int(after) - int(bool(before)) if changed else 0
        better = None if not changed or higher_is_better is None else (difference > 0) == higher_is_better
        return Pair(text(before), text(after), "", changed, better)
    if isinstance(difference, int | float) and changed:
        if text is percent:
            words = f"{100 * difference:+.0f} pts"
        elif text is hours:
            words = f"{difference:+,.1f} h"
        elif isinstance(difference, int):
            words = f"{difference:+d}{unit}"
        else:
            words = f"{difference:+.1f}{unit}"
        if higher_is_better is not None and difference:
            better = (difference > 0) == higher_is_better
    return Pair(text(before), text(after), words, changed, better)


def scores_of(evaluation: Json, *, ident: str) -> list[ScoreRow]:
    rows = []
    for name in SCORES:
        raw = (evaluation.get("scores") or {}).get(name) or {}
        pair = pair_of(raw, points, higher_is_better=True)
        chart = before_after_bars(
            ident=f"{ident}-{name}", label=SCORE_NAMES[name],
            baseline=raw.get("baseline"), scenario=raw.get("scenario"),
        )  # fmt: skip
        rows.append(ScoreRow(name, SCORE_NAMES[name], pair, chart))
    return rows


def evaluation_view(evaluation: Json, *, ident: str) -> EvaluationView:
    objectives = [
        {
            "id": row["id"], "title": row["title"], "root": row.get("root"), "moved": row.get("moved"),
            "intended": pair_of(row.get("intended_share"), percent),
            "actual": pair_of(row.get("actual_share"), percent),
            "coverage": pair_of(row.get("coverage"), percent, higher_is_better=True),
            "progress": pair_of(row.get("progress_status"), _words),
        }
        for row in evaluation.get("objectives") or []
    ]  # fmt: skip
    initiatives = [
        {
            "id": row["id"], "title": row["title"], "changed": row.get("changed_by_scenario"),
            "coverage": pair_of(row.get("coverage"), percent, higher_is_better=True),
            "surplus": pair_of(row.get("surplus"), hours),
            "forecast": pair_of(row.get("forecast_finish"), lambda value: value or "none"),
            "late": pair_of(row.get("forecast_late"), _words, higher_is_better=False),
        }
        for row in evaluation.get("initiatives") or []
    ]  # fmt: skip
    people = []
    for key, label in (("over_capacity", "Over capacity"), ("spread_thin", "Spread thin")):
        raw = (evaluation.get("people") or {}).get(key) or {}
        people.append(
            {
                "label": label,
                "pair": pair_of(
                    raw, lambda value: "—" if value is None else str(value), higher_is_better=False
                ),
                "added": [person["name"] for person in raw.get("added") or []],
                "removed": [person["name"] for person in raw.get("removed") or []],
            }
        )
    signal_labels: dict[str, tuple[str, Callable[[Any], str]]] = {
        "over_staffed": ("Over-staffed initiatives", str),
        "total_surplus": ("Total surplus", hours),
        "over_invested": ("Over-invested objectives", str),
        "forecast_late": ("Initiatives forecast late", str),
    }
    signals = [
        (label, pair_of((evaluation.get("signals") or {}).get(name), text))
        for name, (label, text) in signal_labels.items()
    ]
    return EvaluationView(
        scores=scores_of(evaluation, ident=ident),
        explanation=list(evaluation.get("explanation") or []),
        as_of=evaluation.get("as_of") or "",
        objectives=objectives,
        objective_count=evaluation.get("objective_count") or len(objectives),
        initiatives=initiatives,
        initiative_count=evaluation.get("initiative_count") or len(initiatives),
        people=people,
        off_strategy=pair_of(
            evaluation.get("off_strategy_capacity"),
            lambda value: "—" if value is None else f"{value:.1f} h/week",
            higher_is_better=False,
        ),
        signals=signals,
    )


def out_of_date(scenario: Scenario, organization: Organization, today: date) -> list[str]:
    """Why the stored evaluation may no longer hold: the plan changed since, or the day moved on."""
    if scenario.evaluation is None:
        return []
    reasons = []
    changed_at = organization.scores_changed_at
    if changed_at is not None and (
        scenario.evaluated_plan_at is None or changed_at > scenario.evaluated_plan_at
    ):
        reasons.append(
            f"The plan changed since it was evaluated (last change {changed_at:%-d %b %Y, %H:%M} UTC)."
        )
    if scenario.evaluated_as_of is not None and scenario.evaluated_as_of != today:
        reasons.append(
            f"It was computed for {scenario.evaluated_as_of:%-d %b %Y}; today is {today:%-d %b %Y}."
        )
    return reasons
