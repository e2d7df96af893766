"""Alert rules and the alerts they open.

A rule names a kind (what it watches) and the parameters that kind needs (`score`, `threshold`,
`points`, `days`), each a typed column left empty when the kind does not use it. An optional team
narrows a rule to that team's subjects and the teams below; a lead manages only their teams' rules.
An alert is one subject crossing one rule's line: it opens once, stays open while the condition
holds and resolves when it clears, keeping the values then.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When

from execgap.tenancy import OrgOwnedModel


class RuleKind(models.TextChoices):
    SCORE_BELOW = "score_below", "Score below a threshold"
    SCORE_DROP = "score_drop", "Score down by some points over some days"
    SHARE_OFF = "share_off", "Objective's share off its intended share"
    UNDERSTAFFED_START = "understaffed_start", "Initiative unstaffed or under-covered near its start"
    FORECAST_LATE = "forecast_late", "Initiative forecast late"
    OVER_STAFFED = "over_staffed", "Initiative over-staffed"
    OVER_CAPACITY = "over_capacity", "Person over capacity"
    BLOCKER_UNANSWERED = "blocker_unanswered", "Blocker unanswered"
    CHECK_IN_OVERDUE = "check_in_overdue", "Check-in overdue"


class ScoreChoice(models.TextChoices):
    EXECUTION_HEALTH = "execution_health", "Execution health"
    ALIGNMENT = "alignment", "Alignment"
    RESOURCES = "resources", "Resources"
    ADAPTABILITY = "adaptability", "Adaptability"
    PEOPLE = "people", "People"
    TEAM_ALIGNMENT = "team_alignment", "Team alignment"


# The parameters each kind needs; the others must be left empty.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    RuleKind.SCORE_BELOW: ("score", "threshold"),
    RuleKind.SCORE_DROP: ("score", "points", "days"),
    RuleKind.SHARE_OFF: ("points",),
    RuleKind.UNDERSTAFFED_START: ("threshold", "days"),
    RuleKind.FORECAST_LATE: (),
    RuleKind.OVER_STAFFED: (),
    RuleKind.OVER_CAPACITY: (),
    RuleKind.BLOCKER_UNANSWERED: ("days",),
    RuleKind.CHECK_IN_OVERDUE: ("days",),
}
PARAMETERS = ("score", "threshold", "points", "days")

# Scores and coverage are on a 0–100 scale; points are percentage points; days at most ten years.
MAX_DAYS = 3650


class AlertRule(OrgOwnedModel):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=RuleKind.choices)
    score = models.CharField(
        max_length=32, choices=ScoreChoice.choices, blank=True, default="", help_text="The score watched."
    )
    threshold = models.FloatField(
        null=True, blank=True, help_text="The line, 0 to 100: a score, or a coverage in per cent."
    )
    points = models.FloatField(
        null=True, blank=True, help_text="How many points (or percentage points of share) count, above 0."
    )
    days = models.PositiveIntegerField(null=True, blank=True, help_text="A number of days, 1 or more.")
    team = models.ForeignKey(
        "resources.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Only this team's subjects (and the teams below); empty for the whole organization.",
    )
    enabled = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("name", "id")
        indexes = [models.Index(fields=["organization", "kind", "enabled"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RuleKind.values), name="alert_rule_kind_known")
        ]

    def __str__(self) -> str:
        return self.name

    def validation_errors(self) -> dict[str, str]:
        errors = super().validation_errors()
        needed = KIND_FIELDS.get(self.kind)
        if needed is None:
            return errors
        for name in PARAMETERS:
            value = getattr(self, name)
            empty = value in (None, "")
            if name in needed and empty:
                errors[name] = f"This kind of rule needs a {name}."
            elif name not in needed and not empty:
                errors[name] = f"This kind of rule has no {name}: leave it empty."
        if "threshold" in needed and self.threshold is not None and not 0 <= self.threshold <= 100:
            errors["threshold"] = "Must be between 0 and 100."
        if "points" in needed and self.points is not None and not 0 < self.points <= 100:
            errors["points"] = "Must be above 0 and at most 100."
        if "days" in needed and self.days is not None and not 1 <= self.days <= MAX_DAYS:
            errors["days"] = f"Must be between 1 and {MAX_DAYS} days."
        if self.score == ScoreChoice.TEAM_ALIGNMENT:
            if self.kind == RuleKind.SCORE_DROP and "score" not in errors:
                errors["score"] = "A team's alignment is watched against a threshold (score below) only."
            elif self.team_id is None and "team" not in errors:
                errors["team"] = "A team's alignment needs the team."
        elif self.score and self.team_id is not None and "team" not in errors:
            errors["team"] = (
                "An organization score has no team: leave it empty (or watch a team's alignment)."
            )
        return errors


class SubjectKind(models.TextChoices):
    ORGANIZATION = "organization", "Organization"
    TEAM = "team", "Team"
    OBJECTIVE = "objective", "Objective"
    INITIATIVE = "initiative", "Initiative"
    PERSON = "person", "Person"
    FEEDBACK = "feedback", "Feedback"
    KEY_RESULT = "key_result", "Key result"


class AlertState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Alert(OrgOwnedModel):
    rule = models.ForeignKey(AlertRule, null=True, on_delete=models.SET_NULL, related_name="alerts")
    rule_kind = models.CharField(max_length=32, choices=RuleKind.choices)
    rule_name = models.CharField(max_length=200)
    subject_kind = models.CharField(max_length=16, choices=SubjectKind.choices)
    subject_id = models.BigIntegerField()
    subject_title = models.CharField(max_length=300)
    subject_team_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    state = models.CharField(max_length=16, choices=AlertState.choices, default=AlertState.OPEN)
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    opened_snapshot_id = models.BigIntegerField()
    resolved_snapshot_id = models.BigIntegerField(null=True, blank=True)
    value_at_open = models.FloatField(null=True, blank=True)
    value_at_resolve = models.FloatField(null=True, blank=True)
    threshold = models.FloatField(null=True, blank=True, help_text="The rule's line when it opened.")
    message = models.CharField(max_length=400)

    class Meta:
        ordering = ("-opened_at", "-id")
        indexes = [
            models.Index(fields=["organization", "state", "opened_at"]),
            # The list's order (open first, then the newest; `alerts.web.selectors.ALERTS_ORDER`): a page
            # is read from this index, not sorted from the tens of thousands of a large organization.
            models.Index(
                F("organization"),
                Case(When(state="open", then=Value(0)), default=Value(1)),
                F("opened_at").desc(),
                F("id").desc(),
                name="alert_list_order",
            ),
            # The week's digest: the newest alerts opened, and those resolved, in a week (tens of
            # thousands opened in the first week of a large organization), each read from its index.
            models.Index(F("organization"), F("opened_at").desc(), F("id").desc(), name="alert_opened_order"),
            models.Index(
                F("organization"), F("resolved_at").desc(), F("id").desc(), name="alert_resolved_order"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_kind", "subject_id"],
                condition=Q(state="open"),
                name="alert_one_open_per_rule_subject",
            ),
            models.CheckConstraint(condition=Q(state__in=AlertState.values), name="alert_state_known"),
        ]

    def __str__(self) -> str:
        return self.message
