"""Each score's change over 7 and 28 days in `scores/`: the scores against those of the snapshot that
`scores/` answered with 7 (28) days earlier.

The snapshot compared with is the latest computed at or before the moment 7 × 24 (28 × 24) hours
before now, or before the read snapshot's `computed_at` when one is named with `?snapshot=`: by
`computed_at` (then id), as `scores/` picks the latest, so a snapshot computed later for an earlier
date D never stands for the past. None when there is no such snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, Subquery

from scoring.api.numbers import change_between
from scoring.models import ScoreSnapshot

WINDOWS = {"7d": timedelta(days=7), "28d": timedelta(days=28)}
SCORE_FIELDS = ("execution_health", "alignment", "resources", "adaptability", "people")
PARAMETER_FIELDS = (
    "activity_window_days",
    "planning_horizon_days",
    "checkin_cadence_days",
    "default_task_effort_hours",
    "spread_thin_allocations",
)


@dataclass(frozen=True)
class Stamp:
    """What a snapshot compared with contributes: its identity, scores and parameters."""

    snapshot: int
    as_of: date
    computed_at: datetime
    scores: dict[str, float | None]
    parameters: dict[str, Any]


Compared = dict[str, Stamp | None]  # by window name ("7d", "28d")
NOTHING_COMPARED: Compared = dict.fromkeys(WINDOWS)


def _latest_at_or_before(organization_id: int, moment: datetime) -> Subquery:
    snapshots = ScoreSnapshot.objects.for_org(organization_id).filter(computed_at__lte=moment)
    return Subquery(snapshots.order_by("-computed_at", "-id").values("id")[:1])


def _stamps(rows: Q, organization_id: int) -> list[Stamp]:
    """The snapshots matching `rows`, latest first (by computed_at, then id: the order of `scores/`)."""
    fields = ("id", "as_of", "computed_at", *SCORE_FIELDS, *PARAMETER_FIELDS)
    found = (
        ScoreSnapshot.objects.for_org(organization_id)
        .filter(rows)
        .order_by("-computed_at", "-id")
        .values(*fields)
    )
    return [
        Stamp(
            snapshot=row["id"],
            as_of=row["as_of"],
            computed_at=row["computed_at"],
            scores={name: row[name] for name in SCORE_FIELDS},
            parameters=_parameters(row),
        )
        for row in found
    ]


def _parameters(row: dict[str, Any]) -> dict[str, Any]:
    parameters = {name: row[name] for name in PARAMETER_FIELDS}
    parameters["default_task_effort_hours"] = float(parameters["default_task_effort_hours"])
    return parameters


def _pick(stamps: list[Stamp], moment: datetime) -> Compared:
    """Of `stamps` (latest first), the latest at or before each window's start back from `moment`."""
    return {
        name: next((stamp for stamp in stamps if stamp.computed_at <= moment - span), None)
        for name, span in WINDOWS.items()
    }


def latest_and_compared(*, organization_id: int, now: datetime) -> tuple[int | None, Compared]:
    """The latest snapshot's id (None before the first) and the snapshots to compare it with, back
    from `now`: one query (the latest may itself be one of them, when older than a window)."""
    latest = ScoreSnapshot.objects.for_org(organization_id).order_by("-computed_at", "-id")
    rows = Q(pk=Subquery(latest.values("id")[:1]))
    for span in WINDOWS.values():
        rows |= Q(pk=_latest_at_or_before(organization_id, now - span))
    stamps = _stamps(rows, organization_id)
    if not stamps:
        return None, NOTHING_COMPARED
    return stamps[0].snapshot, _pick(stamps, now)


def compared_before(*, organization_id: int, computed_at: datetime) -> Compared:
    """The snapshots to compare a named snapshot with, back from its `computed_at`: one query."""
    rows = reduce(
        or_, (Q(pk=_latest_at_or_before(organization_id, computed_at - span)) for span in WINDOWS.values())
    )
    return _pick(_stamps(rows, organization_id), computed_at)


def changes_of(scores: dict[str, float | None], compared: Compared) -> dict[str, dict[str, float | None]]:
    """By score name (execution health and the four), its change over each window (`change_7d`...)."""
    return {
        name: {
            f"change_{window}": None if stamp is None else change_between(value, stamp.scores[name])
            for window, stamp in compared.items()
        }
        for name, value in scores.items()
    }


def compared_of(stamp: Stamp | None, parameters: dict[str, Any] | None) -> dict[str, Any] | None:
    """The `compared_7d` / `compared_28d` answer: which snapshot, and whether it used other parameters
    than the read one's `parameters` (then part of the change is the settings', not the work's)."""
    if stamp is None:
        return None
    return {
        "snapshot": stamp.snapshot,
        "as_of": stamp.as_of,
        "computed_at": stamp.computed_at,
        "parameters_changed": parameters is not None and stamp.parameters != parameters,
    }
