"""Alert rules: created, changed and deleted through `execgap.services` (role check, validation, versions).

Admins and executives manage every rule; a lead only the rules of their teams. A rule disabled or
deleted resolves its open alerts (their history stays; a deleted rule's alerts keep its name).
Rules do not move the scores: no recompute is asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alerts.evaluation.evaluate import alerts_resolve_for_rule
from alerts.models import AlertRule, RuleKind, ScoreChoice
from execgap.models import Membership, Organization
from execgap.roles import Resource
from execgap.services import org_row_create, org_row_delete, org_row_update
from execgap.tenancy import OrgOwnedModel


def alert_rule_create(*, actor: Membership, data: Mapping[str, Any]) -> AlertRule:
    return org_row_create(
        actor=actor,
        resource=Resource.ALERT_RULE,
        model=AlertRule,
        data={**data, "created_by": actor.user},
        marks_stale=False,
    )


def alert_rule_update(
    *, actor: Membership, rule: AlertRule, data: Mapping[str, Any], expected_version: int | None = None
) -> AlertRule:
    def resolve_when_disabled(before: AlertRule, after: AlertRule) -> None:
        if before.enabled and not after.enabled:
            alerts_resolve_for_rule(rule=after)

    return org_row_update(
        actor=actor,
        resource=Resource.ALERT_RULE,
        instance=rule,
        data=data,
        expected_version=expected_version,
        marks_stale=False,
        check=resolve_when_disabled,
    )


def alert_rule_delete(*, actor: Membership, rule: AlertRule, expected_version: int | None = None) -> None:
    def resolve(row: OrgOwnedModel) -> None:
        assert isinstance(row, AlertRule)
        alerts_resolve_for_rule(rule=row)

    org_row_delete(
        actor=actor,
        resource=Resource.ALERT_RULE,
        instance=rule,
        expected_version=expected_version,
        marks_stale=False,
        check=resolve,
    )


# A new organization's rules: the lines most organizations want to hear about first.
DEFAULT_RULES: tuple[dict[str, Any], ...] = (
    {"name": "Execution health below 50", "kind": RuleKind.SCORE_BELOW, "score": ScoreChoice.EXECUTION_HEALTH,
     "threshold": 50.0},
    *(
        {"name": f"{label} down 10 points in 28 days", "kind": RuleKind.SCORE_DROP, "score": score,
         "points": 10.0, "days": 28}
        for score, label in ScoreChoice.choices
        if score != ScoreChoice.TEAM_ALIGNMENT
    ),
    {"name": "Objective's share off by 15 points", "kind": RuleKind.SHARE_OFF, "points": 15.0},
    {"name": "Initiative unstaffed or under 50% covered within 14 days of its start",
     "kind": RuleKind.UNDERSTAFFED_START, "threshold": 50.0, "days": 14},
    {"name": "Initiative forecast late", "kind": RuleKind.FORECAST_LATE},
    {"name": "Person over capacity", "kind": RuleKind.OVER_CAPACITY},
    {"name": "Blocker unanswered for 3 days", "kind": RuleKind.BLOCKER_UNANSWERED, "days": 3},
    {"name": "Check-in overdue by 7 days", "kind": RuleKind.CHECK_IN_OVERDUE, "days": 7},
)  # fmt: skip


def alert_rules_create_defaults(organization: Organization, user: Any = None) -> list[AlertRule]:
    """Give `organization` the default rules (call inside its creating transaction); one insert."""
    rules = [AlertRule(organization=organization, created_by=user, **rule) for rule in DEFAULT_RULES]
    for rule in rules:
        rule.full_clean()
    return AlertRule.objects.bulk_create(rules)
