"""Alert rules and alerts as the API reads and writes them."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from alerts.models import Alert, AlertRule
from execgap.api.base import OrgRowSerializer


class AlertRuleSerializer(OrgRowSerializer):
    """A line that opens an alert when crossed: its kind names the parameters it needs (others empty)."""

    class Meta:
        model = AlertRule
        fields = (
            "id", "name", "kind", "score", "threshold", "points", "days", "team", "enabled", "created_by",
            "version", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = ("created_by", "version", "created_at", "updated_at")
        extra_kwargs = {
            "kind": {
                "help_text": "score_below: score, threshold; score_drop: score, points, days; share_off: "
                "points; understaffed_start: threshold, days; forecast_late, over_staffed, over_capacity: "
                "none; blocker_unanswered, check_in_overdue: days."
            },
            "score": {
                "help_text": "The score watched (score_below, score_drop); team_alignment needs `team`."
            },
            "threshold": {"help_text": "0 to 100: a score (score_below) or a coverage in per cent."},
            "points": {
                "help_text": "Points a score fell (score_drop) or percentage points of share (share_off)."
            },
            "days": {"help_text": "Days: of the drop, before the start, unanswered, or past the cadence."},
            "team": {
                "help_text": "Only this team's subjects and the teams below; null for the whole organization."
            },
        }


class AlertSubjectSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(source="subject_kind")
    id = serializers.IntegerField(source="subject_id")
    title = serializers.CharField(source="subject_title")


class AlertSerializer(serializers.ModelSerializer[Alert]):
    """One crossing of a rule's line by one subject: opened once, resolved when the condition cleared."""

    subject = AlertSubjectSerializer(source="*", read_only=True)
    team = serializers.IntegerField(source="subject_team_id", read_only=True, allow_null=True)

    class Meta:
        model = Alert
        fields = (
            "id", "rule", "rule_kind", "rule_name", "subject", "team", "state", "message", "threshold",
            "opened_at", "value_at_open", "resolved_at", "value_at_resolve",
        )  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {
            "rule": {"help_text": "Null once the rule is deleted (its name stays in rule_name)."},
            "value_at_open": {"help_text": "The value that crossed the line (null for yes/no conditions)."},
            "value_at_resolve": {"help_text": "The value when it cleared, where one applies."},
        }
