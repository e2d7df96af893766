"""What a person is told, and how each person wants to be told of each kind of news."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from execgap.tenancy import OrgOwnedModel


class NotificationKind(models.TextChoices):
    ALERT = "alert", "Alerts on what you own or lead"
    FEEDBACK_RAISED = "feedback_raised", "Blockers and feedback raised on your goals or team"
    FEEDBACK_ANSWERED = "feedback_answered", "Answers to your feedback"
    RECOGNITION = "recognition", "Recognitions you receive"
    INVITATION_ACCEPTED = "invitation_accepted", "Invitations you sent, accepted"
    JOB_FINISHED = "job_finished", "Your imports and scenario evaluations, finished"
    WEEKLY_DIGEST = "weekly_digest", "The weekly executive digest"


class Channel(models.TextChoices):
    IN_APP = "in_app", "In the app"
    EMAIL = "email", "By email"
    BOTH = "both", "Both"
    NONE = "none", "Neither"


class Notification(OrgOwnedModel):
    """One piece of news for one person, from one event (never twice: see the unique constraint).

    `emailed_at` is set when the email that lists it has gone (or at once when its channel has no
    email); the batch sender collects the rows where it is null and email was asked for.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url_path = models.CharField(max_length=500, blank=True)
    event_id = models.CharField(max_length=64)
    in_app = models.BooleanField(default=True)
    email_pending = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_id"], name="notification_once_per_event"),
        ]
        indexes = [
            # The bell: one count of a person's unread in-app notifications in an organization.
            models.Index(
                fields=["recipient", "organization"],
                condition=Q(read_at__isnull=True, in_app=True),
                name="notification_unread",
            ),
            models.Index(fields=["organization", "recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient", "kind"], condition=Q(email_pending=True), name="notification_email_due"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(OrgOwnedModel):
    """A person's channel for one kind in one organization; without a row, `kinds.default_channel`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "kind"], name="notification_preference_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.channel}"
