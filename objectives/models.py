from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from execgap.history import plan_history
from execgap.tenancy import OrgOwnedModel, OrgQuerySet
from execgap.validators import (
    date_range_errors,
    dates_ordered,
    hours_at_most,
    initiative_estimate_bound,
    not_negative,
    positive,
    task_effort_bound,
    tree_cycle_error,
)


def _dates_ordered(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
        name=f"{prefix}_end_not_before_start",
    )


class ObjectiveStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    CANCELLED = "cancelled", "Cancelled"


class InitiativeStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class TaskStatus(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_TASK_STATUSES = (TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED)


class Objective(OrgOwnedModel):
    """A goal in the cascade. One without a parent is a root (a boardroom objective)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    team = models.ForeignKey(
        "resources.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="objectives"
    )
    owner = models.ForeignKey(
        "resources.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="objectives_owned"
    )
    status = models.CharField(max_length=16, choices=ObjectiveStatus.choices, default=ObjectiveStatus.DRAFT)
    priority_weight = models.DecimalField(
        max_digits=10, decimal_places=4, default=Decimal(1), validators=[positive]
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = plan_history()

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["organization", "parent"]),
            # A goal picker's first list (no search typed yet: every goal, by title): read a page from
            # here instead of sorting the organization's goals (`execgap.web.picker.ranked`).
            models.Index(F("organization"), Lower("title"), F("id"), name="objective_picker_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ObjectiveStatus.values), name="objective_status_known"
            ),
            models.CheckConstraint(
                condition=Q(priority_weight__gt=0), name="objective_priority_weight_positive"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="objective_not_own_parent"),
            _dates_ordered("objective"),
        ]

    def __str__(self) -> str:
        return self.title

    def validation_errors(self) -> dict[str, str]:
        errors = (
            super().validation_errors()
            | dates_ordered(self.start_date, self.end_date)
            | date_range_errors(self, "start_date", "end_date")
        )
        if "parent" not in errors and self.parent_id is not None:
            edges = dict(Objective.objects.for_org(self.organization_id).values_list("id", "parent_id"))
            cycle = tree_cycle_error(self.pk, self.parent_id, edges)
            if cycle:
                errors["parent"] = cycle
        return errors


class KeyResult(OrgOwnedModel):
    """A measurable result of an objective: progress runs from `start_value` to `target_value`."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(max_length=300)
    unit = models.CharField(max_length=32, blank=True)
    start_value = models.DecimalField(max_digits=16, decimal_places=4, default=Decimal(0))
    target_value = models.DecimalField(max_digits=16, decimal_places=4)
    current_value = models.DecimalField(max_digits=16, decimal_places=4, default=Decimal(0))
    weight = models.DecimalField(max_digits=10, decimal_places=4, default=Decimal(1), validators=[positive])

    history = plan_history()

    class Meta:
        ordering = ["objective_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="key_result_weight_positive")]

    def __str__(self) -> str:
        return self.title


class Initiative(OrgOwnedModel):
    """A body of work planned for an objective; people are allocated to it."""

    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.PROTECT, related_name="initiatives"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    team = models.ForeignKey(
        "resources.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives"
    )
    owner = models.ForeignKey(
        "resources.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives_owned"
    )
    status = models.CharField(
        max_length=16, choices=InitiativeStatus.choices, default=InitiativeStatus.PROPOSED
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    estimate_hours = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[not_negative]
    )

    history = plan_history()

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["organization", "objective"]),
            # A goal picker's first list, as for objectives.
            models.Index(F("organization"), Lower("title"), F("id"), name="initiative_picker_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InitiativeStatus.values), name="initiative_status_known"
            ),
            models.CheckConstraint(
                condition=Q(estimate_hours__isnull=True) | Q(estimate_hours__gte=0),
                name="initiative_estimate_not_negative",
            ),
            _dates_ordered("initiative"),
        ]

    def __str__(self) -> str:
        return self.title

    def validation_errors(self) -> dict[str, str]:
        errors = (
            super().validation_errors()
            | dates_ordered(self.start_date, self.end_date)
            | date_range_errors(self, "start_date", "end_date")
        )
        too_much = hours_at_most(
            self.estimate_hours, initiative_estimate_bound(), "the most an initiative's estimate may be"
        )
        if too_much:
            errors["estimate_hours"] = too_much
        return errors


