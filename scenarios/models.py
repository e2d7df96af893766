"""What-if scenarios: named lists of changes to the live plan, evaluated without touching it.

A scenario's changes are kept as drafted (what the person asked for), with the version of every plan
row each one reads (`base_versions`): applying refuses a change whose row changed since, rather than
overwriting what someone else entered. The latest evaluation is kept as JSON with the date D and the
organization's `scores_changed_at` it was computed against, so a page knows when it is out of date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from execgap.tenancy import OrgOwnedModel


class ScenarioStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPLIED = "applied", "Applied"
    DISCARDED = "discarded", "Discarded"


class ChangeKind(models.TextChoices):
    ALLOCATION_ADD = "allocation_add", "Add an allocation"
    ALLOCATION_CHANGE = "allocation_change", "Change an allocation"
    ALLOCATION_END = "allocation_end", "End an allocation"
    HOURS_MOVE = "hours_move", "Move hours to another initiative"
    INITIATIVE_CHANGE = "initiative_change", "Change an initiative"
    OBJECTIVE_CHANGE = "objective_change", "Change an objective"
    PERSON_CHANGE = "person_change", "Change a person's capacity"
    TASKS_RELINK = "tasks_relink", "Link tasks to another goal"


class Scenario(OrgOwnedModel):
    name = models.CharField(max_length=200)
    description = models.TextField(
        blank=True, help_text="Why this scenario: kept with every revision it applies."
    )
    status = models.CharField(max_length=16, choices=ScenarioStatus.choices, default=ScenarioStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The latest evaluation (`scenarios.evaluate`), and what it was computed against.
    evaluation = models.JSONField(null=True, blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    evaluated_as_of = models.DateField(null=True, blank=True)
    evaluated_plan_at = models.DateTimeField(
        null=True, blank=True, help_text="The organization's scores_changed_at the evaluation read."
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["organization", "status", "updated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ScenarioStatus.values), name="scenario_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScenarioChange(OrgOwnedModel):
    """One change of a scenario. `target_id` is the row it changes (an allocation, initiative,
    objective or person; none for an added allocation or a relink), `values` what it changes to, and
    `base_versions` ("allocation:12" → 3) the version of every row it read when drafted or rebased."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="changes")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=32, choices=ChangeKind.choices)
    target_id = models.BigIntegerField(null=True, blank=True)
    values = models.JSONField(default=dict)
    base_versions = models.JSONField(default=dict)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["scenario_id", "position", "id"]
        indexes = [models.Index(fields=["scenario", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values), name="scenario_change_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.scenario_id}"
