"""Compare a snapshot's offenders with the open alerts: open the new, resolve the cleared, tell everyone.

Preconditions: the snapshot is committed. Runs in a job of its own (`alerts.tasks`, sent by the
SNAPSHOT_COMPUTED subscriber: the scores are visible before their alerts are worked out) and takes
a constant number of queries whatever the number of rules and subjects: the latest snapshot, the
rules and the team tree, one per rule kind in use, then under a lock on the organization the keys
of the open alerts, the cleared ones, one bulk insert and one bulk update.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alerts.evaluation.offenders import FINDERS, Offense, Subtrees, snapshot_moment
from alerts.models import Alert, AlertRule, AlertState, SubjectKind
from execgap.events import Event, EventKind, publish
from execgap.models import Organization
from resources.selectors import team_tree
from scoring.models import ScoreSnapshot


def alerts_evaluate(*, snapshot: ScoreSnapshot) -> tuple[list[Alert], list[Alert]]:
    """Open and resolve the organization's alerts on `snapshot`; returns (opened, resolved).

    Only the organization's latest snapshot is evaluated: a backfilled older date changes nothing.
    """
    organization_id = snapshot.organization_id
    latest = (
        ScoreSnapshot.objects.filter(organization_id=organization_id)
        .order_by("-as_of", "-computed_at", "-id")
        .values_list("id", flat=True)
        .first()
    )
    if latest != snapshot.pk:
        return [], []
    rules = list(AlertRule.objects.for_org(organization_id).filter(enabled=True).order_by("id"))
    subtrees = _subtrees(organization_id, rules)
    by_kind: dict[str, list[AlertRule]] = {}
    for rule in rules:
        by_kind.setdefault(rule.kind, []).append(rule)
    offenses = {
        offense.key: offense
        for kind, kind_rules in by_kind.items()
        for offense in FINDERS[kind](snapshot, kind_rules, subtrees)
    }
    with transaction.atomic():
        # Two evaluations of one organization (two recomputes ending together) take turns here, so
        # the second sees the alerts the first opened and never opens them again.
        slug = Organization.objects.select_for_update().values_list("slug", flat=True).get(pk=organization_id)
        # The open alerts as keys alone (tens of thousands at a large organization); only those to
        # resolve are read whole, and locked against a rule's deletion resolving them meanwhile.
        already_open = {
            (rule_id or 0, subject_kind, subject_id): pk
            for rule_id, subject_kind, subject_id, pk in Alert.objects.for_org(organization_id)
            .filter(state=AlertState.OPEN)
            .values_list("rule_id", "subject_kind", "subject_id", "pk")
        }
        cleared = [pk for key, pk in already_open.items() if key not in offenses]
        opened = _open(snapshot, [o for key, o in offenses.items() if key not in already_open])
        resolved = _resolve(
            snapshot,
            list(
                Alert.objects.for_org(organization_id)
                .filter(pk__in=cleared, state=AlertState.OPEN)
                .select_related("rule")
                .select_for_update(of=("self",))
                .order_by("pk")
            )
            if cleared
            else [],
        )
        _publish(EventKind.ALERT_OPENED, opened, organization_id, slug)
        _publish(EventKind.ALERT_RESOLVED, resolved, organization_id, slug)
    return opened, resolved


def _subtrees(organization_id: int, rules: list[AlertRule]) -> Subtrees:
    """Each rule team's subtree (one query, only when some rule has a team)."""
    roots = {rule.team_id for rule in rules if rule.team_id is not None}
    if not roots:
        return {}
    nodes = team_tree(organization=organization_id)
    subtrees: Subtrees = {}
    for root in roots:
        found: set[int] = set()
        inside_depth: int | None = None
        for node in nodes:  # tree order: a team's descendants follow it until the depth returns
            if inside_depth is not None and node.depth <= inside_depth:
                inside_depth = None
            if node.team.pk == root:
                inside_depth = node.depth
                found.add(root)
            elif inside_depth is not None:
                found.add(node.team.pk)
        subtrees[root] = frozenset(found)
    return subtrees


