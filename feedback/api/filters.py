"""Filters of the check-ins, feedback and recognitions lists (links by id, as in `resources.api.filters`)."""

from __future__ import annotations

from django_filters import rest_framework as filters

from feedback.models import CheckIn, FeedbackItem, FeedbackKind, FeedbackStatus, Recognition
from resources.api.filters import IdFilter, UpdatedSinceFilterSet


class CheckInFilter(UpdatedSinceFilterSet):
    objective = IdFilter(field_name="objective", label="Only check-ins on this objective (its id).")
    initiative = IdFilter(field_name="initiative", label="Only check-ins on this initiative (its id).")
    key_result = IdFilter(field_name="key_result", label="Only check-ins on this key result (its id).")
    author = IdFilter(field_name="author", label="Only check-ins by this person (their id).")
    date_from = filters.DateFilter(
        field_name="date", lookup_expr="gte", label="Only check-ins on or after this date."
    )
    date_to = filters.DateFilter(
        field_name="date", lookup_expr="lte", label="Only check-ins on or before this date."
    )

    class Meta:
        model = CheckIn
        fields = ("objective", "initiative", "key_result", "author", "date_from", "date_to", "updated_since")


class FeedbackFilter(UpdatedSinceFilterSet):
    kind = filters.ChoiceFilter(choices=FeedbackKind.choices, label="Only feedback of this kind.")
    status = filters.ChoiceFilter(choices=FeedbackStatus.choices, label="Only feedback in this status.")
    objective = IdFilter(field_name="objective", label="Only feedback about this objective (its id).")
    initiative = IdFilter(field_name="initiative", label="Only feedback about this initiative (its id).")
    author = IdFilter(field_name="author", label="Only feedback raised by this person (their id).")

    class Meta:
        model = FeedbackItem
        fields = ("kind", "status", "objective", "initiative", "author", "updated_since")


class RecognitionFilter(UpdatedSinceFilterSet):
    from_person = IdFilter(
        field_name="from_person", label="Only recognitions given by this person (their id)."
    )
    to_person = IdFilter(field_name="to_person", label="Only recognitions given to this person (their id).")

    class Meta:
        model = Recognition
        fields = ("from_person", "to_person", "updated_since")