class Task(OrgOwnedModel):
    """A unit of daily work, linked to at most one of an initiative or an objective.

    `effort_hours` empty means "no estimate" (scoring uses the organization's default effort); at most
    EXECGAP_MAX_TASK_EFFORT_HOURS. `completed_at` is set on done tasks only (`task_update` clears it
    when the status leaves done).
    `external_key` identifies the task in the tool it came from (a Jira issue key, say).
    """

    title = models.CharField(max_length=500)
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    team = models.ForeignKey(
        "resources.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    assignee = models.ForeignKey(
        "resources.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.TODO)
    effort_hours = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[not_negative]
    )
    due_date = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    external_key = models.CharField(max_length=100, blank=True)
    external_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["organization", "initiative", "id"]),
            models.Index(fields=["organization", "objective", "id"]),
            models.Index(fields=["organization", "status", "id"]),
            models.Index(fields=["organization", "assignee", "id"]),
            models.Index(fields=["organization", "team", "id"]),
            models.Index(fields=["organization", "updated_at"]),
            # The largest tasks first (the scores' drivers): estimated ones by effort, the others by id.
            models.Index(
                fields=["organization", "-effort_hours", "id"],
                condition=Q(effort_hours__isnull=False) & ~Q(status="cancelled"),
                name="task_largest_estimated",
            ),
            models.Index(
                fields=["organization", "id"],
                condition=Q(effort_hours__isnull=True) & ~Q(status="cancelled"),
                name="task_unestimated",
            ),
            # The teams list counts each shown team's open tasks, and those linked to no goal, from
            # this index alone (on PostgreSQL, which keeps the included links in it).
            models.Index(
                fields=["organization", "team"],
                include=["objective", "initiative"],
                condition=Q(status__in=OPEN_TASK_STATUSES),
                name="task_open_by_team",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="task_status_known"),
            models.CheckConstraint(
                condition=Q(effort_hours__isnull=True) | Q(effort_hours__gte=0),
                name="task_effort_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(initiative__isnull=True) | Q(objective__isnull=True),
                name="task_links_at_most_one_goal",
            ),
            models.UniqueConstraint(
                fields=["organization", "external_key"],
                condition=~Q(external_key=""),
                name="task_unique_external_key_per_org",
                violation_error_message="A task with this external key already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def validation_errors(self) -> dict[str, str]:
        errors = super().validation_errors() | date_range_errors(self, "due_date", "completed_at")
        if self.initiative_id is not None and self.objective_id is not None:
            errors["objective"] = "A task links to an initiative or an objective, not both."
        too_much = hours_at_most(self.effort_hours, task_effort_bound(), "the most a task's effort may be")
        if too_much:
            errors["effort_hours"] = too_much
        if self.completed_at is not None and self.status != TaskStatus.DONE and "completed_at" not in errors:
            errors["completed_at"] = (
                f"Only a done task has a completion time (this one is '{self.status}'): leave it empty."
            )
        return errors


class ProgressStatusChoices(models.TextChoices):
    """Where an active objective stands against the time gone (SCORING.md "Progress")."""

    ON_TRACK = "on_track", "On track"
    BEHIND = "behind", "Behind"
    AT_RISK = "at_risk", "At risk"


class TaskTally(models.Model):
    """The tasks of one key counted and summed, kept by database triggers (see `objectives.tallies`).

    Never written by Django: the triggers add each task write's change in the same transaction, and
    `tallies_rebuild` recounts. Key: the task's links (0: none), its effective team (its own, else its
    assignee's; 0: none, and always 0 for `done`), its kind (`open`, `done`, `day`: done on `day`, a
    UTC date, or `recent`: done within the organization's `TallyWindow`; other kinds than `day` have
    day 0001-01-01). The organization is not a database constraint: the
    rows of a deleted organization's tasks may be counted down after it is gone, and the daily repair
    removes them.
    """

    organization = models.ForeignKey(
        "execgap.Organization", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    objective_id = models.BigIntegerField()
    initiative_id = models.BigIntegerField()
    team_id = models.BigIntegerField()
    kind = models.CharField(max_length=6)
    day = models.DateField()
    tasks = models.BigIntegerField(default=0)
    effort = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal(0))
    unestimated = models.BigIntegerField(default=0)

    objects = OrgQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "objective_id", "initiative_id", "team_id", "kind", "day"],
                name="task_tally_key",
            )
        ]
        indexes = [models.Index(fields=["organization", "kind", "day"], name="task_tally_window")]

    def __str__(self) -> str:
        return f"{self.tasks} {self.kind} tasks of organization {self.organization_id}"


class AssigneeTally(models.Model):
    """The tasks of one initiative assigned to one person, counted and summed by kind (`open`, `day`:
    done on `day`, a UTC date, `recent`: done within the organization's `TallyWindow`, or `scope`:
    open or recent, what the staffing drift reads; the others have day 0001-01-01). Kept by
    database triggers like `TaskTally` (see `objectives.tallies.assignees`), never written by
    Django; only tasks with both an initiative and an assignee count. The ids are plain numbers, not
    constraints: a deleted initiative's or person's tasks are counted down by the same write that
    unlinks them."""

    organization = models.ForeignKey(
        "execgap.Organization", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    initiative_id = models.BigIntegerField()
    assignee_id = models.BigIntegerField()
    kind = models.CharField(max_length=6)
    day = models.DateField()
    tasks = models.BigIntegerField(default=0)
    effort = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal(0))
    unestimated = models.BigIntegerField(default=0)

    objects = OrgQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "initiative_id", "assignee_id", "kind", "day"],
                name="assignee_tally_key",
            )
        ]
        indexes = [models.Index(fields=["organization", "kind", "day"], name="assignee_tally_window")]

    def __str__(self) -> str:
        return (
            f"{self.tasks} {self.kind} tasks of person {self.assignee_id} on initiative {self.initiative_id}"
        )


class TallyWindow(models.Model):
    """The days [first_day, last_day] (UTC dates) whose done tasks the organization's `recent` tallies
    sum: its activity window at the date it was last rolled to. The triggers count a task into
    `recent` when it was completed inside; `tallies_window_roll` moves the window (every night, and
    whenever a recompute needs another one) and recounts `recent` from the `day` tallies."""

    organization = models.OneToOneField(
        "execgap.Organization", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    first_day = models.DateField()
    last_day = models.DateField()

    def __str__(self) -> str:
        return f"Tally window {self.first_day} to {self.last_day} of organization {self.organization_id}"


# Registered with the app here; it lives beside the imports that use it.
from objectives.imports.memory import TaskImportMapping  # noqa: E402, F401
