"""The forms of the alert pages: the list's filters, a rule (the fields its kind needs), a deletion."""

from __future__ import annotations

from typing import Any

from django import forms

from alerts.models import KIND_FIELDS, PARAMETERS, AlertRule, AlertState, RuleKind, ScoreChoice
from execgap.models import Role
from execgap.web.forms import OrgForm, OrgModelForm
from resources.web.search import TeamFilterForm, team_choices, team_picker


class AlertFilterForm(TeamFilterForm):
    """The filters of the alerts list (all optional; an unknown value is ignored)."""

    state = forms.ChoiceField(choices=[("", "Any state"), *AlertState.choices], required=False)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *RuleKind.choices], required=False)

    field_order = ("state", "kind", "team")


class AlertRuleForm(OrgModelForm):
    """A rule of one kind (chosen before, fixed here): only the parameters that kind needs are shown.

    A lead picks one of their teams (a rule for the whole organization is for executives and admins),
    with a picker over those teams (over every team for the others).
    """

    class Meta:
        model = AlertRule
        fields = ("name", "score", "threshold", "points", "days", "team", "enabled")
        labels = {"threshold": "Threshold", "points": "Points", "days": "Days", "enabled": "Enabled"}
        help_texts = {
            "name": "How the alert names the rule, e.g. “Resources below 65”.",
            "enabled": "A disabled rule opens no alert; turning it off resolves its open alerts.",
        }

    # What each parameter means for each kind that uses it.
    HELP: dict[tuple[str, str], str] = {
        (RuleKind.SCORE_BELOW, "threshold"): "Alert when the score is below this, 0 to 100.",
        (RuleKind.SCORE_DROP, "points"): "Alert when the score fell by at least this many points.",
        (RuleKind.SCORE_DROP, "days"): "Over this many days (against the latest scores on or before then).",
        (RuleKind.SHARE_OFF, "points"): "Alert when an objective's share of the effort is off its intended "
        "share by more than this many percentage points.",
        (RuleKind.UNDERSTAFFED_START, "threshold"): "Alert when its coverage is under this per cent "
        "(or nobody is allocated).",
        (RuleKind.UNDERSTAFFED_START, "days"): "Within this many days before its start date (or after it).",
        (
            RuleKind.BLOCKER_UNANSWERED,
            "days",
        ): "Alert when a blocker has waited this many days unacknowledged.",
        (RuleKind.CHECK_IN_OVERDUE, "days"): "Days past the organization's check-in cadence.",
    }

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.instance.kind = kind
        needed = KIND_FIELDS[kind]
        for name in PARAMETERS:
            if name not in needed:
                del self.fields[name]
            else:
                # Needed, but the rule's own check says so (the form's "required" would say it twice).
                self.fields[name].help_text = self.HELP.get((kind, name), "")
        if "score" in self.fields:
            score = self.fields["score"]
            assert isinstance(score, forms.ChoiceField)
            score.choices = [
                (value, label)
                for value, label in ScoreChoice.choices
                if kind != RuleKind.SCORE_DROP or value != ScoreChoice.TEAM_ALIGNMENT
            ]
            score.help_text = "A team's alignment needs the team below; the others are the organization's."
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        assert team.queryset is not None
        team.help_text = "Only this team's subjects and the teams below it."
        scope = "mine" if self.org.role == Role.LEAD else "all"
        team.queryset = team_choices(self.org, scope=scope)
        if scope == "mine":
            team.required = True
            team.help_text = "One of your teams: leads add rules for their teams."
        else:
            team.empty_label = "The whole organization"
        team_picker(self, "team", self.org, scope=scope)

    def service_data(self) -> dict[str, Any]:
        return (
            {"kind": self.kind, **super().service_data()}
            if self.instance.pk is None
            else super().service_data()
        )


class DeleteForm(OrgForm):
    """A confirmed deletion of the row in the version the user saw."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
