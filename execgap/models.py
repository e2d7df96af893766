from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from knox.models import AbstractAuthToken

from execgap.history import settings_history
from execgap.tenancy import OrgQuerySet


class Role(models.TextChoices):
    """A member's role in one organization; the rule table in `execgap.roles` says what each may do."""

    ADMIN = "admin", "Admin"
    EXECUTIVE = "executive", "Executive"
    LEAD = "lead", "Team lead"
    MEMBER = "member", "Member"
    VIEWER = "viewer", "Viewer"


class Organization(models.Model):
    """The tenant: every other row of ExecGap belongs to exactly one organization.

    The five scoring parameters are those of SCORING.md "Inputs and parameters".
    `scores_stale_since` is set by every change a score reads and cleared by the recompute
    that started after it; a periodic sweep recomputes any organization still stale.
    """

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    activity_window_days = models.PositiveIntegerField(
        default=28, help_text="W: how far back finished work still counts as activity (days)."
    )
    planning_horizon_days = models.PositiveIntegerField(
        default=90, help_text="H: how far ahead staffing is measured (days)."
    )
    checkin_cadence_days = models.PositiveIntegerField(
        default=14, help_text="C: how old the last check-in may be for an item to count as fresh (days)."
    )
    default_task_effort_hours = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal(4),
        help_text="E: effort of a task that has no estimate (hours).",
    )
    spread_thin_allocations = models.PositiveIntegerField(
        default=3, help_text="K: a person with more concurrent allocations than this is spread thin."
    )
    scores_stale_since = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        editable=False,
        help_text="The first change that the latest scores do not reflect yet (empty: scores are current).",
    )
    scores_changed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="The latest change to anything a score reads."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The settings' history, shown in the plan history (`organization_update` records who and why).
    history = settings_history()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(activity_window_days__gte=1), name="org_window_positive"),
            models.CheckConstraint(condition=Q(planning_horizon_days__gte=1), name="org_horizon_positive"),
            models.CheckConstraint(condition=Q(checkin_cadence_days__gte=1), name="org_cadence_positive"),
            models.CheckConstraint(
                condition=Q(default_task_effort_hours__gte=0), name="org_effort_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in an organization, with one role."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization_id", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_user_per_org"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} as {self.role}"


class ApiToken(AbstractAuthToken):
    """A personal API token: it acts with its user's roles in each of their organizations.

    Only a digest of the token is stored (django-rest-knox); the token itself is shown once, when
    it is created. `token_key` (its first characters) identifies it in lists; `expiry` empty means
    it does not expire.
    """

    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…) of {self.user}"


class JobKind(models.TextChoices):
    RECOMPUTE = "recompute", "Score recompute"
    TASK_IMPORT = "task_import", "Task import"
    SCENARIO_EVALUATION = "scenario_evaluation", "Scenario evaluation"


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """Background work a client asked for and may poll (`GET /api/v1/orgs/{org}/jobs/{id}/`).

    `progress` counts `done` of `total` units (rows of an import, say); `result` is the job's
    answer as JSON, `error` what went wrong.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=JobKind.choices)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parameters = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # While a worker runs the job it keeps pushing this forward (`scoring.lease`); a running job past
    # it lost its worker, and the sweep sends it again (`attempts` counts the sends, at most a few).
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)

    objects = OrgQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "created_at"]),
            models.Index(fields=["lease_expires_at"], condition=Q(state="running"), name="job_running_lease"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="job_kind_known"),
            models.CheckConstraint(condition=Q(state__in=JobState.values), name="job_state_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}: {self.state}"
