"""The one way in: notifications made from events, read, and preferences chosen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from execgap.models import Membership, Organization
from execgap.services import StaleVersionError
from notifications import preferences
from notifications.models import Channel, Notification, NotificationKind, NotificationPreference
from notifications.recipients import news_of


def batch_window() -> timedelta:
    return timedelta(minutes=settings.EXECGAP_EMAIL_BATCH_MINUTES)


def notify_events(items: list[dict[str, Any]]) -> int:
    """Tell each event's people (never its actor) on their channels; returns the rows made. Each item
    is `{"event": Event.as_json(), "actor_user_id"}`, the event of its own organization.

    A chunk costs a fixed number of queries per organization (its row, the people of its events,
    their roles, their chosen channels, one insert), not a few per event: a recompute that opens
    thousands of alerts is told in a few queries per chunk. Idempotent: a redelivered event makes
    no second row (unique recipient and event id). Rows that asked for email wait for the batch
    (`email_batch_schedule`).
    """
    by_organization: dict[int, list[dict[str, Any]]] = {}
    for item in items:
        by_organization.setdefault(int(item["event"]["organization_id"]), []).append(item)
    made = 0
    for organization in Organization.objects.filter(pk__in=sorted(by_organization)).order_by("pk"):
        made += _notify_in(organization, by_organization[organization.pk])
    return made


def _notify_in(organization: Organization, items: list[dict[str, Any]]) -> int:
    told = [
        (item, news)
        for item, news in zip(items, news_of(organization, [item["event"] for item in items]), strict=True)
        if news is not None
    ]
    wanted = {user_id for item, news in told for user_id in news.user_ids - {item["actor_user_id"]}}
    roles_by_user = dict(
        Membership.objects.filter(organization=organization, user_id__in=sorted(wanted)).values_list(
            "user_id", "role"
        )
    )
    channels = preferences.channels_by_kind(
        organization_id=organization.pk,
        kinds={news.kind for _, news in told},
        roles_by_user=roles_by_user,
    )
    rows = [
        Notification(
            organization=organization,
            recipient_id=user_id,
            kind=news.kind,
            title=news.title[:300],
            body=news.body,
            url_path=news.url_path,
            event_id=item["event"]["id"],
            in_app=preferences.wants_in_app(channel),
            email_pending=preferences.wants_email(channel),
        )
        for item, news in told
        for user_id in sorted(news.user_ids - {item["actor_user_id"]})
        if user_id in roles_by_user and (channel := channels[news.kind][user_id]) != Channel.NONE
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    for user_id, kind in sorted({(row.recipient_id, row.kind) for row in rows if row.email_pending}):
        email_batch_schedule(organization_id=organization.pk, user_id=user_id, kind=kind)
    return len(rows)


def email_batch_schedule(*, organization_id: int, user_id: int, kind: str) -> None:
    """Send the person's waiting emails of `kind` once the batch window closes: the first row of a
    window schedules the send (a cache key held for the window), the others join it."""
    from notifications.tasks import email_batch_send_task  # the task calls back into this module

    window = batch_window()
    key = f"notifications:email-batch:{organization_id}:{user_id}:{kind}"
    if cache.add(key, 1, timeout=int(window.total_seconds())):
        transaction.on_commit(
            lambda: email_batch_send_task.apply_async(
                kwargs={"organization_id": organization_id, "user_id": user_id, "kind": kind},
                countdown=int(window.total_seconds()),
            )
        )


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notifications_mark_all_read(*, organization: Organization, user_id: int) -> int:
    """Mark every unread notification of the user in the organization read; returns how many."""
    return (
        Notification.objects.for_org(organization)
        .filter(recipient_id=user_id, read_at__isnull=True)
        .update(read_at=timezone.now(), updated_at=timezone.now())
    )


def preference_set(
    *,
    organization: Organization,
    user_id: int,
    kind: NotificationKind,
    channel: Channel,
    expected_version: int | None = None,
) -> int:
    """Choose the user's channel for `kind` (a row per kind, made on the first choice); returns the
    choice's version. `expected_version` is the version the caller read (0: no choice made yet): a
    choice changed since raises StaleVersionError and changes nothing."""
    with transaction.atomic():
        preference = (
            NotificationPreference.objects.for_org(organization)
            .select_for_update()
            .filter(user_id=user_id, kind=kind)
            .first()
        )
        current = preference.version if preference else 0
        if expected_version is not None and expected_version != current:
            raise StaleVersionError(expected=expected_version, current=current)
        if preference is None:
            NotificationPreference.objects.create(
                organization=organization, user_id=user_id, kind=kind, channel=channel
            )
            return 1
        if preference.channel != channel:
            preference.channel = channel
            preference.version += 1
            preference.save(update_fields=["channel", "version", "updated_at"])
        return preference.version
