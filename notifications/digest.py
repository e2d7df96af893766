"""The weekly executive digest: execution health and the four scores with the week's change, the
alerts opened and resolved in the week, the biggest gaps and the blockers waiting longest.

Built from the latest snapshot and the newest one at least a week older (two queries), the gaps of
the health page (`scoring.web.dashboards.selectors.gaps`, capped) and the alerts of the week. The
browser preview draws the week with `execgap.web.charts`; the email draws the scores as a table of
bars (mail clients show tables, not SVG).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from alerts.models import Alert
from execgap.models import Membership, Organization, Role
from execgap.web.charts import Series, trend_chart
from notifications import emails, preferences
from notifications.models import NotificationKind
from scoring.models import ScoreSnapshot
from scoring.selectors import snapshot_latest
from scoring.web.dashboards.selectors.gaps import (
    GapSection,
    blockers_section,
    people_section,
    share_section,
    staffing_section,
)
from scoring.web.trends import days_between

SCORES = (
    ("execution_health", "Execution health"),
    ("alignment", "Alignment"),
    ("resources", "Resources"),
    ("adaptability", "Adaptability"),
    ("people", "People"),
)
WEEK = timedelta(days=7)
ALERT_LIMIT = 10  # alerts listed per state; the count says how many in all


@dataclass(frozen=True)
class ScoreLine:
    key: str
    label: str
    value: float | None
    week_ago: float | None

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.week_ago is None else self.value - self.week_ago

    @property
    def bar_width(self) -> int:
        """The bar's width in percent of the email's chart column (scores are 0 to 100)."""
        return round(max(0.0, min(100.0, self.value or 0.0)))


@dataclass(frozen=True)
class Digest:
    organization: Organization
    week_from: datetime
    week_to: datetime
    snapshot: ScoreSnapshot | None
    scores: list[ScoreLine] = field(default_factory=list)
    chart: SafeString | None = None
    opened: list[Alert] = field(default_factory=list)
    opened_total: int = 0
    resolved: list[Alert] = field(default_factory=list)
    resolved_total: int = 0
    gaps: list[GapSection] = field(default_factory=list)
    blockers: GapSection | None = None


def _alerts_of_week(
    organization: Organization, since: datetime, until: datetime
) -> tuple[list[Alert], int, list[Alert], int]:
    """The alerts opened and those resolved in [since, until), newest first, capped (four queries,
    each along its index)."""
    rows = Alert.objects.for_org(organization)
    opened = rows.filter(opened_at__gte=since, opened_at__lt=until).order_by("-opened_at", "-id")
    resolved = rows.filter(resolved_at__gte=since, resolved_at__lt=until).order_by("-resolved_at", "-id")
    return list(opened[:ALERT_LIMIT]), opened.count(), list(resolved[:ALERT_LIMIT]), resolved.count()


def digest_build(*, organization: Organization, as_of: datetime) -> Digest:
    """The digest of the week that ends at `as_of`."""
    slug = organization.slug

    def url(name: str, **kwargs: Any) -> str:
        return reverse(name, kwargs={"org_slug": slug, **kwargs})

    since = as_of - WEEK
    opened, opened_total, resolved, resolved_total = _alerts_of_week(organization, since, as_of)
    snapshot = snapshot_latest(organization=organization)
    blockers = blockers_section(organization, url)
    common: dict[str, Any] = {
        "organization": organization,
        "week_from": since,
        "week_to": as_of,
        "opened": opened,
        "opened_total": opened_total,
        "resolved": resolved,
        "resolved_total": resolved_total,
        "blockers": blockers,
    }
    if snapshot is None:
        return Digest(snapshot=None, **common)
    names = [key for key, _ in SCORES]
    week = list(
        ScoreSnapshot.objects.for_org(organization)
        .filter(as_of__gte=snapshot.as_of - WEEK, as_of__lte=snapshot.as_of)
        .order_by("as_of", "computed_at")
        .values("as_of", *names)
    )
    by_day = {row["as_of"]: row for row in week}  # the last of each day wins
    first = min(by_day)
    before = by_day.get(snapshot.as_of - WEEK, {})
    days = days_between(first, snapshot.as_of)
    return Digest(
        snapshot=snapshot,
        scores=[ScoreLine(key, label, getattr(snapshot, key), before.get(key)) for key, label in SCORES],
        chart=trend_chart(
            key="digest-week",
            title="Execution health and alignment over the week (0 to 100)",
            days=days,
            series=[
                Series(label, [by_day.get(day, {}).get(key) for day in days], css=f"series-{n}")
                for n, (key, label) in enumerate(SCORES[:2], start=1)
            ],
        ),
        gaps=[
            share_section(snapshot, url),
            staffing_section(snapshot, url),
            people_section(snapshot, url),
        ],
        **common,
    )


def digest_recipients(*, organization: Organization) -> list[tuple[int, str]]:
    """The executives and admins (user id, email) whose channel for the digest includes email."""
    rows = (
        Membership.objects.filter(organization=organization, role__in=(Role.EXECUTIVE, Role.ADMIN))
        .exclude(user__email="")
        .values_list("user_id", "role", "user__email")
    )
    members = {user_id: role for user_id, role, _ in rows}
    emails_of = {user_id: address for user_id, _, address in rows}
    channels = preferences.channels_by_kind(
        organization_id=organization.pk, kinds={NotificationKind.WEEKLY_DIGEST}, roles_by_user=members
    )[NotificationKind.WEEKLY_DIGEST]
    return sorted(
        (user_id, emails_of[user_id])
        for user_id, channel in channels.items()
        if preferences.wants_email(channel)
    )


def digest_send(*, organization: Organization, as_of: datetime) -> int:
    """Email the week's digest to its recipients; returns how many emails went."""
    recipients = digest_recipients(organization=organization)
    if not recipients:
        return 0
    digest = digest_build(organization=organization, as_of=as_of)
    context = {
        "digest": digest,
        "preview_url": emails.absolute(reverse("digest", kwargs={"org_slug": organization.slug})),
    }
    for user_id, address in recipients:
        emails.message_build(
            organization=organization,
            to=address,
            user_id=user_id,
            kind=NotificationKind.WEEKLY_DIGEST,
            subject=f"[{organization.name}] Your weekly execution digest",
            template="emails/notifications/digest",
            context={**context, "base_url": emails.absolute("")},
        ).send(fail_silently=False)
    return len(recipients)


def digests_send(*, as_of: datetime | None = None) -> int:
    """The digest of every organization; returns the emails sent."""
    moment = as_of or timezone.now()
    return sum(digest_send(organization=org, as_of=moment) for org in Organization.objects.order_by("pk"))
