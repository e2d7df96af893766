"""Who wants what, where: a person's channel per kind, with the defaults when they chose nothing."""

from __future__ import annotations

from execgap.models import Role
from notifications.models import Channel, NotificationKind, NotificationPreference

# Email too (not only the bell) for the news that asks for action.
_EMAIL_TOO = frozenset({NotificationKind.ALERT, NotificationKind.FEEDBACK_RAISED})
_DIGEST_ROLES = frozenset({Role.EXECUTIVE, Role.ADMIN})


def default_channel(kind: NotificationKind, role: str) -> Channel:
    """In the app for everything; email too for alerts and blockers; the digest by email for
    executives and admins (and nowhere for the others, who cannot read it)."""
    if kind == NotificationKind.WEEKLY_DIGEST:
        return Channel.EMAIL if role in _DIGEST_ROLES else Channel.NONE
    return Channel.BOTH if kind in _EMAIL_TOO else Channel.IN_APP


def wants_in_app(channel: str) -> bool:
    return channel in (Channel.IN_APP, Channel.BOTH)


def wants_email(channel: str) -> bool:
    return channel in (Channel.EMAIL, Channel.BOTH)


def channels_by_kind(
    *, organization_id: int, kinds: set[NotificationKind], roles_by_user: dict[int, str]
) -> dict[NotificationKind, dict[int, Channel]]:
    """Each user's channel for each of `kinds` (one query for the users' chosen rows)."""
    if not kinds or not roles_by_user:
        return {kind: {} for kind in kinds}
    chosen = {
        (kind, user_id): channel
        for kind, user_id, channel in NotificationPreference.objects.for_org(organization_id)
        .filter(kind__in=sorted(kinds), user_id__in=sorted(roles_by_user))
        .values_list("kind", "user_id", "channel")
    }
    return {
        kind: {
            user_id: Channel(chosen[(kind, user_id)])
            if (kind, user_id) in chosen
            else default_channel(kind, role)
            for user_id, role in roles_by_user.items()
        }
        for kind in kinds
    }


def preferences_of(
    *, organization_id: int, user_id: int, role: str
) -> list[tuple[NotificationKind, Channel, int]]:
    """Every kind with the user's channel for it and the version of their choice (0: none made, the
    default for their role applies), in the kinds' order (one query)."""
    chosen = {
        kind: (channel, version)
        for kind, channel, version in NotificationPreference.objects.for_org(organization_id)
        .filter(user_id=user_id)
        .values_list("kind", "channel", "version")
    }
    return [
        (kind, Channel(chosen[kind][0]), chosen[kind][1])
        if kind in chosen
        else (kind, default_channel(kind, role), 0)
        for kind in NotificationKind
    ]
