"""Field validators and checks shared by the organization-owned models."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone

not_negative = MinValueValidator(Decimal(0), message="Must not be negative.")


def positive(value: Decimal | int | float) -> None:
    if value is not None and value <= 0:
        raise ValidationError("Must be greater than 0.", code="not_positive")


def as_required(error: ValidationError) -> ValidationError:
    """Django's "This field cannot be null." / "... blank." as the plainer "This field is required."."""
    if error.code in ("null", "blank"):
        return ValidationError("This field is required.", code="required")
    return error


def dates_ordered(start: Any, end: Any) -> dict[str, str]:
    """The error for an end date before its start date, keyed by field (empty when fine).

    Values that are not dates (input that failed its own field check) are left to that check.
    """
    if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
        return {"end_date": "The end date cannot be before the start date."}
    return {}


def tree_cycle_error(
    node_id: int | None, new_parent_id: int | None, edges: Mapping[int, int | None]
) -> str | None:
    """Would giving `node_id` the parent `new_parent_id` make the node its own ancestor?

    `edges` maps each node of the tree to its current parent.
    """
    if new_parent_id is None or node_id is None:
        return None
    seen: set[int] = set()
    current: int | None = new_parent_id
    while current is not None and current not in seen:
        if current == node_id:
            return "This would make it its own ancestor: the parent links must form a tree."
        seen.add(current)
        current = edges.get(current)
    return None


# Sane bounds (issue 11): what no real plan holds, refused with the field and the bound named, on
# every way in (the models' `validation_errors`, which `full_clean`, the imports and scenarios run).

HOURS_IN_A_WEEK = Decimal(168)
EARLIEST_DATE = datetime.date(2000, 1, 1)
YEARS_AHEAD = 10


def _hours(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def hours_at_most(value: Any, bound: Decimal, what: str) -> str | None:
    """ "Must be at most 2,000 hours (the most a task's effort may be)." when `value` is over `bound`.

    Values that are not numbers (input that failed its own field check) are left to that check.
    """
    if isinstance(value, (Decimal, int, float)) and value > bound:
        return f"Must be at most {_hours(Decimal(bound))} hours ({what})."
    return None


def task_effort_bound() -> Decimal:
    """The most hours one task's effort may be (setting EXECGAP_MAX_TASK_EFFORT_HOURS)."""
    return Decimal(settings.EXECGAP_MAX_TASK_EFFORT_HOURS)


def initiative_estimate_bound() -> Decimal:
    """The most hours an initiative's estimate may be (setting EXECGAP_MAX_INITIATIVE_ESTIMATE_HOURS)."""
    return Decimal(settings.EXECGAP_MAX_INITIATIVE_ESTIMATE_HOURS)


def date_range_errors(row: Any, *names: str) -> dict[str, str]:
    """Every date and time of the plan and of what happened lies from 2000-01-01 to ten years after
    today (a time by its date in the server's time zone). Wider than any real plan or history, so
    that it refuses only the impossible (a check-in in 2999, feedback from 1900) and leaves what-ifs
    dated ahead alone. Values that are not dates are left to their own field check."""
    latest = _years_after(timezone.localdate(), YEARS_AHEAD)
    errors: dict[str, str] = {}
    for name in names:
        day = _as_date(getattr(row, name))
        if day is not None and day < EARLIEST_DATE:
            errors[name] = f"Must be on or after {EARLIEST_DATE.isoformat()}."
        elif day is not None and day > latest:
            errors[name] = f"Must be on or before {latest.isoformat()} (ten years from today)."
    return errors


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date() if timezone.is_naive(value) else timezone.localtime(value).date()
    return value if isinstance(value, datetime.date) else None


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)
