"""Filters of the teams, people and allocations lists.

Links are filtered by id against the organization's own rows (the view's queryset is already
scoped), so an id of another organization's row finds nothing, exactly like an id that does not
exist, and costs no lookup.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from resources.models import Allocation, Person, Team

# The largest row id (a 64-bit key): past it SQLite cannot even compare, so a larger one is refused.
MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """An exact match on a link, given as a row id (0 to MAX_ID; anything else is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
        # In the schema: an integer, described by the label (per filter, hence on the instance).
        extend_schema_field({"type": "integer", "minimum": 0, "maximum": MAX_ID, "description": self.label})(
            self
        )


class _TrueOrFalseField(forms.Field):
    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        answer = {"true": True, "1": True, "false": False, "0": False}.get(str(value).lower())
        if answer is None:
            raise forms.ValidationError("Use true or false.", code="invalid")
        return answer


class TrueOrFalseFilter(filters.BooleanFilter):
    """`true` or `false` (anything else is refused, not ignored)."""

    field_class = _TrueOrFalseField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)  # django-filter's own widget reads junk as "any"
        super().__init__(*args, **kwargs)


class _UtcDateTimeField(IsoDateTimeField):
    def to_python(self, value: Any) -> datetime.datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        # In UTC: PostgreSQL refuses the offsets past ±15:59 that ISO 8601 and Python allow.
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError("Give a time between the years 1 and 9999.", code="invalid") from None


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date and time with any offset, compared in UTC."""

    field_class = _UtcDateTimeField


class UpdatedSinceFilterSet(filters.FilterSet):
    updated_since = UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Only rows changed at or after this time (ISO 8601, such as 2027-01-04T09:00:00Z).",
    )


class TeamFilter(UpdatedSinceFilterSet):
    parent = IdFilter(field_name="parent", label="Only the direct children of this team (its id).")

    class Meta:
        model = Team
        fields = ("parent", "updated_since")


class PersonFilter(UpdatedSinceFilterSet):
    team = IdFilter(field_name="team", label="Only the people of this team (its id).")
    active = TrueOrFalseFilter(label="Only active (true) or inactive (false) people.")

    class Meta:
        model = Person
        fields = ("team", "active", "updated_since")


class AllocationFilter(UpdatedSinceFilterSet):
    person = IdFilter(field_name="person", label="Only this person's allocations (their id).")
    initiative = IdFilter(field_name="initiative", label="Only the allocations to this initiative (its id).")
    active_on = filters.DateFilter(
        method="filter_active_on",
        label="Only the allocations running on this date (an open start or end runs forever that way).",
    )

    class Meta:
        model = Allocation
        fields = ("person", "initiative", "active_on", "updated_since")

    def filter_active_on(self, queryset: QuerySet[Any], name: str, value: datetime.date) -> QuerySet[Any]:
        return queryset.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=value),
            Q(end_date__isnull=True) | Q(end_date__gte=value),
        )
