"""The alerts list as CSV (`execgap.web.export`), filtered and searched as the page is."""

from __future__ import annotations

from alerts.web import selectors
from alerts.web.views import alert_filters_read
from execgap.roles import Action, Resource
from execgap.web.export import Column, CsvTable, TableRows
from execgap.web.pages import OrgRequest


def _alerts(request: OrgRequest) -> TableRows:
    _, filters = alert_filters_read(request)
    rows = selectors.alerts_list(organization=request.org.organization, filters=filters)
    return TableRows(rows, order=selectors.ALERTS_ORDER)


ALERTS = CsvTable(
    "alerts",
    (
        Column("State", lambda alert: alert.get_state_display()),
        Column("Alert", lambda alert: alert.message),
        Column("Rule", lambda alert: alert.rule_name),
        Column("Kind", lambda alert: alert.get_rule_kind_display()),
        Column("Subject", lambda alert: alert.subject_title),
        Column("Subject kind", lambda alert: alert.get_subject_kind_display()),
        Column("Opened", lambda alert: alert.opened_at),
        Column("Value when opened", lambda alert: alert.value_at_open),
        Column("Threshold", lambda alert: alert.threshold),
        Column("Resolved", lambda alert: alert.resolved_at),
        Column("Value when resolved", lambda alert: alert.value_at_resolve),
    ),
    _alerts,
    Resource.ALERT_RULE,
    Action.VIEW,
)
