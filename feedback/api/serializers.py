"""Check-ins, feedback and recognitions as the API reads and writes them (fields as SPEC.md names them).

Times that describe the past are writable so that history can be loaded: a check-in's `date`,
feedback's `created_at`, `acknowledged_at` and `resolved_at`, a recognition's `created_at`
(each defaults to now). The person a row is written as (`author`, `from_person`) defaults to
the caller's own person.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from execgap.api.base import OrgRowSerializer
from feedback.models import CheckIn, FeedbackItem, Recognition

ROW_FIELDS = ("version", "created_at", "updated_at")
_ROW_READ_ONLY = ("version", "updated_at")


class CheckInSerializer(OrgRowSerializer):
    """A dated look at exactly one objective, initiative or key result."""

    class Meta:
        model = CheckIn
        fields = (
            "id", "objective", "initiative", "key_result", "author", "date", "value", "confidence", "note",
            *ROW_FIELDS,
        )  # fmt: skip
        read_only_fields = ROW_FIELDS
        extra_kwargs = {
            "objective": {"help_text": "Give exactly one of objective, initiative and key_result."},
            "initiative": {"help_text": "Give exactly one of objective, initiative and key_result."},
            "key_result": {"help_text": "Give exactly one of objective, initiative and key_result."},
            "author": {"help_text": "The person checking in; defaults to the caller's own person."},
            "date": {"help_text": "The day the check-in describes; defaults to today."},
            "value": {"help_text": "The measured progress value, in the unit of what is checked."},
            "confidence": {"help_text": "Confidence of reaching the goal, 0 (none) to 10 (certain)."},
        }


class FeedbackSerializer(OrgRowSerializer):
    """A blocker, risk, idea or concern; it moves open → acknowledged → resolved."""

    class Meta:
        model = FeedbackItem
        fields = (
            "id", "kind", "objective", "initiative", "author", "text", "status", "response",
            "created_at", "acknowledged_at", "resolved_at", "answered_by", *_ROW_READ_ONLY,
        )  # fmt: skip
        read_only_fields = ("answered_by", *_ROW_READ_ONLY)
        extra_kwargs = {
            "objective": {
                "help_text": "What the feedback is about: an objective, an initiative, or neither."
            },
            "initiative": {
                "help_text": "What the feedback is about: an objective, an initiative, or neither."
            },
            "author": {"help_text": "The person raising it; defaults to the caller's own person."},
            "created_at": {"help_text": "When it was raised; defaults to now."},
            "acknowledged_at": {"help_text": "When it was acknowledged."},
            "resolved_at": {"help_text": "When it was resolved."},
        }


class FeedbackAnswerSerializer(serializers.Serializer[Any]):
    """Acknowledging or resolving feedback, with an optional response."""

    response = serializers.CharField(
        required=False, allow_blank=True,
        help_text="The answer to the person who raised it; when given it replaces the previous response.",
    )  # fmt: skip


class FeedbackResponseSerializer(serializers.Serializer[Any]):
    """Responding to feedback (its status stays as it is)."""

    response = serializers.CharField(help_text="The answer to the person who raised it.")


class RecognitionSerializer(OrgRowSerializer):
    """Kudos from one person to another, optionally for an objective or an initiative."""

    class Meta:
        model = Recognition
        fields = (
            "id", "from_person", "to_person", "objective", "initiative", "message", "created_at",
            *_ROW_READ_ONLY,
        )  # fmt: skip
        read_only_fields = _ROW_READ_ONLY
        extra_kwargs = {
            "from_person": {
                "required": False,
                "help_text": "Who gives the recognition; defaults to the caller's own person.",
            },
            "to_person": {"help_text": "Who is recognized (someone other than from_person)."},
            "objective": {"help_text": "The objective the work served (or an initiative, or neither)."},
            "initiative": {"help_text": "The initiative the work served (or an objective, or neither)."},
            "created_at": {"help_text": "When it was given; defaults to now."},
        }
