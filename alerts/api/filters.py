"""Filters of the alert rules and alerts lists."""

from __future__ import annotations

from django_filters import rest_framework as filters

from alerts.models import Alert, AlertRule, AlertState, RuleKind, SubjectKind
from resources.api.filters import IdFilter, UpdatedSinceFilterSet


class AlertRuleFilter(UpdatedSinceFilterSet):
    kind = filters.ChoiceFilter(choices=RuleKind.choices, label="Only rules of this kind.")
    team = IdFilter(field_name="team", label="Only rules of this team (its id).")
    enabled = filters.BooleanFilter(label="Only enabled (true) or disabled (false) rules.")

    class Meta:
        model = AlertRule
        fields = ("kind", "team", "enabled", "updated_since")


class AlertFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=AlertState.choices, label="Only open or only resolved alerts.")
    kind = filters.ChoiceFilter(
        field_name="rule_kind", choices=RuleKind.choices, label="Only alerts of rules of this kind."
    )
    rule = IdFilter(field_name="rule", label="Only alerts of this rule (its id).")
    team = IdFilter(field_name="subject_team_id", label="Only alerts whose subject is of this team (its id).")
    subject_kind = filters.ChoiceFilter(
        choices=SubjectKind.choices, label="Only alerts about this kind of subject."
    )
    subject_id = IdFilter(
        field_name="subject_id", label="Only alerts about the subject of this id (with subject_kind)."
    )

    class Meta:
        model = Alert
        fields = ("state", "kind", "rule", "team", "subject_kind", "subject_id")
