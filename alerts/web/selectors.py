"""Reads of the alert pages: a fixed number of queries whatever the number of alerts and rules."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse

from alerts.models import Alert, AlertRule, AlertState, SubjectKind
from execgap.models import Organization
from execgap.web.paging import Key, Order
from resources.models import Team

# Open alerts first, the newest first in each state.
ALERTS_ORDER = Order(Key("open_rank"), Key("opened_at", descending=True), Key("id", descending=True))

# The page of each kind of subject (the id in its URL when it has one).
SUBJECT_PAGES: dict[str, tuple[str, bool]] = {
    SubjectKind.ORGANIZATION: ("health", False),
    SubjectKind.TEAM: ("team_workspace", True),
    SubjectKind.OBJECTIVE: ("objective_detail", True),
    SubjectKind.INITIATIVE: ("initiative_detail", True),
    SubjectKind.FEEDBACK: ("feedback_detail", True),
    SubjectKind.PERSON: ("resources", False),
}


def subject_url(alert: Alert, slug: str) -> str | None:
    """The page of what the alert is about (None for a kind of subject without one)."""
    page = SUBJECT_PAGES.get(alert.subject_kind)
    if page is None:
        return None
    name, with_id = page
    kwargs: dict[str, object] = {"org_slug": slug, **({"pk": alert.subject_id} if with_id else {})}
    return reverse(name, kwargs=kwargs)


@dataclass(frozen=True)
class AlertFilters:
    state: str = ""
    kind: str = ""
    team: Team | None = None
    search: str = ""


def alerts_list(*, organization: Organization, filters: AlertFilters) -> QuerySet[Alert]:
    """The organization's alerts matching `filters`, with what keyset pages in ALERTS_ORDER read."""
    alerts = Alert.objects.for_org(organization)
    if filters.state:
        alerts = alerts.filter(state=filters.state)
    if filters.kind:
        alerts = alerts.filter(rule_kind=filters.kind)
    if filters.team is not None:
        alerts = alerts.filter(subject_team_id=filters.team.pk)
    if filters.search:
        alerts = alerts.filter(subject_title__icontains=filters.search)
    open_rank = Case(
        When(state=AlertState.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return alerts.annotate(open_rank=open_rank)


def alert_history(alert: Alert) -> QuerySet[Alert]:
    """Every alert of the same rule on the same subject, the newest first (the alert itself included)."""
    return Alert.objects.for_org(alert.organization_id).filter(
        rule_id=alert.rule_id, subject_kind=alert.subject_kind, subject_id=alert.subject_id
    )


def rules_list(*, organization: Organization) -> QuerySet[AlertRule]:
    return AlertRule.objects.for_org(organization).select_related("team").order_by("name", "id")
