"""What a delivery sends: the event as JSON, or a Slack-compatible message, and its signature."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings

from webhooks.models import TEST_KIND, WebhookFormat


def event_body(event_json: dict[str, Any], *, slug: str) -> dict[str, Any]:
    """`Event.as_json()` with the organization as {id, slug}: the documented JSON body."""
    return {
        "id": event_json["id"],
        "kind": event_json["kind"],
        "organization": {"id": event_json["organization_id"], "slug": slug},
        "occurred_at": event_json["occurred_at"],
        "data": event_json["data"],
    }


def summary(body: dict[str, Any]) -> str:
    """One line a person reads in a chat channel."""
    data = body["data"]
    kind = body["kind"]
    if kind in ("alert.opened", "alert.resolved"):
        verb = "Alert opened" if kind == "alert.opened" else "Alert resolved"
        return f"{verb}: {data.get('message') or data.get('subject', {}).get('title', '')}"
    if kind == "snapshot.computed":
        return f"Scores computed: execution health {data.get('execution_health')}"
    if kind == "feedback.raised":
        return f"Feedback raised ({data.get('kind')}): {data.get('text', '')}"
    if kind == "feedback.answered":
        return f"Feedback answered ({data.get('status')}): {data.get('response', '')}"
    if kind == "plan.changed":
        count = len(data.get("changes", ())) + int(data.get("more", 0))
        return f"Plan changed: {count} change{'' if count == 1 else 's'}"
    if kind == TEST_KIND:
        return "Test event from ExecGap: this endpoint receives webhooks."
    return kind


def render(body: dict[str, Any], *, fmt: str) -> dict[str, Any]:
    """The payload stored and sent: `body` itself, or a Slack-compatible message about it."""
    if fmt != WebhookFormat.SLACK:
        return body
    slug = body["organization"]["slug"]
    link = f"{settings.EXECGAP_BASE_URL}/o/{slug}/"
    text = f"[{slug}] {summary(body)}"
    return {
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"{text}\n<{link}|Open ExecGap>"}},
        ],
    }


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of `{timestamp}.{body}` under `secret` (what `v1=` carries)."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets_in_use: list[str], timestamp: int, body: bytes) -> str:
    """`t=<unix seconds>,v1=<hex>[,v1=<hex>]`: one v1 per secret in use (two during a rotation)."""
    return ",".join([f"t={timestamp}", *(f"v1={signature(s, timestamp, body)}" for s in secrets_in_use)])
