"""Field validators and checks shared by the organization-owned models."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator

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
