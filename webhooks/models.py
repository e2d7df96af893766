"""Webhook endpoints an organization's admins register, and the deliveries of events to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from execgap.events import EventKind
from execgap.tenancy import OrgOwnedModel

# The kind of the event an admin sends to try an endpoint (never published on the event bus).
TEST_KIND = "webhook.test"


class WebhookKind(models.TextChoices):
    """The events an endpoint may subscribe to."""

    ALERT_OPENED = EventKind.ALERT_OPENED.value, "Alert opened"
    ALERT_RESOLVED = EventKind.ALERT_RESOLVED.value, "Alert resolved"
    SNAPSHOT_COMPUTED = EventKind.SNAPSHOT_COMPUTED.value, "Scores computed"
    FEEDBACK_RAISED = EventKind.FEEDBACK_RAISED.value, "Feedback raised"
    FEEDBACK_ANSWERED = EventKind.FEEDBACK_ANSWERED.value, "Feedback answered"
    PLAN_CHANGED = EventKind.PLAN_CHANGED.value, "Plan changed"


class WebhookFormat(models.TextChoices):
    JSON = "json", "JSON (the event as documented)"
    SLACK = "slack", "Slack-compatible (text and blocks, for Slack or Teams incoming webhooks)"


class WebhookEndpoint(OrgOwnedModel):
    """A URL that receives the organization's events of `kinds`, signed with `secret`.

    After a rotation the previous secret still signs (a second signature) until
    `previous_secret_expires_at`, so receivers can switch without losing deliveries.
    """

    url = models.URLField(max_length=2000, help_text="Where ExecGap posts the events (http or https).")
    description = models.CharField(max_length=200, blank=True)
    kinds = models.JSONField(default=list, blank=True, help_text="The event kinds this endpoint receives.")
    format = models.CharField(max_length=10, choices=WebhookFormat.choices, default=WebhookFormat.JSON)
    secret = models.CharField(max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    enabled = models.BooleanField(default=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "webhook endpoint"

    def __str__(self) -> str:
        return self.url

    def validation_errors(self) -> dict[str, str]:
        errors = super().validation_errors()
        if not isinstance(self.kinds, list):
            errors["kinds"] = "Send a list of event kinds."
        elif unknown := [str(kind) for kind in self.kinds if kind not in WebhookKind.values]:
            errors["kinds"] = f"Unknown event kinds: {', '.join(unknown)}."
        return errors


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    RETRYING = "retrying", "Retrying"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class WebhookDelivery(OrgOwnedModel):
    """One event sent (or to be sent) to one endpoint, with what its last attempt got back."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=40)
    payload = models.JSONField(help_text="The body sent, as JSON.")
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True, help_text="Milliseconds, last attempt.")
    response_excerpt = models.TextField(blank=True, help_text="The first kilobyte of the last answer.")
    error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhook_delivery_log"),
            models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id}"
