"""Score snapshots: one immutable row per recompute, with rows per objective, initiative and team.

A snapshot and its rows are written in one transaction (`scoring.store`) and never
changed afterwards; the latest is the newest computed one of the organization. Scores are 0–100,
shares, coverages and progress 0–1, efforts, demand and supply hours; None is "undefined", not 0.
The per-node rows keep the node's title as it was, and lose only their link when the node is deleted.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from execgap.tenancy import OrgQuerySet
from execgap.text import with_article
from objectives.models import ProgressStatusChoices
from scoring.engine.inputs import Parameters

# The settings a snapshot was computed with (besides D, `as_of`): what `ScoreSnapshot.parameters` reads.
SNAPSHOT_PARAMETER_FIELDS = (
    "activity_window_days",
    "planning_horizon_days",
    "checkin_cadence_days",
    "default_task_effort_hours",
    "spread_thin_allocations",
)


class ImmutableRow(models.Model):
    """A row written once (by `bulk_create` or `create`): saving it again is a mistake."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            name = with_article(str(self._meta.verbose_name))
            raise TypeError(f"{name[0].upper()}{name[1:]} is immutable: compute a new snapshot instead.")
        super().save(*args, **kwargs)


class ScoreSnapshot(ImmutableRow):
    organization = models.ForeignKey("execgap.Organization", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField(help_text="D: the date the scores are computed for.")
    computed_at = models.DateTimeField(help_text="When the computation finished storing (UTC).")
    started_at = models.DateTimeField(help_text="When the computation started reading (UTC).")
    activity_window_days = models.PositiveIntegerField()
    planning_horizon_days = models.PositiveIntegerField()
    checkin_cadence_days = models.PositiveIntegerField()
    default_task_effort_hours = models.DecimalField(max_digits=10, decimal_places=2)
    spread_thin_allocations = models.PositiveIntegerField()
    alignment = models.FloatField(null=True, blank=True)
    resources = models.FloatField(null=True, blank=True)
    adaptability = models.FloatField(null=True, blank=True)
    people = models.FloatField(null=True, blank=True)
    execution_health = models.FloatField(null=True, blank=True)
    parts = models.JSONField(default=dict, help_text="Numerators and denominators, per score.")
    drivers = models.JSONField(default=dict, help_text="What moves the scores most, per kind.")

    objects = OrgQuerySet.as_manager()

    class Meta:
        ordering = ["-computed_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "as_of", "computed_at"]),
            models.Index(fields=["organization", "computed_at"]),
        ]

    def __str__(self) -> str:
        return f"Scores of organization {self.organization_id} on {self.as_of}"

    @property
    def parameters(self) -> Parameters:
        """D and the organization's settings the snapshot was computed with."""
        return Parameters(
            as_of=self.as_of,
            activity_window_days=self.activity_window_days,
            planning_horizon_days=self.planning_horizon_days,
            checkin_cadence_days=self.checkin_cadence_days,
            default_task_effort_hours=float(self.default_task_effort_hours),
            spread_thin_allocations=self.spread_thin_allocations,
        )


class NodeScore(ImmutableRow):
    # Indexed by the (snapshot, node) index of each concrete model. The snapshot and its rows are
    # written together by `snapshot_store`, in one transaction, and removed together (the snapshot's
    # deletion collects its rows): a constraint would only check, for each of the thousands of rows a
    # snapshot writes, the row that transaction has just made (a quarter of a second at a million
    # tasks). The organization is the snapshot's, unchecked for the same reason. Each row's link to its
    # node is unchecked too: a constraint would check (and lock, FOR KEY SHARE) each of the thousands
    # of nodes at every store's commit, a sixth of a second at a million tasks. A node's deletion sets
    # its rows' link to NULL (Django's SET_NULL, in the deleting transaction), and the store clears the
    # links of nodes deleted since its read (`scoring.store`): a row never names a node that is gone.
    snapshot = models.ForeignKey(ScoreSnapshot, on_delete=models.CASCADE, db_index=False, db_constraint=False)
    organization = models.ForeignKey(
        "execgap.Organization", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )

    objects = OrgQuerySet.as_manager()

    class Meta:
        abstract = True


class ObjectiveScore(NodeScore):
    """Efforts over the tasks in scope resolving into the objective's subtree; coverage over the active
    initiatives attached to it or below it."""

    objective = models.ForeignKey(
        "objectives.Objective",
        null=True,
        on_delete=models.SET_NULL,
        related_name="scores",
        db_constraint=False,
    )
    parent_objective_id = models.BigIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=16)
    live = models.BooleanField(help_text="It and every objective above it are active at D.")
    intended_share = models.FloatField()
    actual_share = models.FloatField(null=True, blank=True)
    share_gap = models.FloatField(null=True, blank=True)
    aligned_effort = models.FloatField()
    misaligned_effort = models.FloatField()
    total_effort = models.FloatField()
    active_initiatives = models.PositiveIntegerField()
    demand = models.FloatField()
    covered = models.FloatField()
    coverage = models.FloatField()
    progress = models.FloatField()
    expected_progress = models.FloatField(null=True, blank=True)
    progress_status = models.CharField(
        max_length=16, choices=ProgressStatusChoices.choices, blank=True, help_text="Empty: no dates."
    )
    over_invested = models.BooleanField(default=False)  # a signal of SCORING.md

    class Meta:
        ordering = ["snapshot_id", "objective_id"]
        indexes = [models.Index(fields=["snapshot", "objective"])]

    def __str__(self) -> str:
        return f"{self.title} in snapshot {self.snapshot_id}"


