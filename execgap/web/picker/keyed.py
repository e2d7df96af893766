"""Choices across several kinds of rows, sent as `<kind>:<id>` (a goal: an objective or an initiative)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet


@dataclass
class KeyedChoices:
    """Choices keyed `<kind>:<id>` across several kinds of rows (a goal: an initiative or an objective),
    each kind with the queryset it is chosen from."""

    querysets: dict[str, QuerySet[Any]]
    labels_by_kind: dict[str, str] = field(default_factory=dict)

    def parse(self, value: str) -> tuple[str, int] | None:
        kind, _, raw = value.partition(":")
        if kind not in self.querysets or not raw.isdigit() or len(raw) > 18:
            return None
        return kind, int(raw)

    def row(self, value: str) -> Any:
        """The row `value` names, read from its kind's queryset, or None."""
        parsed = self.parse(value)
        if parsed is None:
            return None
        kind, pk = parsed
        return self.querysets[kind].filter(pk=pk).first()

    def labels(self, values: Sequence[str]) -> dict[str, str]:
        """`<Kind>: <title>` of each value its kind's queryset holds. One query per kind chosen."""
        wanted: dict[str, list[int]] = {}
        for value in values:
            parsed = self.parse(value)
            if parsed is not None:
                wanted.setdefault(parsed[0], []).append(parsed[1])
        found: dict[str, str] = {}
        for kind, ids in wanted.items():
            prefix = self.labels_by_kind.get(kind, kind.replace("_", " ").capitalize())
            for row in self.querysets[kind].filter(pk__in=ids):
                found[f"{kind}:{row.pk}"] = f"{prefix}: {row}"
        return found


class KeyedChoiceField(forms.CharField):
    """A row among several kinds, sent as `<kind>:<id>` (a goal: `initiative:12`); cleaned to the row,
    read from its kind's queryset. Anything else is "not one of the available choices"."""

    default_error_messages = {
        "invalid_choice": "Select a valid choice. That choice is not one of the available choices.",
    }

    def __init__(self, *, choices: KeyedChoices, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keyed = choices

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        row = self.keyed.row(text)
        if row is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return row
