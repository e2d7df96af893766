"""The weekly reminder: each owner of tracked items that have gone without a fresh check-in.

Tracked items and freshness are those of SCORING.md (Adaptability): objectives active at D and
active initiatives; fresh = a check-in dated in [D - C + 1, D], a check-in on one of an
objective's key results counting for the objective.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext

from execgap.models import Organization
from feedback.models import CheckIn
from objectives.models import Initiative, InitiativeStatus, Objective, ObjectiveStatus


@dataclass(frozen=True)
class StaleItem:
    kind: str  # "objective" or "initiative"
    id: int
    title: str


@dataclass(frozen=True)
class OwnerReminder:
    person_id: int
    name: str
    email: str
    items: tuple[StaleItem, ...]


def fresh_from(*, organization: Organization, as_of: date) -> date:
    """The first day of the check-in window that ends on `as_of` (cadence C days: [D - C + 1, D])."""
    return as_of - timedelta(days=organization.checkin_cadence_days - 1)


def tracked_without_check_in(
    *, organization: Organization, as_of: date, since: date
) -> tuple[QuerySet[Objective], QuerySet[Initiative]]:
    """The tracked objectives and initiatives at `as_of` with no check-in dated in [since, as_of]:
    `since=fresh_from(...)` gives the items that are not fresh (their check-in is due)."""
    checked = CheckIn.objects.for_org(organization).filter(date__gte=since, date__lte=as_of)
    objectives = (
        Objective.objects.for_org(organization)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of), status=ObjectiveStatus.ACTIVE)
        .exclude(Exists(checked.filter(objective=OuterRef("pk"))))
        .exclude(Exists(checked.filter(key_result__objective=OuterRef("pk"))))
    )
    initiatives = (
        Initiative.objects.for_org(organization)
        .filter(status=InitiativeStatus.ACTIVE)
        .exclude(Exists(checked.filter(initiative=OuterRef("pk"))))
    )
    return objectives, initiatives


def stale_items_by_owner(*, organization: Organization, as_of: date) -> list[OwnerReminder]:
    """Owners (active people with an email) of tracked items without a fresh check-in, by name."""
    objectives, initiatives = tracked_without_check_in(
        organization=organization, as_of=as_of, since=fresh_from(organization=organization, as_of=as_of)
    )
    owned = {"owner__active": True, "owner__isnull": False}
    rows = [
        ("objective", *row)
        for row in objectives.filter(**owned).values_list(
            "pk", "title", "owner_id", "owner__name", "owner__email"
        )
    ] + [
        ("initiative", *row)
        for row in initiatives.filter(**owned).values_list(
            "pk", "title", "owner_id", "owner__name", "owner__email"
        )
    ]
    items: dict[tuple[int, str, str], list[StaleItem]] = defaultdict(list)
    for kind, pk, title, owner_id, name, email in rows:
        if email:
            items[(owner_id, name, email)].append(StaleItem(kind=kind, id=pk, title=title))
    return [
        OwnerReminder(
            person_id=owner_id, name=name, email=email, items=tuple(sorted(found, key=lambda i: i.title))
        )
        for (owner_id, name, email), found in sorted(
            items.items(), key=lambda entry: (entry[0][1], entry[0][0])
        )
    ]


def checkin_reminders_send(*, organization: Organization, as_of: date) -> int:
    """Email each owner their items without a fresh check-in (HTML with a plain-text alternative, a
    link to each item's page and to its check-in form); returns the number of emails sent."""
    reminders = stale_items_by_owner(organization=organization, as_of=as_of)
    messages = [_reminder_message(organization=organization, reminder=reminder) for reminder in reminders]
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def waiting(count: int) -> str:
    """The subject's count: "1 item waiting for your check-in", "3 items waiting ..."."""
    return ngettext(
        "%(count)d item waiting for your check-in", "%(count)d items waiting for your check-in", count
    ) % {"count": count}


def _absolute(name: str, organization: Organization, query: str = "", **kwargs: int) -> str:
    path = reverse(name, kwargs={"org_slug": organization.slug, **kwargs})
    return f"{settings.EXECGAP_BASE_URL}{path}{query}"


def _reminder_message(*, organization: Organization, reminder: OwnerReminder) -> EmailMultiAlternatives:
    items = [
        {
            "kind": item.kind,
            "title": item.title,
            "url": _absolute(f"{item.kind}_detail", organization, pk=item.id),
            "check_in_url": _absolute("check_in_create", organization, f"?{item.kind}={item.id}"),
        }
        for item in reminder.items
    ]
    context = {
        "name": reminder.name,
        "organization": organization,
        "items": items,
        "days": ngettext("%(count)d day", "%(count)d days", organization.checkin_cadence_days)
        % {"count": organization.checkin_cadence_days},
        "my_work_url": _absolute("my_work", organization),
    }
    message = EmailMultiAlternatives(
        subject=f"[{organization.name}] {waiting(len(reminder.items))}",
        body=render_to_string("emails/feedback/checkin_reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.email],
    )
    message.attach_alternative(
        render_to_string("emails/feedback/checkin_reminder.html", context), "text/html"
    )
    return message
