"""The plan's revision history: which models keep it, and how (django-simple-history)."""

from django.db import models
from simple_history.models import HistoricalRecords

# The longest reason a client may give for a change (the column itself takes any length).
REASON_MAX_LENGTH = 500


def plan_history() -> HistoricalRecords:
    """Who changed a plan row, when, to what and why; the tables live in the feedback app.

    Reasons are free text of any length (the library's default column holds 100 characters).
    """
    return HistoricalRecords(
        app="feedback",
        excluded_fields=["created_at", "updated_at"],
        history_change_reason_field=models.TextField(null=True),
    )
