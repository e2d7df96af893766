"""Alert rules, notifications and their preferences, webhook endpoints and their deliveries."""

from __future__ import annotations

from tests.api.generated_client_calls.context import Call, Context


def calls(c: Context) -> list[Call]:
    ids = c.ids
    org = c.org
    row = c.row
    made_row = c.made_row
    return [
        # alert rules: a lead adds one for their team; an admin changes and deletes it
        Call(
            "alert_rules_create",
            201,
            lambda m, made: {
                **org,
                "body": m.AlertRuleRequest(
                    name="Pricing late", kind=m.AlertRuleKindEnum.FORECAST_LATE, team=ids["teams"][1]
                ),
            },
            role="lead",
            keep="alert_rule",
        ),
        Call(
            "alert_rules_update",
            200,
            made_row(
                "alert_rule",
                body=lambda m: m.AlertRuleRequest(
                    name="Coverage under 40% within a week of start",
                    kind=m.AlertRuleKindEnum.UNDERSTAFFED_START,
                    threshold=40.0,
                    days=7,
                ),
            ),
        ),
        Call(
            "alert_rules_partial_update",
            200,
            made_row("alert_rule", body=lambda m: m.PatchedAlertRuleRequest(enabled=False)),
        ),
        Call("alert_rules_destroy", 204, made_row("alert_rule")),
        # notifications: the admin's own, and their preferences
        Call("notifications_list", 200, lambda m, made: org),
        Call("notifications_retrieve", 200, row("notifications")),
        Call(
            "notifications_partial_update",
            200,
            lambda m, made: {
                **org,
                "id": ids["notifications"][0],
                "body": m.PatchedNotificationRequest(read=True),
            },
        ),
        Call("notifications_mark_all_read_create", 200, lambda m, made: org),
        Call("notification_preferences_list", 200, lambda m, made: org, role="viewer"),
        Call(
            "notification_preferences_partial_update",
            200,
            lambda m, made: {
                **org,
                "kind": "recognition",
                "body": m.PatchedNotificationPreferenceRequest(channel=m.NotificationChannelEnum.EMAIL),
            },
            role="viewer",
        ),
        # a webhook endpoint (a public address: nothing listens there), tried, rotated, redelivered
        Call(
            "webhooks_create",
            201,
            lambda m, made: {
                **org,
                "body": m.WebhookEndpointRequest(
                    url="http://93.184.215.14/execgap",
                    description="Ops",
                    kinds=[m.WebhookKindEnum.FEEDBACK_RAISED],
                    format_=m.WebhookFormatEnum.JSON,
                ),
            },
            keep="webhook",
        ),
        Call("webhooks_list", 200, lambda m, made: org),
        Call("webhooks_retrieve", 200, made_row("webhook")),
        Call(
            "webhooks_update",
            200,
            made_row(
                "webhook",
                body=lambda m: m.WebhookEndpointRequest(
                    url="http://93.184.215.14/execgap/v2", kinds=[], format_=m.WebhookFormatEnum.SLACK
                ),
            ),
        ),
        Call(
            "webhooks_partial_update",
            200,
            made_row("webhook", body=lambda m: m.PatchedWebhookEndpointRequest(description="Ops channel")),
        ),
        Call("webhooks_rotate_secret_create", 200, made_row("webhook")),
        Call("webhooks_test_create", 202, made_row("webhook"), keep="delivery"),
        Call("webhooks_deliveries_list", 200, made_row("webhook")),
        Call("webhook_deliveries_retrieve", 200, made_row("delivery")),
        Call("webhook_deliveries_redeliver_create", 202, made_row("delivery")),
        Call("webhooks_disable_create", 200, made_row("webhook")),
        Call("webhooks_enable_create", 200, made_row("webhook")),
        Call("webhooks_destroy", 204, made_row("webhook")),
    ]
