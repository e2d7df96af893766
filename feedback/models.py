"""Check-ins, feedback items and recognitions.

The plan's revision history (objectives, key results, initiatives, allocations) is recorded by
django-simple-history into historical tables that live in this app (`HistoricalRecords(app="feedback")`
on those models); `feedback.selectors` reads it as before/after changes.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from execgap.tenancy import OrgOwnedModel
from execgap.validators import date_range_errors


class FeedbackKind(models.TextChoices):
    BLOCKER = "blocker", "Blocker"
    RISK = "risk", "Risk"
    IDEA = "idea", "Idea"
    CONCERN = "concern", "Concern"


class FeedbackStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


def _one_target(prefix: str, fields: tuple[str, ...], *, required: bool) -> models.CheckConstraint:
    """At most one (or, when required, exactly one) of `fields` is set."""
    exactly_one = Q()
    for chosen in fields:
        clause = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                clause &= Q(**{f"{other}__isnull": True})
        exactly_one |= clause
    none = Q(**{f"{f}__isnull": True for f in fields})
    condition = exactly_one if required else exactly_one | none
    suffix = "exactly_one_target" if required else "at_most_one_target"
    return models.CheckConstraint(condition=condition, name=f"{prefix}_{suffix}")


class CheckIn(OrgOwnedModel):
    """A dated look at one objective, initiative or key result: progress value, confidence 0 to 10, a note."""

    objective = models.ForeignKey(
        "objectives.Objective", null=True, blank=True, on_delete=models.CASCADE, related_name="check_ins"
    )
    initiative = models.ForeignKey(
        "objectives.Initiative", null=True, blank=True, on_delete=models.CASCADE, related_name="check_ins"
    )
    key_result = models.ForeignKey(
        "objectives.KeyResult", null=True, blank=True, on_delete=models.CASCADE, related_name="check_ins"
    )
    author = models.ForeignKey(
        "resources.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="check_ins"
    )
    date = models.DateField(default=timezone.localdate)
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    confidence = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"])]
        constraints = [
            _one_target("check_in", ("objective", "initiative", "key_result"), required=True),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=0, confidence__lte=10),
                name="check_in_confidence_0_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in on {self.date}"

    def validation_errors(self) -> dict[str, str]:
        errors = super().validation_errors() | date_range_errors(self, "date")
        targets = [self.objective_id, self.initiative_id, self.key_result_id]
        if sum(target is not None for target in targets) != 1:
            errors["__all__"] = "A check-in is on exactly one objective, initiative or key result."
        return errors


class FeedbackItem(OrgOwnedModel):
    """A blocker, risk, idea or concern raised by someone; it moves open → acknowledged → resolved."""

    kind = models.CharField(max_length=16, choices=FeedbackKind.choices)
    objective = models.ForeignKey(
        "objectives.Objective", null=True, blank=True, on_delete=models.CASCADE, related_name="feedback"
    )
    initiative = models.ForeignKey(
        "objectives.Initiative", null=True, blank=True, on_delete=models.CASCADE, related_name="feedback"
    )
    author = models.ForeignKey(
        "resources.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback_raised"
    )
    text = models.TextField()
    status = models.CharField(max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN)
    response = models.TextField(blank=True)
    # Created, acknowledged and resolved times are data (past history can be loaded), not bookkeeping.
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        "resources.Person",
        null=True,
        blank=True,
        editable=False,  # set by the answering services, never written directly
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last acknowledged, responded to or resolved it.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "kind", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FeedbackKind.values), name="feedback_kind_known"),
            models.CheckConstraint(
                condition=Q(status__in=FeedbackStatus.values), name="feedback_status_known"
            ),
            _one_target("feedback", ("objective", "initiative"), required=False),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def validation_errors(self) -> dict[str, str]:
        errors = super().validation_errors() | date_range_errors(
            self, "created_at", "acknowledged_at", "resolved_at"
        )
        if self.objective_id is not None and self.initiative_id is not None:
            errors["initiative"] = "Feedback is about an objective or an initiative, not both."
        return errors


class Recognition(OrgOwnedModel):
    """Kudos from one person to another, optionally tied to the goal the work served."""

    from_person = models.ForeignKey(
        "resources.Person", on_delete=models.CASCADE, related_name="recognitions_given"
    )
    to_person = models.ForeignKey(
        "resources.Person", on_delete=models.CASCADE, related_name="recognitions_received"
    )
    objective = models.ForeignKey(
        "objectives.Objective", null=True, blank=True, on_delete=models.SET_NULL, related_name="recognitions"
    )
    initiative = models.ForeignKey(
        "objectives.Initiative", null=True, blank=True, on_delete=models.SET_NULL, related_name="recognitions"
    )
    message = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            _one_target("recognition", ("objective", "initiative"), required=False),
            models.CheckConstraint(
                condition=~Q(from_person=models.F("to_person")), name="recognition_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} → {self.to_person}"

    def validation_errors(self) -> dict[str, str]:
        errors = super().validation_errors() | date_range_errors(self, "created_at")
        if self.objective_id is not None and self.initiative_id is not None:
            errors["initiative"] = "A recognition is tied to an objective or an initiative, not both."
        if self.from_person_id is not None and self.from_person_id == self.to_person_id:
            errors["to_person"] = "Recognize someone other than yourself."
        return errors