class InitiativeScore(NodeScore):
    """One active initiative's staffing over its window [D, D + window_days − 1]."""

    initiative = models.ForeignKey(
        "objectives.Initiative",
        null=True,
        on_delete=models.SET_NULL,
        related_name="scores",
        db_constraint=False,
    )
    parent_objective_id = models.BigIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300)
    end_date = models.DateField()
    days_left = models.PositiveIntegerField()
    window_days = models.PositiveIntegerField()
    remaining = models.FloatField()
    demand = models.FloatField()
    supply = models.FloatField()
    coverage = models.FloatField()
    # The signals of SCORING.md (absent from snapshots older than them: their defaults).
    surplus = models.FloatField(default=0.0)
    over_staffed = models.BooleanField(default=False)
    throughput = models.FloatField(default=0.0)
    forecast_finish = models.DateField(null=True, blank=True)
    forecast_late = models.BooleanField(default=False)
    # The staffing drift counted: the active people working on it without a counted allocation and
    # their effort (hours), the people allocated to it without work and those allocations. The people
    # themselves are listed when shown (`scoring.drift_people.initiative_drift_people` sets
    # `drift_lists`: {"unallocated": [{id, name, effort, tasks}], "idle": [{id, name, hours_per_week,
    # allocations}]}, the first ten of each).
    drift_unallocated_people = models.PositiveIntegerField(default=0)
    unplanned_effort = models.FloatField(default=0.0)
    drift_idle_people = models.PositiveIntegerField(default=0)
    drift_idle_allocations = models.PositiveIntegerField(default=0)
    drift_idle_hours = models.FloatField(default=0.0, help_text="Hours per week allocated without work.")
    drift_lists: dict[str, list[dict[str, Any]]] | None = None

    class Meta:
        ordering = ["snapshot_id", "initiative_id"]
        indexes = [models.Index(fields=["snapshot", "initiative"])]

    def __str__(self) -> str:
        return f"{self.title} in snapshot {self.snapshot_id}"

    def _drift_listed(self, kind: str) -> list[dict[str, Any]]:
        if self.drift_lists is None:
            raise RuntimeError("List the drift's people first: scoring.drift_people.initiative_drift_people.")
        return self.drift_lists[kind]

    @property
    def drift_unallocated(self) -> list[dict[str, Any]]:
        """The first ten people working on it without an allocation: id, name, effort, tasks."""
        return self._drift_listed("unallocated")

    @property
    def drift_idle(self) -> list[dict[str, Any]]:
        """The first ten people allocated to it without work: id, name, hours_per_week, allocations."""
        return self._drift_listed("idle")

    @property
    def drift_unallocated_more(self) -> int:
        """How many people working on it without an allocation `drift_unallocated` leaves out."""
        return max(0, self.drift_unallocated_people - len(self.drift_unallocated))

    @property
    def drift_idle_more(self) -> int:
        """How many people allocated to it without work `drift_idle` leaves out."""
        return max(0, self.drift_idle_people - len(self.drift_idle))


class TeamScore(NodeScore):
    """Team alignment over the tasks in scope of the team and every team below it: their effort by class
    and how many are misaligned and orphan (what the alignment page shows without reading tasks)."""

    team = models.ForeignKey(
        "resources.Team", null=True, on_delete=models.SET_NULL, related_name="scores", db_constraint=False
    )
    parent_team_id = models.BigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=200)
    score = models.FloatField(null=True, blank=True)
    aligned_effort = models.FloatField()
    total_effort = models.FloatField()
    misaligned_effort = models.FloatField(default=0.0)
    orphan_effort = models.FloatField(default=0.0)
    misaligned_tasks = models.PositiveIntegerField(default=0)
    orphan_tasks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["snapshot_id", "team_id"]
        indexes = [models.Index(fields=["snapshot", "team"])]

    def __str__(self) -> str:
        return f"{self.name} in snapshot {self.snapshot_id}"
