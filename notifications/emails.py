"""Notification emails: one per person per kind per batch window, HTML with a plain-text
alternative, an absolute link to each page and a signed unsubscribe link for the kind (RFC 8058)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from execgap.models import Organization
from notifications.models import Notification, NotificationKind

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def absolute(path: str) -> str:
    """`path` of this site as a link that works from a mail client."""
    return f"{settings.EXECGAP_BASE_URL}{path}"


def unsubscribe_token(*, organization_id: int, user_id: int, kind: str) -> str:
    return signing.dumps({"o": organization_id, "u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_read(token: str) -> dict[str, Any] | None:
    """The (organization, user, kind) a token stands for, or None when it was not signed by us."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("k") not in NotificationKind.values:
        return None
    return value


def unsubscribe_url(*, organization: Organization, user_id: int, kind: str) -> str:
    token = unsubscribe_token(organization_id=organization.pk, user_id=user_id, kind=kind)
    return absolute(reverse("notification_unsubscribe", kwargs={"token": token}))


def message_build(
    *,
    organization: Organization,
    to: str,
    user_id: int,
    kind: str,
    subject: str,
    template: str,
    context: dict[str, Any],
) -> EmailMultiAlternatives:
    """An email rendered from `<template>.txt` and `<template>.html`, with the kind's unsubscribe link
    in the body and in the List-Unsubscribe headers."""
    unsubscribe = unsubscribe_url(organization=organization, user_id=user_id, kind=kind)
    context = {
        **context,
        "organization": organization,
        "unsubscribe_url": unsubscribe,
        "kind_label": NotificationKind(kind).label,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def email_batch_send(*, organization_id: int, user_id: int, kind: str) -> int:
    """Send the user one email listing their notifications of `kind` waiting for email; returns how
    many it listed (0: none waiting, or no address). The rows are locked so two sends never list
    the same notification."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    with transaction.atomic():
        rows = list(
            Notification.objects.for_org(organization)
            .filter(recipient_id=user_id, kind=kind, email_pending=True)
            .select_related("recipient")
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("created_at", "id")
        )
        if not rows:
            return 0
        recipient = rows[0].recipient
        if recipient.email:
            items = [{"title": row.title, "body": row.body, "url": absolute(row.url_path)} for row in rows]
            label = NotificationKind(kind).label
            subject = (
                f"[{organization.name}] {rows[0].title}"
                if len(rows) == 1
                else f"[{organization.name}] {len(rows)} new: {label.lower()}"
            )
            message_build(
                organization=organization,
                to=recipient.email,
                user_id=user_id,
                kind=kind,
                subject=subject,
                template="emails/notifications/batch",
                context={"items": items, "name": recipient.get_full_name() or recipient.username},
            ).send(fail_silently=False)
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            email_pending=False, emailed_at=timezone.now()
        )
    return len(rows)