def _open(snapshot: ScoreSnapshot, offenses: list[Offense]) -> list[Alert]:
    now = snapshot_moment(snapshot)
    alerts = [
        Alert(
            organization_id=snapshot.organization_id,
            rule=offense.rule,
            rule_kind=offense.rule.kind,
            rule_name=offense.rule.name,
            subject_kind=offense.subject_kind,
            subject_id=offense.subject_id,
            subject_title=offense.subject_title[:300],
            subject_team_id=offense.team_id,
            state=AlertState.OPEN,
            opened_at=now,
            opened_snapshot_id=snapshot.pk,
            value_at_open=offense.value,
            threshold=offense.rule.threshold if offense.rule.threshold is not None else offense.rule.points,
            message=offense.message[:400],
        )
        for offense in offenses
    ]
    return Alert.objects.bulk_create(alerts)


def _resolve(snapshot: ScoreSnapshot, alerts: list[Alert]) -> list[Alert]:
    """Resolve `alerts` on `snapshot`, each with its value then (see `_reading`)."""
    now = snapshot_moment(snapshot)
    for alert in alerts:
        alert.state = AlertState.RESOLVED
        alert.resolved_at = now
        alert.resolved_snapshot_id = snapshot.pk
        alert.value_at_resolve = _reading(snapshot, alert)
    Alert.objects.bulk_update(alerts, ["state", "resolved_at", "resolved_snapshot_id", "value_at_resolve"])
    return alerts


def _reading(snapshot: ScoreSnapshot, alert: Alert) -> float | None:
    """An organization score's value on the snapshot (what a score rule watched); None for the other
    subjects, whose cleared condition has no single number (an initiative no longer late)."""
    rule = alert.rule
    if rule is None or alert.subject_kind != SubjectKind.ORGANIZATION or not rule.score:
        return None
    value = getattr(snapshot, rule.score, None)
    return float(value) if value is not None else None


def alerts_resolve_for_rule(*, rule: AlertRule) -> list[Alert]:
    """Resolve the open alerts of a rule being deleted or disabled (call inside its transaction)."""
    alerts = list(Alert.objects.for_org(rule.organization_id).filter(rule=rule, state=AlertState.OPEN))
    if not alerts:
        return []
    now = timezone.now()
    for alert in alerts:
        alert.state, alert.resolved_at = AlertState.RESOLVED, now
    Alert.objects.bulk_update(alerts, ["state", "resolved_at"])
    slug = Organization.objects.values_list("slug", flat=True).get(pk=rule.organization_id)
    _publish(EventKind.ALERT_RESOLVED, alerts, rule.organization_id, slug)
    return alerts


def alert_data(alert: Alert, slug: str) -> dict[str, Any]:
    """The documented data of ALERT_OPENED and ALERT_RESOLVED (`execgap.events`)."""
    resolved = alert.state == AlertState.RESOLVED
    return {
        "alert_id": alert.pk,
        "rule_id": alert.rule_id,
        "rule_kind": alert.rule_kind,
        "rule_name": alert.rule_name,
        "subject": {"kind": alert.subject_kind, "id": alert.subject_id, "title": alert.subject_title},
        "team_id": alert.subject_team_id,
        "value": alert.value_at_resolve if resolved else alert.value_at_open,
        "threshold": alert.threshold,
        "message": alert.message,
        "opened_at": alert.opened_at.isoformat(),
        "resolved_at": alert.resolved_at.isoformat() if alert.resolved_at else None,
        "url": alert_url(alert, slug),
    }


def alert_url(alert: Alert, slug: str) -> str:
    """The path of the alert's page."""
    return reverse("alert_detail", kwargs={"org_slug": slug, "pk": alert.pk})


def _publish(kind: EventKind, alerts: list[Alert], organization_id: int, slug: str) -> None:
    publish(
        *(Event(kind=kind, organization_id=organization_id, data=alert_data(alert, slug)) for alert in alerts)
    )
