"""The webhook payloads in the OpenAPI schema: one callback of the endpoint registration per event kind.

Each is the JSON body of docs/WEBHOOKS.md, with its kind's `data`, posted to the registered `url`; the
receiver answers any 2xx. (Callbacks, not OpenAPI 3.1 `webhooks`: the schema stays OpenAPI 3.0.)
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiCallback, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers

S = serializers


def _optional_id() -> S.IntegerField:
    return S.IntegerField(allow_null=True, help_text="An id, or null when there is none.")


# Made once: a component is one class, whichever payloads use it.
_SUBJECT = inline_serializer(
    "WebhookAlertSubject", {"kind": S.CharField(), "id": S.IntegerField(), "title": S.CharField()}
)
_ORGANIZATION = inline_serializer("WebhookOrganization", {"id": S.IntegerField(), "slug": S.CharField()})


def _alert(resolved: bool) -> dict[str, S.Field[Any, Any, Any, Any]]:
    fields: dict[str, Any] = {
        "alert_id": S.IntegerField(),
        "rule_id": S.IntegerField(),
        "rule_kind": S.CharField(),
        "subject": _SUBJECT,
        "value": S.FloatField(allow_null=True, help_text="The value measured (at resolution, if resolved)."),
        "threshold": S.FloatField(allow_null=True),
        "opened_at": S.DateTimeField(),
        "message": S.CharField(),
    }
    if resolved:
        fields["resolved_at"] = S.DateTimeField()
    return fields


_CHANGES = inline_serializer(
    "WebhookPlanChange",
    {
        "item": S.ChoiceField(
            choices=["objective", "key_result", "initiative", "task", "allocation", "team", "person"]
        ),
        "id": S.IntegerField(),
        "action": S.ChoiceField(choices=["created", "changed", "deleted"]),
    },
    many=True,
)

DATA: dict[str, tuple[str, str, dict[str, Any]]] = {
    "alert.opened": ("AlertOpened", "An alert rule's condition began to hold.", _alert(resolved=False)),
    "alert.resolved": ("AlertResolved", "An open alert's condition no longer holds.", _alert(resolved=True)),
    "snapshot.computed": (
        "SnapshotComputed",
        "The organization's scores were computed (0 to 100).",
        {
            "snapshot_id": S.IntegerField(),
            "as_of": S.DateTimeField(),
            **{
                name: S.FloatField(allow_null=True)
                for name in ("execution_health", "alignment", "resources", "adaptability", "people")
            },
        },
    ),
    "feedback.raised": (
        "FeedbackRaised",
        "A blocker, risk, idea or concern was raised.",
        {
            "feedback_id": S.IntegerField(),
            "kind": S.CharField(),
            "text": S.CharField(),
            "author_person_id": _optional_id(),
            "objective_id": _optional_id(),
            "initiative_id": _optional_id(),
        },
    ),
    "feedback.answered": (
        "FeedbackAnswered",
        "Feedback was acknowledged, responded to or resolved.",
        {
            "feedback_id": S.IntegerField(),
            "kind": S.CharField(),
            "status": S.CharField(),
            "response": S.CharField(allow_blank=True),
            "author_person_id": _optional_id(),
            "answered_by_person_id": _optional_id(),
        },
    ),
    "plan.changed": (
        "PlanChanged",
        "The plan changed: one event per saved change set, listing at most 100 changes.",
        {
            "change_set": S.CharField(),
            "changes": _CHANGES,
            "more": S.IntegerField(help_text="How many changes were left out of `changes`."),
            "changed_by_user_id": _optional_id(),
        },
    ),
    "webhook.test": (
        "WebhookTest",
        "Sent by an admin to try the endpoint, whatever kinds it receives.",
        {"endpoint_id": S.IntegerField(), "sent_by_user_id": _optional_id()},
    ),
}


def _callback(kind: str, name: str, description: str, data: dict[str, Any]) -> OpenApiCallback:
    body = inline_serializer(
        f"Webhook{name}Event",
        {
            "id": S.UUIDField(help_text="The event's id: the same in a retry and a redelivery."),
            "kind": S.ChoiceField(choices=[kind]),
            "organization": _ORGANIZATION,
            "occurred_at": S.DateTimeField(),
            "data": inline_serializer(f"Webhook{name}Data", dict(data)),  # a copy: the class takes the fields
        },
    )
    return OpenApiCallback(
        name=kind,
        path="{$request.body#/url}",
        decorator=extend_schema(
            summary=description,
            description=(
                "Headers: `X-ExecGap-Event` (the kind), `X-ExecGap-Delivery` (the delivery id) and "
                "`X-ExecGap-Signature` (`t=<unix seconds>,v1=<hex HMAC-SHA256 of '{t}.{body}'>`; see "
                "docs/WEBHOOKS.md)."
            ),
            request=body,
            responses={200: OpenApiResponse(description="Any 2xx answer: received.")},
        ),
    )


CALLBACKS = [_callback(kind, *spec) for kind, spec in DATA.items()]
